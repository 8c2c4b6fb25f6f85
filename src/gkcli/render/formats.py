"""One emitter per format: JSON, CSV and Markdown, each fed with rows.

Text that reaches a spreadsheet passes :func:`gkcli.text.spreadsheet_safe` here and nowhere
else; Markdown cells pass :func:`markdown_cell`; JSON escapes what a terminal could act on.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

import orjson

from gkcli.text import spreadsheet_safe, terminal_safe

# JSON escapes C0 controls itself; these it would leave raw, though a terminal may act on them.
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ud800-\udfff]")


def _json_text(text: str) -> str:
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def json_text(value: Any) -> str:
    """Indented JSON; an array of objects has one object per line."""
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        if not value:
            return "[]\n"
        text = b"".join((b"[\n  ", _object_lines(value), b"\n]\n")).decode("utf-8", "surrogatepass")
        return _json_text(text)
    return _json_text(json.dumps(value, ensure_ascii=False, indent=2)) + "\n"


def _object_lines(objects: list[dict[str, Any]]) -> bytes:
    """The objects as compact JSON, one per line (joined by a comma, a line feed and two spaces).

    orjson writes a listing of 20,000 tasks in a tenth of the standard library's time. It writes
    the whole array at once; the array's own commas are then found as ``},{"KEY":`` with KEY the
    first key of every object: a quote inside a string is escaped, so the sequence can only stand
    between objects, and one that stands inside an object (a list of objects beginning with the
    same key) is told apart by count: then each object is written alone. What orjson refuses (a
    lone surrogate, an integer beyond 64 bits) the standard library writes."""
    try:
        whole = orjson.dumps(objects)
    except orjson.JSONEncodeError:
        return ",\n  ".join(map(_compact, objects)).encode("utf-8", "surrogatepass")
    first = {next(iter(o), None) for o in objects}
    key = first.pop() if len(first) == 1 else None
    if key is not None:
        between = b"},{" + orjson.dumps(key) + b":"
        parts = whole[1:-1].split(between)
        if len(parts) == len(objects):
            return (b"},\n  {" + between[3:]).join(parts)
    return b",\n  ".join(map(orjson.dumps, objects))


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write_json(value: Any, out: TextIO) -> None:
    out.write(json_text(value))


def csv_cell(value: Any) -> Any:
    """A CSV cell: lists joined with 、, None empty, text neutralised for spreadsheets."""
    if isinstance(value, list):
        value = "、".join(str(v) for v in value)
    if value is None:
        return ""
    return spreadsheet_safe(value) if isinstance(value, str) else value


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, excel: bool = False) -> str:
    """CSV of ``rows`` under ``headers``. ``excel``: the dialect Excel and WPS open as Chinese
    (a byte-order mark and CRLF line ends); otherwise plain UTF-8 with LF for pipes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n" if excel else "\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" if excel else "") + buffer.getvalue()


class RawMarkdown(str):
    """Markdown already made safe by its maker (an autolink ``<https://…>``): written as it is."""


def markdown_link(url: str) -> RawMarkdown:
    """An autolink for a checked http(s) URL; the characters a table cell or an autolink would
    read otherwise are percent-encoded, so the link can be followed and nothing else happens."""
    safe = url
    for char, code in (("|", "%7C"), ("<", "%3C"), (">", "%3E"), ("\\", "%5C"), (" ", "%20")):
        safe = safe.replace(char, code)
    return RawMarkdown(f"<{terminal_safe(safe, one_line=True)}>")


def markdown_cell(value: Any) -> str:
    """Text safe inside a Markdown table cell: no markup, links, HTML or control characters act."""
    if isinstance(value, RawMarkdown):
        return str(value)
    if value is None:
        return ""
    if isinstance(value, list):
        value = "、".join(str(v) for v in value)
    text = terminal_safe(str(value)).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    return re.sub(r"([*_`\[\]<>])", r"\\\1", text)


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A Markdown table, every cell through :func:`markdown_cell`."""
    lines = ["| " + " | ".join(markdown_cell(h) for h in headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(markdown_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
