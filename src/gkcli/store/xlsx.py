"""The cell values of an XLSX workbook, read with the standard library.

Reading a returns form needs only values: text, numbers, dates and booleans, by sheet, row and
column. openpyxl (which writes the forms) takes a tenth of a second just to start; this reads
the few XML parts involved directly. Dates are numbers with a date format, as Excel, WPS and
LibreOffice store them; a part that declares a DTD or entities is refused unread.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from typing import Any
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# number formats that are dates: Excel's built-in ones, and those of Chinese, Japanese and Korean Excel
_DATE_FORMATS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_NOT_FORMAT = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')  # literal text, colours and conditions, padding
_COLUMN = re.compile(r"([A-Z]+)")

Rows = dict[int, list[Any]]  # row number -> values from column A, None where a cell is empty


class NotAWorkbook(ValueError):
    """The archive is not a workbook this reader can read."""


def sheets(archive: zipfile.ZipFile) -> dict[str, Rows]:
    """Every sheet's values, by sheet name, in workbook order."""
    book = _xml(archive, "xl/workbook.xml")
    relations = _xml(archive, "xl/_rels/workbook.xml.rels")
    targets = {r.get("Id"): r.get("Target", "") for r in relations.iter(f"{_PACKAGE_REL}Relationship")}
    properties = book.find(f"{_MAIN}workbookPr")
    epoch = dt.datetime(1904, 1, 1) if _true(properties, "date1904") else dt.datetime(1899, 12, 30)
    strings = _shared_strings(archive)
    dates = _date_styles(archive)
    found: dict[str, Rows] = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"))
        if target is None:
            raise NotAWorkbook("a sheet without its part")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        found[sheet.get("name", "")] = _rows(_xml(archive, path), strings, dates, epoch)
    return found


def safe_xml(data: bytes) -> ElementTree.Element | None:
    """An Office part's XML, or None when it declares a DTD or entities (never expanded: the one
    rule for every XML part gkcli reads, workbooks and Word documents alike). ParseError when it
    is not XML."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return None
    return ElementTree.fromstring(data)


def _xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    try:
        found = safe_xml(archive.read(name))
    except KeyError:
        raise NotAWorkbook(f"no {name}") from None
    except ElementTree.ParseError as exc:
        raise NotAWorkbook(f"{name}: {exc}") from None
    if found is None:
        raise NotAWorkbook(f"{name} declares a DTD")
    return found


def _true(element: ElementTree.Element | None, attribute: str) -> bool:
    return element is not None and element.get(attribute, "").lower() in ("1", "true")


def _text(element: ElementTree.Element) -> str:
    """The text of a string item: its own ``t``, or its runs' (phonetic guides left out)."""
    parts = []
    for child in element:
        if child.tag == f"{_MAIN}t":
            parts.append(child.text or "")
        elif child.tag == f"{_MAIN}r":
            parts.extend(t.text or "" for t in child.iter(f"{_MAIN}t"))
    return "".join(parts)


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    return [_text(item) for item in _xml(archive, "xl/sharedStrings.xml").iter(f"{_MAIN}si")]


def _date_styles(archive: zipfile.ZipFile) -> set[int]:
    """The cell styles (indexes into cellXfs) whose number format is a date."""
    if "xl/styles.xml" not in archive.namelist():
        return set()
    styles = _xml(archive, "xl/styles.xml")
    custom = {
        int(f.get("numFmtId", "0")): _is_date_format(f.get("formatCode", "")) for f in styles.iter(f"{_MAIN}numFmt")
    }
    cell_styles = styles.find(f"{_MAIN}cellXfs")
    found = set()
    for index, style in enumerate(cell_styles.iter(f"{_MAIN}xf") if cell_styles is not None else ()):
        number_format = int(style.get("numFmtId", "0"))
        if custom.get(number_format, number_format in _DATE_FORMATS):
            found.add(index)
    return found


def _is_date_format(code: str) -> bool:
    bare = _NOT_FORMAT.sub("", code).lower()
    return bool(re.search("[dy]", bare) or ("m" in bare and not re.search("[hs]", bare)))


def _rows(sheet: ElementTree.Element, strings: list[str], dates: set[int], epoch: dt.datetime) -> Rows:
    rows: Rows = {}
    number = 0
    for row in sheet.iter(f"{_MAIN}row"):
        number = int(row.get("r") or number + 1)
        values: list[Any] = []
        for cell in row.iter(f"{_MAIN}c"):
            place = _COLUMN.match(cell.get("r", ""))
            column = _column_number(place.group(1)) if place else len(values) + 1
            values.extend([None] * (column - len(values)))
            values[column - 1] = _value(cell, strings, dates, epoch)
        rows[number] = values
    return rows


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _value(cell: ElementTree.Element, strings: list[str], dates: set[int], epoch: dt.datetime) -> Any:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = cell.find(f"{_MAIN}is")
        return _text(inline) if inline is not None else ""
    raw = cell.findtext(f"{_MAIN}v")
    if not raw:  # an empty cell, or a formula never calculated
        return None
    if kind == "s":
        index = int(raw)
        if not 0 <= index < len(strings):
            raise NotAWorkbook("a shared string that is not there")
        return strings[index]
    if kind in ("str", "e"):
        return raw
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "d":
        return dt.datetime.fromisoformat(raw.strip().rstrip("Z"))
    number = float(raw)
    if int(cell.get("s", "0")) in dates:
        moment = epoch + dt.timedelta(milliseconds=round(number * 86_400_000))  # a day's fraction, to the ms
        return moment.date() if number.is_integer() else moment
    return int(number) if number.is_integer() and "." not in raw and "E" not in raw.upper() else number
