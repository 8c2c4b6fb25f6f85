"""The data of the progress bulletin (进展通报): totals, units, sections, and the red, yellow and
late tasks, all from the queries and statistics the other commands use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gkcli.core.queries import Item, TaskFilter, due_within, list_tasks, overdue
from gkcli.core.stats import StatRow, compute
from gkcli.domain.registry import Registry


@dataclass(frozen=True)
class Bulletin:
    registry: Registry
    as_of: dt.date
    total: StatRow
    units: list[StatRow]
    sections: list[StatRow]
    red: list[Item]
    yellow: list[Item]
    late: list[Item]


def build(registry: Registry, as_of: dt.date, warn_days: int | None = None) -> Bulletin:
    warn = registry.plan.warn_days if warn_days is None else warn_days
    by_unit = compute(registry, as_of, "unit", warn)
    by_section = compute(registry, as_of, "section", warn)
    red = overdue(registry, as_of, warn_days=warn)
    yellow = due_within(registry, as_of, warn, warn_days=warn)
    late = list_tasks(registry, TaskFilter(as_of=as_of, warn_days=warn, light="done_late", sort="due"))
    units = [row for row in by_unit.rows if row.total]
    return Bulletin(registry, as_of, by_unit.total, units, by_section.rows, red, yellow, late)
