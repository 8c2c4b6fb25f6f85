"""The progress bulletin (进展通报) laid out. :func:`outline` builds it once, as blocks (headings,
the figures, the sections' chart, tables, notes) from :mod:`gkcli.core.bulletin`, so it agrees with
``gkcli stats``; each format is a writer of those blocks: a self-contained HTML page
(:func:`to_html`) and Markdown (:func:`to_markdown`)."""

from __future__ import annotations

import datetime as dt
import functools
import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gkcli.core.bulletin import Bulletin
from gkcli.core.queries import Item
from gkcli.core.stats import StatRow
from gkcli.domain.records import ENTRY_KIND_LABELS, ProgressEntry
from gkcli.domain.timeline import lead_parties, speaks_for_whole
from gkcli.render.columns import entry_text
from gkcli.render.docx import Document
from gkcli.render.exports import numeral
from gkcli.render.formats import RawMarkdown, markdown_cell, markdown_link, markdown_table
from gkcli.render.progress_table import PROGRESS_HEADERS, PROGRESS_TITLE, progress_rows
from gkcli.text import terminal_safe

_LABELS = {"done": "已完成", "red": "红灯(逾期)", "yellow": "黄灯(临近)", "green": "绿灯(正常)"}


# ---- HTML ---------------------------------------------------------------------------------


def _e(value: object) -> str:
    return _escaped(str(value))


@functools.lru_cache(maxsize=4096)
def _escaped(text: str) -> str:
    """Text for HTML; remembered, as a bulletin repeats unit names, dates and notes thousands of times."""
    return html.escape(terminal_safe(text), quote=True)


def _stack_bar(row: StatRow) -> str:
    """The whole plan as one bar of done / red / yellow / green, with a text alternative."""
    parts = [
        (k, n) for k, n in (("done", row.done), ("red", row.red), ("yellow", row.yellow), ("green", row.green)) if n
    ]
    label = ",".join(f"{_LABELS[k]} {n} 项" for k, n in parts) or "暂无任务"
    segments = "".join(
        f'<i class="{k}" style="width:{100 * n / row.total:.2f}%" title="{_e(_LABELS[k])} {n} 项"></i>'
        for k, n in parts
    )
    return f'<div class="stack" role="img" aria-label="{_e(label)}">{segments}</div>'


def _section_chart(rows: list[StatRow]) -> str:
    """Percent done per section: the section's number and title (whole on hover), a bar, the count."""
    lines = "".join(
        f'<li><span class="k" title="{_e(row.key)} {_e(row.label)}">{_e(row.key)} {_e(row.label)}</span>'
        f'<span class="track"><i style="width:{row.percent_done:g}%"></i></span>'
        f'<span class="p">{row.percent_done:g}%({row.done}/{row.total})</span></li>'
        for row in rows
    )
    return f'<ul class="chart" aria-label="各小节完成率">{lines}</ul>'


