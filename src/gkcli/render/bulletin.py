"""What a progress bulletin (进展通报) says, laid out once as blocks: headings numbered as official
documents number them, the figures, the sections' chart, tables and notes, built by :func:`outline`
from :mod:`gkcli.core.bulletin` (so it agrees with ``gkcli stats``). How each format says a block is
its writer's business: :mod:`.bulletin_html`, :mod:`.bulletin_markdown`, :mod:`.bulletin_word`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gkcli.core.bulletin import Bulletin, Several
from gkcli.core.queries import Item
from gkcli.core.stats import StatRow
from gkcli.domain.records import ENTRY_KIND_LABELS, LogEvent, ProgressEntry
from gkcli.domain.timeline import lead_parties, speaks_for_whole
from gkcli.render.columns import entry_text
from gkcli.render.exports import numeral
from gkcli.render.progress_table import PROGRESS_HEADERS, PROGRESS_TITLE, progress_rows

Cell = str | tuple[str, str | None]  # text, or text with a link (a progress note and where to see the work)


# ---- the blocks --------------------------------------------------------------------------


@dataclass(frozen=True)
class Title:
    text: str
    meta: str  # the plan's issuer and document number
    as_of: dt.date
    number: str | None = None  # the bulletin's own number (文号)
    to: str | None = None  # 主送机关


@dataclass(frozen=True)
class Heading:
    text: str  # with its number: 一、总体情况 (level 1), (一)红灯任务 (level 2)
    anchor: str
    dates: tuple[dt.date, ...] = ()  # dates in the text, kept whole where the format can
    level: int = 2


@dataclass(frozen=True)
class Note:
    text: str


@dataclass(frozen=True)
class Figures:
    total: StatRow


@dataclass(frozen=True)
class Chart:
    rows: list[StatRow]


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[Cell]]
    total: int  # rows in all, when ``rows`` are only the first of them
    limit: int
    classes: dict[int, str]
    cards: bool = True  # on a narrow screen, one card per row (a table of numbers stays a table)


@dataclass(frozen=True)
class Signature:
    """Who issues the bulletin, and the day it reports on."""

    issuer: str
    day: dt.date


@dataclass(frozen=True)
class Attachment:
    """An attachment's start: on paper a new page headed 附件 and the attachment's title."""

    title: str


Block = Title | Heading | Note | Figures | Chart | Table | Signature | Attachment


class _Numbered:
    """Headings numbered as official documents number them: 一、 for parts, (一) within a part."""

    def __init__(self) -> None:
        self.part = self.item = 0

    def part_heading(self, text: str, anchor: str) -> Heading:
        self.part, self.item = self.part + 1, 0
        return Heading(f"{numeral(self.part)}、{text}", anchor, level=1)

    def heading(self, text: str, anchor: str, dates: tuple[dt.date, ...] = ()) -> Heading:
        self.item += 1
        return Heading(f"({numeral(self.item)}){text}", anchor, dates)


def outline(b: Bulletin, limit: int = 0) -> list[Block]:
    """The bulletin as blocks, in order, as official bulletins (通报) are laid out: 总体情况 (the
    figures, the units' standing, sections and units), 存在问题 (red and yellow tasks, late ones,
    extensions), 本期进展, 下一步工作要求 and the progress table. Each list of tasks or entries has
    at most ``limit`` rows (0: all)."""
    plan = b.registry.plan
    unit_rows: list[list[Cell]] = [
        [r.label, str(r.lead or 0), str(r.responsible or 0), str(r.total), str(r.done), str(r.red), str(r.yellow),
         f"{r.percent_done:g}%"]
        for r in b.units
    ]  # fmt: skip
    numbers = _Numbered()
    title = b.title
    tasks = {"overdue": b.red, "left": b.yellow, "done": b.done, "late": b.late}
    blocks: list[Block] = [
        Title(title, f"{plan.issuer} {plan.document_number}", b.as_of, b.particulars.number, b.particulars.to),
        numbers.part_heading("总体情况", "overview"),
        Figures(b.total),
        Note(_standings(b)),
        numbers.heading("各小节完成情况", "sections"),
        Chart(b.sections),
        numbers.heading("各单位任务情况", "units"),
        Note(_counted_note(b)),
        Table(["单位", "牵头", "责任", "合计", "已完成", "红灯", "黄灯", "完成率"], unit_rows, len(unit_rows), 0,
              {0: "u", **dict.fromkeys(range(1, 8), "n")}, cards=False),
        numbers.heading("各单位完成情况排名", "ranking"),
        Note("按单位自身承担部分的完成率排名,完成率相同的按逾期任务少者在前;两项都相同的并列。"
             + ("成员未列出的群组(" + "、".join(_unknown_groups(b)) + ")不参加排名。" if _unknown_groups(b) else "")),
        Table(_RANK_HEADERS, _rank_rows(b), len(b.ranking), 0, {0: "n", 1: "u", **dict.fromkeys(range(2, 6), "n")},
              cards=False),
        numbers.part_heading("存在问题", "problems"),
    ]  # fmt: skip
    for tail, text in (("overdue", f"红灯任务(已逾期,{len(b.red)} 项)"), ("left", f"黄灯任务(临近到期,{len(b.yellow)} 项)"),
                       ("late", f"逾期完成的任务({len(b.late)} 项)")):  # fmt: skip
        blocks += [numbers.heading(text, tail), _task_table(b, tasks[tail], tail, limit)]
    for key, text, headers, rows, total, classes in (*_extension_sections(b, limit), *_review_sections(b, limit)):
        if total or key in ("extensions", "requests"):
            blocks += [numbers.heading(text, key), Table(headers, rows, total, limit, classes)]
    period = f"本期进展记录({b.since.isoformat()} 之后至 {b.as_of.isoformat()},{len(b.entries)} 条)"
    blocks += [
        numbers.part_heading("本期进展", "progress"),
        numbers.heading(f"本期完成的任务({len(b.done)} 项)", "done"),
        _task_table(b, b.done, "done", limit),
        numbers.heading(period, "entries", (b.since, b.as_of)),
        Table(_ENTRY_HEADERS, _entry_rows(b, limit), len(b.entries), limit, {0: "d", 1: "n", 2: "u", 3: "u", 4: "w"}),
        numbers.part_heading("下一步工作要求", "next"),
        *(Note(text) for text in b.particulars.requirements),
        *(Note(line) for line in _requests_of(b, limit)),
        Note(f"附件：{PROGRESS_TITLE}"),
        Signature(plan.issuer, b.as_of),
        Attachment(PROGRESS_TITLE),
        Table(PROGRESS_HEADERS, [list(r) for r in progress_rows(_first(b.items, limit), b.as_of, b.failed_links)],
              len(b.items), limit,
              {0: "n", 1: "w", 2: "w", 3: "w", 4: "w", 5: "w"}),
    ]  # fmt: skip
    return blocks


def _counted_note(b: Bulletin) -> str:
    """How the units' counts were made, naming the plan's own groups (a county's 县属有关单位, a
    city's 市直有关部门): never words of a level the plan is not."""
    directory = b.registry.directory
    groups = [e.name for e in directory.entities() if e.is_group and e.members_known and directory.member_units(e.name)]
    via = "经" + "".join(f"“{name}”" for name in groups) + "分派的任务计入各成员单位。" if groups else ""
    return "牵头、责任任务分开统计" + ("," + via if via else "。")


def _unknown_groups(b: Bulletin) -> list[str]:
    return [row.label for row in b.units if (found := b.registry.directory.find(row.key)) and found.is_group]


def _task_table(b: Bulletin, items: list[Item], tail: str, limit: int) -> Table:
    return Table(_task_headers(tail), _task_rows(b, items, tail, limit), len(items), limit, _task_classes(tail))


# ---- what the blocks say -----------------------------------------------------------------


def _latest(item: Item) -> Cell:
    """The latest progress known on the day: date, unit and note (and its link)."""
    entry = item.entries[-1] if item.entries else None
    if entry is None:
        return "(暂无进展)"
    return (entry_text({"on": entry.on.isoformat(), "unit": entry.unit, "kind": entry.kind, "note": entry.note}),
            entry.link)  # fmt: skip


def _leads(b: Bulletin, item: Item) -> str:
    """The lead units, and for a shared task how many of its lead parties have done their part."""
    names = "、".join(item.task.lead)
    parties = lead_parties(b.registry, item.task)
    if len(parties) < 2:
        return names
    done = len(parties) - len(item.state.parts_open) if item.state is not None else 0
    return f"{names}(牵头单位完成 {done}/{len(parties)})"


_TAILS = {"overdue": "逾期天数", "left": "剩余天数", "late": "逾期天数", "done": "完成日期"}


def _task_rows(b: Bulletin, items: list[Item], tail: str, limit: int) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for item in _first(items, limit):
        extra = {"overdue": item.days_overdue, "left": item.days_left, "late": item.days_late,
                 "done": item.done_on.isoformat() if item.done_on else ""}[tail]  # fmt: skip
        due = item.due.isoformat() if item.due else ""
        rows.append([str(item.task.id), item.task.title, _leads(b, item), due, str(extra), _latest(item)])
    return rows


def _task_headers(tail: str) -> list[str]:
    return ["序号", "重点工作", "牵头单位", "截止日期", _TAILS[tail], "最新进展"]


def _task_classes(tail: str) -> dict[int, str]:
    return {0: "n", 2: "w", 3: "d", 4: "d" if tail == "done" else "n", 5: "w"}


def _entry_rows(b: Bulletin, limit: int) -> list[list[Cell]]:
    return [
        [e.on.isoformat(), str(item.task.id), e.unit or "(整项任务)", _kind(b, item, e), (_with_due(e), e.link)]
        for item, e in _first(b.entries, limit)
    ]


def _kind(b: Bulletin, item: Item, entry: ProgressEntry) -> str:
    """The entry's kind as the bulletin says it: one unit's completion is 部分完成."""
    if entry.kind == "done" and not speaks_for_whole(b.registry, item.task, entry.unit):
        return "部分完成"
    return ENTRY_KIND_LABELS[entry.kind]


def _with_due(entry: ProgressEntry) -> str:
    return f"{entry.note}(延至 {entry.due.isoformat()})" if entry.due is not None else entry.note


_ENTRY_HEADERS = ["日期", "序号", "单位", "类别", "进展情况"]
_EXTENSION_HEADERS = ["序号", "重点工作", "单位", "原截止日期", "新截止日期", "批准日期", "理由"]
_REQUEST_HEADERS = ["序号", "重点工作", "单位", "申请日期", "申请延至", "理由"]


def _extension_rows(b: Bulletin, limit: int) -> list[list[Cell]]:
    return [
        [str(x.item.task.id), x.item.task.title, x.entry.unit or "(整项任务)", x.before.isoformat() if x.before else "",
         x.entry.due.isoformat() if x.entry.due else "", x.entry.on.isoformat(), (x.entry.note, x.entry.link)]
        for x in _first(b.extensions, limit)
    ]  # fmt: skip


def _request_rows(b: Bulletin, limit: int) -> list[list[Cell]]:
    return [
        [str(item.task.id), item.task.title, e.unit or "(整项任务)", e.on.isoformat(),
         e.due.isoformat() if e.due else "", (e.note, e.link)]
        for item, e in _first(b.requests, limit)
    ]  # fmt: skip


_Section = tuple[str, str, list[str], list[list[Cell]], int, dict[int, str]]
_DATED = {0: "n", 2: "u", 3: "d", 4: "d", 5: "d", 6: "w"}


def _extension_sections(b: Bulletin, limit: int) -> list[_Section]:
    return [
        ("extensions", f"延期的任务({len(b.extensions)} 项)", _EXTENSION_HEADERS, _extension_rows(b, limit),
         len(b.extensions), _DATED),
        ("requests", f"待批准的延期申请({len(b.requests)} 项)", _REQUEST_HEADERS, _request_rows(b, limit),
         len(b.requests), _DATED),
    ]  # fmt: skip


_CLAIM_HEADERS = ["序号", "重点工作", "单位", "申请日期", "说明"]
_ANSWER_HEADERS = ["序号", "重点工作", "单位", "答复", "日期", "理由"]
_DEAD_HEADERS = ["序号", "单位", "进展日期", "佐证链接", "检查日期"]
_MISSED_HEADERS = ["序号", "重点工作", "牵头单位", "检查节点", "未按期报送", "最新进展"]


def _review_sections(b: Bulletin, limit: int) -> list[_Section]:
    """What waits on the office or was answered in the period, and the checkpoints missed; each
    section appears only when it has rows (a plan without review or checkpoints shows none)."""
    claims = [
        [str(item.task.id), item.task.title, e.unit or "(整项任务)", e.on.isoformat(), (e.note, e.link)]
        for item, e in _first(b.claims, limit)
    ]
    answered = [
        [str(item.task.id), item.task.title, e.unit or "(整项任务)", ENTRY_KIND_LABELS[e.kind], e.on.isoformat(),
         (e.note, e.link)]
        for item, e in _first(b.answered, limit)
    ]  # fmt: skip
    missed = [
        [str(item.task.id), item.task.title, "、".join(item.task.lead),
         item.checkpoint.latest.isoformat() if item.checkpoint and item.checkpoint.latest else "",
         "、".join(item.checkpoint.missed) if item.checkpoint else "", _latest(item)]
        for item in _first(b.missed, limit)
    ]  # fmt: skip
    dead = [
        [str(item.task.id), e.unit or "(整项任务)", e.on.isoformat(), (e.link or "", e.link), checked.isoformat()]
        for item, e, checked in _first(b.dead_evidence, limit)
    ]
    return [
        ("dead_links", f"佐证链接已失效的进展记录({len(b.dead_evidence)} 条)", _DEAD_HEADERS, dead,
         len(b.dead_evidence), {0: "n", 1: "u", 2: "d", 3: "w", 4: "d"}),
        ("claims", f"待审核的销号申请({len(b.claims)} 项)", _CLAIM_HEADERS, claims, len(b.claims),
         {0: "n", 2: "u", 3: "d", 4: "w"}),
        ("answered", f"本期退回的销号申请和不予批准的延期申请({len(b.answered)} 项)", _ANSWER_HEADERS, answered,
         len(b.answered), {0: "n", 2: "u", 3: "u", 4: "d", 5: "w"}),
        ("checkpoints", f"检查节点未按期报送的任务({len(b.missed)} 项)", _MISSED_HEADERS, missed, len(b.missed),
         {0: "n", 2: "w", 3: "d", 4: "u", 5: "w"}),
    ]  # fmt: skip


def _first(rows: Sequence[Any], limit: int) -> Sequence[Any]:
    """The first ``limit`` rows of a list (all when 0): a province's bulletin would otherwise run to
    hundreds of pages."""
    return rows[:limit] if limit else rows


def more_note(total: int, limit: int) -> str | None:
    """What to say under a list cut to ``limit`` of ``total`` rows (None when nothing was left out)."""
    return f"共 {total} 项,这里列出前 {limit} 项;全部列出: gkcli report --limit 0" if limit and total > limit else None


def _percent(done: int, total: int) -> str:
    return f"{round(100 * done / total, 1) if total else 0.0:g}%"


_NAMED = 5  # units named in a sentence of the overview before "等 N 个单位"


def _names(names: list[str]) -> str:
    shown = "、".join(names[:_NAMED])
    return shown + (f"等 {len(names)} 个单位" if len(names) > _NAMED else "")


def _standings(b: Bulletin) -> str:
    """The overview's sentence on the units: the best by their own parts done, the most overdue."""
    top = [r for r in b.ranking if r.place == 1 and r.row.done]
    said = (
        f"自身任务完成率最高的单位: {_names([r.row.label for r in top])}({_percent(top[0].row.done, top[0].row.total)})"
        if top
        else "各单位尚无登记完成的任务"
    )
    most = max((r.row.red for r in b.ranking), default=0)
    if most:
        worst = [r.row.label for r in b.ranking if r.row.red == most]
        said += f";逾期任务最多的单位: {_names(worst)}(各 {most} 项)" if len(worst) > 1 else (
            f";逾期任务最多的单位: {worst[0]}({most} 项)")  # fmt: skip
    else:
        said += ";没有单位有逾期任务"
    return said + "。"


_RANK_HEADERS = ["名次", "单位", "任务", "已完成", "完成率", "逾期"]


def _rank_rows(b: Bulletin | Several) -> list[list[Cell]]:
    return [
        [str(r.place), r.row.label, str(r.row.total), str(r.row.done), _percent(r.row.done, r.row.total),
         str(r.row.red)]
        for r in b.ranking
    ]  # fmt: skip


def _when_due(item: Item) -> str:
    due = item.due.isoformat() if item.due else ""
    return f"{due} 到期" if item.days_left == 0 else f"{due} 到期,还有 {item.days_left} 天"


def _requests_of(b: Bulletin, limit: int) -> list[str]:
    """The next steps the bulletin asks for: each overdue task with the units whose part is open,
    then each task due soon (at most ``limit`` of each)."""
    lines = [
        f"序号 {item.task.id}(已逾期 {item.days_overdue} 天):请{'、'.join(names)}抓紧办结,完成后及时登记。"
        for item, names in _first(b.overdue_owed, limit)
    ]
    lines += filter(None, [more_note(len(b.overdue_owed), limit)])
    lines += [
        f"序号 {item.task.id}({_when_due(item)}):请{'、'.join(names)}按期完成。"
        for item, names in _first(b.due_soon_owed, limit)
    ]
    lines += filter(None, [more_note(len(b.due_soon_owed), limit)])
    lines += [
        f"序号 {item.task.id}(检查节点 {item.checkpoint.latest.isoformat()} 未按期报送):"
        f"请{'、'.join(item.checkpoint.missed)}及时报送进展。"
        for item in _first(b.missed, limit)
        if item.checkpoint is not None and item.checkpoint.latest is not None
    ]
    lines += filter(None, [more_note(len(b.missed), limit)])
    if b.claims:
        lines.append(f"待审核的销号申请 {len(b.claims)} 项,请统筹单位核实佐证材料后及时销号或退回。")
    if b.dead_evidence:
        owners = list(dict.fromkeys(e.unit or "统筹单位" for _, e, _ in b.dead_evidence))
        lines.append(f"佐证链接已失效的进展记录 {len(b.dead_evidence)} 条,请{'、'.join(owners)}更新佐证链接。")
    lines += [_reminded(e) for e in b.reminded]
    return lines or ["各单位暂无逾期或临近到期的任务,请按计划继续推进。"]


def _reminded(event: LogEvent) -> str:
    """A reminder sent to a work group in the period, as the bulletin says it."""
    what = f"催交 {event.period} 填报表" if event.period else f"提醒 {len(event.tasks)} 项任务"
    units = f"{event.units[0]}等 {len(event.units)} 个单位" if len(event.units) > 1 else "".join(event.units)
    result = "已送达" if event.code == 0 else f"未送达(应答码 {event.code})"
    return f"{event.on.isoformat()} 已通过工作群“{event.robot}”{what}({units}),{result}。"


def figures_sentence(t: StatRow) -> str:
    carried = f",已结转下一年度 {t.carried} 项" if t.carried else ""
    return (
        f"全部任务 {t.total} 项:已完成 {t.done} 项({t.percent_done:g}%,其中逾期完成 {t.done_late} 项),"
        f"红灯 {t.red} 项,黄灯 {t.yellow} 项,绿灯 {t.green} 项{carried}。"
    )


CHART_HEADERS = ["小节", "标题", "任务", "已完成", "红灯", "黄灯", "完成率"]


def chart_rows(rows: list[StatRow]) -> list[list[str]]:
    return [[r.key, r.label, str(r.total), str(r.done), str(r.red), str(r.yellow), f"{r.percent_done:g}%"]
            for r in rows]  # fmt: skip


# ---- one bulletin over several plans -------------------------------------------------------------

_PLAN_HEADERS = ["要点", "任务", "已完成", "红灯", "黄灯", "完成率"]


def outline_of(b: Bulletin | Several, limit: int = 0) -> list[Block]:
    """The blocks of a bulletin over one plan or several."""
    return outline_several(b, limit) if isinstance(b, Several) else outline(b, limit)


def outline_several(s: Several, limit: int = 0) -> list[Block]:
    """One bulletin over several plans: 总体情况 (each plan's figures, and the units ranked over all
    the plans), 各要点落实情况 (a section per plan: its figures, red and yellow tasks), 下一步工作要求
    (each plan's, named by plan) and each plan's progress table as an attachment of its own."""
    numbers = _Numbered()
    plan_rows: list[list[Cell]] = [
        [b.registry.plan.title, str(b.total.total), str(b.total.done), str(b.total.red), str(b.total.yellow),
         f"{b.total.percent_done:g}%"]
        for _, b in s.bulletins
    ]  # fmt: skip
    blocks: list[Block] = [
        Title(s.title, "、".join(f"{b.registry.plan.issuer} {b.registry.plan.document_number}" for _, b in s.bulletins),
              s.as_of, s.particulars.number, s.particulars.to),
        numbers.part_heading("总体情况", "overview"),
        numbers.heading("各要点完成情况", "plans"),
        Table(_PLAN_HEADERS, plan_rows, len(plan_rows), 0, {0: "w", **dict.fromkeys(range(1, 6), "n")}, cards=False),
        numbers.heading("各单位完成情况排名", "ranking"),
        Note("按各单位在全部要点中自身承担部分的完成率排名,完成率相同的按逾期任务少者在前;两项都相同的并列。"
             "同一单位在几份要点中的任务合并计算;成员未列出的群组不参加排名。"),
        Table(_RANK_HEADERS, _rank_rows(s), len(s.ranking), 0, {0: "n", 1: "u", **dict.fromkeys(range(2, 6), "n")},
              cards=False),
        numbers.part_heading("各要点落实情况", "sections"),
    ]  # fmt: skip
    for plan_id, b in s.bulletins:
        blocks += [
            numbers.heading(b.registry.plan.title, f"plan-{plan_id}"),
            Figures(b.total),
            Note(f"红灯任务(已逾期,{len(b.red)} 项):"),
            _task_table(b, b.red, "overdue", limit),
            Note(f"黄灯任务(临近到期,{len(b.yellow)} 项):"),
            _task_table(b, b.yellow, "left", limit),
        ]
    blocks.append(numbers.part_heading("下一步工作要求", "next"))
    blocks += [Note(text) for text in s.particulars.requirements]
    for _, b in s.bulletins:
        blocks += [Note(f"{b.registry.plan.title}:{line}") for line in _requests_of(b, limit)]
    attachments = [f"{b.registry.plan.title}{PROGRESS_TITLE}" for _, b in s.bulletins]
    blocks.append(Note("附件:" + ";".join(f"{n}. {t}" for n, t in enumerate(attachments, 1))))
    blocks.append(Signature(s.issuer, s.as_of))
    for (_, b), title in zip(s.bulletins, attachments, strict=True):
        blocks += [
            Attachment(title),
            Table(PROGRESS_HEADERS, [list(r) for r in progress_rows(_first(b.items, limit), b.as_of, b.failed_links)],
                  len(b.items), limit, {0: "n", 1: "w", 2: "w", 3: "w", 4: "w", 5: "w"}),
        ]  # fmt: skip
    return blocks
