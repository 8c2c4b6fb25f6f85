"""The supervision loop as offices run it: forms sent again with changes, a dry run that checks
what the import checks, the form showing the unit its own part, extensions (延期) replayed by day,
and a month of it end to end, each compared with a hand computation."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from .conftest import Cli

TASK_40_LEADS = "县政府办公室"  # task 40: 县政府办公室 leads, 31 县属有关单位 and 7 townships are responsible


def _digest(cli: Cli) -> str:
    return hashlib.sha256((Path(cli.env["GKCLI_DATA"]) / "tasks.yaml").read_bytes()).hexdigest()


def _show(cli: Cli, task_id: int, *args: str) -> dict[str, object]:
    return json.loads(cli("show", str(task_id), "-f", "json", *args).stdout)  # type: ignore[no-any-return]


def _export(cli: Cli, unit: str, to: Path, day: str) -> Path:
    result = cli("returns", "export", "--unit", unit, "-o", str(to), "--as-of", day, GKCLI_TODAY=day)
    assert result.exit_code == 0, result.stderr
    return to


def _fill(form: Path, rows: dict[int, dict[int, object]], saved: Path) -> Path:
    """Fill cells (column index from 0: 7 进展情况, 8 完成日期, 9 佐证链接, 10 申请延期至) of task rows."""
    book = load_workbook(form)
    sheet = book["填报表"]
    for row in sheet.iter_rows(min_row=4):
        for column, value in rows.get(row[0].value, {}).items():  # type: ignore[call-overload]
            row[column].value = value
    book.save(saved)
    return saved


def _row_of(form: Path, task_id: int) -> list[object]:
    sheet = load_workbook(form)["填报表"]
    return next([c.value for c in row] for row in sheet.iter_rows(min_row=4) if row[0].value == task_id)


# ---- a form sent again ------------------------------------------------------------------------


def test_a_form_sent_again_records_only_what_changed(cli: Cli, tmp_path: Path) -> None:
    form = _export(cli, "县财政局", tmp_path / "f.xlsx", "2022-09-01")
    first = _fill(form, {3: {7: "已梳理预算项目"}, 10: {7: "已起草"}}, tmp_path / "1.xlsx")
    assert cli("returns", "import", str(first), "--on", "2022-09-05", GKCLI_TODAY="2022-09-05").exit_code == 0
    # the same rows again, one note changed and a completion date added to the other
    again = _fill(first, {3: {7: "已梳理并公开预算项目"}, 10: {8: dt.datetime(2022, 9, 8)}}, tmp_path / "2.xlsx")
    result = cli("returns", "import", str(again), "--on", "2022-09-10", GKCLI_TODAY="2022-09-10")
    assert result.exit_code == 0, result.stderr
    log3, log10 = _show(cli, 3)["progress"], _show(cli, 10)["progress"]
    assert [(e["note"], e["on"]) for e in log3] == [
        ("已梳理预算项目", "2022-09-05"),
        ("已梳理并公开预算项目", "2022-09-10"),
    ]  # type: ignore[index]
    assert log3[1]["source"].endswith("#4~2") or log3[1]["source"].split("#")[1].endswith("~2")  # type: ignore[index]
    assert [(e["kind"], e["on"]) for e in log10] == [("progress", "2022-09-05"), ("done", "2022-09-08")]  # type: ignore[index]
    # a third sending of the same form changes nothing
    before = _digest(cli)
    third = cli("returns", "import", str(again), GKCLI_TODAY="2022-09-12")
    assert third.exit_code == 0 and "内容未变" in third.stderr and _digest(cli) == before


@pytest.mark.parametrize(
    "change, said",
    [({8: dt.datetime(2022, 9, 9)}, "由 2022-09-08 改为 2022-09-09"), ({8: None}, "被清除")],
    ids=["date moved", "date cleared"],
)
def test_a_completion_moved_or_cleared_is_refused_naming_the_row(
    cli: Cli, tmp_path: Path, change: dict[int, object], said: str
) -> None:
    form = _export(cli, "县财政局", tmp_path / "f.xlsx", "2022-09-01")
    done = _fill(form, {10: {7: "已完成", 8: dt.datetime(2022, 9, 8)}}, tmp_path / "1.xlsx")
    assert cli("returns", "import", str(done), GKCLI_TODAY="2022-09-10").exit_code == 0
    moved = _fill(done, {10: change}, tmp_path / "2.xlsx")
    before = _digest(cli)
    for dry in ([], ["--dry-run"]):
        result = cli("returns", "import", str(moved), *dry, GKCLI_TODAY="2022-09-12")
        assert result.exit_code == 2 and "2.xlsx:行" in result.stderr and said in result.stderr, result.stderr
    assert _digest(cli) == before


def test_dry_run_refuses_what_the_import_refuses_naming_every_row(cli: Cli, tmp_path: Path) -> None:
    """县财政局 already completed its part of tasks 3 and 38: completing them again in the form
    is refused by the dry run as by the import, each row named, with the fix (clear the date)."""
    assert cli("done", "3", "--unit", "县财政局", "--on", "2022-08-20", GKCLI_TODAY="2022-08-25").exit_code == 0
    assert cli("done", "38", "--unit", "县财政局", "--on", "2022-08-21", GKCLI_TODAY="2022-08-25").exit_code == 0
    form = _export(cli, "县财政局", tmp_path / "f.xlsx", "2022-08-25")
    both = _fill(form, {3: {7: "又完成", 8: dt.datetime(2022, 9, 1)}, 38: {7: "又完成", 8: dt.datetime(2022, 9, 2)}},
                 tmp_path / "x.xlsx")  # fmt: skip
    before = _digest(cli)
    outputs = []
    for dry in (["--dry-run"], []):
        result = cli("returns", "import", str(both), *dry, GKCLI_TODAY="2022-09-05")
        assert result.exit_code == 2, result.stdout
        rows = sorted(line.split(":")[1] for line in result.stderr.splitlines() if "x.xlsx:行" in line)
        assert len(rows) == 2 and "清空这一行的完成日期" in result.stderr and "gkcli reopen" not in result.stderr
        outputs.append(result.stderr)
    assert outputs[0] == outputs[1] and _digest(cli) == before


def test_a_row_moved_to_a_task_without_a_role_is_a_locked_cell_edited(cli: Cli, tmp_path: Path) -> None:
    form = _export(cli, "县财政局", tmp_path / "f.xlsx", "2022-09-01")
    book = load_workbook(form)
    sheet = book["填报表"]
    sheet.cell(4, 1).value = 37  # a task 县财政局 has no role in, title left as it was
    sheet.cell(4, 8).value = "越权填写"
    book.save(tmp_path / "x.xlsx")
    result = cli("returns", "import", str(tmp_path / "x.xlsx"), GKCLI_TODAY="2022-09-05")
    assert result.exit_code == 2 and "x.xlsx:行4: 锁定的单元格“序号”被改动(导出时为“3”,现为“37”)" in result.stderr


def test_a_bad_link_in_a_form_names_the_column_not_an_option(cli: Cli, tmp_path: Path) -> None:
    form = _export(cli, "县财政局", tmp_path / "f.xlsx", "2022-09-01")
    bad = _fill(form, {3: {7: "进展", 9: "www.example.org"}}, tmp_path / "x.xlsx")
    result = cli("returns", "import", str(bad), GKCLI_TODAY="2022-09-05")
    assert result.exit_code == 2 and "佐证链接" in result.stderr and "--link" not in result.stderr


# ---- the unit's own part ------------------------------------------------------------------------


def test_the_form_shows_the_units_own_part(cli: Cli, tmp_path: Path) -> None:
    """Task 40 is led by 县政府办公室 with every 县属有关单位 responsible: 县财政局 completes its part,
    another unit writes a note; 县财政局's form shows its part done and its own entry."""
    cli(
        "done", "40", "--unit", "县财政局", "--on", "2022-08-20", "--note", "财政局已设查阅点", GKCLI_TODAY="2022-08-25"
    )
    cli("progress", "40", "--unit", "县教育局", "--on", "2022-08-22", "--note", "教育局在办", GKCLI_TODAY="2022-08-25")
    assert _show(cli, 40, "--as-of", "2022-08-25")["status"] == "in_progress"
    mine = _row_of(_export(cli, "县财政局", tmp_path / "a.xlsx", "2022-08-25"), 40)
    assert mine[5] == "已完成" and "财政局已设查阅点" in str(mine[6]) and "教育局" not in str(mine[6])
    theirs = _row_of(_export(cli, "县教育局", tmp_path / "b.xlsx", "2022-08-25"), 40)
    assert theirs[5] == "进行中" and "教育局在办" in str(theirs[6])
    calendar = cli("calendar", "--unit", "县财政局", "--as-of", "2022-08-25", GKCLI_TODAY="2022-08-25").stdout
    assert "任务40" not in calendar.replace("\r\n ", "")
    assert "任务40" in cli("calendar", "--unit", "县教育局", "--as-of", "2022-08-25").stdout.replace("\r\n ", "")


