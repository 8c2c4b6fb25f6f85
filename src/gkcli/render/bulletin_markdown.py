"""The bulletin as Markdown, from the same outline as every other format."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from gkcli.core.bulletin import Bulletin, Several
from gkcli.render import bulletin
from gkcli.render.formats import RawMarkdown, markdown_cell, markdown_link, markdown_table
from gkcli.text import chinese_punctuation


def _md_cell(cell: bulletin.Cell) -> str:
    if isinstance(cell, tuple):
        text, link = cell
        return markdown_cell(text) + (" " + markdown_link(link) if link else "")
    return markdown_cell(cell)


def to_markdown(b: Bulletin | Several, limit: int = 0) -> str:
    """The bulletin (over one plan or several) as Markdown, from the same outline."""
    return blocks_markdown(bulletin.outline_of(b, limit))


def blocks_markdown(blocks: Sequence[bulletin.Block]) -> str:
    """Blocks of an outline (a bulletin's, the annual report's section) as Markdown."""
    out: list[str] = []
    for block in blocks:
        out += _md_block(block)
    return "\n".join(map(chinese_punctuation, out))


@functools.singledispatch
def _md_block(block: object) -> list[str]:
    raise TypeError(type(block).__name__)  # pragma: no cover - every kind of block has a writer


@_md_block.register
def _(block: bulletin.Title) -> list[str]:
    return [
        *([markdown_cell(block.number), ""] if block.number else []),
        f"# {markdown_cell(block.text)}",
        "",
        f"{markdown_cell(block.meta)},统计截至 {block.as_of.isoformat()}",
        "",
        *([markdown_cell(block.to.rstrip(":：") + "："), ""] if block.to else []),
    ]


@_md_block.register
def _(block: bulletin.Heading) -> list[str]:
    return [f"{'##' if block.level == 1 else '###'} {markdown_cell(block.text)}", ""]


@_md_block.register
def _(block: bulletin.Signature) -> list[str]:
    return [markdown_cell(block.issuer) + "  ", block.day.isoformat(), ""]


@_md_block.register
def _(block: bulletin.Attachment) -> list[str]:
    return [f"## 附件：{markdown_cell(block.title)}", ""]


@_md_block.register
def _(block: bulletin.Note) -> list[str]:
    return [markdown_cell(block.text), ""]


@_md_block.register
def _(block: bulletin.Figures) -> list[str]:
    return [bulletin.figures_sentence(block.total), ""]


@_md_block.register
def _(block: bulletin.Chart) -> list[str]:
    return [markdown_table(bulletin.CHART_HEADERS, bulletin.chart_rows(block.rows))]


@_md_block.register
def _(block: bulletin.Table) -> list[str]:
    if not block.rows:
        return ["无", ""]
    note = bulletin.more_note(block.total, block.limit)
    table = markdown_table(block.headers, [[RawMarkdown(_md_cell(c)) for c in row] for row in block.rows])
    return [table, *([note, ""] if note else [])]


def markdown_file(b: Bulletin | Several, limit: int = 0) -> bytes:
    return to_markdown(b, limit).encode("utf-8")
