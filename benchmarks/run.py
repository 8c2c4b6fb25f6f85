"""Time whole gkcli processes at 46 to 100,000 tasks, against the cost of importing gkcli's
dependencies (the floor) and, where Taskwarrior is installed, the same work in Taskwarrior.

    python benchmarks/run.py [--runs 5] [--sizes 46,2000,20000,100000]

Run it from an installed gkcli (`pip install .`). Every time is the wall-clock time of a whole
process, measured several times; the minimum and the median are reported. The machines are
shared and noisy, so only figures from one run are compared, as ratios: to the floor's minimum
(`python -c "import typer, pydantic, yaml, rich.table, dateutil.parser"`) and to Taskwarrior's
minimum at 20,000 tasks. At the end every target is printed with PASS or FAIL.

What is timed, at each size:
- reads, with the registry cache warm (as after the first use): overdue, unit, list (JSON),
  check (always reads the YAML), stats (JSON), report (HTML), and `overdue -f table` at 80
  columns to a file (a long table is cut at 100 rows with a note);
- the first `overdue` after a hand edit (the cache has never seen the bytes);
- writes, each on a different task: `done`, `progress --note`, `reopen`, and `returns import`
  of one filled form (100 task rows, as a county department's form has, 10 of them filled),
  each followed by the first read after it (`overdue`, timed apart);
- at the largest size, the peak memory (ru_maxrss) of a cold read and of a write.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_registry import make  # noqa: E402

FLOOR = [sys.executable, "-c", "import typer, pydantic, yaml, rich.table, dateutil.parser"]
READS = {
    "overdue": ["overdue", "--format", "json"],
    "unit": ["unit", "县财政局", "--format", "json"],
    "list": ["list", "--format", "json"],
    "check": ["check"],
    "stats": ["stats", "--format", "json"],  # by unit: every unit's share of every task it works on
    "report": ["report", "--format", "html"],  # the bulletin: totals, units, sections, red and yellow tasks
    "table": ["overdue", "--format", "table"],  # at 80 columns, to a file
}
QUERIES = ("overdue", "unit", "list", "stats", "report", "table")  # the read commands (check reads the YAML)
WRITES = ("done", "progress", "reopen", "returns")
AS_OF = "2022-12-31"  # the end of the plan year: every generated date lies before it
FORM_ROWS, FILLED_ROWS = 100, 10
Times = list[float]


def run(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.decode()}")
    return elapsed


def timed(command: list[str], env: dict[str, str], runs: int) -> Times:
    return [run(command, env) for _ in range(runs)]


def peak_mb(command: list[str], env: dict[str, str]) -> float:
    """The peak resident memory of one run of ``command``, in MB."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode})")
    return usage.ru_maxrss / 1024


def gkcli(data: Path, args: list[str]) -> list[str]:
    return [sys.executable, "-m", "gkcli", "--data", str(data), *args]


def ids_with(data: Path, env: dict[str, str], status: str) -> list[int]:
    out = subprocess.run(gkcli(data, ["list", "--status", status, "-f", "json"]), env=env, capture_output=True)
    return [task["id"] for task in json.loads(out.stdout)]


def returns_forms(data: Path, env: dict[str, str], folder: Path, count: int) -> list[Path]:
    """``count`` filled forms of 县财政局, each with its first FORM_ROWS task rows and FILLED_ROWS
    of them filled (different tasks in each form)."""
    import openpyxl

    exported = folder / "form.xlsx"
    subprocess.run(gkcli(data, ["returns", "export", "--unit", "县财政局", "-o", str(exported)]), env=env, check=True,
                   capture_output=True)  # fmt: skip
    forms = []
    for n in range(count):
        book = openpyxl.load_workbook(exported)
        sheet = book["填报表"]
        first = 4  # the rows above are the title, the instructions and the header
        if sheet.max_row >= first + FORM_ROWS:
            sheet.delete_rows(first + FORM_ROWS, sheet.max_row - first - FORM_ROWS + 1)
        for offset in range(FILLED_ROWS):
            sheet.cell(first + n * FILLED_ROWS + offset, 8).value = f"基准测试填报 {n}"
        forms.append(folder / f"form-{n}.xlsx")
        book.save(forms[-1])
    return forms


