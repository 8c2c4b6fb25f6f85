"""The data of the progress bulletin (进展通报): totals, units, sections, and the red, yellow and
late tasks, all from the queries and statistics the other commands use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gkcli.core.queries import Item, TaskFilter, due_among, due_until, list_tasks, overdue_among
from gkcli.core.stats import StatRow, compute
from gkcli.domain.records import ProgressEntry
from gkcli.domain.registry import Registry
from gkcli.domain.timeline import due_on, is_whole_task
from gkcli.errors import BadValue


@dataclass(frozen=True)
class Bulletin:
    registry: Registry
    as_of: dt.date
    since: dt.date  # the period the bulletin reports on: after ``since``, up to ``as_of``
    total: StatRow
    units: list[StatRow]
    sections: list[StatRow]
    red: list[Item]
    yellow: list[Item]
    done: list[Item]  # done within the period
    late: list[Item]  # done after their due date, ever
    entries: list[tuple[Item, ProgressEntry]]  # every entry dated within the period, oldest first
    extensions: list[Extension]  # every extension granted by ``as_of``, oldest first
    requests: list[tuple[Item, ProgressEntry]]  # requests for an extension not yet granted


@dataclass(frozen=True)
class Extension:
    """An extension in force: the task, the entry that granted it, and the date it replaced."""

    item: Item
    entry: ProgressEntry
    before: dt.date | None


def build(
    registry: Registry,
    as_of: dt.date,
    warn_days: int | None = None,
    since: dt.date | None = None,
    known_on: dt.date | None = None,
) -> Bulletin:
    """The bulletin for ``as_of`` as the registry knew it on ``known_on`` (None: all that is recorded),
    reporting the period after ``since`` (default 30 days before)."""
    if since is not None and since >= as_of:
        raise BadValue(
            f"--since {since.isoformat()} 不早于 --as-of {as_of.isoformat()}:本期是 --since 之后到 --as-of 为止",
            hint="--since 写上一期通报的日期,如 --since 2022-08-31 --as-of 2022-09-30",
        )
    warn = registry.plan.warn_days if warn_days is None else warn_days
    start = since if since is not None else as_of - dt.timedelta(days=30)
    # one pass over the tasks: every count and list below is taken from these items
    items = list_tasks(registry, TaskFilter(as_of=as_of, warn_days=warn, sort="due", known_on=known_on))
    by_unit = compute(registry, as_of, "unit", warn, known_on, items)
    by_section = compute(registry, as_of, "section", warn, known_on, items)
    red = overdue_among(items, as_of)
    yellow = due_among(items, as_of, due_until(as_of, warn))
    done = [i for i in items if i.done_on is not None and start < i.done_on <= as_of]
    late = [i for i in items if i.light == "done_late"]
    entries = sorted(
        ((i, e) for i in items for e in i.entries if start < e.on <= as_of),
        key=lambda pair: (pair[1].on, pair[0].task.id),
    )
    units = [row for row in by_unit.rows if row.total]
    extensions, requests = _extensions(registry, items, known_on)
    return Bulletin(
        registry,
        as_of,
        start,
        by_unit.total,
        units,
        by_section.rows,
        red,
        yellow,
        done,
        late,
        entries,
        extensions,
        requests,
    )


def _extensions(
    registry: Registry, items: list[Item], known_on: dt.date | None
) -> tuple[list[Extension], list[tuple[Item, ProgressEntry]]]:
    """The extensions granted by the day (with the date each replaced), and the requests that no
    extension of the same part followed."""
    granted: list[Extension] = []
    pending: list[tuple[Item, ProgressEntry]] = []
    for item in items:
        for index, entry in enumerate(item.entries):
            if entry.kind == "extend":
                part = None if is_whole_task(registry, entry.unit) else entry.unit
                before = due_on(registry, item.task, entry.on - dt.timedelta(days=1), known_on, part)
                granted.append(Extension(item, entry, before))
            elif entry.kind == "request" and not any(
                later.kind == "extend" and later.unit == entry.unit for later in item.entries[index + 1 :]
            ):
                pending.append((item, entry))
    granted.sort(key=lambda x: (x.entry.on, x.item.task.id))
    pending.sort(key=lambda pair: (pair[1].on, pair[0].task.id))
    return granted, pending
