"""Reminders in words, and sent to work-group robots (DingTalk, WeCom).

What a unit hears is the same everywhere: ``remind`` prints the words of :mod:`gkcli.core.reminders`,
``notify`` sends them as Markdown messages, one digest per group (both robots allow 20 messages a minute; DingTalk
advises digests) or one per unit, each at most :data:`MAX_MESSAGE_BYTES` and split between units.
Sending is paced under the robots' limit, a "too fast" answer is retried once after a wait, and
every message ends with an :class:`Outcome` in words (the robot's own code kept) — never with the
robot's address or secret in it."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus

from gkcli.core.queries import Item
from gkcli.core.reminders import Wording
from gkcli.domain.records import Unit

if TYPE_CHECKING:
    from gkcli.store.robots import Robot
    from gkcli.store.web import Reply

MAX_MESSAGE_BYTES = 4096  # WeCom's limit for a Markdown message; DingTalk's is larger
PER_MINUTE = 20  # messages a robot accepts in a minute (both DingTalk and WeCom)
TOO_FAST = {"dingtalk": 130101, "wecom": 45009}
NO_ANSWER = -1  # the code logged for a message that got no answer from the robot


# ---- the messages ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One unit's part of a message: its Markdown lines, tasks and contact to @."""

    unit: str
    lines: tuple[str, ...]
    tasks: tuple[int, ...] = ()
    mobile: str | None = None
    user_id: str | None = None


@dataclass(frozen=True)
class Message:
    """One message to a robot: a title, Markdown text, and whom it is about."""

    title: str
    text: str
    units: tuple[str, ...]
    tasks: tuple[int, ...]
    mobiles: tuple[str, ...] = ()
    user_ids: tuple[str, ...] = ()


def _escape(text: str) -> str:
    """Text safe in both robots' Markdown: no heading, list or link syntax from a task title."""
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("[", "［").replace("]", "］")


def reminder_block(wording: Wording, items: Sequence[Item], contact: Unit | None, kind: str) -> Block:
    """A unit's reminder as Markdown for a robot of ``kind``, with its contact @-ed where known."""
    lines = [f"#### {_escape(wording.heading)}"]
    for group in wording.groups:
        lines += [f"**{_escape(group[0])}**", *(_escape(line) for line in group[1:])]
    lines.append(_escape(wording.closing))
    mobile = contact.mobile if contact is not None and kind == "dingtalk" else None
    user_id = contact.user_id if contact is not None else None
    mention = _mention(kind, mobile, user_id)
    if mention:
        lines.append(mention)
    tasks = tuple(sorted({i.task.id for i in items}))
    return Block(wording.unit, tuple(lines), tasks, mobile, user_id)


def text_block(unit: str, text: str, contact: Unit | None, kind: str) -> Block:
    """A plain reminder (a form not returned) as a block, its contact @-ed where known."""
    mobile = contact.mobile if contact is not None and kind == "dingtalk" else None
    user_id = contact.user_id if contact is not None else None
    mention = _mention(kind, mobile, user_id)
    return Block(unit, (_escape(text), *([mention] if mention else [])), (), mobile, user_id)


def _mention(kind: str, mobile: str | None, user_id: str | None) -> str:
    if kind == "wecom":
        return f"<@{user_id}>" if user_id else ""  # WeCom's Markdown @-s by user id only
    return " ".join(f"@{who}" for who in (mobile, user_id) if who)


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def messages(title: str, blocks: Sequence[Block], *, per_unit: bool, keyword: str | None = None) -> list[Message]:
    """The messages that carry ``blocks``: one per unit with ``per_unit``, else as few digests as fit
    :data:`MAX_MESSAGE_BYTES`, split between units (a unit longer than that alone, between its
    lines). A robot's keyword is put in every message that lacks it."""
    head = f"【{keyword}】{title}" if keyword and keyword not in title else title
    found: list[Message] = []
    current: list[Block] = []
    parts: list[tuple[list[Block], str]] = []

    def flush() -> None:
        if current:
            parts.append((list(current), "\n\n".join("\n".join(b.lines) for b in current)))
            current.clear()

    def body(text: str) -> str:  # with room for the numbering a split message gets: (12/34)
        return f"### {_escape(head)}(999/999)\n\n{text}"

    for block in blocks:
        alone = "\n".join(block.lines)
        if per_unit or _size(body(alone)) > MAX_MESSAGE_BYTES:
            flush()
            for piece in _pieces(block, lambda t: _size(body(t)) <= MAX_MESSAGE_BYTES):
                parts.append(([block], piece))
            continue
        joined = "\n\n".join("\n".join(b.lines) for b in [*current, block])
        if current and _size(body(joined)) > MAX_MESSAGE_BYTES:
            flush()
        current.append(block)
    flush()
    for n, (included, text) in enumerate(parts, 1):
        numbered = head if len(parts) == 1 else f"{head}({n}/{len(parts)})"
        found.append(Message(
            numbered, f"### {_escape(numbered)}\n\n{text}", tuple(b.unit for b in included),
            tuple(sorted({t for b in included for t in b.tasks})),
            tuple(dict.fromkeys(b.mobile for b in included if b.mobile)),
            tuple(dict.fromkeys(b.user_id for b in included if b.user_id)),
        ))  # fmt: skip
    return found


def _pieces(block: Block, fits: Callable[[str], bool]) -> list[str]:
    """A unit's lines in as few pieces as fit, each a run of whole lines (a line too long alone is cut
    where the longest start of it fits)."""
    pieces: list[str] = []
    current: list[str] = []
    for line in block.lines:
        while not fits(line):
            if current:
                pieces.append("\n".join(current))
                current = []
            cut = _longest_fitting(line, fits)
            pieces.append(line[:cut])
            line = line[cut:]
        if current and not fits("\n".join([*current, line])):
            pieces.append("\n".join(current))
            current = []
        current.append(line)
    if current:
        pieces.append("\n".join(current))
    return pieces


