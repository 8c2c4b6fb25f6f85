"""Make the task-table fixtures that need a heavy program, from the shapes in tests/shapes.py:

- tests/fixtures/shapes/category-libreoffice.docx: the "category" table written by python-docx
  (its category cells merged down) and saved again by LibreOffice Writer, headless;
- tests/fixtures/shapes/heading_row-chromium.pdf: the "heading_row" table printed by headless
  Chromium with rows tall enough to run over two pages, the header repeated on the second;
- tests/fixtures/shapes/page_break-libreoffice.pdf: the "page_break" table as a Word table with
  ruling lines and its header row repeated (tblHeader), printed by LibreOffice: rows break over
  pages, so a page starts with the rest of the task above it;
- tests/fixtures/shapes/city-libreoffice.pdf: the city plan of tests/test_import_text.py, written
  as Word paragraphs and printed by LibreOffice (its text layer wraps every long paragraph).

    apt-get install libreoffice-writer-nogui chromium fonts-noto-cjk
    python scripts/make_shape_fixtures.py

The files are committed; the tests need neither program.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import shapes  # noqa: E402  (the shapes live beside the tests that read them)

TARGET = ROOT / "tests" / "fixtures" / "shapes"


def _libreoffice(work: Path, source: Path, to: str, target: str) -> Path:
    """``source`` converted by LibreOffice, headless (``to``: its filter), copied to the fixture ``target``."""
    soffice = shutil.which("soffice") or sys.exit("soffice is needed: apt-get install libreoffice-writer-nogui")
    out = work / "out"
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{work}/profile", "--convert-to", to,
         "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    made = next(out.glob(f"{source.stem}.*"))
    shutil.copyfile(made, TARGET / target)
    return TARGET / target


def libreoffice_docx(work: Path) -> Path:
    written = shapes.as_docx("category", work / "category.docx")
    return _libreoffice(work, written, "docx:MS Word 2007 XML", "category-libreoffice.docx")


def libreoffice_pdf(work: Path) -> Path:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    written = shapes.as_docx("page_break", work / "page_break.docx")
    document = docx.Document(str(written))
    table = document.tables[0]
    table.style = document.styles["Table Grid"]  # ruling lines, which the PDF reader finds cells by
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    document.save(str(written))
    return _libreoffice(work, written, "pdf", "page_break-libreoffice.pdf")


def city_pdf(work: Path) -> Path:
    from tests.test_import_text import CITY, _docx

    return _libreoffice(work, _docx(CITY, work / "city.docx"), "pdf", "city-libreoffice.pdf")


def chromium_pdf(work: Path) -> Path:
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or sys.exit("Chromium is needed")
    page = shapes.as_html("heading_row").decode("utf-8")
    style = (
        "<style>table{border-collapse:collapse;width:100%}th,td{border:1px solid #000;padding:4px;"
        "vertical-align:top}td{height:420px}tr{break-inside:avoid}thead{display:table-header-group}</style>"
    )
    page = page.replace("<html><body>", f"<html><head><meta charset='utf-8'>{style}</head><body>", 1)
    page = page.replace("<table>", "<table><thead>", 1)  # the header row repeats on every page
    first_row_end = page.index("</tr>") + len("</tr>")
    page = page[:first_row_end] + "</thead><tbody>" + page[first_row_end:]
    page = page.replace("</table>", "</tbody></table>", 1)
    source = work / "heading_row.html"
    source.write_text(page, encoding="utf-8")
    target = TARGET / "heading_row-chromium.pdf"
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={work}/chromium",
         "--no-pdf-header-footer", f"--print-to-pdf={target}", source.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return target


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        made_by = (libreoffice_docx, libreoffice_pdf, city_pdf, chromium_pdf)
        for made in (make(Path(folder)) for make in made_by if make is not chromium_pdf or shutil.which("chromium")):
            print(f"wrote {made.relative_to(ROOT)} ({made.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
