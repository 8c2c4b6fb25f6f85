"""The bulletin as a Word document in the official layout (公文, see :mod:`gkcli.render.docx`)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence

from gkcli.core.bulletin import Bulletin, Several
from gkcli.render import bulletin
from gkcli.render.docx import Document


def to_docx(b: Bulletin | Several, limit: int = 0) -> bytes:
    """The bulletin (over one plan or several) as a Word document in the official layout (see
    :mod:`gkcli.render.docx`)."""
    return blocks_docx(bulletin.outline_of(b, limit), b.issuer, b.as_of)


def blocks_docx(blocks: Sequence[bulletin.Block], author: str, day: dt.date) -> bytes:
    """Blocks of an outline (a bulletin's, the annual report's section) as a Word document."""
    title = next(block for block in blocks if isinstance(block, bulletin.Title))
    document = Document(title.text, author, day)
    for block in blocks:
        _docx_block(block, document)
    return document.package()


def _docx_text(cell: bulletin.Cell) -> str:
    """A cell as plain text: on paper a link is its address."""
    if isinstance(cell, tuple):
        text, link = cell
        return f"{text}(链接: {link})" if link else text
    return cell


@functools.singledispatch
def _docx_block(block: object, document: Document) -> None:
    raise TypeError(type(block).__name__)  # pragma: no cover - every kind of block has a writer


@_docx_block.register
def _(block: bulletin.Title, document: Document) -> None:
    if block.number:
        document.paragraph(block.number, "DocumentNumber")
        document.paragraph("", "Normal")
    document.title_block(block.text, f"(统计截至 {block.as_of.year}年{block.as_of.month}月{block.as_of.day}日)")
    if block.to:
        document.paragraph(block.to.rstrip(":：") + "：", "Addressee")


@_docx_block.register
def _(block: bulletin.Heading, document: Document) -> None:
    document.heading(block.text, block.level)


@_docx_block.register
def _(block: bulletin.Note, document: Document) -> None:
    document.paragraph(block.text)


@_docx_block.register
def _(block: bulletin.Figures, document: Document) -> None:
    document.paragraph(bulletin.figures_sentence(block.total))


@_docx_block.register
def _(block: bulletin.Chart, document: Document) -> None:
    document.table(bulletin.CHART_HEADERS, bulletin.chart_rows(block.rows), centred=range(2, 7))


@_docx_block.register
def _(block: bulletin.Table, document: Document) -> None:
    if not block.rows:
        document.paragraph("无。")
        return
    centred = [n for n, kind in block.classes.items() if kind in ("n", "d")]
    document.table(block.headers, [[_docx_text(c) for c in row] for row in block.rows], centred=centred)
    note = bulletin.more_note(block.total, block.limit)
    if note:
        document.paragraph(note)


@_docx_block.register
def _(block: bulletin.Signature, document: Document) -> None:
    document.signature(block.issuer, block.day)


@_docx_block.register
def _(block: bulletin.Attachment, document: Document) -> None:
    if document.landscape:  # a second attachment: a new page of the landscape section
        document.page_break()
    document.turn_landscape()  # the attachment's wide table on landscape pages, from a new page
    document.paragraph("附件", "Label")
    document.title_block(block.title)
