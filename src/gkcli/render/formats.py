"""One emitter per format: JSON, CSV and Markdown, each fed with rows.

Text that reaches a spreadsheet passes :func:`gkcli.text.spreadsheet_safe` here and nowhere
else; Markdown cells pass :func:`markdown_cell`; JSON escapes what a terminal could act on.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO

from gkcli.text import spreadsheet_safe, terminal_safe

# JSON escapes C0 controls itself; these it would leave raw, though a terminal may act on them.
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ud800-\udfff]")


def _json_text(text: str) -> str:
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def json_text(value: Any) -> str:
    """Indented JSON; an array of objects has one object per line (written by the fast C encoder)."""
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        if not value:
            return "[]\n"
        encode = _object_encoder()
        return _json_text("[\n  " + ",\n  ".join(encode(v) for v in value) + "\n]\n")
    return _json_text(json.dumps(value, ensure_ascii=False, indent=2)) + "\n"


def _object_encoder() -> Callable[[Any], str]:
    """One object as compact JSON on one line, as ``json.dumps(ensure_ascii=False)`` writes it.
    The standard library's C encoder is made once for all the objects of a listing (``dumps``
    makes one per call: a third of the time for 20,000 small objects); where the C encoder is
    missing, ``dumps`` itself."""
    from json import encoder

    make = getattr(encoder, "c_make_encoder", None)  # the C accelerator, not in the typeshed stubs
    if make is None:  # pragma: no cover - a Python built without _json
        return json.JSONEncoder(ensure_ascii=False).encode
    chunks = make(None, None, encoder.encode_basestring, None, ": ", ", ", False, False, False)
    return lambda value: "".join(chunks(value, 0))


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
