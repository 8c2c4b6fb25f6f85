"""The loaded registry: the plan, its tasks and units, ready for queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

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


@dataclass(eq=False)
class Registry:
    """A plan, its parts, tasks and units, and what follows from them alone (due dates by task,
    sections and tasks by id). Plain data: what the store knows of its file and what the queries
    remember between questions belong to them, kept beside it (compared and hashed by identity)."""

    plan: Plan
    parts: list[Part]
    tasks: list[Task]
    directory: UnitDirectory
    due_dates: dict[int, dt.date | None] = field(default_factory=dict)  # effective due dates, filled in when not given
    sections: dict[str, tuple[Part, Section]] = field(init=False)
    tasks_by_id: dict[int, Task] = field(init=False)

    def __post_init__(self) -> None:
        self.sections = {s.id: (p, s) for p in self.parts for s in p.sections}
        self.tasks_by_id = {t.id: t for t in self.tasks}
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
    ) -> Registry:
        return cls(plan, parts, tasks, directory_of(tuple(units), tuple(groups)), due_dates or {})

    def due(self, task: Task) -> dt.date | None:
        """The date ``task`` is due: its fixed ``due`` if written, else what its deadline phrase names."""
        return self.due_dates[task.id]
