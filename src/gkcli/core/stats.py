"""Counts for the office: tasks per unit, section, deadline or status, by light."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from gkcli.core.queries import Item, TaskFilter, list_tasks, unit_tasks
from gkcli.domain.records import STATUS_LABELS, STATUSES
from gkcli.domain.registry import Registry
from gkcli.errors import BadValue

GROUPINGS = ("unit", "section", "deadline", "status")


@dataclass(frozen=True)
class StatRow:
    key: str
    label: str
    total: int
    done: int  # on time or late
    done_late: int
    red: int
    yellow: int
    green: int
    lead: int | None = None  # for units: tasks it leads / is responsible for
    responsible: int | None = None

    @property
    def percent_done(self) -> float:
        return round(100 * self.done / self.total, 1) if self.total else 0.0


@dataclass(frozen=True)
class Stats:
    as_of: dt.date
    by: str
    rows: list[StatRow]
    total: StatRow


def _count(key: str, label: str, items: Iterable[Item]) -> StatRow:
    items = list(items)
    lights = [i.light for i in items]
    leads = sum(1 for i in items if i.role == "lead")
    has_roles = any(i.role for i in items)
    return StatRow(
        key=key,
        label=label,
        total=len(items),
        done=lights.count("done") + lights.count("done_late"),
        done_late=lights.count("done_late"),
        red=lights.count("red"),
        yellow=lights.count("yellow"),
        green=lights.count("green"),
        lead=leads if has_roles else None,
        responsible=len(items) - leads if has_roles else None,
    )


def _grouped(items: list[Item], keys: list[tuple[str, str]], key_of: Callable[[Item], str]) -> list[StatRow]:
    return [_count(key, label, (i for i in items if key_of(i) == key)) for key, label in keys]


def compute(
    registry: Registry, as_of: dt.date, by: str, warn_days: int | None = None, known_on: dt.date | None = None
) -> Stats:
    """Per group: tasks, done, red, yellow, green and percent done, with the plan's total."""
    if by not in GROUPINGS:
        raise BadValue(f"未知的统计方式: {by}", hint=f"可用: {'、'.join(GROUPINGS)}")
    items = list_tasks(registry, TaskFilter(as_of=as_of, warn_days=warn_days, known_on=known_on))
    total = _count("total", "全部", items)
    if by == "section":
        keys = [(s.id, s.title) for p in registry.parts for s in p.sections]
        rows = _grouped(items, keys, lambda i: i.task.section)
    elif by == "status":
        rows = _grouped(items, [(s, STATUS_LABELS[s]) for s in STATUSES], lambda i: i.status)
    elif by == "deadline":
        phrases = sorted({i.task.deadline: i.due for i in items}.items(), key=lambda kv: (kv[1] or dt.date.max, kv[0]))
        rows = _grouped(items, [(p, p) for p, _ in phrases], lambda i: i.task.deadline)
    else:
        directory = registry.directory
        targets = [e for e in directory.entities() if not e.is_group or not e.members_known]
        rows = [
            _count(e.name, e.name, unit_tasks(registry, e, as_of=as_of, warn_days=warn_days, known_on=known_on))
            for e in targets
        ]
    return Stats(as_of, by, rows, total)
