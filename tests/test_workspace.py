"""Several plans at once: a workspace of three registries, the 2022 and 2023 plans of one county and
a 2023 plan of another, asked about together, one of them, and written one at a time. Every
expected answer is worked out by hand from the plans written here."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from .conftest import DATA, Cli

PLAN_2023 = """plan:
  title: 2023年嵊泗县政务公开工作要点
  document_number: 嵊政办发〔2023〕20号
  issuer: 嵊泗县人民政府办公室
  issued_on: 2023-06-30
  year: 2023
  office: 县政府办公室
parts:
  - id: 1
    title: 深化主动公开
    sections:
      - id: "1.1"
        title: 政策公开
tasks:
  - id: 12
    section: "1.1"
    title: 持续推进预算公开。
    lead: [县财政局]
    deadline: 9月底前
    status: not_started
  - id: 13
    section: "1.1"
    title: 做好政务新媒体管理。
    lead: [县政府办公室]
    responsible: [县财政局]
    deadline: 12月底前
    status: not_started
"""

PLAN_OTHER = """plan:
  title: 2023年岱山县政务公开工作要点
  document_number: 岱政办发〔2023〕8号
  issuer: 岱山县人民政府办公室
  issued_on: 2023-05-10
  year: 2023
parts:
  - id: 1
    title: 公开
    sections:
      - id: "1.1"
        title: 预算
tasks:
  - id: 1
    section: "1.1"
    title: 做好岱山县预算公开。
    lead: [县财政局]
    deadline: 8月底前
    status: not_started
"""


def _plans(root: Path, written: dict[str, str]) -> Path:
    """``root`` holding the shipped plan as 2022 and each of ``written`` (id: tasks.yaml) beside it,
    with the shipped units."""
    shutil.copytree(DATA, root / "2022")
    for name, text in written.items():
        (root / name).mkdir()
        (root / name / "tasks.yaml").write_text(text, encoding="utf-8")
        shutil.copy(DATA / "units.yaml", root / name / "units.yaml")
    return root


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """台账/2022 (the shipped plan), 台账/2023 and 台账/岱山: one folder per plan."""
    return _plans(tmp_path / "台账", {"2023": PLAN_2023, "岱山": PLAN_OTHER})


def _json(cli: Cli, *args: str, **env: str) -> object:
    result = cli(*args, "-f", "json", **env)
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_the_plans_of_a_workspace_folder_and_of_data_given_several_times_are_the_same(
    cli: Cli, workspace: Path
) -> None:
    folder = _json(cli, "--data", str(workspace), "overdue", "--as-of", "2023-10-01")
    named = _json(cli, *[a for n in ("2022", "2023", "岱山") for a in ("--data", f"{n}={workspace / n}")], "overdue",
                  "--as-of", "2023-10-01")  # fmt: skip
    assert folder == named


def test_overdue_across_plans_most_overdue_first(cli: Cli, workspace: Path) -> None:
    """On 2023-10-01: every unfinished 2022 task is past its 2022 due date (all 46: nothing recorded);
    2023:12 (9月底前) is 1 day late; 岱山:1 (8月底前) 31 days; 2023:13 (12月底前) is not due."""
    items = _json(cli, "--data", str(workspace), "overdue", "--as-of", "2023-10-01")
    assert isinstance(items, list)
    by_plan = {plan: [i["id"] for i in items if i["plan"] == plan] for plan in ("2022", "2023", "岱山")}
    assert len(by_plan["2022"]) == 46 and by_plan["2023"] == [12] and by_plan["岱山"] == [1]
    days = [i["days_overdue"] for i in items]
    assert days == sorted(days, reverse=True)
    [late] = [i for i in items if i["plan"] == "2023"]
    assert late["days_overdue"] == 1


def test_one_units_obligations_in_every_plan(cli: Cli, workspace: Path) -> None:
    """县财政局: 30 tasks in 2022 (its listing in the shipped plan), 2023:12 (lead) and 2023:13
    (responsible), and 岱山:1 — the same name in each plan's units is one unit."""
    items = _json(cli, "--data", str(workspace), "unit", "县财政局", "--as-of", "2023-07-01")
    assert isinstance(items, list)
    counts = {plan: sum(1 for i in items if i["plan"] == plan) for plan in ("2022", "2023", "岱山")}
    assert counts == {"2022": 30, "2023": 2, "岱山": 1}
    roles = {(i["plan"], i["id"]): i["role"] for i in items if i["plan"] != "2022"}
    assert roles == {("2023", 12): "lead", ("2023", 13): "responsible", ("岱山", 1): "lead"}
    table = cli("--data", str(workspace), "unit", "县财政局", "--as-of", "2023-07-01", "-f", "table", COLUMNS="80")
    header = next(line for line in table.stdout.splitlines() if "序号" in line)
    assert "要点" in header and "3 份要点中共 33 项任务" in table.stdout


