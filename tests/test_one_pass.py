"""The counts and lists made in one pass over the tasks (stats by unit, the bulletin) are those the
per-unit and per-question queries give, task by task."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
from pathlib import Path

import pytest

from gkcli.core import bulletin, queries, stats
from gkcli.core.updates import mark_done, reopen
from gkcli.domain import timeline
from gkcli.domain.registry import Registry
from gkcli.store.load import load_registry
from gkcli.store.locate import RegistryFolder

from .conftest import ROOT

DAYS = [dt.date(2022, 7, 31), dt.date(2022, 9, 30), dt.date(2022, 12, 31)]


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    """A generated registry of 300 tasks, with some units' own parts of shared tasks done."""
    spec = importlib.util.spec_from_file_location("make_registry", ROOT / "benchmarks" / "make_registry.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folder: Path = tmp_path_factory.mktemp("shared") / "r"
    module.make(300, folder)
    registry = load_registry(RegistryFolder(folder, "option"), {"GKCLI_NO_CACHE": "1"})
    parts = [t for t in registry.tasks if t.status == "not_started" and len(t.lead) > 1][:12]
    for n, task in enumerate(parts):
        on = dt.date(2022, 8, 1) + dt.timedelta(days=10 * n)
        mark_done(RegistryFolder(folder, "option"), task.id, as_of=dt.date(2022, 12, 31), on=on, unit=task.lead[0])
    whole = [t for t in registry.tasks if t.status == "not_started" and len(t.lead) == 1][:6]
    for n, task in enumerate(whole):  # done as a whole, two of them reopened later
        on = dt.date(2022, 8, 5) + dt.timedelta(days=20 * n)
        mark_done(RegistryFolder(folder, "option"), task.id, as_of=dt.date(2022, 12, 31), on=on)
        if n % 3 == 0:
            reopen(RegistryFolder(folder, "option"), task.id, as_of=dt.date(2022, 12, 31), on=on + dt.timedelta(days=9))
    return load_registry(RegistryFolder(folder, "option"), {"GKCLI_NO_CACHE": "1"})


def _by_unit_task_by_task(registry: Registry, as_of: dt.date, known_on: dt.date | None) -> dict[str, tuple]:  # type: ignore[type-arg]
    rows = {}
    for entity in registry.directory.entities():
        if entity.is_group and entity.members_known:
            continue
        items = queries.unit_tasks(registry, entity, as_of=as_of, known_on=known_on)
        lights = [i.light for i in items]
        leads = sum(1 for i in items if i.role == "lead")
        rows[entity.name] = (
            len(items), lights.count("done") + lights.count("done_late"), lights.count("done_late"),
            lights.count("red"), lights.count("yellow"), lights.count("green"),
            leads if items else None, len(items) - leads if items else None,
        )  # fmt: skip
    return rows


@pytest.mark.parametrize("as_of", DAYS)
@pytest.mark.parametrize("known_on", [None, dt.date(2022, 9, 1)])
@pytest.mark.parametrize("which", ["shipped", "shared"])
def test_stats_by_unit_counts_what_each_units_listing_shows(
    registry: Registry, shared: Registry, which: str, as_of: dt.date, known_on: dt.date | None
) -> None:
    chosen = registry if which == "shipped" else shared
    if which == "shared" and known_on is None and as_of > DAYS[0]:  # parts were done from 2022-08-01
        assert any(s.parts_done for t in chosen.tasks for s in [queries.replay(chosen, t, as_of, known_on)])
    found = stats.compute(chosen, as_of, "unit", known_on=known_on)
    counted = {
        r.key: (r.total, r.done, r.done_late, r.red, r.yellow, r.green, r.lead, r.responsible) for r in found.rows
    }
    assert counted == _by_unit_task_by_task(chosen, as_of, known_on)


@pytest.mark.parametrize("as_of", DAYS)
def test_the_bulletins_lists_are_the_queries_answers(shared: Registry, as_of: dt.date) -> None:
    made = bulletin.build(shared, as_of)
    warn = shared.plan.warn_days
    assert made.red == queries.overdue(shared, as_of, warn_days=warn)
    assert made.yellow == queries.due_within(shared, as_of, warn, warn_days=warn)
    assert [r.key for r in made.units] == [r.key for r in stats.compute(shared, as_of, "unit").rows if r.total]


@pytest.mark.parametrize("known_on", [None, dt.date(2022, 9, 1), dt.date(2022, 12, 31)])
def test_a_validated_registrys_written_state_is_what_replaying_the_log_gives(
    shared: Registry, known_on: dt.date | None
) -> None:
    assert shared.trusted  # loaded: the shortcut applies
    walked = dataclasses.replace(shared, trusted=False)  # the same tasks, not trusted: every log is walked
    assert not walked.trusted
    for day in [None, *DAYS]:
        for task in shared.tasks:
            assert timeline.replay(shared, task, day, known_on) == timeline.replay(walked, task, day, known_on)


def test_a_tasks_reach_by_role_is_who_its_routes_assign(shared: Registry) -> None:
    """``reach`` (what stats counts by) and ``routes`` (what a unit's listing uses) agree on every
    task: the lead cell's reach leads, the rest of the responsible cell's is responsible."""
    for task in shared.tasks:
        lead = queries.reach(shared, task.lead)
        responsible = queries.reach(shared, task.responsible) - lead
        roles = {name: found.role for name, found in queries.assignments(shared, task).items()}
        assert roles == {**dict.fromkeys(responsible, "responsible"), **dict.fromkeys(lead, "lead")}, task.id
