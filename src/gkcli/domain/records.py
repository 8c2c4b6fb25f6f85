"""The records of a registry, each field defined once.

A field's annotation carries everything about it: its type and constraints (read by
Pydantic, which validates the YAML straight into these dataclasses and writes the JSON
Schema from them), its description (the schema's and the README's wording) and, through
``column()``, the header it has in tables and spreadsheets. The cache, the JSON and CSV
records, the exports and the README's key table are all derived from these classes, so
adding a field is a change here (and in its tests).

Importing Pydantic takes longer than answering a question from the cache, so this module does
not: the annotations stay unevaluated until :func:`use_pydantic` (for validation and the
schema) or :func:`hints` (for everything else, with stand-ins that only keep the arguments)
evaluates them.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
import typing
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Literal

MAX_TASK_ID = 9_999_999
SECTION_ID_PATTERN = r"^[1-9][0-9]?\.[1-9][0-9]?$"  # part.section, each 1–99
LINK_PATTERN = r"^https?://[^\s]+$"
CARRIED_PATTERN = r"^[^:\s]+:[0-9]+$"  # plan id:task id, as gkcli show takes it
MAX_NOTE_CHARS = 2000  # a progress note: a paragraph, not a report (that goes behind a link)
MAX_LINK_CHARS = 2000  # longer than any address a browser keeps
RULE_CODE_PATTERN = r"^(ALL|GK[0-9]{1,3})$"
MOBILE_PATTERN = r"^\+?[0-9]{5,20}$"
USER_ID_PATTERN = r"^[A-Za-z0-9_.@-]{1,64}$"

if TYPE_CHECKING:
    from pydantic import Field, Strict

    # YAML values must already have their type: a quoted string where text is meant, and so on.
    Text = Annotated[str, Strict()]
    Day = Annotated[dt.date, Strict()]
    Whole = Annotated[int, Strict()]
    Names = tuple[Text, ...]
    RuleCode = Annotated[Text, Field(pattern=RULE_CODE_PATTERN)]

_RECORD = {"extra": "forbid", "populate_by_name": True}  # Pydantic's ConfigDict for every record


def _namespace(field_info: Any, strict: Any) -> dict[str, Any]:
    text = Annotated[str, strict]
    return {
        "Field": field_info,
        "Strict": lambda: strict,
        "Text": text,
        "Day": Annotated[dt.date, strict],
        "Whole": Annotated[int, strict],
        "Names": tuple[text, ...],
        "RuleCode": Annotated[text, field_info(pattern=RULE_CODE_PATTERN)],
    }


def use_pydantic() -> None:
    """Give the annotations Pydantic's own Field and Strict; call before Pydantic reads these records."""
    from pydantic import Field, Strict

    vars(sys.modules[__name__]).update(_namespace(Field, Strict()))


class _Arguments:
    """What ``Field(...)`` or ``Strict()`` was given, kept for reading (hashable, as typing needs)."""

    def __init__(self, **kwargs: Any) -> None:
        self.__dict__.update(kwargs)


@functools.cache
def hints(record: type) -> dict[str, Any]:
    """A record's field types without Pydantic: ``Annotated`` metadata is a namespace of the
    arguments ``Field(...)`` was given (``description``, ``alias`` ...)."""
    light = _namespace(_Arguments, _Arguments(strict=True))
    return typing.get_type_hints(record, {**vars(sys.modules[__name__]), **light}, include_extras=True)


def yaml_key(record: type, name: str) -> str:
    """The key a field is written under in YAML: its alias where it declares one (``due``)."""
    meta = getattr(hints(record)[name], "__metadata__", ())
    return next((m.alias for m in meta if getattr(m, "alias", None)), name)


def read_keys(record: type) -> dict[str, str]:
    """Every key a record is read from in YAML, with its field: the key it is written under
    (:func:`yaml_key`) and, where that is an alias, the field's own name, which older files use
    (``on:`` of a progress entry, read by YAML 1.1 tools as the boolean true, is now ``date:``)."""
    found = {yaml_key(record, name): name for name in record.__dataclass_fields__}  # type: ignore[attr-defined]
    found.update({name: name for name in record.__dataclass_fields__ if name not in found.values()})  # type: ignore[attr-defined]
    return found


def description(record: type, name: str) -> str:
    """The description a field declares."""
    meta = getattr(hints(record)[name], "__metadata__", ())
    return next((m.description for m in meta if getattr(m, "description", None)), name)


