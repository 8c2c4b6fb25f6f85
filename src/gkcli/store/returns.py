"""Reading a filled returns workbook back, whichever program saved it (Excel, WPS, LibreOffice):
its values only, by :mod:`gkcli.store.xlsx`."""

from __future__ import annotations

import zipfile
from pathlib import Path

from gkcli.core.returns import FilledForm, FilledRow
from gkcli.errors import BadValue
from gkcli.store.files import shown
from gkcli.store.xlsx import Rows, sheets

MAX_WORKBOOK_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # a workbook that unpacks to more than this is refused unread
SHEET, HIDDEN, FIRST_ROW = "填报表", "gkcli", 4
COLUMNS = {"task_id": 1, "title": 2, "note": 8, "finished": 9, "link": 10}


def read(path: Path) -> FilledForm:
    """One filled form, or BadValue saying why the file is not one."""
    name = shown(path)
    try:
        size = path.stat().st_size
        if size > MAX_WORKBOOK_BYTES:
            raise BadValue(f"{name} 过大({size // 1024 // 1024} MB),不像填报表")
        with zipfile.ZipFile(path) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise BadValue(f"{name} 解压后过大,不像填报表")
            found = sheets(archive)
    except BadValue:
        raise
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, OverflowError) as exc:
        raise BadValue(
            f"{name} 不是可读的 XLSX 文件({type(exc).__name__})", hint="请用 Excel、WPS 或 LibreOffice 另存为 .xlsx"
        ) from None
    return _form(found, name)


def _form(book: dict[str, Rows], name: str) -> FilledForm:
    if SHEET not in book or HIDDEN not in book:
        raise BadValue(
            f"{name} 不是 gkcli 导出的填报表(缺少工作表 {SHEET} 或其标识)",
            hint="请用 gkcli returns export 导出的表格填写",
        )
    meta = {str(row[0]): str(row[1]) for row in book[HIDDEN].values() if len(row) > 1 and row[0] is not None}
    form = FilledForm(name, meta.get("form", ""), meta.get("plan", ""), meta.get("unit", ""))
    for number, row in sorted(book[SHEET].items()):
        if number < FIRST_ROW or all(v is None for v in row):
            continue
        value = {key: row[col - 1] if len(row) >= col else None for key, col in COLUMNS.items()}
        task_id = value["task_id"]
        if isinstance(task_id, float) and task_id.is_integer():
            task_id = int(task_id)  # some programs store every number as a float
        form.rows.append(FilledRow(number, task_id, value["title"], value["note"], value["finished"], value["link"]))
    return form
