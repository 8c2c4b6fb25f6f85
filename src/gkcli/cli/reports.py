"""Reports for the office: stats, export, report (the bulletin) and calendar."""

from __future__ import annotations

import datetime as dt
import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gkcli.cli import context
from gkcli.cli import options as opt
from gkcli.cli.base import command
from gkcli.cli.writing import PdfOption, file_output, written
from gkcli.errors import BadValue
from gkcli.render import writers
from gkcli.render.views import Result, StatsView

if TYPE_CHECKING:
    from gkcli.core.queries import TaskFilter
    from gkcli.store.locate import RegistryFolder


class By(StrEnum):
    unit = "unit"
    section = "section"
    deadline = "deadline"
    status = "status"
    plan = "plan"


class StatsFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


EXPORT_FORMATS = tuple(writers.EXPORT)
REPORT_FORMATS = tuple(writers.REPORT)
ANNUAL_FORMATS = tuple(writers.ANNUAL)


@command("stats")
def stats_command(
    ctx: typer.Context,
    by: Annotated[
        By, typer.Option("--by", help="按什么分组: 单位、小节、完成时限、状态;工作区中还可按要点。")
    ] = By.unit,
    as_of: opt.AsOf = None,
    known_on: opt.KnownOn = None,
    warn_days: opt.WarnDays = None,
    fmt: Annotated[
        StatsFormat | None, typer.Option("--format", "-f", help="输出格式;默认在终端显示表格,管道中输出 JSON。")
    ] = None,
) -> Result:
    """统计:每组的任务数、已完成、红灯、黄灯、绿灯和完成率(单位按牵头、责任分开,群组成员展开)。

    示例: gkcli stats --by section
    """
    from gkcli.core import stats

    here = context.of(ctx)
    if by is By.plan:  # each plan of the workspace a row
        counts = here.workspace.counts_by_plan(context.day(as_of), warn_days, known_on)
        return Result(StatsView(counts), opt.output_format(fmt))
    registry = here.registry()
    computed = stats.compute(registry, context.day_in_plan(registry, as_of), by.value, warn_days, known_on)
    return Result(StatsView(computed), opt.output_format(fmt))


ExportFormat = Annotated[
    str | None,
    opt.file_format_option(
        EXPORT_FORMATS,
        "csv、xlsx、markdown(md)、json、yaml,或 docx(进展情况表,公文格式)、pdf;不写时按 -o 文件的扩展名,默认 csv。",
    ),
]
ReportFormat = Annotated[
    str | None,
    opt.file_format_option(
        REPORT_FORMATS, "html、markdown(md)、docx(公文格式)或 pdf;不写时按 -o 文件的扩展名,默认 html。"
    ),
]


def _annual(
    ctx: typer.Context, year: int, known_on: dt.date | None, fmt: object, output: str | None, force: bool, pdf: bool,
    dated: bool,
) -> Result:  # fmt: skip
    """The annual report's plan section for ``year``, as of its last day."""
    from gkcli.core.annual import annual

    if dated:
        raise BadValue("--annual 按全年统计到 12 月 31 日,不与 --period、--since、--as-of 同用")
    if fmt is not None and str(getattr(fmt, "value", fmt)) not in ANNUAL_FORMATS:
        raise BadValue(f"--annual 可写成 {'、'.join(ANNUAL_FORMATS)}", hint="例如 -o 年报要点落实情况.docx")
    chosen = opt.file_format(None if fmt is None else str(getattr(fmt, "value", fmt)), output, ANNUAL_FORMATS, "docx")
    facts = annual(context.of(ctx).registry(), year, known_on)
    if output is None and chosen != "markdown" and sys.stdout.isatty():
        output = f"年报要点落实情况-{year}{writers.ANNUAL[chosen].extensions[0]}"
    return written(writers.ANNUAL[chosen], (facts,), output, force, pdf=pdf)


MAX_REQUIREMENTS_BYTES = 64 * 1024  # a page or two of requirements


def _one_line(value: str | None, option: str) -> str | None:
    """A short text given on the command line, checked like any text gkcli writes into a document."""
    if value is None:
        return None
    from gkcli.core.updates import checked_note

    return checked_note(" ".join(value.split()), required=True, what=option)


