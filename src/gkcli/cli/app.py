"""The command line: parse options, call the core, render. Nothing else lives here."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from gkcli import __version__
from gkcli.check.rules import Diagnostic
from gkcli.core import queries
from gkcli.domain.deadlines import DATE_FORMS, add_days, parse_date, parse_days
from gkcli.domain.records import STATUS_LABELS
from gkcli.domain.registry import Registry
from gkcli.domain.units import Entity
from gkcli.errors import EXIT_FAILED, EXIT_FOUND, EXIT_OK, BadValue, GkError, RegistryInvalid, describe_os_error
from gkcli.render import formats as render
from gkcli.store.files import shown
from gkcli.store.load import load_registry
from gkcli.store.locate import RegistryFolder, locate, locate_path
from gkcli.text import ASCII_DIGITS, fold_digits, terminal_safe

if TYPE_CHECKING:
    from gkcli.core.updates import UpdateResult

ENV_TODAY = "GKCLI_TODAY"
SHOWN_PROBLEMS = 10


ENV_DEBUG = "GKCLI_DEBUG"
_FRAMEWORK = (typer.Exit, typer.Abort, TyperException)  # usage errors and exits: typer reports them


class _Group(TyperGroup):
    """The one place errors become output: a GkError is one message and its exit code, a
    closed pipe is a quiet success, anything else is an internal error (exit 2, never a
    traceback unless GKCLI_DEBUG=1)."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except GkError as exc:
            _report(exc)
            raise typer.Exit(exc.exit_code) from None
        except (SystemExit, *_FRAMEWORK):
            raise
        except BaseException as exc:
            raise typer.Exit(_unexpected(exc)) from None


def _unexpected(exc: BaseException) -> int:
    """The exit code for an exception no command turned into a GkError."""
    if isinstance(exc, BrokenPipeError):  # the reader left (gkcli ... | head): not an error
        _silence_stdout()
        return EXIT_OK
    if isinstance(exc, KeyboardInterrupt):
        sys.stderr.write("已中断\n")
        return EXIT_FAILED
    if isinstance(exc, OSError):  # output to a full disk, a file over ulimit -f ...
        _report(GkError(f"无法完成: {describe_os_error(exc)}", hint="请检查输出位置(磁盘空间、权限)后重试"))
        return EXIT_FAILED
    if os.environ.get(ENV_DEBUG):
        traceback.print_exception(exc)
    _report(
        GkError(
            f"内部错误({type(exc).__name__}):这是 gkcli 的缺陷,不是您的输入有误",
            hint=f"请把所用命令报告给维护者;设置 {ENV_DEBUG}=1 可显示调用栈",
        )
    )
    return EXIT_FAILED


@contextlib.contextmanager
def _reader_may_leave() -> Iterator[None]:
    """Output whose reader may go away (``| head``) while the command's exit code still matters."""
    try:
        yield
    except BrokenPipeError:
        _silence_stdout()


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that flushing what is left at exit cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _report(exc: GkError) -> None:
    err = sys.stderr
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()  # what was printed before the error comes first
    if isinstance(exc, RegistryInvalid):
        problems = [d for d in exc.diagnostics if d.severity == "error"]
        for diag in problems[:SHOWN_PROBLEMS]:
            err.write(render.format_diagnostic(diag) + "\n")
        if len(problems) > SHOWN_PROBLEMS:
            err.write(f"……另有 {len(problems) - SHOWN_PROBLEMS} 处错误\n")
    err.write(f"错误: {terminal_safe(exc.message)}\n")
    if exc.hint:
        err.write(f"提示: {terminal_safe(exc.hint)}\n")
    err.flush()


