"""The standard-library XLSX reader gives the values openpyxl gives, for every kind of cell a
returns form can hold, and refuses what it cannot read safely."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from gkcli.store.inputs import Archive, Refused
from gkcli.store.xlsx import sheets

from .conftest import FIXTURES


def _as_openpyxl_reads(path: Path) -> dict[str, dict[int, list[Any]]]:
    book = openpyxl.load_workbook(path, data_only=True)
    found = {}
    for sheet in book.worksheets:
        rows = {}
        for row in sheet.iter_rows():
            values = [c.value for c in row]
            while values and values[-1] is None:
                values.pop()
            if values:
                rows[row[0].row] = values
        found[sheet.title] = rows
    return found


def _comparable(book: dict[str, dict[int, list[Any]]]) -> dict[str, dict[int, list[Any]]]:
    """Trailing empty cells and empty rows dropped; a date as openpyxl gives it (a datetime)."""

    def value(v: Any) -> Any:
        return dt.datetime.combine(v, dt.time()) if type(v) is dt.date else v

    out: dict[str, dict[int, list[Any]]] = {}
    for name, rows in book.items():
        out[name] = {}
        for number, row in rows.items():
            values = [value(v) for v in row]
            while values and values[-1] is None:
                values.pop()
            if values:
                out[name][number] = values
    return out


@pytest.mark.parametrize("epoch_1904", [False, True])
def test_every_kind_of_cell_reads_as_openpyxl_reads_it(tmp_path: Path, epoch_1904: bool) -> None:
    book = openpyxl.Workbook()
    book.epoch = (
        openpyxl.utils.datetime.CALENDAR_MAC_1904 if epoch_1904 else openpyxl.utils.datetime.CALENDAR_WINDOWS_1900
    )
    sheet = book.active
    sheet.title = "填报表"
    sheet["A1"] = "序号"
    sheet["B1"] = "重点工作:含“引号”、<尖括号> & 符号"
    sheet["A4"] = 32
    sheet["B4"] = 3.5
    sheet["C4"] = True
    sheet["D4"] = dt.datetime(2022, 9, 20)
    sheet["E4"] = dt.datetime(2022, 9, 20, 14, 30)
    sheet["F4"] = "=1+1"
    sheet["H4"] = "已完成\n第二行"
    sheet["J6"] = "https://example.org/a?b=1&c=2"
    sheet["I6"] = dt.datetime(2022, 11, 8)
    sheet["I6"].number_format = 'yyyy"年"m"月"d"日"'
    sheet["C6"] = 45000
    sheet["C6"].number_format = "0.00"  # a number with a format that is no date
    sheet["A7"] = CellRichText(["分", TextBlock(InlineFont(b=True), "段文字")])
    other = book.create_sheet("gkcli")
    other.append(["form", "表单-1"])
    other.append(["plan", "嵊政办发〔2022〕36号"])
    path = tmp_path / "cells.xlsx"
    book.save(path)
    mine = _sheets(path.read_bytes())
    theirs = _as_openpyxl_reads(path)
    assert theirs["填报表"][4][5] is None  # a formula never calculated has no value to read
    assert _comparable(mine) == _comparable(theirs)
    assert list(mine) == ["填报表", "gkcli"]
    assert type(mine["填报表"][4][3]) is dt.date and type(mine["填报表"][4][4]) is dt.datetime


def test_the_libreoffice_form_reads_as_openpyxl_reads_it() -> None:
    """tests/fixtures/returns_libreoffice.xlsx was saved by LibreOffice Calc (see test_returns)."""
    fixture = FIXTURES / "returns_libreoffice.xlsx"
    if not fixture.exists():
        pytest.skip("the LibreOffice fixture has not been made (scripts/make_returns_fixture.py)")
    mine = _sheets(fixture.read_bytes())
    assert _comparable(mine) == _comparable(_as_openpyxl_reads(fixture))


def _sheets(data: bytes) -> dict[str, dict[int, list[Any]]]:
    return sheets(Archive(data), max_rows=1000, max_columns=64)


def _archive(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_part_with_a_dtd_or_a_missing_part_is_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    path = tmp_path / "plain.xlsx"
    book.save(path)
    with zipfile.ZipFile(path) as original:
        parts = {name: original.read(name) for name in original.namelist()}
    for part in ("xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/styles.xml"):
        declaration, _, body = parts[part].rpartition(b"?>")
        for dtd in (b'<!DOCTYPE x [<!ENTITY a "aaaa">]>', b'<!DOCTYPE x SYSTEM "http://example.org/x.dtd">'):
            bomb = declaration + (b"?>" if declaration else b"") + dtd + body
            with pytest.raises(Refused, match="DTD"):
                _sheets(_archive({**parts, part: bomb}))
            # the same part in UTF-16, where the bytes "<!DOCTYPE" never appear
            text = bomb.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
            with pytest.raises(Refused, match="DTD"):
                _sheets(_archive({**parts, part: text.encode("utf-16")}))
    with pytest.raises(Refused):
        _sheets(_archive({k: v for k, v in parts.items() if k != "xl/worksheets/sheet1.xml"}))