def write_commands(data: Path, env: dict[str, str], forms: list[Path], runs: int) -> dict[str, list[list[str]]]:
    """For each kind of write, ``runs`` commands, each on a task of its own (the forms name the
    first tasks of 县财政局; the other writes take the last tasks not started)."""
    fresh = ids_with(data, env, "not_started")
    done_ids, progress_ids = fresh[-runs:], fresh[-2 * runs : -runs]
    return {
        "done": [gkcli(data, ["done", str(i), "--on", "2022-12-01"]) for i in done_ids],
        "progress": [gkcli(data, ["progress", str(i), "--note", "基准测试进展", "--on", "2022-12-02"]) for i in progress_ids],
        "reopen": [gkcli(data, ["reopen", str(i), "--on", "2022-12-03"]) for i in done_ids],
        "returns": [
            gkcli(data, ["returns", "import", str(form), "--on", "2022-12-04"])
            for form in forms
        ],
    }  # fmt: skip


def taskwarrior(data: Path, folder: Path, runs: int) -> dict[str, Times] | None:
    """The same tasks in a fresh Taskwarrior database: `task overdue`, `task ID done`, `task ID annotate`."""
    task = shutil.which("task")
    if task is None:
        return None
    sys.path.insert(0, str(HERE.parent / "src"))
    from gkcli.store.load import load_registry
    from gkcli.store.locate import RegistryFolder

    registry = load_registry(RegistryFolder(data, "option"))
    records = []
    for t in registry.tasks:
        record: dict[str, object] = {"description": t.title, "entry": "20220105T000000Z", "project": f"s{t.section}"}
        due = registry.due(t)
        if due is not None:
            record["due"] = due.strftime("%Y%m%dT000000Z")
        if t.status == "done" and t.done_on:
            record |= {"status": "completed", "end": t.done_on.strftime("%Y%m%dT000000Z")}
        else:
            record["status"] = "pending"
        records.append(record)
    folder.mkdir(parents=True, exist_ok=True)
    taskrc = folder / "taskrc"
    taskrc.write_text(f"data.location={folder / 'task'}\nconfirmation=no\nverbose=nothing\nhooks=off\n")
    env = {**os.environ, "TASKRC": str(taskrc), "TASKDATA": str(folder / "task")}
    (folder / "task").mkdir()
    import_file = folder / "tasks.json"
    import_file.write_text(json.dumps(records, ensure_ascii=False))
    subprocess.run([task, "import", str(import_file)], env=env, check=True, capture_output=True)
    overdue = [task, "rc.date.iso=yes", "overdue"]
    run(overdue, env)  # warm up
    pending = len([r for r in records if r["status"] == "pending"])
    return {
        "overdue": timed(overdue, env, runs),
        "done": [run([task, str(pending - n), "done"], env) for n in range(runs)],  # working-set ids
        "annotate": [run([task, str(n + 1), "annotate", "基准测试进展"], env) for n in range(runs)],
    }