def test_the_message_after_a_part_says_what_remains(cli: Cli) -> None:
    result = cli("done", "4", "--unit", "县发展和改革局", "--on", "2022-09-01")
    assert result.exit_code == 0
    assert "县发展和改革局 的部分已登记完成" in result.stdout and "牵头单位完成 1/2" in result.stdout
    assert "尚未完成: 县住房和城乡建设局" in result.stdout
    whole = cli("done", "4", "--unit", "县政府办公室", "--on", "2022-09-02")  # the office closes the task
    assert whole.exit_code == 0 and "任务 4 已登记完成(状态: 已完成)" in whole.stdout


# ---- extensions -----------------------------------------------------------------------------------


def _light(cli: Cli, task_id: int, day: str, known_on: str | None = None, unit: str | None = None) -> tuple[str, str]:
    args = ["--as-of", day, *(["--known-on", known_on] if known_on else [])]
    if unit is None:
        shown = _show(cli, task_id, *args)
        return str(shown["due"]), str(shown["light"])
    listed = json.loads(cli("unit", unit, "-f", "json", *args).stdout)
    item = next(t for t in listed if t["id"] == task_id)
    return str(item["due"]), str(item["light"])


@pytest.mark.parametrize("granted", ["2022-09-20", "2022-10-10"], ids=["before the due date", "after it"])
def test_an_extension_moves_the_due_date_from_the_day_granted(cli: Cli, granted: str) -> None:
    """Task 20 is due 2022-09-30. An extension to 2022-12-15, granted before or after that date:
    before the grant the old date holds (red once past it), from the grant the new one."""
    result = cli(
        "extend", "20", "--to", "2022-12-15", "--on", granted, "--note", "系统升级推迟", GKCLI_TODAY="2022-10-12"
    )
    assert result.exit_code == 0, result.stderr
    assert _light(cli, 20, "2022-08-15") == ("2022-09-30", "green")
    assert _light(cli, 20, "2022-09-19") == ("2022-09-30", "yellow")
    late = _light(cli, 20, "2022-10-05")
    assert late == (("2022-12-15", "green") if granted == "2022-09-20" else ("2022-09-30", "red"))
    assert _light(cli, 20, "2022-10-12") == ("2022-12-15", "green")
    assert _light(cli, 20, "2022-12-01") == ("2022-12-15", "yellow")
    assert _light(cli, 20, "2022-12-16") == ("2022-12-15", "red")
    # known on a day before it was recorded, the registry did not know of it
    assert _light(cli, 20, "2022-10-12", known_on="2022-10-11") == ("2022-09-30", "red")
    overdue = json.loads(cli("overdue", "--as-of", "2022-10-12", "-f", "json").stdout)
    assert 20 not in [t["id"] for t in overdue]
    overdue_then = json.loads(cli("overdue", "--as-of", "2022-10-12", "--known-on", "2022-10-11", "-f", "json").stdout)
    assert 20 in [t["id"] for t in overdue_then]