def test_plan_narrows_and_an_unknown_plan_lists_the_known_ones(cli: Cli, workspace: Path) -> None:
    items = _json(cli, "--data", str(workspace), "--plan", "2023", "list")
    assert [i["id"] for i in items] == [12, 13] and all("plan" not in i for i in items)  # type: ignore[union-attr]
    refused = cli("--data", str(workspace), "--plan", "2024", "list")
    assert refused.exit_code == 2 and "2024" in refused.stderr and "2022、2023、岱山" in refused.stderr


def test_a_task_id_names_its_plan_when_it_is_ambiguous(cli: Cli, workspace: Path) -> None:
    ambiguous = cli("--data", str(workspace), "show", "12")  # 2022 has a task 12 too
    assert ambiguous.exit_code == 2 and "2022:12、2023:12" in ambiguous.stderr
    shown = _json(cli, "--data", str(workspace), "show", "2023:12")
    assert shown["title"] == "持续推进预算公开。"  # type: ignore[index]
    unique = _json(cli, "--data", str(workspace), "show", "40")  # only 2022 has 40
    assert unique["id"] == 40  # type: ignore[index]


def test_a_write_goes_to_one_registry_only(cli: Cli, workspace: Path) -> None:
    def digests() -> dict[str, str]:
        return {
            n: hashlib.sha256((workspace / n / "tasks.yaml").read_bytes()).hexdigest() for n in ("2022", "2023", "岱山")
        }

    before = digests()
    done = cli("--data", str(workspace), "done", "2023:12", "--on", "2023-09-20", GKCLI_TODAY="2023-09-21")
    assert done.exit_code == 0, done.stderr
    after = digests()
    assert after["2023"] != before["2023"] and after["2022"] == before["2022"] and after["岱山"] == before["岱山"]
    assert cli("check", str(workspace / "2023"), GKCLI_TODAY="2023-09-21").exit_code == 0  # (ids start at 12)
    overdue = _json(cli, "--data", str(workspace), "overdue", "--as-of", "2023-10-01")
    assert ("2023", 12) not in {(i["plan"], i["id"]) for i in overdue}  # type: ignore[union-attr]


def test_a_command_of_one_plan_asks_which(cli: Cli, workspace: Path) -> None:
    refused = cli("--data", str(workspace), "stats")
    assert refused.exit_code == 2 and "--plan" in refused.stderr
    assert cli("--data", str(workspace), "--plan", "岱山", "stats").exit_code == 0


def test_csv_and_json_carry_the_plan_only_when_several_are_shown(cli: Cli, workspace: Path) -> None:
    text = cli("--data", str(workspace), "due", "--within", "60d", "--as-of", "2023-08-01", "-f", "csv",
               GKCLI_CSV="plain").stdout  # fmt: skip
    lines = text.splitlines()
    assert lines[0].startswith("plan,id,")
    assert {line.split(",")[0] for line in lines[1:]} == {"2023", "岱山"}  # 2022's tasks are long past due
    single = cli("due", "--within", "60d", "--as-of", "2022-09-01", "-f", "csv", GKCLI_CSV="plain").stdout
    assert single.startswith("id,")


NEXT_YEAR = """plan:
  title: 2023年嵊泗县政务公开工作要点
  document_number: 嵊政办发〔2023〕20号
  issuer: 嵊泗县人民政府办公室
  issued_on: 2023-06-30
  year: 2023
parts:
  - id: 1
    title: 深化主动公开
    sections:
      - id: "1.1"
        title: 政策公开
tasks:
  - id: 1
    section: "1.1"
    title: 持续做好共同富裕示范区嵊泗样板县建设信息公开,集中展示最新建设成果。
    lead: [县发展和改革局]
    deadline: 全年
    status: not_started
  - id: 2
    section: "1.1"
    title: 推进基层政务新媒体规范化建设,巩固"1+N"政务新媒体矩阵。
    lead: [县政府办公室]
    deadline: 12月底前
    status: not_started
  - id: 3
    section: "1.1"
    title: 开展政务公开示范点建设。
    lead: [县政府办公室]
    deadline: 12月底前
    status: not_started
"""


