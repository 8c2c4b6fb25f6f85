"""How long ``gkcli diff`` and ``gkcli carryover`` take on two large plans whose titles are alike
in the way real plans are: every title is made of clauses of the shipped plan's titles, so
unrelated titles still share most of their words, and half the titles of the second plan are a
title of the first with a clause changed.

    python benchmarks/compare.py --tasks 1000 --chars 100
    python benchmarks/compare.py --tasks 300 --chars 300

Prints the wall time of each command (one run each; a process each, cache warm) and what the
comparison said about its limits. With ``--exhaustive`` it also times, in this process, the
comparison gkcli makes and the one it replaced (every title against every title, with difflib's
quick filters), on the same titles, and says whether both pair the same tasks."""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def clauses() -> list[str]:
    text = (ROOT / "data" / "tasks.yaml").read_text(encoding="utf-8")
    titles = re.findall(r"^    title: (.+)$", text, flags=re.M)
    return [c for t in titles for c in re.split(r"[,,。;;]", t) if len(c) >= 4]


def title(pool: list[str], rng: random.Random, chars: int) -> str:
    parts: list[str] = []
    while sum(map(len, parts)) < chars:
        parts.append(rng.choice(pool))
    return ",".join(parts)[:chars] + "。"


def plan(folder: Path, year: int, titles: list[str]) -> None:
    shutil.copytree(ROOT / "data", folder)
    text = (folder / "tasks.yaml").read_text(encoding="utf-8")
    head = text[: text.index("\ntasks:") + len("\ntasks:\n")]
    head = head.replace("year: 2022", f"year: {year}")
    body = "".join(
        f'  - id: {n}\n    section: "1.1"\n    title: {json.dumps(t, ensure_ascii=False)}\n    lead: [县财政局]\n    deadline: 全年\n    status: not_started\n'
        for n, t in enumerate(titles, 1)
    )
    (folder / "tasks.yaml").write_text(head + body, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--chars", type=int, default=100)
    parser.add_argument("--exhaustive", action="store_true", help="also time comparing every pair, in process")
    args = parser.parse_args()
    rng = random.Random(7)
    pool = clauses()
    first = [title(pool, rng, args.chars) for _ in range(args.tasks)]
    second = [
        (t[: len(t) // 2] + title(pool, rng, args.chars - len(t) // 2)) if n % 2 else title(pool, rng, args.chars)
        for n, t in enumerate(first)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        plan(work / "ws" / "2022", 2022, first)
        plan(work / "ws" / "2023", 2023, second)
        gkcli = [sys.executable, "-m", "gkcli", "--data", str(work / "ws")]
        env = {**os.environ, "GKCLI_TODAY": "2023-02-01"}
        warm = subprocess.run([*gkcli, "list", "-f", "json"], capture_output=True, text=True, env=env)
        if warm.returncode:
            sys.exit(warm.stderr)
        commands = {"diff": ["diff", "2022", "2023"], "carryover": ["carryover", "--from", "2022", "--to", "2023"]}
        for name, command in commands.items():
            start = time.perf_counter()
            done = subprocess.run([*gkcli, *command], capture_output=True, text=True, env=env)
            took = time.perf_counter() - start
            first_line = done.stdout.splitlines()[0] if done.stdout else done.stderr.strip()
            print(
                f"{name}: {args.tasks} x {args.tasks} tasks, {args.chars}-character titles: {took:.2f} s (exit {done.returncode})"
            )
            print(f"  {first_line}")
            for line in done.stderr.splitlines():
                print(f"  {line}")
    if args.exhaustive:
        in_process(first, second)


def in_process(first: list[str], second: list[str]) -> None:
    import difflib
    from types import SimpleNamespace

    from gkcli.core.plans import _NOISE, ALIKE, compare
    from gkcli.domain.records import Task

    def plan_of(titles: list[str]) -> object:
        tasks = [
            Task(id=n, section="1.1", title=t, lead=("县财政局",), deadline="全年") for n, t in enumerate(titles, 1)
        ]
        return SimpleNamespace(tasks=tasks)

    start = time.perf_counter()
    found = compare(plan_of(first), plan_of(second))  # type: ignore[arg-type]
    indexed = time.perf_counter() - start
    start = time.perf_counter()
    scored = []
    for i, a in enumerate(_NOISE.sub("", t) for t in first):
        matcher = difflib.SequenceMatcher(None, "", a, autojunk=False)
        for j, b in enumerate(_NOISE.sub("", t) for t in second):
            matcher.set_seq1(b)
            if matcher.real_quick_ratio() >= ALIKE and matcher.quick_ratio() >= ALIKE and matcher.ratio() >= ALIKE:
                scored.append((-matcher.ratio(), i, j))
    taken_a, taken_b, pairs = set(), set(), set()
    for _, i, j in sorted(scored):
        if i not in taken_a and j not in taken_b:
            taken_a.add(i)
            taken_b.add(j)
            pairs.add((i + 1, j + 1))
    every = time.perf_counter() - start
    same = {(p.old.id, p.new.id) for p in found.pairs} == pairs
    print(f"in process: indexed {indexed:.2f} s, every pair {every:.2f} s ({every / indexed:.1f}x); same pairs: {same}")


if __name__ == "__main__":
    main()