def test_a_units_own_extension_on_a_shared_task(cli: Cli) -> None:
    """Task 4 is led by 县发展和改革局 and 县住房和城乡建设局, due 2022-09-30. 县住建局 gets until
    2022-12-31: its part moves, the other lead's does not; while both parts are open the task is
    late when the first of them is, once 县发改局 is done it is due when 县住建局's part is."""
    assert _show(cli, 4)["due"] == "2022-09-30"
    assert cli("extend", "4", "--to", "2022-12-31", "--unit", "县住房和城乡建设局", "--on", "2022-09-20",
               "--note", "需跨年实施", GKCLI_TODAY="2022-09-20").exit_code == 0  # fmt: skip
    assert _light(cli, 4, "2022-10-10", unit="县住房和城乡建设局") == ("2022-12-31", "green")
    assert _light(cli, 4, "2022-10-10", unit="县发展和改革局") == ("2022-09-30", "red")
    assert _light(cli, 4, "2022-10-10") == ("2022-09-30", "red")  # one open lead part is late
    assert _light(cli, 4, "2022-09-15", unit="县住房和城乡建设局") == ("2022-09-30", "yellow")  # before the grant
    assert cli("done", "4", "--unit", "县发展和改革局", "--on", "2022-10-05", GKCLI_TODAY="2022-10-05").exit_code == 0
    assert _light(cli, 4, "2022-10-10") == ("2022-12-31", "green")  # what remains is the extended part
    assert _light(cli, 4, "2022-10-03") == ("2022-09-30", "red")  # before 县发改局 finished
    assert (
        cli("done", "4", "--unit", "县住房和城乡建设局", "--on", "2022-12-20", GKCLI_TODAY="2022-12-20").exit_code == 0
    )
    assert _light(cli, 4, "2022-12-25") == ("2022-12-31", "done")  # done within the extension


