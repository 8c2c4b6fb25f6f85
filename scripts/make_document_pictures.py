"""Make docs/document-*.png: pages of the Word bulletin and progress table as LibreOffice prints them.

    apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk fonts-arphic-ukai
    python scripts/make_document_pictures.py

A copy of the bundled registry gets a month and a half of records (a task done late, one in
progress, an extension, a request, a part done), then `gkcli report --period 2022-10 --number … --to … -o 通报.docx`
and `gkcli export --unit 县财政局 -o 进展情况表.docx` are converted by LibreOffice (through
`gkcli ... -o .pdf`, so with the font replacements gkcli chooses) and pages are drawn by pdftoppm.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
RECORDS = [
    ("2022-09-30", "done", "36", "--on", "2022-09-20", "--note", "政务新媒体矩阵已建成"),
    ("2022-09-30", "progress", "38", "--on", "2022-09-10", "--unit", "县财政局", "--note", "汇总中"),
    ("2022-09-30", "extend", "20", "--to", "2022-11-30", "--on", "2022-09-25", "--note", "平台升级"),
    ("2022-09-30", "extend", "27", "--to", "2022-12-15", "--on", "2022-09-26", "--request", "--note", "需协调市级部门"),
    ("2022-10-31", "progress", "4", "--on", "2022-10-12", "--unit", "县发展和改革局", "--note", "专栏已上线,正在补充"),
    ("2022-10-31", "done", "38", "--on", "2022-10-20", "--unit", "县财政局", "--note", "已汇总发放结果"),
]
PAGES = {  # picture: (document, page)
    "document-bulletin-1.png": ("通报.pdf", 1),
    "document-bulletin-2.png": ("通报.pdf", 2),
    "document-bulletin-table.png": ("通报.pdf", None),  # the attachment's first page
    "document-progress-table.png": ("进展情况表.pdf", 1),
}


def main() -> None:
    for program in ("soffice", "pdftoppm", "pdftotext"):
        if shutil.which(program) is None:
            sys.exit(f"{program} is needed: apt-get install libreoffice-writer-nogui poppler-utils")
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        shutil.copytree(ROOT / "data", folder / "data")
        env = {**os.environ, "GKCLI_DATA": str(folder / "data"), "GKCLI_NO_CACHE": "1"}
        for today, *args in RECORDS:
            gkcli(args, {**env, "GKCLI_TODAY": today})
        env["GKCLI_TODAY"] = "2022-11-02"
        gkcli(["report", "--period", "2022-10", "--number", "嵊政办〔2022〕58号", "--to", "各乡镇人民政府,县属有关单位",
               "-o", str(folder / "通报.pdf")], env)  # fmt: skip
        gkcli(["export", "--unit", "县财政局", "--as-of", "2022-10-31", "-o", str(folder / "进展情况表.pdf")], env)
        for picture, (document, page) in PAGES.items():
            number = page or _page_of(folder / document, "重点工作进展情况表")
            stem = folder / picture.removesuffix(".png")
            subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", str(number), "-l", str(number),
                            str(folder / document), str(stem)], check=True)  # fmt: skip
            shutil.copyfile(f"{stem}.png", DOCS / picture)
            print(f"docs/{picture}: {document}, page {number}")


def gkcli(args: list[str], env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "gkcli", *args], check=True, env=env)


def _page_of(pdf: Path, text: str) -> int:
    """The last page on which ``text`` starts a line (the attachment's title, after the body's mention)."""
    pages = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout.split("\f")
    return max(n for n, page in enumerate(pages, 1) if any(line.strip() == text for line in page.splitlines()))


if __name__ == "__main__":
    main()