app = typer.Typer(
    name="gkcli",
    cls=_Group,
    help="政务公开工作要点任务台账:查询任务、单位、逾期和临近到期事项,并校验台账。",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


FormatOpt = Annotated[
    str | None,
    typer.Option("--format", "-f", help="输出格式: table、json、csv、markdown;默认在终端显示表格,管道中输出 JSON。"),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="按哪一天计算:2022-10-01、2022/10/1、2022年10月1日 或 today(默认今天)。"),
]
UnitOpt = Annotated[str | None, typer.Option("--unit", "-u", help="只看这个单位(可用简称、别名)。")]
WarnOpt = Annotated[
    int | None,
    typer.Option("--warn-days", min=0, help="到期前多少天亮黄灯;默认取台账 plan.warn_days(未写时为 30)。"),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gkcli {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data", help="台账文件夹(含 tasks.yaml 与 units.yaml);默认依次为 $GKCLI_DATA、./data、内置台账。"
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", help="显示版本并退出。", callback=_version, is_eager=True)
    ] = False,
) -> None:
    """政务公开工作要点任务台账。

    示例: gkcli overdue、gkcli unit 县财政局、gkcli check
    """
    ctx.obj = data


# ---- helpers --------------------------------------------------------------------------------


def _source(ctx: typer.Context) -> RegistryFolder:
    return locate(ctx.obj, os.environ, Path.cwd())


def _registry(ctx: typer.Context) -> Registry:
    return load_registry(_source(ctx))


def _today() -> dt.date:
    fixed = os.environ.get(ENV_TODAY)
    if fixed:
        try:
            return parse_date(fixed, dt.date.today())
        except ValueError as exc:
            raise BadValue(f"环境变量 {ENV_TODAY} 无效: {exc}") from None
    return dt.date.today()


def _date(text: str | None, option: str) -> dt.date:
    today = _today()
    if text is None:
        return today
    try:
        return parse_date(text, today)
    except ValueError as exc:
        raise BadValue(f"{option} {exc}", hint=f"日期写法: {DATE_FORMS}") from None


def _days(text: str, option: str) -> int:
    try:
        return parse_days(text)
    except ValueError as exc:
        raise BadValue(f"{option} {exc}") from None


def _optional_date(text: str | None, option: str) -> dt.date | None:
    return None if text is None else _date(text, option)


def _choice(value: str, choices: tuple[str, ...], option: str) -> str:
    cleaned = value.strip().lower()
    if cleaned not in choices:
        _fail(f"{option} 不能是 {value}", hint=f"可用: {'、'.join(choices)}")
    return cleaned


def _format(fmt: str | None) -> render.Format:
    if fmt is not None:
        return _choice(fmt, render.FORMATS, "--format")  # type: ignore[return-value]
    return "table" if sys.stdout.isatty() else "json"


def _fail(message: str, hint: str | None = None) -> NoReturn:
    raise BadValue(message, hint=hint)


def _given(value: str | None, option: str) -> str | None:
    """An option's text, refused when it is given but blank (``--unit ""`` filters nothing)."""
    if value is not None and not value.strip():
        _fail(f"{option} 不能为空", hint=f"不需要这个条件时,请不写 {option}")
    return value


def _unit(registry: Registry, name: str | None, option: str = "--unit") -> Entity | None:
    """The unit or group an option names (None when the option is not given)."""
    name = _given(name, option)
    return registry.directory.resolve(name) if name is not None else None


TaskIdArg = Annotated[str, typer.Argument(metavar="ID", help="任务序号。", show_default=False)]


def _task_id(text: str) -> int:
    """A task id as typed: ASCII or full-width digits only (not ٣, 1_0, " 5" or -1)."""
    digits = fold_digits(text)
    if not ASCII_DIGITS.fullmatch(digits) or len(digits) > 9:
        _fail(f"任务序号应为正整数: {terminal_safe(text, one_line=True)}", hint="例如 gkcli show 36")
    return int(digits)


# ---- commands -------------------------------------------------------------------------------


