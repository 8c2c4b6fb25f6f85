"""`gkcli links check` on 200 evidence links, against a local server whose every page answers after a
delay (as a slow county site does), with the pages fetched one at a time and several at a time.

    python benchmarks/links.py                    # 200 links, 0.2 s a page, 1 and 8 at a time
    python benchmarks/links.py --links 500 --delay 0.5

Every figure is a whole `gkcli` process (reading the registry, checking, logging), timed once in
this run; the ratio is the one-at-a-time time over the several-at-a-time time. The server is on
127.0.0.1 (so `--allow-private`); nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import servers  # noqa: E402


def registry_citing(folder: Path, base: str, count: int) -> None:
    """The shipped registry with ``count`` progress entries, spread over its tasks, each citing a page."""
    shutil.copytree(ROOT / "data", folder)
    path = folder / "tasks.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "    status: not_started\n"
    per_task = -(-count // text.count(marker))
    pieces = text.split(marker)
    made, written = 0, [pieces[0]]
    for piece in pieces[1:]:
        entries = []
        for _ in range(per_task):
            if made < count:
                entries.append(
                    f'      - {{date: 2022-09-01, note: 进展, link: "{base}/n/{made}", recorded: 2022-09-01}}\n'
                )
                made += 1
        written.append(("    status: in_progress\n    progress:\n" + "".join(entries)) if entries else marker)
        written.append(piece)
    path.write_text("".join(written), encoding="utf-8")


def timed(data: Path, workers: int, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "gkcli", "--data", str(data), "links", "check", "--allow-private", "--workers",
         str(workers), "-f", "json"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--links", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.2, help="seconds each page takes to answer")
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, servers.pages(pause=args.delay) as site:
        data = Path(tmp) / "data"
        registry_citing(data, site.base, args.links)
        env = {**os.environ, "GKCLI_TODAY": "2022-10-01", "GKCLI_CACHE_DIR": str(Path(tmp) / "cache")}
        several = timed(data, args.workers, env)
        one = timed(data, 1, env)
        fetched = sum(n for path, n in site.hits.items() if path.startswith("/n/"))
    print(f"{args.links} links, each page answering after {args.delay:.1f} s (pages fetched: {fetched})")
    print(f"  {args.workers} at a time: {several:6.2f} s")
    print(f"  1 at a time: {one:6.2f} s   ({one / several:.1f}x the time)")


if __name__ == "__main__":
    main()
