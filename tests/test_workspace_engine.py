"""The workspace as an engine object (core.workspace.Workspace), asked directly: the same three plans
as tests/test_workspace.py (the shipped 2022 plan, a 2023 plan of the same county and a 2023 plan of
another), every answer worked out by hand there. The command line's own tests stay thin."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gkcli.core.workspace import Workspace
from gkcli.errors import BadValue, GkError
from gkcli.store.load import load_registry
from gkcli.store.locate import RegistryFolder
from gkcli.store.workspace import plan_folders

from .test_workspace import RENAMED, _rename_in_2023, workspace  # noqa: F401  (the fixture)

D = dt.date


def _workspace(root: Path, *order: str, **kwargs: object) -> Workspace:
    given = [f"{name}={root / name}" for name in order] if order else [str(root)]
    return Workspace(plan_folders(given), **kwargs)  # type: ignore[arg-type]


def _declare_rename(root: Path) -> None:
    _rename_in_2023(root)
    units = root / "2023" / "units.yaml"
    text = units.read_text(encoding="utf-8")
    units.write_text(
        text.replace(f"  - name: {RENAMED}\n", f"  - name: {RENAMED}\n    same_as: [县财政局]\n"), encoding="utf-8"
    )


def test_each_plan_is_loaded_once_whatever_is_asked(workspace: Path) -> None:  # noqa: F811
    loads: list[Path] = []

    def counting(folder: RegistryFolder, **kwargs: object):  # type: ignore[no-untyped-def]
        loads.append(folder.directory)
        return load_registry(folder, **kwargs)  # type: ignore[arg-type]

    def counting_all(folders):  # type: ignore[no-untyped-def]
        return [counting(folder) for folder in folders]

    ws = _workspace(workspace, load=counting, load_all=counting_all)
    ws.overdue(D(2023, 10, 1))
    ws.unit_tasks("县财政局", D(2023, 7, 1))
    ws.reminders(D(2023, 9, 20), 30)
    ws.registry("2023")
    assert sorted(p.name for p in loads) == ["2022", "2023", "岱山"]


def test_overdue_across_plans_most_overdue_first(workspace: Path) -> None:  # noqa: F811
    """2023-10-01: all 46 tasks of 2022, 2023:12 (1 day) and 岱山:1 (31 days); 2023:13 is not due."""
    answer = _workspace(workspace).overdue(D(2023, 10, 1))
    assert answer.several and answer.unit is None
    by_plan = {plan: [i.task.id for i in answer.items if i.plan == plan] for plan in ("2022", "2023", "岱山")}
    assert len(by_plan["2022"]) == 46 and by_plan["2023"] == [12] and by_plan["岱山"] == [1]
    days = [i.days_overdue for i in answer.items]
    assert days == sorted(days, reverse=True)


def test_one_units_tasks_in_every_plan(workspace: Path) -> None:  # noqa: F811
    answer = _workspace(workspace).unit_tasks("县财政局", D(2023, 7, 1))
    counts = {plan: sum(1 for i in answer.items if i.plan == plan) for plan in ("2022", "2023", "岱山")}
    assert counts == {"2022": 30, "2023": 2, "岱山": 1}
    roles = {(i.plan, i.task.id): i.role for i in answer.items if i.plan != "2022"}
    assert roles == {("2023", 12): "lead", ("2023", 13): "responsible", ("岱山", 1): "lead"}
    assert answer.unit is not None and answer.unit.name == "县财政局"


@pytest.mark.parametrize("asked", [RENAMED, "县财政局", "财政局"])
@pytest.mark.parametrize("order", [("2022", "2023", "岱山"), ("2023", "岱山", "2022")])
def test_a_renamed_unit_is_one_unit_under_its_newest_name(workspace: Path, asked: str, order: tuple[str, ...]) -> None:  # noqa: F811
    _declare_rename(workspace)
    ws = _workspace(workspace, *order)
    meant, named = ws.units_meant(asked)
    assert named is not None and named.name == RENAMED  # the newest plan's name, whatever the order given
    assert {plan: (entity.name if entity else None) for plan, entity in meant.items()} == {
        "2022": "县财政局", "2023": RENAMED, "岱山": "县财政局",
    }  # fmt: skip
    overdue = ws.overdue(D(2023, 10, 1), asked)
    assert len(overdue.items) == 32 and overdue.unit is not None and overdue.unit.name == RENAMED


def test_without_same_as_a_renamed_unit_is_two_units(workspace: Path) -> None:  # noqa: F811
    _rename_in_2023(workspace)
    answer = _workspace(workspace).unit_tasks(RENAMED, D(2023, 7, 1))
    assert {i.plan for i in answer.items} == {"2023"} and len(answer.items) == 2


@pytest.mark.parametrize("asked", [None, "县财政局", RENAMED])
def test_a_renamed_units_reminder_is_one(workspace: Path, asked: str | None) -> None:  # noqa: F811
    _declare_rename(workspace)
    found = _workspace(workspace).reminders(D(2023, 9, 20), 30, asked)
    [mine] = [r for r in found if r.unit in (RENAMED, "县财政局")]
    assert mine.unit == RENAMED
    red = [(i.plan, i.task.id) for i in mine.red]
    assert len(red) == 31 and ("岱山", 1) in red
    assert [(i.plan, i.task.id) for i in mine.yellow] == [("2023", 12)]


def test_counts_by_plan(workspace: Path) -> None:  # noqa: F811
    counts = _workspace(workspace).counts_by_plan(D(2023, 10, 1))
    rows = {r.key: (r.total, r.red, r.yellow, r.green) for r in counts.rows}
    assert rows == {"2022": (46, 46, 0, 0), "2023": (2, 1, 0, 1), "岱山": (1, 1, 0, 0)}
    assert (counts.total.total, counts.total.red) == (49, 48)


def test_a_bare_task_id_must_name_one_plan(workspace: Path) -> None:  # noqa: F811
    ws = _workspace(workspace)
    with pytest.raises(BadValue, match="序号 12 在 2 份要点中都有") as ambiguous:
        ws.target(None, 12)
    assert ambiguous.value.hint is not None and "2022:12、2023:12" in ambiguous.value.hint
    assert ws.target(None, 46)[:1] == ("2022",)  # only the shipped plan has a task 46
    assert ws.target("岱山", 1)[0] == "岱山"
    with pytest.raises(BadValue, match="工作区的要点中都没有序号为 999"):
        ws.target(None, 999)


def test_one_plan_is_asked_of_a_workspace_of_several(workspace: Path) -> None:  # noqa: F811
    ws = _workspace(workspace)
    with pytest.raises(BadValue, match="一次只用一份"):
        ws.registry()
    assert ws.registry("2023").plan.year == 2023


def test_an_unreadable_plan_stops_or_is_passed_over_and_said(workspace: Path) -> None:  # noqa: F811
    (workspace / "岱山" / "units.yaml").unlink()
    with pytest.raises(GkError, match="工作区中的要点 岱山 无法读取"):
        _workspace(workspace).overdue(D(2023, 10, 1))
    ws = _workspace(workspace, skip_unreadable=True)
    answer = ws.overdue(D(2023, 10, 1))
    assert {i.plan for i in answer.items} == {"2022", "2023"}
    assert ws.skipped and "岱山" in ws.skipped[0]


def test_list_with_a_filter_made_for_each_plan(workspace: Path) -> None:  # noqa: F811
    from gkcli.core.queries import TaskFilter

    answer, asked = _workspace(workspace).list_tasks(
        lambda registry: TaskFilter(unit=registry.directory.resolve("县财政局"), as_of=D(2023, 7, 1))
    )
    assert set(asked) == {"2022", "2023", "岱山"} and len(answer.items) == 33