@pytest.fixture
def two_years(tmp_path: Path) -> Path:
    return _plans(tmp_path / "年度", {"2023": NEXT_YEAR})


def test_diff_pairs_the_recurring_tasks_by_their_titles(cli: Cli, two_years: Path) -> None:
    """2023:1 rewords 2022:1 and 2023:2 rewords 2022:36; 2023:3 is new; 44 of 2022's are not listed
    again: 2 of 46 recur (4%)."""
    found = _json(cli, "--data", str(two_years), "diff", "2022", "2023")
    assert isinstance(found, dict)
    assert [(p["from"], p["to"]) for p in found["recurring"]] == [(1, 1), (36, 2)]
    assert found["added"] == [3] and len(found["dropped"]) == 44 and found["recurring_percent"] == 4
    text = cli("--data", str(two_years), "diff", "2022", "2023").stdout
    assert "2022 的 46 项任务中,2 项在 2023 中延续(4%),44 项不再列入;2023 新增 1 项。" in text


def test_carryover_lists_what_was_open_at_the_years_end(cli: Cli, two_years: Path) -> None:
    """Task 1 of 2022 is done in 2022; the other 45 are open at its end. Of those, 36 continues as
    2023:2; 44 have no task like them in 2023."""
    assert cli("--data", str(two_years), "--plan", "2022", "done", "1", "--on", "2022-11-01",
               GKCLI_TODAY="2022-11-02").exit_code == 0  # fmt: skip
    found = _json(
        cli, "--data", str(two_years), "carryover", "--from", "2022", "--to", "2023", GKCLI_TODAY="2023-07-01"
    )
    assert isinstance(found, dict)
    assert found["open"] == 45 and [(p["from"], p["to"]) for p in found["continued"]] == [(36, 2)]
    assert len(found["not_continued"]) == 44 and 1 not in found["not_continued"]
    unknown = cli("--data", str(two_years), "carryover", "--from", "2021", "--to", "2023")
    assert unknown.exit_code == 2 and "2022、2023" in unknown.stderr


def test_stats_by_plan(cli: Cli, workspace: Path) -> None:
    """On 2023-10-01: 2022's 46 tasks are all red; 2023 has 12 red (due 9月底前) and 13 green
    (12月底前, 91 days away); 岱山's one task is red. Nothing is done."""
    found = _json(cli, "--data", str(workspace), "stats", "--by", "plan", "--as-of", "2023-10-01")
    assert isinstance(found, dict)
    rows = {r["key"]: (r["total"], r["red"], r["yellow"], r["green"]) for r in found["rows"]}
    assert rows == {"2022": (46, 46, 0, 0), "2023": (2, 1, 0, 1), "岱山": (1, 1, 0, 0)}
    assert (found["total"]["total"], found["total"]["red"]) == (49, 48)


def test_a_units_reminder_covers_every_plan(cli: Cli, workspace: Path) -> None:
    """县财政局 on 2023-09-20 (30 days of warning): 2023:12 (9月底前) is yellow, 10 days left;
    岱山:1 (8月底前) is red; so are its 30 tasks of 2022."""
    text = cli(
        "--data", str(workspace), "remind", "--unit", "县财政局", "--as-of", "2023-09-20", "--within", "30d"
    ).stdout
    red, yellow = text.split("黄灯:")
    assert "红灯:已逾期 31 项" in red and "任务岱山:1【牵头】" in red and "任务2022:3【牵头】" in red
    assert (
        "30 天内到期 1 项" in yellow and "任务2023:12【牵头】持续推进预算公开。(截止 2023-09-30,还剩 10 天)" in yellow
    )


def test_carryover_write_links_the_new_tasks_once(cli: Cli, two_years: Path) -> None:
    """Every 2022 task is open at its end; 1 continues as 2023:1 and 36 as 2023:2: --write marks
    those two 2023 tasks, and a second run writes nothing."""
    env = {"GKCLI_TODAY": "2023-07-01"}
    first = cli("--data", str(two_years), "carryover", "--from", "2022", "--to", "2023", "--write", **env)
    assert first.exit_code == 0 and "2 项任务上记下接续关系" in first.stderr, first.stderr
    tasks = {t["id"]: t for t in _json(cli, "--data", str(two_years), "--plan", "2023", "list", **env)}  # type: ignore[union-attr]
    shown = [_json(cli, "--data", str(two_years), "show", f"2023:{n}", **env) for n in (1, 2, 3)]
    assert [s.get("carried_from") for s in shown] == ["2022:1", "2022:36", None]  # type: ignore[union-attr]
    before = (two_years / "2023" / "tasks.yaml").read_bytes()
    again = cli("--data", str(two_years), "carryover", "--from", "2022", "--to", "2023", "--write", **env)
    assert again.exit_code == 0 and "没有要写入的" in again.stderr
    assert (two_years / "2023" / "tasks.yaml").read_bytes() == before and len(tasks) == 3
    assert cli("check", "--strict", str(two_years / "2023"), **env).exit_code == 0


