"""Write a valid registry of N tasks, for benchmarks.

    python benchmarks/make_registry.py 20000 /tmp/registry-20000

The tasks reuse the titles of the 2022 Shengsi plan (so text lengths are real), the
real units and groups, every deadline form gkcli reads, and give a share of tasks
progress logs and completion. ``gkcli check --strict DIR`` passes on the result.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent / "data"
DEADLINES = [
    "全年", "年底前", "年内", "2022年底前", "12月底前", "十一月底前", "9月30日前", "2022年10月15日前", "三季度前",
    "第四季度末", "四季度", "上半年", "下半年", "2022年上半年", "6月中旬前", "8月上旬", "10月下旬", "\"2022-11-30\"",
    "持续推进", "长期坚持", "常态化",
]  # fmt: skip
PARTS, SECTIONS_PER_PART = 6, 5


def _scalar(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)
    return text


def make(n: int, folder: Path, seed: int = 20220712) -> None:
    rng = random.Random(seed)
    source = yaml.safe_load((DATA / "tasks.yaml").read_text(encoding="utf-8"))
    units = yaml.safe_load((DATA / "units.yaml").read_text(encoding="utf-8"))
    titles = [t["title"] for t in source["tasks"]]
    names = [u["name"] for u in units["units"]] + [a for u in units["units"] for a in u.get("aliases", [])]
    groups = [g["name"] for g in units["groups"]]
    issued = dt.date(2022, 1, 5)
    as_of = dt.date(2022, 12, 31)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DATA / "units.yaml", folder / "units.yaml")
    lines = [
        f"# A generated registry of {n} tasks (benchmarks/make_registry.py).",
        "plan:",
        "  title: 2022年政务公开工作要点(基准测试)",
        "  document_number: 基准〔2022〕1号",
        "  issuer: 基准测试县人民政府办公室",
        f"  issued_on: {issued.isoformat()}",
        "  year: 2022",
        "parts:",
    ]
    sections = []
    for p in range(1, PARTS + 1):
        lines += [f"  - id: {p}", f"    title: 第{p}部分", "    sections:"]
        for s in range(1, SECTIONS_PER_PART + 1):
            lines += [f'      - id: "{p}.{s}"', f"        title: 第{p}部分第{s}小节"]
            sections.append(f"{p}.{s}")
    lines.append("tasks:")
    for i in range(1, n + 1):
        section = sections[(i - 1) * len(sections) // n]
        lead = rng.sample(names, rng.choice([1, 1, 1, 2, 3]))
        responsible = rng.sample(names + groups[:2] * 20, rng.choice([0, 1, 1, 2, 4]))
        status = rng.choices(["not_started", "in_progress", "done"], weights=[5, 3, 2])[0]
        lines += [
            f"  - id: {i}",
            f'    section: "{section}"',
            f"    title: {_scalar(titles[i % len(titles)] + f'(第{i}项)')}",
            f"    lead: [{', '.join(lead)}]",
            f"    responsible: [{', '.join(dict.fromkeys(responsible))}]",
            f"    deadline: {DEADLINES[i % len(DEADLINES)]}",
            f"    status: {status}",
        ]
        if status != "not_started":
            days = sorted(rng.sample(range(30, 340), rng.choice([1, 2, 3])))
            dates = [issued + dt.timedelta(days=d) for d in days]
            if status == "done":
                lines.append(f"    done_on: {dates[-1].isoformat()}")
            lines.append("    progress:")
            for day in dates:
                lines += [
                    f"      - date: {day.isoformat()}",
                    f"        unit: {lead[0]}",
                    f"        note: {_scalar('已按要求推进,完成阶段任务')}",
                ]
    assert as_of >= issued
    (folder / "tasks.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, help="number of tasks")
    parser.add_argument("folder", type=Path, help="where to write tasks.yaml and units.yaml")
    args = parser.parse_args()
    make(args.n, args.folder)


if __name__ == "__main__":
    main()