def _paragraphs(path: Path) -> tuple[str, ...]:
    """The paragraphs of a requirements file: UTF-8 text, a blank line between paragraphs."""
    from gkcli.core.updates import checked_note
    from gkcli.store.inputs import Refused, read_file

    try:
        text = read_file(path, MAX_REQUIREMENTS_BYTES).decode("utf-8-sig")
    except Refused as exc:
        raise BadValue(f"--requirements {path}: {exc}") from None
    except UnicodeDecodeError:
        raise BadValue(f"--requirements {path}: 不是 UTF-8 文字", hint="请另存为 UTF-8 编码的文字文件") from None
    except OSError as exc:
        raise BadValue(f"--requirements {path}: 无法读取({exc.strerror})") from None
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    return tuple(checked_note(p, required=True, what="总体要求") or "" for p in paragraphs)


def _failed_links(folder: RegistryFolder, query: TaskFilter) -> dict[str, dt.date]:
    """The evidence a plan's log found dead at its last check, as known on the day asked."""
    from gkcli.core.links import failed_links
    from gkcli.store import office_log

    day = query.as_of or context.today()
    return failed_links(office_log.read(folder), min(day, query.known_on) if query.known_on else day)


@command("export")
@opt.with_task_filter
def export_command(
    ctx: typer.Context,
    task_filter: opt.TaskFilterFactory,
    fmt: ExportFormat = None,
    output: opt.Output = None,
    force: opt.Force = False,
    pdf: PdfOption = False,
) -> Result:
    """按附件1的样式导出任务清单(分部分、小节,含状态、截止日期和进展),可用 list 的筛选条件;写成 .docx 时是公文格式的进展情况表。

    示例: gkcli export -f xlsx -o 任务清单.xlsx

    示例: gkcli export --unit 县财政局 -o 进展情况表.docx --pdf
    """
    from gkcli.render.exports import Source

    chosen = opt.file_format(fmt, output, EXPORT_FORMATS, "csv")  # a wrong -f is said before any work
    workspace = context.of(ctx).workspace
    answer, asked = workspace.list_tasks(lambda registry: task_filter(registry, "id"))
    several = answer.several
    query = next(iter(asked.values()))
    sources = [
        Source(plan_id if several else None, registry, [i for i in answer.items if not several or i.plan == plan_id],
               _failed_links(workspace.folder(plan_id).folder, query) if chosen in ("docx", "pdf") else {})
        for plan_id, registry in workspace.plans()
        if plan_id in asked
    ]  # fmt: skip
    if several and any(s.items for s in sources):  # a plan with nothing to export is left out
        sources = [s for s in sources if s.items]
    unit_name = query.unit.name if query.unit else None
    return written(writers.EXPORT[chosen], (sources, unit_name, query.as_of), output, force, pdf=pdf)


