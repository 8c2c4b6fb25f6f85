"""Hostile and careless input: no registry, file layout, argument or cache entry crashes gkcli,
hangs it, fools it or loses a byte.

Every case runs the real program in a child process and asserts its exit code, a Chinese
message and no traceback; the cases that could exhaust the machine also assert the processor
time and peak memory of the child (from ``os.wait4``'s resource usage), each under 5 s and
500 MB. Processor time, not the clock: a busy machine stretches the one and not the other. A
child that hangs (waits for ever) is killed after 60 s and fails on its exit code.
A write that is refused must leave the registry's bytes as they were.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from gkcli.domain.registry import MAX_FILE_BYTES
from gkcli.store import cache
from gkcli.store.load import load_registry
from gkcli.store.locate import RegistryFolder

from .conftest import DATA, Cli

pytestmark = pytest.mark.slow  # every case runs whole processes

CHINESE = re.compile(r"[\u4e00-\u9fff]")
MAX_SECONDS = 5.0
MAX_MEGABYTES = 500
TASK_36 = '  - id: 36\n    section: "3.2"\n    title: 推进基层政务新媒体规范化建设,完成"1+N"政务新媒体矩阵建设任务。\n'


@dataclass
class Run:
    code: int
    out: bytes
    err: str
    seconds: float  # processor time, user and system
    megabytes: float

    @property
    def text(self) -> str:
        return self.out.decode("utf-8", errors="replace")


def gkcli(
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    stdout: int | None = None,
    file_size_limit: int | None = None,
) -> Run:
    """Run ``python -m gkcli ARGS`` and measure it: wall time and the child's own peak memory."""
    if "--data" in args:  # a global option: it goes before the command
        at = args.index("--data")
        args = (*args[at : at + 2], *args[:at], *args[at + 2 :])
    merged = {**os.environ, "GKCLI_TODAY": "2022-10-01", "NO_COLOR": "1", "COLUMNS": "120", **(env or {})}
    merged.pop("GKCLI_DEBUG", None)

    def limits() -> None:  # in the child: a runaway must not take the machine with it
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
        if file_size_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(
            [sys.executable, "-m", "gkcli", *args],
            cwd=cwd,
            env=merged,
            stdin=subprocess.DEVNULL,
            stdout=out if stdout is None else stdout,
            stderr=err,
            preexec_fn=limits,
        )
        killer = threading.Timer(60, lambda: child.send_signal(signal.SIGKILL))
        killer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            killer.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        seconds = usage.ru_utime + usage.ru_stime
        return Run(child.returncode, out.read(), err.read().decode("utf-8", "replace"), seconds, usage.ru_maxrss / 1024)


def assert_clean_failure(run: Run, code: int = 2) -> None:
    """The promised way to fail: the documented exit code, a Chinese message, no traceback, bounded."""
    assert run.code == code, (run.code, run.err)
    assert "Traceback" not in run.err and "Traceback" not in run.text
    assert CHINESE.search(run.err), run.err
    assert_bounded(run)


def assert_bounded(run: Run) -> None:
    assert run.seconds < MAX_SECONDS, f"took {run.seconds:.1f} s of processor time"
    assert run.megabytes < MAX_MEGABYTES, f"used {run.megabytes:.0f} MB"


@pytest.fixture
def folder(data_copy: Path) -> Path:
    """A working copy of the shipped registry."""
    return data_copy


@pytest.fixture
def cwd(tmp_path: Path) -> Path:
    place = tmp_path / "cwd"
    place.mkdir()
    return place


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check(folder: Path, cwd: Path, *more: str) -> Run:
    return gkcli("check", str(folder), "--format", "json", *more, cwd=cwd)


def rules(run: Run) -> set[str]:
    import json

    return {d["rule"] for d in json.loads(run.out)}


# ---- denial of service ----------------------------------------------------------------------


def test_the_largest_task_id_costs_nothing(folder: Path, cwd: Path) -> None:
    edit(folder / "tasks.yaml", "  - id: 46\n", "  - id: 9999999\n")
    run = check(folder, cwd)
    assert run.code == 0 and rules(run) == {"GK202"}  # a gap is a warning
    assert "9999953" in run.text  # ids missing, counted, not listed one by one
    assert_bounded(run)
    listed = gkcli("list", "--format", "json", "--data", str(folder), cwd=cwd)
    assert listed.code == 0 and [t["id"] for t in json.loads(listed.text)][-1] == 9999999
    assert_bounded(listed)