def test_extensions_that_contradict_the_log_are_refused(cli: Cli) -> None:
    before = _digest(cli)
    earlier = cli("extend", "20", "--to", "2022-09-01", "--note", "x", GKCLI_TODAY="2022-08-20")
    assert earlier.exit_code == 2 and "不晚于当时的截止日期 2022-09-30" in earlier.stderr
    cli("done", "36", "--on", "2022-07-28", GKCLI_TODAY="2022-08-20")
    after_done = cli("extend", "36", "--to", "2022-12-31", "--note", "x", GKCLI_TODAY="2022-08-20")
    assert after_done.exit_code == 2 and "不能延期" in after_done.stderr
    no_reason = cli("extend", "20", "--to", "2022-12-31", GKCLI_TODAY="2022-08-20")
    assert no_reason.exit_code == 2 and "--note" in no_reason.stderr
    assert cli("check", "--strict", cli.env["GKCLI_DATA"]).exit_code == 0 and _digest(cli) != before


def test_a_request_on_the_form_waits_for_the_office(cli: Cli, tmp_path: Path) -> None:
    form = _export(cli, "县财政局", tmp_path / "f.xlsx", "2022-09-01")
    asked = _fill(form, {10: {7: "需等待省级平台", 10: dt.datetime(2023, 2, 28)}}, tmp_path / "x.xlsx")
    result = cli("returns", "import", str(asked), GKCLI_TODAY="2022-09-05")
    assert result.exit_code == 0 and "申请延期" in result.stdout, result.stderr
    assert _show(cli, 10, "--as-of", "2022-09-05")["due"] == _show(cli, 10, "--as-of", "2022-09-01")["due"]
    page = cli("report", "-f", "markdown", "--as-of", "2022-09-05", GKCLI_TODAY="2022-09-05").stdout
    assert "待批准的延期申请(1 项)" in page and "2023-02-28" in page
    assert cli("extend", "10", "--to", "2023-02-28", "--unit", "县财政局", "--on", "2022-09-06",
               "--note", "同意", GKCLI_TODAY="2022-09-06").exit_code == 0  # fmt: skip
    page = cli("report", "-f", "markdown", "--as-of", "2022-09-06", GKCLI_TODAY="2022-09-06").stdout
    assert "待批准的延期申请(0 项)" in page and "延期的任务(1 项)" in page
    assert "| 10 |" in page.split("延期的任务")[1].split("##")[0]


# ---- a month of it --------------------------------------------------------------------------------


def _section(page: str, heading: str) -> str:
    """The Markdown of one section of a bulletin (numbered (一), (二) ...), from its heading to the next."""
    start = re.search(rf"^### ([(][一二三四五六七八九十]+[)])?{re.escape(heading)}", page, re.M)
    assert start is not None, heading
    end = re.compile(r"^##", re.M).search(page, start.end())
    return page[start.start() : end.start() if end else len(page)]