# Narrow screens (a phone at 390 px) show each table row as a card of "header: value" lines;
# dates and unit names never break inside; printing keeps each heading with what follows it.
_CSS = """
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0 auto;max-width:1100px;
padding:16px;color:#222;line-height:1.6;-webkit-print-color-adjust:exact;print-color-adjust:exact}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;border-left:4px solid #c62828;padding-left:8px;margin-top:1.6em;
break-after:avoid}h3{font-size:1.05em;margin:1.2em 0 .4em;break-after:avoid}.sign{text-align:right;margin:1.5em 4em 0 0}
h2.attachment{break-before:page}
.meta{color:#555}.cards{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0}
.card{flex:1 1 100px;box-sizing:border-box;border:1px solid #ddd;border-radius:6px;padding:8px 12px}
.card b{display:block;font-size:1.6em}.red b{color:#c62828}.yellow b{color:#b28704}.done b{color:#2e7d32}
.stack{display:flex;height:22px;background:#eee;border-radius:3px;overflow:hidden}.stack i{display:block}
i.done{background:#2e7d32}i.red{background:#c62828}i.yellow{background:#f9a825}i.green{background:#81c784}
.legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:12px;height:12px;
margin-right:4px;vertical-align:middle}
.chart{list-style:none;padding:0;margin:0}
.chart li{display:grid;grid-template-columns:minmax(0,28em) minmax(6em,1fr) 7.5em;gap:4px 10px;align-items:center;
padding:2px 0;break-inside:avoid}
.chart .k{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.chart .track{height:14px;background:#eee;border-radius:3px;overflow:hidden}.chart .track i{display:block;height:100%;
background:#2e7d32}.chart .p{white-space:nowrap;text-align:right;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.92em}
th,td{border:1px solid #ccc;padding:4px 6px;vertical-align:top}th{background:#f3f3f3;white-space:nowrap}
td.n{text-align:right;white-space:nowrap}td.d,td.u{white-space:nowrap}td.w{min-width:8em}
tr{break-inside:avoid}.none,.more{color:#777}.intro{break-after:avoid}
@media (max-width:640px){
.chart li{grid-template-columns:1fr 7.5em}.chart .k{grid-column:1/-1;white-space:normal}
.rows,.rows tbody,.rows tr,.rows td{display:block}.rows thead{display:none}.rows tr{border:1px solid #ccc;
border-radius:6px;margin:0 0 8px;padding:4px 8px}.rows td{border:0;padding:1px 0;display:grid;
grid-template-columns:5.5em 1fr;gap:6px}.rows td.n,.rows td.d{text-align:left}.rows td.u{white-space:normal}
.rows td::before{content:attr(data-label);color:#666}.grid{font-size:.8em}.grid th{white-space:normal}
.grid th,.grid td{padding:3px 4px}
}
@page{size:A4;margin:15mm}
@media print{body{max-width:none;padding:0}.scroll{overflow:visible}.chart .k{white-space:normal}thead{display:table-header-group}
a[href]::after{content:"(" attr(href) ")";word-break:break-all;color:#555}}
time{white-space:nowrap}
"""


Cell = str | tuple[str, str | None]  # text, or text with a link (a progress note and where to see the work)


def _html_cell(cell: Cell) -> str:
    if isinstance(cell, tuple):
        text, link = cell
        anchor = (
            f' <a href="{html.escape(link, quote=True)}" rel="noopener">链接</a>' if link else ""
        )  # on paper: the address
        return _e(text) + anchor
    return _e(cell)


def _table(
    headers: list[str], rows: Sequence[Sequence[Cell]], classes: dict[int, str] | None = None, *, cards: bool = True
) -> str:
    """A table whose cells carry their header (for the card layout on narrow screens); ``classes``
    marks columns as numbers ``n``, dates ``d``, unit names ``u`` or wide text ``w``. A table of
    numbers (``cards=False``) stays a table on narrow screens, in smaller type."""
    classes = classes or {}
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)

    css = {n: f' class="{name}"' for n, name in classes.items()}
    opening = [f'<td{css.get(n, "")} data-label="{_e(h)}">' for n, h in enumerate(headers)]  # once per column
    parts: list[str] = []  # one join at the end: a province's bulletin has tens of thousands of cells
    for row in rows:
        parts.append("<tr>")
        for start, value in zip(opening, row, strict=False):
            parts += (start, _html_cell(value) if type(value) is tuple else _e(value), "</td>")
        parts.append("</tr>")
    body = "".join(parts)
    kind = "rows" if cards else "grid"
    return (
        f'<div class="scroll"><table class="{kind}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'
    )


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


def _extension_sections(b: Bulletin, limit: int) -> list[tuple[str, str, list[str], list[list[Cell]], int]]:
    return [
        ("extensions", f"延期的任务({len(b.extensions)} 项)", _EXTENSION_HEADERS, _extension_rows(b, limit),
         len(b.extensions)),
        ("requests", f"待批准的延期申请({len(b.requests)} 项)", _REQUEST_HEADERS, _request_rows(b, limit),
         len(b.requests)),
    ]  # fmt: skip


def _first(rows: Sequence[Any], limit: int) -> Sequence[Any]:
    """The first ``limit`` rows of a list (all when 0): a province's bulletin would otherwise run to
    hundreds of pages."""
    return rows[:limit] if limit else rows


def _more(total: int, limit: int) -> str | None:
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


def _rank_rows(b: Bulletin) -> list[list[Cell]]:
    return [
        [str(r.place), r.row.label, str(r.row.total), str(r.row.done), _percent(r.row.done, r.row.total),
         str(r.row.red)]
        for r in b.ranking
    ]  # fmt: skip