def test_an_id_beyond_the_largest_is_an_error_in_chinese(folder: Path, cwd: Path) -> None:
    edit(folder / "tasks.yaml", "  - id: 46\n", "  - id: 100000000\n")
    run = check(folder, cwd)
    assert run.code == 1 and rules(run) == {"GK113"}
    assert "不大于 9999999" in run.text and "Input should" not in run.text
    assert_bounded(run)


@pytest.mark.parametrize("digits", [23, 5000])
def test_an_id_too_long_to_be_one_is_an_error(folder: Path, cwd: Path, digits: int) -> None:
    edit(folder / "tasks.yaml", "  - id: 46\n", f"  - id: {'9' * digits}\n")
    run = check(folder, cwd)
    assert run.code == 1 and "GK113" in rules(run)
    assert_bounded(run)
    assert_clean_failure(gkcli("overdue", "--data", str(folder), cwd=cwd))


def test_a_million_unknown_keys_are_read_in_bounded_time(folder: Path, cwd: Path) -> None:
    keys = "".join(f"  k{n}: 1\n" for n in range(1_000_000))
    edit(folder / "tasks.yaml", "plan:\n", "plan:\n" + keys)
    run = check(folder, cwd)
    assert run.code == 1 and rules(run) == {"GK111"}
    assert len(run.text.splitlines()) < 10  # one finding, not a million
    assert_bounded(run)
    listed = gkcli("list", "--data", str(folder), cwd=cwd)
    assert_clean_failure(listed)
    assert len(listed.err.splitlines()) < 15


def test_findings_of_one_rule_are_capped(folder: Path, cwd: Path) -> None:
    text = (folder / "tasks.yaml").read_text(encoding="utf-8")
    (folder / "tasks.yaml").write_text(
        text.replace("    status: not_started\n", "    status: not_started\n    x: 1\n    y: 2\n")
    )
    run = check(folder, cwd)
    found = [line for line in run.text.splitlines() if "GK111" in line]
    assert run.code == 1 and len(found) == 51  # 50 findings and one line counting the other 42
    assert "另有" in run.text
    assert_bounded(run)


def _cache_entry(folder: Path, cache_dir: Path) -> Path:
    name = cache.cached_name((folder / "tasks.yaml").read_bytes(), (folder / "units.yaml").read_bytes())
    cache_dir.mkdir(exist_ok=True)
    return cache_dir / name


@pytest.mark.parametrize("kind", ["fifo", "link to /dev/zero", "link to the registry", "folder"])
def test_a_cache_entry_that_is_not_a_regular_file_is_ignored(
    folder: Path, cwd: Path, tmp_path: Path, kind: str
) -> None:
    cache_dir = tmp_path / "cache"
    entry = _cache_entry(folder, cache_dir)
    if kind == "fifo":
        os.mkfifo(entry)
    elif kind == "folder":
        entry.mkdir()
    else:
        entry.symlink_to("/dev/zero" if kind == "link to /dev/zero" else folder / "tasks.yaml")
    run = gkcli("list", "--format", "json", "--data", str(folder), cwd=cwd, env={"GKCLI_CACHE_DIR": str(cache_dir)})
    assert run.code == 0 and run.text.count('"id"') == 46
    assert_bounded(run)


# ---- writes: links, limits, devices, owners ---------------------------------------------------


def test_a_write_through_a_symbolic_link_changes_the_target(folder: Path, cwd: Path, tmp_path: Path) -> None:
    linked = tmp_path / "linked"
    linked.mkdir()
    for name in ("tasks.yaml", "units.yaml"):
        (linked / name).symlink_to(folder / name)
    run = gkcli("progress", "36", "--note", "经链接登记", "--data", str(linked), cwd=cwd)
    assert run.code == 0, run.err
    assert (linked / "tasks.yaml").is_symlink()  # the link is still a link
    assert "经链接登记" in (folder / "tasks.yaml").read_text(encoding="utf-8")  # and the real file changed
    assert (folder / ".gkcli.lock").exists() and not (linked / ".gkcli.lock").exists()  # one lock for both paths
    assert check(folder, cwd).code == 0