Status = Literal["not_started", "in_progress", "awaiting_review", "done", "carried_over"]
STATUSES: tuple[Status, ...] = ("not_started", "in_progress", "awaiting_review", "done", "carried_over")
STATUS_LABELS: dict[str, str] = {
    "not_started": "未开始",
    "in_progress": "进行中",
    "awaiting_review": "待审核",  # reported done, the office's review (销号) still to come
    "done": "已完成",
    "carried_over": "已结转",  # continued in a later plan, from that plan's date
}
CLOSED_STATUSES = frozenset({"done", "carried_over"})  # no longer open: nothing is due

UnitKind = Literal["department", "township", "enterprise", "coordinating_body"]
UNIT_KINDS: tuple[UnitKind, ...] = ("department", "township", "enterprise", "coordinating_body")

Light = Literal["red", "yellow", "green", "done", "done_late", "carried"]
LIGHT_LABELS: dict[str, str] = {
    "red": "红灯",
    "yellow": "黄灯",
    "green": "绿灯",
    "done": "按期完成",
    "done_late": "逾期完成",
    "carried": "已结转",
}

# Free prose that may span lines and quote the damaged source; every other text is one line.
PROSE_FIELDS = frozenset({"note", "provenance"})

EntryKind = Literal[
    "progress", "done", "reopen", "request", "extend", "decline", "claim", "accept", "send_back", "carried"
]
Effect = Literal["none", "complete", "reopen", "extend", "decline", "claim", "accept", "send_back", "carry"]


@dataclass(frozen=True, slots=True)
class KindRule:
    """What one kind of log entry is and does. The replay (``domain.timeline``) applies ``effect``
    and refuses what contradicts it; every message, command and form takes its words from here."""

    label: str  # in tables and messages
    default_note: str | None  # the note when none is given (None: a note is required)
    date_name: str  # what the entry's ``on`` is, in messages
    effect: Effect  # on the replayed state
    needs_due: bool  # carries the new due date asked for or granted
    changes: str  # what it changes, for the README and --help
    contradicts: str  # when it contradicts the log before it
    note_name: str = "进展情况"  # what its note says, in messages


ENTRY_KINDS: dict[str, KindRule] = {
    "progress": KindRule("进展", None, "进展日期", "none", False,
                         "未开始的任务变为进行中", "从不矛盾"),
    "done": KindRule("完成", "已完成", "完成日期", "complete", False,
                     "整项任务(或该单位的部分)完成;全部牵头单位完成即整项完成", "已完成的任务或部分再次登记完成"),
    "reopen": KindRule("重新打开", "重新打开", "重新打开的日期", "reopen", False,
                       "已完成的任务(或该单位的部分)重新打开", "任务或部分尚未完成"),
    "request": KindRule("申请延期", None, "申请日期", "none", True,
                        "什么都不改变:等统筹单位批准(gkcli extend)", "任务或部分已完成;申请的日期不晚于当前截止日期"),
    "extend": KindRule("延期", None, "批准日期", "extend", True,
                       "从批准之日起,整项任务(或该单位的部分)的截止日期改为新的日期;此前仍按原日期",
                       "任务或部分已完成;没有截止日期;新的日期不晚于当前截止日期", note_name="延期的理由"),
    "decline": KindRule("不予延期", None, "答复日期", "decline", False,
                        "统筹单位不批准该部分(或整项任务)待批准的延期申请,原截止日期不变;需写理由",
                        "该部分(或整项任务)没有待批准的延期申请(GK511)", note_name="不予延期的理由"),
    "claim": KindRule("申请销号", "申请销号", "申请日期", "claim", False,
                      "销号审核制(plan.closing: review)下登记完成:该部分(或整项任务)待审核,仍未完成",
                      "任务或部分已完成,或已有待审核的销号申请"),
    "accept": KindRule("销号", "审核通过,予以销号", "销号日期", "accept", False,
                       "通过待审核的销号申请:该部分(或整项任务)按申请的日期完成",
                       "该部分(或整项任务)没有待审核的销号申请(GK511)"),
    "send_back": KindRule("退回", None, "退回日期", "send_back", False,
                          "退回待审核的销号申请(需写理由):申请作废,该部分重新处于进行中,理由显示在填报表和通报中",
                          "该部分(或整项任务)没有待审核的销号申请(GK511)", note_name="退回的理由"),
    "carried": KindRule("结转", None, "结转日期", "carry", False,
                        "任务由下一年度要点接续(gkcli carryover --write 写入):从这天起为已结转,不再计逾期",
                        "任务已完成或已结转", note_name="接续的任务"),
}  # fmt: skip
REVIEWED_KINDS = frozenset(k for k, rule in ENTRY_KINDS.items() if rule.effect in ("accept", "send_back"))
ENTRY_KIND_LABELS: dict[str, str] = {kind: rule.label for kind, rule in ENTRY_KINDS.items()}