def _when_due(item: Item) -> str:
    due = item.due.isoformat() if item.due else ""
    return f"今天({due})到期" if item.days_left == 0 else f"{due} 到期,还有 {item.days_left} 天"


def _requests_of(b: Bulletin, limit: int) -> list[str]:
    """The next steps the bulletin asks for: each overdue task with the units whose part is open,
    then each task due soon (at most ``limit`` of each)."""
    lines = [
        f"序号 {item.task.id}(已逾期 {item.days_overdue} 天):请{'、'.join(names)}抓紧办结,完成后及时登记。"
        for item, names in _first(b.overdue_owed, limit)
    ]
    lines += filter(None, [_more(len(b.overdue_owed), limit)])
    lines += [
        f"序号 {item.task.id}({_when_due(item)}):请{'、'.join(names)}按期完成。"
        for item, names in _first(b.due_soon_owed, limit)
    ]
    lines += filter(None, [_more(len(b.due_soon_owed), limit)])
    return lines or ["各单位暂无逾期或临近到期的任务,请按计划继续推进。"]


# ---- the outline -------------------------------------------------------------------------


@dataclass(frozen=True)
class Title:
    text: str
    meta: str  # issuer and document number
    as_of: dt.date


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
    title = f"{plan.title}进展通报" + (f"({b.period})" if b.period else "")
    tasks = {"overdue": b.red, "left": b.yellow, "done": b.done, "late": b.late}
    blocks: list[Block] = [
        Title(title, f"{plan.issuer} {plan.document_number}", b.as_of),
        numbers.part_heading("总体情况", "overview"),
        Figures(b.total),
        Note(_standings(b)),
        numbers.heading("各小节完成情况", "sections"),
        Chart(b.sections),
        numbers.heading("各单位任务情况", "units"),
        Note("牵头、责任任务分开统计,经“县属有关单位”“各乡镇人民政府”分派的任务计入各成员单位。"),
        Table(["单位", "牵头", "责任", "合计", "已完成", "红灯", "黄灯", "完成率"], unit_rows, len(unit_rows), 0,
              {0: "u", **dict.fromkeys(range(1, 8), "n")}, cards=False),
        numbers.heading("各单位完成情况排名", "ranking"),
        Note("按单位自身承担部分的完成率排名,完成率相同的按逾期任务少者在前;两项都相同的并列。"),
        Table(_RANK_HEADERS, _rank_rows(b), len(b.ranking), 0, {0: "n", 1: "u", **dict.fromkeys(range(2, 6), "n")},
              cards=False),
        numbers.part_heading("存在问题", "problems"),
    ]  # fmt: skip
    for tail, text in (("overdue", f"红灯任务(已逾期,{len(b.red)} 项)"), ("left", f"黄灯任务(临近到期,{len(b.yellow)} 项)"),
                       ("late", f"逾期完成的任务({len(b.late)} 项)")):  # fmt: skip
        blocks += [numbers.heading(text, tail), _task_table(b, tasks[tail], tail, limit)]
    for key, text, headers, rows, total in _extension_sections(b, limit):
        blocks += [
            numbers.heading(text, key),
            Table(headers, rows, total, limit, {0: "n", 2: "u", 3: "d", 4: "d", 5: "d", 6: "w"}),
        ]
    period = f"本期进展记录({b.since.isoformat()} 之后至 {b.as_of.isoformat()},{len(b.entries)} 条)"
    blocks += [
        numbers.part_heading("本期进展", "progress"),
        numbers.heading(f"本期完成的任务({len(b.done)} 项)", "done"),
        _task_table(b, b.done, "done", limit),
        numbers.heading(period, "entries", (b.since, b.as_of)),
        Table(_ENTRY_HEADERS, _entry_rows(b, limit), len(b.entries), limit, {0: "d", 1: "n", 2: "u", 3: "u", 4: "w"}),
        numbers.part_heading("下一步工作要求", "next"),
        *(Note(line) for line in _requests_of(b, limit)),
        Note(f"附件: {PROGRESS_TITLE}"),
        Signature(plan.issuer, b.as_of),
        Attachment(PROGRESS_TITLE),
        Table(PROGRESS_HEADERS, [list(r) for r in progress_rows(_first(b.items, limit), b.as_of)], len(b.items), limit,
              {0: "n", 1: "w", 2: "w", 3: "w", 4: "w", 5: "w"}),
    ]  # fmt: skip
    return blocks


