"""The context of one command, built once: the global options (``--data``, ``--plan``,
``--skip-unreadable``) resolved into one :class:`~gkcli.core.workspace.Workspace`, which loads each
plan at most once, and the day the command answers for. Every command receives it through
:func:`of`; none resolves the plans again."""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import typer

from gkcli.core.workspace import Workspace
from gkcli.domain.deadlines import parse_date
from gkcli.domain.registry import Registry
from gkcli.errors import BadValue
from gkcli.store.locate import RegistryFolder

ENV_TODAY = "GKCLI_TODAY"


def today() -> dt.date:
    """Today, or the day GKCLI_TODAY fixes."""
    fixed = os.environ.get(ENV_TODAY)
    if fixed:
        try:
            return parse_date(fixed, dt.date.today())
        except ValueError as exc:
            raise BadValue(f"环境变量 {ENV_TODAY} 无效: {exc}") from None
    return dt.date.today()


def day(value: dt.date | None) -> dt.date:
    """The day a command answers for: ``--as-of``, else today."""
    return value if value is not None else today()


def day_in_plan(registry: Registry, value: dt.date | None) -> dt.date:
    """The day a question about the plan is answered for; a day after the plan's year is said once
    on standard error (every unfinished task is then long overdue), the data left as it is."""
    answer = day(value)
    if answer.year > registry.plan.year:
        end = dt.date(registry.plan.year, 12, 31).isoformat()
        sys.stderr.write(
            f"提示: {answer.isoformat()} 已在要点年度({registry.plan.year} 年)之后,未完成的任务都按那天计算逾期;"
            f"要看年末的情况请加 --as-of {end}\n"
        )
    return answer


@dataclass
class Context:
    """What ``--data`` names, the plans ``--plan`` keeps, and whether an unreadable plan is passed
    over; the workspace they make is resolved and loaded on first use, once."""

    data: tuple[str, ...] = ()
    plan_ids: tuple[str, ...] = ()
    skip_unreadable: bool = False
    _workspace: Workspace | None = field(default=None, repr=False)

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            from gkcli.store.workspace import chosen, plan_folders

            folders = chosen(plan_folders(self.data, os.environ, Path.cwd(), self.plan_ids), self.plan_ids)
            self._workspace = Workspace(folders, skip_unreadable=self.skip_unreadable)
        return self._workspace

    def registry(self, only: list[int] | None = None) -> Registry:
        """The one plan a command that works on one plan uses (``only``: the tasks it needs)."""
        return self.workspace.registry(only=only)

    def folder(self) -> RegistryFolder:
        """The registry folder of the one plan a command writes to."""
        return self.workspace.folder().folder

    def plans(self) -> list[tuple[str, Registry]]:
        """Every plan, loaded (what was passed over is said when the command ends)."""
        return self.workspace.plans()

    def day(self, as_of: dt.date | None) -> dt.date:
        """The day asked for; with one plan, a day past its year is said (see :func:`day_in_plan`)."""
        return day(as_of) if len(self.plans()) > 1 else day_in_plan(self.plans()[0][1], as_of)

    def target(self, ref: str) -> tuple[str, RegistryFolder, int]:
        """The plan, registry folder and task id a task reference (``12`` or ``2023:12``) names."""
        from gkcli.cli.options import task_id

        plan_id, sep, number = ref.rpartition(":")
        wanted = task_id(number)
        if not sep and len(self.workspace.folders) > 1:
            self.plans()  # a bare id is looked for in every plan
        return self.workspace.target(plan_id if sep else None, wanted)


def of(ctx: typer.Context) -> Context:
    """The command's context: the one the global options made, or (while the shell asks for
    completions, when only the line is parsed) one made from the options as typed."""
    found: Any = ctx.obj if ctx.obj is not None else ctx.find_root().obj
    if isinstance(found, Context):
        return found
    params = ctx.find_root().params
    made = Context(
        tuple(params.get("data") or ()), tuple(params.get("plan") or ()), bool(params.get("skip_unreadable"))
    )
    ctx.find_root().obj = made
    return made