def test_a_month_of_supervision(cli: Cli, tmp_path: Path) -> None:
    """September 2022, by hand. Deadlines from the plan: task 36 is due 2022-07-31 (7月底前), tasks
    4, 20 and 27 on 2022-09-30 (三季度前), the rest at the year's end; 30 days of warning.

    09-01 the office sends forms to 县财政局 and 菜园镇. 09-12 both come back (县财政局: progress on
    tasks 3 and 38; 菜园镇: its part of task 40 done on 09-08), tried with --dry-run, then imported
    as of 09-10. 09-21 县财政局 sends its form again: task 3 unchanged, task 38 now done on 09-18.
    09-25 the office extends task 20 to 2022-11-30. The bulletin of 09-30, as known that day:
    red: 36; yellow: 4 and 27 (20 would be, but its extension moved it to green); no task done
    whole (38 and 40 are done only in part); one extension (20: 2022-09-30 -> 2022-11-30); five
    entries in the period after 08-31."""
    finance = _export(cli, "县财政局", tmp_path / "县财政局.xlsx", "2022-09-01")
    town = _export(cli, "菜园镇", tmp_path / "菜园镇.xlsx", "2022-09-01")
    sent_finance = _fill(finance, {3: {7: "梳理预算项目"}, 38: {7: "汇总中"}}, tmp_path / "财政-1.xlsx")
    sent_town = _fill(town, {40: {7: "查阅场所已设立", 8: dt.datetime(2022, 9, 8)}}, tmp_path / "菜园镇-1.xlsx")

    before = _digest(cli)
    dry = cli("returns", "import", str(sent_finance), str(sent_town), "--on", "2022-09-10", "--dry-run",
              GKCLI_TODAY="2022-09-12")  # fmt: skip
    assert dry.exit_code == 0 and "将登记 3 条记录" in dry.stderr and _digest(cli) == before
    real = cli("returns", "import", str(sent_finance), str(sent_town), "--on", "2022-09-10", GKCLI_TODAY="2022-09-12")
    assert real.exit_code == 0 and "已登记 3 条记录" in real.stderr
    assert real.stdout == dry.stdout  # the dry run listed exactly what was recorded

    again = _fill(sent_finance, {38: {7: "已汇总发放结果", 8: dt.datetime(2022, 9, 18)}}, tmp_path / "财政-2.xlsx")
    resent = cli("returns", "import", str(again), "--on", "2022-09-21", GKCLI_TODAY="2022-09-21")
    assert resent.exit_code == 0, resent.stderr
    assert "已登记 1 条记录" in resent.stderr and resent.stderr.count("内容未变") == 1
    assert [(e["kind"], e["on"], e["note"]) for e in _show(cli, 38)["progress"]] == [  # type: ignore[index]
        ("progress", "2022-09-10", "汇总中"),
        ("done", "2022-09-18", "已汇总发放结果"),
    ]

    assert cli("extend", "20", "--to", "2022-11-30", "--on", "2022-09-25", "--note", "平台升级",
               GKCLI_TODAY="2022-09-25").exit_code == 0  # fmt: skip

    page = cli("report", "-f", "markdown", "--as-of", "2022-09-30", "--known-on", "2022-09-30", "--since",
               "2022-08-31", GKCLI_TODAY="2022-10-08").stdout  # fmt: skip
    red, yellow = _section(page, "红灯任务"), _section(page, "黄灯任务")
    assert "(已逾期，1 项)" in red and "| 36 |" in red
    assert "(临近到期，2 项)" in yellow and "| 4 |" in yellow and "| 27 |" in yellow and "| 20 |" not in yellow
    assert "本期完成的任务(0 项)" in page
    extended = _section(page, "延期的任务")
    assert "(1 项)" in extended and "| 20 |" in extended and "| 2022-09-30 | 2022-11-30 | 2022-09-25 |" in extended
    entries = _section(page, "本期进展")
    assert "(2022-08-31 之后至 2022-09-30,5 条)" in entries
    rows = [line.split(" | ")[:4] for line in entries.splitlines() if line.startswith("| 2022-")]
    assert rows == [
        ["| 2022-09-08", "40", "菜园镇人民政府", "部分完成"],
        ["| 2022-09-10", "3", "县财政局", "进展"],
        ["| 2022-09-10", "38", "县财政局", "进展"],
        ["| 2022-09-18", "38", "县财政局", "部分完成"],
        ["| 2022-09-25", "20", "(整项任务)", "延期"],
    ]
    # the bulletin as it could have been sent on 09-24, before the extension was recorded
    earlier = cli("report", "-f", "markdown", "--as-of", "2022-09-30", "--known-on", "2022-09-24", "--since",
                  "2022-08-31", GKCLI_TODAY="2022-10-08").stdout  # fmt: skip
    assert "| 20 |" in _section(earlier, "黄灯任务") and "延期的任务(0 项)" in earlier
    assert "(2022-08-31 之后至 2022-09-30,4 条)" in earlier  # all but the extension, recorded on 09-25
    # and reproduced later, byte for byte
    assert earlier == cli("report", "-f", "markdown", "--as-of", "2022-09-30", "--known-on", "2022-09-24",
                          "--since", "2022-08-31", GKCLI_TODAY="2022-12-01").stdout  # fmt: skip
    assert cli("check", "--strict", cli.env["GKCLI_DATA"], GKCLI_TODAY="2022-10-08").exit_code == 0