def _task_table(b: Bulletin, items: list[Item], tail: str, limit: int) -> Table:
    return Table(_task_headers(tail), _task_rows(b, items, tail, limit), len(items), limit, _task_classes(tail))


# ---- HTML -------------------------------------------------------------------------------------


def to_html(b: Bulletin, limit: int = 0) -> str:
    """The bulletin as one HTML page: styles and charts inside, no script, nothing fetched."""
    blocks = outline(b, limit)
    title = next(block for block in blocks if isinstance(block, Title))
    head = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title.text)}({title.as_of.isoformat()})</title>",
        f"<style>{_CSS}</style></head><body>",
    ]
    return "\n".join([*head, *(_html_block(block) for block in blocks), "</body></html>"]) + "\n"


@functools.singledispatch
def _html_block(block: object) -> str:
    raise TypeError(type(block).__name__)  # pragma: no cover - every kind of block has a writer


@_html_block.register
def _(block: Title) -> str:
    day = block.as_of.isoformat()
    return (
        f"<h1>{_e(block.text)}</h1>\n"
        f'<p class="meta">{_e(block.meta)} · 统计截至 <time datetime="{day}">{day}</time></p>'
    )


@_html_block.register
def _(block: Heading) -> str:
    text = _e(block.text)
    for day in block.dates:
        text = text.replace(day.isoformat(), _date(day), 1)
    tag = "h2" if block.level == 1 else "h3"
    return f'<{tag} id="{block.anchor}">{text}</{tag}>'


@_html_block.register
def _(block: Signature) -> str:
    return f'<p class="sign">{_e(block.issuer)}<br>{_date(block.day)}</p>'


@_html_block.register
def _(block: Attachment) -> str:
    return f'<h2 id="attachment" class="attachment">附件: {_e(block.title)}</h2>'


@_html_block.register
def _(block: Note) -> str:
    return f'<p class="intro">{_e(block.text)}</p>'


@_html_block.register
def _(block: Figures) -> str:
    t = block.total
    cards = [("全部任务", t.total, ""), ("已完成", f"{t.done}({t.percent_done:g}%)", "done"), ("红灯", t.red, "red"),
             ("黄灯", t.yellow, "yellow"), ("绿灯", t.green, ""), ("逾期完成", t.done_late, "")]  # fmt: skip
    legend = "".join(f'<span><i class="{k}"></i>{_e(v)}</span>' for k, v in _LABELS.items())
    boxes = "".join(
        f'<div class="card {c}"><span>{_e(k)}</span><b data-stat="{_e(k)}">{_e(v)}</b></div>' for k, v, c in cards
    )
    return f'<div class="cards">{boxes}</div>\n{_stack_bar(t)}\n<p class="legend">{legend}</p>'


@_html_block.register
def _(block: Chart) -> str:
    return _section_chart(block.rows)


@_html_block.register
def _(block: Table) -> str:
    if not block.rows:
        return '<p class="none">无</p>'
    note = _more(block.total, block.limit)
    return _table(block.headers, block.rows, block.classes, cards=block.cards) + (
        f'<p class="more">{_e(note)}</p>' if note else ""
    )


def _date(day: object) -> str:
    """A date that never breaks across lines."""
    text = day.isoformat() if hasattr(day, "isoformat") else str(day)
    return f'<time datetime="{_e(text)}">{_e(text)}</time>'


# ---- Markdown ---------------------------------------------------------------------------------


def _md_cell(cell: Cell) -> str:
    if isinstance(cell, tuple):
        text, link = cell
        return markdown_cell(text) + (" " + markdown_link(link) if link else "")
    return markdown_cell(cell)


def to_markdown(b: Bulletin, limit: int = 0) -> str:
    """The bulletin as Markdown, from the same outline."""
    out: list[str] = []
    for block in outline(b, limit):
        out += _md_block(block)
    return "\n".join(out)


@functools.singledispatch
def _md_block(block: object) -> list[str]:
    raise TypeError(type(block).__name__)  # pragma: no cover - every kind of block has a writer


@_md_block.register
def _(block: Title) -> list[str]:
    return [
        f"# {markdown_cell(block.text)}",
        "",
        f"{markdown_cell(block.meta)},统计截至 {block.as_of.isoformat()}",
        "",
    ]


