"""Each condition of a task filter decided by the task as written (``queries.WRITTEN``), alone:
when it applies, what it lets through and what it stops, and that ``list_tasks`` agrees with it
on the shipped registry."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from gkcli.core import queries
from gkcli.core.queries import TaskFilter
from gkcli.domain.records import ProgressEntry
from gkcli.domain.registry import Registry

D = dt.date


def _condition(name: str) -> queries.Written:
    found = [test for _, test in queries.WRITTEN if test.__name__ == name]
    assert len(found) == 1, name
    return found[0]


def test_every_written_field_of_a_filter_has_one_condition() -> None:
    """A filter with none of its written fields set tries none; each field set alone tries one."""
    assert queries.written_conditions(TaskFilter()) == ()
    one_each = {
        "known_on": D(2022, 8, 1),
        "section": "1",
        "deadline": "12月",
        "due_before": D(2022, 9, 30),
        "due_after": D(2022, 9, 30),
        "search": "财政",
        "overdue": True,
        "light": "red",
    }
    tried = [queries.written_conditions(TaskFilter(**{field: value})) for field, value in one_each.items()]
    assert all(len(conditions) == 1 for conditions in tried)
    assert len({conditions[0] for conditions in tried}) == len(queries.WRITTEN)
    assert queries.written_conditions(TaskFilter(light="red")) == (_condition("_may_be_red"),)


def test_added_by_keeps_a_task_out_of_the_days_before_it_was_added(registry: Registry) -> None:
    test = _condition("_added_by")
    task = registry.tasks_by_id[1]
    added = dataclasses.replace(task, added_on=D(2022, 9, 1))
    assert test(task, None, TaskFilter(known_on=D(2022, 1, 1)))  # no added_on: there from the start
    assert not test(added, None, TaskFilter(known_on=D(2022, 8, 31)))
    assert test(added, None, TaskFilter(known_on=D(2022, 9, 1)))
    assert test(added, None, TaskFilter())


def test_in_section_takes_a_part_and_its_sub_sections_but_not_a_prefix(registry: Registry) -> None:
    test = _condition("_in_section")
    task = dataclasses.replace(registry.tasks_by_id[1], section="1.2")
    assert test(task, None, TaskFilter(section="1"))
    assert test(task, None, TaskFilter(section="1.2"))
    assert not test(task, None, TaskFilter(section="1.1"))
    assert not test(dataclasses.replace(task, section="11.2"), None, TaskFilter(section="1"))


def test_deadline_said_reads_the_phrase_its_beginning_or_a_month(registry: Registry) -> None:
    test = _condition("_deadline_said")
    task = dataclasses.replace(registry.tasks_by_id[1], deadline="2022年9月底前")
    due = D(2022, 9, 30)
    assert test(task, due, TaskFilter(deadline="2022年9月"))
    assert test(task, due, TaskFilter(deadline="9月"))
    assert test(task, due, TaskFilter(deadline="９月"))  # full-width digits
    assert not test(task, due, TaskFilter(deadline="10月"))
    assert not test(task, None, TaskFilter(deadline="9月"))  # no date: only the phrase can match


def test_written_due_by_stops_a_later_task_and_one_without_a_date(registry: Registry) -> None:
    test = _condition("_written_due_by")
    task = registry.tasks_by_id[1]
    f = TaskFilter(due_before=D(2022, 9, 30))
    assert test(task, D(2022, 9, 30), f)
    assert not test(task, D(2022, 10, 1), f)
    assert not test(task, None, f)


def test_written_due_from_leaves_an_extended_task_to_the_day(registry: Registry) -> None:
    test = _condition("_written_due_from")
    task = registry.tasks_by_id[1]
    f = TaskFilter(due_after=D(2022, 12, 1))
    assert test(task, D(2022, 12, 1), f)
    assert not test(task, D(2022, 11, 30), f)
    extension = ProgressEntry(on=D(2022, 9, 1), note="批准延期", kind="extend", due=D(2022, 12, 31))
    extended = dataclasses.replace(task, progress=(extension,))
    assert test(extended, D(2022, 11, 30), f)  # the date in force may be later: decided after the replay


def test_mentions_looks_in_title_units_deadline_and_provenance_ignoring_spaces(registry: Registry) -> None:
    test = _condition("_mentions")
    task = dataclasses.replace(
        registry.tasks_by_id[1], title="推进 政务公开", lead=("县财政局",), provenance="第4行重建"
    )
    for needle in ("政务公开", "推进政务", "财政局", "重建"):
        assert test(task, None, TaskFilter(search=needle)), needle
    assert not test(task, None, TaskFilter(search="审计"))


def test_past_due_stops_a_task_not_yet_due(registry: Registry) -> None:
    test = _condition("_past_due")
    task = registry.tasks_by_id[1]
    f = TaskFilter(overdue=True, as_of=D(2022, 10, 1))
    assert test(task, D(2022, 9, 30), f)
    assert not test(task, D(2022, 10, 1), f)  # due today is not overdue
    assert not test(task, None, f)


def test_may_be_red_lets_a_task_with_checkpoints_through_before_its_due_date(registry: Registry) -> None:
    """A missed checkpoint makes a task red before its due date: only a task without checkpoints
    and not past due is stopped."""
    test = _condition("_may_be_red")
    f = TaskFilter(light="red", as_of=D(2022, 10, 1))
    plain = registry.tasks_by_id[1]
    checked = dataclasses.replace(plain, checkpoints="每季度末")
    assert test(plain, D(2022, 9, 30), f) and not test(plain, D(2022, 12, 31), f)
    assert test(checked, D(2022, 12, 31), f)
    assert queries.written_conditions(TaskFilter(light="red", overdue=True)) == (_condition("_past_due"),)


@pytest.mark.parametrize(
    "f",
    [
        TaskFilter(section="2"),
        TaskFilter(deadline="9月"),
        TaskFilter(due_before=D(2022, 9, 30)),
        TaskFilter(due_after=D(2022, 10, 1)),
        TaskFilter(search="财政"),
        TaskFilter(overdue=True, as_of=D(2022, 10, 1)),
    ],
    ids=["section", "deadline", "due_before", "due_after", "search", "overdue"],
)
def test_list_tasks_keeps_exactly_what_the_condition_lets_through(registry: Registry, f: TaskFilter) -> None:
    """On the shipped registry (no extensions) a written condition alone decides the listing,
    and it splits the tasks: some through, some stopped."""
    (test,) = queries.written_conditions(f)
    expected = [t.id for t in registry.tasks if test(t, registry.due_dates[t.id], f)]
    listed = [i.task.id for i in queries.list_tasks(registry, f)]
    if f.overdue:  # overdue also needs the task open on the day
        expected = [i for i in expected if registry.tasks_by_id[i].status != "done"]
        listed.sort()
    assert listed == expected
    assert 0 < len(listed) < len(registry.tasks)
