"""The rows of cells in a plan file, chosen by what the file holds rather than its name: an XLSX
workbook, CSV, or text with tab-separated cells (a PDF's text layer). Reading is bounded: a
workbook whose parts would unpack to more than a set size is refused before it is opened."""

from __future__ import annotations

import csv
import io
import zipfile

from gkcli.errors import UnreadablePlan

Rows = list[tuple[int, list[str]]]  # line or row number, cells
MAX_UNPACKED = 64 * 1024 * 1024  # a plan's workbook unpacks to well under a megabyte
_OTHER = {b"%PDF": "PDF", b"\xd0\xcf\x11\xe0": "旧版 Word 或 Excel(.doc/.xls)"}


def rows_of(data: bytes, name: str) -> tuple[Rows, str]:
    """The rows of ``data`` and a word for its kind; UnreadablePlan when it holds no table to read."""
    for magic, kind in _OTHER.items():
        if data.startswith(magic):
            raise UnreadablePlan(
                f"{name} 是{kind}文件,目前还不能直接读取",
                hint="请另存为 XLSX 或 CSV,或把任务表转成以制表符分栏的文本(表头一行,每项任务一行)后再导入",
            )
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_rows(data, name), "XLSX"
    text = _decode(data, name)
    if "\t" in text:
        return [(n, line.split("\t")) for n, line in enumerate(text.splitlines(), 1)], "文字层"
    return _csv_rows(text), "CSV"


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadablePlan(f"{name} 不是文本文件(既非 UTF-8 也非 GB18030)")


def _csv_rows(text: str) -> Rows:
    return [(n, row) for n, row in enumerate(csv.reader(io.StringIO(text)), 1)]


def _xlsx_rows(data: bytes, name: str) -> Rows:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if "xl/workbook.xml" not in {m.filename for m in members}:
                raise UnreadablePlan(
                    f"{name} 是 ZIP 包但不是 Excel 工作簿(Word 文件目前还不能直接读取)", hint="请另存为 XLSX 或 CSV"
                )
            if len(members) > 1000 or sum(m.file_size for m in members) > MAX_UNPACKED:
                raise UnreadablePlan(f"{name} 解压后过大,不读取", hint="一份要点的工作簿解压后不到 1 MB;请确认文件")
    except zipfile.BadZipFile:
        raise UnreadablePlan(f"{name} 不是完整的 XLSX 文件") from None
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise UnreadablePlan(f"{name} 无法作为 Excel 工作簿打开: {type(exc).__name__}") from None
    sheet = book.worksheets[0]
    rows = [
        (n, ["" if value is None else _cell(value) for value in row])
        for n, row in enumerate(sheet.iter_rows(values_only=True), 1)
    ]
    book.close()
    return rows


def _cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
