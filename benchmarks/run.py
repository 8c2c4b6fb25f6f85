"""Time whole gkcli processes at 46, 2,000 and 20,000 tasks, against the cost of importing
gkcli's dependencies (the floor) and, where Taskwarrior is installed, `task overdue`.

    python benchmarks/run.py [--runs 7] [--sizes 46,2000,20000]

Run it from an installed gkcli (`pip install .`). Every time is a wall-clock time of a
whole process; each is measured several times and the minimum and median reported.
Ratios are to the floor's minimum, measured in the same run: the machines are shared
and noisy, so only ratios from one run are compared. The registry cache is warmed by
one untimed run of each command (as it is after the first use); `check` always reads
the source files, and the first, cold run of `overdue` is reported separately.
"""

from __future__ import annotations

import argparse
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
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_registry import make  # noqa: E402

FLOOR = [sys.executable, "-c", "import typer, pydantic, yaml, rich.table, dateutil.parser"]
COMMANDS = {
    "overdue": ["overdue", "--format", "json"],
    "unit": ["unit", "县财政局", "--format", "json"],
    "list": ["list", "--format", "json"],
    "check": ["check"],
    "stats": ["stats", "--format", "json"],  # by unit: every unit's share of every task it works on
    "report": ["report", "--format", "html"],  # the bulletin: totals, units, sections, red and yellow tasks
}
AS_OF = "2022-12-31"  # the end of the plan year: every generated date lies before it


def timed(command: list[str], env: dict[str, str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        times.append(time.perf_counter() - start)
        if result.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed: {result.stderr.decode()}")
    return times


def gkcli(data: Path, args: list[str]) -> list[str]:
    return [sys.executable, "-m", "gkcli", "--data", str(data), *args]


def taskwarrior_overdue(data: Path, folder: Path, runs: int) -> list[float] | None:
    """Import the same tasks into a fresh Taskwarrior database and time `task overdue`."""
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
    taskrc = folder / "taskrc"
    taskrc.write_text(f"data.location={folder / 'task'}\nconfirmation=no\nverbose=nothing\nhooks=off\n")
    env = {**os.environ, "TASKRC": str(taskrc), "TASKDATA": str(folder / "task")}
    (folder / "task").mkdir()
    import_file = folder / "tasks.json"
    import_file.write_text(json.dumps(records, ensure_ascii=False))
    subprocess.run([task, "import", str(import_file)], env=env, check=True, capture_output=True)
    command = [task, "rc.date.iso=yes", "overdue"]
    timed(command, env, 1)  # warm up
    return timed(command, env, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="46,2000,20000")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {**os.environ, "GKCLI_TODAY": AS_OF, "GKCLI_CACHE_DIR": str(folder / "cache"), "COLUMNS": "120"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # let Python keep compiled modules, as an installed tool does
        registries = {}
        for n in sizes:
            registries[n] = folder / f"r{n}"
            if n == 46:
                shutil.copytree(HERE.parent / "data", registries[n])
            else:
                make(n, registries[n])

        print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
        print(f"date: {dt.date.today().isoformat()}, runs per figure: {args.runs}")
        floor = timed(FLOOR, env, args.runs)
        floor_min = min(floor)
        print(f"floor (import typer, pydantic, yaml, rich.table, dateutil.parser): "
              f"min {floor_min * 1000:.0f} ms, median {statistics.median(floor) * 1000:.0f} ms")  # fmt: skip
        print()
        print(f"{'command':<10}{'tasks':>8}{'min ms':>10}{'median ms':>11}{'ratio':>8}{'ms per 1000 tasks':>20}")
        results: dict[tuple[str, int], float] = {}
        for name, command in COMMANDS.items():
            for n in sizes:
                full = gkcli(registries[n], command)
                cold = timed(full, env, 1)[0] if name == "overdue" else None
                times = timed(full, env, args.runs)
                best = min(times)
                results[(name, n)] = best
                base = results.get((name, sizes[0]), best)
                per_1000 = (best - base) / (n - sizes[0]) * 1000 * 1000 if n != sizes[0] else float("nan")
                print(f"{name:<10}{n:>8}{best * 1000:>10.0f}{statistics.median(times) * 1000:>11.0f}"
                      f"{best / floor_min:>8.2f}{per_1000:>20.1f}")  # fmt: skip
                if cold is not None and n == sizes[-1]:
                    print(
                        f"{'':<10}{'':>8}  (first run, before the cache: {cold * 1000:.0f} ms, ratio {cold / floor_min:.2f})"
                    )
        print()
        task = taskwarrior_overdue(registries[sizes[-1]], folder, args.runs) if sizes[-1] >= 2000 else None
        if task is None:
            print("Taskwarrior (task) not found: install it (apt-get install taskwarrior) to compare.")
        else:
            print(f"Taskwarrior `task overdue`, {sizes[-1]} tasks: min {min(task) * 1000:.0f} ms, "
                  f"median {statistics.median(task) * 1000:.0f} ms, ratio {min(task) / floor_min:.2f}")  # fmt: skip
        print()
        big, small = sizes[-1], sizes[0]
        checks = [(f"overdue at {small} tasks within the floor", results[("overdue", small)] / floor_min <= 1.0)]
        if task is not None:
            for name in ("overdue", "unit"):
                checks.append((f"{name} at {big} faster than task overdue", results[(name, big)] < min(task)))
        checks.append((f"check at {big} within 25x the floor", results[("check", big)] / floor_min <= 25))
        if 2000 in sizes and 20000 in sizes:
            for name in COMMANDS:
                growth = results[(name, 20000)] / results[(name, 2000)]
                checks.append((f"{name}: 2,000 to 20,000 tasks grows {growth:.1f}x (at most 11x)", growth <= 11))
        for label, ok in checks:
            print(f"{'PASS' if ok else 'FAIL'}  {label}")


if __name__ == "__main__":
    main()