RENAMED = "县财政和税务局"  # 2023's name of the body that was 县财政局 in 2022 (a rename made up for the test)


def _rename_in_2023(workspace: Path) -> None:
    """县财政局 is RENAMED in the 2023 plan, its tasks and its units alike (nothing declared)."""
    for name in ("tasks.yaml", "units.yaml"):
        path = workspace / "2023" / name
        path.write_text(path.read_text(encoding="utf-8").replace("县财政局", RENAMED), encoding="utf-8")


@pytest.mark.parametrize(
    ("declared_in", "asked"), [("2023", RENAMED), ("2022", "财政局")]
)  # the rest: test_workspace_engine
def test_a_unit_renamed_between_years_is_one_unit_through_same_as(
    cli: Cli, workspace: Path, declared_in: str, asked: str
) -> None:
    """2023 renames 县财政局 (its tasks 12 and 13 name the new name); ``same_as`` declared once, in
    the new plan (新名 lists 旧名) or in the old one (旧名 lists 新名), makes it one unit: the same 30
    + 2 + 1 tasks as before the rename, whichever name is asked."""
    _rename_in_2023(workspace)
    units = workspace / declared_in / "units.yaml"
    own, other = (RENAMED, "县财政局") if declared_in == "2023" else ("县财政局", RENAMED)
    text = units.read_text(encoding="utf-8")
    units.write_text(
        text.replace(f"  - name: {own}\n", f"  - name: {own}\n    same_as: [{other}]\n", 1), encoding="utf-8"
    )
    assert cli("--data", str(workspace / declared_in), "check").exit_code == 0
    items = _json(cli, "--data", str(workspace), "unit", asked, "--as-of", "2023-07-01")
    assert isinstance(items, list)
    counts = {plan: sum(1 for i in items if i["plan"] == plan) for plan in ("2022", "2023", "岱山")}
    assert counts == {"2022": 30, "2023": 2, "岱山": 1}


def test_without_same_as_a_renamed_unit_is_two_units(cli: Cli, workspace: Path) -> None:
    """The same rename undeclared: asked by its new name, only 2023 knows the unit."""
    _rename_in_2023(workspace)
    items = _json(cli, "--data", str(workspace), "unit", RENAMED, "--as-of", "2023-07-01")
    assert isinstance(items, list) and {i["plan"] for i in items} == {"2023"} and len(items) == 2


def test_a_units_calendar_covers_every_plan(cli: Cli, workspace: Path) -> None:
    """县财政局's calendar on 2023-07-01: its 30 unfinished 2022 tasks (nothing is recorded done in
    the shipped plan), then 岱山:1 on 8-31, 2023:12 on 9-30 and 2023:13 on 12-31, each event naming
    the task's plan and closing with that plan's title and 文号."""
    import icalendar

    result = cli("--data", str(workspace), "calendar", "--unit", "县财政局", "--as-of", "2023-07-01", "-o", "-")
    assert result.exit_code == 0, result.stderr
    events = icalendar.Calendar.from_ical(result.stdout).walk("VEVENT")
    later = {str(e["dtstart"].dt): str(e["description"]) for e in events if e["dtstart"].dt.year == 2023}
    assert list(later) == ["2023-08-31", "2023-09-30", "2023-12-31"]
    assert later["2023-08-31"].startswith("任务岱山:1【牵头】") and "岱政办发〔2023〕8号" in later["2023-08-31"]
    assert later["2023-09-30"].startswith("任务2023:12【牵头】") and "嵊政办发〔2023〕20号" in later["2023-09-30"]
    assert later["2023-12-31"].startswith("任务2023:13【责任】")
    earlier = [str(e["description"]) for e in events if e["dtstart"].dt.year == 2022]
    refs = [line.split("【")[0] for text in earlier for line in text.splitlines() if line.startswith("任务2022:")]
    assert len(refs) == len(set(refs)) == 30 and all("嵊政办发〔2022〕36号" in text for text in earlier)


