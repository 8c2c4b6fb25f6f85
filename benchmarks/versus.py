"""gkcli against Taskwarrior, side by side in one run, with every task of the plan year overdue on
both sides (gkcli asked as of 2023-01-01, the day after the generated plans' year).

    python benchmarks/versus.py                     # 20,000 tasks, 200 plans x 50, 100,000 tasks
    python benchmarks/versus.py --runs 3 --no-big   # without the 100,000-task memory figure

Run it from an installed gkcli (`pip install .`) with Taskwarrior installed (`apt-get install
taskwarrior`). Every figure is the minimum wall time of RUNS whole processes; each ratio is gkcli's
minimum over Taskwarrior's, taken in this run (the machines are shared and noisy). What is timed:

- 20,000 tasks: `overdue`, `unit 县财政局` (JSON), `list -f table` at 80 columns and `stats`
  (JSON) against `task overdue`; the first `overdue` after a hand edit of tasks.yaml against
  `task overdue`; `progress ID --note` and `done ID` against `task ID annotate`;
- a workspace of 200 plans of 50 tasks: `overdue` and `unit 县财政局` over every plan, against
  `task overdue` on 10,000 tasks; `progress` into one plan against `task ID annotate`; the first
  `overdue` after a hand edit of one plan against `task overdue`;
- 100,000 tasks: the peak memory of a cold read (no cache), and its growth from 20,000.
- the floor, in the same run: `python -c "import typer, yaml"` (the interpreter, the command
  line's framework and the YAML library that every write needs) and the import of the engine a
  write loads without the command line, each against `task ID annotate` on 10,000 tasks; and
  `overdue` on one plan holding all 10,000 tasks (no workspace), against `task overdue`.

It ends with PASS or FAIL for each ratio (target: at most 1x) and for the memory (600 MB).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_registry import make  # noqa: E402
from run import ids_with, peak_mb, run, taskwarrior, timed  # noqa: E402

AS_OF = "2023-01-01"
ENGINE_IMPORT = "import gkcli.core.updates, gkcli.core.workspace"  # as `progress` does, less the CLI


def gkcli(data: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "gkcli", "--data", str(data), *args]


def edited_reads(path: Path, command: list[str], env: dict[str, str], runs: int) -> list[float]:
    """``command`` right after ``path`` was edited by hand (a comment added): never cached."""
    times = []
    for n in range(runs):
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"# edited by hand {n}\n")
        times.append(run(command, env))
    return times


def workspace(folder: Path, plans: int, tasks: int) -> Path:
    """``plans`` registries of ``tasks`` tasks, each file distinct (a cache entry of its own)."""
    root = folder / "ws"
    make(tasks, root / "p0000")
    for n in range(1, plans):
        shutil.copytree(root / "p0000", root / f"p{n:04d}")
    for n, plan in enumerate(sorted(root.iterdir())):
        with (plan / "tasks.yaml").open("a", encoding="utf-8") as handle:
            handle.write(f"# plan {n}\n")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tasks", type=int, default=20000)
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--plan-tasks", type=int, default=50)
    parser.add_argument("--no-big", action="store_true", help="leave out the 100,000-task memory figure")
    args = parser.parse_args()
    runs = args.runs
    if shutil.which("task") is None:
        sys.exit("Taskwarrior is not installed (apt-get install taskwarrior)")
    ratios: list[tuple[str, float, float]] = []  # what, gkcli, Taskwarrior

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {**os.environ, "GKCLI_TODAY": AS_OF, "GKCLI_CACHE_DIR": str(folder / "cache"), "COLUMNS": "80"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # compiled modules kept, as an installed tool has them

        one = folder / "one"
        make(args.tasks, one)
        tw = taskwarrior(one, folder / "tw-one", runs)
        assert tw is not None
        task_overdue, annotate = min(tw["overdue"]), min(tw["annotate"])
        reads = {
            "overdue": gkcli(one, "overdue", "-f", "json"),
            "unit 县财政局": gkcli(one, "unit", "县财政局", "-f", "json"),
            "list -f table": gkcli(one, "list", "-f", "table"),
            "stats": gkcli(one, "stats", "-f", "json"),
        }
        for name, command in reads.items():
            run(command, env)  # the cache warm, as after the first use
            ratios.append((f"{args.tasks} tasks: {name}", min(timed(command, env, runs)), task_overdue))
        edited = edited_reads(one / "tasks.yaml", reads["overdue"], env, runs)
        ratios.append((f"{args.tasks} tasks: first overdue after a hand edit", min(edited), task_overdue))
        ids = ids_with(one, env, "not_started")[-2 * runs :]  # tasks of their own, still open
        progress = [
            run(gkcli(one, "progress", str(i), "--note", "进展", "--on", "2022-12-20"), env) for i in ids[:runs]
        ]
        done = [run(gkcli(one, "done", str(i), "--on", "2022-12-21"), env) for i in ids[runs:]]
        ratios.append((f"{args.tasks} tasks: progress (vs task ID annotate)", min(progress), annotate))
        ratios.append((f"{args.tasks} tasks: done (vs task ID annotate)", min(done), annotate))

        # what no gkcli command can go below, timed in this run: the interpreter with the command line's
        # framework and the YAML library, and the engine a write loads without the command line
        floor = {
            "python -c 'import typer, yaml'": [sys.executable, "-c", "import typer, yaml"],
            "the engine a write loads (no CLI)": [sys.executable, "-c", ENGINE_IMPORT],
        }
        floors = {name: min(timed(command, env, runs)) for name, command in floor.items()}

        ws = workspace(folder, args.plans, args.plan_tasks)
        total = args.plans * args.plan_tasks
        whole = folder / "whole"
        make(total, whole)
        tw_ws = taskwarrior(whole, folder / "tw-ws", runs)
        assert tw_ws is not None
        ws_overdue, ws_annotate = min(tw_ws["overdue"]), min(tw_ws["annotate"])
        alone = gkcli(whole, "overdue", "-f", "json")  # the same tasks as one plan: no workspace at all
        run(alone, env)
        one_plan = min(timed(alone, env, runs))
        label = f"{args.plans} plans x {args.plan_tasks}"
        for name, command in {
            "overdue": gkcli(ws, "overdue", "-f", "json"),
            "unit 县财政局": gkcli(ws, "unit", "县财政局", "-f", "json"),
        }.items():
            run(command, env)
            ratios.append((f"{label}: {name}", min(timed(command, env, runs)), ws_overdue))
        into = [run(gkcli(ws, "--plan", "p0007", "progress", str(n + 1), "--note", "进展", "--on", "2022-12-20"), env)
                for n in range(runs)]  # fmt: skip
        ratios.append((f"{label}: progress into one plan (vs task ID annotate)", min(into), ws_annotate))
        edited = edited_reads(ws / "p0011" / "tasks.yaml", gkcli(ws, "overdue", "-f", "json"), env, runs)
        ratios.append((f"{label}: first overdue after a hand edit of one plan", min(edited), ws_overdue))

        memory = []
        if not args.no_big:
            cold = {**env, "GKCLI_CACHE_DIR": str(folder / "cold")}
            for n in (args.tasks, 100000):
                data = folder / f"big{n}" if n != args.tasks else one
                if n != args.tasks:
                    make(n, data)
                shutil.rmtree(folder / "cold", ignore_errors=True)
                memory.append((n, peak_mb(gkcli(data, "overdue", "-f", "json"), cold)))

    print(f"Taskwarrior: task overdue {task_overdue * 1000:.0f} ms ({args.tasks} tasks), "
          f"{ws_overdue * 1000:.0f} ms ({total} tasks); task ID annotate {annotate * 1000:.0f} ms, "
          f"{ws_annotate * 1000:.0f} ms")  # fmt: skip
    print(f"One plan of {total} tasks (no workspace): overdue {one_plan * 1000:.0f} ms "
          f"({one_plan / ws_overdue:.2f}x task overdue on {total} tasks)")  # fmt: skip
    for name, seconds in floors.items():
        print(f"Start-up alone: {name} {seconds * 1000:.0f} ms ({seconds / ws_annotate:.2f}x task ID annotate "
              f"on {total} tasks)")  # fmt: skip
    print(f"{'':<62}{'gkcli ms':>9}{'ratio':>7}")
    for what, mine, theirs in ratios:
        ratio = mine / theirs
        print(f"{'PASS' if ratio <= 1 else 'FAIL'}  {what:<56}{mine * 1000:>9.0f}{ratio:>7.2f}")
    if memory:
        (small, small_mb), (big, big_mb) = memory
        print(f"{'PASS' if big_mb <= 600 else 'FAIL'}  cold read of {big} tasks peaks at {big_mb:.0f} MB "
              f"({small_mb:.0f} MB at {small}: {(big_mb - small_mb) / (big - small) * 1000:.1f} MB per 1,000 more)")  # fmt: skip


if __name__ == "__main__":
    main()
