"""What the clerk can say when gkcli's reading of a plan is wrong: one option each (--columns,
--lead-first, --year, --issuer, --sheet, --skip-rows); a table with no header read by what its
columns hold; and a draft that always loads, whatever the document lacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from .conftest import Cli

# a table whose header names no work column gkcli knows (类目 / 描述 / 主体 / 期限)
ODD_HEADER = """2023年测试县政务公开工作任务分工
编号,类目,描述,主体,期限
1,预算公开,按时公开部门预算和决算。,县财政局,6月底前
2,热线建设,推进政务服务热线归并。,县信访局,年底前
"""


def _run(cli: Cli, source: Path, target: Path, *options: str):  # type: ignore[no-untyped-def]
    return cli("import", str(source), "-o", str(target), *options)


def _tasks(target: Path) -> list[tuple[object, ...]]:
    plan = yaml.safe_load((target / "tasks.yaml").read_text(encoding="utf-8"))
    return [(t["id"], t["title"], t["lead"], t["responsible"], t["deadline"]) for t in plan["tasks"]]


def test_a_header_that_names_no_known_column_is_read_by_content_and_said(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "分工.csv"
    source.write_text(ODD_HEADER, encoding="utf-8")
    result = _run(cli, source, tmp_path / "a")
    assert result.exit_code == 1, result.output
    assert _tasks(tmp_path / "a") == [
        (1, "按时公开部门预算和决算。", ["县财政局"], [], "6月底前"),
        (2, "推进政务服务热线归并。", ["县信访局"], [], "年底前"),
    ]
    assert "各栏按内容推断" in result.stdout and "--columns" in result.stdout
    assert "读法(表格): 标题=第 3 栏" in result.stdout


@pytest.mark.parametrize(
    "columns",
    ["标题=类目,牵头=主体,时限=期限", "标题=2,牵头=4,时限=5", "标题:类目，牵头=主体，时限=5"],
)
def test_columns_say_which_column_is_which(cli: Cli, tmp_path: Path, columns: str) -> None:
    source = tmp_path / "分工.csv"
    source.write_text(ODD_HEADER, encoding="utf-8")
    result = _run(cli, source, tmp_path / "b", "--columns", columns)
    assert result.exit_code in (0, 1), result.output
    assert _tasks(tmp_path / "b") == [
        (1, "预算公开", ["县财政局"], [], "6月底前"),
        (2, "热线建设", ["县信访局"], [], "年底前"),
    ]


@pytest.mark.parametrize(
    "columns, said",
    [("标题=备注", "表头中没有“备注”"), ("题目=类目", "不认识的栏目 题目"), ("标题", "应写作 栏目=栏")],
)
def test_a_columns_option_that_names_nothing_is_refused(cli: Cli, tmp_path: Path, columns: str, said: str) -> None:
    source = tmp_path / "分工.csv"
    source.write_text(ODD_HEADER, encoding="utf-8")
    result = _run(cli, source, tmp_path / "c", "--columns", columns)
    assert result.exit_code == 2 and said in result.stderr and not (tmp_path / "c" / "tasks.yaml").exists()


def test_sheet_and_skip_rows(cli: Cli, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    cover = book.active
    cover.title = "说明"
    cover.append(["本表由县政府办公室汇总"])
    tasks = book.create_sheet("任务")
    tasks.append(["序号", "重点工作", "牵头单位", "完成时限"])  # a row that reads as a header, above the real one
    tasks.append(["填表说明:每行一项任务"])
    tasks.append(["序号", "工作内容", "负责科室", "完成时间"])
    tasks.append(["1", "做好预算公开。", "县财政局", "年底前"])
    other = book.create_sheet("去年")
    other.append(["序号", "重点工作", "牵头单位", "完成时限"])
    other.append(["1", "去年的任务。", "县审计局", "全年"])
    path = tmp_path / "分工.xlsx"
    book.save(path)
    first = _run(cli, path, tmp_path / "first")  # the first sheet with a task table's header
    assert first.exit_code in (0, 1) and [t[1] for t in _tasks(tmp_path / "first")] == ["做好预算公开。"]
    chosen = _run(cli, path, tmp_path / "chosen", "--sheet", "去年")
    assert chosen.exit_code in (0, 1) and [t[1] for t in _tasks(tmp_path / "chosen")] == ["去年的任务。"]
    missing = _run(cli, path, tmp_path / "missing", "--sheet", "前年")
    assert missing.exit_code == 2 and "没有工作表 前年" in missing.stderr and "说明、任务、去年" in missing.stderr
    skipped = _run(cli, path, tmp_path / "skipped", "--skip-rows", "2")
    assert skipped.exit_code in (0, 1) and "负责科室" in skipped.stdout  # the header below the skipped rows


def test_year_and_issuer_when_the_document_says_neither(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "分工.csv"
    source.write_text("序号,重点工作,牵头单位,完成时限\n1,做好预算公开。,县财政局,6月底前\n", encoding="utf-8")
    bare = _run(cli, source, tmp_path / "bare")
    plan = yaml.safe_load((tmp_path / "bare" / "tasks.yaml").read_text(encoding="utf-8"))["plan"]
    assert bare.exit_code == 1 and "--year" in plan["review"] and "--issuer" in plan["review"]
    given = _run(cli, source, tmp_path / "given", "--year", "2024", "--issuer", "测试县人民政府办公室")
    assert given.exit_code == 1  # the document's number and date are still not there
    plan = yaml.safe_load((tmp_path / "given" / "tasks.yaml").read_text(encoding="utf-8"))["plan"]
    assert (plan["year"], plan["issuer"], plan["office"]) == (2024, "测试县人民政府办公室", "县政府办公室")
    listed = json.loads(cli("--data", str(tmp_path / "given"), "list", "-f", "json").stdout)
    assert listed[0]["due"] == "2024-06-30"


def test_a_year_from_the_files_own_dates_is_proposed_and_flagged(cli: Cli, tmp_path: Path) -> None:
    import datetime as dt

    import docx

    document = docx.Document()
    document.core_properties.created = dt.datetime(2021, 3, 5, 8, 0)
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["重点工作", "牵头单位", "完成时限"], strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["做好预算公开。", "县财政局", "6月底前"], strict=True):
        cell.text = text
    path = tmp_path / "分工.docx"
    document.save(str(path))
    result = _run(cli, path, tmp_path / "d")
    plan = yaml.safe_load((tmp_path / "d" / "tasks.yaml").read_text(encoding="utf-8"))["plan"]
    assert plan["year"] == 2021 and "文件自身的日期(2021-03-05)" in plan["review"]
    assert result.exit_code == 1


@pytest.mark.parametrize(
    "text",
    [
        "一、公开\n1. 做好公开。\n",  # no units, no year, no title
        "序号,重点工作,牵头单位,完成时限\n1,做好预算公开。,,\n2,,县财政局,年底前\n",  # empty cells
        "重点工作\t牵头单位\n做好公开。\t县\n推进建设。\t县财\n",  # fragments, no deadline column
        "2023年要点\n一、公开\n（一）预算\n1. 做好公开。（按要求落实；时间待定）\n",
    ],
)
def test_a_draft_always_loads(cli: Cli, tmp_path: Path, text: str) -> None:
    source = tmp_path / "要点.txt"
    source.write_text(text, encoding="utf-8")
    result = _run(cli, source, tmp_path / "draft")
    assert result.exit_code in (0, 1), result.output
    draft = str(tmp_path / "draft")
    assert cli("check", draft).exit_code in (0, 1)
    listed = cli("--data", draft, "list", "-f", "json")
    assert listed.exit_code == 0, listed.stderr
    first = json.loads(listed.stdout)[0]["id"]
    assert cli("--data", draft, "show", str(first)).exit_code == 0


def test_the_hint_for_a_unit_without_a_role_names_office(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "分工.csv"
    source.write_text("序号,重点工作,牵头单位,完成时限\n1,做好预算公开。,县财政局,6月底前\n", encoding="utf-8")
    _run(cli, source, tmp_path / "e", "--year", "2023")
    result = cli(
        "--data", str(tmp_path / "e"), "progress", "1", "--unit", "县财政局", "--note", "x", GKCLI_TODAY="2023-03-01"
    )
    assert result.exit_code == 0, result.stderr
    other = tmp_path / "e" / "units.yaml"
    text = other.read_text(encoding="utf-8").replace(
        "units:\n", "units:\n  - name: 县审计局\n    kind: department\n", 1
    )
    other.write_text(text, encoding="utf-8")
    refused = cli(
        "--data", str(tmp_path / "e"), "progress", "1", "--unit", "县审计局", "--note", "x", GKCLI_TODAY="2023-03-01"
    )
    assert refused.exit_code == 2 and "office:" in refused.stderr