def test_carryover_writes_the_pairs_as_the_person_corrected_them(cli: Cli, two_years: Path) -> None:
    """Suggested: 1 → 2023:1 and 36 → 2023:2. The office rejects the first (--skip 1) and pairs 40
    with 2023:3 by hand: 2023:1 stays unmarked, 2023:2 continues 2022:36, 2023:3 continues 2022:40."""
    env = {"GKCLI_TODAY": "2023-07-01"}
    args = ["--data", str(two_years), "carryover", "--from", "2022", "--to", "2023", "--skip", "1", "--pair", "40=3"]
    found = _json(cli, *args, **env)
    assert isinstance(found, dict)
    assert [(p["from"], p["to"], p["by_hand"]) for p in found["continued"]] == [(36, 2, False), (40, 3, True)]
    assert 1 in found["not_continued"] and 40 not in found["not_continued"] and len(found["not_continued"]) == 44
    assert cli(*args, "--write", **env).exit_code == 0
    shown = [_json(cli, "--data", str(two_years), "show", f"2023:{n}", **env) for n in (1, 2, 3)]
    assert [s.get("carried_from") for s in shown] == [None, "2022:36", "2022:40"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("given", "said"),
    [
        (["--pair", "40"], "--pair 应写作"),
        (["--pair", "40=x"], "--pair 应写作"),
        (["--pair", "40=9"], "新要点中没有任务 9"),
        (["--pair", "40=2", "--pair", "41=2"], "任务 2 配了不止一项"),
        (["--skip", "99"], "任务 99 不在要结转的任务中"),
        (["--skip", "36", "--pair", "36=3"], "既写了 --skip 又写了 --pair"),
    ],
)
def test_carryover_refuses_a_correction_it_cannot_follow(
    cli: Cli, two_years: Path, given: list[str], said: str
) -> None:
    before = (two_years / "2023" / "tasks.yaml").read_bytes()
    result = cli("--data", str(two_years), "carryover", "--from", "2022", "--to", "2023", *given, "--write")
    assert result.exit_code == 2 and said in result.stderr and "Traceback" not in result.stderr
    assert (two_years / "2023" / "tasks.yaml").read_bytes() == before


def _no_indent(text: str) -> str:
    """The task list written flush with its key (``tasks:`` then ``- id: 1``)."""
    head, tasks = text.split("tasks:\n")
    return head + "tasks:\n" + "\n".join(line[2:] for line in tasks.splitlines()) + "\n"


NEXT_YEAR_SHAPES = {
    "as written": lambda t: t,
    "list flush with its key": _no_indent,
    "four spaces": lambda t: (
        t.replace("\n  - id:", "\n    - id:").replace("\n    ", "\n      ").replace("\n      - id:", "\n    - id:")
    ),
    "CRLF line ends": lambda t: t.replace("\n", "\r\n"),
    "no final line break": lambda t: t.rstrip("\n"),
    "settings and a comment after the tasks": lambda t: t + "# 规则设置\ncheck:\n  ignore: [GK605]\n",
}


@pytest.mark.parametrize("shape", list(NEXT_YEAR_SHAPES))
def test_carryover_adds_tasks_without_a_successor_as_new_tasks_once(cli: Cli, two_years: Path, shape: str) -> None:
    """44 and 4 have nothing like them in 2023 (the two suggested pairs are set aside): --add carries them into 1.1 as 2023:4 and 2023:5 (after
    the last id, 3), not started, marked carried_from; every byte before the end of the last task
    stays, a second run writes nothing, and the result passes check."""
    path = two_years / "2023" / "tasks.yaml"
    path.write_bytes(NEXT_YEAR_SHAPES[shape](NEXT_YEAR).encode("utf-8"))
    before = path.read_bytes()
    env = {"GKCLI_TODAY": "2023-07-01"}
    args = ["--data", str(two_years), "carryover", "--from", "2022", "--to", "2023", "--add", "44", "--add", "4"]
    args += ["--skip", "1", "--skip", "36"]  # the suggested pairs are not written: only the additions change the file
    first = cli(*args, "--into", "1.1", "--write", **env)
    assert first.exit_code == 0 and "已作为新任务结转 2 项:2023:4、2023:5" in first.stderr, first.stderr
    after = path.read_bytes()
    kept = before.rstrip(b"\r\n") if shape != "settings and a comment after the tasks" else before.split(b"# ")[0]
    assert after.startswith(kept.rstrip(b"\r\n"))
    assert (b"\r\n" in after) == (shape == "CRLF line ends") and (b"\n" not in after.replace(b"\r\n", b"")) == (
        shape == "CRLF line ends"
    )
    old = {t["id"]: t for t in _json(cli, "--data", str(two_years), "--plan", "2022", "list", **env)}  # type: ignore[union-attr]
    for new_id, old_id in ((4, 4), (5, 44)):
        task = _json(cli, "--data", str(two_years), "show", f"2023:{new_id}", **env)
        assert isinstance(task, dict)
        assert (task["title"], task["lead"], task["deadline"]) == (
            old[old_id]["title"], old[old_id]["lead"], old[old_id]["deadline"]
        )  # fmt: skip
        assert (task["section"], task["status"], task["carried_from"]) == ("1.1", "not_started", f"2022:{old_id}")
    assert cli("check", "--strict", str(two_years / "2023"), **env).exit_code == 0
    again = cli(*args, "--into", "1.1", "--write", **env)
    assert again.exit_code == 0 and "没有要追加的" in again.stderr and path.read_bytes() == after


