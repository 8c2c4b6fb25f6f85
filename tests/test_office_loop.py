"""The office's moves over a worked month of the shipped 2022 plan (issued 2022-07-12, warn_days 30):
销号 on review, a request declined, checkpoints of a year-long task, tasks carried over to the next
plan, and the forms chased. Every figure is worked by hand in each test's docstring from the
tasks named there:

- task 3: lead 县财政局, 12月底前 (due 2022-12-31);
- task 20: lead 县信访局, 三季度前 (due 2022-09-30);
- task 27: lead 县政府办公室 and 县司法局, 三季度前 (due 2022-09-30);
- task 36: lead 县政府办公室, 7月底前 (due 2022-07-31);
- task 1: lead 县发展和改革局, 全年 (due 2022-12-31)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gkcli.core import bulletin, queries
from gkcli.core.queries import TaskFilter
from gkcli.domain import timeline
from gkcli.domain.checkpoints import checkpoint_dates, counted
from gkcli.domain.deadlines import DeadlineError
from gkcli.domain.records import ProgressEntry
from gkcli.domain.registry import Registry
from gkcli.store.load import load_registry
from gkcli.store.locate import RegistryFolder

from .conftest import DATA, Cli
from .test_workspace import PLAN_2023 as WORKSPACE_2023

D = dt.date


def _data(cli: Cli) -> Path:
    return Path(cli.env["GKCLI_DATA"])


def _edit(folder: Path, old: str, new: str) -> None:
    path = folder / "tasks.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _under_review(cli: Cli) -> Path:
    folder = _data(cli)
    _edit(folder, "  office: 县政府办公室\n", "  office: 县政府办公室\n  closing: review\n")
    return folder


def _run(cli: Cli, *args: str, today: str) -> str:
    result = cli(*args, GKCLI_TODAY=today)
    assert result.exit_code == 0, result.output
    return result.stdout + result.stderr


def _json(cli: Cli, *args: str, today: str = "2022-12-31") -> object:
    result = cli(*args, "-f", "json", GKCLI_TODAY=today)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def _load(folder: Path) -> Registry:
    return load_registry(RegistryFolder(folder, "option"))


def _item(registry: Registry, task_id: int, day: dt.date, known_on: dt.date | None = None, unit: str | None = None):  # type: ignore[no-untyped-def]
    entity = registry.directory.resolve(unit) if unit else None
    [found] = [i for i in queries.list_tasks(registry, TaskFilter(as_of=day, known_on=known_on, unit=entity))
               if i.task.id == task_id]  # fmt: skip
    return found


# ---- 销号 on review -----------------------------------------------------------------------------


def test_a_claim_waits_for_review_and_is_done_on_its_own_date_once_accepted(cli: Cli) -> None:
    """Task 27 under review. 县司法局 reports done on 09-20 (a claim), the office accepts on 09-28.
    On 09-25 县司法局's part is 待审核 (awaiting_review) and not done; the task is in progress (县政府
    办公室's part is open). On 09-30 县司法局's part is done on 09-20 (the claim's date), not 09-28."""
    folder = _under_review(cli)
    said = _run(
        cli, "done", "27", "--unit", "县司法局", "--on", "2022-09-20", "--note", "目录已公开", today="2022-09-20"
    )
    assert "申请销号" in said and "待统筹单位审核" in said
    _run(cli, "accept", "27", "--unit", "县司法局", "--on", "2022-09-28", today="2022-09-28")
    registry = _load(folder)
    before = _item(registry, 27, D(2022, 9, 25))
    assert before.status == "in_progress" and before.state.parts_done == ()
    assert [(e.unit, e.on) for e in before.state.claims] == [("县司法局", D(2022, 9, 20))]
    mine = _item(registry, 27, D(2022, 9, 25), unit="县司法局")
    assert mine.light == "yellow"  # judged on 09-20, the claim's day: 10 days before its due date
    after = _item(registry, 27, D(2022, 9, 30))
    assert after.state.parts_done == (("县司法局", D(2022, 9, 20)),) and after.state.claims == ()
    assert after.state.share_done_on("县司法局") == D(2022, 9, 20)
    written = (folder / "tasks.yaml").read_text(encoding="utf-8")
    assert "kind: claim" in written and "kind: accept" in written


def test_a_whole_claim_sent_back_is_open_again_and_the_reason_stays_until_claimed_anew(cli: Cli) -> None:
    """Task 3 (lead 县财政局 alone) under review: claimed 09-10, sent back 09-15 (理由: 缺少公开链接),
    claimed again 09-20, accepted 09-22. On 09-12 the task is 待审核; on 09-16 in progress with the
    return kept; on 09-21 待审核 again (the return gone: claimed anew); on 09-30 done on 09-20."""
    folder = _under_review(cli)
    _run(cli, "done", "3", "--unit", "县财政局", "--on", "2022-09-10", today="2022-09-10")
    refused = cli("send-back", "3", "--unit", "县财政局", "--on", "2022-09-15", GKCLI_TODAY="2022-09-15")
    assert refused.exit_code == 2 and "退回的理由" in refused.stderr  # a return needs its reason
    _run(
        cli, "send-back", "3", "--unit", "县财政局", "--on", "2022-09-15", "--note", "缺少公开链接", today="2022-09-15"
    )
    _run(
        cli, "done", "3", "--unit", "县财政局", "--on", "2022-09-20", "--link", "https://x.gov.cn/a", today="2022-09-20"
    )
    _run(cli, "accept", "3", "--unit", "县财政局", "--on", "2022-09-22", today="2022-09-22")
    registry = _load(folder)
    states = {day: _item(registry, 3, D(2022, 9, day)) for day in (12, 16, 21, 30)}
    assert [states[d].status for d in (12, 16, 21, 30)] == ["awaiting_review", "in_progress", "awaiting_review", "done"]
    assert [e.note for e in states[16].state.returned] == ["缺少公开链接"] and states[21].state.returned == ()
    assert states[30].done_on == D(2022, 9, 20) and states[30].light == "done"


def test_a_claim_is_judged_on_its_own_day_not_on_the_review(cli: Cli, tmp_path: Path) -> None:
    """Task 36 is due 07-31. Claimed on 07-28 and still awaiting review on 08-10: not red (the office's
    review does not make it late): yellow, as on 07-28 (3 days left). Claimed on 08-03 instead: red,
    and overdue by 10 days on 08-10."""
    folder = _under_review(cli)
    _run(cli, "done", "36", "--on", "2022-07-28", today="2022-07-28")
    registry = _load(folder)
    assert _item(registry, 36, D(2022, 8, 10)).light == "yellow"
    assert 36 not in [i.task.id for i in queries.overdue(registry, D(2022, 8, 10))]
    late = tmp_path / "late"
    shutil.copytree(DATA, late)
    _edit(late, "  office: 县政府办公室\n", "  office: 县政府办公室\n  closing: review\n")
    _run(cli, "--data", str(late), "done", "36", "--on", "2022-08-03", today="2022-08-03")
    registry = _load(late)
    assert _item(registry, 36, D(2022, 8, 10)).light == "red"
    assert [i.days_overdue for i in queries.overdue(registry, D(2022, 8, 10)) if i.task.id == 36] == [10]


def test_answers_to_nothing_are_refused_and_checked(cli: Cli) -> None:
    """Accepting where nothing was claimed is refused at the command line; written by hand, `gkcli
    check` reports it as GK511 with its explanation."""
    folder = _under_review(cli)
    refused = cli("accept", "3", "--unit", "县财政局", GKCLI_TODAY="2022-09-10")
    assert refused.exit_code == 2 and "没有待审核的销号申请" in refused.stderr
    _edit(folder, "    deadline: 12月底前\n    status: not_started\n",
          "    deadline: 12月底前\n    status: not_started\n    progress:\n"
          "      - {date: 2022-09-10, note: 通过, kind: accept, unit: 县财政局}\n")  # fmt: skip
    found = cli("check", "--format", "json", str(folder), GKCLI_TODAY="2022-10-01")
    assert found.exit_code == 1 and "GK511" in found.stdout
    explained = cli("check", "--explain", "GK511")
    assert explained.exit_code == 0 and "销号" in explained.stdout


def test_a_bulletin_known_on_the_day_shows_the_claim_pending_and_stays_the_same(cli: Cli) -> None:
    """A bulletin as of 09-25, known on 09-25: 县司法局's claim on task 27 is listed as awaiting review;
    after the acceptance on 09-28 the same bulletin is byte-identical; as of 09-30 the claim is gone."""
    folder = _under_review(cli)
    _run(cli, "done", "27", "--unit", "县司法局", "--on", "2022-09-20", today="2022-09-20")
    args = ("report", "-f", "markdown", "--as-of", "2022-09-25", "--known-on", "2022-09-25")
    first = _run(cli, *args, today="2022-09-25")
    assert "待审核的销号申请(1 项)" in first and "| 27 |" in first.split("待审核的销号申请")[1]
    _run(cli, "accept", "27", "--unit", "县司法局", "--on", "2022-09-28", today="2022-09-28")
    assert _run(cli, *args, today="2022-10-05") == first
    later = _run(cli, "report", "-f", "markdown", "--as-of", "2022-09-30", today="2022-10-05")
    assert "待审核的销号申请" not in later
    assert folder.exists()


def test_a_form_completion_under_review_is_a_claim(cli: Cli, tmp_path: Path) -> None:
    """Under review a unit's form with a 完成日期 records a claim: the part awaits review."""
    openpyxl = pytest.importorskip("openpyxl")
    folder = _under_review(cli)
    out = tmp_path / "县财政局.xlsx"
    _run(cli, "returns", "export", "--unit", "县财政局", "-o", str(out), "--as-of", "2022-09-01", today="2022-09-01")
    book = openpyxl.load_workbook(out)
    sheet = book["填报表"]
    row = next(r for r in range(4, sheet.max_row + 1) if sheet.cell(r, 1).value == 3)
    sheet.cell(row, 8).value, sheet.cell(row, 9).value = "已公开", "2022-09-10"
    book.save(out)
    said = _run(cli, "returns", "import", str(out), today="2022-09-12")
    assert "申请销号" in said
    assert _item(_load(folder), 3, D(2022, 9, 12)).status == "awaiting_review"


# ---- a request declined ------------------------------------------------------------------------


def test_a_declined_request_is_no_longer_pending_and_the_due_date_stands(cli: Cli) -> None:
    """Task 20 (due 09-30): 县信访局 asks on 09-10 to move to 10-31; the office declines on 09-15.
    On 09-12 the request is pending; on 09-20 nothing is pending and the task is still due 09-30,
    so on 10-01 it is overdue by 1 day. Declining again (nothing pending) is refused."""
    folder = _data(cli)
    _run(cli, "extend", "20", "--request", "--to", "2022-10-31", "--unit", "县信访局", "--on", "2022-09-10",
         "--note", "系统升级", today="2022-09-10")  # fmt: skip
    _run(cli, "extend", "20", "--decline", "--unit", "县信访局", "--on", "2022-09-15", "--note", "不影响上线",
         today="2022-09-15")  # fmt: skip
    registry = _load(folder)
    assert [e.due for e in _item(registry, 20, D(2022, 9, 12)).state.requests] == [D(2022, 10, 31)]
    assert _item(registry, 20, D(2022, 9, 20)).state.requests == ()
    late = [i for i in queries.overdue(registry, D(2022, 10, 1)) if i.task.id == 20]
    assert [i.days_overdue for i in late] == [1]
    again = cli("extend", "20", "--decline", "--unit", "县信访局", "--note", "再答复", GKCLI_TODAY="2022-09-16")
    assert again.exit_code == 2 and "没有待批准的延期申请" in again.stderr
    report = _run(cli, "report", "-f", "markdown", "--as-of", "2022-09-30", "--since", "2022-08-31", today="2022-10-01")
    assert "待批准的延期申请(0 项)" in report and "不予延期" in report


def test_declining_a_granted_request_is_gk511(cli: Cli) -> None:
    """A request granted on 09-12, then a decline written by hand on 09-14: nothing was pending."""
    folder = _data(cli)
    _run(cli, "extend", "20", "--request", "--to", "2022-10-31", "--unit", "县信访局", "--on", "2022-09-10",
         "--note", "系统升级", today="2022-09-10")  # fmt: skip
    _run(cli, "extend", "20", "--to", "2022-10-31", "--unit", "县信访局", "--on", "2022-09-12", "--note", "同意",
         today="2022-09-12")  # fmt: skip
    text = (folder / "tasks.yaml").read_text(encoding="utf-8")
    line = "        kind: extend\n"
    assert line in text
    tail = "      - date: 2022-09-14\n        note: 不予延期\n        unit: 县信访局\n        kind: decline\n"
    at = text.index(line) + len(line)
    rest = text[at:]
    following = rest.index("  - id:")
    body = rest[:following]
    (folder / "tasks.yaml").write_text(text[:at] + body + tail + rest[following:], encoding="utf-8")
    found = cli("check", "--format", "json", str(folder), GKCLI_TODAY="2022-10-01")
    assert found.exit_code == 1
    codes = {d["rule"] for d in json.loads(found.stdout)}
    assert "GK511" in codes


# ---- checkpoints -------------------------------------------------------------------------------


def test_checkpoint_rules_and_dates() -> None:
    """每季度末: 03-31, 06-30, 09-30, 12-31; 每月25日: the 25th of each month; dates as deadline phrases
    name them; of 每季度末 on a plan issued 07-12 and due 12-31, 09-30 and 12-31 count."""
    assert checkpoint_dates("每季度末", 2022) == (D(2022, 3, 31), D(2022, 6, 30), D(2022, 9, 30), D(2022, 12, 31))
    assert checkpoint_dates("每月25日", 2022)[6] == D(2022, 7, 25)
    assert checkpoint_dates("每半年", 2022) == (D(2022, 6, 30), D(2022, 12, 31))
    assert checkpoint_dates("2022-10-15、三季度末, 11月30日", 2022) == (
        D(2022, 9, 30),
        D(2022, 10, 15),
        D(2022, 11, 30),
    )
    assert counted("每季度末", 2022, D(2022, 7, 12), D(2022, 12, 31)) == (D(2022, 9, 30), D(2022, 12, 31))
    assert counted("每季度末", 2022, D(2022, 7, 12), D(2022, 9, 30)) == (D(2022, 9, 30),)
    for bad in ("每周", "每月31日", "尽快"):
        with pytest.raises(DeadlineError):
            checkpoint_dates(bad, 2022)


def test_a_quarter_without_a_report_is_missed(cli: Cli) -> None:
    """Task 1 (全年, lead 县发展和改革局) with checkpoints 每季度末. On 10-08 the latest checkpoint
    before the day is 09-30, its window 07-12 < d <= 09-30: no entry, so 县发展和改革局 missed it and
    the task is red (its due date 12-31 is far) and listed by `overdue --checkpoints`; plain `overdue`
    does not list it (not past due). An entry of that unit on 09-15 clears it. On 12-10 the next
    checkpoint 12-31 is 21 days away (within 30) with nothing since 09-30: yellow."""
    folder = _data(cli)
    _edit(folder, "    deadline: 全年\n", "    deadline: 全年\n    checkpoints: 每季度末\n")
    missed = _json(cli, "overdue", "--checkpoints", "--as-of", "2022-10-08")
    assert [(i["id"], i["checkpoint"], i["missing"]) for i in missed] == [(1, "2022-09-30", ["县发展和改革局"])]  # type: ignore[index,union-attr]
    assert 1 not in [i["id"] for i in _json(cli, "overdue", "--as-of", "2022-10-08")]  # type: ignore[union-attr]
    assert [i["light"] for i in _json(cli, "list", "--as-of", "2022-10-08") if i["id"] == 1] == ["red"]  # type: ignore[index,union-attr]
    assert 1 in [i["id"] for i in _json(cli, "list", "--light", "red", "--as-of", "2022-10-08")]  # type: ignore[union-attr]
    _run(cli, "progress", "1", "--unit", "县发展和改革局", "--on", "2022-09-15", "--note", "已发布", today="2022-10-08")
    assert _json(cli, "overdue", "--checkpoints", "--as-of", "2022-10-08") == []
    registry = _load(folder)
    item = _item(registry, 1, D(2022, 12, 10))
    assert item.light == "yellow" and item.checkpoint is not None
    assert (item.checkpoint.upcoming, item.checkpoint.owing) == (D(2022, 12, 31), ("县发展和改革局",))
    assert _item(registry, 1, D(2022, 10, 20)).light == "green"  # 09-15 met 09-30; 12-31 is 72 days away
    shown = _json(cli, "show", "1", "--as-of", "2022-12-10")
    assert shown["next_checkpoint"] == "2022-12-31(尚未报送: 县发展和改革局)"  # type: ignore[index]
    reminded = _run(cli, "remind", "--unit", "县发展和改革局", "--as-of", "2022-12-10", today="2022-12-10")
    assert "还剩 21 天" in reminded.split("全年")[0].rsplit("任务1", 1)[-1] or "任务1【牵头】" in reminded
    early = _run(cli, "remind", "--unit", "县发展和改革局", "--as-of", "2022-09-10", today="2022-12-10")
    assert "请于检查节点 2022-09-30 前报送进展" in early  # nothing yet since 07-12, 20 days before 09-30


def test_a_checkpoint_missed_shows_in_the_bulletin(cli: Cli) -> None:
    folder = _data(cli)
    _edit(folder, "    deadline: 全年\n", "    deadline: 全年\n    checkpoints: 每季度末\n")
    report = _run(cli, "report", "-f", "markdown", "--as-of", "2022-10-08", today="2022-10-08")
    assert "检查节点未按期报送的任务(1 项)" in report and "请县发展和改革局及时报送进展" in report


def test_checkpoints_after_the_due_date_or_unreadable_are_gk512(cli: Cli) -> None:
    folder = _data(cli)
    _edit(folder, "    deadline: 7月底前\n", '    deadline: 7月底前\n    checkpoints: "2022-10-31"\n')
    _edit(folder, "    deadline: 全年\n", "    deadline: 全年\n    checkpoints: 每两周\n")
    found = cli("check", "--format", "json", str(folder), GKCLI_TODAY="2022-10-01")
    messages = [d["message"] for d in json.loads(found.stdout) if d["rule"] == "GK512"]
    assert len(messages) == 2 and any("晚于截止日期" in m for m in messages) and any("每两周" in m for m in messages)


# ---- carried over ------------------------------------------------------------------------------


# the 2023 plan of the workspace tests, its task 12 continuing 2022:3 (the budget task)
PLAN_2023 = WORKSPACE_2023.replace("    deadline: 9月底前\n", '    deadline: 9月底前\n    carried_from: "2022:3"\n', 1)


def _two_years(tmp_path: Path) -> Path:
    root = tmp_path / "台账"
    shutil.copytree(DATA, root / "2022")
    (root / "2023").mkdir()
    (root / "2023" / "tasks.yaml").write_text(PLAN_2023, encoding="utf-8")
    shutil.copy(DATA / "units.yaml", root / "2023" / "units.yaml")
    return root


def test_a_task_continued_in_the_next_plan_is_carried_over_in_the_workspace(cli: Cli, tmp_path: Path) -> None:
    """2023:12 continues 2022:3. In the workspace on 2023-07-10, 2022:3 is 已结转 from 2023-06-30 (not
    overdue: 45 of the 46 unfinished 2022 tasks are); on 2023-06-01 it was still overdue. The 2022
    plan alone knows nothing of 2023 and keeps its answers (46 overdue)."""
    root = _two_years(tmp_path)
    items = _json(cli, "--data", str(root), "overdue", "--as-of", "2023-07-10", today="2023-07-10")
    old = [i["id"] for i in items if i["plan"] == "2022"]  # type: ignore[index,union-attr]
    assert len(old) == 45 and 3 not in old
    before = _json(cli, "--data", str(root), "overdue", "--as-of", "2023-06-01", today="2023-07-10")
    assert 3 in [i["id"] for i in before if i["plan"] == "2022"]  # type: ignore[index,union-attr]
    alone = _json(cli, "--data", str(root / "2022"), "overdue", "--as-of", "2023-07-10", today="2023-07-10")
    assert len(alone) == 46  # type: ignore[arg-type]
    stats = _json(cli, "--data", str(root), "stats", "--by", "plan", "--as-of", "2023-07-10", today="2023-07-10")
    row = next(r for r in stats["rows"] if r["key"] == "2022")  # type: ignore[index]
    assert (row["carried"], row["red"]) == (1, 45)


def test_carryover_write_records_the_carry_in_the_earlier_plan(cli: Cli, tmp_path: Path) -> None:
    """`carryover --write` also writes a `carried` entry into 2022:3, dated 2023-06-30: the 2022 plan
    alone then shows it 已结转 from that day, with the continuing task's reference."""
    root = _two_years(tmp_path)
    said = _run(cli, "--data", str(root), "carryover", "--from", "2022", "--to", "2023", "--pair", "3=12", "--write",
                today="2023-07-10")  # fmt: skip
    assert "已在 2022 的 1 项任务上记下结转" in said
    alone = _json(cli, "--data", str(root / "2022"), "show", "3", "--as-of", "2023-07-10", today="2023-07-10")
    assert (alone["status"], alone["light"]) == ("carried_over", "carried")  # type: ignore[index]
    assert alone["latest_progress"]["note"] == "结转至 2023:12"  # type: ignore[index]
    again = _run(cli, "--data", str(root), "carryover", "--from", "2022", "--to", "2023", "--write", today="2023-07-10")
    assert "记下结转" not in again  # once only
    check = cli("--data", str(root), "check", GKCLI_TODAY="2023-07-10")
    assert check.exit_code == 0, check.output


def test_the_carried_entry_follows_known_on(registry: Registry) -> None:
    """A carried entry recorded on 2023-07-01: known on 2023-06-30 the task is open, known on 07-01 not."""
    task = registry.tasks_by_id[3]
    entry = ProgressEntry(D(2023, 6, 30), "结转至 2023:12", None, None, "carried", D(2023, 7, 1))
    carried = type(task)(**{**{f: getattr(task, f) for f in task.__dataclass_fields__}, "progress": (entry,)})
    assert timeline.replay(registry, carried, D(2023, 7, 10), D(2023, 6, 30)).status == "not_started"
    assert timeline.replay(registry, carried, D(2023, 7, 10), D(2023, 7, 1)).status == "carried_over"


# ---- forms chased ------------------------------------------------------------------------------


def test_forms_sent_and_returned_are_logged_and_the_missing_ones_reminded(cli: Cli, tmp_path: Path) -> None:
    """Forms of 2022-09 sent to 县财政局 and 县司法局 on 09-01; 县财政局's comes back on 09-12 with one
    row (task 3 progress). Status: 县财政局 returned 09-12 (1 row), 县司法局 missing; the reminder
    goes to 县司法局 only. Known on 09-05, neither had come back."""
    openpyxl = pytest.importorskip("openpyxl")
    folder = _data(cli)
    out = tmp_path / "填报表"
    _run(cli, "returns", "export", "--unit", "县财政局", "--unit", "县司法局", "-o", str(out), "--as-of", "2022-09-01",
         today="2022-09-01")  # fmt: skip
    book = openpyxl.load_workbook(out / "县财政局.xlsx")
    sheet = book["填报表"]
    row = next(r for r in range(4, sheet.max_row + 1) if sheet.cell(r, 1).value == 3)
    sheet.cell(row, 8).value = "已梳理项目预算信息"
    book.save(out / "县财政局.xlsx")
    _run(cli, "returns", "import", str(out / "县财政局.xlsx"), "--on", "2022-09-12", today="2022-09-12")
    rows = {r["unit"]: r for r in _json(cli, "returns", "status", "--period", "2022-09", today="2022-09-20")}  # type: ignore[union-attr]
    assert (rows["县财政局"]["sent_on"], rows["县财政局"]["returned_on"], rows["县财政局"]["rows"]) == (
        "2022-09-01", "2022-09-12", 1)  # fmt: skip
    assert (rows["县司法局"]["returned_on"], rows["县司法局"]["missing"]) == (None, True)
    assert rows["县审计局"]["sent_on"] is None and rows["县审计局"]["missing"] is False
    earlier = {r["unit"]: r for r in _json(cli, "returns", "status", "--known-on", "2022-09-05", today="2022-09-20")}  # type: ignore[union-attr]
    assert earlier["县财政局"]["returned_on"] is None
    reminded = _run(cli, "remind", "--missing-forms", today="2022-09-20")
    assert "【县司法局】2022-09" in reminded and "县财政局" not in reminded.split("\n\n")[0].replace("【县司法局】", "")
    log = (folder / "log.yaml").read_text(encoding="utf-8")
    assert log.count("kind: form_sent") == 2 and log.count("kind: form_returned") == 1


def test_a_damaged_log_is_named_and_never_rewritten(cli: Cli, tmp_path: Path) -> None:
    folder = _data(cli)
    (folder / "log.yaml").write_text("events:\n  - {date: 2022-09-01, kind: sent, unit: 县财政局, period: 2022-9}\n",
                                     encoding="utf-8")  # fmt: skip
    before = (folder / "log.yaml").read_bytes()
    found = cli("returns", "status", GKCLI_TODAY="2022-09-20")
    assert found.exit_code == 2 and "log.yaml:2" in found.stderr and "Traceback" not in found.output
    refused = cli("returns", "export", "--unit", "县财政局", "-o", str(tmp_path / "f"), GKCLI_TODAY="2022-09-20")
    assert refused.exit_code == 2 and (folder / "log.yaml").read_bytes() == before


@pytest.mark.slow  # a process per hash seed
def test_form_status_is_the_same_bytes_in_every_process(cli: Cli, tmp_path: Path) -> None:
    folder = _data(cli)
    (folder / "log.yaml").write_text(
        "events:\n"
        "  - {date: 2022-09-01, kind: form_sent, unit: 县司法局, period: 2022-09}\n"
        "  - {date: 2022-09-01, kind: form_sent, unit: 县财政局, period: 2022-09}\n"
        "  - {date: 2022-09-03, kind: form_returned, unit: 县财政局, period: 2022-09, rows: 2}\n",
        encoding="utf-8",
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "GKCLI_DATA": str(folder), "GKCLI_TODAY": "2022-09-20"}
        done = subprocess.run([sys.executable, "-m", "gkcli", "returns", "status", "-f", "json"], env=env,
                              capture_output=True, check=True)  # fmt: skip
        outputs.add(done.stdout)
    assert len(outputs) == 1


@pytest.mark.slow  # a process per hash seed
def test_the_bulletin_of_a_month_with_every_move_is_the_same_in_every_process(cli: Cli) -> None:
    """Review, a return, a declined request and a missed checkpoint in one month: the bulletin is the
    same bytes whatever the hash seed."""
    folder = _under_review(cli)
    _edit(folder, "    deadline: 全年\n", "    deadline: 全年\n    checkpoints: 每季度末\n")
    _run(cli, "done", "3", "--unit", "县财政局", "--on", "2022-09-10", today="2022-09-10")
    _run(cli, "send-back", "3", "--unit", "县财政局", "--on", "2022-09-15", "--note", "缺少链接", today="2022-09-15")
    _run(cli, "done", "27", "--unit", "县司法局", "--on", "2022-09-20", today="2022-09-20")
    outputs = set()
    for seed in ("0", "7"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "GKCLI_DATA": str(folder), "GKCLI_TODAY": "2022-10-08"}
        done = subprocess.run(
            [sys.executable, "-m", "gkcli", "report", "-f", "markdown", "--as-of", "2022-10-08", "--since", "2022-08-31"],
            env=env, capture_output=True, check=True,
        )  # fmt: skip
        outputs.add(done.stdout)
    [text] = outputs
    body = text.decode("utf-8")
    assert "待审核的销号申请(1 项)" in body and "退回" in body and "检查节点未按期报送的任务(1 项)" in body


def test_bulletin_lists_claims_in_the_core(cli: Cli) -> None:
    folder = _under_review(cli)
    _run(cli, "done", "27", "--unit", "县司法局", "--on", "2022-09-20", today="2022-09-20")
    made = bulletin.build(_load(folder), D(2022, 9, 25))
    assert [(i.task.id, e.unit) for i, e in made.claims] == [(27, "县司法局")]


def test_a_form_sent_again_is_missing_until_that_form_comes_back(registry: Registry) -> None:
    """县财政局: form A sent 09-01, returned 09-12; form B sent 09-25 (a second round of the same month):
    missing until B comes back; 县司法局's return without a form id counts when dated after its send."""
    from gkcli.core.returns import form_status
    from gkcli.domain.records import LogEvent, LogFile

    log = LogFile((
        LogEvent(D(2022, 9, 1), "form_sent", "县财政局", "2022-09", "A"),
        LogEvent(D(2022, 9, 1), "form_sent", "县司法局", "2022-09", "C"),
        LogEvent(D(2022, 9, 12), "form_returned", "县财政局", "2022-09", "A", "a.xlsx", 2),
        LogEvent(D(2022, 9, 13), "form_returned", "县司法局", "2022-09", None, "c.xlsx", 1),
        LogEvent(D(2022, 9, 25), "form_sent", "县财政局", "2022-09", "B"),
    ))  # fmt: skip
    rows = {r.unit: r for r in form_status(registry, log, "2022-09")}
    assert rows["县财政局"].missing and rows["县财政局"].sent_on == D(2022, 9, 25)
    assert (rows["县司法局"].returned_on, rows["县司法局"].rows) == (D(2022, 9, 13), 1)
    back = LogFile((*log.events, LogEvent(D(2022, 9, 28), "form_returned", "县财政局", "2022-09", "B", "b.xlsx", 0)))
    assert form_status(registry, back, "2022-09")[list(rows).index("县财政局")].returned_on == D(2022, 9, 28)
    assert [r.unit for r in form_status(registry, log, "2022-09", known_on=D(2022, 9, 1)) if r.sent_on] == [
        "县司法局", "县财政局"]  # fmt: skip


@pytest.mark.parametrize(
    ("deadline", "rule"),
    [("每季度", "每季度末"), ("按月", "每月末"), ("每半年", "每半年"), ("2022年每季度", "每季度末")],
)
def test_import_proposes_checkpoints_for_recurring_deadlines(
    cli: Cli, tmp_path: Path, deadline: str, rule: str
) -> None:
    """A recurring 完成时限 (each written as plans write it) becomes a proposed checkpoint rule, marked
    for review; a deadline naming a date proposes none. The draft loads and asks for the review."""
    import yaml

    source = tmp_path / "要点.csv"
    source.write_text(
        "序号,重点工作,牵头单位,完成时限\n一、公开,,,\n(一)预算,,,\n"
        f"1,做好预算公开。,县财政局,{deadline}\n2,做好决策公开。,县司法局,9月底前\n",
        encoding="utf-8",
    )
    target = tmp_path / "台账"
    result = cli("import", str(source), "-o", str(target))
    assert result.exit_code in (0, 1), result.output
    tasks = yaml.safe_load((target / "tasks.yaml").read_text(encoding="utf-8"))["tasks"]
    assert [t.get("checkpoints") for t in tasks] == [rule, None]
    assert "检查节点" in tasks[0]["review"] and rule in tasks[0]["review"]
    listed = cli("list", "-f", "json", GKCLI_DATA=str(target))
    assert listed.exit_code == 0, listed.output
