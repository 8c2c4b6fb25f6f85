from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gkcli import __version__

from .conftest import Cli, Edit


def test_version_and_help(cli: Cli) -> None:
    result = cli("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"gkcli {__version__}"
    result = cli("-h")
    assert result.exit_code == 0
    for command in ("list", "show", "unit", "units", "overdue", "due", "check"):
        assert command in result.output


def test_no_arguments_shows_help(cli: Cli) -> None:
    result = cli()
    assert "overdue" in result.output
    assert result.exit_code in (0, 2)


def test_overdue_json(cli: Cli) -> None:
    result = cli("overdue", "--as-of", "2022-10-01", "-f", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [(t["id"], t["days_overdue"]) for t in data] == [(36, 62), (4, 1), (20, 1), (27, 1)]
    assert set(data[0]) == {
        "id", "section", "title", "lead", "responsible", "deadline", "due", "status", "done_on", "light",
        "days_late", "latest_progress", "parts_done", "parts_open", "provenance", "days_overdue",
    }  # fmt: skip
    assert data[0]["latest_progress"] is None and data[0]["parts_open"] == ["县政府办公室"]
    assert {t["light"] for t in data} == {"red"}
    assert data[0]["due"] == "2022-07-31"
    assert data[0]["status"] == "not_started"


@pytest.mark.parametrize(
    ("as_of", "ids"), [("2022-09-30", [36]), ("2022/10/1", [36, 4, 20, 27]), ("2022年7月31日", [])]
)
def test_overdue_boundaries_from_the_cli(cli: Cli, as_of: str, ids: list[int]) -> None:
    result = cli("overdue", "--as-of", as_of, "-f", "json")
    assert [t["id"] for t in json.loads(result.stdout)] == ids


def test_overdue_uses_gkcli_today(cli: Cli) -> None:
    result = cli("overdue", "-f", "json", GKCLI_TODAY="2022-08-01")
    assert [t["id"] for t in json.loads(result.stdout)] == [36]


def test_overdue_exit_code_for_ci(cli: Cli) -> None:
    assert cli("overdue", "--as-of", "2022-10-01", "--exit-code", "-f", "json").exit_code == 1
    assert cli("overdue", "--as-of", "2022-07-31", "--exit-code", "-f", "json").exit_code == 0


def test_overdue_table(cli: Cli) -> None:
    result = cli("overdue", "--as-of", "2022-10-01", "-f", "table")
    assert result.exit_code == 0
    assert "截至 2022-10-01 逾期任务(共 4 项)" in result.stdout
    assert "逾期天数" in result.stdout and "62" in result.stdout
    assert "\x1b[" not in result.stdout  # NO_COLOR


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["overdue", "--as-of", "2022-12-31"],
        ["unit", "县财政局"],
        ["due", "--within", "200d", "--as-of", "2022-07-13"],
    ],
)
def test_a_long_table_is_cut_with_a_note_and_other_formats_are_whole(cli: Cli, command: list[str]) -> None:
    everything = json.loads(cli(*command, "-f", "json").stdout)
    assert len(everything) > 2
    cut = cli(*command, "-f", "table", "--limit", "2")
    assert cut.exit_code == 0
    assert f"共 {len(everything)} 项,只显示前 2 项;--limit 0 显示全部" in cut.stdout
    shown = [line for line in cut.stdout.splitlines() if line.startswith("│") and line[1:].strip()[:1].isdigit()]
    assert len(shown) == 2
    whole = cli(*command, "-f", "table", "--limit", "0")
    assert "只显示前" not in whole.stdout
    assert cli(*command, "-f", "table").stdout == whole.stdout  # 46 tasks: within the default of 100
    assert len(json.loads(cli(*command, "-f", "json", "--limit", "2").stdout)) == len(everything)


def test_overdue_table_when_nothing_is_overdue(cli: Cli) -> None:
    result = cli("overdue", "--as-of", "2022-07-01", "-f", "table")
    assert result.exit_code == 0
    assert "没有符合条件的任务" in result.stdout


