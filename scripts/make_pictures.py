"""Regenerate the pictures in docs/ that the README shows.

    python scripts/make_pictures.py

- docs/overdue.svg and docs/stats.svg: the terminal output of gkcli, recorded by rich;
- docs/bulletin-390.png, -768.png, -1280.png: the HTML bulletin in headless Chromium at those
  widths (a phone, a tablet, a desktop), and docs/bulletin-print-1.png, -2.png: its first two
  pages printed to PDF by Chromium, rasterised by pdftoppm (skipped when either is missing).

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


WIDTHS = {390: 2200, 768: 1800, 1280: 1400}  # screen width: how much of the page to show


def chromium(*args: str) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        raise FileNotFoundError("chromium")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}", "--hide-scrollbars", *args],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip


def bulletin_pictures(html: Path) -> None:
    """The bulletin as a phone, a tablet and a desktop show it, and its first printed pages."""
    try:
        for width, height in WIDTHS.items():
            path = DOCS / f"bulletin-{width}.png"
            chromium(f"--window-size={width},{height}", f"--screenshot={path}", html.as_uri())
            print(f"wrote {path.relative_to(ROOT)}")
        # The task tables as cards on a phone: the same page with the charts and the unit table
        # cut out, so the red and yellow tasks come first (headless screenshots ignore #anchors).
        page = html.read_text(encoding="utf-8")
        start, end = page.index('<h3 id="sections">'), page.index('<h3 id="overdue">')
        tasks = html.with_name("bulletin-tasks.html")
        tasks.write_text(page[:start] + page[end:], encoding="utf-8")
        path = DOCS / "bulletin-390-tasks.png"
        chromium("--window-size=390,1600", f"--screenshot={path}", tasks.as_uri())
        print(f"wrote {path.relative_to(ROOT)}")
        pdf = html.with_suffix(".pdf")
        chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri())
    except FileNotFoundError:
        print("Chromium not found: the bulletin pictures were not regenerated")
        return
    if shutil.which("pdftoppm") is None:
        print("pdftoppm (poppler-utils) not found: the printed pages were not regenerated")
        return
    for page in (1, 2):  # one file each, named without the zero padding pdftoppm adds past nine pages
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", "-f", str(page), "-l", str(page), str(pdf),
                        str(DOCS / f"bulletin-print-{page}")], check=True)  # fmt: skip
    print("wrote docs/bulletin-print-1.png, docs/bulletin-print-2.png")


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    terminal_svg(f"gkcli overdue --as-of {AS_OF}", gkcli("overdue", "-f", "table", color=True), DOCS / "overdue.svg")
    with tempfile.TemporaryDirectory() as folder:
        data = demo_registry(Path(folder))
        output = gkcli("stats", "--by", "section", "-f", "table", data=data, color=True)
        terminal_svg(f"gkcli stats --by section --as-of {AS_OF}", output, DOCS / "stats.svg")
        html = Path(folder) / "bulletin.html"
        gkcli("report", "-o", str(html), data=data)
        bulletin_pictures(html)


if __name__ == "__main__":
    main()
