"""Make tests/fixtures/plan_2022_table.pdf: the 46 tasks of the bundled registry as a ruled table
(其他表头措辞, part and section rows merged across the table, the header repeated on every
page), printed to PDF by headless Chromium, as a county office would publish it.

    python scripts/make_import_fixtures.py

Needs Chromium; the PDF is committed, so the tests do not.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from pathlib import Path

from gkcli.store.load import load_registry
from gkcli.store.locate import RegistryFolder

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "tests" / "fixtures" / "plan_2022_table.pdf"
HEADERS = ["序号", "工作任务", "牵头部门", "责任部门", "完成时间"]
NUMERALS = "一二三四五六七八九十"


def page() -> str:
    registry = load_registry(RegistryFolder(ROOT / "data", "fixture"))
    rows = []
    for part in registry.parts:
        rows.append(
            f'<tr><td colspan="5">{NUMERALS[part.id - 1]}、{html.escape(part.attachment_title or part.title)}</td></tr>'
        )
        for n, section in enumerate(part.sections):
            rows.append(f'<tr><td colspan="5">({NUMERALS[n]}){html.escape(section.title)}</td></tr>')
            for task in (t for t in registry.tasks if t.section == section.id):
                cells = [str(task.id), task.title, "、".join(task.lead), "、".join(task.responsible), task.deadline]
                rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in HEADERS)
    plan = registry.plan
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>
body{{font-family:"Noto Sans CJK SC",sans-serif;font-size:10pt}} table{{border-collapse:collapse;width:100%}}
th,td{{border:1px solid #000;padding:3px;vertical-align:top}} tr{{break-inside:avoid}}
td:nth-child(1){{width:2.5em}} td:nth-child(3),td:nth-child(4){{width:9em}} td:nth-child(5){{width:5em}}
</style></head><body>
<p>{html.escape(plan.issuer)}文件</p><p>{html.escape(plan.document_number)}</p>
<p>《{html.escape(plan.title)}》已经县政府同意,现印发给你们,请认真贯彻执行。</p>
<p>{html.escape(plan.issuer)} {plan.issued_on.year}年{plan.issued_on.month}月{plan.issued_on.day}日</p>
<table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></body></html>"""


def main() -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        raise SystemExit("Chromium is needed to print the fixture")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "plan.html"
        source.write_text(page(), encoding="utf-8")
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={folder}/profile",
             "--no-pdf-header-footer", f"--print-to-pdf={TARGET}", source.as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    print(f"wrote {TARGET.relative_to(ROOT)} ({TARGET.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