@pytest.mark.parametrize(
    ("given", "said"),
    [
        (["--add", "44"], "--add 需要 --into"),
        (["--into", "1.1"], "--into 只与 --add 一起使用"),
        (["--add", "44", "--into", "9.9"], "没有小节 9.9"),
        (["--add", "36", "--into", "1.1"], "任务 36 不是没有接续任务的上年任务"),
    ],
)
def test_carryover_refuses_an_addition_it_cannot_make(cli: Cli, two_years: Path, given: list[str], said: str) -> None:
    before = (two_years / "2023" / "tasks.yaml").read_bytes()
    result = cli("--data", str(two_years), "carryover", "--from", "2022", "--to", "2023", *given, "--write")
    assert result.exit_code == 2 and said in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert (two_years / "2023" / "tasks.yaml").read_bytes() == before


def test_carryover_writes_links_and_additions_together_or_not_at_all(cli: Cli, two_years: Path) -> None:
    """2023's units know 县住房和城乡建设局 under another name, so 2022:4 (led by it) cannot be added as
    it is: the write is refused as a whole, the suggested links (1 → 2023:1, 36 → 2023:2) included."""
    units = two_years / "2023" / "units.yaml"
    units.write_text(
        units.read_text(encoding="utf-8").replace("县住房和城乡建设局", "县住房城乡建设局"), encoding="utf-8"
    )
    before = (two_years / "2023" / "tasks.yaml").read_bytes()
    result = cli(
        "--data", str(two_years), "carryover", "--from", "2022", "--to", "2023", "--add", "4", "--into", "1.1",
        "--write", GKCLI_TODAY="2023-07-01",
    )  # fmt: skip
    assert result.exit_code not in (0, 1) and "县住房和城乡建设局" in result.stderr and "Traceback" not in result.stderr
    assert (two_years / "2023" / "tasks.yaml").read_bytes() == before


def test_show_related_gives_each_countys_part_of_a_city_task(cli: Cli, workspace: Path) -> None:
    """A city plan's task 做好预算公开 (6 characters without punctuation) beside the counties' plans:
    2023:12 持续推进预算公开 shares 预算公开 (2·4/(6+8) = 0.57), 岱山:1 做好岱山县预算公开 shares
    做好 and 预算公开 (2·6/(6+9) = 0.80); nothing in 2022 is that alike."""
    city = workspace / "市"
    city.mkdir()
    head = (
        PLAN_2023.split("tasks:\n")[0]
        .replace("嵊泗县", "舟山市")
        .replace("嵊政办发〔2023〕20号", "舟政办发〔2023〕5号")
    )
    task = '  - id: 5\n    section: "1.1"\n    title: 做好预算公开。\n    lead: [县财政局]\n    deadline: 12月底前\n'
    (city / "tasks.yaml").write_text(head + "tasks:\n" + task + "    status: not_started\n", encoding="utf-8")
    shutil.copy(DATA / "units.yaml", city / "units.yaml")
    shown = _json(cli, "--data", str(workspace), "show", "市:5", "--related", "--as-of", "2023-07-01")
    assert isinstance(shown, dict)
    assert [(r["plan"], r["id"], r["likeness"], r["linked"]) for r in shown["related"]] == [
        ("2023", 12, 0.57, False),
        ("岱山", 1, 0.8, False),
    ]
    plain = _json(cli, "--data", str(workspace), "show", "市:5", "--as-of", "2023-07-01")
    assert isinstance(plain, dict) and "related" not in plain
    table = cli(
        "--data", str(workspace), "show", "市:5", "--related", "-f", "table", "--as-of", "2023-07-01", COLUMNS="80"
    )
    assert "其他要点中" in table.stdout and "岱山:1" in table.stdout