def _longest_fitting(line: str, fits: Callable[[str], bool]) -> int:
    low, high = 1, len(line)
    while low < high:
        middle = (low + high + 1) // 2
        if fits(line[:middle]):
            low = middle
        else:
            high = middle - 1
    return low


def payload(kind: str, message: Message) -> dict[str, Any]:
    """The JSON a robot of ``kind`` takes for a Markdown message (DingTalk's with whom to @)."""
    if kind == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": message.text}}
    return {
        "msgtype": "markdown",
        "markdown": {"title": message.title, "text": message.text},
        "at": {"atMobiles": list(message.mobiles), "atUserIds": list(message.user_ids), "isAtAll": False},
    }


def signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    """DingTalk's signed address: ``timestamp`` and ``sign`` appended, the sign being the Base64 of
    the HMAC-SHA256 (keyed with the secret) of ``timestamp + "\\n" + secret``, URL-encoded."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    sign = quote_plus(base64.b64encode(digest).decode("ascii"))
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp_ms}&sign={sign}"


# ---- sending --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """How one message went: the robot's code (0: delivered; -1: no answer) and what went wrong."""

    message: Message
    code: int
    problem: str | None = None

    @property
    def delivered(self) -> bool:
        return self.code == 0


_DINGTALK = {130101: "发送太快(每个机器人每分钟最多 20 条)", 300001: "机器人不存在或 access_token 有误:请核对 url",
             400102: "机器人已停用:请在群设置中启用"}  # fmt: skip
_WECOM = {93000: "Webhook 地址无效(key 有误或机器人已被移出群):请核对 url", 45009: "发送太快(每个机器人每分钟最多 20 条)",
          40058: "消息内容不符合要求(可能过长)", 93004: "机器人已被停用"}  # fmt: skip


def problem_of(kind: str, code: int, said: str) -> str:
    """A robot's error code in Chinese, with what to do."""
    if kind == "dingtalk" and code == 310000:
        lowered = said.lower()
        if "sign" in lowered:
            return "签名不匹配:请核对 secret 与机器人的安全设置"
        if "keyword" in lowered:
            return "消息中没有机器人安全设置里的关键词:请在配置中写 keyword"
        if "ip" in lowered:
            return "本机的 IP 不在机器人的 IP 白名单中:请在机器人的安全设置中添加"
        return "机器人的安全设置校验未通过:请核对 secret、keyword 与机器人的安全设置"
    known = (_DINGTALK if kind == "dingtalk" else _WECOM).get(code)
    return known or f"{'钉钉' if kind == 'dingtalk' else '企业微信'}机器人返回错误"


def _scrubbed(text: str, robot: Robot) -> str:
    """A robot's own words with anything secret taken out (an echoed address, token or secret)."""
    from urllib.parse import parse_qsl, urlsplit

    values = [v for _, v in parse_qsl(urlsplit(robot.url).query)]
    for secret in sorted(filter(None, [robot.secret, robot.url, *values]), key=len, reverse=True):
        if len(secret) >= 4:
            text = text.replace(secret, "****")
    return text[:200]


class Pace:
    """At most ``per_minute`` messages in any minute: waits (with ``sleep``) before one that would
    be one too many."""

    def __init__(self, per_minute: int, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        self.per_minute, self.clock, self.sleep = per_minute, clock, sleep
        self.sent: deque[float] = deque()

    def wait(self) -> None:
        now = self.clock()
        while self.sent and now - self.sent[0] >= 60:
            self.sent.popleft()
        if len(self.sent) >= self.per_minute:
            self.sleep(60 - (now - self.sent[0]))
            self.sent.popleft()
        self.sent.append(self.clock())


Post = Callable[[str, dict[str, Any]], "Reply"]


def send(
    robot: Robot, found: Sequence[Message], post: Post, *, retry_wait: float, pace: Pace,
    clock_ms: Callable[[], int], sleep: Callable[[float], None],
) -> list[Outcome]:  # fmt: skip
    """Send each message in turn, paced; one answered "too fast" is sent once more after
    ``retry_wait`` seconds. Every message ends with an outcome; none stops the others. The caller
    gives the clock (``clock_ms``: now in milliseconds, for DingTalk's signature) and ``sleep``."""
    outcomes = []
    for message in found:
        body = payload(robot.kind, message)
        for attempt in (1, 2):
            pace.wait()
            url = (
                signed_url(robot.url, robot.secret, clock_ms())
                if robot.kind == "dingtalk" and robot.secret
                else robot.url
            )
            outcome = _outcome(robot, message, post(url, body))
            if outcome.code != TOO_FAST[robot.kind] or attempt == 2:
                break
            sleep(retry_wait)
        outcomes.append(outcome)
    return outcomes


def _outcome(robot: Robot, message: Message, reply: Reply) -> Outcome:
    if reply.status is None:
        return Outcome(message, NO_ANSWER, reply.error or "没有应答")
    answer = reply.json()
    if not isinstance(answer, dict) or not isinstance(answer.get("errcode"), int):
        return Outcome(message, NO_ANSWER, f"机器人的应答无法识别(HTTP {reply.status})")
    code = int(answer["errcode"])
    if code == 0:
        return Outcome(message, 0)
    said = _scrubbed(str(answer.get("errmsg", "")), robot)
    return Outcome(message, code, f"{problem_of(robot.kind, code, said)}({code} {said})")
