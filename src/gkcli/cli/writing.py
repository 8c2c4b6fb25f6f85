"""Files a command writes (``-o FILE``, or standard output), and the PDF beside a Word document."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gkcli.errors import BadValue, ReadOnlyRegistry

if TYPE_CHECKING:
    from collections.abc import Sequence

    from gkcli.domain.records import LogEvent
    from gkcli.render.views import Result
    from gkcli.render.writers import Writer
    from gkcli.store.locate import RegistryFolder


def file_output(data: bytes, output: str | None, force: bool, *, binary: bool = False) -> Result:
    """A Result for bytes bound for ``-o FILE`` (written here, through store.files) or standard output."""
    from gkcli.render.views import FileData, Lines, Result
    from gkcli.store.files import shown, write_output

    if output is None and binary and sys.stdout.isatty():
        raise BadValue("这种格式是二进制文件,不能直接显示在终端", hint="请用 -o 文件名 保存")
    if output in (None, "-", "/dev/stdout"):
        return Result(FileData(data))
    path = Path(output)
    write_output(path, data, force=force)
    return Result(Lines([]), notes=[f"已写入 {shown(path)}"])


PdfOption = Annotated[
    bool,
    typer.Option("--pdf", help="同时在 .docx 旁写一份 PDF(需要 LibreOffice)。"),
]


def written(writer: Writer, args: tuple[Any, ...], output: str | None, force: bool, *, pdf: bool = False) -> Result:
    """``writer``'s file for ``args``, to ``-o`` or standard output; a PDF made by LibreOffice from
    the Word document when the format is pdf, and beside the .docx as well with ``pdf`` (--pdf)."""
    from gkcli.store import office
    from gkcli.store.files import output_place, shown, write_output

    if pdf and (writer.name != "docx" or output in (None, "-", "/dev/stdout")):
        raise BadValue("--pdf 与 -o 文件名.docx 一起用:在 .docx 旁再写一份 PDF", hint="只要 PDF 时写 -o 文件名.pdf")
    beside, beside_pdf = Path(str(output)).with_suffix(".pdf"), None
    if pdf or writer.converted_to == "pdf":
        office.command()  # a missing LibreOffice is said before anything is written
        if output not in (None, "-", "/dev/stdout"):  # and so is a place either file cannot go
            output_place(Path(str(output)), force=force)
        if pdf:
            if beside.resolve() == Path(str(output)).resolve():
                raise BadValue(f"PDF 与 Word 文档会是同一个文件 {shown(beside)}", hint="-o 写 .docx 结尾的文件名")
            output_place(beside, force=force)
    data = writer.write(*args)
    notes: list[str] = []
    if writer.converted_to == "pdf":
        data = _as_pdf(data, notes)
    if pdf:  # converted before anything is written: a failed conversion leaves no half of the pair
        beside_pdf = _as_pdf(data, notes)
    result = file_output(data, output, force, binary=writer.binary)
    if beside_pdf is not None:
        write_output(beside, beside_pdf, force=force)
        notes.append(f"已写入 {shown(beside)}")
    result.notes = [*result.notes, *notes]
    return result


def _as_pdf(docx: bytes, notes: list[str]) -> bytes:
    from gkcli.render.docx import FONTS
    from gkcli.store import office

    converted = office.to_pdf(docx, [font.name for font in FONTS])
    said = office.replaced_text(converted.replaced)
    if said:
        notes.append(said)
    return converted.pdf


def logged(folder: RegistryFolder, events: Sequence[LogEvent], what: str) -> str:
    """Append ``events`` to the office's log of the plan in ``folder``; what was done, in words. A
    read-only registry (the bundled one) keeps no log: that is said, not an error, since what was
    sent or written is out already."""
    from gkcli.store import office_log

    try:
        office_log.append(folder, events)
    except ReadOnlyRegistry:
        return f"内置台账只读,{what}未记入办公室记录(用 gkcli init 建工作台账后才有 log.yaml)"
    return f"已在 {office_log.LOG_FILE} 记录{what}({len(events)} 条)"