# ---- the first hour ---------------------------------------------------------------------------------


def test_machine_csv_holds_only_text_and_numbers(cli: Cli) -> None:
    import csv
    import io

    cli("done", "40", "--unit", "县财政局", "--on", "2022-09-01", "--note", "已设, 查阅点", GKCLI_TODAY="2022-09-02")
    text = cli("list", "-f", "csv", GKCLI_TODAY="2022-09-02", GKCLI_CSV="plain").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert "latest_progress" not in rows[0] and {"latest_on", "latest_unit", "latest_note"} <= set(rows[0])
    row = next(r for r in rows if r["id"] == "40")
    assert (row["latest_on"], row["latest_unit"], row["latest_kind"], row["latest_note"]) == (
        "2022-09-01",
        "县财政局",
        "done",
        "已设, 查阅点",
    )
    assert row["parts_done"] == "县财政局 2022-09-01"
    assert not any(cell.startswith(("{", "[")) for r in rows for cell in r.values())


@pytest.mark.slow  # a process in a pseudo-terminal
def test_report_on_a_terminal_writes_a_file_and_says_where(cli: Cli, tmp_path: Path) -> None:
    """Run in a real pseudo-terminal: a page of HTML is written to 通报-DATE.html, not poured out."""
    import os
    import pty
    import subprocess
    import sys

    main, secondary = pty.openpty()
    env = {**os.environ, **cli.env, "COLUMNS": "80"}
    done = subprocess.run([sys.executable, "-m", "gkcli", "report", "--as-of", "2022-09-30"], cwd=tmp_path, env=env,
                          stdin=subprocess.DEVNULL, stdout=secondary, stderr=subprocess.PIPE, timeout=60)  # fmt: skip
    os.close(secondary)
    try:
        shown = os.read(main, 65536).decode("utf-8")
    except OSError:  # nothing was written to the terminal: Linux says so with EIO once the child is gone
        shown = ""
    os.close(main)
    assert done.returncode == 0, done.stderr
    page = tmp_path / "通报-2022-09-30.html"
    assert page.exists() and "<html" in page.read_text(encoding="utf-8")
    assert "通报-2022-09-30.html" in shown + done.stderr.decode() and "<html" not in shown


def test_the_printed_bulletin_shows_link_addresses_and_never_breaks_a_date(cli: Cli) -> None:
    cli(
        "done",
        "36",
        "--on",
        "2022-09-05",
        "--note",
        "矩阵建成",
        "--link",
        "https://example.gov.cn/a",
        GKCLI_TODAY="2022-09-06",
    )
    page = cli("report", "--as-of", "2022-09-30", "-f", "html", "-o", "-", GKCLI_TODAY="2022-10-01").stdout
    assert 'href="https://example.gov.cn/a"' in page
    printed = page[page.index("@media print") :]
    assert 'a[href]::after{content:"(" attr(href) ")"' in printed.split("</style>")[0]
    assert "time{white-space:nowrap}" in page
    heading = next(line for line in page.splitlines() if 'id="entries"' in line)
    assert heading.count("<time") == 2  # both dates of the period, each kept whole


def test_table_cells_never_start_a_line_with_closing_punctuation(cli: Cli) -> None:
    for width in ("60", "80", "100"):
        table = cli("list", "-f", "table", "--limit", "0", COLUMNS=width).stdout
        for line in table.splitlines():
            for cell in line.split("│")[1:-1]:
                text = cell.strip()
                assert not text or text[0] not in ",.;:)，。、;:)》”", (width, line)