@command("report")
def report_command(
    ctx: typer.Context,
    as_of: opt.AsOf = None,
    known_on: opt.KnownOn = None,
    since: Annotated[
        dt.date | None,
        typer.Option(
            "--since",
            parser=opt.date_parser("--since"),
            metavar="DATE",
            help="上一期通报的日期:“本期进展”列出此后到 --as-of 的记录(默认 --as-of 前 30 天)。",
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="PERIOD",
            help="按月、季度或年度通报: 2022-09、2022Q3 或 2022;代替 --since 和 --as-of,标题写明期间。",
        ),
    ] = None,
    warn_days: opt.WarnDays = None,
    limit: opt.limit_option(  # type: ignore[valid-type]
        f"每份清单最多列出多少项(默认 {opt.TABLE_ROWS},0 为全部)。"
    ) = opt.TABLE_ROWS,
    fmt: ReportFormat = None,
    output: opt.Output = None,
    force: opt.Force = False,
    pdf: PdfOption = False,
    number: Annotated[
        str | None, typer.Option("--number", metavar="TEXT", help="通报的文号,如 \"嵊政办〔2022〕58号\",写在标题之上。")
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", metavar="TEXT", help="主送机关,如 \"各乡镇人民政府,县属有关单位\",写在标题之下。")
    ] = None,
    title: Annotated[
        str | None,
        typer.Option("--title", metavar="FORM",
                     help="标题的写法,{plan} 为要点标题,{period} 为期间(9月、第三季度、全年);默认 \"关于{plan}{period}落实情况的通报\"。"),
    ] = None,
    annual: Annotated[
        int | None,
        typer.Option("--annual", metavar="YEAR", min=1949, max=2200,
                     help="改为写年度报告用的要点落实情况(供政府信息公开工作年度报告第一、五部分):Word、PDF 或 Markdown。"),
    ] = None,
    requirements: Annotated[
        Path | None,
        typer.Option("--requirements", metavar="FILE",
                     help="“下一步工作要求”开头的总体要求(UTF-8 文字文件,空行分段),如加强组织领导、压实工作责任。"),
    ] = None,
) -> Result:  # fmt: skip
    """进展通报:总体情况(含各单位排名)、存在问题(红灯、黄灯、逾期完成、延期)、本期进展、下一步工作要求和进展情况表。

    示例: gkcli report --as-of 2022-10-01 -o 通报.html

    示例: gkcli report --period 2022-09 -o 通报.docx --pdf
    """
    from gkcli.core.bulletin import Bulletin, Particulars, Several, build, several
    from gkcli.core.bulletin import period as reporting_period
    from gkcli.domain.units import same_units
    from gkcli.store import office_log

    if annual is not None:
        return _annual(ctx, annual, known_on, fmt, output, force, pdf, bool(period or since or as_of))
    chosen = opt.file_format(fmt, output, REPORT_FORMATS, "html")
    named = None
    if period is not None:
        if since is not None or as_of is not None:
            raise BadValue("--period 已定下起止日期,不能再写 --since 或 --as-of", hint="二者选一")
        named = reporting_period(period)
        since, as_of = named.since, named.as_of
    here = context.of(ctx)
    particulars = Particulars(_one_line(number, "--number"), _one_line(to, "--to"), _one_line(title, "--title"),
                              _paragraphs(requirements) if requirements is not None else ())  # fmt: skip
    plans = here.plans()
    made = []
    for plan_id, registry in plans:
        day = context.day_in_plan(registry, as_of) if len(plans) == 1 else here.day(as_of)
        log = office_log.read(here.workspace.folder(plan_id).folder)
        made.append((plan_id, build(registry, day, warn_days, since, known_on, named.name if named else None,
                                    log=log, particulars=particulars)))  # fmt: skip
    bulletin_data: Bulletin | Several = made[0][1]
    if len(made) > 1:  # one bulletin over the plans of the workspace
        one_name = same_units([r.directory for _, r in here.workspace.by_age()])
        bulletin_data = several(made, one_name, particulars)
    day = bulletin_data.as_of
    writer = writers.REPORT[chosen]
    if output is None and chosen == "html" and sys.stdout.isatty():  # a page is for a browser, not the screen
        output = f"通报-{day.isoformat()}{writer.extensions[0]}"
    return written(writer, (bulletin_data, limit), output, force, pdf=pdf)


@command("calendar")
def calendar_command(
    ctx: typer.Context,
    unit: opt.UnitName = None,
    alarm_days: Annotated[
        int, typer.Option("--alarm-days", metavar="DAYS", help="提前几天提醒(0–366);0 表示不提醒。")
    ] = 7,
    as_of: opt.AsOf = None,
    known_on: opt.KnownOn = None,
    output: opt.Output = None,
    force: opt.Force = False,
) -> Result:
    """把未完成任务的截止日期导出为日历文件(iCalendar):同一天到期的任务合成一个全天事件,提前一次提醒。

    示例: gkcli calendar --unit 县财政局 -o 县财政局.ics
    """
    if not 0 <= alarm_days <= 366:
        raise BadValue(f"--alarm-days 应在 0 到 366 之间: {alarm_days}")
    here = context.of(ctx)
    day = here.day(as_of)
    answer = here.workspace.calendar_items(day, unit, known_on)
    named = answer.unit
    by_plan = here.workspace.plans_by_id()
    data = writers.CALENDAR["ics"].write(by_plan, answer.items, day, alarm_days, named.name if named else None)
    return file_output(data, output, force)
