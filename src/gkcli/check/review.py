"""What an import left for a person to check (GK701): every ``review`` marker, until removed."""

from __future__ import annotations

from collections.abc import Iterator

from gkcli.check.common import at
from gkcli.domain.records import TasksFile, UnitsFile
from gkcli.findings import Diagnostic, SourceMap


def check_review(
    tasks: TasksFile | None, units: UnitsFile | None, tasks_map: SourceMap, units_map: SourceMap
) -> Iterator[Diagnostic]:
    if tasks is not None:
        if tasks.plan is not None and tasks.plan.review:
            yield at(tasks_map, ("plan", "review"), "GK701", f"要点信息待核对: {tasks.plan.review}")
        for p_index, part in enumerate(tasks.parts):
            if part.review:
                yield at(tasks_map, ("parts", p_index, "review"), "GK701", f"第 {part.id} 部分待核对: {part.review}")
            for s_index, section in enumerate(part.sections):
                if section.review:
                    path = ("parts", p_index, "sections", s_index, "review")
                    yield at(tasks_map, path, "GK701", f"小节 {section.id} 待核对: {section.review}")
        for index, task in enumerate(tasks.tasks):
            if task.review:
                yield at(
                    tasks_map, ("tasks", index, "review"), "GK701", f"任务 {task.id} 待核对: {task.review}", task.id
                )
    if units is not None:
        for index, unit in enumerate(units.units):
            if unit.review:
                yield at(units_map, ("units", index, "review"), "GK701", f"单位 {unit.name} 待核对: {unit.review}")
        for index, group in enumerate(units.groups):
            if group.review:
                yield at(units_map, ("groups", index, "review"), "GK701", f"群组 {group.name} 待核对: {group.review}")
