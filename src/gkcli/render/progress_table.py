"""The progress table (进展情况表): one row per task, every cell from the registry on the day.

Offices send it with a bulletin or on its own, with the columns 序号 / 任务内容 / 责任单位 /
完成情况 / 存在问题及困难 / 下一步工作: the status and latest entry, overdue days, the extension in
force or the request waiting, the date now due. Nothing is written in that the record does not say."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from gkcli.core.bulletin import ProgressRow, progress_row
from gkcli.core.queries import Item
from gkcli.domain.records import STATUS_LABELS, Task
from gkcli.render.docx import Document
from gkcli.render.exports import Source, numeral

PROGRESS_TITLE = "重点工作进展情况表"
PROGRESS_HEADERS = ["序号", "任务内容", "责任单位", "完成情况", "存在问题及困难", "下一步工作"]


def _units_cell(task: Task) -> str:
    lead = "、".join(task.lead)
    return f"牵头: {lead};责任: {'、'.join(task.responsible)}" if task.responsible else lead


def _done_cell(item: Item) -> str:
    """完成情况: the status on the day and the latest entry."""
    latest = item.entries[-1] if item.entries else None
    said = f"{latest.on.isoformat()} {latest.unit + ':' if latest.unit else ''}{latest.note}" if latest else ""
    if item.status == "done" and item.done_on is not None:
        head = f"已完成({item.done_on.isoformat()})"
    else:
        head = STATUS_LABELS[item.status]
    return f"{head}。{said}" if said else head


def _problems_cell(row: ProgressRow) -> str:
    """存在问题及困难: what the record shows is wrong or waiting (overdue, late, extended, a request)."""
    item, found = row.item, []
    if row.days_overdue:
        found.append(f"已逾期 {row.days_overdue} 天")
    if item.days_late:
        found.append(f"逾期 {item.days_late} 天完成")
    if row.extension is not None and row.extension.due is not None:
        who = f"{row.extension.unit} " if row.extension.unit else ""
        found.append(f"{who}延期至 {row.extension.due.isoformat()}({row.extension.note})")
    if row.request is not None and row.request.due is not None:
        who = f"{row.request.unit} " if row.request.unit else ""
        found.append(f"{who}申请延期至 {row.request.due.isoformat()},待批准({row.request.note})")
    state = item.state
    if state is not None:
        found += [f"{e.unit or '整项任务'} {e.on.isoformat()} 申请销号,待审核" for e in state.claims]
        found += [f"{e.unit or '整项任务'}的销号申请于 {e.on.isoformat()} 被退回({e.note})" for e in state.returned]
    if item.checkpoint is not None and item.checkpoint.missed and item.checkpoint.latest is not None:
        found.append(f"检查节点 {item.checkpoint.latest.isoformat()} 未按期报送: {'、'.join(item.checkpoint.missed)}")
    return ";".join(found)


def _next_cell(item: Item) -> str:
    """下一步工作: for an open task, the date it is now due (and its next checkpoint); for one carried
    over, the task continuing it."""
    if item.status == "carried_over":
        return item.state.carried.note if item.state is not None and item.state.carried is not None else ""
    if item.status == "done":
        return ""
    upcoming = item.checkpoint.upcoming if item.checkpoint is not None else None
    if upcoming is not None and (item.due is None or upcoming < item.due):
        return f"{upcoming.isoformat()} 前报送进展;" + (
            f"持续推进({item.task.deadline})" if item.due is None else f"{item.due.isoformat()} 前完成"
        )
    if item.due is None:
        return f"持续推进({item.task.deadline})"
    return f"{item.due.isoformat()} 前完成"


def progress_rows(
    items: Sequence[Item], as_of: dt.date, failed_links: Mapping[str, dt.date] | None = None
) -> list[list[str]]:
    """The progress table's rows on ``as_of``: one per task, in the order given; ``failed_links``:
    evidence found dead at its last check, and when (marked where an entry cites it)."""
    rows = []
    for item in items:
        row = progress_row(item, as_of)
        problems = _problems_cell(row)
        dead = [f"{e.unit or '整项任务'} {e.on.isoformat()} 的佐证链接已失效({failed_links[e.link].isoformat()} 检查)"
                for e in item.entries if e.link and failed_links and e.link in failed_links]  # fmt: skip
        problems = ";".join(filter(None, [problems, *dead]))
        rows.append([str(item.task.id), item.task.title, _units_cell(item.task), _done_cell(item), problems,
                     _next_cell(item)])  # fmt: skip
    return rows


def to_docx(sources: Sequence[Source], unit: str | None = None, as_of: dt.date | None = None) -> bytes:
    """The progress table of these tasks (a unit's, when ``unit`` is named) as a Word document in the
    official layout, on ``as_of``: the title, the day, the table with its header on every page; with
    several plans, a table under each plan's name."""
    first = sources[0].registry.plan
    day = as_of or dt.date(first.year, 12, 31)
    several = len(sources) > 1
    title = PROGRESS_TITLE if several else f"{first.title}{PROGRESS_TITLE}"
    document = Document(title, first.issuer, day, landscape=True)  # six columns of text: landscape pages
    document.title_block(title, f"({unit + ',' if unit else ''}统计截至 {day.year}年{day.month}月{day.day}日)")
    for n, source in enumerate(sources, 1):
        if several:
            plan = source.registry.plan
            document.heading(f"{numeral(n)}、{plan.title}({plan.document_number})", 1)
        if source.items:
            document.table(PROGRESS_HEADERS, progress_rows(source.items, day, source.failed_links), centred=[0])
        else:
            document.paragraph("没有符合条件的任务。")
    return document.package()