RoleOpt = Annotated[str | None, typer.Option("--role", help="与 --unit 合用:只看牵头(lead)或责任(responsible)。")]
DirectOpt = Annotated[bool, typer.Option("--direct", help="与 --unit 合用:只看直接点名的任务,不含经群组分派的。")]
SectionOpt = Annotated[str | None, typer.Option("--section", "-s", help="部分或小节,如 2 或 2.3。")]
StatusOpt = Annotated[
    str | None, typer.Option("--status", help="状态: 未开始/进行中/已完成(或 not_started/in_progress/done)。")
]
DeadlineOpt = Annotated[str | None, typer.Option("--deadline", help="完成时限原文,如 全年、12月底前。")]
DueBeforeOpt = Annotated[str | None, typer.Option("--due-before", help="截止日期不晚于这一天(含)。")]
DueAfterOpt = Annotated[str | None, typer.Option("--due-after", help="截止日期不早于这一天(含)。")]
SearchOpt = Annotated[str | None, typer.Option("--search", help="在重点工作、单位、来源说明中查找文字。")]
OverdueOpt = Annotated[bool, typer.Option("--overdue", help="只看已逾期未完成的任务(按 --as-of 计算)。")]
LightOpt = Annotated[
    str | None, typer.Option("--light", help="只看某种灯: red、yellow、green、done、done_late(或 红、黄、绿)。")
]
SortOpt = Annotated[str, typer.Option("--sort", help="排序: id、due、section、status。")]


def _task_filter(
    registry: Registry,
    *,
    unit: str | None,
    role: str | None,
    direct: bool,
    section: str | None,
    status: str | None,
    deadline: str | None,
    due_before: str | None,
    due_after: str | None,
    search: str | None,
    overdue: bool,
    light: str | None,
    as_of: str | None,
    warn_days: int | None,
    sort: str,
) -> queries.TaskFilter:
    """The filter that ``list`` and ``export`` share, from their command-line options."""
    if role is not None and unit is None:
        _fail("--role 需要与 --unit 一起使用")
    if direct and unit is None:
        _fail("--direct 需要与 --unit 一起使用")
    role, section, status, light = (
        _given(role, "--role"), _given(section, "--section"), _given(status, "--status"), _given(light, "--light")
    )  # fmt: skip
    return queries.TaskFilter(
        unit=_unit(registry, unit),
        role=_choice(role, ("lead", "responsible"), "--role") if role else None,  # type: ignore[arg-type]
        direct=direct,
        section=queries.validate_section(registry, section) if section else None,
        status=queries.parse_status(status) if status else None,
        deadline=_given(deadline, "--deadline"),
        due_before=_optional_date(due_before, "--due-before"),
        due_after=_optional_date(due_after, "--due-after"),
        search=_given(search, "--search"),
        as_of=_date(as_of, "--as-of"),
        warn_days=warn_days,
        light=queries.parse_light(light) if light else None,
        overdue=overdue,
        sort=_choice(sort, queries.SORT_KEYS, "--sort"),
    )


@app.command("list")
def list_command(
    ctx: typer.Context,
    unit: UnitOpt = None,
    role: RoleOpt = None,
    direct: DirectOpt = False,
    section: SectionOpt = None,
    status: StatusOpt = None,
    deadline: DeadlineOpt = None,
    due_before: DueBeforeOpt = None,
    due_after: DueAfterOpt = None,
    search: SearchOpt = None,
    overdue: OverdueOpt = False,
    light: LightOpt = None,
    as_of: AsOfOpt = None,
    warn_days: WarnOpt = None,
    sort: SortOpt = "id",
    fmt: FormatOpt = None,
) -> None:
    """列出任务,各筛选条件可以组合。

    示例: gkcli list --unit 县财政局 --role lead --deadline 全年
    """
    registry = _registry(ctx)
    query = _task_filter(
        registry, unit=unit, role=role, direct=direct, section=section, status=status, deadline=deadline,
        due_before=due_before, due_after=due_after, search=search, overdue=overdue, light=light, as_of=as_of,
        warn_days=warn_days, sort=sort,
    )  # fmt: skip
    items = queries.list_tasks(registry, query)
    kind: render.ListKind = "unit" if unit else ("overdue" if overdue else "list")
    render.render_items(items, _format(fmt), kind, f"任务清单(共 {len(items)} 项)", overdue=overdue)


