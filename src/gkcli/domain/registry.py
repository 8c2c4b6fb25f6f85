"""The loaded registry: the plan, its tasks and units, ready for queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from gkcli.domain.deadlines import DeadlineError, due_date
from gkcli.domain.records import Part, Plan, Section, Task, Unit, UnitGroup
from gkcli.domain.units import UnitDirectory

DIGEST_BYTES = 8  # of a task's lines in a SourceLayout
# A registry file larger than this is refused unread (GK107), and no write makes one. 64 MiB holds
# about 130,000 tasks (a province over a decade); reading it cold takes about 12 times its size in memory.
MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class SourceLayout:
    """Where each task's lines lie in the text of tasks.yaml a registry was read from, as (start, end)
    character offsets in task order, with a digest of each task's lines and of the text before and
    after the task list. A write re-reads only the lines it changes; a read after a hand edit, only
    the tasks whose lines changed."""

    spans: list[tuple[int, int]]
    digests: list[bytes]
    head: bytes
    tail: bytes
    length: int  # of the whole text
    latest: dt.date  # the latest completion, progress or recording date written anywhere in it


@dataclass
class Registry:
    plan: Plan
    parts: list[Part]
    tasks: list[Task]
    directory: UnitDirectory
    due_dates: dict[int, dt.date | None] = field(default_factory=dict)  # effective due dates, filled in when not given
    source: SourceLayout | None = field(default=None, repr=False, compare=False)  # None when not known
    # True once the whole registry passed validation (loaded, from its files or the cache): then every
    # task's written status and completion date are what its full log gives (rule GK507)
    validated: bool = field(default=False, repr=False, compare=False)
    sections: dict[str, tuple[Part, Section]] = field(init=False)
    tasks_by_id: dict[int, Task] = field(init=False)
    parties: dict[tuple[str, ...], tuple[str, ...]] = field(init=False, repr=False, compare=False)  # by lead cell
    party_names: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)
    claimed: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[Any, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )  # see queries.claims
    members: dict[str, frozenset[str]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _naming: dict[str, list[Task]] = field(default_factory=dict, init=False, repr=False, compare=False)
    # a task's state on a day, as replayed from its log: (the task, the state), by (id(task), day, known on)
    replayed: dict[tuple[int, object, object], tuple[Task, object]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self.sections = {s.id: (p, s) for p in self.parts for s in p.sections}
        self.tasks_by_id = {t.id: t for t in self.tasks}
        self.parties = {}
        if not self.due_dates:
            self.due_dates = {t.id: self.effective_due(t) for t in self.tasks}

    def effective_due(self, task: Task) -> dt.date | None:
        if task.fixed_due is not None:
            return task.fixed_due
        try:
            return due_date(task.deadline, self.plan.year)
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
        return cls(plan, parts, tasks, UnitDirectory(units, groups), due_dates or {})

    def tasks_naming(self, name: str) -> list[Task]:
        """The tasks that name the unit or group ``name`` (its canonical name) in a unit cell,
        directly or through a group it belongs to, in registry order. Found by the few distinct
        names written in unit cells that reach it, then one set test per task; remembered."""
        found = self._naming.get(name)
        if found is None:
            directory = self.directory
            written = set().union(*(t.lead for t in self.tasks), *(t.responsible for t in self.tasks))
            reaching = set()
            for cell in written:
                entity = directory.find(cell)
                if entity is not None and (
                    entity.name == name or (entity.is_group and name in directory.expanded_members(entity.name))
                ):
                    reaching.add(cell)
            found = self._naming[name] = [
                t for t in self.tasks if not reaching.isdisjoint(t.lead) or not reaching.isdisjoint(t.responsible)
            ]
        return found

    def due(self, task: Task) -> dt.date | None:
        """The date ``task`` is due: its fixed ``due`` if written, else what its deadline phrase names."""
        return self.due_dates[task.id]