Closing = Literal["direct", "review"]
Role = Literal["lead", "responsible"]
ROLE_LABELS: dict[str, str] = {"lead": "牵头", "responsible": "责任"}


def column(header: str, default: Any = ..., *, spreadsheet: bool = True) -> Any:
    """A dataclass field that is also an output column: ``header`` in tables, CSV and XLSX
    (``spreadsheet=False`` keeps it out of CSV/XLSX)."""
    meta = {"header": header, "spreadsheet": spreadsheet}
    return field(metadata=meta) if default is ... else field(default=default, metadata=meta)


def header_of(record: type, name: str) -> str | None:
    """The column header a field of ``record`` declares, or None for a field that is not a column."""
    found = record.__dataclass_fields__[name].metadata.get("header")  # type: ignore[attr-defined]
    return str(found) if found is not None else None


REVIEW = "导入时留下的待核对事项(gkcli check 报 GK701);核对无误后删除此项"


@dataclass(frozen=True, slots=True)
class Plan:
    __pydantic_config__ = _RECORD

    title: Annotated[Text, Field(min_length=1, description="要点标题")]
    document_number: Annotated[Text, Field(min_length=1, description="文号")]
    issuer: Annotated[Text, Field(min_length=1, description="发文机关")]
    issued_on: Annotated[Day, Field(description="印发日期")]
    year: Annotated[Whole, Field(ge=1949, le=2200, description="要点所属年度")]
    warn_days: Annotated[Whole, Field(ge=0, le=366, description="到期前多少天亮黄灯")] = 30
    office: Annotated[Text | None, Field(description="统筹单位:可为任何任务登记,登记完成即整项完成")] = None
    closing: Annotated[
        Closing,
        Field(description="direct:登记完成即完成;review:登记完成为申请销号,统筹单位审核通过(gkcli accept)才完成"),
    ] = "direct"
    review: Annotated[Text | None, Field(description=REVIEW)] = None


@dataclass(frozen=True, slots=True)
class Section:
    __pydantic_config__ = _RECORD

    id: Annotated[Text, Field(pattern=SECTION_ID_PATTERN, description='部分.小节,如 "1.2"')]
    title: Annotated[Text, Field(min_length=1, description="小节标题")]
    note: Annotated[Text | None, Field(description="说明")] = None
    review: Annotated[Text | None, Field(description=REVIEW)] = None


@dataclass(frozen=True, slots=True)
class Part:
    __pydantic_config__ = _RECORD

    id: Annotated[Whole, Field(ge=1, le=99, description="部分编号")]
    title: Annotated[Text, Field(min_length=1, description="部分标题(正文措辞)")]
    sections: Annotated[tuple[Section, ...], Field(description="小节")]
    attachment_title: Annotated[Text | None, Field(description="附件1中不同的措辞")] = None
    review: Annotated[Text | None, Field(description=REVIEW)] = None


@dataclass(frozen=True, slots=True)
class ProgressEntry:
    """One event in a task's log: the log is the truth, and a task's state on any date is replayed from it."""

    __pydantic_config__ = _RECORD

    on: Annotated[Day, Field(alias="date", description="日期(旧台账写作 on:,仍可读)")] = column("日期")
    note: Annotated[Text, Field(min_length=1, max_length=MAX_NOTE_CHARS, description="进展情况")] = column("进展情况")
    unit: Annotated[Text | None, Field(description="报告单位;不写时为整项任务")] = column("报告单位", None)
    link: Annotated[
        Text | None,
        Field(pattern=LINK_PATTERN, max_length=MAX_LINK_CHARS, description="可查看成果的网址(http 或 https)"),
    ] = column("佐证链接", None)
    kind: Annotated[
        EntryKind,
        Field(
            description="progress(进展)、done(完成)、reopen(重新打开)、request(申请延期)、extend(延期)、"
            "decline(不予延期)、claim(申请销号)、accept(销号)、send_back(退回)、carried(结转)"
        ),
    ] = column("类别", "progress")
    recorded: Annotated[Day | None, Field(description="登记日期;不写时即 on")] = column("登记日期", None)
    source: Annotated[Text | None, Field(description="来自哪份填报表的哪一行(重复导入时据此跳过)")] = column(
        "来源", None, spreadsheet=False
    )
    due: Annotated[Day | None, Field(description="延期(extend)批准的或申请(request)的新截止日期")] = column(
        "新截止日期", None
    )

    @property
    def known_from(self) -> dt.date:
        """The day the registry learned of this entry."""
        return self.recorded or self.on