def test_show_related_follows_the_carryover_link(cli: Cli, two_years: Path) -> None:
    """2023:2 is alike 2022:36 (0.86, as diff pairs them); once carryover --write links them the
    pair is shown as linked, from either side."""
    env = {"GKCLI_TODAY": "2023-07-01"}
    before = _json(cli, "--data", str(two_years), "show", "2023:2", "--related", **env)
    assert isinstance(before, dict)
    assert [(r["plan"], r["id"], r["likeness"], r["linked"]) for r in before["related"]] == [("2022", 36, 0.86, False)]
    assert cli("--data", str(two_years), "carryover", "--from", "2022", "--to", "2023", "--write", **env).exit_code == 0
    for asked, other in (("2023:2", ("2022", 36)), ("2022:36", ("2023", 2))):
        after = _json(cli, "--data", str(two_years), "show", asked, "--related", **env)
        assert isinstance(after, dict)
        assert [(r["plan"], r["id"], r["linked"]) for r in after["related"]] == [(*other, True)]


@pytest.mark.parametrize("asked", [None])  # by either name: tests/test_workspace_engine.py
def test_a_renamed_units_reminder_is_one_across_the_years(cli: Cli, workspace: Path, asked: str | None) -> None:
    """2023 renames 县财政局 and says so once (same_as): its reminder on 2023-09-20 (30 days) is one,
    under the new name, holding 2022's 30 red tasks, 岱山:1 (red) and 2023:12 (yellow), as before the
    rename; whichever name is asked, or none."""
    _rename_in_2023(workspace)
    units = workspace / "2023" / "units.yaml"
    text = units.read_text(encoding="utf-8")
    units.write_text(
        text.replace(f"  - name: {RENAMED}\n", f"  - name: {RENAMED}\n    same_as: [县财政局]\n"), encoding="utf-8"
    )
    given = ["--unit", asked] if asked else []
    found = _json(cli, "--data", str(workspace), "remind", *given, "--as-of", "2023-09-20", "--within", "30d")
    assert isinstance(found, list)
    [mine] = [r for r in found if r["unit"] in (RENAMED, "县财政局")]
    assert mine["unit"] == RENAMED
    red = [(i["plan"], i["id"]) for i in mine["red"]]
    assert len(red) == 31 and ("岱山", 1) in red and sum(1 for plan, _ in red if plan == "2022") == 30
    assert [(i["plan"], i["id"]) for i in mine["yellow"]] == [("2023", 12)]


def test_a_reminder_of_one_plan_has_no_plan_key(cli: Cli, workspace: Path) -> None:
    found = _json(cli, "--data", str(workspace), "--plan", "2023", "remind", "--as-of", "2023-09-20", "--within", "30d")
    assert isinstance(found, list) and found
    assert all("plan" not in i for r in found for i in (*r["red"], *r["yellow"]))


@pytest.mark.parametrize("command", [["overdue", "--unit", "县财政局"], ["unit", "县财政局"]])
def test_a_renamed_unit_goes_by_its_newest_name_whatever_the_order_given(
    cli: Cli, workspace: Path, command: list[str]
) -> None:
    """2023 renames 县财政局 (same_as declared there); the plans given 2023, 2022, 岱山 (岱山 issued
    2023-05-10, before 2023's 2023-06-30). On 2023-10-01 the unit's overdue tasks are 2022's 30
    (nothing recorded, all due in 2022), 岱山:1 (8月底前) and 2023:12 (9月底前): 32, under the name of
    the newest plan, not of the last one given."""
    _rename_in_2023(workspace)
    units = workspace / "2023" / "units.yaml"
    text = units.read_text(encoding="utf-8")
    units.write_text(
        text.replace(f"  - name: {RENAMED}\n", f"  - name: {RENAMED}\n    same_as: [县财政局]\n"), encoding="utf-8"
    )
    data = [a for n in ("2023", "2022", "岱山") for a in ("--data", f"{n}={workspace / n}")]
    listing = cli(*data, *command, "--as-of", "2023-10-01", "-f", "markdown")
    assert listing.exit_code == 0, listing.stderr
    title = listing.stdout.splitlines()[0]
    assert RENAMED in title and "县财政局" not in title
    items = _json(cli, *data, *command, "--as-of", "2023-10-01")
    assert isinstance(items, list)
    if command[0] == "overdue":
        assert "(共 32 项)" in title
        assert sorted((i["plan"], i["id"]) for i in items if i["plan"] != "2022") == [("2023", 12), ("岱山", 1)]
        assert sum(1 for i in items if i["plan"] == "2022") == 30


