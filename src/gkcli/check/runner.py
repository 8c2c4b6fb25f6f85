"""Every rule beyond the schema, run on whatever part of a registry could be validated."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

from gkcli.check.references import check_log, check_progress, check_references
from gkcli.check.review import check_review
from gkcli.check.structure import check_settings, check_tasks
from gkcli.check.units import check_units
from gkcli.domain.records import TasksFile, Unit, UnitsFile
from gkcli.domain.registry import Registry
from gkcli.domain.units import UnitDirectory
from gkcli.findings import Diagnostic, SourceMap


def check_all(
    tasks: TasksFile | None,
    units: UnitsFile | None,
    tasks_map: SourceMap,
    units_map: SourceMap,
    as_of: dt.date | None = None,
    unreadable_units: Sequence[str] = (),
    dropped: Collection[str] = (),
) -> list[Diagnostic]:
    """Every cross-check the valid parts allow. ``tasks.plan`` may be None (a broken plan block:
    the date rules are skipped); without ``units`` the unit references cannot be checked;
    ``unreadable_units`` are names of units dropped for schema errors, known for references;
    ``dropped`` names the lists of tasks.yaml that lost items to schema errors."""
    found: list[Diagnostic] = []
    directory = None
    if units is not None:
        known = [*units.units, *(Unit(name=name, kind="department") for name in unreadable_units)]
        directory = UnitDirectory(known, units.groups)
        found += check_units(units, directory, units_map)
    if tasks is not None:
        found += check_tasks(tasks, tasks_map, dropped)
        found += check_settings(tasks, tasks_map)
        found += check_references(tasks, directory, tasks_map)
        found += check_progress(tasks, directory, tasks_map, as_of)
        if units is not None and tasks.plan is not None and not dropped:
            registry = Registry.build(tasks.plan, list(tasks.parts), list(tasks.tasks), list(known), list(units.groups))
            found += check_log(tasks, registry, tasks_map)
    found += check_review(tasks, units, tasks_map, units_map)
    return found
