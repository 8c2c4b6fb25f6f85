"""Every file format gkcli writes, one row each: its name (``-f``), the file extensions that mean it
(``-o``), whether it is binary (never poured onto a terminal) and the function that writes it,
imported only when used. ``-f`` choices and the formats ``-o`` names are read from these tables."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Writer:
    name: str
    extensions: tuple[str, ...]
    binary: bool
    function: str  # "module:function", returning the file's bytes
    converted_to: str | None = None  # the function's bytes are converted to this (pdf: by LibreOffice)

    def write(self, *args: Any) -> bytes:
        module, _, name = self.function.partition(":")
        data: bytes = getattr(importlib.import_module(module), name)(*args)
        return data


def _table(*writers: Writer) -> dict[str, Writer]:
    return {writer.name: writer for writer in writers}


# the task list as attachment 1: (sources: each plan's tasks, unit name or None, the day the states are for)
EXPORT = _table(
    Writer("csv", (".csv",), False, "gkcli.render.exports:to_csv"),
    Writer("xlsx", (".xlsx",), True, "gkcli.render.exports:to_xlsx"),
    Writer("markdown", (".md", ".markdown"), False, "gkcli.render.exports:to_markdown"),
    Writer("json", (".json",), False, "gkcli.render.exports:to_json"),
    Writer("yaml", (".yaml", ".yml"), False, "gkcli.render.exports:to_yaml"),
    Writer("docx", (".docx",), True, "gkcli.render.progress_table:to_docx"),
    Writer("pdf", (".pdf",), True, "gkcli.render.progress_table:to_docx", converted_to="pdf"),
)
# the bulletin: (bulletin, limit)
REPORT = _table(
    Writer("html", (".html", ".htm"), False, "gkcli.render.bulletin_html:html_file"),
    Writer("markdown", (".md", ".markdown"), False, "gkcli.render.bulletin_markdown:markdown_file"),
    Writer("docx", (".docx",), True, "gkcli.render.bulletin_word:to_docx"),
    Writer("pdf", (".pdf",), True, "gkcli.render.bulletin_word:to_docx", converted_to="pdf"),
)
# the annual report's plan section: (annual facts,)
ANNUAL = _table(
    Writer("markdown", (".md", ".markdown"), False, "gkcli.render.annual:to_markdown"),
    Writer("docx", (".docx",), True, "gkcli.render.annual:to_docx"),
    Writer("pdf", (".pdf",), True, "gkcli.render.annual:to_docx", converted_to="pdf"),
)
CALENDAR = _table(Writer("ics", (".ics",), False, "gkcli.render.exports:calendar"))

EXTENSIONS = {ext: w.name for table in (EXPORT, REPORT, CALENDAR) for w in table.values() for ext in w.extensions}
ALIASES = {"md": "markdown", "htm": "html", "yml": "yaml"}  # what people type for -f
