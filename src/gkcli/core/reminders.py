"""What a unit is reminded of, in words: its red tasks (overdue, or a checkpoint missed) and its
yellow ones (due soon, or a checkpoint near), leads first. ``remind`` prints them and ``notify``
sends them (:mod:`gkcli.core.notify`); both say the same."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gkcli.core.queries import Item, Reminder
from gkcli.domain.records import ROLE_LABELS


def _red_tail(item: Item) -> str:
    if item.days_overdue is not None:
        return f"已逾期 {item.days_overdue} 天"
    found = item.checkpoint
    latest = found.latest.isoformat() if found is not None and found.latest is not None else ""
    return f"检查节点 {latest} 前未报送进展"


def _yellow_tail(item: Item) -> str:
    found = item.checkpoint
    if (
        found is not None
        and found.upcoming is not None
        and found.owing
        and (item.due is None or found.upcoming < item.due)
    ):
        return f"请于检查节点 {found.upcoming.isoformat()} 前报送进展"
    return "今天到期" if item.days_left == 0 else f"还剩 {item.days_left} 天"


def _task_line(n: int, item: Item, tail: str) -> str:
    role = ROLE_LABELS.get(str(item.role), "")
    via = f",经{item.via}" if item.via else ""
    due = item.due.isoformat() if item.due else None
    which = f"{item.plan}:{item.task.id}" if item.plan else str(item.task.id)
    return f"{n}. 任务{which}【{role}{via}】{item.task.title}(截止 {due},{tail})"


@dataclass(frozen=True)
class Wording:
    """One unit's reminder: its heading, then groups of lines (a group's first line heads it)."""

    unit: str
    heading: str
    groups: list[list[str]]
    closing: str = "请抓紧办理,并及时报送进展。"


def reminder_lines(reminder: Reminder, as_of: dt.date, within_days: int) -> Wording:
    """What a unit is reminded of: its red tasks (overdue, or a checkpoint missed), then its yellow
    ones (due soon, or a checkpoint near), leads first."""
    groups: list[list[str]] = []
    if reminder.red:
        overdue = all(i.days_overdue is not None for i in reminder.red)
        head = f"红灯:{'已逾期 ' if overdue else ''}{len(reminder.red)} 项"
        groups.append([head, *(_task_line(n, i, _red_tail(i)) for n, i in enumerate(reminder.red, 1))])
    if reminder.yellow:
        checked = any(_yellow_tail(i).startswith("请于") for i in reminder.yellow)
        head = f"黄灯:{within_days} 天内{'到期或临近检查节点' if checked else '到期'} {len(reminder.yellow)} 项"
        groups.append([head, *(_task_line(n, i, _yellow_tail(i)) for n, i in enumerate(reminder.yellow, 1))])
    return Wording(reminder.unit, f"【{reminder.unit}】政务公开工作任务提醒(截至 {as_of.isoformat()})", groups)


def plain(wording: Wording) -> str:
    """A reminder as plain text, to paste into a chat."""
    lines = [wording.heading]
    for group in wording.groups:
        lines += [group[0], *(f"  {line}" for line in group[1:])]
    return "\n".join([*lines, wording.closing])


def missing_form_words(unit: str, period: str, sent_on: dt.date | None) -> str:
    """What a unit whose form has not come back is told."""
    sent = f"已于 {sent_on.isoformat()} 发出," if sent_on else ""
    return f"【{unit}】{period} 的政务公开工作进展填报表{sent}至今尚未交回。请逐项填写进展情况、完成日期和佐证链接,尽快交回。"
