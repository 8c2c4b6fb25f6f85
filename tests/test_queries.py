import dataclasses
import datetime as dt

import pytest

from gkcli.core import queries
from gkcli.core.queries import TaskFilter
from gkcli.domain.registry import Registry
from gkcli.errors import BadValue, TaskNotFound

D = dt.date


def _ids(items: list[queries.Item]) -> list[int]:
    return [i.task.id for i in items]


def test_overdue_on_the_day_before_of_and_after_each_due_date(registry: Registry) -> None:
    due_dates = sorted({d for d in registry.due_dates.values() if d})
    assert due_dates == [D(2022, 7, 31), D(2022, 9, 30), D(2022, 12, 31)]
    for due in due_dates:
        falling_due = {t.id for t in registry.tasks if registry.due(t) == due}
        before = set(_ids(queries.overdue(registry, due - dt.timedelta(days=1))))
        on_day = set(_ids(queries.overdue(registry, due)))
        after = queries.overdue(registry, due + dt.timedelta(days=1))
        assert not falling_due & before
        assert not falling_due & on_day
        assert falling_due <= set(_ids(after))
        assert all(i.days_overdue == 1 for i in after if i.task.id in falling_due)


def test_overdue_sorts_most_overdue_first(registry: Registry) -> None:
    items = queries.overdue(registry, D(2022, 10, 1))
    assert _ids(items) == [36, 4, 20, 27]
    assert [i.days_overdue for i in items] == [62, 1, 1, 1]


def test_nothing_is_overdue_before_the_first_due_date(registry: Registry) -> None:
    assert queries.overdue(registry, D(2022, 7, 31)) == []


def test_everything_is_overdue_after_the_year(registry: Registry) -> None:
    assert len(queries.overdue(registry, D(2023, 1, 1))) == 46


def test_done_tasks_are_never_overdue(registry: Registry) -> None:
    done = dataclasses.replace(registry.tasks_by_id[36], status="done")
    item = queries.Item(done, registry.due(done))
    assert queries.days_overdue(item, D(2023, 1, 1)) is None


def test_overdue_for_one_unit(registry: Registry) -> None:
    office = registry.directory.resolve("县政府办公室")
    assert _ids(queries.overdue(registry, D(2022, 10, 1), office)) == [36, 27]


def test_due_within_includes_both_ends(registry: Registry) -> None:
    assert queries.due_within(registry, D(2022, 9, 1), 28) == []
    items = queries.due_within(registry, D(2022, 9, 1), 29)
    assert _ids(items) == [4, 20, 27]
    assert {i.days_left for i in items} == {29}
    assert _ids(queries.due_within(registry, D(2022, 9, 30), 0)) == [4, 20, 27]


def test_unit_tasks_of_the_finance_bureau(registry: Registry) -> None:
    finance = registry.directory.resolve("县财政局")
    items = queries.unit_tasks(registry, finance)
    by_id = {i.task.id: (i.role, i.via) for i in items}
    named_group = {t.id for t in registry.tasks if "县属有关单位" in (*t.lead, *t.responsible)}
    named_directly = {t.id for t in registry.tasks if "县财政局" in (*t.lead, *t.responsible)}
    assert set(by_id) == named_group | named_directly
    assert by_id[3] == ("lead", None)  # lead directly, although 县属有关单位 is responsible
    assert by_id[2] == ("responsible", None)
    assert by_id[10] == ("lead", None)
    assert by_id[38] == ("lead", None)
    assert by_id[40] == ("lead", "县属有关单位")
    assert by_id[6] == ("responsible", "县属有关单位")
    roles = [i.role for i in items]
    assert roles == sorted(roles, key=lambda r: r != "lead")


def test_unit_tasks_direct_only(registry: Registry) -> None:
    finance = registry.directory.resolve("县财政局")
    assert _ids(queries.unit_tasks(registry, finance, direct_only=True)) == [3, 10, 38, 2]


