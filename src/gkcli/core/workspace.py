"""Several plans at once, in the engine: a workspace is the plans a command works over, each known
by its id and loaded at most once; one plan alone is a workspace of one.

It knows which unit is which across its plans (the same name or alias is one unit; ``same_as``
declares a rename once, and the newest plan names it) and answers the questions asked across
them: list, a unit's tasks, overdue, due, reminders, the calendar, the export and the counts by
plan. Each answer marks its items with their plan when there are several. The command line only
builds one workspace from ``--data``/``--plan`` and renders what it answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gkcli.core import queries
from gkcli.core.queries import Item
from gkcli.domain.records import Plan
from gkcli.domain.registry import Registry
from gkcli.domain.units import Entity, resolve_across, same_units
from gkcli.errors import BadValue, GkError, UnknownUnit
from gkcli.store.load import load_registries, load_registry
from gkcli.store.locate import RegistryFolder
from gkcli.store.workspace import PlanFolder, chosen

if TYPE_CHECKING:
    from gkcli.core.stats import Stats

Question = Callable[[str, Registry], list[Item]]  # asked of one plan, by its id
UnitQuestion = Callable[[Registry, "Entity | None"], list[Item]]  # asked of one plan about the unit meant there


@dataclass
class Answer:
    """Items from one plan or several (then each is marked with its plan), and the unit they are
    about as the newest plan names it (None when no unit was asked about)."""

    items: list[Item]
    several: bool
    unit: Entity | None = None


@dataclass
class Workspace:
    """The plans of one command, loaded once each, in the order given. ``skip_unreadable``: a plan
    that cannot be read is passed over (and said in :attr:`skipped`) instead of stopping the command."""

    folders: Sequence[PlanFolder]
    skip_unreadable: bool = False
    load: Callable[..., Registry] = load_registry  # one plan
    load_all: Callable[[Sequence[RegistryFolder]], list[Registry | GkError]] = load_registries  # several at once
    skipped: list[str] = field(default_factory=list)  # what was passed over, in words
    _loaded: dict[str, Registry] = field(default_factory=dict)
    _plans: list[tuple[str, Registry]] | None = None

    # ---- the plans -------------------------------------------------------------------------------

    @property
    def ids(self) -> list[str]:
        return [plan.id for plan in self.folders]

    def folder(self, plan_id: str | None = None) -> PlanFolder:
        """The plan ``plan_id`` names, or the one plan of a workspace of one (several: an error
        naming them, for a command that works on one plan)."""
        if plan_id is not None:
            return chosen(list(self.folders), [plan_id])[0]
        if len(self.folders) > 1:
            raise BadValue(
                f"工作区中有 {len(self.folders)} 份要点({'、'.join(self.ids)}),这个命令一次只用一份",
                hint=f"加 --plan 指定,如 gkcli --plan {self.folders[-1].id} …",
            )
        return self.folders[0]

    def registry(self, plan_id: str | None = None, only: Sequence[int] | None = None) -> Registry:
        """One plan, loaded once (``only``: the tasks a command needs, when it needs no others)."""
        plan = self.folder(plan_id)
        found = self._loaded.get(plan.id)
        if found is not None:
            return found
        if only is not None:  # a part of it, for this one use
            return self.load(plan.folder, only=only)
        found = self._loaded[plan.id] = self.load(plan.folder)
        return found

    def plans(self) -> list[tuple[str, Registry]]:
        """Every plan, loaded once, by id. A plan that cannot be read stops the command, named,
        unless ``skip_unreadable``; then it is passed over and said in :attr:`skipped`."""
        if self._plans is not None:
            return self._plans
        waiting = [plan for plan in self.folders if plan.id not in self._loaded]
        found: dict[str, Registry | GkError] = {}
        if len(waiting) > 1:  # read together (see store.load.load_registries)
            found = dict(zip([p.id for p in waiting], self.load_all([p.folder for p in waiting]), strict=True))
        loaded: list[tuple[str, Registry]] = []
        for plan in self.folders:
            try:
                answer = found.get(plan.id)
                if isinstance(answer, GkError):
                    raise answer
                if answer is not None:
                    self._loaded[plan.id] = answer
                loaded.append((plan.id, self.registry(plan.id)))
            except GkError as exc:
                if len(self.folders) == 1:
                    raise
                if not self.skip_unreadable:
                    exc.message = f"工作区中的要点 {plan.id} 无法读取: {exc.message}"
                    exc.hint = f"{exc.hint + ';' if exc.hint else ''}修好它,或加 --skip-unreadable 跳过它"
                    exc.args = (exc.message,)
                    raise
                self.skipped.append(f"已跳过无法读取的要点 {plan.id}: {exc.message}")
        if not loaded:
            raise BadValue("工作区中没有一份要点能读取")
        _settle_continued(loaded)
        self._plans = loaded
        return loaded

    @property
    def several(self) -> bool:
        return len(self.plans()) > 1

    def by_age(self) -> list[tuple[str, Registry]]:
        """The plans oldest first: by year, then the day each was issued."""
        return sorted(self.plans(), key=lambda plan: (plan[1].plan.year, plan[1].plan.issued_on))

    def other_plans(self, plan_id: str) -> list[tuple[str, Registry]]:
        return [(other, registry) for other, registry in self.plans() if other != plan_id]

    def target(self, plan_id: str | None, task_id: int) -> tuple[str, RegistryFolder, int]:
        """The plan and folder of a task reference (``2023:12``, or ``12`` where one plan has it;
        several having it is an error listing them)."""
        if plan_id is not None:
            plan = self.folder(plan_id)
            return plan.id, plan.folder, task_id
        if len(self.folders) == 1:
            return self.folders[0].id, self.folders[0].folder, task_id
        having = [(pid, registry) for pid, registry in self.plans() if task_id in registry.tasks_by_id]
        if len(having) == 1:
            return having[0][0], self.folder(having[0][0]).folder, task_id
        if not having:
            raise BadValue(f"工作区的要点中都没有序号为 {task_id} 的任务")
        raise BadValue(
            f"序号 {task_id} 在 {len(having)} 份要点中都有",
            hint=f"请写明哪一份: {'、'.join(f'{pid}:{task_id}' for pid, _ in having)}",
        )

    # ---- one unit across the plans ---------------------------------------------------------------

    def units_meant(self, name: str | None) -> tuple[dict[str, Entity | None], Entity | None]:
        """The unit ``name`` means in each plan, by plan id (None where a plan does not know it,
        see :func:`~gkcli.domain.units.resolve_across`, or when no name is given), and the unit as
        the newest plan that knows it names it (a renamed unit goes by its new name)."""
        plans = self.plans()
        if name is None:
            return dict.fromkeys((pid for pid, _ in plans), None), None
        found = resolve_across([r.directory for _, r in plans], name)
        meant = {pid: entity for (pid, _), entity in zip(plans, found, strict=True)}
        named = next((meant[pid] for pid, _ in reversed(self.by_age()) if meant[pid] is not None), None)
        return meant, named

    def ask(self, question: Question) -> Answer:
        """``question``'s answer from every plan, each item marked with its plan when there are
        several. A plan that does not know a unit asked for is passed over; none knowing it is
        the error."""
        plans = self.plans()
        if len(plans) == 1:
            return Answer(question(*plans[0]), False)
        items: list[Item] = []
        unknown: list[UnknownUnit] = []
        for plan_id, registry in plans:
            try:
                items += [queries.item_with(i, plan=plan_id) for i in question(plan_id, registry)]
            except UnknownUnit as exc:
                unknown.append(exc)
        if len(unknown) == len(plans):
            raise unknown[0]
        return Answer(items, True)

    def ask_about(self, name: str | None, question: UnitQuestion) -> Answer:
        """``question`` asked of every plan about the unit ``name`` means there (None when no unit
        is named; a plan that does not know the unit gives nothing)."""
        meant, named = self.units_meant(name)

        def ask(plan_id: str, registry: Registry) -> list[Item]:
            entity = meant[plan_id]
            if name is not None and entity is None:
                return []  # a plan of the workspace that does not know the unit
            return question(registry, entity)

        answer = self.ask(ask)
        answer.unit = named
        return answer

    # ---- the questions ---------------------------------------------------------------------------

    def list_tasks(
        self, task_filter: Callable[[Registry], queries.TaskFilter]
    ) -> tuple[Answer, dict[str, queries.TaskFilter]]:
        """``list`` across the plans, each with the filter made for it; the filters by plan id (the
        plans that know a unit asked for)."""
        asked: dict[str, queries.TaskFilter] = {}

        def ask(plan_id: str, registry: Registry) -> list[Item]:
            made = asked[plan_id] = task_filter(registry)
            return queries.list_tasks(registry, made)

        return self.ask(ask), asked

    def overdue(
        self, day: dt.date, unit: str | None = None, warn_days: int | None = None, known_on: dt.date | None = None,
        *, checkpoints: bool = False,
    ) -> Answer:  # fmt: skip
        """Overdue tasks of every plan, the most overdue first across them; with ``checkpoints``, the
        tasks whose latest checkpoint before ``day`` was missed, the longest missed first."""
        answer = self.ask_about(
            unit,
            lambda registry, entity: queries.overdue(
                registry, day, entity, warn_days, known_on, checkpoints=checkpoints
            ),
        )
        if answer.several:
            answer.items.sort(key=_missed_first if checkpoints else _most_overdue_first)
        return answer

    def due(self, day: dt.date, within: int, unit: str | None = None, known_on: dt.date | None = None) -> Answer:
        """Tasks due within ``within`` days in every plan, the soonest first across them."""
        answer = self.ask_about(
            unit, lambda registry, entity: queries.due_within(registry, day, within, entity, known_on=known_on)
        )
        if answer.several:
            answer.items.sort(key=lambda i: (i.due or dt.date.max, i.plan or "", i.task.id))
        return answer

    def unit_tasks(
        self, name: str, day: dt.date, *, direct: bool = False, warn_days: int | None = None,
        known_on: dt.date | None = None,
    ) -> Answer:  # fmt: skip
        """Every task of the unit ``name`` means in each plan (a plan that does not know it has none)."""

        def ask(registry: Registry, entity: Entity | None) -> list[Item]:
            assert entity is not None  # a unit is named: a plan that does not know it is not asked
            return queries.unit_tasks(
                registry, entity, direct_only=direct, as_of=day, warn_days=warn_days, known_on=known_on
            )

        return self.ask_about(name, ask)

    def calendar_items(self, day: dt.date, unit: str | None = None, known_on: dt.date | None = None) -> Answer:
        """Every task of every plan on ``day`` (of ``unit``), soonest first within each plan."""
        return self.ask_about(
            unit,
            lambda registry, entity: queries.list_tasks(
                registry, queries.TaskFilter(as_of=day, unit=entity, sort="due", known_on=known_on)
            ),
        )

    def reminders(
        self, day: dt.date, days: int, unit: str | None = None, known_on: dt.date | None = None
    ) -> list[queries.Reminder]:
        """One reminder per unit over every plan: a unit renamed between plans (``same_as``) is one,
        under the newest name; each task marked with its plan when there are several."""
        plans = self.plans()
        if len(plans) == 1:
            registry = plans[0][1]
            entity = registry.directory.resolve(unit) if unit is not None else None
            return queries.reminders(registry, day, days, entity, known_on)
        meant, _ = self.units_meant(unit)
        one_name = same_units([r.directory for _, r in self.by_age()])
        merged: dict[str, queries.Reminder] = {}
        for plan_id, registry in plans:
            entity = meant[plan_id]
            if unit is not None and entity is None:
                continue  # a plan that does not know the unit
            for reminder in queries.reminders(registry, day, days, entity, known_on):
                name = one_name.get(reminder.unit, reminder.unit)
                mine = merged.setdefault(name, queries.Reminder(name, [], []))
                mine.red.extend(queries.item_with(i, plan=plan_id) for i in reminder.red)
                mine.yellow.extend(queries.item_with(i, plan=plan_id) for i in reminder.yellow)
        for reminder in merged.values():  # leads first, then by due date, across the plans
            for items in (reminder.red, reminder.yellow):
                items.sort(key=lambda i: (i.role != "lead", i.due or dt.date.max, i.plan or "", i.task.id))
        return list(merged.values())

    def counts_by_plan(self, day: dt.date, warn_days: int | None = None, known_on: dt.date | None = None) -> Stats:
        """Each plan a row of its own totals on ``day``, and their sum (``stats --by plan``)."""
        from gkcli.core.stats import by_plan, compute  # only this question counts: the others need not load it

        totals = [(pid, compute(r, day, "status", warn_days, known_on).total) for pid, r in self.plans()]
        return by_plan(day, totals)

    def plans_by_id(self) -> Mapping[str | None, Plan]:
        """Each plan's particulars by its id; one plan alone by None (its items carry no plan)."""
        several = self.several
        return {(pid if several else None): registry.plan for pid, registry in self.plans()}


def _most_overdue_first(item: Item) -> tuple[int, str, int]:
    return -(item.days_overdue or 0), item.plan or "", item.task.id


def _missed_first(item: Item) -> tuple[dt.date, str, int]:
    return (
        item.checkpoint.latest if item.checkpoint and item.checkpoint.latest else dt.date.max,
        item.plan or "",
        item.task.id,
    )


def _settle_continued(plans: list[tuple[str, Registry]]) -> None:
    """Tell each plan which of its tasks a later plan of the workspace continues (``carried_from``
    naming it), so they read as carried over from that plan's issue date."""
    links: dict[str, dict[int, tuple[str, dt.date]]] = {}
    for plan_id, registry in plans:
        for task in registry.tasks:
            if task.carried_from:
                origin, _, number = task.carried_from.rpartition(":")
                if origin == plan_id:
                    continue  # a task continuing its own plan: GK510
                links.setdefault(origin, {})[int(number)] = (f"{plan_id}:{task.id}", registry.plan.issued_on)
    for plan_id, registry in plans:
        mine = {n: link for n, link in links.get(plan_id, {}).items() if n in registry.tasks_by_id}
        if mine:
            registry.continue_in(mine)