@app.command("show")
def show_command(
    ctx: typer.Context,
    task_id: TaskIdArg,
    as_of: AsOfOpt = None,
    warn_days: WarnOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """显示一项任务的全部信息:灯、进展记录、重建单元格的来源说明。

    示例: gkcli show 10
    """
    registry = _registry(ctx)
    item = queries.get_task(registry, _task_id(task_id), _date(as_of, "--as-of"), warn_days)
    render.render_task(item, registry, _format(fmt))


@app.command("unit")
def unit_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="单位名称、别名或简称,如 县财政局、县网信办、菜园镇。")],
    direct: Annotated[
        bool, typer.Option("--direct", help="只看直接点名的任务,不含经群组(县属有关单位、各乡镇人民政府)分派的。")
    ] = False,
    as_of: AsOfOpt = None,
    warn_days: WarnOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """一个单位要做的全部任务,注明牵头或责任、直接点名或经群组分派。

    示例: gkcli unit 县财政局
    """
    registry = _registry(ctx)
    entity = registry.directory.resolve(name)
    items = queries.unit_tasks(registry, entity, direct_only=direct, as_of=_date(as_of, "--as-of"), warn_days=warn_days)
    leads = sum(1 for i in items if i.role == "lead")
    title = f"{entity.name}:共 {len(items)} 项任务(牵头 {leads} 项,责任 {len(items) - leads} 项)"
    if entity.is_group and not entity.members_known:
        title += ";该群组成员未在要点中列出"
    render.render_items(items, _format(fmt), "unit", title)


@app.command("units")
def units_command(ctx: typer.Context, fmt: FormatOpt = None) -> None:
    """全部单位和群组,以及各自牵头、责任的任务数(直接点名与经群组分开统计)。"""
    registry = _registry(ctx)
    render.render_units(queries.unit_loads(registry), _format(fmt))