@dataclass(frozen=True, slots=True)
class Task:
    __pydantic_config__ = _RECORD

    id: Annotated[Whole, Field(ge=1, le=MAX_TASK_ID, description="序号")] = column("序号")
    section: Annotated[Text, Field(pattern=SECTION_ID_PATTERN, description='所属小节,如 "1.2"')] = column("小节")
    title: Annotated[Text, Field(min_length=1, description="重点工作原文")] = column("重点工作")
    lead: Annotated[Names, Field(description="牵头单位(按原文写法)")] = column("牵头单位")
    deadline: Annotated[Text, Field(description="完成时限原文(导入草稿中读不出时可暂为空,并写 review)")] = column(
        "完成时限"
    )
    responsible: Annotated[Names, Field(description="责任单位(按原文写法)")] = column("责任单位", ())
    fixed_due: Annotated[Day | None, Field(alias="due", description="明确的截止日期,优先于完成时限")] = None
    status: Annotated[Status, Field(description="not_started、in_progress、done(显示为 未开始/进行中/已完成)")] = (
        column("状态", "not_started")
    )
    done_on: Annotated[Day | None, Field(description="完成日期,未完成时为空")] = column("完成日期", None)
    provenance: Annotated[Text | None, Field(description="重建单元格的依据,原表清晰时为空")] = column(
        "来源说明", None, spreadsheet=False
    )
    progress: Annotated[tuple[ProgressEntry, ...], Field(description="进展记录,按日期从早到晚")] = column(
        "进展记录", ()
    )
    review: Annotated[Text | None, Field(description=REVIEW)] = column("待核对", None, spreadsheet=False)
    carried_from: Annotated[
        Text | None,
        Field(
            pattern=CARRIED_PATTERN,
            description="接续上一年要点中的哪项任务(要点简称:序号,由 gkcli carryover --write 写入)",
        ),
    ] = column("接续", None, spreadsheet=False)
    checkpoints: Annotated[
        Text | None,
        Field(
            description="年中检查节点:规则(每季度末、每月25日、每月末、每半年)或日期(2022-09-30、2022-12-31);"
            "每个节点前牵头单位都要登记一次进展"
        ),
    ] = column("检查节点", None, spreadsheet=False)
    added_on: Annotated[
        Day | None,
        Field(description="由 gkcli 加入台账的日期(carryover --add 写入);--known-on 早于这一天时,这项任务还不在台账中"),
    ] = column("加入日期", None, spreadsheet=False)


@dataclass(frozen=True, slots=True)
class Unit:
    __pydantic_config__ = _RECORD

    name: Annotated[Text, Field(min_length=1, description="单位全称")]
    kind: Annotated[UnitKind, Field(description="类别")]
    aliases: Annotated[Names, Field(description="别名与简称")] = ()
    same_as: Annotated[
        Names, Field(description="同一单位在工作区其他要点中的名称(单位更名时写一次,如新名下写旧名)")
    ] = ()
    note: Annotated[Text | None, Field(description="说明")] = None
    review: Annotated[Text | None, Field(description=REVIEW)] = None
    mobile: Annotated[
        Text | None, Field(pattern=MOBILE_PATTERN, description="联系人手机号(gkcli notify 在钉钉群中 @ 他)")
    ] = None
    user_id: Annotated[
        Text | None,
        Field(pattern=USER_ID_PATTERN, description="联系人在钉钉或企业微信中的用户 ID(gkcli notify 据此 @ 他)"),
    ] = None


@dataclass(frozen=True, slots=True)
class UnitGroup:
    """A group of units named in the plan (县属有关单位, 各乡镇人民政府 ...)."""

    __pydantic_config__ = _RECORD

    name: Annotated[Text, Field(min_length=1, description="群组名称")]
    aliases: Annotated[Names, Field(description="别名")] = ()
    members: Annotated[Names | None, Field(description="成员;未列出时为成员未知的群组")] = None
    review: Annotated[Text | None, Field(description=REVIEW)] = None
    note: Annotated[Text | None, Field(description="说明")] = None


@dataclass(frozen=True, slots=True)
class CheckSettings:
    """The registry's own choice of rules, for ``gkcli check`` and every command that loads it."""

    __pydantic_config__ = _RECORD

    select: Annotated[tuple[RuleCode, ...], Field(description="只报告这些规则(如 GK3、GK401);不写为全部")] = ()
    ignore: Annotated[tuple[RuleCode, ...], Field(description="不报告这些规则(如 GK605)")] = ()


