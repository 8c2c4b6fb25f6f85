"""Regenerate the pictures in docs/ that the README shows.

    python scripts/make_pictures.py

- docs/overdue.svg and docs/stats.svg: the terminal output of gkcli, recorded by rich;
- docs/bulletin.png: the HTML bulletin in headless Chromium (skipped when Chromium is missing).

The stats and the bulletin use a demonstration copy of the bundled registry in which a few
tasks have been reported (made with gkcli init, progress and done), so the pictures show
every colour; the bundled registry itself is not changed.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.text import Text

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
AS_OF = "2022-10-01"


def gkcli(*args: str, data: Path | None = None, color: bool = False, today: str = AS_OF) -> str:
    env = {**os.environ, "GKCLI_TODAY": today, "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    if color:
        env["FORCE_COLOR"] = "1"
    if data is not None:
        env["GKCLI_DATA"] = str(data)
    result = subprocess.run([sys.executable, "-m", "gkcli", *args], capture_output=True, text=True, env=env, check=True)
    return result.stdout


def terminal_svg(command: str, output: str, path: Path) -> None:
    console = Console(record=True, width=100, force_terminal=True, color_system="truecolor", file=io.StringIO())
    console.print(Text.from_ansi(output))
    path.write_text(console.export_svg(title=command), encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")


def demo_registry(folder: Path) -> Path:
    data = folder / "data"
    gkcli("init", str(data))
    steps = [
        ("2022-07-28", ["done", "36", "--unit", "县政府办公室", "--note", "1+N矩阵建设完成"]),
        ("2022-08-15", ["progress", "20", "--unit", "县信访局", "--note", "问答平台完成选型"]),
        ("2022-09-20", ["done", "17", "--unit", "县政务服务办", "--note", "适老化版本上线"]),
        ("2022-09-28", ["done", "4", "--unit", "县发展和改革局", "--note", "反馈机制印发"]),
        ("2022-10-01", ["progress", "27", "--unit", "县司法局", "--note", "目录初稿征求意见中"]),
    ]
    for day, args in steps:
        gkcli(*args, data=data, today=day)
    return data


def bulletin_png(html: Path, path: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        print("Chromium not found: docs/bulletin.png not regenerated")
        return
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}", "--hide-scrollbars",
             "--window-size=900,1500", f"--screenshot={path}", html.as_uri()],
            check=True, capture_output=True,
        )  # fmt: skip
    print(f"wrote {path.relative_to(ROOT)}")


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    terminal_svg(f"gkcli overdue --as-of {AS_OF}", gkcli("overdue", "-f", "table", color=True), DOCS / "overdue.svg")
    with tempfile.TemporaryDirectory() as folder:
        data = demo_registry(Path(folder))
        output = gkcli("stats", "--by", "section", "-f", "table", data=data, color=True)
        terminal_svg(f"gkcli stats --by section --as-of {AS_OF}", output, DOCS / "stats.svg")
        html = Path(folder) / "bulletin.html"
        gkcli("report", "-o", str(html), data=data)
        bulletin_png(html, DOCS / "bulletin.png")


if __name__ == "__main__":
    main()