# ---- export across plans -----------------------------------------------------------------------


def _export(cli: Cli, workspace: Path, tmp_path: Path, name: str, *args: str) -> Path:
    out = tmp_path / name
    result = cli("--data", str(workspace), "export", *args, "--as-of", "2023-07-01", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    return out


def test_a_csv_export_of_every_plan_names_each_tasks_plan(cli: Cli, workspace: Path, tmp_path: Path) -> None:
    """The three plans by hand: 2022's 46 tasks, 2023:12 and 13, 岱山:1, in that order."""
    import csv
    import io

    text = _export(cli, workspace, tmp_path, "all.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[:4] == ["要点", "序号", "部分", "小节"]
    assert [(r["要点"], r["序号"].rstrip("※")) for r in rows if r["要点"] != "2022"] == [
        ("2023", "12"), ("2023", "13"), ("岱山", "1"),
    ]  # fmt: skip
    assert sum(1 for r in rows if r["要点"] == "2022") == 46
    assert [r["部分"] for r in rows if r["要点"] == "2023"] == ["一、深化主动公开"] * 2


def test_a_units_export_of_every_plan(cli: Cli, workspace: Path, tmp_path: Path) -> None:
    """县财政局: 30 tasks of 2022, 2023:12 and 13, 岱山:1 — as `unit` counts them; one sheet per plan."""
    from openpyxl import load_workbook

    book = load_workbook(_export(cli, workspace, tmp_path, "财政.xlsx", "--unit", "县财政局"))
    assert book.sheetnames == ["2022", "2023", "岱山"]
    ids = {
        name: [row[0] for row in book[name].iter_rows(min_row=3, values_only=True) if isinstance(row[0], int)]
        for name in book.sheetnames
    }
    assert (
        len(ids["2022"]) + sum(1 for row in book["2022"].iter_rows(values_only=True) if str(row[0]).endswith("※")) == 30
    )
    assert ids["2023"] == [12, 13] and ids["岱山"] == [1]
    assert "2023年岱山县政务公开工作要点任务清单" in str(book["岱山"]["A1"].value)


def test_a_structured_export_of_every_plan(cli: Cli, workspace: Path) -> None:
    found = json.loads(cli("--data", str(workspace), "export", "-f", "json", "--as-of", "2023-07-01").stdout)
    assert [p["id"] for p in found["plans"]] == ["2022", "2023", "岱山"]
    tasks = {
        p["id"]: [t["id"] for part in p["parts"] for s in part["sections"] for t in s["tasks"]] for p in found["plans"]
    }
    assert tasks["2023"] == [12, 13] and tasks["岱山"] == [1] and sorted(tasks["2022"]) == list(range(1, 47))
    assert found["plans"][2]["plan"]["document_number"] == "岱政办发〔2023〕8号"
    one = json.loads(cli("--data", str(workspace), "--plan", "2023", "export", "-f", "json").stdout)
    assert set(one) == {"plan", "parts"}  # one plan: the shape of a registry alone


def test_a_progress_table_of_every_plan(cli: Cli, workspace: Path, tmp_path: Path) -> None:
    from docx import Document

    document = Document(str(_export(cli, workspace, tmp_path, "表.docx", "--unit", "县财政局")))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "一、2022年嵊泗县政务公开工作要点(嵊政办发〔2022〕36号)",
        "二、2023年嵊泗县政务公开工作要点(嵊政办发〔2023〕20号)",
        "三、2023年岱山县政务公开工作要点(岱政办发〔2023〕8号)",
    ]
    tables = [[row.cells[0].text for row in table.rows[1:]] for table in document.tables]
    assert [len(t) for t in tables] == [30, 2, 1] and tables[1:] == [["12", "13"], ["1"]]


def test_one_plan_of_a_workspace_exports_as_it_does_alone(cli: Cli, workspace: Path, tmp_path: Path) -> None:
    alone = cli("--data", str(workspace / "2023"), "export", "-f", "csv", "--as-of", "2023-07-01").stdout
    chosen = cli("--data", str(workspace), "--plan", "2023", "export", "-f", "csv", "--as-of", "2023-07-01").stdout
    assert alone == chosen and "要点" not in alone.splitlines()[0]
