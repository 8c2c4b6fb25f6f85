"""The cell values of an XLSX workbook, read with the standard library.

Reading a returns form needs only values: text, numbers, dates and booleans, by sheet, row and
column. openpyxl (which writes the forms) takes a tenth of a second just to start; this reads
the few XML parts involved directly, as streams (:mod:`gkcli.store.inputs` bounds what is
inflated, refuses DTDs and caps a cell's text). Dates are numbers with a date format, as Excel,
WPS and LibreOffice store them. Rows and columns beyond a spreadsheet's are refused; a row that
holds nothing is not kept, and columns beyond those the caller reads are dropped as they pass.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from typing import Any
from xml.etree import ElementTree

from gkcli.store.inputs import MAX_SHEET_COLUMNS, MAX_SHEET_ROWS, Archive, Refused, Text

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# number formats that are dates: Excel's built-in ones, and those of Chinese, Japanese and Korean Excel
_DATE_FORMATS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_NOT_FORMAT = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')  # literal text, colours and conditions, padding
_PLACE = re.compile(r"([A-Z]{1,3})([0-9]{1,7})?$")

Rows = dict[int, list[Any]]  # row number -> values from column A, None where a cell is empty; rows with something only


class NotAWorkbook(Refused):
    """The archive is not a workbook this reader can read."""


def sheets(archive: Archive, *, max_rows: int, max_columns: int, merged: bool = False) -> dict[str, Rows]:
    """Every sheet's values, by sheet name, in workbook order: at most ``max_rows`` rows that hold
    something in each, and only the first ``max_columns`` columns (the rest are not kept). With
    ``merged``, a merged range's value stands in every cell it covers (a category merged down,
    a unit cell shared by several tasks), as a reader of the printed table sees it."""
    book = _tree(archive, "xl/workbook.xml")
    relations = _tree(archive, "xl/_rels/workbook.xml.rels")
    targets = {r.get("Id"): r.get("Target", "") for r in relations.iter(f"{_PACKAGE_REL}Relationship")}
    properties = book.find(f"{_MAIN}workbookPr")
    epoch = dt.datetime(1904, 1, 1) if _true(properties, "date1904") else dt.datetime(1899, 12, 30)
    strings = _shared_strings(archive)
    dates = _date_styles(archive)
    found: dict[str, Rows] = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"))
        if target is None:
            raise NotAWorkbook("工作簿中的工作表缺少其部件")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        reader = _SheetReader(strings, dates, epoch, max_rows, max_columns)
        rows = archive.parse(path, reader)
        found[sheet.get("name", "")] = _spread(rows, reader.merges, max_rows, max_columns) if merged else rows
    return found


def _tree(archive: Archive, name: str) -> ElementTree.Element:
    if name not in archive.names:
        raise NotAWorkbook(f"缺少部件 {name},不是 Excel 工作簿")
    return archive.tree(name)


def _true(element: ElementTree.Element | None, attribute: str) -> bool:
    return element is not None and element.get(attribute, "").lower() in ("1", "true")


def _shared_strings(archive: Archive) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.names:
        return []
    found: list[str] = archive.parse("xl/sharedStrings.xml", _StringsReader())
    return found


class _StringsReader:
    """The shared strings, each the text of its own ``t`` or of its runs' (phonetic guides left out)."""

    def __init__(self) -> None:
        self.strings: list[str] = []
        self.text: Text | None = None
        self.depth = 0  # inside a phonetic guide (rPh), whose text is not the cell's
        self.in_t = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{_MAIN}si":
            self.text = Text()
        elif tag == f"{_MAIN}rPh":
            self.depth += 1
        elif tag == f"{_MAIN}t":
            self.in_t = self.depth == 0

    def end(self, tag: str) -> None:
        if tag == f"{_MAIN}si" and self.text is not None:
            self.strings.append(self.text.value())
            self.text = None
        elif tag == f"{_MAIN}rPh":
            self.depth -= 1
        elif tag == f"{_MAIN}t":
            self.in_t = False

    def data(self, data: str) -> None:
        if self.in_t and self.text is not None:
            self.text.add(data)

    def close(self) -> list[str]:
        return self.strings


def _date_styles(archive: Archive) -> set[int]:
    """The cell styles (indexes into cellXfs) whose number format is a date."""
    if "xl/styles.xml" not in archive.names:
        return set()
    styles = archive.tree("xl/styles.xml")
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


