"""Returns from the units: the fill-in workbook goes out, comes back filled, and exactly the filled
rows are recorded, once; a workbook with one bad row changes no byte of the registry."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from .conftest import FIXTURES, Cli


@pytest.fixture
def sent(cli: Cli, tmp_path: Path) -> Path:
    """The forms of 县财政局 and of every township, exported on 2022-09-01."""
    out = tmp_path / "填报表"
    result = cli(
        "returns", "export", "--unit", "县财政局", "--unit", "各乡镇人民政府", "-o", str(out), "--as-of", "2022-09-01"
    )
    assert result.exit_code == 0, result.stderr
    return out


def _fill(path: Path, rows: dict[int, tuple[object, object, object]], target: Path | None = None) -> Path:
    """Fill the three open columns of the given task rows, as a unit would, and save."""
    book = load_workbook(path)
    sheet = book["填报表"]
    for row in sheet.iter_rows(min_row=4):
        if row[0].value in rows:
            row[7].value, row[8].value, row[9].value = rows[row[0].value]
    saved = target or path.with_name(path.stem + "-已填.xlsx")
    book.save(saved)
    return saved


def _registry_bytes(cli: Cli) -> str:
    return hashlib.sha256((Path(cli.env["GKCLI_DATA"]) / "tasks.yaml").read_bytes()).hexdigest()


def _log(cli: Cli, task_id: int) -> list[dict[str, object]]:
    return json.loads(cli("show", str(task_id), "-f", "json").stdout)["progress"]  # type: ignore[no-any-return]


def test_the_form_lists_the_units_tasks_and_opens_only_the_columns_to_fill(sent: Path) -> None:
    book = load_workbook(sent / "县财政局.xlsx")
    sheet = book["填报表"]
    assert [c.value for c in sheet[3]] == ["序号", "重点工作", "角色", "完成时限", "截止日期", "当前状态", "最新进展",
                                           "进展情况", "完成日期", "佐证链接", "申请延期至"]  # fmt: skip
    ids = [row[0].value for row in sheet.iter_rows(min_row=4) if row[0].value is not None]
    assert ids[:3] == [3, 10, 38] and len(ids) == 30  # leads first, then responsible through 县属有关单位
    first = next(sheet.iter_rows(min_row=4, max_row=4))
    assert sheet.protection.sheet and first[1].protection.locked and not first[7].protection.locked
    assert not first[10].protection.locked and first[6].protection.locked
    assert isinstance(first[4].value, dt.datetime) and first[4].number_format == "yyyy-mm-dd"
    done_on, extension = sheet.data_validations.dataValidation
    assert done_on.type == extension.type == "date" and "I4" in str(done_on.sqref) and "K4" in str(extension.sqref)
    assert sheet.freeze_panes == "A4" and sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert book["gkcli"].sheet_state == "hidden"
    assert sorted(p.name for p in sent.iterdir())[:2] == ["五龙乡人民政府.xlsx", "县财政局.xlsx"]
    assert (sent / "菜园镇人民政府.xlsx").exists()  # 各乡镇人民政府 expanded to its members


def test_a_round_trip_records_exactly_the_filled_rows_once(cli: Cli, sent: Path) -> None:
    finance = _fill(sent / "县财政局.xlsx", {
        3: ("已完成项目信息梳理", None, None),  # progress, dated --on
        38: ("已汇总发放结果", dt.datetime(2022, 9, 20), None),  # done, a date cell
        10: ("政策已公开", "2022年9月15日", "https://www.shengsi.gov.cn/art/1"),  # done, a text date and a link
    })  # fmt: skip
    township = _fill(sent / "菜园镇人民政府.xlsx", {40: ("查阅场所已设立", "2022/9/25", None)})
    result = cli("returns", "import", str(finance), str(township), "--on", "2022-09-28")
    assert result.exit_code == 0, result.stderr
    assert "已登记 4 条记录" in result.stderr
    assert [(e["on"], e["unit"], e["kind"], e["note"]) for e in _log(cli, 3)] == [
        ("2022-09-28", "县财政局", "progress", "已完成项目信息梳理")
    ]
    ten = _log(cli, 10)
    assert [(e["on"], e["kind"], e["link"]) for e in ten] == [
        ("2022-09-15", "done", "https://www.shengsi.gov.cn/art/1")
    ]
    assert [(e["unit"], e["kind"]) for e in _log(cli, 40)] == [("菜园镇人民政府", "done")]
    shown = json.loads(cli("show", "40", "-f", "json").stdout)
    assert shown["status"] == "in_progress"  # one township's part does not finish a shared task
    assert all(
        str(e["source"]).endswith(("#4", "#5", "#6")) or e["unit"] == "菜园镇人民政府" for e in ten + _log(cli, 38)
    )
    tasks_with_entries = [
        t["id"] for t in json.loads(cli("export", "-f", "json").stdout)["parts"][0]["sections"][0]["tasks"]
    ]
    assert tasks_with_entries  # the registry still reads
    before = _registry_bytes(cli)
    again = cli("returns", "import", str(finance))
    assert again.exit_code == 0 and "已于之前导入" in again.stderr and "没有新的记录" in again.stderr
    assert _registry_bytes(cli) == before
    assert cli("check", "--strict").exit_code == 0


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ({3: ("x", "2099-01-01", None)}, "晚于今天"),
        ({3: ("x", "2022-01-01", None)}, "早于要点印发日期"),
        ({3: ("x", "1/10/2022", None)}, "歧义"),
        ({3: ("x", None, "javascript:alert(1)")}, "http"),
    ],
)
def test_one_bad_row_writes_nothing(
    cli: Cli, sent: Path, rows: dict[int, tuple[object, object, object]], problem: str
) -> None:
    good = {10: ("政策已公开", None, None)}
    filled = _fill(sent / "县财政局.xlsx", {**good, **rows})
    before = _registry_bytes(cli)
    result = cli("returns", "import", str(filled))
    assert result.exit_code == 2 and problem in result.stderr and "行4" in result.stderr
    assert _registry_bytes(cli) == before


def test_an_edited_locked_cell_and_a_task_of_another_unit_are_refused(cli: Cli, sent: Path) -> None:
    book = load_workbook(sent / "县财政局.xlsx")
    sheet = book["填报表"]
    sheet["B4"] = "改过的标题"
    sheet["H4"] = "x"
    sheet.append(
        [37, "对照国务院有关部委印发的26个试点领域标准指引", None, None, None, None, None, "越权填写", None, None]
    )
    book.save(sent / "bad.xlsx")
    before = _registry_bytes(cli)
    result = cli("returns", "import", str(sent / "bad.xlsx"))
    assert result.exit_code == 2 and "被改动" in result.stderr
    assert "bad.xlsx:行4" in result.stderr and "bad.xlsx:行34" in result.stderr
    assert _registry_bytes(cli) == before


def test_a_workbook_of_another_plan_or_not_a_form_is_refused(cli: Cli, sent: Path, tmp_path: Path) -> None:
    book = load_workbook(sent / "县财政局.xlsx")
    book["gkcli"]["B2"] = "嵊政办发〔2023〕1号"
    book.save(tmp_path / "other.xlsx")
    assert "另一份要点" in cli("returns", "import", str(tmp_path / "other.xlsx")).stderr
    (tmp_path / "not.xlsx").write_bytes(b"PK\x03\x04 not really")
    result = cli("returns", "import", str(tmp_path / "not.xlsx"))
    assert result.exit_code == 2 and "不是可读的 XLSX" in result.stderr and "Traceback" not in result.stderr


def test_a_workbook_saved_by_libreoffice_is_read(cli: Cli, tmp_path: Path) -> None:
    """tests/fixtures/returns_libreoffice.xlsx: a 县财政局 form exported by gkcli, filled in (task 3:
    progress; task 38: done on 2022-09-20) and saved again by LibreOffice Calc, headless — made by
    scripts/make_returns_fixture.py."""
    fixture = FIXTURES / "returns_libreoffice.xlsx"
    if not fixture.exists():
        pytest.skip("the LibreOffice fixture has not been made (scripts/make_returns_fixture.py)")
    result = cli("returns", "import", str(shutil.copy(fixture, tmp_path / "lo.xlsx")), "--on", "2022-09-28")
    assert result.exit_code == 0, result.stderr
    assert [(e["on"], e["kind"]) for e in _log(cli, 38)] == [("2022-09-20", "done")]
    assert [e["note"] for e in _log(cli, 3)] == ["LibreOffice 中填写的进展"]
