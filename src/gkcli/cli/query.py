"""Questions: list, show, unit, units, overdue, due."""

from __future__ import annotations

from typing import Annotated

import typer

from gkcli.cli import context
from gkcli.cli import options as opt
from gkcli.cli.base import command
from gkcli.core import queries
from gkcli.errors import EXIT_FOUND
from gkcli.render.views import ListKind, Related, Result, TaskDetail, TaskListing, UnitsView


@command("list")
@opt.with_task_filter
def list_command(
    ctx: typer.Context,
    task_filter: opt.TaskFilterFactory,
    sort: Annotated[opt.Sort, typer.Option("--sort", help="排序方式。")] = opt.BY_ID,
    limit: opt.Limit = opt.TABLE_ROWS,
    fmt: opt.Format = None,
) -> Result:
    """列出任务,各筛选条件可以组合。

    示例: gkcli list --unit 县财政局 --role lead --deadline 全年
    """
    answer, asked = context.of(ctx).workspace.list_tasks(lambda registry: task_filter(registry, sort.value))
    items, several = answer.items, answer.several
    query = next(iter(asked.values()))
    kind: ListKind = "unit" if query.unit else ("overdue" if query.overdue else "list")
    listing = TaskListing(
        f"任务清单(共 {len(items)} 项)", items, kind, overdue=query.overdue, limit=limit, plans=several
    )
    return Result(listing, opt.output_format(fmt))


@command("show")
def show_command(
    ctx: typer.Context,
    task: opt.TaskRef,
    as_of: opt.AsOf = None,
    known_on: opt.KnownOn = None,
    warn_days: opt.WarnDays = None,
    related: Annotated[
        bool,
        typer.Option(
            "--related",
            help="同时列出工作区其他要点中做同一件事的任务(市级任务在各县要点中的相应任务、上一年或下一年的同一任务)。",
        ),
    ] = False,
    fmt: opt.Format = None,
) -> Result:
    """显示一项任务的全部信息:灯、进展记录、重建单元格的来源说明。

    示例: gkcli show 10(工作区中几份要点都有 10 时写 gkcli show 2023:10)
    """
    here = context.of(ctx)
    plan_id, _, task_id = here.target(task)
    registry = here.workspace.registry(plan_id)
    day = context.day_in_plan(registry, as_of)
    item = queries.get_task(registry, task_id, day, warn_days, known_on)
    part, section = registry.sections[item.task.section]
    found: list[Related] | None = None
    if related:
        from gkcli.core.plans import counterparts

        others = here.workspace.other_plans(plan_id)
        by_id = dict(others)
        found = [
            Related(c.plan, queries.get_task(by_id[c.plan], c.task.id, day, warn_days, known_on), c.likeness, c.linked)
            for c in counterparts(plan_id, item.task, others)
        ]
    return Result(TaskDetail(item, part, section, found), opt.output_format(fmt))


@command("unit")
def unit_command(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME",
            autocompletion=opt.complete_unit,
            help="单位名称、别名、简称或拼音,如 县财政局、财政局、czj、菜园镇。",
        ),
    ],
    direct: Annotated[
        bool, typer.Option("--direct", help="只看直接点名的任务,不含经群组(县属有关单位、各乡镇人民政府)分派的。")
    ] = False,
    role: Annotated[str | None, opt.role_option("只看牵头或责任的任务。")] = None,
    as_of: opt.AsOf = None,
    known_on: opt.KnownOn = None,
    warn_days: opt.WarnDays = None,
    limit: opt.Limit = opt.TABLE_ROWS,
    fmt: opt.Format = None,
) -> Result:
    """一个单位要做的全部任务,注明牵头或责任、直接点名或经群组分派。

    示例: gkcli unit 县财政局
    """
    here = context.of(ctx)
    day = here.day(as_of)
    answer = here.workspace.unit_tasks(
        opt.given(name, "NAME") or "", day, direct=direct, warn_days=warn_days, known_on=known_on
    )
    items, several, entity = answer.items, answer.several, answer.unit
    assert entity is not None  # some plan knows it, or resolving it was the error
    if role is not None:
        items = [i for i in items if i.role == role]
    leads = sum(1 for i in items if i.role == "lead")
    where = f"{len({i.plan for i in items})} 份要点中" if several else ""
    title = f"{entity.name}:{where}共 {len(items)} 项任务(牵头 {leads} 项,责任 {len(items) - leads} 项)"
    if entity.is_group and not entity.members_known:
        title += ";该群组成员未在要点中列出"
    return Result(TaskListing(title, items, "unit", limit=limit, plans=several), opt.output_format(fmt))


