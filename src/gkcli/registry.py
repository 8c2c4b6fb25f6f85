"""The loaded registry: the plan, its tasks and units, ready for queries."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gkcli.deadlines import DeadlineError, due_date
from gkcli.domain import Group, Part, Plan, Section, Task, Unit
from gkcli.units import UnitDirectory

TASKS_FILE = "tasks.yaml"
UNITS_FILE = "units.yaml"
MAX_FILE_BYTES = 16 * 1024 * 1024  # a registry file larger than this is refused unread


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Building a registry makes a great many small objects and no reference cycles; Python's
    cycle collector would walk them again and again (a quarter of the time), so it waits."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class RegistrySource:
    """Where a registry's two files are, and why that folder was chosen."""

    directory: Path
    origin: str  # "option" (--data), "env" ($GKCLI_DATA), "cwd" (./data), "bundled", "path"
    tasks_path: Path = field(init=False)
    units_path: Path = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tasks_path", self.directory / TASKS_FILE)
        object.__setattr__(self, "units_path", self.directory / UNITS_FILE)

    def display(self, path: Path) -> str:
        """A path as messages show it: relative to the working folder when inside it."""
        try:
            return os.path.relpath(path)
        except ValueError:  # pragma: no cover - another drive on Windows
            return str(path)


@dataclass
class Registry:
    plan: Plan
    parts: list[Part]
    tasks: list[Task]
    directory: UnitDirectory
    source: RegistrySource | None = None
    due_dates: dict[int, dt.date | None] = field(default_factory=dict)  # filled in when not given
    sections: dict[str, tuple[Part, Section]] = field(init=False)
    tasks_by_id: dict[int, Task] = field(init=False)

    def __post_init__(self) -> None:
        self.sections = {s.id: (p, s) for p in self.parts for s in p.sections}
        self.tasks_by_id = {t.id: t for t in self.tasks}
        if not self.due_dates:
            self.due_dates = {t.id: self._due(t) for t in self.tasks}

    def _due(self, task: Task) -> dt.date | None:
        if task.due is not None:
            return task.due
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
        groups: list[Group],
        source: RegistrySource | None = None,
        due_dates: dict[int, dt.date | None] | None = None,
    ) -> Registry:
        directory = UnitDirectory(units, groups)
        return cls(plan, parts, tasks, directory, source, due_dates or {})

    def due(self, task: Task) -> dt.date | None:
        return self.due_dates[task.id]
