"""Recording work: done, progress, reopen, and the reminders and working copy around them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gkcli.cli import context
from gkcli.cli import options as opt
from gkcli.cli.base import command
from gkcli.domain.records import STATUS_LABELS, EntryKind
from gkcli.errors import BadValue
from gkcli.render.views import FormsView, Lines, RemindersView, Result
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
    if (
        share
        and entry is not None
        and entry.kind in ("done", "accept")
        and result.status != "done"
        and result.leads_total
    ):
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
    if result.entry is not None and result.entry.kind == "claim":
        return _confirmed(result, "已申请销号,待统筹单位审核(gkcli accept 销号,gkcli send-back 退回)")
    return _confirmed(result, "已登记完成")


@command("accept")
def accept_command(
    ctx: typer.Context, task: opt.TaskRef, on: On = None, note: Note = None, unit: Reporter = None,
    as_of: opt.AsOf = None,
) -> Result:  # fmt: skip
    """销号:审核通过单位的销号申请(--unit 为该单位的部分),该部分按申请的日期完成,销号日期为 --on。

    只有待审核的申请才能销号(要点设为销号审核制时,gkcli done 和填报表的完成日期都是申请)。

    示例: gkcli --data 台账 accept 27 --unit 县司法局 --on 2022-09-28
    """
    return _answered(ctx, task, "accept", on, note, unit, as_of, "已销号")


@command("send-back")
def send_back_command(
    ctx: typer.Context, task: opt.TaskRef,
    note: Annotated[str | None, typer.Option("--note", "-n", metavar="TEXT", help="退回理由(必填),单位在下次的填报表和通报中看到。")] = None,
    on: On = None, unit: Reporter = None, as_of: opt.AsOf = None,
) -> Result:  # fmt: skip
    """退回:不通过单位的销号申请(--unit 为该单位的部分),申请从 --on 起作废,该部分重新处于进行中;--note 写明理由。

    示例: gkcli --data 台账 send-back 27 --unit 县司法局 --note 佐证材料不全,请补充公开链接
    """
    return _answered(ctx, task, "send_back", on, note, unit, as_of, "已退回销号申请")


def _answered(
    ctx: typer.Context, task: str, kind: EntryKind, on: dt.date | None, note: str | None, unit: str | None,
    as_of: dt.date | None, said: str,
) -> Result:  # fmt: skip
    """The office's answer to a claim or a request, recorded and said."""
    from gkcli.core import updates

    result = updates.answer(
        *context.of(ctx).target(task)[1:], kind, as_of=context.day(as_of), today=context.today(), on=on, note=note,
        unit=unit,
    )  # fmt: skip
    return _confirmed(result, said)


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
        dt.date | None,
        typer.Option("--to", parser=opt.date_parser("--to"), metavar="DATE", help="新的截止日期(--decline 时不写)。",
                     show_default=False),
    ] = None,
    note: Note = None, on: On = None, unit: Reporter = None,
    request: Annotated[bool, typer.Option("--request", help="只登记单位的延期申请,等统筹单位批准(不改变截止日期)。")] = False,
    decline: Annotated[
        bool, typer.Option("--decline", help="不批准待批准的延期申请(--note 写明理由),截止日期不变。")
    ] = False,
    as_of: opt.AsOf = None,
) -> Result:  # fmt: skip
    """批准延期:从 --on 那天起,整项任务(或 --unit 单位的部分)的截止日期改为 --to,此前仍按原日期;--note 写明原因。

    已完成的任务不能延期,新的日期要晚于当时的截止日期。红黄绿灯、逾期、统计、通报和导出都按所问那天的截止日期计算。
    --request 登记单位的申请;--decline 答复不予延期(申请随之结束,不再显示“待批准”)。

    示例: gkcli --data 台账 extend 20 --to 2022-12-15 --unit 县大数据管理中心 --note 系统升级推迟
    """
    from gkcli.core import updates

    here = context.of(ctx)
    if decline:
        if request or to is not None:
            raise BadValue(
                "--decline 是答复申请,不与 --request、--to 同用", hint="例如 extend 20 --decline --note 理由"
            )
        return _answered(ctx, task, "decline", on, note, unit, as_of, "已答复不予延期(原截止日期不变)")
    if to is None:
        raise BadValue("请用 --to 写新的截止日期", hint="例如 extend 20 --to 2022-12-15;不批准申请用 --decline")
    result = updates.extend(
        *here.target(task)[1:], to=to, as_of=context.day(as_of), today=context.today(), note=note, on=on,
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
    missing_forms: Annotated[
        bool, typer.Option("--missing-forms", help="改为提醒尚未交回填报表的单位(按 log.yaml 中的发出和收回记录)。")
    ] = False,
    period: opt.FormPeriod = None,
    fmt: Annotated[opt.TextFormat, typer.Option("--format", "-f", help="输出格式。")] = opt.TextFormat.text,
) -> Result:  # fmt: skip
    """给每个单位生成一段提醒(红灯、黄灯任务,牵头在前),可直接粘贴到工作群。

    红灯含已逾期的任务和检查节点前未报送进展的任务;黄灯含临近到期和临近检查节点尚未报送的任务。
    加 --missing-forms 改为催交填报表:给发出了填报表而尚未交回的单位各写一段。

    示例: gkcli remind --within 14d、gkcli --data 台账 remind --missing-forms --period 2022-09
    """
    here = context.of(ctx)
    if missing_forms:
        return _missing_forms(here, period, known_on, fmt.value)
    if period is not None:
        raise BadValue("--period 只与 --missing-forms 同用", hint="例如 remind --missing-forms --period 2022-09")
    day = here.day(as_of)
    days = here.plans()[0][1].plan.warn_days if within is None else within
    reminders = here.workspace.reminders(day, days, unit, known_on)
    return Result(RemindersView(reminders, day, days), fmt.value)


def _missing_forms(here: context.Context, period: str | None, known_on: dt.date | None, fmt: str) -> Result:
    from gkcli.core.returns import forms_of
    from gkcli.store import office_log

    chosen, rows = forms_of(here.registry(), office_log.read(here.folder()), period, known_on)
    return Result(FormsView(chosen, rows, reminders=True), fmt)


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