@command("units")
def units_command(ctx: typer.Context, fmt: opt.Format = None) -> Result:
    """全部单位和群组,以及各自牵头、责任的任务数(直接点名与经群组分开统计)。"""
    return Result(UnitsView(queries.unit_loads(context.of(ctx).registry())), opt.output_format(fmt))


@command("overdue")
def overdue_command(
    ctx: typer.Context,
    as_of: opt.AsOf = None,
    known_on: opt.KnownOn = None,
    unit: opt.UnitName = None,
    exit_code: Annotated[bool, typer.Option("--exit-code", help="发现逾期任务时以退出码 1 结束(用于 CI)。")] = False,
    warn_days: opt.WarnDays = None,
    checkpoints: Annotated[
        bool,
        typer.Option(
            "--checkpoints", help="改为列出错过最近一个检查节点的任务(未按期报送:节点前牵头单位没有登记进展)。"
        ),
    ] = False,
    limit: opt.Limit = opt.TABLE_ROWS,
    fmt: opt.Format = None,
) -> Result:
    """已过截止日期仍未完成的任务,逾期最久的在前。截止日当天不算逾期。

    加 --checkpoints 列出年中检查节点未按期报送的任务(任务写了 checkpoints 时),错过最久的在前。

    示例: gkcli overdue --as-of 2022-10-01、gkcli overdue --checkpoints --as-of 2022-10-08
    """
    here = context.of(ctx)
    day = here.day(as_of)
    answer = here.workspace.overdue(day, unit, warn_days, known_on, checkpoints=checkpoints)
    items, several, named = answer.items, answer.several, answer.unit
    who = f"{named.name}的" if named else ""
    what = "检查节点未按期报送的任务" if checkpoints else "逾期任务"
    title = f"截至 {day.isoformat()} {who}{what}(共 {len(items)} 项)"
    listing = TaskListing(title, items, "checkpoints" if checkpoints else "overdue", limit=limit, plans=several)
    return Result(listing, opt.output_format(fmt), exit_code=EXIT_FOUND if exit_code and items else 0)


@command("due")
def due_command(
    ctx: typer.Context,
    within: Annotated[
        int,
        typer.Option(
            "--within", "-w", parser=opt.days_parser("--within"), metavar="DAYS", help="多少天内到期:30d、2w、14天。"
        ),
    ] = "30d",  # type: ignore[assignment]  # parsed by days_parser
    as_of: opt.AsOf = None,
    known_on: opt.KnownOn = None,
    unit: opt.UnitName = None,
    limit: opt.Limit = opt.TABLE_ROWS,
    fmt: opt.Format = None,
) -> Result:
    """临近到期的未完成任务(从 --as-of 当天起,含首尾两天)。

    示例: gkcli due --within 30d --as-of 2022-09-01
    """
    here = context.of(ctx)
    day = here.day(as_of)
    answer = here.workspace.due(day, within, unit, known_on)
    items, several = answer.items, answer.several
    until = queries.due_until(day, within)
    title = f"{day.isoformat()} 至 {until.isoformat()} 到期的任务(共 {len(items)} 项)"
    return Result(TaskListing(title, items, "due", limit=limit, plans=several), opt.output_format(fmt))