@app.command("overdue")
def overdue_command(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    unit: UnitOpt = None,
    exit_code: Annotated[bool, typer.Option("--exit-code", help="发现逾期任务时以退出码 1 结束(用于 CI)。")] = False,
    warn_days: WarnOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """已过截止日期仍未完成的任务,逾期最久的在前。截止日当天不算逾期。

    示例: gkcli overdue --as-of 2022-10-01
    """
    registry = _registry(ctx)
    day = _date(as_of, "--as-of")
    entity = _unit(registry, unit)
    items = queries.overdue(registry, day, entity, warn_days)
    who = f"{entity.name}的" if entity else ""
    with _reader_may_leave():
        render.render_items(items, _format(fmt), "overdue", f"截至 {day.isoformat()} {who}逾期任务(共 {len(items)} 项)")
    if exit_code and items:
        raise typer.Exit(EXIT_FOUND)


@app.command("due")
def due_command(
    ctx: typer.Context,
    within: Annotated[str, typer.Option("--within", "-w", help="多少天内到期:30d、2w、14天。")] = "30d",
    as_of: AsOfOpt = None,
    unit: UnitOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """临近到期的未完成任务(从 --as-of 当天起,含首尾两天)。

    示例: gkcli due --within 30d --as-of 2022-09-01
    """
    registry = _registry(ctx)
    day = _date(as_of, "--as-of")
    days = _days(within, "--within")
    entity = _unit(registry, unit)
    items = queries.due_within(registry, day, days, entity)
    until = add_days(day, days)  # due_within has refused a span beyond the calendar
    render.render_items(
        items, _format(fmt), "due", f"{day.isoformat()} 至 {until.isoformat()} 到期的任务(共 {len(items)} 项)"
    )


OnOpt = Annotated[str | None, typer.Option("--on", help="日期,默认今天(--as-of);不能早于印发日期,也不能晚于今天。")]
NoteOpt = Annotated[str | None, typer.Option("--note", "-n", help="进展说明。")]
ReporterOpt = Annotated[str | None, typer.Option("--unit", "-u", help="报告单位(可用简称、别名)。")]


def _confirm(result: UpdateResult, source: RegistryFolder, what: str) -> None:
    entry = result.entry
    logged = f";记录: {' '.join(filter(None, [entry.on.isoformat(), entry.unit, entry.note]))}" if entry else ""
    sys.stdout.write(
        terminal_safe(f"任务 {result.task_id} {what}(状态: {STATUS_LABELS[result.status]}){logged}") + "\n"
    )
    sys.stderr.write(f"已写入 {shown(result.path)}\n")


@app.command("done")
def done_command(
    ctx: typer.Context,
    task_id: TaskIdArg,
    on: OnOpt = None,
    note: NoteOpt = None,
    unit: ReporterOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """把任务登记为已完成,并记一条进展。

    示例: gkcli --data 台账 done 36 --on 2022-07-28 --unit 县政府办公室 --note 矩阵已建成
    """
    from gkcli.core import updates

    source = _source(ctx)
    today = _date(as_of, "--as-of")
    result = updates.mark_done(
        source, _task_id(task_id), as_of=today, today=_today(), on=_optional_date(on, "--on"), note=note,
        unit=_given(unit, "--unit"),
    )  # fmt: skip
    _confirm(result, source, "已登记为完成")


@app.command("progress")
def progress_command(
    ctx: typer.Context,
    task_id: TaskIdArg,
    note: NoteOpt = None,
    on: OnOpt = None,
    unit: ReporterOpt = None,
    status: Annotated[
        str | None, typer.Option("--status", help="同时改状态: 进行中 或 未开始;未开始的任务登记进展后自动变为进行中。")
    ] = None,
    as_of: AsOfOpt = None,
) -> None:
    """登记一条进展。

    示例: gkcli --data 台账 progress 4 --unit 县发展和改革局 --note 已起草反馈机制
    """
    from gkcli.core import updates

    source = _source(ctx)
    result = updates.add_progress(
        source,
        _task_id(task_id),
        as_of=_date(as_of, "--as-of"),
        today=_today(),
        note=note,
        on=_optional_date(on, "--on"),
        unit=_given(unit, "--unit"),
        status=queries.parse_status(status) if status is not None and _given(status, "--status") else None,
    )
    _confirm(result, source, "已登记进展")


@app.command("reopen")
def reopen_command(
    ctx: typer.Context,
    task_id: TaskIdArg,
    note: NoteOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """把已完成的任务重新打开(状态改为进行中,删去完成日期,原因记入进展)。

    示例: gkcli --data 台账 reopen 36 --note 复查未通过
    """
    from gkcli.core import updates

    source = _source(ctx)
    result = updates.reopen(source, _task_id(task_id), as_of=_date(as_of, "--as-of"), today=_today(), note=note)
    _confirm(result, source, "已重新打开")


@app.command("remind")
def remind_command(
    ctx: typer.Context,
    within: Annotated[
        str | None, typer.Option("--within", "-w", help="提醒多少天内到期的任务(黄灯),如 14d;默认取 plan.warn_days。")
    ] = None,
    as_of: AsOfOpt = None,
    unit: UnitOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="输出格式: text 或 json。")] = "text",
) -> None:
    """给每个单位生成一段提醒(红灯、黄灯任务,牵头在前),可直接粘贴到工作群。

    示例: gkcli remind --within 14d
    """
    registry = _registry(ctx)
    out_format = _choice(fmt, ("text", "json"), "--format")
    day = _date(as_of, "--as-of")
    days = registry.plan.warn_days if within is None else _days(within, "--within")
    entity = _unit(registry, unit)
    render.render_reminders(queries.reminders(registry, day, days, entity), out_format, day, days)


@app.command("init")
def init_command(
    folder: Annotated[str, typer.Argument(metavar="DIR", help="新台账文件夹(不存在会创建)。", show_default=False)],
) -> None:
    """把内置台账复制到 DIR,作为可以登记进展的工作台账。已有文件不会被覆盖。

    示例: gkcli init 台账
    """
    from gkcli.core import updates

    directory = Path(_given(folder, "DIR") or "")
    copied = updates.init_registry(directory)
    for path in copied:
        sys.stdout.write(f"已创建 {shown(path)}\n")
    sys.stderr.write(f"之后用 gkcli --data {shown(directory)} … 或设置 GKCLI_DATA={shown(directory)} 使用这份台账\n")


OutOpt = Annotated[str | None, typer.Option("--output", "-o", help="写入文件;- 表示标准输出。")]
ForceOpt = Annotated[bool, typer.Option("--force", help="覆盖已存在的文件。")]


def _write_output(data: bytes, output: str | None, force: bool, *, binary: bool = False) -> None:
    """Bytes to ``output`` (see storage.write_output), or to stdout for none or ``-``."""
    if output is None and binary and sys.stdout.isatty():
        _fail("这种格式是二进制文件,不能直接显示在终端", hint="请用 -o 文件名 保存")
    if output is not None and not output.strip():
        _fail("-o 不能为空", hint="写文件名,或用 -o - 表示标准输出")
    if output in (None, "-", "/dev/stdout"):
        sys.stdout.flush()
        stream = getattr(sys.stdout, "buffer", None)
        if stream is not None:
            stream.write(data)
            stream.flush()
        else:  # a text-only stream (tests)
            sys.stdout.write(data.decode("utf-8", errors="replace"))
        return
    from gkcli.store.files import write_output

    path = Path(output)
    write_output(path, data, force=force)
    sys.stderr.write(f"已写入 {shown(path)}\n")


@app.command("stats")
def stats_command(
    ctx: typer.Context,
    by: Annotated[
        str, typer.Option("--by", help="按什么分组: unit(单位)、section(小节)、deadline(完成时限)、status(状态)。")
    ] = "unit",
    as_of: AsOfOpt = None,
    warn_days: WarnOpt = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="输出格式: table、json、csv;默认在终端显示表格,管道中输出 JSON。"),
    ] = None,
) -> None:
    """统计:每组的任务数、已完成、红灯、黄灯、绿灯和完成率(单位按牵头、责任分开,群组成员展开)。

    示例: gkcli stats --by section
    """
    from gkcli.core import stats

    registry = _registry(ctx)
    grouping = _choice(by, stats.GROUPINGS, "--by")
    out_format = _choice(fmt, ("table", "json", "csv"), "--format") if fmt else _format(None)
    render.render_stats(stats.compute(registry, _date(as_of, "--as-of"), grouping, warn_days), out_format)


