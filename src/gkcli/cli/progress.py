"""Recording work: done, progress, reopen, and the reminders and working copy around them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gkcli.cli import context
from gkcli.cli import options as opt
from gkcli.cli.base import command
from gkcli.domain.records import STATUS_LABELS
from gkcli.render.views import Lines, RemindersView, Result
from gkcli.store.files import shown

if TYPE_CHECKING:
    from gkcli.core.updates import UpdateResult

On = Annotated[
    dt.date | None,
    typer.Option("--on", parser=opt.date_parser("--on"), metavar="DATE",
                 help="日期,默认今天(--as-of);不能早于印发日期,也不能晚于今天。"),
]  # fmt: skip
Note = Annotated[str | None, typer.Option("--note", "-n", metavar="TEXT", help="进展说明。")]
Link = Annotated[
    str | None,
    typer.Option(
        "--link", parser=opt.nonblank("--link"), metavar="URL", help="可查看成果的网址(http:// 或 https://)。"
    ),
]
Reporter = Annotated[
    str | None,
    typer.Option("--unit", "-u", parser=opt.nonblank("--unit"), metavar="UNIT",
                 help="报告单位(可用简称、别名),须在任务中有角色;不写时记为整项任务。"),
]  # fmt: skip


def _confirmed(result: UpdateResult, what: str) -> Result:
    """What was recorded, in words: whose share, what remains of the task, the date now in force."""
    entry = result.entry
    logged = (
        f";记录: {' '.join(filter(None, [entry.on.isoformat(), entry.unit, entry.note, entry.link]))}" if entry else ""
    )
    share = result.share if entry is not None and entry.kind != "progress" else None
    state = f"任务状态: {STATUS_LABELS[result.status]}" if share else f"状态: {STATUS_LABELS[result.status]}"
    if share and entry is not None and entry.kind == "done" and result.status != "done" and result.leads_total:
        done = result.leads_total - len(result.leads_open)
        state += f";牵头单位完成 {done}/{result.leads_total},尚未完成: {'、'.join(result.leads_open)}"
    subject = f"任务 {result.task_id}:{share} 的部分" if share else f"任务 {result.task_id} "
    line = f"{subject}{what}({state}){logged}"
    notes = [f"已写入 {shown(result.path)}"]
    if entry is not None and entry.unit is not None and result.share is None:
        notes.insert(0, f"{entry.unit} 在任务 {result.task_id} 中没有角色,作为统筹单位登记的是整项任务")
    return Result(Lines([line]), notes=notes)


@command("done")
def done_command(
    ctx: typer.Context, task: opt.TaskRef, on: On = None, note: Note = None, unit: Reporter = None,
    link: Link = None, as_of: opt.AsOf = None,
) -> Result:  # fmt: skip
    """登记完成:不写 --unit 为整项任务完成;写 --unit 为该单位完成了自己那部分(全部牵头单位完成即整项完成)。

    示例: gkcli --data 台账 done 36 --on 2022-07-28 --unit 县政府办公室 --note 矩阵已建成
    """
    from gkcli.core import updates

    result = updates.mark_done(
        *context.of(ctx).target(task)[1:], as_of=context.day(as_of), today=context.today(), on=on, note=note, unit=unit,
        link=link,
    )  # fmt: skip
    return _confirmed(result, "已登记完成")


@command("progress")
def progress_command(
    ctx: typer.Context, task: opt.TaskRef, note: Note = None, on: On = None, unit: Reporter = None,
    link: Link = None, as_of: opt.AsOf = None,
) -> Result:  # fmt: skip
    """登记一条进展(未开始的任务随之变为进行中)。可补记更早的日期,按日期插入记录。

    示例: gkcli --data 台账 progress 4 --unit 县发展和改革局 --note 已起草反馈机制
    """
    from gkcli.core import updates

    result = updates.add_progress(
        *context.of(ctx).target(task)[1:], as_of=context.day(as_of), today=context.today(), note=note, on=on, unit=unit,
        link=link,
    )  # fmt: skip
    return _confirmed(result, "已登记进展")


@command("extend")
def extend_command(
    ctx: typer.Context, task: opt.TaskRef,
    to: Annotated[
        dt.date, typer.Option("--to", parser=opt.date_parser("--to"), metavar="DATE", help="新的截止日期。",
                              show_default=False),
    ],
    note: Note = None, on: On = None, unit: Reporter = None,
    request: Annotated[bool, typer.Option("--request", help="只登记单位的延期申请,等统筹单位批准(不改变截止日期)。")] = False,
    as_of: opt.AsOf = None,
) -> Result:  # fmt: skip
    """批准延期:从 --on 那天起,整项任务(或 --unit 单位的部分)的截止日期改为 --to,此前仍按原日期;--note 写明原因。

    已完成的任务不能延期,新的日期要晚于当时的截止日期。红黄绿灯、逾期、统计、通报和导出都按所问那天的截止日期计算。

    示例: gkcli --data 台账 extend 20 --to 2022-12-15 --unit 县大数据管理中心 --note 系统升级推迟
    """
    from gkcli.core import updates

    result = updates.extend(
        *context.of(ctx).target(task)[1:], to=to, as_of=context.day(as_of), today=context.today(), note=note, on=on,
        unit=unit, request=request,
    )  # fmt: skip
    if request:
        return _confirmed(result, f"已登记延期申请(申请延至 {to.isoformat()},待批准)")
    return _confirmed(result, f"已延期至 {to.isoformat()}")


@command("reopen")
def reopen_command(
    ctx: typer.Context, task: opt.TaskRef, note: Note = None, on: On = None, unit: Reporter = None,
    as_of: opt.AsOf = None,
) -> Result:  # fmt: skip
    """重新打开已完成的任务(或 --unit 单位已完成的部分),原因记入进展。

    示例: gkcli --data 台账 reopen 36 --note 复查未通过
    """
    from gkcli.core import updates

    result = updates.reopen(
        *context.of(ctx).target(task)[1:], as_of=context.day(as_of), today=context.today(), on=on, note=note, unit=unit
    )
    return _confirmed(result, "已重新打开")


@command("remind")
def remind_command(
    ctx: typer.Context,
    within: Annotated[
        int | None,
        typer.Option("--within", "-w", parser=opt.days_parser("--within"), metavar="DAYS",
                     help="提醒多少天内到期的任务(黄灯),如 14d;默认取 plan.warn_days。"),
    ] = None,
    as_of: opt.AsOf = None,
    known_on: opt.KnownOn = None,
    unit: opt.UnitName = None,
    fmt: Annotated[opt.TextFormat, typer.Option("--format", "-f", help="输出格式。")] = opt.TextFormat.text,
) -> Result:  # fmt: skip
    """给每个单位生成一段提醒(红灯、黄灯任务,牵头在前),可直接粘贴到工作群。

    示例: gkcli remind --within 14d
    """
    here = context.of(ctx)
    day = here.day(as_of)
    days = here.plans()[0][1].plan.warn_days if within is None else within
    reminders = here.workspace.reminders(day, days, unit, known_on)
    return Result(RemindersView(reminders, day, days), fmt.value)


@command("init")
def init_command(
    folder: Annotated[str, typer.Argument(metavar="DIR", help="新台账文件夹(不存在会创建)。", show_default=False)],
    source: Annotated[
        str | None,
        typer.Option(
            "--from", parser=opt.nonblank("--from"), metavar="FILE", help="从新一年的要点文件建台账(同 gkcli import)。"
        ),
    ] = None,
) -> Result:
    """把内置台账复制到 DIR,作为可以登记进展的工作台账;或用 --from 从新一年的要点文件建台账。已有文件不会被覆盖。

    示例: gkcli init 台账、gkcli init --from 要点文字层.txt 新台账
    """
    from gkcli.core import updates

    directory = Path(opt.given(folder, "DIR") or "")
    if source is not None:
        from gkcli.cli.plan_import import run_import

        return run_import(Path(source), directory)
    copied = updates.init_registry(directory)
    hint = f"之后用 gkcli --data {shown(directory)} … 或设置 GKCLI_DATA={shown(directory)} 使用这份台账"
    return Result(Lines([f"已创建 {shown(path)}" for path in copied]), notes=[hint])
