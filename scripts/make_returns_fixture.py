"""Make tests/fixtures/returns_libreoffice.xlsx: a returns form exported by gkcli for 县财政局,
filled in (task 3: a progress note; task 38: done on 2022-09-20) and saved again by LibreOffice
Calc, headless, so that the tests read a workbook written by another program than openpyxl.

    apt-get install libreoffice-calc-nogui   # provides soffice
    python scripts/make_returns_fixture.py
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "tests" / "fixtures" / "returns_libreoffice.xlsx"


def main() -> None:
    soffice = shutil.which("soffice") or sys.exit(
        "soffice (LibreOffice) is needed: apt-get install libreoffice-calc-nogui"
    )
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        env = {**os.environ, "GKCLI_DATA": str(ROOT / "data"), "GKCLI_TODAY": "2022-09-01", "GKCLI_NO_CACHE": "1"}
        form = folder / "县财政局.xlsx"
        subprocess.run([sys.executable, "-m", "gkcli", "returns", "export", "--unit", "县财政局", "-o", str(form)],
                       check=True, env=env)  # fmt: skip
        book = load_workbook(form)
        for row in book["填报表"].iter_rows(min_row=4):
            if row[0].value == 3:
                row[7].value = "LibreOffice 中填写的进展"
            if row[0].value == 38:
                row[7].value, row[8].value = "已汇总发放结果", dt.datetime(2022, 9, 20)
        filled = folder / "filled.xlsx"
        book.save(filled)
        out = folder / "out"
        subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "xlsx",
             "--outdir", str(out), str(filled)],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        shutil.copyfile(out / "filled.xlsx", TARGET)
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