@app.command("export")
def export_command(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv、xlsx、markdown、json 或 yaml。")] = "csv",
    output: OutOpt = None,
    force: ForceOpt = False,
    unit: UnitOpt = None,
    role: RoleOpt = None,
    direct: DirectOpt = False,
    section: SectionOpt = None,
    status: StatusOpt = None,
    deadline: DeadlineOpt = None,
    due_before: DueBeforeOpt = None,
    due_after: DueAfterOpt = None,
    search: SearchOpt = None,
    overdue: OverdueOpt = False,
    light: LightOpt = None,
    as_of: AsOfOpt = None,
    warn_days: WarnOpt = None,
) -> None:
    """按附件1的样式导出任务清单(分部分、小节,含状态和截止日期),可用 list 的筛选条件。

    示例: gkcli export -f xlsx -o 任务清单.xlsx
    """
    from gkcli.render import exports

    registry = _registry(ctx)
    chosen = _choice(fmt, exports.EXPORT_FORMATS, "--format")
    query = _task_filter(
        registry, unit=unit, role=role, direct=direct, section=section, status=status, deadline=deadline,
        due_before=due_before, due_after=due_after, search=search, overdue=overdue, light=light, as_of=as_of,
        warn_days=warn_days, sort="id",
    )  # fmt: skip
    items = queries.list_tasks(registry, query)
    data = exports.EXPORTERS[chosen](registry, items)
    _write_output(data, output, force, binary=chosen == "xlsx")


