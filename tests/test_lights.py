import datetime as dt

import pytest

from gkcli.core import queries
from gkcli.core.queries import TaskFilter, light_of
from gkcli.domain.records import Task
from gkcli.domain.registry import Registry

D = dt.date
DUE = D(2022, 9, 30)


def _task(status: str = "not_started", done_on: dt.date | None = None) -> Task:
    return Task(
        id=1,
        section="1.1",
        title="t",
        lead=("甲",),
        responsible=(),
        deadline="三季度前",
        status=status,
        done_on=done_on,
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("as_of", "light"),
    [
        (D(2022, 10, 1), "red"),  # the day after the due date
        (DUE, "yellow"),  # due today: not yet overdue
        (D(2022, 9, 29), "yellow"),  # due tomorrow
        (DUE - dt.timedelta(days=30), "yellow"),  # the last day of the warning window
        (DUE - dt.timedelta(days=31), "green"),  # one day before it
        (D(2022, 7, 12), "green"),
    ],
)
def test_lights_at_their_boundaries(as_of: dt.date, light: str) -> None:
    assert light_of(None, DUE, as_of, 30) == (light, None)


def test_warning_window_is_adjustable() -> None:
    as_of = DUE - dt.timedelta(days=10)
    assert light_of(None, DUE, as_of, 10)[0] == "yellow"
    assert light_of(None, DUE, as_of, 9)[0] == "green"
    assert light_of(None, DUE, DUE, 0)[0] == "yellow"


def test_a_task_not_done_is_lit_by_its_due_date_alone() -> None:
    assert light_of(None, DUE, D(2022, 10, 1), 30) == ("red", None)


def test_done_on_time_and_late() -> None:
    assert light_of(DUE, DUE, D(2023, 1, 1), 30) == ("done", None)
    assert light_of(D(2022, 10, 3), DUE, D(2023, 1, 1), 30) == ("done_late", 3)


def test_open_ended_tasks_stay_green() -> None:
    assert light_of(None, None, D(2030, 1, 1), 30) == ("green", None)


def test_lights_of_the_shipped_plan(registry: Registry) -> None:
    items = queries.list_tasks(registry, TaskFilter(as_of=D(2022, 9, 1)))
    by_light: dict[str, list[int]] = {}
    for item in items:
        by_light.setdefault(str(item.light), []).append(item.task.id)
    assert by_light["red"] == [36]
    assert by_light["yellow"] == [4, 20, 27]
    assert len(by_light["green"]) == 42
    assert registry.plan.warn_days == 30


def test_light_filter(registry: Registry) -> None:
    items = queries.list_tasks(registry, TaskFilter(as_of=D(2022, 12, 5), light="yellow"))
    assert [i.task.id for i in items] == [i.task.id for i in items if registry.due(i.task) == D(2022, 12, 31)]
    assert len(items) == 42


@pytest.mark.parametrize(
    ("text", "light"), [("red", "red"), ("红灯", "red"), ("黄", "yellow"), ("done_late", "done_late")]
)
def test_light_names(text: str, light: str) -> None:
    assert queries.parse_light(text) == light


def test_reminders_group_by_unit_with_leads_first(registry: Registry) -> None:
    found = {r.unit: r for r in queries.reminders(registry, D(2022, 9, 20), 14)}
    office = found["县政府办公室"]
    assert [(i.task.id, i.role) for i in office.red] == [(36, "lead")]
    assert [i.days_overdue for i in office.red] == [51]
    assert [i.task.id for i in office.yellow] == [27]
    finance = found["县财政局"]
    assert finance.red == []
    assert [(i.task.id, i.role, i.via) for i in finance.yellow] == [(20, "responsible", "县属有关单位")]
    assert [i.days_left for i in finance.yellow] == [10]
    # a group whose members are unknown is reminded as itself
    assert [i.task.id for i in found["市级有关单位"].yellow] == [27]
    # units with nothing red or yellow get no message
    assert "县教育局" in found and "菜园镇人民政府" not in found


def test_reminder_for_one_unit(registry: Registry) -> None:
    unit = registry.directory.resolve("县信访局")
    [reminder] = queries.reminders(registry, D(2022, 9, 20), 14, unit)
    assert [(i.task.id, i.role) for i in reminder.yellow] == [(20, "lead")]
    assert queries.reminders(registry, D(2022, 7, 1), 14, unit) == []
