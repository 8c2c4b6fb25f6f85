"""Answers an office relies on without checking: the office's own part of a shared task, requests
that end with their part, locked form cells, and the same bytes from every process."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .conftest import Cli


def _show(cli: Cli, task_id: int, *args: str) -> dict[str, object]:
    return json.loads(cli("show", str(task_id), "-f", "json", *args).stdout)  # type: ignore[no-any-return]


# ---- the office's own part ----------------------------------------------------------------------


def test_the_office_records_its_own_part_of_a_task_it_shares(cli: Cli) -> None:
    """Task 27: 县政府办公室 and 县司法局 lead. The office's done closes only its part; 县司法局, which
    never reported, is not counted done anywhere (show, stats by unit, the bulletin's ranking)."""
    done = cli("done", "27", "--unit", "县政府办公室", "--on", "2022-09-10", GKCLI_TODAY="2022-09-12")
    assert done.exit_code == 0, done.stderr
    assert "县政府办公室 的部分已登记完成" in done.stdout and "尚未完成: 县司法局" in done.stdout
    shown = _show(cli, 27, "--as-of", "2022-09-12")
    assert shown["status"] == "in_progress" and shown["done_on"] is None
    assert shown["parts_open"] == ["县司法局"]
    stats = json.loads(cli("stats", "--by", "unit", "--as-of", "2022-09-12", "-f", "json").stdout)
    rows = {row["key"]: row for row in stats["rows"]}
    assert rows["县司法局"]["done"] == 0 and rows["县政府办公室"]["done"] == 1
    assert json.loads(cli("unit", "县司法局", "--as-of", "2022-09-12", "-f", "json").stdout)[0]["light"] != "done"
    # the other lead's part closes the task, on the later of the two dates
    assert cli("done", "27", "--unit", "县司法局", "--on", "2022-09-20", GKCLI_TODAY="2022-09-21").exit_code == 0
    assert _show(cli, 27)["done_on"] == "2022-09-20"


def test_the_office_speaks_for_the_whole_task_without_unit_or_where_it_has_no_role(cli: Cli) -> None:
    whole = cli("done", "27", "--on", "2022-09-10", GKCLI_TODAY="2022-09-12")
    assert whole.exit_code == 0 and _show(cli, 27)["status"] == "done"
    # task 1: 县政府办公室 has no role; with --unit it still closes the task, and says why
    office = cli("done", "1", "--unit", "县政府办公室", "--on", "2022-09-10", GKCLI_TODAY="2022-09-12")
    assert office.exit_code == 0, office.stderr
    assert "县政府办公室 在任务 1 中没有角色" in office.stderr and _show(cli, 1)["status"] == "done"


def test_the_offices_form_records_its_own_part(cli: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    form = tmp_path / "办公室.xlsx"
    assert cli("returns", "export", "--unit", "县政府办公室", "-o", str(form), "--as-of", "2022-09-01").exit_code == 0
    book = load_workbook(form)
    for row in book["填报表"].iter_rows(min_row=4):
        if row[0].value == 27:
            row[8].value = dt.datetime(2022, 9, 8)
    book.save(form)
    result = cli("returns", "import", str(form), "--on", "2022-09-10", GKCLI_TODAY="2022-09-10")
    assert result.exit_code == 0, result.stderr
    shown = _show(cli, 27)
    assert shown["status"] == "in_progress" and shown["parts_open"] == ["县司法局"]


# ---- requests end with their part ---------------------------------------------------------------


def _request_then_finish(cli: Cli) -> None:
    asked = cli(
        "extend", "27", "--request", "--unit", "县司法局", "--to", "2022-11-30", "--on", "2022-09-05",
        "--note", "需征求意见", GKCLI_TODAY="2022-09-05",
    )  # fmt: skip
    assert asked.exit_code == 0, asked.stderr
    assert cli("done", "27", "--unit", "县司法局", "--on", "2022-09-20", GKCLI_TODAY="2022-09-20").exit_code == 0


def test_a_request_is_pending_only_while_its_part_is_open(cli: Cli) -> None:
    _request_then_finish(cli)
    before = cli("report", "--as-of", "2022-09-10", "-f", "markdown")
    assert "待批准的延期申请(1 项)" in before.stdout and "申请延期至 2022-11-30，待批准" in before.stdout
    after = cli("report", "--as-of", "2022-09-30", "-f", "markdown")
    assert "待批准的延期申请(0 项)" in after.stdout and "待批准(" not in after.stdout
    # known on 09-10, the bulletin of 09-30 did not yet know of the completion: still pending
    known = cli("report", "--as-of", "2022-09-30", "--known-on", "2022-09-10", "-f", "markdown")
    assert "待批准的延期申请(1 项)" in known.stdout


def test_a_whole_task_finished_or_extended_answers_every_request(cli: Cli) -> None:
    for unit in ("县司法局", "县政府办公室"):
        asked = cli(
            "extend", "27", "--request", "--unit", unit, "--to", "2022-11-30", "--on", "2022-09-05",
            "--note", "理由", GKCLI_TODAY="2022-09-05",
        )  # fmt: skip
        assert asked.exit_code == 0, asked.stderr
    assert "待批准的延期申请(2 项)" in cli("report", "--as-of", "2022-09-06", "-f", "markdown").stdout
    granted = cli(
        "extend", "27", "--to", "2022-10-31", "--on", "2022-09-08", "--note", "统一延期", GKCLI_TODAY="2022-09-08"
    )
    assert granted.exit_code == 0, granted.stderr
    assert "待批准的延期申请(0 项)" in cli("report", "--as-of", "2022-09-09", "-f", "markdown").stdout


# ---- locked cells are compared ------------------------------------------------------------------

_LOCKED_EDITS = {  # column (from 1) of a locked cell, and how it is edited
    "角色": (3, lambda old: "责任" if old == "牵头" else "牵头"),
    "完成时限": (4, lambda old: f"{old}(已调整)"),
    "截止日期": (5, lambda old: dt.datetime(2023, 3, 1)),
    "当前状态": (6, lambda old: "已完成"),
    "最新进展": (7, lambda old: "2022-09-01 县财政局:已完成全部工作"),
    "重点工作": (2, lambda old: old + "。"),
    "序号": (1, lambda old: old + 1000),
}


def _form_for(cli: Cli, tmp_path: Path, unit: str = "县财政局") -> Path:
    form = tmp_path / "form.xlsx"
    exported = cli(
        "returns", "export", "--unit", unit, "-o", str(form), "--as-of", "2022-09-01", GKCLI_TODAY="2022-09-01"
    )
    assert exported.exit_code == 0, exported.stderr
    return form


def test_every_locked_cell_edited_refuses_the_form_naming_row_and_cell(cli: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    form = _form_for(cli, tmp_path)
    tasks = Path(cli.env["GKCLI_DATA"]) / "tasks.yaml"
    before = tasks.read_bytes()
    for header, (column, value) in _LOCKED_EDITS.items():
        book = load_workbook(form)
        sheet = book["填报表"]
        sheet.cell(5, column).value = value(sheet.cell(5, column).value)  # the second task row
        sheet.cell(5, 8).value = "进展"
        edited = tmp_path / f"edited-{column}.xlsx"
        book.save(edited)
        result = cli("returns", "import", str(edited), GKCLI_TODAY="2022-09-05")
        assert result.exit_code == 2, (header, result.stdout)
        assert f"edited-{column}.xlsx:行5: 锁定的单元格“{header}”被改动" in result.stderr, result.stderr
        assert tasks.read_bytes() == before


def test_a_locked_cell_edited_in_a_row_left_empty_is_refused_too(cli: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    form = _form_for(cli, tmp_path)
    book = load_workbook(form)
    book["填报表"].cell(4, 3).value = "责任" if book["填报表"].cell(4, 3).value == "牵头" else "牵头"
    book["填报表"].cell(6, 8).value = "另一行的进展"
    book.save(form)
    result = cli("returns", "import", str(form), GKCLI_TODAY="2022-09-05")
    assert result.exit_code == 2 and "行4: 锁定的单元格“角色”被改动" in result.stderr


def test_the_kept_values_cannot_be_edited_to_match(cli: Cli, tmp_path: Path) -> None:
    """Editing a locked cell and its copy in the hidden sheet breaks the seal over the copies."""
    from openpyxl import load_workbook

    form = _form_for(cli, tmp_path)
    book = load_workbook(form)
    book["填报表"].cell(4, 4).value = "12月底前x"
    hidden = book["gkcli"]
    for row in hidden.iter_rows():
        if row[0].value == "row" and row[1].value == 4:
            row[5].value = "12月底前x"
    book.save(form)
    result = cli("returns", "import", str(form), GKCLI_TODAY="2022-09-05")
    assert result.exit_code == 2 and "表格标识与表格内容不符" in result.stderr


def test_a_form_filled_without_touching_locked_cells_imports(cli: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    cli("progress", "3", "--unit", "县财政局", "--note", "多行\n说明", "--on", "2022-08-20", GKCLI_TODAY="2022-08-21")
    form = _form_for(cli, tmp_path)
    book = load_workbook(form)
    book["填报表"].cell(4, 8).value = "已梳理"
    book["填报表"].cell(5, 9).value = dt.datetime(2022, 9, 3)
    book.save(form)
    result = cli("returns", "import", str(form), GKCLI_TODAY="2022-09-05")
    assert result.exit_code == 0, result.stderr


# ---- smaller things found in the first hour ------------------------------------------------------


def test_show_names_the_task_it_continues_in_every_format(cli: Cli) -> None:
    tasks = Path(cli.env["GKCLI_DATA"]) / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    at = text.index("    status:", text.index("  - id: 5\n", text.index("\ntasks:")))
    tasks.write_text(text[:at] + '    carried_from: "2021:12"\n' + text[at:], encoding="utf-8")
    for fmt in ("table", "markdown"):
        shown = cli("show", "5", "-f", fmt)
        assert shown.exit_code == 0 and "接续" in shown.stdout and "2021:12" in shown.stdout, fmt
    assert _show(cli, 5)["carried_from"] == "2021:12"


def test_role_is_taken_in_chinese_too(cli: Cli) -> None:
    for english, chinese in (("lead", "牵头"), ("responsible", "责任"), ("lead", "牵头单位")):
        a = cli("list", "--unit", "县财政局", "--role", english, "-f", "json")
        b = cli("list", "--unit", "县财政局", "--role", chinese, "-f", "json")
        assert a.exit_code == b.exit_code == 0 and json.loads(a.stdout) == json.loads(b.stdout) != []
        c = cli("unit", "县财政局", "--role", chinese, "-f", "json")
        assert {t["id"] for t in json.loads(c.stdout)} == {t["id"] for t in json.loads(a.stdout)}
    wrong = cli("list", "--unit", "县财政局", "--role", "配合")
    assert wrong.exit_code == 2 and "牵头" in wrong.stderr


def test_a_units_listing_says_whose_light_and_whose_status(cli: Cli) -> None:
    assert cli("done", "3", "--unit", "县财政局", "--on", "2022-09-01", GKCLI_TODAY="2022-09-02").exit_code == 0
    for fmt in ("table", "markdown"):
        out = cli("unit", "县财政局", "--as-of", "2022-09-02", "-f", fmt, COLUMNS="200").stdout
        assert "本单位灯" in out and "任务状态" in out, fmt
    assert "本单位灯" not in cli("list", "--as-of", "2022-09-02", "-f", "markdown").stdout


def test_at_80_columns_the_columns_go_in_the_order_the_readme_gives(cli: Cli) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "责任单位、牵头单位、\n状态、灯" in readme
    overdue = cli("overdue", "--as-of", "2022-10-01", "-f", "table", COLUMNS="80").stdout
    header = next(line for line in overdue.splitlines() if "序号" in line)
    assert "状态" in header and "灯" in header and "牵头单位" not in header and "责任单位" not in header
    assert "未显示: 牵头单位、责任单位" in overdue  # both dropped before the status and the light


def test_help_is_never_broken_inside_a_variable_or_a_path(cli: Cli) -> None:
    for width in ("80", "60", "72"):
        help_text = cli("--help", COLUMNS=width).stdout
        assert "$GKCLI_DATA" in help_text.replace(" ", ""), width
        lines = help_text.splitlines()
        assert not any(line.rstrip().endswith(("$", "./", "~/")) for line in lines), width


def test_entries_are_dated_under_a_key_every_yaml_reader_reads_as_text(cli: Cli) -> None:
    import yaml

    assert cli("progress", "3", "--note", "已起草", "--on", "2022-09-01", GKCLI_TODAY="2022-09-02").exit_code == 0
    tasks = Path(cli.env["GKCLI_DATA"]) / "tasks.yaml"
    data = yaml.safe_load(tasks.read_text(encoding="utf-8"))  # PyYAML: YAML 1.1, where a bare on is True
    entry = next(t for t in data["tasks"] if t["id"] == 3)["progress"][0]
    assert entry["date"] == dt.date(2022, 9, 1) and True not in entry


def test_check_fix_rewrites_only_the_older_keys(cli: Cli, tmp_path: Path) -> None:
    tasks = Path(cli.env["GKCLI_DATA"]) / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    at = text.index("    status: not_started", text.index("  - id: 3\n", text.index("\ntasks:")))
    older = (
        "    status: in_progress\n    progress:\n      - on: 2022-08-01  # 旧写法\n        note: 起草\n"
        "      - {on: 2022-08-20, note: 修改, unit: 县财政局}\n"
    )
    tasks.write_text(text[:at] + older + text[at + len("    status: not_started\n") :], encoding="utf-8")
    before = tasks.read_bytes()
    warned = cli("check", "--as-of", "2022-10-01")
    assert warned.exit_code == 0 and warned.stdout.count("GK115") == 2 and "check --fix" in warned.stdout
    fixed = cli("check", "--fix", "--as-of", "2022-10-01")
    assert fixed.exit_code == 0 and "2 处旧键" in fixed.stderr and "GK115" not in fixed.stdout
    after = tasks.read_bytes()
    assert after == before.replace(b"- on: 2022-08-01", b"- date: 2022-08-01").replace(b"{on: ", b"{date: ")
    assert cli("check", "--fix", "--as-of", "2022-10-01").stderr.count("旧键") == 0  # nothing more to do
