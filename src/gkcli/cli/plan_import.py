"""gkcli import: a new plan's document into a draft registry."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gkcli.cli import options as opt
from gkcli.cli.base import command
from gkcli.errors import EXIT_FOUND, EXIT_OK
from gkcli.render.views import Lines, Result
from gkcli.store.files import shown

if TYPE_CHECKING:
    from gkcli.core.plan_import import ImportOptions


@command("import")
def import_command(
    source: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help="要点文件:PDF、Word(.docx)、Excel(.xlsx)、网页、CSV 或文本(PDF 文字层、要点正文)。",
            show_default=False,
        ),
    ],
    output: Annotated[
        str,
        typer.Option("--output", "-o", parser=opt.nonblank("-o"), metavar="DIR", help="新台账文件夹(不存在会创建)。"),
    ],
    columns: Annotated[
        str | None,
        typer.Option(
            "--columns",
            metavar="栏目=栏",
            parser=opt.nonblank("--columns"),
            help="指明各栏是什么,如 标题=具体要求,牵头=牵头单位,责任=配合单位,时限=完成时限,类别=工作任务"
            "(栏可写表头文字或第几栏,从 1 起)。",
        ),
    ] = None,
    lead_first: Annotated[
        bool, typer.Option("--lead-first", help="单元格或括号中未写角色的几个单位,第一个为牵头单位,其余为责任单位。")
    ] = False,
    year: Annotated[
        int | None, typer.Option("--year", min=1949, max=2200, metavar="YEAR", help="要点年度(正文中没有时)。")
    ] = None,
    issuer: Annotated[
        str | None,
        typer.Option("--issuer", parser=opt.nonblank("--issuer"), metavar="NAME", help="发文机关(正文中没有时)。"),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", parser=opt.nonblank("--sheet"), metavar="NAME", help="读工作簿中的哪一个工作表。"),
    ] = None,
    skip_rows: Annotated[
        int, typer.Option("--skip-rows", min=0, metavar="N", help="跳过文件开头的 N 行(表格之前的标题、说明)。")
    ] = 0,
    force: Annotated[bool, typer.Option("--force", help="覆盖文件夹中已有的台账文件。")] = False,
) -> Result:
    """把新一年的要点读成台账草稿,并列出每一处需要对照原件核对的内容。

    读得准的照原文写入;读不准的(跨栏的文字、被拆开的单位名、读不懂的完成时限、按内容推断的栏目等)照读到的写入,
    并在该项加上 review 说明原因和能改正它的选项,gkcli check 以 GK701 提醒,核对后删除即可。草稿总能直接使用
    (gkcli --data 草稿 list)。退出码: 0 无需核对,1 有需核对的内容,2 文件读不成要点。

    示例: gkcli import 要点.docx -o 新台账;gkcli import 分工表.xlsx -o 新台账 --columns 标题=具体要求,牵头=3
    """
    from gkcli.core.plan_import import ImportOptions

    options = ImportOptions(
        columns=_columns(columns) if columns else {}, lead_first=lead_first, year=year, issuer=issuer,
        sheet=sheet, skip_rows=skip_rows,
    )  # fmt: skip
    return run_import(Path(source), Path(output), force=force, options=options)


def _columns(text: str) -> dict[str, str]:
    """``标题=具体要求,牵头=3`` as {field: column}; either comma, and ``=`` or a colon."""
    from gkcli.errors import BadValue

    chosen: dict[str, str] = {}
    for piece in re.split(r"[,;\uff0c\uff1b]", text):
        if not piece.strip():
            continue
        match = re.fullmatch(r"\s*([^=:\uff1a]+?)\s*[=:\uff1a]\s*(.+?)\s*", piece)
        if match is None:
            raise BadValue(f"--columns 应写作 栏目=栏,用逗号分隔: {piece}", hint="例如 --columns 标题=具体要求,牵头=3")
        name, column = match.groups()
        chosen[name] = column
    return chosen


def run_import(source: Path, output: Path, *, force: bool = False, options: ImportOptions | None = None) -> Result:
    """Import ``source`` into ``output`` and report what to review (also ``gkcli init --from``)."""
    from gkcli.core.plan_import import import_plan
    from gkcli.store.load import load_registry
    from gkcli.store.locate import RegistryFolder, bundled_directory

    known = load_registry(RegistryFolder(bundled_directory(), "bundled"))
    result = import_plan(source, output, known, force=force, options=options)
    lines = [f"{item.location}: {item.what}: {item.why}" for item in result.review]
    if result.reading:
        lines.append("读法(表格): " + ",".join(f"{name}={column}" for name, column in result.reading.items()))
    summary = (
        f"已写入 {shown(result.target)}: {result.tasks} 项任务、{result.sections} 个小节、"
        f"{result.units} 个单位、{result.groups} 个群组;需要核对 {len(result.review)} 处"
        f"(其中任务的字段 {result.fields_under_review} 处)"
    )
    if result.unread_rows:
        summary += f";原文 {result.task_rows} 个任务行中有 {result.unread_rows} 行未读成任务,已列在上面"
    hint = f"核对后运行 gkcli check {shown(result.target)};之后用 gkcli --data {shown(result.target)} … 使用这份台账"
    return Result(Lines([*lines, summary]), notes=[hint], exit_code=EXIT_FOUND if result.review else EXIT_OK)
