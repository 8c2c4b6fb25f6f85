"""Work-group robots as the office configures them: a TOML file outside the registry (``--config``,
else ``$XDG_CONFIG_HOME/gkcli/robots.toml``, else ``~/.config/gkcli/robots.toml``), one table per
robot::

    [robots.督查群]
    kind = "dingtalk"                        # or "wecom"
    url = "https://oapi.dingtalk.com/robot/send?access_token=…"
    secret_env = "GKCLI_DINGTALK_SECRET"     # or secret = "SEC…"; or keyword = "督办"

A webhook address and a secret are credentials: the file is refused when anyone but its owner may
read it, and no message here repeats an address or a secret (an address is shown masked)."""

from __future__ import annotations

import os
import re
import stat
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from gkcli.errors import BadValue

RobotKind = Literal["dingtalk", "wecom"]
KINDS: tuple[RobotKind, ...] = ("dingtalk", "wecom")
_KEYS = frozenset({"kind", "url", "secret", "secret_env", "keyword", "note"})
MAX_CONFIG_BYTES = 1 << 20


@dataclass(frozen=True)
class Robot:
    """One group robot: where to post and how to prove it is us (the secret stays in memory)."""

    name: str
    kind: RobotKind
    url: str
    secret: str | None = None
    keyword: str | None = None

    def __repr__(self) -> str:  # never the address or the secret, even in a traceback
        return f"Robot({self.name!r}, {self.kind!r}, {masked(self.url)!r})"


def default_path(env: Mapping[str, str] = os.environ) -> Path:
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME") or Path.home()) / ".config")
    return Path(base) / "gkcli" / "robots.toml"


def masked(url: str) -> str:
    """An address with its credentials hidden: every query value, any user and password."""
    parts = urlsplit(url)
    query = urlencode([(k, "****") for k, _ in parse_qsl(parts.query, keep_blank_values=True)], safe="*")
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def _private_enough(path: Path, info: os.stat_result) -> None:
    if sys.platform != "win32" and info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise BadValue(
            f"{path} 其他用户也能读取,里面的机器人地址和密钥等同于口令,拒绝使用",
            hint=f"chmod 600 {path}",
        )


def load(path: Path | None, env: Mapping[str, str] = os.environ) -> dict[str, Robot]:
    """Every robot of the config file, by name; BadValue naming the file and what to fix."""
    target = path or default_path(env)
    try:
        info = target.stat()
    except FileNotFoundError:
        raise BadValue(
            f"找不到机器人配置文件 {target}",
            hint="按 README“把提醒发到工作群”一节写好 robots.toml(chmod 600),或用 --config 指定",
        ) from None
    except OSError as exc:
        raise BadValue(f"无法读取机器人配置文件 {target}: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CONFIG_BYTES:
        raise BadValue(f"{target} 不是一个普通的小文件", hint="机器人配置应是几行 TOML 文字")
    _private_enough(target, info)
    try:
        data = tomllib.loads(_quoted_names(target.read_text(encoding="utf-8")))
    except UnicodeDecodeError:
        raise BadValue(f"{target} 不是 UTF-8 文字") from None
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        at = f"第 {where[1]} 行第 {where[2]} 列附近" if where else ""
        raise BadValue(
            f"{target}: {at}TOML 写法有误", hint="格式见 README“把提醒发到工作群”一节;文字值要加引号"
        ) from None
    robots = data.get("robots")
    if not isinstance(robots, dict) or not robots:
        raise BadValue(f"{target} 中没有 [robots.名称] 表", hint='例如 [robots.督查群] kind = "dingtalk" url = "…"')
    return {str(name): _robot(target, str(name), table, env) for name, table in robots.items()}


_HEADER = re.compile(r"^(\s*\[\s*robots\.)([^\]\"'\s.]+)(\s*\])", re.M)


def _quoted_names(text: str) -> str:
    """The text with a robot's Chinese name in a table header quoted (``[robots.督查群]`` as offices
    write it; TOML 1.0 wants ``[robots."督查群"]``): read as meant, the file itself untouched."""
    return _HEADER.sub(lambda m: m[1] + (f'"{m[2]}"' if not m[2].isascii() else m[2]) + m[3], text)


def _robot(path: Path, name: str, table: object, env: Mapping[str, str]) -> Robot:
    where = f"{path} 的 [robots.{name}]"
    if not isinstance(table, dict):
        raise BadValue(f"{where} 应是一张表")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise BadValue(f"{where} 中有不认识的键: {'、'.join(unknown)}", hint=f"可用: {'、'.join(sorted(_KEYS))}")
    kind, url = table.get("kind"), table.get("url")
    if kind not in KINDS:
        raise BadValue(f"{where} 的 kind 应是 dingtalk 或 wecom")
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise BadValue(f"{where} 的 url 应是机器人的 Webhook 地址(https://…)")
    secret, secret_env, keyword = table.get("secret"), table.get("secret_env"), table.get("keyword")
    for key, value in (("secret", secret), ("secret_env", secret_env), ("keyword", keyword)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise BadValue(f"{where} 的 {key} 应是非空的文字")
    if secret is not None and secret_env is not None:
        raise BadValue(f"{where} 同时写了 secret 和 secret_env,只留一个")
    if secret_env is not None:
        secret = env.get(str(secret_env))
        if not secret:
            raise BadValue(f"{where} 的密钥取自环境变量 {secret_env},但它没有设置", hint=f"export {secret_env}=…")
    if kind == "wecom" and (secret is not None or keyword is not None):
        raise BadValue(f"{where}: 企业微信群机器人没有加签和关键词,请删去 secret、secret_env、keyword")
    return Robot(name, kind, url, str(secret) if secret else None, str(keyword) if keyword else None)