def test_lead_through_a_group_outranks_responsible_directly() -> None:
    from gkcli.domain.records import Plan, Task, Unit, UnitGroup
    from gkcli.domain.units import UnitDirectory

    plan = Plan(title="t", document_number="n", issuer="i", issued_on=D(2022, 1, 1), year=2022)
    task = Task(id=1, section="1.1", title="x", lead=("群",), responsible=("甲",), deadline="全年")
    reg = Registry(plan=plan, parts=[], tasks=[task],
                   directory=UnitDirectory([Unit(name="甲", kind="department")], [UnitGroup(name="群", members=("甲",))]))  # fmt: skip
    found = queries.assignment(reg, task, reg.directory.resolve("甲"))
    assert found == queries.Assignment("lead", "群")


def test_township_tasks_come_through_the_township_group(registry: Registry) -> None:
    town = registry.directory.resolve("嵊山镇")
    items = queries.unit_tasks(registry, town)
    assert {(i.task.id, i.role, i.via) for i in items} == {
        (1, "responsible", "各乡镇人民政府"),
        (38, "lead", "各乡镇人民政府"),
        (40, "lead", "各乡镇人民政府"),
    }


def test_alias_finds_the_tasks_named_either_way(registry: Registry) -> None:
    office = registry.directory.resolve("县网信办")
    direct = _ids(queries.unit_tasks(registry, office, direct_only=True))
    assert direct == [11, 12, 22]


def test_filters_combine(registry: Registry) -> None:
    finance = registry.directory.resolve("县财政局")
    items = queries.list_tasks(registry, TaskFilter(unit=finance, role="lead", deadline="12月底前"))
    assert _ids(items) == [3, 40]
    items = queries.list_tasks(registry, TaskFilter(section="3", due_before=D(2022, 9, 30)))
    assert _ids(items) == [27, 36]
    items = queries.list_tasks(registry, TaskFilter(due_after=D(2022, 12, 31), section="3.3"))
    assert _ids(items) == [37, 38, 39, 40]
    assert _ids(queries.list_tasks(registry, TaskFilter(search="健康码"))) == [11]
    assert _ids(queries.list_tasks(registry, TaskFilter(search="供电公司"))) == [9]
    assert _ids(queries.list_tasks(registry, TaskFilter(status="done"))) == []
    assert len(queries.list_tasks(registry, TaskFilter(status="not_started"))) == 46


def test_overdue_filter_and_sorting(registry: Registry) -> None:
    items = queries.list_tasks(registry, TaskFilter(as_of=D(2022, 10, 1), overdue=True, sort="due"))
    assert _ids(items) == [36, 4, 20, 27]
    assert items[0].days_overdue == 62
    by_section = queries.list_tasks(registry, TaskFilter(sort="section"))
    assert _ids(by_section) == list(range(1, 47))


def test_status_accepts_chinese_labels() -> None:
    assert queries.parse_status("已完成") == "done"
    assert queries.parse_status("in_progress") == "in_progress"
    with pytest.raises(BadValue):
        queries.parse_status("完成了")


def test_sections_are_validated(registry: Registry) -> None:
    assert queries.validate_section(registry, "2") == "2"
    assert queries.validate_section(registry, "2.3") == "2.3"
    with pytest.raises(BadValue):
        queries.validate_section(registry, "2.9")


def test_unknown_task(registry: Registry) -> None:
    with pytest.raises(TaskNotFound):
        queries.get_task(registry, 47)


def test_unit_loads_count_direct_and_group_apart(registry: Registry) -> None:
    loads = {load.name: load for load in queries.unit_loads(registry)}
    finance = loads["县财政局"]
    assert (finance.lead_direct, finance.lead_via_group) == (3, 12)
    assert (finance.responsible_direct, finance.responsible_via_group) == (1, 14)
    education = loads["县教育局"]
    assert (education.lead_direct, education.responsible_direct) == (0, 0)
    assert loads["县属有关单位"].lead_direct == 12
    assert loads["市级有关单位"].responsible_direct == 2
