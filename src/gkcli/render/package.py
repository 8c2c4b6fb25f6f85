"""Zip packages (XLSX, DOCX) with the same bytes from any process: the parts in the order given,
each dated by the document's day (a zip entry holds dates from 1980 to 2107 only), and the
document's own created/modified properties set to that day, not to the moment it was written."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable

FIRST_ZIP_YEAR, LAST_ZIP_YEAR = 1980, 2107
_STAMPED = re.compile(r"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def zipped(parts: Iterable[tuple[str, bytes]], day: dt.date) -> bytes:
    """The parts as one zip archive, every entry dated ``day`` (kept within what zip can hold)."""
    year = min(max(day.year, FIRST_ZIP_YEAR), LAST_ZIP_YEAR)
    stamp = (year, day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts:
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=9)
    return out.getvalue()


def core_stamp(day: dt.date) -> str:
    """The created/modified value of a document's core properties for ``day``."""
    return f"{day.isoformat()}T00:00:00Z"


def restamped(package: bytes, day: dt.date) -> bytes:
    """A package another library wrote (openpyxl dates it by the clock), dated ``day`` throughout."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        parts = [(info.filename, archive.read(info)) for info in archive.infolist()]
    stamp = core_stamp(day).encode()
    fixed = [
        (name, _STAMPED.sub(lambda m: m.group(1) + stamp.decode() + m.group(2), data.decode("utf-8")).encode("utf-8"))
        if name == "docProps/core.xml"
        else (name, data)
        for name, data in parts
    ]
    return zipped(fixed, day)
