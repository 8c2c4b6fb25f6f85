"""Classes of hostile or unlucky input found by an attack on workspaces, carry-over, documents and
forms, each closed as a class and tried with variants: what a write holds to, what ``--data``
means, plan ids, links between plans, characters no writer carries, dates, the converter, and the
cost of comparing plans."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gkcli.errors import GkError, WriteFailed
from gkcli.store import office

from .conftest import DATA, Cli

DAY = "2022-10-01"


def _workspace(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "ws"
    for name in names:
        shutil.copytree(DATA, folder / name)
    return folder


def _link(folder: Path, task_id: int, link: str) -> None:
    tasks = folder / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    start = text.index(f"  - id: {task_id}\n", text.index("\ntasks:"))
    at = text.index("    status:", start)
    tasks.write_text(text[:at] + f'    carried_from: "{link}"\n' + text[at:], encoding="utf-8")


# ---- every write is held to the rules of a read, whatever the cache holds ---------------------


@pytest.mark.parametrize("link", ["a b:3", "2022:x", ":3", "2022:3:4", "2022\t:3"])
@pytest.mark.parametrize("cached", [True, False], ids=["cached", "no cache"])
def test_a_link_a_read_would_refuse_is_never_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, link: str, cached: bool
) -> None:
    from gkcli.core import updates
    from gkcli.store.load import load_registry
    from gkcli.store.locate import RegistryFolder

    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    if not cached:
        monkeypatch.setenv("GKCLI_NO_CACHE", "1")
    registry_folder = RegistryFolder(folder, "option")
    load_registry(registry_folder)  # the cache now holds the file as validated
    before = (folder / "tasks.yaml").read_bytes()
    with pytest.raises(GkError):
        updates.link_carried(registry_folder, {1: link}, dt.date(2022, 10, 1))
    assert (folder / "tasks.yaml").read_bytes() == before


def test_a_value_over_its_bound_is_caught_on_the_quick_path(tmp_path: Path) -> None:
    """The check a write makes of its own values reads the same declarations as validation."""
    from gkcli.domain.records import ProgressEntry, Task, violations

    entry = ProgressEntry(dt.date(2022, 9, 1), "x" * 2001)
    task = Task(id=1, section="1.1", title="t", lead=("县财政局",), deadline="全年", progress=(entry,))
    assert violations(task) == [f"note: {'x' * 2001!r}"]
    assert violations(Task(id=1, section="1.x", title="t", lead=(), deadline="")) == ["section: '1.x'"]
    assert violations(Task(id=1, section="1.1", title="t", lead=(), deadline="", carried_from="a:1")) == []


# ---- what --data means ----------------------------------------------------------------------


def test_an_existing_path_with_an_equals_sign_is_that_path(cli: Cli, tmp_path: Path) -> None:
    odd = tmp_path / "a=b"
    shutil.copytree(DATA, odd)
    result = cli("--data", str(odd), "show", "1", "-f", "json")
    assert result.exit_code == 0, result.stderr


def test_both_readings_existing_is_refused_naming_both(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "reg").mkdir()
    shutil.copytree(DATA, tmp_path / "a=reg")
    shutil.copytree(DATA, tmp_path / "reg", dirs_exist_ok=True)
    os.chdir(tmp_path)
    before = (tmp_path / "reg" / "tasks.yaml").read_bytes()
    result = cli("--data", "a=reg", "done", "1", "--on", "2022-09-01")
    assert result.exit_code == 2 and "两处都存在" in result.stderr
    assert "a=reg" in result.stderr and "要点 a 在 reg" in result.stderr
    assert (tmp_path / "reg" / "tasks.yaml").read_bytes() == before


@pytest.mark.parametrize("given", ["x=nowhere", "2023=台账/2023", "=data"])
def test_neither_reading_existing_is_refused(cli: Cli, tmp_path: Path, given: str) -> None:
    os.chdir(tmp_path)
    result = cli("--data", given, "list")
    assert result.exit_code == 2 and "两处都不存在" in result.stderr and "Traceback" not in result.output


# ---- plan ids ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a b", "2023\x0b", "x\x1b[31m", "a\u200bb", "2022\ufffe", "a\tb", ""])
def test_a_plan_id_no_output_could_carry_is_refused_when_named(cli: Cli, tmp_path: Path, name: str) -> None:
    shutil.copytree(DATA, tmp_path / "d")
    result = cli("--data", f"{name}=" + str(tmp_path / "d"), "--data", "x=" + str(DATA), "list", "-f", "json")
    assert result.exit_code == 2 and "简称" in result.stderr
    assert "\x1b" not in result.stderr and "\x0b" not in result.stderr


def test_a_workspace_folder_with_an_unusable_name_is_refused(cli: Cli, tmp_path: Path) -> None:
    folder = _workspace(tmp_path, "2022", "2023 年")
    result = cli("--data", str(folder), "overdue", "--as-of", DAY, "-f", "json")
    assert result.exit_code == 2 and "2023 年" in result.stderr and "--data 简称=文件夹" in result.stderr


def test_one_folder_under_two_ids_is_refused(cli: Cli, tmp_path: Path) -> None:
    result = cli("--data", f"a={DATA}", "--data", f"b={DATA}/", "carryover", "--from", "a", "--to", "b")
    assert result.exit_code == 2 and "同一个文件夹" in result.stderr


def test_a_linked_subfolder_of_a_workspace_that_is_another_plan_is_refused(cli: Cli, tmp_path: Path) -> None:
    folder = _workspace(tmp_path, "2022", "2023")
    (folder / "2024").symlink_to(folder / "2023", target_is_directory=True)
    (folder / "elsewhere").symlink_to(DATA, target_is_directory=True)  # a link to a plan outside: a plan of its own
    result = cli("--data", str(folder), "overdue", "--as-of", DAY, "-f", "json")
    assert result.exit_code == 2 and "要点 2023 和 2024 是同一个文件夹" in result.stderr
    (folder / "2024").unlink()
    assert cli("--data", str(folder), "overdue", "--as-of", DAY, "-f", "json").exit_code in (0, 1)


@pytest.mark.slow  # writes and reopens workbooks
def test_sheet_names_are_distinct_and_short(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    long_a, long_b = "x" * 40 + "a", "x" * 40 + "b"
    folder = tmp_path / "ws"
    for name in (long_a, long_b, "a_b", "a*b"):
        shutil.copytree(DATA, folder / name)
    out = tmp_path / "all.xlsx"
    env = {**os.environ, "GKCLI_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-m", "gkcli", "--data", str(folder), "export", "--as-of", DAY, "-o", str(out)],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    names = load_workbook(out).sheetnames
    assert len(names) == 4 and len(set(names)) == 4 and all(len(n) <= 31 for n in names)


# ---- an unreadable plan is said, not skipped --------------------------------------------------


@pytest.mark.parametrize(
    "damage",
    ["no units", "no tasks", "broken yaml", "tasks is a folder"],
)
def test_an_unreadable_plan_stops_the_command_unless_skipped(cli: Cli, tmp_path: Path, damage: str) -> None:
    folder = _workspace(tmp_path, "2022", "2023")
    bad = folder / "2023"
    if damage == "no units":
        (bad / "units.yaml").unlink()
    elif damage == "no tasks":
        (bad / "tasks.yaml").unlink()
    elif damage == "broken yaml":
        with open(bad / "tasks.yaml", "a", encoding="utf-8") as handle:
            handle.write("tasks: [\n")
    else:
        (bad / "tasks.yaml").unlink()
        (bad / "tasks.yaml").mkdir()
    result = cli("--data", str(folder), "overdue", "--as-of", DAY, "-f", "json")
    assert result.exit_code == 2 and "2023" in result.stderr and "--skip-unreadable" in result.stderr
    skipped = cli("--data", str(folder), "--skip-unreadable", "overdue", "--as-of", DAY, "-f", "json")
    assert skipped.exit_code == 0 and "已跳过无法读取的要点 2023" in skipped.stderr
    assert len(json.loads(skipped.stdout)) == 4  # the 2022 plan's four overdue tasks


# ---- links between plans (GK510) --------------------------------------------------------------


def test_carry_over_into_itself_is_refused(cli: Cli, tmp_path: Path) -> None:
    folder = _workspace(tmp_path, "2022", "2023")
    result = cli("--data", str(folder), "carryover", "--from", "2022", "--to", "2022", "--write")
    assert result.exit_code == 2 and "两份不同的要点" in result.stderr


@pytest.mark.parametrize(
    "links, expected",
    [
        ({("2023", 5): "2023:6"}, {("2023", 5)}),  # its own plan
        ({("2023", 5): "2023:5"}, {("2023", 5)}),  # itself
        ({("2023", 7): "2022:8", ("2022", 8): "2023:7"}, {("2023", 7), ("2022", 8)}),  # a circle of two
        (
            {("2024", 1): "2023:2", ("2023", 2): "2022:3", ("2022", 3): "2024:1"},
            {("2024", 1), ("2023", 2), ("2022", 3)},
        ),  # a circle of three
        ({("2023", 7): "2022:8", ("2024", 1): "2023:7"}, set()),  # a chain is fine
    ],
)
def test_check_flags_a_task_continuing_its_own_plan_or_a_circle(
    cli: Cli, tmp_path: Path, links: dict[tuple[str, int], str], expected: set[tuple[str, int]]
) -> None:
    folder = _workspace(tmp_path, "2022", "2023", "2024")
    for (plan, task), link in links.items():
        _link(folder / plan, task, link)
    result = cli("--data", str(folder), "check", "-f", "json")
    found = {(Path(d["file"]).parent.name, d["task"]) for d in json.loads(result.stdout) if d["rule"] == "GK510"}
    assert found == expected
    assert result.exit_code == (1 if expected else 0)


# ---- characters no writer carries -------------------------------------------------------------


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\U0010fffe", "\ufdd0", "\x01", "\x85"])
def test_a_note_no_writer_can_carry_is_refused_at_the_edge(cli: Cli, char: str) -> None:
    tasks = Path(cli.env["GKCLI_DATA"]) / "tasks.yaml"
    before = tasks.read_bytes()
    result = cli("progress", "3", "--note", f"已{char}起草", "--on", "2022-09-01")
    assert result.exit_code == 2 and f"U+{ord(char):04X}" in result.stderr and tasks.read_bytes() == before
    link = cli("progress", "3", "--note", "已起草", "--link", f"https://example.org/{char}x", "--on", "2022-09-01")
    assert link.exit_code == 2 and tasks.read_bytes() == before


@pytest.mark.parametrize("escape", ["\\uFFFE", "\\uFDEF", "\\U0001FFFF"])
def test_check_refuses_what_no_writer_can_carry_and_nothing_crashes(cli: Cli, tmp_path: Path, escape: str) -> None:
    tasks = Path(cli.env["GKCLI_DATA"]) / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    at = text.index("    status:", text.index("  - id: 3\n", text.index("\ntasks:")))
    tasks.write_text(text[:at] + f'    provenance: "原文{escape}"\n' + text[at:], encoding="utf-8")
    result = cli("check")
    assert result.exit_code == 1 and "GK608" in result.stdout
    export = cli("export", "-o", str(tmp_path / "x.xlsx"), "--as-of", DAY)
    assert export.exit_code == 2 and "内部错误" not in export.stderr and "GK608" in export.stderr


# ---- one range of dates, one check --------------------------------------------------------------


@pytest.mark.parametrize(
    "asked", [dt.datetime(9999, 12, 31), dt.datetime(2201, 1, 1), "9999-12-31", dt.datetime(1900, 1, 1)]
)
def test_a_forms_date_outside_the_range_is_refused_like_a_typed_one(cli: Cli, tmp_path: Path, asked: object) -> None:
    from openpyxl import load_workbook

    form = tmp_path / "f.xlsx"
    assert cli("returns", "export", "--unit", "县财政局", "-o", str(form), "--as-of", "2022-09-01").exit_code == 0
    book = load_workbook(form)
    book["填报表"].cell(4, 8).value = "理由"
    book["填报表"].cell(4, 11).value = asked
    book.save(form)
    result = cli("returns", "import", str(form), GKCLI_TODAY="2022-09-05")
    assert result.exit_code == 2 and "行4" in result.stderr and "“申请延期至”一栏" in result.stderr
    assert "年份超出范围(1949–2200)" in result.stderr
    typed = cli("extend", "3", "--request", "--to", "9999-12-31", "--note", "x", GKCLI_TODAY="2022-09-05")
    assert typed.exit_code == 2 and "年份超出范围(1949–2200)" in typed.stderr


@pytest.mark.slow  # three documents
def test_documents_dated_in_the_last_years_of_the_range_are_written(cli: Cli, tmp_path: Path) -> None:
    for args in (["report", "-o", "r.docx"], ["export", "-o", "e.docx"], ["export", "-o", "e.xlsx"]):
        result = cli(*[str(tmp_path / a) if "." in a else a for a in args], "--as-of", "2200-12-31")
        assert result.exit_code == 0, result.stderr


# ---- the converter ------------------------------------------------------------------------------


def _hanging_soffice(tmp_path: Path) -> tuple[Path, Path]:
    """A stand-in LibreOffice that starts a helper (as soffice starts soffice.bin) and never ends."""
    pids = tmp_path / "pids"
    script = tmp_path / "soffice"
    script.write_text(
        f"#!{sys.executable}\n"
        "import os, subprocess, time\n"
        "helper = subprocess.Popen(['sleep', '300'])\n"
        f"open({str(pids)!r}, 'w').write(f'{{os.getpid()}} {{helper.pid}}')\n"
        "time.sleep(300)\n",
        encoding="utf-8",
    )
    script.chmod(stat.S_IRWXU)
    return script, pids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def _until(check: object, seconds: float = 20) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


@pytest.mark.slow  # waits out the converter's time limit
def test_a_hung_converter_is_killed_with_its_helpers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    script, pids = _hanging_soffice(tmp_path)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    monkeypatch.setattr(office, "TIMEOUT_SECONDS", 1)
    with pytest.raises(WriteFailed, match="秒内没有转换完成"):
        office.to_pdf(b"PK\x03\x04", [], {**os.environ, "GKCLI_SOFFICE": str(script)})
    parent, helper = map(int, pids.read_text().split())
    assert _until(lambda: not _alive(parent) and not _alive(helper))
    assert list(temporary.iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_during_a_conversion_leaves_no_converter_and_no_folder(tmp_path: Path, signum: int) -> None:
    script, pids = _hanging_soffice(tmp_path)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {
        **os.environ, "GKCLI_SOFFICE": str(script), "TMPDIR": str(temporary), "GKCLI_CACHE_DIR": str(tmp_path / "c"),
    }  # fmt: skip
    out = tmp_path / "通报.docx"
    child = subprocess.Popen(
        [sys.executable, "-m", "gkcli", "report", "--as-of", DAY, "-o", str(out), "--pdf"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert _until(lambda: pids.exists() and pids.read_text().strip())
    child.send_signal(signum)
    _, err = child.communicate(timeout=30)
    parent, helper = map(int, pids.read_text().split())
    assert child.returncode == 2 and "已中断" in err.decode()
    assert _until(lambda: not _alive(parent) and not _alive(helper))
    assert list(temporary.iterdir()) == [] and not out.exists() and not out.with_suffix(".pdf").exists()


@pytest.mark.parametrize("blocker", ["folder", "dangling link", "missing folder"])
def test_a_pdf_that_cannot_go_beside_leaves_neither_file(cli: Cli, tmp_path: Path, blocker: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    beside = out / "通报.pdf"
    target = out / "通报.docx"
    if blocker == "folder":
        beside.mkdir()
    elif blocker == "dangling link":
        beside.symlink_to(tmp_path / "nowhere" / "x.pdf")
    else:
        target = out / "sub" / "通报.docx"
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    script.chmod(stat.S_IRWXU)
    result = cli("report", "--as-of", DAY, "-o", str(target), "--pdf", GKCLI_SOFFICE=str(script))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert not target.exists() and sorted(p.name for p in out.iterdir()) == (
        ["通报.pdf"] if blocker != "missing folder" else []
    )


# ---- comparing two plans: bounded, and said when cut -------------------------------------------


def _plan_of(titles: list[str]) -> object:
    from types import SimpleNamespace

    from gkcli.domain.records import Task

    return SimpleNamespace(
        tasks=[Task(id=n, section="1.1", title=t, lead=("县财政局",), deadline="全年") for n, t in enumerate(titles, 1)]
    )


def _exhaustive(old: list[str], new: list[str]) -> set[tuple[int, int]]:
    """Every title compared with every other, best pairs first: the answer the index must give."""
    import difflib

    from gkcli.core.plans import _NOISE, ALIKE

    scored = []
    for i, a in enumerate(old):
        for j, b in enumerate(new):
            ratio = difflib.SequenceMatcher(None, _NOISE.sub("", a), _NOISE.sub("", b), autojunk=False).ratio()
            if ratio >= ALIKE:
                scored.append((-ratio, i, j))
    taken_old, taken_new, pairs = set(), set(), set()
    for _, i, j in sorted(scored):
        if i not in taken_old and j not in taken_new:
            taken_old.add(i)
            taken_new.add(j)
            pairs.add((i + 1, j + 1))
    return pairs


@pytest.mark.parametrize(
    "seed, length",
    [pytest.param(seed, length, marks=pytest.mark.slow) for seed, length in ((1, 40), (2, 100), (3, 200))],
)
def test_the_index_pairs_what_comparing_every_title_pairs(seed: int, length: int) -> None:
    """Titles built from the shipped plan's clauses, so unrelated titles share most of their words;
    a third of the new titles continue an old one with its end rewritten."""
    import random
    import re

    from gkcli.core.plans import compare

    clauses = [c for t in re.findall(r"title: (.+)", (DATA / "tasks.yaml").read_text(encoding="utf-8"))
               for c in re.split(r"[,,。;;]", t) if len(c) >= 4]  # fmt: skip
    rng = random.Random(seed)

    def title() -> str:
        parts: list[str] = []
        while sum(map(len, parts)) < length:
            parts.append(rng.choice(clauses))
        return ",".join(parts)[:length]

    old = [title() for _ in range(120)]
    new = [o[: len(o) * 2 // 3] + title()[: length // 3] if n % 3 == 0 else title() for n, o in enumerate(old)]
    found = compare(_plan_of(old), _plan_of(new))  # type: ignore[arg-type]
    assert {(p.old.id, p.new.id) for p in found.pairs} == _exhaustive(old, new)


def test_titles_written_alike_all_pair_and_the_cut_is_said() -> None:
    from gkcli.core.plans import CANDIDATES, compare

    same = ["持续推进政务公开工作"] * (CANDIDATES * 10)
    found = compare(_plan_of(same), _plan_of(same))  # type: ignore[arg-type]
    assert len(found.pairs) == len(same) and [p.old.id for p in found.pairs] == [p.new.id for p in found.pairs]
    assert any(f"最相近的 {CANDIDATES} 项" in said for said in found.cut)


def test_a_long_title_is_compared_over_its_first_characters_and_that_is_said() -> None:
    from gkcli.core.plans import COMPARED_CHARS, compare

    long = "推进政务公开" * 100
    found = compare(_plan_of([long, "甲乙丙丁"]), _plan_of([long + "补充", "戊己庚辛"]))  # type: ignore[arg-type]
    assert [(p.old.id, p.new.id) for p in found.pairs] == [(1, 1)]
    assert any(f"只比较了前 {COMPARED_CHARS} 字" in said for said in found.cut)


# ---- a task added by carry-over is dated, and --known-on replays it --------------------------------


def test_a_task_carried_in_june_is_not_in_a_bulletin_known_on_may_31(cli: Cli, tmp_path: Path) -> None:
    folder = _workspace(tmp_path, "2022", "2023")
    plan_2023 = folder / "2023" / "tasks.yaml"
    text = plan_2023.read_text(encoding="utf-8").replace("year: 2022", "year: 2023").replace("2022-07-12", "2023-03-01")
    start = text.index("  - id: 44\n", text.index("\ntasks:"))
    at = text.index("    title: ", start)
    end = text.index("\n", at)
    plan_2023.write_text(text[:at] + "    title: 全新的一项工作。" + text[end:], encoding="utf-8")  # 2022's 44 goes on
    ws = ("--data", str(folder))
    shown = json.loads(cli(*ws, "carryover", "--from", "2022", "--to", "2023", "-f", "json").stdout)
    free = shown["not_continued"]
    assert free, shown
    added = cli(
        *ws, "carryover", "--from", "2022", "--to", "2023", "--add", str(free[0]), "--into", "1.1", "--write",
        GKCLI_TODAY="2023-06-03",
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    new_id = max(t["id"] for t in json.loads(cli(*ws, "--plan", "2023", "list", "-f", "json").stdout))
    assert "added_on: 2023-06-03" in plan_2023.read_text(encoding="utf-8")
    one = (*ws, "--plan", "2023")
    before = cli(*one, "report", "--as-of", "2023-05-31", "-f", "markdown", "--known-on", "2023-05-31")
    after = cli(*one, "report", "--as-of", "2023-05-31", "-f", "markdown")
    assert before.exit_code == after.exit_code == 0
    assert f"| {new_id} |" not in before.stdout and f"| {new_id} |" in after.stdout

    def total(*known: str) -> int:
        return int(
            json.loads(cli(*one, "stats", "-f", "json", "--as-of", "2023-05-31", *known).stdout)["total"]["total"]
        )

    assert total() == total("--known-on", "2023-05-31") + 1
    missing = cli(*ws, "show", f"2023:{new_id}", "--known-on", "2023-05-31")
    assert missing.exit_code == 2 and "2023-06-03 才加入台账" in missing.stderr