def hand_edited_reads(data: Path, env: dict[str, str], runs: int) -> Times:
    """`overdue` right after tasks.yaml was changed by hand (a comment added): a registry never cached."""
    path = data / "tasks.yaml"
    times = []
    for n in range(runs):
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"# edited by hand {n}\n")
        times.append(run(gkcli(data, READS["overdue"]), env))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="46,2000,20000,100000")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    runs = args.runs

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {**os.environ, "GKCLI_TODAY": AS_OF, "GKCLI_CACHE_DIR": str(folder / "cache"), "COLUMNS": "80"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # let Python keep compiled modules, as an installed tool does
        registries = {}
        for n in sizes:
            registries[n] = folder / f"r{n}"
            if n == 46:
                shutil.copytree(HERE.parent / "data", registries[n])
            else:
                make(n, registries[n])

        print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
        print(f"date: {dt.date.today().isoformat()}, runs per figure: {runs}")
        floor = min(timed(FLOOR, env, runs))
        print(f"floor (import typer, pydantic, yaml, rich.table, dateutil.parser): {floor * 1000:.0f} ms")

        best: dict[tuple[str, int], float] = {}

        def report(name: str, n: int, times: Times, note: str = "") -> None:
            best[(name, n)] = min(times)
            print(f"{name:<22}{n:>8}{min(times) * 1000:>10.0f}{statistics.median(times) * 1000:>11.0f}"
                  f"{min(times) / floor:>8.2f}  {note}")  # fmt: skip

        print()
        print(f"{'command':<22}{'tasks':>8}{'min ms':>10}{'median ms':>11}{'floor x':>8}")
        for name, command in READS.items():
            for n in sizes:
                full = gkcli(registries[n], command)
                run(full, env)  # warm the cache
                report(name, n, timed(full, env, runs))
        for n in sizes:
            report("after hand edit", n, hand_edited_reads(registries[n], env, max(2, runs // 2)))
        written = [n for n in sizes if n >= 2000]
        # task N is the same in every generated registry (one seed), so one set of forms serves all
        forms = returns_forms(registries[written[0]], env, folder, runs) if written else []
        for n in written:
            commands = write_commands(registries[n], env, forms, runs)
            for name in WRITES:
                times, after = [], []
                for command in commands[name]:
                    times.append(run(command, env))
                    after.append(run(gkcli(registries[n], READS["overdue"]), env))
                report(name, n, times)
                report(f"  read after {name}", n, after)
        big = sizes[-1]
        cold_env = {**env, "GKCLI_CACHE_DIR": str(folder / "cold-cache")}
        memory = {
            "cold read": peak_mb(gkcli(registries[big], READS["overdue"]), cold_env),
            "write": peak_mb(
                gkcli(registries[big], ["progress", "1", "--note", "基准测试", "--on", "2022-12-05"]), env
            ),
        }
        print()
        for what, mb in memory.items():
            print(f"peak memory, {what} of {big} tasks: {mb:.0f} MB")

        tw_size = 20000 if 20000 in sizes else None
        tw = taskwarrior(registries[tw_size], folder / "tw", runs) if tw_size else None
        print()
        if tw is None:
            print("Taskwarrior: not timed (install it, apt-get install taskwarrior, and include 20000 in --sizes)")
        else:
            for name, times in tw.items():
                print(f"Taskwarrior `task {'ID ' if name != 'overdue' else ''}{name}`, {tw_size} tasks: "
                      f"min {min(times) * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms, "
                      f"floor x {min(times) / floor:.2f}")  # fmt: skip

        print()
        checks: list[tuple[str, bool | None]] = []
        add: Callable[[str, bool | None], None] = lambda label, ok: checks.append((label, ok))  # noqa: E731
        if 46 in sizes:
            for name in QUERIES:
                ratio = best[(name, 46)] / floor
                add(f"{name} at 46 tasks within 0.8x the floor ({ratio:.2f})", ratio <= 0.8)
        if 20000 in sizes:
            ratio = best[("check", 20000)] / floor
            add(f"check at 20000 within 25x the floor ({ratio:.1f})", ratio <= 25)
            against = {"done": "done", "progress": "annotate", "reopen": "done", "returns": "done"}
            for name in WRITES:
                mine = best[(name, 20000)]
                ratio = mine / min(tw[against[name]]) if tw else None
                shown = f"{ratio:.2f}" if ratio is not None else "no Taskwarrior"
                add(
                    f"{name} at 20000 within 2x task ID {against[name]} ({shown})",
                    None if ratio is None else ratio <= 2,
                )
            first = max(best[(f"  read after {name}", 20000)] for name in WRITES)
            # the read targets (list prints all 20,000 tasks, more than Taskwarrior's report)
            reads = {"first read after a write": first} | {n: best[(n, 20000)] for n in QUERIES if n != "list"}
            for name, mine in reads.items():
                ratio = mine / min(tw["overdue"]) if tw else None
                shown = f"{ratio:.2f}" if ratio is not None else "no Taskwarrior"
                add(f"{name} at 20000 within 1x task overdue ({shown})", None if ratio is None else ratio <= 1)
        if 2000 in sizes and 20000 in sizes and 100000 in sizes:
            for name in READS:
                low = (best[(name, 20000)] - best[(name, 2000)]) / 18
                high = (best[(name, 100000)] - best[(name, 20000)]) / 80
                add(f"{name}: ms per 1000 tasks {low * 1000:.1f} (2,000-20,000) vs {high * 1000:.1f} "
                    f"(20,000-100,000), at most 1.5x", high <= 1.5 * max(low, 0.001))  # fmt: skip
        if big >= 100000:
            add(f"cold read of {big} tasks peaks within 600 MB ({memory['cold read']:.0f})", memory["cold read"] <= 600)
        for label, ok in checks:
            print(f"{'SKIP' if ok is None else 'PASS' if ok else 'FAIL'}  {label}")


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
