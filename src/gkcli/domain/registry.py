"""The loaded registry: the plan, its tasks and units, ready for queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from gkcli.domain.deadlines import DeadlineError, due_date
from gkcli.domain.records import Part, Plan, Section, Task, Unit, UnitGroup
from gkcli.domain.units import UnitDirectory, directory_of

# A registry file larger than this is refused unread (GK107), and no write makes one. 64 MiB holds
# about 130,000 tasks (a province over a decade); reading it cold takes about 12 times its size in memory.
MAX_FILE_BYTES = 64 * 1024 * 1024


def task_due(task: Task, year: int) -> dt.date | None:
    """The date a task is due by its own cells: its ``due`` if written, else what its deadline phrase
    names in the plan's year (None for an open-ended phrase; DeadlineError for one not read). The
    one reading of a task's deadline: the registry's due dates and the checks both take it."""
    if task.fixed_due is not None:
        return task.fixed_due
    return due_date(task.deadline, year)


@dataclass
class Memo:
    """What questions about one loaded registry remember between them, kept with the registry and
    dropped with it: the parties of each lead cell and name and each task's state by (day, known
    on) for the replay (:mod:`gkcli.domain.timeline`), the routes of each pair of unit cells, the
    reach of each cell and the tasks naming each unit for the queries (:mod:`gkcli.core.queries`)."""

    parties: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    party_names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    replayed: dict[tuple[int, object, object], tuple[Task, Any]] = field(default_factory=dict)
    routed: dict[tuple[tuple[str, ...], tuple[str, ...]], Any] = field(default_factory=dict)
    reach: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict)
    naming: dict[str, list[Task]] = field(default_factory=dict)


@dataclass(eq=False)
class Registry:
    """A plan as loaded: its parts, tasks and units, what follows from them alone (due dates by task,
    sections and tasks by id), and what is known of it as loaded. ``trusted``: it passed validation
    whole when it was read (so every task's written status and completion date are what its log
    gives, rule GK507), said by whoever builds it, never set afterwards; ``memo``: the answers the
    replay and the queries remember while it is in use; ``source``: where the store read it from
    (its task layout in tasks.yaml), for the store's quick writes and re-reads. The three travel
    with the registry and are dropped with it; nothing is kept about it anywhere else."""

    plan: Plan
    parts: list[Part]
    tasks: list[Task]
    directory: UnitDirectory
    due_dates: dict[int, dt.date | None] = field(default_factory=dict)  # effective due dates, filled in when not given
    trusted: bool = False
    sections: dict[str, tuple[Part, Section]] = field(init=False)
    tasks_by_id: dict[int, Task] = field(init=False)
    memo: Memo = field(init=False, repr=False)
    source: object | None = field(init=False, default=None, repr=False)
    # tasks a later plan of the same workspace continues: id -> (that task, as plan:id; that plan's issue date)
    continued: dict[int, tuple[str, dt.date]] = field(init=False, default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.sections = {s.id: (p, s) for p in self.parts for s in p.sections}
        self.tasks_by_id = {t.id: t for t in self.tasks}
        self.memo = Memo()
        if not self.due_dates:
            self.due_dates = {t.id: self.effective_due(t) for t in self.tasks}

    def effective_due(self, task: Task) -> dt.date | None:
        try:
            return task_due(task, self.plan.year)
        except DeadlineError:
            return None  # reported by the checks; a loaded registry has none

    @classmethod
    def build(
        cls,
        plan: Plan,
        parts: list[Part],
        tasks: list[Task],
        units: list[Unit],
        groups: list[UnitGroup],
        due_dates: dict[int, dt.date | None] | None = None,
        *,
        trusted: bool = False,
    ) -> Registry:
        return cls(plan, parts, tasks, directory_of(tuple(units), tuple(groups)), due_dates or {}, trusted)

    def continue_in(self, links: dict[int, tuple[str, dt.date]]) -> None:
        """Say which of its tasks later plans continue (the workspace that loaded it knows them,
        before any question is asked): each reads as carried over from the later plan's date,
        as if a ``carried`` entry said so. What was remembered of the replay is dropped."""
        self.continued = dict(links)
        self.memo = Memo()

    def due(self, task: Task) -> dt.date | None:
        """The date ``task`` is due: its fixed ``due`` if written, else what its deadline phrase names."""
        return self.due_dates[task.id]