@dataclass(frozen=True, slots=True)
class TasksFile:
    """``tasks.yaml``."""

    __pydantic_config__ = _RECORD

    plan: Plan
    parts: tuple[Part, ...]
    tasks: tuple[Task, ...]
    check: Annotated[CheckSettings | None, Field(description="gkcli check 的规则设置")] = None


@dataclass(frozen=True, slots=True)
class UnitsFile:
    """``units.yaml``."""

    __pydantic_config__ = _RECORD

    units: tuple[Unit, ...]
    groups: tuple[UnitGroup, ...] = ()


LogKind = Literal["form_sent", "form_returned", "reminder_sent", "link_checked"]
LOG_KIND_LABELS: dict[str, str] = {
    "form_sent": "发出填报表", "form_returned": "收回填报表", "reminder_sent": "发送提醒", "link_checked": "检查佐证链接",
}  # fmt: skip
PERIOD_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
Verdict = Literal["ok", "dead", "no_date"]  # of an evidence link checked
VERDICT_LABELS: dict[str, str] = {"ok": "可访问", "dead": "已失效", "no_date": "无发布日期"}


@dataclass(frozen=True, slots=True)
class LogEvent:
    """One line of the office's log (``log.yaml``): what the office sent the units, what came back,
    the reminders sent to work groups and the evidence links checked. gkcli appends to it; nothing
    in it is ever rewritten. No line holds a robot's address or secret."""

    __pydantic_config__ = _RECORD

    on: Annotated[Day, Field(alias="date", description="日期")]
    kind: Annotated[
        LogKind,
        Field(
            description="form_sent(发出填报表)、form_returned(收回填报表)、reminder_sent(发送提醒)、link_checked(检查佐证链接)"
        ),
    ]
    unit: Annotated[Text | None, Field(min_length=1, description="单位(填报表)")] = None
    period: Annotated[Text | None, Field(pattern=PERIOD_PATTERN, description="填报期(月份,如 2022-09)")] = None
    form: Annotated[Text | None, Field(description="填报表编号")] = None
    file: Annotated[Text | None, Field(description="文件")] = None
    rows: Annotated[Whole | None, Field(ge=0, description="登记的行数(收回时)")] = None
    robot: Annotated[Text | None, Field(description="工作群机器人的名称(发送提醒时;不含地址和密钥)")] = None
    units: Annotated[Names, Field(description="提醒的单位")] = ()
    tasks: Annotated[tuple[Whole, ...], Field(description="提醒的任务序号")] = ()
    code: Annotated[Whole | None, Field(description="机器人的应答码(0 为成功;-1 为未送达)")] = None
    url: Annotated[Text | None, Field(description="检查的佐证链接")] = None
    status: Annotated[Whole | None, Field(description="链接的 HTTP 状态码(没有应答时为空)")] = None
    verdict: Annotated[Verdict | None, Field(description="ok(可访问)、dead(已失效)、no_date(无发布日期)")] = None


@dataclass(frozen=True, slots=True)
class LogFile:
    """``log.yaml``."""

    __pydantic_config__ = _RECORD

    events: Annotated[tuple[LogEvent, ...], Field(description="记录,按写入顺序")] = ()


def violations(record: Any) -> list[str]:
    """The field constraints (pattern, length, range) ``record`` and the records inside it break,
    read from the same declarations Pydantic validates with, so a value built in code (a write)
    is held to the rules a value read from a file is, without Pydantic. Each as ``field: value``."""
    found: list[str] = []
    kind: type = type(record)
    types_of = hints(kind)
    for name in kind.__dataclass_fields__:  # type: ignore[attr-defined]
        value = getattr(record, name)
        for meta in getattr(types_of[name], "__metadata__", ()):
            if not _within(meta, value):
                found.append(f"{yaml_key(kind, name)}: {value!r}")
        for inner in value if isinstance(value, tuple) else ():
            if hasattr(type(inner), "__dataclass_fields__"):
                found += violations(inner)
    return found


def _within(meta: Any, value: Any) -> bool:
    if value is None:
        return True
    pattern = getattr(meta, "pattern", None)
    if pattern is not None and isinstance(value, str) and _compiled(pattern).fullmatch(value) is None:
        return False
    if isinstance(value, str | tuple):
        if len(value) < (getattr(meta, "min_length", None) or 0):
            return False
        most = getattr(meta, "max_length", None)
        if most is not None and len(value) > most:
            return False
    if isinstance(value, int) and not isinstance(value, bool):
        low, high = getattr(meta, "ge", None), getattr(meta, "le", None)
        if (low is not None and value < low) or (high is not None and value > high):
            return False
    return True


@functools.cache
def _compiled(pattern: str) -> Any:
    import re

    return re.compile(pattern.removeprefix("^").removesuffix("$"))