def test_unit_json_roles_and_groups(cli: Cli) -> None:
    result = cli("unit", "县财政局", "-f", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    rows = {t["id"]: (t["role"], t["via"]) for t in data}
    assert len(rows) == len(data) == 30
    assert rows[3] == ("lead", None)
    assert rows[14] == ("lead", "县属有关单位")
    assert rows[2] == ("responsible", None)


def test_unit_direct_and_alias(cli: Cli) -> None:
    data = json.loads(cli("unit", "县文广旅体局", "--direct", "-f", "json").stdout)
    assert [t["id"] for t in data] == [10]
    data = json.loads(cli("unit", "县文化和广电旅游体育局", "--direct", "-f", "json").stdout)
    assert [t["id"] for t in data] == [10]


def test_unit_table(cli: Cli) -> None:
    result = cli("unit", "菜园镇", "-f", "table")
    assert result.exit_code == 0
    assert "菜园镇人民政府:共 3 项任务(牵头 2 项,责任 1 项)" in result.stdout
    assert "经各乡镇人民政府" in result.stdout


def test_unknown_unit_suggests(cli: Cli) -> None:
    result = cli("unit", "县财政")
    assert result.exit_code == 2
    assert "未知单位: 县财政" in result.stderr
    assert "县财政局" in result.stderr
    assert "Traceback" not in result.output


def test_units_counts(cli: Cli) -> None:
    data = json.loads(cli("units", "-f", "json").stdout)
    finance = next(u for u in data if u["name"] == "县财政局")
    assert finance["lead_direct"] == 3 and finance["lead_via_group"] == 12
    assert finance["responsible_direct"] == 1 and finance["responsible_via_group"] == 14
    assert {u["name"] for u in data if u["is_group"]} >= {"县属有关单位", "各乡镇人民政府", "市级有关单位"}
    table = cli("units", "-f", "table")
    assert "直接" in table.stdout and "经群组" in table.stdout and "县财政局" in table.stdout


def test_show_includes_provenance(cli: Cli) -> None:
    result = cli("show", "10", "-f", "table")
    assert result.exit_code == 0
    assert "来源说明" in result.stdout
    assert "人行县支行" in result.stdout
    data = json.loads(cli("show", "10", "-f", "json").stdout)
    assert data["id"] == 10 and data["provenance"].startswith("原表")
    assert data["section"] == "1.4"


def test_show_unknown_task(cli: Cli) -> None:
    result = cli("show", "99")
    assert result.exit_code == 2
    assert "没有序号为 99 的任务" in result.stderr


def test_list_filters_and_formats(cli: Cli) -> None:
    data = json.loads(
        cli("list", "--unit", "县财政局", "--role", "lead", "--deadline", "12月底前", "-f", "json").stdout
    )
    assert [t["id"] for t in data] == [3, 40]
    assert data[1]["via"] == "县属有关单位"
    data = json.loads(cli("list", "--due-before", "2022-09-30", "--due-after", "2022-09-30", "-f", "json").stdout)
    assert [t["id"] for t in data] == [4, 20, 27]
    data = json.loads(cli("list", "--overdue", "--as-of", "2022-10-01", "--sort", "due", "-f", "json").stdout)
    assert [t["id"] for t in data] == [36, 4, 20, 27]
    data = json.loads(cli("list", "--status", "未开始", "--section", "4", "-f", "json").stdout)
    assert [t["id"] for t in data] == [42, 43, 44, 45, 46]
    data = json.loads(cli("list", "--search", "健康码", "-f", "json").stdout)
    assert [t["id"] for t in data] == [11]


def test_list_csv_and_markdown(cli: Cli) -> None:
    import csv
    import io

    result = cli("list", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 46
    assert rows[9]["lead"].startswith("县经济和信息化局、县财政局")
    md = cli("list", "--section", "1.1", "-f", "markdown").stdout
    assert md.count("\n| ") == 4  # header and three tasks
    assert "| 序号 |" in md


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["overdue", "--as-of", "2022-13-01"], "不是有效日期"),
        (["overdue", "--as-of", "10/1"], "日期不完整"),
        (["list", "--role", "lead"], "--role 需要与 --unit 一起使用"),
        (["list", "--status", "完成了"], "未知状态"),
        (["list", "--section", "9"], "没有小节 9"),
        (["list", "--sort", "x"], "--sort 不能是 x"),
        (["list", "-f", "xml"], "--format 不能是 xml"),
        (["due", "--within", "soon"], "无法识别的时间跨度"),
        (["--data", "/nonexistent/gk", "overdue"], "找不到台账文件夹"),
    ],
)
def test_bad_input_exits_2_with_a_message(cli: Cli, args: list[str], message: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_bad_gkcli_today(cli: Cli) -> None:
    result = cli("overdue", GKCLI_TODAY="someday")
    assert result.exit_code == 2
    assert "GKCLI_TODAY" in result.stderr


def test_due_within(cli: Cli) -> None:
    data = json.loads(cli("due", "--within", "30d", "--as-of", "2022-09-01", "-f", "json").stdout)
    assert [(t["id"], t["days_left"]) for t in data] == [(4, 29), (20, 29), (27, 29)]
    data = json.loads(cli("due", "--within", "2w", "--as-of", "2022-07-20", "-f", "json").stdout)
    assert [t["id"] for t in data] == [36]


def test_invalid_registry_exits_2_naming_file_and_line(cli: Cli, edit: Edit) -> None:
    folder = edit("tasks.yaml", "lead: [县税务局]", "lead: [县税务]")
    result = cli("--data", str(folder), "overdue")
    assert result.exit_code == 2
    assert "tasks.yaml:" in result.stderr and "GK301" in result.stderr
    assert "县税务局" in result.stderr


def test_check_clean_and_broken(cli: Cli, edit: Edit) -> None:
    result = cli("check", "--strict")
    assert result.exit_code == 0
    assert "0 个错误" in result.stderr
    folder = edit("tasks.yaml", "deadline: 7月底前", "deadline: 下个月")
    result = cli("check", str(folder))
    assert result.exit_code == 1
    assert "GK401" in result.stdout
    data = json.loads(cli("check", str(folder), "-f", "json").stdout)
    assert [(d["rule"], d["severity"], d["task"]) for d in data] == [("GK401", "error", 36)]
    assert set(data[0]) == {"file", "line", "column", "severity", "rule", "message", "task"}


def test_check_strict_fails_on_warnings(cli: Cli, edit: Edit) -> None:
    folder = edit("tasks.yaml", "deadline: 7月底前", "deadline: 2023年6月底前")
    assert cli("check", str(folder)).exit_code == 0
    assert cli("check", "--strict", str(folder)).exit_code == 1


def test_check_cannot_run(cli: Cli, tmp_path: Path) -> None:
    result = cli("check", str(tmp_path / "missing"))
    assert result.exit_code == 2


def test_registry_text_is_never_markup(cli: Cli, edit: Edit) -> None:
    folder = edit(
        "tasks.yaml",
        "title: 积极为老年人等群体提供大字版、语音版、简洁版移动政务服务应用。",
        'title: "[red]警告[/red][link=http://x]点我[/link]积极为老年人"',
    )
    for fmt in ("table", "markdown", "csv", "json"):
        result = cli("--data", str(folder), "show", "17", "-f", fmt)
        assert result.exit_code == 0, result.output
        assert "[red]警告[/red]" in result.stdout.replace("\\", "")
    table = cli("--data", str(folder), "list", "--section", "2.2", "-f", "table").stdout
    assert "[red]警告[/red][link=http://x]点我[/link]" in table


def test_escape_sequences_are_refused_and_shown_inert(cli: Cli, edit: Edit) -> None:
    folder = edit(
        "tasks.yaml",
        "title: 积极为老年人等群体提供大字版、语音版、简洁版移动政务服务应用。",
        'title: "\\e[31m积极为老年人\\u202e"',
    )
    result = cli("--data", str(folder), "show", "17")
    assert result.exit_code == 2
    assert "GK602" in result.stderr and "GK603" in result.stderr
    assert "\x1b" not in result.output and "\u202e" not in result.output
    check = cli("check", str(folder), "-f", "text")
    assert "\x1b" not in check.output and "\u202e" not in check.output


@pytest.mark.slow  # starts processes
def test_python_dash_m_and_installed_entry_point(tmp_path: Path) -> None:
    env = {**os.environ, "GKCLI_TODAY": "2022-10-01", "GKCLI_DATA": ""}
    result = subprocess.run(
        [sys.executable, "-m", "gkcli", "overdue", "-f", "json"],
        capture_output=True, text=True, cwd=tmp_path, env=env, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert [t["id"] for t in json.loads(result.stdout)] == [36, 4, 20, 27]  # the bundled registry


# gkcli's entry point with a teardown of its own registered first: it says on standard error whether
# the interpreter's normal ending (atexit, then freeing every module) ran. ``--trace`` runs it
# under a tracer, as coverage tools do.
_ENDING_PROBE = """
import atexit, sys
atexit.register(lambda: sys.stderr.write("[teardown ran]"))
if sys.argv[1] == "--trace":
    del sys.argv[1]
    sys.settrace(lambda *a: None)
from gkcli.cli.base import main
sys.argv[0] = "gkcli"
main()
"""


@pytest.mark.slow  # starts processes
@pytest.mark.parametrize(
    ("args", "code", "ends_at_once"),
    [
        (["overdue", "-f", "json"], 0, True),
        (["overdue", "--exit-code", "-f", "json"], 1, True),
        (["--trace", "overdue", "-f", "json"], 0, False),  # a tracer sees a normal ending
        (["unit", "没有这个单位"], 2, False),  # an error unwinds as usual
    ],
)
def test_a_command_that_answered_ends_the_process_at_once(
    tmp_path: Path, args: list[str], code: int, ends_at_once: bool
) -> None:
    env = {**os.environ, "GKCLI_TODAY": "2022-10-01", "GKCLI_DATA": ""}
    result = subprocess.run(
        [sys.executable, "-c", _ENDING_PROBE, *args], capture_output=True, text=True, cwd=tmp_path, env=env, check=False
    )
    assert result.returncode == code, result.stderr
    assert ("[teardown ran]" not in result.stderr) is ends_at_once
    if code != 2:  # the whole answer is out before the process ends
        assert [t["id"] for t in json.loads(result.stdout)] == [36, 4, 20, 27]


@pytest.mark.parametrize(
    ("args", "built"),
    [
        (["--data", "x", "progress", "3"], (["progress"], [])),
        (["returns", "status"], ([], ["returns"])),
        (["--help"], None),  # every command: help lists them
        (["nosuch"], None),  # every command: the message lists them
    ],
)
def test_a_run_builds_only_the_command_it_names(args: list[str], built: tuple[list[str], list[str]] | None) -> None:
    probe = (
        "import json, sys; from gkcli.cli import base; base.register_for(sys.argv[1:]); "
        "print(json.dumps([[c.name for c in base.app.registered_commands], [g.name for g in base.app.registered_groups]]))"
    )
    result = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True)
    commands, groups = json.loads(result.stdout)
    if built is None:
        assert len(commands) > 20 and set(groups) == {"returns", "links"}
    else:
        assert [commands, groups] == list(built)


def test_light_column_and_filter(cli: Cli) -> None:
    data = json.loads(cli("list", "--light", "红", "--as-of", "2022-09-01", "-f", "json").stdout)
    assert [(t["id"], t["light"]) for t in data] == [(36, "red")]
    data = json.loads(
        cli("list", "--light", "yellow", "--as-of", "2022-09-01", "--warn-days", "121", "-f", "json").stdout
    )
    assert len(data) == 46 - 1
    table = cli("unit", "县信访局", "--as-of", "2022-09-01", "-f", "table").stdout
    assert "黄灯" in table and "绿灯" in table
    assert json.loads(cli("show", "36", "-f", "json").stdout)["light"] == "red"
    result = cli("list", "--light", "purple")
    assert result.exit_code == 2 and "未知的灯" in result.stderr


def test_write_commands_refuse_the_bundled_registry(cli: Cli, tmp_path: Path) -> None:
    result = cli("done", "36", GKCLI_DATA="")  # the cli fixture runs in an empty folder: no ./data
    assert result.exit_code == 2
    assert "gkcli init" in result.stderr


def test_init_then_done_progress_reopen(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "registry"
    result = cli("init", str(folder))
    assert result.exit_code == 0, result.output
    assert cli("init", str(folder)).exit_code == 2  # never overwrites
    env = {"GKCLI_DATA": str(folder), "GKCLI_TODAY": "2022-09-25"}
    result = cli("progress", "4", "--unit", "县发展和改革局", "--note", "已起草", "--on", "2022/9/1", **env)
    assert result.exit_code == 0, result.output
    assert "任务 4 已登记进展(状态: 进行中)" in result.stdout
    result = cli("done", "36", "--on", "2022-07-28", "--unit", "县政府办公室", "--note", "矩阵建成", **env)
    assert result.exit_code == 0, result.output
    shown = json.loads(cli("show", "36", "-f", "json", **env).stdout)
    assert (shown["status"], shown["done_on"], shown["light"]) == ("done", "2022-07-28", "done")
    assert shown["progress"] == [
        {"on": "2022-07-28", "note": "矩阵建成", "unit": "县政府办公室", "link": None, "kind": "done",
         "recorded": "2022-09-25", "source": None, "due": None}
    ]  # fmt: skip
    again = cli("done", "36", **env)
    assert again.exit_code == 2 and "已于 2022-07-28 完成" in again.stderr
    assert cli("reopen", "36", "--note", "复查未通过", **env).exit_code == 0
    shown = json.loads(cli("show", "36", "-f", "json", **env).stdout)
    assert (shown["status"], shown["done_on"], shown["light"]) == ("in_progress", None, "red")
    early = cli("done", "36", "--on", "2022-08-03", **env)
    assert early.exit_code == 2 and "2022-08-03 的完成记录时,任务已于 2022-07-28 完成" in early.stderr
    assert cli("done", "36", **env).exit_code == 0  # today, 2022-09-25
    shown = json.loads(cli("show", "36", "-f", "json", **env).stdout)
    assert (shown["light"], shown["days_late"]) == ("done_late", 56)
    table = cli("show", "36", "-f", "table", **env).stdout
    assert "逾期完成 56 天" in table and "复查未通过" in table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["done", "99"], "没有序号为 99 的任务"),
        (["done", "36", "--unit", "县财政"], "未知单位"),
        (["done", "36", "--on", "2022-07-01"], "早于要点印发日期"),
        (["done", "36", "--on", "2022-09-26"], "晚于今天"),
        (["progress", "36"], "--note"),
        (["progress", "36", "--note", " "], "不能为空"),
        (["progress", "36", "--note", "x", "--unit", "菜园镇"], "没有角色"),
        (["reopen", "36"], "无需重新打开"),
    ],
)
def test_bad_updates_exit_2_and_write_nothing(cli: Cli, tmp_path: Path, args: list[str], message: str) -> None:
    folder = tmp_path / "registry"
    assert cli("init", str(folder)).exit_code == 0
    before = (folder / "tasks.yaml").read_bytes()
    result = cli(*args, GKCLI_DATA=str(folder), GKCLI_TODAY="2022-09-25")
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert (folder / "tasks.yaml").read_bytes() == before


def test_remind(cli: Cli) -> None:
    result = cli("remind", "--as-of", "2022-09-20", "--within", "14d")
    assert result.exit_code == 0
    text = result.stdout
    assert "【县政府办公室】政务公开工作任务提醒(截至 2022-09-20)" in text
    office = text.split("【县政府办公室】")[1].split("\n\n")[0]
    assert "红灯:已逾期 1 项" in office and "任务36【牵头】" in office and "已逾期 51 天" in office
    assert "黄灯:14 天内到期 1 项" in office and "任务27【牵头】" in office and "还剩 10 天" in office
    assert "【菜园镇人民政府】" not in text
    finance = json.loads(
        cli("remind", "--as-of", "2022-09-20", "--within", "14d", "--unit", "县财政局", "-f", "json").stdout
    )
    assert [(r["unit"], [t["id"] for t in r["yellow"]]) for r in finance] == [("县财政局", [20])]
    assert finance[0]["yellow"][0]["days_left"] == 10
    quiet = cli("remind", "--as-of", "2022-07-13", "--within", "7d")
    assert "没有需要提醒的单位" in quiet.stdout
