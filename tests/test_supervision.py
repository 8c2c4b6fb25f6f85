"""The supervision loop: dated updates replayed on any date, what was known on any date, and each
unit's part of a shared task. The expected numbers are worked out by hand in the comments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import Cli

# The dated updates of the scenario, each written on its own day (GKCLI_TODAY = the day recorded).
SCENARIO = [
    ("2022-08-02", ["progress", "4", "--on", "2022-08-01", "--unit", "县发展和改革局", "--note", "已起草反馈机制"]),
    ("2022-08-06", ["done", "36", "--on", "2022-08-05", "--note", "矩阵已建成", "--link", "https://example.gov.cn/a"]),
    ("2022-09-10", ["done", "20", "--on", "2022-09-10", "--unit", "县信访局", "--note", "问答平台上线"]),
    ("2022-09-20", ["reopen", "20", "--on", "2022-09-20", "--note", "复查未通过"]),
    ("2022-10-05", ["progress", "27", "--on", "2022-08-15", "--unit", "县司法局", "--note", "补记：目录初稿"]),
]

# Due dates: 36 on 07-31; 4, 20 and 27 on 09-30; every other task on 12-31. Warning window 30 days.
EXPECTED = {
    # as of: (done, done late, red, yellow, red ids)
    "2022-08-02": (0, 0, 1, 0, [36]),  # 36 is past due and not done until 08-05
    "2022-08-10": (1, 1, 0, 0, []),  # 36 done 5 days late; 09-30 is more than 30 days away
    "2022-09-15": (2, 1, 0, 2, []),  # 20 done on time; 4 and 27 due within 30 days
    "2022-09-25": (1, 1, 0, 3, []),  # 20 reopened on 09-20: yellow again with 4 and 27
    "2022-10-01": (1, 1, 3, 0, [4, 20, 27]),  # 4, 20 and 27 past due
}


@pytest.fixture
def worked(cli: Cli) -> Cli:
    for day, args in SCENARIO:
        result = cli(*args, GKCLI_TODAY=day)
        assert result.exit_code == 0, (args, result.stderr)
    return cli


@pytest.mark.parametrize("as_of", list(EXPECTED))
def test_every_report_agrees_with_the_hand_computation(worked: Cli, as_of: str) -> None:
    done, late, red, yellow, red_ids = EXPECTED[as_of]
    env = {"GKCLI_TODAY": "2022-10-10"}
    total = json.loads(worked("stats", "--as-of", as_of, "-f", "json", **env).stdout)["total"]
    assert (total["done"], total["done_late"], total["red"], total["yellow"]) == (done, late, red, yellow)
    listed = json.loads(worked("list", "--light", "red", "--as-of", as_of, "-f", "json", **env).stdout)
    assert [t["id"] for t in listed] == red_ids
    exported = json.loads(worked("export", "-f", "json", "--as-of", as_of, **env).stdout)
    lights = [t["light"] for p in exported["parts"] for s in p["sections"] for t in s["tasks"]]
    assert (lights.count("red"), lights.count("yellow")) == (red, yellow)
    assert lights.count("done") + lights.count("done_late") == done
    report = worked("report", "-f", "markdown", "--as-of", as_of, **env).stdout
    assert f"已完成 {done} 项" in report and f"红灯 {red} 项" in report and f"黄灯 {yellow} 项" in report


def test_a_task_on_a_past_date_is_what_it_was_then(worked: Cli) -> None:
    env = {"GKCLI_TODAY": "2022-10-10"}
    before = json.loads(worked("show", "36", "--as-of", "2022-08-02", "-f", "json", **env).stdout)
    assert (before["status"], before["done_on"], before["light"], before["progress"]) == (
        "not_started",
        None,
        "red",
        [],
    )
    after = json.loads(worked("show", "36", "--as-of", "2022-08-10", "-f", "json", **env).stdout)
    assert (after["status"], after["done_on"], after["light"], after["days_late"]) == (
        "done",
        "2022-08-05",
        "done_late",
        5,
    )
    assert after["latest_progress"] == {
        "on": "2022-08-05", "unit": None, "kind": "done", "note": "矩阵已建成", "link": "https://example.gov.cn/a",
        "due": None,
    }  # fmt: skip
    reopened = json.loads(worked("show", "20", "--as-of", "2022-09-25", "-f", "json", **env).stdout)
    done_then = json.loads(worked("show", "20", "--as-of", "2022-09-15", "-f", "json", **env).stdout)
    assert (done_then["status"], reopened["status"]) == ("done", "in_progress")


def test_a_bulletin_sent_on_a_day_can_be_reproduced(cli: Cli) -> None:
    args = ["report", "-f", "markdown", "--as-of", "2022-09-01", "--known-on", "2022-09-01"]
    for day, update in SCENARIO[:3]:
        assert cli(*update, GKCLI_TODAY=day).exit_code == 0
    sent = cli(*args, GKCLI_TODAY="2022-09-01").stdout
    for day, update in SCENARIO[3:]:  # a reopening and a catch-up dated before 09-01, recorded on 10-05
        assert cli(*update, GKCLI_TODAY=day).exit_code == 0
    assert cli(*args, GKCLI_TODAY="2022-11-01").stdout == sent
    best_known = cli("report", "-f", "markdown", "--as-of", "2022-09-01", GKCLI_TODAY="2022-11-01").stdout
    assert "补记：目录初稿" in best_known and "补记：目录初稿" not in sent


def test_a_township_finishing_its_part_does_not_finish_the_task(cli: Cli) -> None:
    done = cli(
        "done", "40", "--on", "2022-09-01", "--unit", "菜园镇", "--note", "查阅场所已设", GKCLI_TODAY="2022-09-02"
    )
    assert done.exit_code == 0, done.stderr
    env = {"GKCLI_TODAY": "2022-09-05"}
    shown = json.loads(cli("show", "40", "-f", "json", **env).stdout)
    assert shown["status"] == "in_progress" and shown["done_on"] is None
    assert shown["parts_done"] == [{"unit": "菜园镇人民政府", "on": "2022-09-01"}]
    assert "菜园镇人民政府" not in shown["parts_open"] and "县政府办公室" in shown["parts_open"]
    mine = json.loads(cli("unit", "菜园镇", "-f", "json", **env).stdout)
    assert next(t for t in mine if t["id"] == 40)["light"] == "done"  # its own part is done
    theirs = json.loads(cli("unit", "花鸟乡", "-f", "json", **env).stdout)
    assert next(t for t in theirs if t["id"] == 40)["light"] != "done"


def test_the_office_closes_the_whole_task_only_where_it_has_no_role(cli: Cli, tmp_path: Path) -> None:
    tasks = Path(cli.env["GKCLI_DATA"]) / "tasks.yaml"
    assert "  office: 县政府办公室\n" in tasks.read_text(encoding="utf-8")  # the shipped plan names its office
    # task 40: the office leads beside 县属有关单位 and the townships, so --unit records its own part
    result = cli("done", "40", "--on", "2022-09-01", "--unit", "县政府办公室", GKCLI_TODAY="2022-09-02")
    assert result.exit_code == 0, result.stderr
    shown = json.loads(cli("show", "40", "-f", "json").stdout)
    assert shown["status"] == "in_progress" and shown["parts_done"] == [{"unit": "县政府办公室", "on": "2022-09-01"}]
    # task 2 names only 县发展和改革局 and others: the office speaks for the whole task, and says so
    anywhere = cli("done", "2", "--unit", "县政府办公室", "--on", "2022-09-01", GKCLI_TODAY="2022-09-02")
    assert anywhere.exit_code == 0, anywhere.stderr
    assert "没有角色,作为统筹单位登记的是整项任务" in anywhere.stderr
    assert json.loads(cli("show", "2", "-f", "json").stdout)["status"] == "done"


def test_a_unit_without_a_role_is_refused_with_the_units_that_have_one(cli: Cli) -> None:
    before = (Path(cli.env["GKCLI_DATA"]) / "tasks.yaml").read_bytes()
    result = cli("progress", "37", "--unit", "菜园镇", "--note", "x")
    assert result.exit_code == 2 and "没有角色" in result.stderr and "县政府办公室" in result.stderr
    assert (Path(cli.env["GKCLI_DATA"]) / "tasks.yaml").read_bytes() == before


def test_a_catch_up_is_inserted_in_date_order_and_contradictions_are_refused(cli: Cli) -> None:
    assert cli("progress", "4", "--on", "2022-09-01", "--note", "第二次", GKCLI_TODAY="2022-09-02").exit_code == 0
    assert cli("progress", "4", "--on", "2022-08-01", "--note", "补记第一次", GKCLI_TODAY="2022-09-03").exit_code == 0
    log = json.loads(cli("show", "4", "-f", "json").stdout)["progress"]
    assert [(e["on"], e["recorded"]) for e in log] == [("2022-08-01", "2022-09-03"), ("2022-09-01", "2022-09-02")]
    assert cli("done", "4", "--on", "2022-09-10", GKCLI_TODAY="2022-09-11").exit_code == 0
    twice = cli("done", "4", "--on", "2022-09-20", GKCLI_TODAY="2022-09-21")
    assert twice.exit_code == 2 and "已于 2022-09-10 完成" in twice.stderr
    early = cli("reopen", "4", "--on", "2022-09-05", GKCLI_TODAY="2022-09-21")
    assert early.exit_code == 2 and "尚未完成" in early.stderr
    assert cli("check", "--strict").exit_code == 0


def test_links_in_the_bulletin_are_links_and_nothing_more(cli: Cli) -> None:
    link = 'https://a.gov.cn/x?q="><script>alert(1)</script>|'
    result = cli("progress", "36", "--note", "已发布", "--link", link, GKCLI_TODAY="2022-09-01")
    assert result.exit_code == 0, result.stderr
    page = cli("report", "--as-of", "2022-09-01", GKCLI_TODAY="2022-09-01").stdout
    assert 'href="https://a.gov.cn/x?q=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;|"' in page
    assert "<script>" not in page
    markdown = cli("report", "-f", "markdown", "--as-of", "2022-09-01", GKCLI_TODAY="2022-09-01").stdout
    assert '<https://a.gov.cn/x?q="%3E%3Cscript%3Ealert(1)%3C/script%3E%7C>' in markdown
    assert "javascript" in cli("progress", "36", "--note", "x", "--link", "javascript:alert(1)").stderr