class _SheetReader:
    """A worksheet's values, row by row as they stream past: a row that holds nothing costs
    nothing, and numbers beyond a spreadsheet's rows and columns are refused."""

    def __init__(
        self, strings: list[str], dates: set[int], epoch: dt.datetime, max_rows: int, max_columns: int
    ) -> None:
        self.strings, self.dates, self.epoch = strings, dates, epoch
        self.max_rows, self.max_columns = max_rows, max_columns
        self.rows: Rows = {}
        self.number = 0  # the current row's
        self.values: dict[int, Any] = {}
        self.column = 0
        self.cell: dict[str, str] | None = None  # the current cell's attributes
        self.text: Text | None = None  # the text of its value or inline string, while inside one
        self.raw: str | None = None
        self.inline: Text | None = None
        self.phonetic = 0
        self.merges: list[str] = []  # merged ranges, A3:A5

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{_MAIN}mergeCell":
            if len(self.merges) >= MAX_MERGES:
                raise Refused(f"合并单元格超过 {MAX_MERGES} 处,不读取")
            self.merges.append(attrs.get("ref", ""))
            return
        if tag == f"{_MAIN}row":
            given = attrs.get("r")
            number = _bounded(given, MAX_SHEET_ROWS, "行号") if given is not None else self.number + 1
            if number <= self.number:
                raise NotAWorkbook(f"工作表的行号 {number} 不是递增的")
            self.number, self.values, self.column = number, {}, 0
        elif tag == f"{_MAIN}c":
            place = attrs.get("r")
            if place:
                match = _PLACE.match(place)
                if match is None:
                    raise NotAWorkbook(f"单元格地址 {place[:20]} 无效")
                self.column = _bounded(_column_number(match.group(1)), MAX_SHEET_COLUMNS, "列号")
            else:
                self.column += 1
            self.cell, self.raw, self.inline = attrs, None, None
        elif self.cell is not None:
            if tag == f"{_MAIN}v":
                self.text = Text()
            elif tag == f"{_MAIN}is":
                self.inline = Text()
            elif tag == f"{_MAIN}rPh":
                self.phonetic += 1
            elif tag == f"{_MAIN}t" and self.inline is not None and not self.phonetic:
                self.text = self.inline

    def data(self, data: str) -> None:
        if self.text is not None:
            self.text.add(data)

    def end(self, tag: str) -> None:
        if tag == f"{_MAIN}v" and self.text is not None:
            self.raw, self.text = self.text.value(), None
        elif tag == f"{_MAIN}t":
            self.text = None
        elif tag == f"{_MAIN}rPh":
            self.phonetic -= 1
        elif tag == f"{_MAIN}c" and self.cell is not None:
            if self.column <= self.max_columns:
                value = _value(self.cell, self.raw, self.inline, self.strings, self.dates, self.epoch)
                if value is not None:
                    self.values[self.column] = value
            self.cell = None
        elif tag == f"{_MAIN}row" and self.values:
            if len(self.rows) >= self.max_rows:
                raise Refused(f"有内容的行超过 {self.max_rows} 行,不读取")
            row: list[Any] = [None] * max(self.values)
            for column, value in self.values.items():
                row[column - 1] = value
            self.rows[self.number] = row
            self.values = {}

    def close(self) -> Rows:
        return self.rows


MAX_MERGES = 10_000
MAX_SPREAD = 200_000  # cells a workbook's merged ranges may fill in all


def _spread(rows: Rows, merges: list[str], max_rows: int, max_columns: int) -> Rows:
    """``rows`` with each merged range's top-left value in every cell of the range (within the
    columns kept); refused when the ranges would fill more cells than a plan's table has."""
    filled = 0
    for ref in merges:
        corners = ref.split(":")
        if len(corners) != 2:
            continue
        (left, top), (right, bottom) = (_corner(c) for c in corners)
        right = min(right, max_columns)
        value = rows.get(top, [])[left - 1] if left - 1 < len(rows.get(top, [])) else None
        if value is None or right < left or bottom < top:
            continue
        filled += (bottom - top + 1) * (right - left + 1)
        if filled > MAX_SPREAD:
            raise Refused(f"合并单元格覆盖的单元格超过 {MAX_SPREAD} 个,不读取")
        for number in range(top, bottom + 1):
            row = rows.setdefault(number, [])
            if len(rows) > max_rows:
                raise Refused(f"有内容的行超过 {max_rows} 行,不读取")
            row.extend([None] * (right - len(row)))
            for column in range(left, right + 1):
                if row[column - 1] is None:
                    row[column - 1] = value
    return dict(sorted(rows.items()))


def _corner(place: str) -> tuple[int, int]:
    match = _PLACE.match(place)
    if match is None or match.group(2) is None:
        raise NotAWorkbook(f"合并单元格的地址 {place[:20]} 无效")
    column = _bounded(_column_number(match.group(1)), MAX_SHEET_COLUMNS, "列号")
    return column, _bounded(match.group(2), MAX_SHEET_ROWS, "行号")


def _bounded(value: str | int, limit: int, what: str) -> int:
    number = int(value) if isinstance(value, int) or (value.isascii() and value.isdigit() and len(value) < 10) else -1
    if not 1 <= number <= limit:
        raise NotAWorkbook(f"{what} {str(value)[:20]} 超出工作表的范围(至多 {limit})")
    return number


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _value(
    cell: dict[str, str], raw: str | None, inline: Text | None, strings: list[str], dates: set[int], epoch: dt.datetime
) -> Any:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return inline.value() if inline is not None else ""
    if not raw:  # an empty cell, or a formula never calculated
        return None
    try:
        if kind == "s":
            index = int(raw)
            if not 0 <= index < len(strings):
                raise NotAWorkbook("单元格引用了不存在的共享字符串")
            return strings[index]
        if kind in ("str", "e"):
            return raw
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "d":
            return dt.datetime.fromisoformat(raw.strip().rstrip("Z"))
        number = float(raw)
        style = cell.get("s", "0")
        if style.isdigit() and int(style) in dates:
            moment = epoch + dt.timedelta(milliseconds=round(number * 86_400_000))  # a day's fraction, to the ms
            return moment.date() if number.is_integer() else moment
    except (ValueError, OverflowError) as exc:
        if isinstance(exc, Refused):
            raise
        raise NotAWorkbook(f"单元格的值 {raw[:20]} 无效") from None
    return int(number) if number.is_integer() and "." not in raw and "E" not in raw.upper() else number