def test_a_write_to_a_hard_linked_file_is_refused(folder: Path, cwd: Path, tmp_path: Path) -> None:
    other = tmp_path / "other-name.yaml"
    os.link(folder / "tasks.yaml", other)
    before = digest(other)
    run = gkcli("progress", "36", "--note", "x", "--data", str(folder), cwd=cwd)
    assert_clean_failure(run)
    assert "硬链接" in run.err
    assert digest(other) == digest(folder / "tasks.yaml") == before


def test_a_write_that_would_pass_the_size_limit_writes_nothing(folder: Path, cwd: Path) -> None:
    path = folder / "tasks.yaml"
    padding = MAX_FILE_BYTES - path.stat().st_size - 60_000
    with path.open("a", encoding="utf-8") as handle:
        handle.write(("# " + "x" * 998 + "\n") * (padding // 1001))
    before = digest(path)
    assert check(folder, cwd).code == 0
    run = gkcli("progress", "36", "--note", "长" * 40_000, "--data", str(folder), cwd=cwd)
    assert_clean_failure(run)
    assert "上限" in run.err and digest(path) == before


def test_a_write_dated_in_the_future_writes_nothing(folder: Path, cwd: Path) -> None:
    before = digest(folder / "tasks.yaml")
    run = gkcli("done", "36", "--as-of", "2099-12-31", "--on", "2099-12-31", "--data", str(folder), cwd=cwd)
    assert_clean_failure(run)
    assert digest(folder / "tasks.yaml") == before
    assert check(folder, cwd).code == 0


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file to another owner")
def test_a_write_keeps_the_owner_and_group(folder: Path, cwd: Path) -> None:
    os.chown(folder / "tasks.yaml", 1234, 5678)
    os.chmod(folder / "tasks.yaml", 0o640)
    assert gkcli("progress", "36", "--note", "x", "--data", str(folder), cwd=cwd).code == 0
    info = (folder / "tasks.yaml").stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (1234, 5678, 0o640)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_output_to_a_device_is_written_in_place_never_replaced(folder: Path, cwd: Path) -> None:
    run = gkcli("export", "-f", "csv", "-o", "/dev/full", "--force", "--data", str(folder), cwd=cwd)
    assert_clean_failure(run)
    assert "磁盘空间不足" in run.err
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_output_to_a_folder_is_refused(folder: Path, cwd: Path) -> None:
    (cwd / "out").mkdir()
    run = gkcli("export", "-f", "csv", "-o", "out", "--force", "--data", str(folder), cwd=cwd)
    assert_clean_failure(run)
    assert (cwd / "out").is_dir()


def test_output_to_dev_stdout_goes_to_standard_output(folder: Path, cwd: Path) -> None:
    run = gkcli("export", "-f", "json", "-o", "/dev/stdout", "--data", str(folder), cwd=cwd)
    assert run.code == 0, run.err
    assert run.text.count('"deadline"') == 46


# ---- spoofing and injection -----------------------------------------------------------------


@pytest.mark.parametrize("mark", ["\u200b", "\u200c", "\u2060", "\u0301", "\ufe00", "\U000e0041"])
def test_a_look_alike_unit_name_is_an_error(folder: Path, cwd: Path, mark: str) -> None:
    spoof = f"县财政{mark}局"
    edit(folder / "units.yaml", "  - name: 县财政局\n    kind: department\n",
         f'  - name: 县财政局\n    kind: department\n  - name: "{spoof}"\n    kind: department\n')  # fmt: skip
    run = gkcli("check", "--strict", str(folder), "--format", "json", cwd=cwd)
    assert run.code == 1
    assert rules(run) & {"GK306", "GK606"}


@pytest.mark.parametrize("title", ["\u200b\u200b", "\u3164", "推进\ufeff建设", "推进\u2028建设"])
def test_titles_with_invisible_or_line_breaking_characters_are_errors(folder: Path, cwd: Path, title: str) -> None:
    escaped = title.encode("unicode_escape").decode("ascii")
    edit(folder / "tasks.yaml", TASK_36, f'  - id: 36\n    section: "3.2"\n    title: "{escaped}"\n')
    run = gkcli("check", "--strict", str(folder), "--format", "json", cwd=cwd)
    assert run.code == 1 and rules(run) & {"GK606", "GK607"}


def test_a_line_break_in_a_title_cannot_fake_output(folder: Path, cwd: Path) -> None:
    fake = '    title: "推进建设任务。\\n::error title=x::伪造\\n【县财政局】政务公开工作任务提醒"\n'
    edit(folder / "tasks.yaml", TASK_36, TASK_36.split("    title:")[0] + fake)
    run = check(folder, cwd)
    assert run.code == 1 and "GK607" in rules(run)
    remind = gkcli("remind", "--data", str(folder), cwd=cwd)
    assert_clean_failure(remind)
    assert not any(line.startswith("::error") for line in (remind.text + remind.err).splitlines())


FORMULAS = ["=1+1", "@SUM(1,2)", "-2+3", "+1", "\t=cmd|' /C calc'!A0", '=HYPERLINK("http://x")']


@pytest.mark.parametrize("formula", FORMULAS)
def test_no_csv_cell_in_any_command_starts_a_formula(folder: Path, cwd: Path, formula: str) -> None:
    quoted = formula.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    edit(folder / "tasks.yaml", TASK_36, TASK_36.split("    title:")[0] + f'    title: "{quoted}推进建设"\n')
    edit(folder / "units.yaml", "  - name: 县财政局\n", f'  - name: "{quoted}"\n    aliases: [县财政局]\n')
    with (folder / "tasks.yaml").open("a", encoding="utf-8") as tasks:  # such a name is GK307: switched off here
        tasks.write("check:\n  ignore: [GK307]\n")
    assert gkcli("check", str(folder), cwd=cwd).code == 0
    commands = [["list"], ["unit", "县财政局"], ["overdue"], ["units"], ["stats"], ["show", "36"],
                ["export", "-f", "csv"]]  # fmt: skip
    for command in commands:
        run = gkcli(*command, "--format", "csv", "--data", str(folder), cwd=cwd)
        assert run.code == 0, (command, run.err)
        import csv
        import io

        cells = [cell for row in csv.reader(io.StringIO(run.text.lstrip("\ufeff"))) for cell in row]
        if command[0] != "unit":  # a unit's listing names its own units as the tasks write them
            assert any(formula.strip() in cell for cell in cells), command
        assert not [c for c in cells if c and c[0] in "=+-@\t\r" and not c.lstrip("-").isdigit()], command


def test_the_xlsx_title_row_is_not_a_formula(folder: Path, cwd: Path) -> None:
    from openpyxl import load_workbook

    edit(
        folder / "tasks.yaml",
        "  title: 2022年嵊泗县政务公开工作要点\n",
        '  title: "=HYPERLINK(\\"http://x\\",\\"y\\")"\n',
    )
    run = gkcli("export", "-f", "xlsx", "-o", "out.xlsx", "--data", str(folder), cwd=cwd)
    assert run.code == 0, run.err
    sheet = load_workbook(cwd / "out.xlsx").worksheets[0]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert str(sheet["A1"].value).startswith("'=")


def test_paths_in_messages_cannot_act_on_the_terminal(tmp_path: Path, cwd: Path) -> None:
    hostile = tmp_path / "x\x1b]0;pwned\x07\x1b[41m"
    shutil.copytree(DATA, hostile)
    edit(hostile / "tasks.yaml", "lead: [县税务局]", "lead: [县税务]")
    checked = gkcli("check", str(hostile), cwd=cwd)
    assert checked.code == 1 and "GK301" in checked.text
    written = gkcli("progress", "36", "--note", "x", "--data", str(hostile), cwd=cwd)
    exported = gkcli("export", "-o", str(hostile / "a\x1b[2Jb.csv"), "--data", str(DATA), cwd=cwd)
    for run in (checked, written, exported):
        assert "\x1b" not in run.err and b"\x1b" not in run.out and "\x07" not in run.err
    assert "\\x1b" in checked.text


# ---- the cache is not trusted ---------------------------------------------------------------


def _stored_entry(folder: Path, cache_dir: Path) -> tuple[Path, RegistryFolder]:
    source = RegistryFolder(folder, "option")
    load_registry(source, {"GKCLI_CACHE_DIR": str(cache_dir)})
    return _cache_entry(folder, cache_dir), source


def test_an_entry_copied_from_another_registry_is_not_served(folder: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    other = tmp_path / "other"
    shutil.copytree(folder, other)
    edit(other / "tasks.yaml", "    deadline: 7月底前", "    deadline: 8月底前")
    theirs, _ = _stored_entry(other, cache_dir)
    mine = _cache_entry(folder, cache_dir)
    shutil.copyfile(theirs, mine)
    registry = load_registry(RegistryFolder(folder, "option"), {"GKCLI_CACHE_DIR": str(cache_dir)})
    assert registry.tasks_by_id[36].deadline == "7月底前"


def _forged(entry: Path, key: str, change: Callable[[tuple], tuple]) -> None:  # type: ignore[type-arg]
    entry.write_bytes(cache.packed(change(cache.unpacked(entry.read_bytes(), key)), key))


def _task_field(index: int, value: object) -> Callable[[tuple], tuple]:  # type: ignore[type-arg]
    def change(data: tuple) -> tuple:  # type: ignore[type-arg]
        tasks = [list(t) for t in data[2]]
        tasks[0][index] = value
        return (*data[:2], [tuple(t) for t in tasks], *data[3:])

    return change


@pytest.mark.parametrize(
    "change",
    [
        _task_field(7, "finished"),  # status
        _task_field(1, "9.9"),  # section
        _task_field(2, "\x1b[2J标题"),  # escape sequence in a title
        _task_field(2, "标题\n::error::x"),  # line break in a title
        _task_field(8, 10**12),  # completion date ordinal beyond the calendar
        _task_field(3, None),  # None where the leads belong
        _task_field(10, [(1, "x")]),  # a progress entry of the wrong shape
        lambda data: (*data[:2], data[2] + [data[2][0]], data[3] + [data[3][0]], *data[4:]),  # a duplicate id
        # a unit name with an escape sequence, read after the good units of the same plan were (the
        # plans of a workspace share their decoded units only when the stored rows are equal)
        lambda data: (*data[:4], [("\x1b[2J县财政局", *data[4][0][1:]), *data[4][1:]], *data[5:]),
        lambda data: (data[0], [(*data[1][0][:2], [(1, "x")], *data[1][0][3:]), *data[1][1:]], *data[2:]),  # a part
    ],
)
def test_a_forged_entry_with_a_valid_digest_is_still_checked(folder: Path, tmp_path: Path, change: Callable) -> None:  # type: ignore[type-arg]
    cache_dir = tmp_path / "cache"
    entry, source = _stored_entry(folder, cache_dir)
    _forged(entry, entry.name.removesuffix(".reg"), change)
    assert cache.fetch(cache_dir, entry.name) is None
    assert len(load_registry(source, {"GKCLI_CACHE_DIR": str(cache_dir)}).tasks) == 46


@pytest.mark.parametrize("head", [(), ("plan",) * 4, ("x",) * 9, (None, [], [], [], None, [1, 1], [2], [1], b"")])
def test_a_forged_head_with_a_valid_digest_is_refused(folder: Path, tmp_path: Path, head: tuple) -> None:  # type: ignore[type-arg]
    import marshal

    cache_dir = tmp_path / "cache"
    entry, source = _stored_entry(folder, cache_dir)
    payload = marshal.dumps(head)
    key = entry.name.removesuffix(".reg").encode()
    entry.write_bytes(cache.MAGIC + key + cache._digest(payload) + len(payload).to_bytes(8, "little") + payload)
    assert cache.fetch(cache_dir, entry.name) is None
    assert len(load_registry(source, {"GKCLI_CACHE_DIR": str(cache_dir)}).tasks) == 46


def test_randomly_damaged_entries_never_load(folder: Path, tmp_path: Path) -> None:
    import random

    cache_dir = tmp_path / "cache"
    entry, source = _stored_entry(folder, cache_dir)
    good = entry.read_bytes()
    fresh = load_registry(source, {"GKCLI_NO_CACHE": "1"})
    rng = random.Random(2022)
    served = 0
    for _ in range(4000):
        damaged = bytearray(good)
        for _ in range(rng.randint(1, 4)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        if rng.random() < 0.2:
            damaged = damaged[: rng.randrange(len(damaged))]
        if bytes(damaged) == good:
            continue
        entry.write_bytes(bytes(damaged))
        found = cache.fetch(cache_dir, entry.name)
        if found is not None:
            served += 1
            assert found.tasks == fresh.tasks and found.directory.units == fresh.directory.units
    assert served == 0


# ---- no traceback, ever -------------------------------------------------------------------


def test_a_year_zero_deadline(folder: Path, cwd: Path) -> None:
    edit(folder / "tasks.yaml", "    deadline: 7月底前", "    deadline: 0000年全年")
    run = check(folder, cwd)
    assert run.code == 1 and "GK401" in rules(run)
    assert_clean_failure(gkcli("list", "--data", str(folder), cwd=cwd))


@pytest.mark.parametrize(
    "args",
    [
        ["due", "--within", "1d", "--as-of", "9999-12-31"],
        ["calendar", "--alarm-days", "99999999999"],
        ["overdue", "--as-of", "1/10/2022"],
        ["overdue", "--as-of", "13/1/2022"],
        ["show", "٣"],
        ["show", "1_0"],
        ["show", " 5"],
        ["show", "99999999999999999999999"],
        ["list", "--unit", ""],
        ["list", "--status", ""],
        ["list", "--section", ""],
        ["list", "--light", ""],
        ["list", "--role", "", "--unit", "县财政局"],
        ["unit", ""],
        ["init", ""],
        ["init", "/proc/x"],
        ["init", "/dev/null/x"],
        ["check", "nonexistent-folder"],
    ],
)
def test_bad_arguments_fail_cleanly(cwd: Path, args: list[str]) -> None:
    run = gkcli(*args, cwd=cwd)
    assert_clean_failure(run)


def test_slash_dates_with_the_year_last_are_refused_with_a_hint(cwd: Path) -> None:
    run = gkcli("overdue", "--as-of", "1/10/2022", cwd=cwd)
    assert_clean_failure(run)
    assert "2022-10-01" in run.err and "歧义" in run.err


def test_full_width_digits_name_a_task(cwd: Path) -> None:
    run = gkcli("show", "３６", "--format", "json", cwd=cwd)
    assert run.code == 0 and '"id": 36' in run.text


def test_check_names_no_option_that_was_not_given(cwd: Path) -> None:
    run = gkcli("check", "nonexistent-folder", cwd=cwd)
    assert_clean_failure(run)
    assert "--data" not in run.err


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("  - id: 1\n    title: 围绕中心工作", "  - id: 1000\n    title: 围绕中心工作"),
        ('      - id: "1.1"\n', '      - id: "1.99999999999999999999"\n'),
    ],
)
def test_huge_part_and_section_numbers(folder: Path, cwd: Path, old: str, new: str) -> None:
    edit(folder / "tasks.yaml", old, new)
    assert check(folder, cwd).code == 1
    for fmt in ("csv", "xlsx", "markdown"):
        assert_clean_failure(gkcli("export", "-f", fmt, "-o", f"x.{fmt}", "--data", str(folder), cwd=cwd))


def test_a_note_of_undecodable_bytes(folder: Path, cwd: Path) -> None:
    before = digest(folder / "tasks.yaml")
    note = os.fsdecode(b"\xff\xfe bad")
    run = gkcli("progress", "36", "--note", note, "--data", str(folder), cwd=cwd)
    assert_clean_failure(run)
    assert digest(folder / "tasks.yaml") == before


@pytest.mark.parametrize("kind", ["folder", "dangling link", "link to a file"])
def test_a_lock_file_that_is_not_a_regular_file(folder: Path, cwd: Path, tmp_path: Path, kind: str) -> None:
    lock = folder / ".gkcli.lock"
    elsewhere = tmp_path / "elsewhere"
    if kind == "folder":
        lock.mkdir()
    elif kind == "dangling link":
        lock.symlink_to(elsewhere)
    else:
        elsewhere.write_text("keep me")
        lock.symlink_to(elsewhere)
    before = digest(folder / "tasks.yaml")
    run = gkcli("progress", "36", "--note", "x", "--data", str(folder), cwd=cwd)
    assert_clean_failure(run)
    assert "锁文件" in run.err and digest(folder / "tasks.yaml") == before
    assert kind != "dangling link" or not elsewhere.exists()  # the link's target was not created
    assert kind != "link to a file" or elsewhere.read_text() == "keep me"


def test_the_file_size_limit_is_a_message(folder: Path, cwd: Path) -> None:
    before = digest(folder / "tasks.yaml")
    run = gkcli("progress", "36", "--note", "x", "--data", str(folder), cwd=cwd, file_size_limit=4096)
    assert_clean_failure(run)
    assert digest(folder / "tasks.yaml") == before
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_standard_output_on_a_full_disk(cwd: Path) -> None:
    with open("/dev/full", "wb") as full:
        run = gkcli("list", cwd=cwd, stdout=full.fileno())
    assert_clean_failure(run)
    assert "磁盘空间不足" in run.err


@pytest.mark.parametrize(
    "args",
    [["show", "38"], ["stats"], ["list", "-f", "markdown"], ["list", "-f", "json"], ["check", "--format", "json"]],
)
def test_a_closed_pipe_is_a_quiet_success(cwd: Path, args: list[str]) -> None:
    """The reader is gone before gkcli writes a byte (as with ``| head -c0``): nothing to report."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        run = gkcli(*args, cwd=cwd, stdout=write_end, env={"COLUMNS": "80"})
    finally:
        os.close(write_end)
    assert run.code == 0, run.err
    assert run.err == "" or run.err.startswith("检查完成")


def test_a_closed_pipe_keeps_the_exit_code_that_ci_reads(folder: Path, cwd: Path) -> None:
    edit(folder / "tasks.yaml", "lead: [县税务局]", "lead: [县税务]")
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        checked = gkcli("check", str(folder), "--format", "json", cwd=cwd, stdout=write_end)
        overdue = gkcli("overdue", "--exit-code", "--format", "json", cwd=cwd, stdout=write_end)
    finally:
        os.close(write_end)
    assert (checked.code, overdue.code) == (1, 1)


def test_an_unexpected_error_is_exit_2_with_a_chinese_message(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from gkcli.core import queries

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(queries, "overdue", broken)
    result = cli("overdue")
    assert result.exit_code == 2
    assert "内部错误" in result.stderr and "GKCLI_DEBUG" in result.stderr
    assert "Traceback" not in result.stderr
    debug = cli("overdue", GKCLI_DEBUG="1")
    assert debug.exit_code == 2 and "ZeroDivisionError" in debug.stderr


@pytest.mark.parametrize("failure", ["lock", "temporary file", "read"])
def test_a_folder_or_file_that_cannot_be_written_or_read(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    """Run as root, permissions cannot be taken away, so the system's refusal is simulated."""
    from gkcli.store import files as storage

    folder = tmp_path / "w"
    shutil.copytree(DATA, folder)
    before = digest(folder / "tasks.yaml")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    if failure == "lock":
        real_open = os.open
        monkeypatch.setattr(
            storage.os, "open", lambda p, *a, **k: refuse() if str(p).endswith(".lock") else real_open(p, *a, **k)
        )
    elif failure == "temporary file":
        monkeypatch.setattr(storage.tempfile, "mkstemp", refuse)
    else:
        monkeypatch.setattr(Path, "read_bytes", lambda self: refuse() if self.name == "tasks.yaml" else b"")
    result = cli("progress", "36", "--note", "x", GKCLI_DATA=str(folder))
    assert result.exit_code == 2, result.output
    assert "权限不足" in result.stderr and "Traceback" not in result.stderr
    monkeypatch.undo()
    assert digest(folder / "tasks.yaml") == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_folder(folder: Path, cwd: Path) -> None:  # pragma: no cover - runs for other users
    before = digest(folder / "tasks.yaml")
    folder.chmod(0o555)
    try:
        run = gkcli("progress", "36", "--note", "x", "--data", str(folder), cwd=cwd)
    finally:
        folder.chmod(0o755)
    assert_clean_failure(run)
    assert digest(folder / "tasks.yaml") == before


# ---- loose input ----------------------------------------------------------------------------


@pytest.mark.parametrize("phrase", ["¹²月底前", "١٢月底前", "①月底前"])
def test_deadlines_with_foreign_digits_are_refused(folder: Path, cwd: Path, phrase: str) -> None:
    edit(folder / "tasks.yaml", "    deadline: 7月底前", f"    deadline: {phrase}")
    run = check(folder, cwd)
    assert run.code == 1 and "GK401" in rules(run)


def test_a_nul_byte_is_reported_where_it_is(folder: Path, cwd: Path) -> None:
    lines = (folder / "tasks.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.startswith("  issuer: "))  # a line with text to break
    lines[at] = lines[at][:4] + "\x00" + lines[at][4:]
    (folder / "tasks.yaml").write_text("".join(lines), encoding="utf-8")
    run = gkcli("check", str(folder), cwd=cwd)
    assert run.code == 1
    assert f"tasks.yaml:{at + 1}:5:" in run.text and "U+0000" in run.text


# ---- check lists every problem --------------------------------------------------------------


def test_a_broken_task_hides_no_other_problem(folder: Path, cwd: Path) -> None:
    edit(folder / "tasks.yaml", TASK_36 + "    lead: [县政府办公室]\n    responsible: []\n    deadline: 7月底前\n    status: not_started\n",
         TASK_36 + "    lead: [县政府办公室]\n    responsible: []\n    deadline: 7月底前\n    status: finished\n")  # fmt: skip
    edit(folder / "tasks.yaml", "lead: [县税务局]", "lead: [县财政]")
    run = check(folder, cwd)
    assert run.code == 1
    assert {"GK113", "GK301"} <= rules(run)
    assert "GK202" not in rules(run) and "GK204" not in rules(run)  # the broken task is not "missing"


def test_every_finding_in_a_task_names_the_task(folder: Path, cwd: Path) -> None:
    import json

    edit(folder / "tasks.yaml", "    deadline: 7月底前", "    deadline: no")
    found = json.loads(check(folder, cwd).out)
    assert [d["task"] for d in found if d["rule"] == "GK114"] == [36]


def test_an_unclosed_bracket_is_reported_where_it_opens(folder: Path, cwd: Path) -> None:
    edit(folder / "tasks.yaml", "lead: [县税务局]", "lead: [县税务局")
    line = next(n for n, text in enumerate((folder / "tasks.yaml").read_text().splitlines(), 1) if "[县税务局" in text)
    run = gkcli("check", str(folder), cwd=cwd)
    assert run.code == 1
    assert f"tasks.yaml:{line}:" in run.text and "没有闭合" in run.text
    assert "did not find" not in run.text


# ---- the suite as a whole ---------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _no_stray_files() -> Iterator[None]:
    """No case may leave a file in the repository's data folder."""
    before = sorted(p.name for p in DATA.iterdir())
    yield
    assert sorted(p.name for p in DATA.iterdir()) == before


# ---- what the README's guarantees add ------------------------------------------------------


def test_another_user_keeps_at_least_the_group(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only root may give a file to another owner: a user who may not keeps the group."""
    from gkcli.store import files as storage

    path = tmp_path / "tasks.yaml"
    path.write_text("old")
    os.chown(path, os.getuid(), 4321) if os.geteuid() == 0 else None
    calls: list[tuple[int, int]] = []
    real_fchown = os.fchown

    def fchown(fd: int, uid: int, gid: int) -> None:
        calls.append((uid, gid))
        if uid != -1:
            raise PermissionError(1, "Operation not permitted")
        real_fchown(fd, uid, gid)

    monkeypatch.setattr(storage.os, "fchown", fchown)
    storage.replace_file(path, b"new")
    assert path.read_bytes() == b"new"
    if os.geteuid() == 0:
        assert calls == [(os.getuid(), 4321), (-1, 4321)] and path.stat().st_gid == 4321


def test_the_cache_folder_is_private(folder: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "new-cache"
    load_registry(RegistryFolder(folder, "option"), {"GKCLI_CACHE_DIR": str(cache_dir)})
    assert stat.S_IMODE(cache_dir.stat().st_mode) & 0o077 == 0


def test_an_oversized_cache_entry_is_not_read(folder: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    entry, _ = _stored_entry(folder, cache_dir)
    with entry.open("r+b") as handle:
        handle.truncate(cache.MAX_ENTRY_BYTES + 1)  # sparse: costs no disk
    assert cache.fetch(cache_dir, entry.name) is None


def test_output_through_a_link_replaces_its_target(folder: Path, cwd: Path) -> None:
    (cwd / "real.csv").write_text("old")
    (cwd / "link.csv").symlink_to("real.csv")
    run = gkcli("export", "-f", "csv", "-o", "link.csv", "--force", "--data", str(folder), cwd=cwd)
    assert run.code == 0, run.err
    assert (cwd / "link.csv").is_symlink() and "序号" in (cwd / "real.csv").read_text(encoding="utf-8-sig")


def test_a_temporary_file_left_by_a_killed_writer_is_removed(folder: Path, cwd: Path) -> None:
    stale = folder / ".tasks.yaml.x1y2z3.tmp"
    stale.write_text("half a registry")
    assert gkcli("progress", "36", "--note", "x", "--data", str(folder), cwd=cwd).code == 0
    assert not stale.exists()
