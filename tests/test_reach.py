"""Reminders sent to work-group robots, against real robots on 127.0.0.1 (tests/servers.py) that check
what DingTalk and WeCom check: the signature, the keyword, the key, the size, the rate. On the shipped
registry as of 2022-10-08 (warn_days 30) the units with red or yellow tasks are the reminders."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from gkcli.core import notify
from gkcli.core.queries import reminders
from gkcli.core.reminders import reminder_lines
from gkcli.domain.records import Unit
from gkcli.domain.registry import Registry
from gkcli.errors import BadValue
from gkcli.store import robots as robot_store
from gkcli.store.web import post_json

from . import servers
from .conftest import Cli

TOKEN = "tok-9f8e7d6c5b4a-SECRET"
SECRET = "SECa1b2c3d4e5f6-very-secret"
DAY = "2022-10-08"


def _config(tmp_path: Path, text: str, mode: int = 0o600) -> Path:
    path = tmp_path / "robots.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def _dingtalk(url: str, secret: str | None = SECRET, keyword: str | None = None) -> str:
    lines = ["[robots.督查群]", 'kind = "dingtalk"', f'url = "{url}"']
    lines += [f'secret = "{secret}"'] if secret else []
    lines += [f'keyword = "{keyword}"'] if keyword else []
    return "\n".join(lines) + "\n"


def _notify(cli: Cli, config: Path, *args: str):  # type: ignore[no-untyped-def]
    return cli("notify", "--robot", "督查群", "--config", str(config), "--as-of", DAY, *args, GKCLI_TODAY=DAY)


def _expected_units(registry: Registry) -> list[str]:
    return [r.unit for r in reminders(registry, dt.date(2022, 10, 8), 30)]


def test_a_signed_dingtalk_digest_is_delivered_and_logged(cli: Cli, tmp_path: Path, registry: Registry) -> None:
    """Signed mode: every message carries a timestamp and a sign the robot recomputes; the digest
    covers every unit with red or yellow tasks, in messages of at most 4096 bytes; the log has one
    line per message with code 0."""
    with servers.robot("dingtalk", TOKEN, secret=SECRET) as (url, robot):
        result = _notify(cli, _config(tmp_path, _dingtalk(url)))
    assert result.exit_code == 0, result.output
    assert robot.answers and set(robot.answers) == {0}
    units = [u for body in robot.received for u in _units_in(body["markdown"]["text"])]
    assert units == _expected_units(registry)
    assert all(len(b["markdown"]["text"].encode()) <= notify.MAX_MESSAGE_BYTES for b in robot.received)
    log = (Path(cli.env["GKCLI_DATA"]) / "log.yaml").read_text(encoding="utf-8")
    assert log.count("kind: reminder_sent") == len(robot.received) and "code: 0" in log and "robot: 督查群" in log
    assert f"消息 1/{len(robot.received)}: 已送达" in result.stdout


def _units_in(text: str) -> list[str]:
    return [line.split("】")[0].removeprefix("#### 【") for line in text.splitlines() if line.startswith("#### 【")]


def test_a_wrong_secret_says_so_in_chinese_and_exits_1(cli: Cli, tmp_path: Path) -> None:
    with servers.robot("dingtalk", TOKEN, secret=SECRET) as (url, robot):
        result = _notify(cli, _config(tmp_path, _dingtalk(url, secret="SECwrong-secret-000")), "--unit", "县财政局")
    assert result.exit_code == 1
    assert "签名不匹配:请核对 secret 与机器人的安全设置" in result.stdout and "310000" in result.stdout
    assert robot.answers == [310000]
    log = (Path(cli.env["GKCLI_DATA"]) / "log.yaml").read_text(encoding="utf-8")
    assert "code: 310000" in log and "units: [县财政局]" in log


def test_keyword_mode_puts_the_keyword_in_and_without_it_the_robot_refuses(cli: Cli, tmp_path: Path) -> None:
    with servers.robot("dingtalk", TOKEN, keyword="督办") as (url, robot):
        sent = _notify(cli, _config(tmp_path, _dingtalk(url, secret=None, keyword="督办")), "--unit", "县财政局")
        refused = _notify(cli, _config(tmp_path, _dingtalk(url, secret=None)), "--unit", "县财政局")
    assert sent.exit_code == 0, sent.output
    assert "【督办】" in robot.received[0]["markdown"]["title"]
    assert refused.exit_code == 1 and "关键词" in refused.stdout and robot.answers == [0, 310000]


def test_a_wrong_token_is_named_as_such(cli: Cli, tmp_path: Path) -> None:
    with servers.robot("dingtalk", TOKEN) as (url, _robot):
        result = _notify(cli, _config(tmp_path, _dingtalk(url.replace(TOKEN, "tok-other-000000"), secret=None)),
                         "--unit", "县财政局")  # fmt: skip
    assert result.exit_code == 1 and "access_token 有误" in result.stdout


@pytest.mark.slow  # one message per unit, paced at 20 a minute as the robots allow: about two minutes
def test_wecom_too_fast_waits_and_retries_once(cli: Cli, tmp_path: Path) -> None:
    """A WeCom robot taking 2 messages a second: per unit, the third message is answered 45009
    (too fast) and sent again after --retry-wait; every message is delivered in the end."""
    with servers.robot("wecom", TOKEN, per_window=2, window=1.0) as (url, robot):
        config = _config(tmp_path, f'[robots.督查群]\nkind = "wecom"\nurl = "{url}"\n')
        result = _notify(cli, config, "--per-unit", "--retry-wait", "1.1", "--unit", "县财政局")
        assert result.exit_code == 0, result.output
        three = _notify(cli, config, "--per-unit", "--retry-wait", "1.1")
    assert three.exit_code == 0, three.output
    assert 45009 in robot.answers and robot.answers.count(0) == 1 + three.stdout.count("已送达")
    assert all(set(b) == {"msgtype", "markdown"} and set(b["markdown"]) == {"content"} for b in robot.received)


@pytest.mark.slow  # waits out the time limit
def test_a_robot_that_never_answers_fails_within_the_timeout(cli: Cli, tmp_path: Path) -> None:
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()  # accepts the connection, never answers
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/robot/send?access_token={TOKEN}"
        result = _notify(cli, _config(tmp_path, _dingtalk(url)), "--unit", "县财政局", "--timeout", "1")
    finally:
        listener.close()
    assert result.exit_code == 1 and "超时未应答" in result.stdout


def test_no_secret_in_any_output_log_or_file(cli: Cli, tmp_path: Path, private_cache: Path) -> None:
    """Dry run, a delivery, a refusal and an unknown robot: the token and the secret appear in no
    output, no error, and no file gkcli wrote (the registry folder, its log, the cache)."""
    outputs = []
    with servers.robot("dingtalk", TOKEN, secret=SECRET) as (url, _robot):
        good = _config(tmp_path, _dingtalk(url))
        outputs += [_notify(cli, good, "--dry-run"), _notify(cli, good, "--unit", "县财政局")]
        bad_dir = tmp_path / "bad"
        bad_dir.mkdir()
        outputs.append(_notify(cli, _config(bad_dir, _dingtalk(url, secret=SECRET + "x")), "--unit", "县财政局"))
        outputs.append(cli("notify", "--robot", "别的群", "--config", str(good), GKCLI_TODAY=DAY))
        outputs.append(cli("notify", "--robot", "督查群", "--config", str(_config(tmp_path / "bad", _dingtalk(url), 0o644)),
                           GKCLI_TODAY=DAY))  # fmt: skip
    assert [o.exit_code for o in outputs] == [0, 0, 1, 2, 2]
    assert "access_token=****" in outputs[0].stdout
    for output in outputs:
        assert TOKEN not in output.output and SECRET not in output.output
    written = [p for root in (Path(cli.env["GKCLI_DATA"]), private_cache) for p in root.rglob("*") if p.is_file()]
    assert any(p.name == "log.yaml" for p in written)
    for path in written:
        data = path.read_bytes()
        assert TOKEN.encode() not in data and SECRET.encode() not in data, path


def test_the_config_file_is_checked(tmp_path: Path) -> None:
    with pytest.raises(BadValue, match="其他用户也能读取"):
        robot_store.load(_config(tmp_path, _dingtalk("https://oapi.dingtalk.com/robot/send?access_token=x"), 0o640))
    env_only = '[robots.督查群]\nkind = "dingtalk"\nurl = "https://x.example/robot/send?access_token=t"\nsecret_env = "MY_SECRET"\n'
    with pytest.raises(BadValue, match="MY_SECRET") as caught:
        robot_store.load(_config(tmp_path, env_only), env={})
    assert SECRET not in str(caught.value.message)
    found = robot_store.load(_config(tmp_path, env_only), env={"MY_SECRET": SECRET})
    assert found["督查群"].secret == SECRET and SECRET not in repr(found["督查群"])
    with pytest.raises(BadValue, match="第 2 行第 8 列附近"):
        robot_store.load(_config(tmp_path, "[robots.a]\nkind = dingtalk\n"))
    with pytest.raises(BadValue, match="kind"):
        robot_store.load(_config(tmp_path, '[robots.a]\nkind = "slack"\nurl = "https://x"\n'))
    with pytest.raises(BadValue, match="不认识的键"):
        robot_store.load(_config(tmp_path, '[robots.a]\nkind = "wecom"\nurl = "https://x.example/"\ntoken = "t"\n'))
    quoted = robot_store.load(
        _config(tmp_path, '[robots."督查 群"]\nkind = "wecom"\nurl = "https://x.example/w?key=k"\n')
    )
    assert list(quoted) == ["督查 群"]
    assert robot_store.masked("https://u:p@x.example:8443/send?access_token=abc&x=1") == (
        "https://x.example:8443/send?access_token=****&x=****")  # fmt: skip


def test_signature_is_the_documented_one() -> None:
    """DingTalk's example: timestamp 1577262236757, secret "this is secret" → the sign it documents
    is the URL-encoded Base64 of the HMAC-SHA256; recomputed here independently of the code."""
    import base64
    import hashlib
    import hmac
    from urllib.parse import parse_qs, urlsplit

    url = notify.signed_url("https://oapi.dingtalk.com/robot/send?access_token=t", "this is secret", 1577262236757)
    query = parse_qs(urlsplit(url).query)
    digest = hmac.new(b"this is secret", b"1577262236757\nthis is secret", hashlib.sha256).digest()
    assert query["timestamp"] == ["1577262236757"] and query["sign"] == [base64.b64encode(digest).decode()]
    assert "%2B" in url or "%2F" in url or "%3D" in url  # the sign is URL-encoded in the address


def test_digests_split_between_units_and_a_long_unit_between_its_lines(registry: Registry) -> None:
    """Every message at most 4096 bytes; no unit cut across two digests unless it alone is too long;
    per unit, one message each."""
    day = dt.date(2022, 10, 8)
    found = reminders(registry, day, 30)
    blocks = [notify.reminder_block(reminder_lines(r, day, 30), [*r.red, *r.yellow], None, "dingtalk") for r in found]
    digests = notify.messages("提醒", blocks, per_unit=False)
    assert all(len(m.text.encode()) <= notify.MAX_MESSAGE_BYTES for m in digests)
    assert [u for m in digests for u in m.units] == [r.unit for r in found]
    assert len(notify.messages("提醒", blocks, per_unit=True)) == len(found)
    long_block = notify.Block("县财政局", tuple(f"{n}. " + "很长的任务" * 60 for n in range(40)))
    pieces = notify.messages("提醒", [long_block], per_unit=False)
    assert len(pieces) > 1 and all(len(m.text.encode()) <= notify.MAX_MESSAGE_BYTES for m in pieces)
    assert pieces[0].title.endswith(f"(1/{len(pieces)})")
    huge = notify.Block("县财政局", ("字" * 5000,))
    assert all(len(m.text.encode()) <= notify.MAX_MESSAGE_BYTES for m in notify.messages("提醒", [huge], per_unit=True))


def test_contacts_are_mentioned_as_each_robot_allows(registry: Registry) -> None:
    day = dt.date(2022, 10, 8)
    [mine] = [r for r in reminders(registry, day, 30) if r.unit == "县财政局"]
    contact = Unit("县财政局", "department", mobile="13800000000", user_id="zhangsan")
    wording = reminder_lines(mine, day, 30)
    ding = notify.messages("提醒", [notify.reminder_block(wording, mine.red, contact, "dingtalk")], per_unit=True)[0]
    assert notify.payload("dingtalk", ding)["at"] == {
        "atMobiles": ["13800000000"],
        "atUserIds": ["zhangsan"],
        "isAtAll": False,
    }
    assert "@13800000000" in ding.text
    wecom = notify.messages("提醒", [notify.reminder_block(wording, mine.red, contact, "wecom")], per_unit=True)[0]
    assert "<@zhangsan>" in wecom.text and "13800000000" not in wecom.text


def test_pace_keeps_under_twenty_a_minute() -> None:
    """25 messages, one per unit, sent to a real robot one second apart on a clock the test moves:
    the first 20 go at once, the 21st waits until the first is a minute old (40.5 s), and no 60
    seconds of the clock see more than 20 sends."""
    now = [1000.0]
    waited: list[float] = []
    sent_at: list[float] = []

    def sleep(seconds: float) -> None:
        waited.append(seconds)
        now[0] += seconds

    def clock() -> float:
        now[0] += 0.5  # each send takes a second of the test's clock
        return now[0]

    def post(url: str, body: dict[str, object]):  # type: ignore[no-untyped-def]
        sent_at.append(now[0])
        return post_json(url, body, timeout=5)

    with servers.robot("dingtalk", TOKEN, per_window=10**6) as (url, robot):
        found = [notify.Message(f"提醒 {n}", f"### 提醒 {n}", (f"单位{n}",), ()) for n in range(25)]
        pace = notify.Pace(notify.PER_MINUTE, clock, sleep)
        outcomes = notify.send(
            robot_store.Robot("群", "dingtalk", url), found, post, retry_wait=0, pace=pace,
            clock_ms=lambda: int(now[0] * 1000), sleep=sleep,
        )  # fmt: skip
    assert waited == [40.5] and [o.code for o in outcomes] == [0] * 25 and len(robot.received) == 25
    assert all(sum(1 for t in sent_at if start <= t < start + 60) <= 20 for start in sent_at)


def test_remind_and_notify_say_the_same(cli: Cli, tmp_path: Path, registry: Registry) -> None:
    printed = cli("remind", "--as-of", DAY, "--unit", "县财政局", GKCLI_TODAY=DAY).stdout
    with servers.robot("wecom", TOKEN) as (url, robot):
        config = _config(tmp_path, f'[robots.督查群]\nkind = "wecom"\nurl = "{url}"\n')
        assert _notify(cli, config, "--unit", "县财政局").exit_code == 0
    sent = robot.received[0]["markdown"]["content"]
    for line in printed.strip().splitlines()[1:]:
        assert line.strip().replace("*", "") in sent.replace("**", "").replace("\\", ""), line


def test_missing_forms_go_to_the_group_and_the_log_keeps_the_period(cli: Cli, tmp_path: Path) -> None:
    folder = Path(cli.env["GKCLI_DATA"])
    (folder / "log.yaml").write_text(
        "events:\n  - {date: 2022-09-01, kind: form_sent, unit: 县司法局, period: 2022-09}\n", encoding="utf-8"
    )
    with servers.robot("wecom", TOKEN) as (url, robot):
        config = _config(tmp_path, f'[robots.督查群]\nkind = "wecom"\nurl = "{url}"\n')
        result = _notify(cli, config, "--missing-forms")
    assert result.exit_code == 0, result.output
    assert "【县司法局】2022-09" in robot.received[0]["markdown"]["content"]
    log = (folder / "log.yaml").read_text(encoding="utf-8")
    assert "kind: reminder_sent, period: 2022-09" in log and "units: [县司法局]" in log
    status = cli("returns", "status", GKCLI_TODAY=DAY).stdout
    assert f"{DAY} 已在工作群催交" in status
    report = cli("report", "-f", "markdown", "--as-of", DAY, "--since", "2022-09-30", GKCLI_TODAY=DAY).stdout
    assert "已通过工作群“督查群”催交 2022-09 填报表(县司法局)，已送达" in report


@pytest.mark.slow  # a process per hash seed
def test_notify_json_log_is_the_same_bytes_in_every_process(cli: Cli, tmp_path: Path) -> None:
    """Dry runs in processes with different hash seeds print the same bodies."""
    import subprocess
    import sys

    config = _config(tmp_path, _dingtalk("https://oapi.dingtalk.com/robot/send?access_token=t", secret=None))
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "GKCLI_DATA": cli.env["GKCLI_DATA"], "GKCLI_TODAY": DAY}
        done = subprocess.run([sys.executable, "-m", "gkcli", "notify", "--robot", "督查群", "--config", str(config),
                               "--dry-run"], env=env, capture_output=True, check=True)  # fmt: skip
        outputs.add(done.stdout)
    assert len(outputs) == 1
    bodies = [json.loads(line) for line in outputs.pop().decode().splitlines() if line.startswith("{")]
    assert bodies and all(b["msgtype"] == "markdown" for b in bodies)