@_md_block.register
def _(block: Heading) -> list[str]:
    return [f"{'##' if block.level == 1 else '###'} {markdown_cell(block.text)}", ""]


@_md_block.register
def _(block: Signature) -> list[str]:
    return [markdown_cell(block.issuer) + "  ", block.day.isoformat(), ""]


@_md_block.register
def _(block: Attachment) -> list[str]:
    return [f"## 附件: {markdown_cell(block.title)}", ""]


@_md_block.register
def _(block: Note) -> list[str]:
    return [markdown_cell(block.text), ""]


def _figures_text(t: StatRow) -> str:
    return (
        f"全部任务 {t.total} 项:已完成 {t.done} 项({t.percent_done:g}%,其中逾期完成 {t.done_late} 项),"
        f"红灯 {t.red} 项,黄灯 {t.yellow} 项,绿灯 {t.green} 项。"
    )


_CHART_HEADERS = ["小节", "标题", "任务", "已完成", "红灯", "黄灯", "完成率"]


def _chart_rows(rows: list[StatRow]) -> list[list[str]]:
    return [[r.key, r.label, str(r.total), str(r.done), str(r.red), str(r.yellow), f"{r.percent_done:g}%"]
            for r in rows]  # fmt: skip


@_md_block.register
def _(block: Figures) -> list[str]:
    return [_figures_text(block.total), ""]


@_md_block.register
def _(block: Chart) -> list[str]:
    return [markdown_table(_CHART_HEADERS, _chart_rows(block.rows))]


@_md_block.register
def _(block: Table) -> list[str]:
    if not block.rows:
        return ["无", ""]
    note = _more(block.total, block.limit)
    table = markdown_table(block.headers, [[RawMarkdown(_md_cell(c)) for c in row] for row in block.rows])
    return [table, *([note, ""] if note else [])]


# ---- Word (公文) ------------------------------------------------------------------------------


def to_docx(b: Bulletin, limit: int = 0) -> bytes:
    """The bulletin as a Word document in the official layout (see :mod:`gkcli.render.docx`)."""
    blocks = outline(b, limit)
    title = next(block for block in blocks if isinstance(block, Title))
    document = Document(title.text, b.registry.plan.issuer, b.as_of)
    for block in blocks:
        _docx_block(block, document)
    return document.package()


def _docx_text(cell: Cell) -> str:
    """A cell as plain text: on paper a link is its address."""
    if isinstance(cell, tuple):
        text, link = cell
        return f"{text}(链接: {link})" if link else text
    return cell


@functools.singledispatch
def _docx_block(block: object, document: Document) -> None:
    raise TypeError(type(block).__name__)  # pragma: no cover - every kind of block has a writer


@_docx_block.register
def _(block: Title, document: Document) -> None:
    document.title_block(block.text, f"(统计截至 {block.as_of.year}年{block.as_of.month}月{block.as_of.day}日)")


@_docx_block.register
def _(block: Heading, document: Document) -> None:
    document.heading(block.text, block.level)


@_docx_block.register
def _(block: Note, document: Document) -> None:
    document.paragraph(block.text)


@_docx_block.register
def _(block: Figures, document: Document) -> None:
    document.paragraph(_figures_text(block.total))


@_docx_block.register
def _(block: Chart, document: Document) -> None:
    document.table(_CHART_HEADERS, _chart_rows(block.rows), centred=range(2, 7))


@_docx_block.register
def _(block: Table, document: Document) -> None:
    if not block.rows:
        document.paragraph("无。")
        return
    centred = [n for n, kind in block.classes.items() if kind in ("n", "d")]
    document.table(block.headers, [[_docx_text(c) for c in row] for row in block.rows], centred=centred)
    note = _more(block.total, block.limit)
    if note:
        document.paragraph(note)


@_docx_block.register
def _(block: Signature, document: Document) -> None:
    document.signature(block.issuer, block.day)


@_docx_block.register
def _(block: Attachment, document: Document) -> None:
    document.page_break()
    document.paragraph("附件", "Label")
    document.title_block(block.title)


def html_file(b: Bulletin, limit: int = 0) -> bytes:
    return to_html(b, limit).encode("utf-8")


def markdown_file(b: Bulletin, limit: int = 0) -> bytes:
    return to_markdown(b, limit).encode("utf-8")
