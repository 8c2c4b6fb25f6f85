"""gkcli import: a new plan's document into a draft registry."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gkcli.cli import options as opt
from gkcli.cli.base import command
from gkcli.errors import EXIT_FOUND, EXIT_OK
from gkcli.render.views import Lines, Result
from gkcli.store.files import shown


@command("import")
def import_command(
    source: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help="要点的任务表:PDF 文字层的文本(各栏以制表符分隔)、XLSX、DOCX、网页或 CSV。",
            show_default=False,
        ),
    ],
    output: Annotated[
        str,
        typer.Option("--output", "-o", parser=opt.nonblank("-o"), metavar="DIR", help="新台账文件夹(不存在会创建)。"),
    ],
    force: Annotated[bool, typer.Option("--force", help="覆盖文件夹中已有的台账文件。")] = False,
) -> Result:
    """把新一年的要点读成台账草稿,并列出每一处需要对照原件核对的内容。

    读得准的单元格照原文写入;读不准的(跨栏的文字、被拆开的单位名、读不懂的完成时限等)照读到的写入,
    并在该项加上 review 说明原因,gkcli check 以 GK701 提醒,核对后删除即可。退出码: 0 无需核对,1 有需核对的内容,
    2 文件读不成要点。

    示例: gkcli import 要点文字层.txt -o 新台账
    """
    return run_import(Path(source), Path(output), force=force)


def run_import(source: Path, output: Path, *, force: bool = False) -> Result:
    """Import ``source`` into ``output`` and report what to review (also ``gkcli init --from``)."""
    from gkcli.core.plan_import import import_plan
    from gkcli.store.load import load_registry
    from gkcli.store.locate import RegistryFolder, bundled_directory

    known = load_registry(RegistryFolder(bundled_directory(), "bundled"))
    result = import_plan(source, output, known, force=force)
    lines = [f"{item.location}: {item.what}: {item.why}" for item in result.review]
    summary = (
        f"已写入 {shown(result.target)}: {result.tasks} 项任务、{result.sections} 个小节、"
        f"{result.units} 个单位、{result.groups} 个群组;需要核对 {len(result.review)} 处"
    )
    if result.unread_rows:
        summary += f"(原文 {result.task_rows} 个任务行中有 {result.unread_rows} 行未读成任务,已列在上面)"
    hint = f"核对后运行 gkcli check {shown(result.target)};之后用 gkcli --data {shown(result.target)} … 使用这份台账"
    return Result(Lines([*lines, summary]), notes=[hint], exit_code=EXIT_FOUND if result.review else EXIT_OK)