@app.command("report")
def report_command(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    warn_days: WarnOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="html 或 markdown。")] = "html",
    output: OutOpt = None,
    force: ForceOpt = False,
) -> None:
    """进展通报:总体情况与图表、各单位任务情况、红灯和黄灯任务、逾期完成的任务。

    示例: gkcli report --as-of 2022-10-01 -o 通报.html
    """
    from gkcli.render import bulletin

    registry = _registry(ctx)
    chosen = _choice(fmt, ("html", "markdown"), "--format")
    report = bulletin.build(registry, _date(as_of, "--as-of"), warn_days)
    text = bulletin.to_html(report) if chosen == "html" else bulletin.to_markdown(report)
    _write_output(text.encode("utf-8"), output, force)


@app.command("calendar")
def calendar_command(
    ctx: typer.Context,
    unit: UnitOpt = None,
    alarm_days: Annotated[int, typer.Option("--alarm-days", help="提前几天提醒(0–366);0 表示不提醒。")] = 7,
    as_of: AsOfOpt = None,
    output: OutOpt = None,
    force: ForceOpt = False,
) -> None:
    """把未完成任务的截止日期导出为日历文件(iCalendar),每项任务一个全天事件并提前提醒。

    示例: gkcli calendar --unit 县财政局 -o 县财政局.ics
    """
    from gkcli.render import exports

    if not 0 <= alarm_days <= 366:
        _fail(f"--alarm-days 应在 0 到 366 之间: {alarm_days}")
    registry = _registry(ctx)
    day = _date(as_of, "--as-of")
    entity = _unit(registry, unit)
    items = queries.list_tasks(registry, queries.TaskFilter(as_of=day, unit=entity, sort="due"))
    _write_output(exports.calendar(registry, items, day, alarm_days), output, force)


@app.command("check")
def check_command(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(metavar="[PATH]...", help="台账文件夹或其中的 tasks.yaml/units.yaml;默认为当前使用的台账。"),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="有警告也以退出码 1 结束。")] = False,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="输出格式: text、json、github;默认 text,在 GitHub Actions 中为 github。"),
    ] = None,
    as_of: AsOfOpt = None,
) -> None:
    """校验台账:YAML 陷阱、结构、序号、小节、单位、完成时限、进度和文字。无问题退出码 0,发现问题 1,无法校验 2。

    示例: gkcli check --strict data
    """
    from gkcli.store.validate import inspect_registry

    default = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    out_format = _choice(fmt or default, render.DIAGNOSTIC_FORMATS, "--format")
    day = _date(as_of, "--as-of")
    sources = [locate_path(p) for p in paths] if paths else [_source(ctx)]
    diagnostics: list[Diagnostic] = []
    for source in dict.fromkeys(sources):
        diagnostics.extend(inspect_registry(source, as_of=day, build=False)[1])
    with _reader_may_leave():
        render.render_diagnostics(diagnostics, out_format)
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors
    sys.stderr.write(f"检查完成: {errors} 个错误, {warnings} 个警告\n")
    if errors or (strict and warnings):
        raise typer.Exit(EXIT_FOUND)


@app.command("schema")
def schema_command(
    which: Annotated[str, typer.Argument(metavar="FILE", help="tasks 或 units。")] = "tasks",
) -> None:
    """输出 tasks.yaml 或 units.yaml 的 JSON Schema,供编辑器边写边校验。

    示例: gkcli schema units
    """
    name = _choice(which.removesuffix(".yaml"), ("tasks", "units"), "FILE")
    from gkcli.store.schema import json_schema

    sys.stdout.write(json_schema(name) + "\n")


def main() -> None:
    """Console entry point: runs the app, then makes sure the output really got out."""
    for stream in (sys.stdout, sys.stderr):  # a byte that cannot be encoded is shown, not fatal
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    try:
        app()
        code: Any = EXIT_OK
    except SystemExit as exc:
        code = exc.code
    except BaseException as exc:  # raised before a command ran (while parsing): still no traceback
        code = _unexpected(exc)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    except OSError as exc:  # e.g. standard output on a full disk
        code = _unexpected(exc)
        _silence_stdout()
    sys.exit(code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_FAILED))
