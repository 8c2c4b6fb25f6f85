"""The facts for the annual report on government information disclosure (政府信息公开工作年度报告,
国办公开办函〔2021〕30号 format): how the year's plan was carried out, for its sections 一 (总体情况)
and 五 (存在的主要问题及改进情况). Every figure is the one ``stats`` gives on the year's last day,
from the same items, so the report and the registry never disagree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gkcli.core.queries import Item, TaskFilter, list_tasks
from gkcli.core.stats import StatRow, compute
from gkcli.domain.records import Part, ProgressEntry
from gkcli.domain.registry import Registry
from gkcli.errors import BadValue


@dataclass(frozen=True)
class PartFacts:
    part: Part
    items: list[Item]  # its tasks on the year's last day, in the plan's order

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.status == "done")


@dataclass(frozen=True)
class Annual:
    registry: Registry
    year: int
    as_of: dt.date  # the year's last day
    total: StatRow  # as ``stats --as-of YEAR-12-31`` counts
    parts: list[PartFacts]
    extended: list[Item]  # tasks whose due date was moved by an extension granted in the year
    open_items: list[Item]  # not done and not carried over at the year's end
    carried: list[Item]

    @property
    def open_count(self) -> int:
        return len(self.open_items)


def evidence_of(item: Item) -> list[str]:
    """The evidence links of a task's entries by the day, each once, oldest first."""
    return list(dict.fromkeys(e.link for e in item.entries if e.link))


def latest_words(item: Item) -> ProgressEntry | None:
    return item.entries[-1] if item.entries else None


def annual(registry: Registry, year: int, known_on: dt.date | None = None) -> Annual:
    """How ``year``'s plan stood on its last day, as known on ``known_on`` (None: all recorded)."""
    if year != registry.plan.year:
        raise BadValue(
            f"--annual {year}: 这份台账是 {registry.plan.year} 年的要点", hint=f"写 --annual {registry.plan.year}"
        )
    as_of = dt.date(year, 12, 31)
    items = list_tasks(registry, TaskFilter(as_of=as_of, known_on=known_on))
    total = compute(registry, as_of, "status", known_on=known_on, items=items).total
    by_section = {s.id: p.id for p in registry.parts for s in p.sections}
    parts = [PartFacts(p, [i for i in items if by_section.get(i.task.section) == p.id]) for p in registry.parts]
    extended = [i for i in items if any(e.kind == "extend" for e in i.entries)]
    carried = [i for i in items if i.status == "carried_over"]
    open_items = [i for i in items if i.status not in ("done", "carried_over")]
    return Annual(registry, year, as_of, total, parts, extended, open_items, carried)
