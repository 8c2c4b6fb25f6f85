"""Returns from the units: export fill-in workbooks, import them filled."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path
from typing import Annotated

import typer

from gkcli.cli import context
from gkcli.cli import options as opt
from gkcli.cli.base import command_group, subcommand
from gkcli.cli.writing import logged
from gkcli.domain.records import ENTRY_KIND_LABELS, ProgressEntry
from gkcli.errors import BadValue
from gkcli.render.views import FormsView, Lines, Result

returns_app = command_group("returns", "各单位的进展填报表:导出给各单位填写,收回后导入台账。")


@subcommand(returns_app, "export")
def export_command(
    ctx: typer.Context,
    units: Annotated[
        list[str] | None,
        typer.Option("--unit", "-u", metavar="UNIT", help="只给这些单位(可写多次;群组展开为成员);不写为全部单位。"),
    ] = None,
    as_of: opt.AsOf = None,
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            parser=opt.nonblank("-o"),
            metavar="DIR",
            help="文件夹(每单位一个文件),或一个单位时的 .xlsx 文件名。",
        ),
    ] = "填报表",
    force: opt.Force = False,
) -> Result:
    """导出填报表:每个单位一个 XLSX,列出它的任务和当前进展,留出“进展情况、完成日期、佐证链接”三列。

    示例: gkcli returns export --unit 县财政局 -o 填报表
    """
    from gkcli.core.returns import forms, sent_events
    from gkcli.render.form_workbook import workbook
    from gkcli.store.files import shown, write_output

    registry = context.of(ctx).registry()
    found, unknown = forms(registry, context.day_in_plan(registry, as_of), units or [], lambda: uuid.uuid4().hex)
    if not found:
        raise BadValue("没有要导出的单位", hint="这些单位或群组在要点中没有任务,或群组成员未列出")
    target = Path(output)
    single = target.suffix.lower() == ".xlsx"
    if single and len(found) > 1:
        raise BadValue(f"要导出 {len(found)} 个单位的填报表,-o 应是文件夹", hint="例如 -o 填报表")
    if not single:
        target.mkdir(parents=True, exist_ok=True)
    written, files = [], []
    for form in found:
        path = target if single else target / f"{form.unit}.xlsx"
        write_output(path, workbook(registry.plan, form), force=force)
        written.append(f"{form.unit}: {shown(path)}({len(form.items)} 项任务)")
        files.append(shown(path))
    notes = [f"成员未在要点中列出的群组(请办公室另行转达): {'、'.join(unknown)}"] if unknown else []
    notes.append(logged(context.of(ctx).folder(), sent_events(found, files, context.today()), "填报表的发出"))
    return Result(Lines(written), notes=notes)


@subcommand(returns_app, "import")
def import_command(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="收回的填报表(.xlsx)。", show_default=False)],
    on: Annotated[
        dt.date | None,
        typer.Option(
            "--on", parser=opt.date_parser("--on"), metavar="DATE", help="只填了进展情况的行记为哪一天(默认 --as-of)。"
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只列出将要登记的记录,不写入。")] = False,
    as_of: opt.AsOf = None,
) -> Result:
    """导入填好的填报表:每行登记为该单位的一条进展(填了完成日期即为完成);任何一行有问题都不写入。

    示例: gkcli --data 台账 returns import 填报表/县财政局.xlsx
    """
    from gkcli.core import updates
    from gkcli.core.returns import recorded, refuse, returned_events
    from gkcli.store.files import shown
    from gkcli.store.filled_forms import read

    folder = context.of(ctx).folder()
    given: dict[str, Path] = {}  # one reading of each file, however often or through whatever link it is named
    for path in files:
        given.setdefault(os.path.realpath(path), path)
    forms = [read(path) for path in given.values()]
    wanted = {row.task_id for form in forms for row in form.rows if type(row.task_id) is int}
    registry = context.of(ctx).registry(only=sorted(wanted))
    day, today = context.day_in_plan(registry, as_of), context.today()
    found = recorded(registry, forms, on=on or day, as_of=day, today=today)
    refuse(found)
    lines = [
        f"任务 {tid}: {e.on.isoformat()} {e.unit} {_tagged(e)}"
        for tid, entries in found.entries.items()
        for e in entries
    ]
    notes = [f"{shown(path)} 与前面的文件是同一个文件,只读一次" for path in files if path not in given.values()]
    notes += found.repeats
    if not found.entries:
        notes.append("没有新的记录需要登记")
        if not dry_run:  # an empty or unchanged form still came back
            notes.append(logged(folder, returned_events(forms, {}, today), "填报表的收回"))
        return Result(Lines(lines), notes=notes)
    if dry_run:
        notes.append(f"(试运行)将登记 {len(lines)} 条记录,台账未改动")
        return Result(Lines(lines), notes=notes)
    updates.record_many(folder, found.entries, today)
    notes.append(f"已登记 {len(lines)} 条记录")
    notes.append(logged(folder, returned_events(forms, found.entries, today), "填报表的收回"))
    return Result(Lines(lines), notes=notes)


def _tagged(entry: ProgressEntry) -> str:
    """An entry's note with its kind where it is not plain progress, and a revision marked."""
    tag = "" if entry.kind == "progress" else f"【{ENTRY_KIND_LABELS[entry.kind]}】"
    asked = f"(申请延至 {entry.due.isoformat()})" if entry.due is not None else ""
    revised = "(修改后重新报送)" if entry.source and "~" in entry.source else ""
    return f"{tag}{entry.note}{asked}{revised}"


@subcommand(returns_app, "status")
def status_command(
    ctx: typer.Context,
    period: Annotated[
        str | None,
        typer.Option("--period", metavar="YYYY-MM", help="填报期(导出时 --as-of 所在的月份),默认最近一次发出的。"),
    ] = None,
    known_on: opt.KnownOn = None,
    fmt: Annotated[opt.TextFormat, typer.Option("--format", "-f", help="输出格式。")] = opt.TextFormat.text,
) -> Result:
    """填报表收回情况:每个有任务的单位,这一期是否发出了填报表(何时)、是否已交回(文件、日期、登记的行数),
    以及尚未交回的单位。发出和收回由 returns export / returns import 记入台账的 log.yaml。

    示例: gkcli --data 台账 returns status --period 2022-09
    """
    from gkcli.core.returns import forms_of
    from gkcli.store import office_log

    here = context.of(ctx)
    chosen, rows = forms_of(here.registry(), office_log.read(here.folder()), period, known_on)
    return Result(FormsView(chosen, rows), fmt.value)
