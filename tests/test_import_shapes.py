"""Plans in the shapes real ones have (tests/shapes.py), in every format gkcli reads, import as the
hand-written expected files say (tests/fixtures/shapes/NAME.yaml), cell by cell: a category column
merged down, a heading in the row of its first task, unit cells that name roles. Two files were made
by other programs (scripts/make_shape_fixtures.py): a Word table saved again by LibreOffice, and a
table printed by Chromium over two pages with its header repeated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from . import shapes
from .conftest import FIXTURES, Cli

pytestmark = pytest.mark.slow  # every shape in every file type: documents made by other programs are parsed whole

EXPECTED = FIXTURES / "shapes"


def _made(shape: str, kind: str, folder: Path) -> Path:
    path = folder / f"{shape}.{kind}"
    if kind == "csv":
        path.write_bytes(shapes.as_csv(shape))
    elif kind == "html":
        path.write_bytes(shapes.as_html(shape))
    elif kind == "xlsx":
        shapes.as_xlsx(shape, path)
    else:
        shapes.as_docx(shape, path)
    return path


def _imported(cli: Cli, source: Path, target: Path) -> tuple[dict[str, object], list[str]]:
    result = cli("import", str(source), "-o", str(target))
    assert result.exit_code in (0, 1), result.stderr
    tasks = yaml.safe_load((target / "tasks.yaml").read_text(encoding="utf-8"))
    return tasks, result.stdout.splitlines()


def _compare(shape: str, tasks: dict[str, object], lines: list[str], target: Path, cli: Cli) -> None:
    expected = yaml.safe_load((EXPECTED / f"{shape}.yaml").read_text(encoding="utf-8"))
    parts = [{"title": p["title"], "sections": [s["title"] for s in p["sections"]]} for p in tasks["parts"]]  # type: ignore[attr-defined]
    assert parts == expected["parts"]
    got = [[t["id"], t["section"], t["title"], t["lead"], t["responsible"], t["deadline"]] for t in tasks["tasks"]]  # type: ignore[attr-defined]
    assert got == expected["tasks"]
    reviewed = [line.split(": ")[1] for line in lines if ": " in line and not line.startswith(("已写入", "读法"))]
    reviewed = list(dict.fromkeys(reviewed))  # the plan's particulars may take several lines
    assert reviewed == expected["review"]
    # every task row of the source is a task of the draft or a row listed for review
    assert f"{len(expected['tasks'])} 项任务" in lines[-1]
    # the draft loads: gkcli itself serves the review
    listed = cli("list", "-f", "json", GKCLI_DATA=str(target))
    assert listed.exit_code == 0, listed.stderr
    assert [t["id"] for t in json.loads(listed.stdout)] == [t[0] for t in expected["tasks"]]


@pytest.mark.parametrize("kind", ["csv", "html", "xlsx", "docx"])
@pytest.mark.parametrize("shape", list(shapes.SHAPES))
def test_a_shape_in_every_format_imports_as_expected(cli: Cli, tmp_path: Path, shape: str, kind: str) -> None:
    target = tmp_path / "台账"
    tasks, lines = _imported(cli, _made(shape, kind, tmp_path), target)
    _compare(shape, tasks, lines, target, cli)


@pytest.mark.parametrize(
    "fixture, shape", [("category-libreoffice.docx", "category"), ("heading_row-chromium.pdf", "heading_row")]
)
def test_files_made_by_other_programs_import_as_expected(cli: Cli, tmp_path: Path, fixture: str, shape: str) -> None:
    target = tmp_path / "台账"
    tasks, lines = _imported(cli, EXPECTED / fixture, target)
    _compare(shape, tasks, lines, target, cli)


def test_a_table_whose_rows_break_over_pages_joins_them(cli: Cli, tmp_path: Path) -> None:
    """page_break-libreoffice.pdf: tasks 4 and 6 end on the next page, under the header repeated
    there (pdfplumber reads that page's first row as a row with only the end of the title). Each
    such row is joined to its task, whose title then equals the table's, and said on the task."""
    target = tmp_path / "台账"
    tasks, lines = _imported(cli, EXPECTED / "page_break-libreoffice.pdf", target)
    expected = yaml.safe_load((EXPECTED / "page_break.yaml").read_text(encoding="utf-8"))
    got = [[t["id"], t["section"], t["title"], t["lead"], t["responsible"], t["deadline"]] for t in tasks["tasks"]]  # type: ignore[index]
    assert got == expected["tasks"]
    joined = [line for line in lines if "读作上一行(跨页)的续行,已并入" in line]
    assert [line.split(": ")[1] for line in joined] == ["任务 4 的标题", "任务 6 的标题"]


@pytest.mark.parametrize(
    "header",
    [
        "序号,任务,牵头单位,时限",
        "序号,工作要求,牵头单位,完成期限",
        "编号,主要内容,牵头部门,完成时间",
        "序号,重点工作,责任处室,截止时间",
        "序号,具体任务,责任单位,时间节点,备注",
    ],
)
def test_header_words_as_plans_write_them(cli: Cli, tmp_path: Path, header: str) -> None:
    plan = header + "\n一、公开,,,\n(一)预算,,,\n1,做好预算公开。,县财政局,年底前\n"
    source = tmp_path / "要点.csv"
    source.write_text(plan, encoding="utf-8")
    tasks, _ = _imported(cli, source, tmp_path / "台账")
    [task] = tasks["tasks"]  # type: ignore[index]
    assert (task["title"], task["lead"], task["deadline"]) == ("做好预算公开。", ["县财政局"], "年底前")


def test_units_on_a_line_of_their_own(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "分工.txt"
    source.write_text(
        "2023年测试县政府工作报告重点任务分解\n一、优化营商环境\n1. 推进政务公开标准化建设。\n责任单位:县政府办公室、县司法局\n"
        "2. 深化预算公开。\n牵头单位:县财政局;责任单位:各乡镇人民政府\n",
        encoding="utf-8",
    )
    tasks, _ = _imported(cli, source, tmp_path / "台账")
    got = [(t["id"], t["title"], t["lead"], t["responsible"]) for t in tasks["tasks"]]  # type: ignore[attr-defined]
    assert got == [
        (1, "推进政务公开标准化建设。", ["县政府办公室", "县司法局"], []),
        (2, "深化预算公开。", ["县财政局"], ["各乡镇人民政府"]),
    ]


def test_the_plans_particulars_from_heading_and_closing_lines(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "要点.txt"
    source.write_text(
        "2023年测试县政务公开工作要点\n序号\t重点工作\t牵头单位\t完成时限\n一、公开\n(一)预算\n1\t做好预算公开。\t县财政局\t年底前\n"
        "测试县人民政府办公室\n2023年4月20日\n",
        encoding="utf-8",
    )
    tasks, _ = _imported(cli, source, tmp_path / "台账")
    plan = tasks["plan"]  # type: ignore[index]
    assert (plan["title"], plan["year"], plan["issuer"], str(plan["issued_on"])) == (
        "2023年测试县政务公开工作要点",
        2023,
        "测试县人民政府办公室",
        "2023-04-20",
    )
    assert "文号" in plan["review"] and "发文机关" not in plan["review"]


def test_unknown_units_are_written_for_review_and_a_citys_names_are_not_matched_by_accident(
    cli: Cli, tmp_path: Path
) -> None:
    plan = "2023年某市审批局政务公开工作要点\n序号,重点工作,牵头单位,责任单位,完成时限\n一、公开,,,,\n(一)预算,,,,\n1,做好审批公开。,市审批局,办公室、法规科,全年\n"
    source = tmp_path / "要点.csv"
    source.write_text(plan, encoding="utf-8")
    _imported(cli, source, tmp_path / "台账")
    units = yaml.safe_load((tmp_path / "台账" / "units.yaml").read_text(encoding="utf-8"))
    written = {u["name"]: u for u in units["units"]}
    assert set(written) == {"市审批局", "办公室", "法规科"}  # none became a county unit
    assert all("review" in u for u in written.values())
    assert cli("list", "-f", "json", GKCLI_DATA=str(tmp_path / "台账")).exit_code == 0


def test_a_known_group_brings_its_members(cli: Cli, tmp_path: Path) -> None:
    plan = "序号,重点工作,牵头单位,责任单位,完成时限\n一、公开,,,,\n(一)预算,,,,\n1,做好村务公开。,县民政局,各乡镇人民政府,全年\n"
    source = tmp_path / "要点.csv"
    source.write_text(plan, encoding="utf-8")
    _imported(cli, source, tmp_path / "台账")
    units = yaml.safe_load((tmp_path / "台账" / "units.yaml").read_text(encoding="utf-8"))
    [group] = units["groups"]
    assert group["name"] == "各乡镇人民政府" and len(group["members"]) == 7 and "review" in group
    assert {u["name"] for u in units["units"]} >= set(group["members"])


def test_every_task_row_is_a_task_or_on_the_review_list(cli: Cli, tmp_path: Path) -> None:
    """Five rows hold a task in the source; one has units but no title (a merged title cell lost in
    conversion): four tasks and one review line naming that row, and the summary says so."""
    plan = (
        "2023年测试县政务公开工作要点\n序号,重点工作,牵头单位,完成时限\n一、公开,,,\n(一)预算,,,\n"
        "1,做好预算公开。,县财政局,年底前\n2,,县审计局,全年\n3,做好决算公开。,县财政局,年底前\n"
        "4,做好审计公开。,县审计局,全年\n5,做好统计公开。,县统计局,全年\n"
    )
    source = tmp_path / "要点.csv"
    source.write_text(plan, encoding="utf-8")
    tasks, lines = _imported(cli, source, tmp_path / "台账")
    assert [t["id"] for t in tasks["tasks"]] == [1, 3, 4, 5]  # type: ignore[index]
    assert all(t["title"] for t in tasks["tasks"])  # type: ignore[union-attr]
    assert any(":6: 这一行" in line for line in lines)  # the row, by its line in the file
    assert "原文 5 个任务行中有 1 行未读成任务" in lines[-1]
