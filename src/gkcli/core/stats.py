"""Counts for the office: tasks per unit, section, deadline or status, by light."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from gkcli.core.queries import Item, TaskFilter, assignments, day_light, list_tasks, reach
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
    carried: int = 0  # carried over to a later plan: neither open nor done, left out of the percentage

    @property
    def percent_done(self) -> float:
        counted = self.total - self.carried
        return round(100 * self.done / counted, 1) if counted else 0.0


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
        carried=lights.count("carried"),
    )


def _grouped(items: list[Item], keys: list[tuple[str, str]], key_of: Callable[[Item], str]) -> list[StatRow]:
    groups: dict[str, list[Item]] = {key: [] for key, _ in keys}
    for item in items:
        groups.setdefault(key_of(item), []).append(item)
    return [_count(key, label, groups[key]) for key, label in keys]


def compute(
    registry: Registry,
    as_of: dt.date,
    by: str,
    warn_days: int | None = None,
    known_on: dt.date | None = None,
    items: list[Item] | None = None,
) -> Stats:
    """Per group: tasks, done, red, yellow, green and percent done, with the plan's total. ``items``
    is every task on ``as_of`` when the caller has it already (the bulletin)."""
    if by not in GROUPINGS:
        raise BadValue(f"未知的统计方式: {by}", hint=f"可用: {'、'.join(GROUPINGS)}")
    if items is None:
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
        rows = _by_unit(registry, items, as_of, registry.plan.warn_days if warn_days is None else warn_days)
    return Stats(as_of, by, rows, total)


def _by_unit(registry: Registry, items: list[Item], as_of: dt.date, warn: int) -> list[StatRow]:
    """Every unit's row (and every group's whose members are not known), in one pass over the tasks.
    A task reaches the units its lead cell names (groups expanded) as lead, and those its
    responsible cell names but the lead cell does not as responsible (``queries.reach``); tasks
    are counted by those sets of units and light, and each set is spread to its units once at
    the end. A task where some unit's own part is done gives each unit its own light, unit by unit."""
    targets = [e.name for e in registry.directory.entities() if not e.is_group or not e.members_known]
    counts: dict[str, dict[str, int]] = {name: dict.fromkeys(_COUNTED, 0) for name in targets}
    by_units: Counter[tuple[frozenset[str], str, str]] = Counter()
    for item in items:
        state, task = item.state, item.task
        if state is not None and state.parts_done:
            for name, found in assignments(registry, task).items():
                tally = counts.get(name)
                if tally is not None:
                    tally[day_light(registry, task, item.due, state, as_of, warn, name)[0]] += 1
                    tally[found.role] += 1
            continue
        light = item.light or (day_light(registry, task, item.due, state, as_of, warn)[0] if state else "green")
        lead, responsible = reach(registry, task.lead), reach(registry, task.responsible)
        by_units[(lead, "lead", light)] += 1
        if responsible:
            by_units[(responsible if lead.isdisjoint(responsible) else responsible - lead, "responsible", light)] += 1
    for (names, role, colour), number in by_units.items():
        for name in names:
            tally = counts.get(name)
            if tally is not None:
                tally[colour] += number
                tally[role] += number
    return [_row(name, counts[name]) for name in targets]


_COUNTED = ("done", "done_late", "red", "yellow", "green", "carried", "lead", "responsible")


def _row(name: str, tally: dict[str, int]) -> StatRow:
    total = tally["lead"] + tally["responsible"]
    return StatRow(
        key=name, label=name, total=total, done=tally["done"] + tally["done_late"], done_late=tally["done_late"],
        red=tally["red"], yellow=tally["yellow"], green=tally["green"],
        lead=tally["lead"] if total else None, responsible=tally["responsible"] if total else None,
        carried=tally["carried"],
    )  # fmt: skip


def by_plan(as_of: dt.date, totals: list[tuple[str, StatRow]]) -> Stats:
    """The plans of a workspace as the rows of one table: each plan's own total, and their sum."""
    rows = [dataclasses.replace(total, key=plan, label=plan) for plan, total in totals]
    fields = ("total", "done", "done_late", "red", "yellow", "green", "carried")
    summed = {name: sum(getattr(r, name) for r in rows) for name in fields}
    return Stats(as_of, "plan", rows, StatRow("total", "全部", **summed))
