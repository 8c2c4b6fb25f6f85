"""A workspace of many plans, against Taskwarrior on the same number of tasks.

    python benchmarks/workspace.py --plans 200 --tasks 50 --runs 5

Makes PLANS registries of TASKS tasks each (benchmarks/make_registry.py, each file made distinct
so each has its own cache entry), warms the cache, and times `gkcli --data WS overdue` and
`gkcli --data WS unit 县财政局` over all of them, a single-plan command in the workspace
(`--plan` one of them), and `task overdue` on one Taskwarrior database of PLANS x TASKS tasks.
Ratios are taken within the one run: the machine is shared and its speed varies.
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
from run import AS_OF, taskwarrior, timed  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--tasks", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        workspace = folder / "ws"
        make(args.tasks, workspace / "p0000")
        for n in range(1, args.plans):
            shutil.copytree(workspace / "p0000", workspace / f"p{n:04d}")
        for n, plan in enumerate(sorted(workspace.iterdir())):
            with (plan / "tasks.yaml").open("a", encoding="utf-8") as tasks:
                tasks.write(f"# plan {n}\n")  # distinct bytes: a cache entry of its own
        env = {**os.environ, "GKCLI_TODAY": AS_OF, "GKCLI_CACHE_DIR": str(folder / "cache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # let Python keep compiled modules, as an installed tool does
        gk = [sys.executable, "-m", "gkcli", "--data", str(workspace)]
        commands = {
            "overdue, every plan": [*gk, "overdue", "-f", "json"],
            "unit 县财政局, every plan": [*gk, "unit", "县财政局", "-f", "json"],
            "overdue, one plan": [*gk, "--plan", "p0007", "overdue", "-f", "json"],
        }
        total = args.plans * args.tasks
        print(f"{args.plans} plans of {args.tasks} tasks ({total} tasks), {args.runs} runs each")
        best = {}
        for name, command in commands.items():
            timed(command, env, 1)  # warm the cache
            best[name] = min(timed(command, env, args.runs))
        single = folder / "single"
        make(args.tasks, single)
        alone = [sys.executable, "-m", "gkcli", "--data", str(single), "overdue", "-f", "json"]
        timed(alone, env, 1)
        best["overdue, one plan alone"] = min(timed(alone, env, args.runs))
        whole = folder / "whole"
        make(total, whole)
        tw = taskwarrior(whole, folder / "tw", args.runs)
        for name, seconds in best.items():
            print(f"{name:<28}{seconds * 1000:>8.0f} ms")
        if tw is None:
            print("Taskwarrior: not timed (apt-get install taskwarrior)")
            return
        task = min(tw["overdue"])
        print(f"{'task overdue':<28}{task * 1000:>8.0f} ms ({total} tasks)")
        for name in ("overdue, every plan", "unit 县财政局, every plan"):
            print(f"{name} / task overdue: {best[name] / task:.2f}x (target 1x)")
        ratio = best["overdue, one plan"] / best["overdue, one plan alone"]
        print(f"one plan in the workspace / the same plan alone: {ratio:.2f}x (target: no more)")


if __name__ == "__main__":
    main()
