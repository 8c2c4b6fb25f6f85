"""Reading a filled returns workbook back, whichever program saved it (Excel, WPS, LibreOffice):
its values only, by :mod:`gkcli.store.xlsx`."""

from __future__ import annotations

from pathlib import Path

from gkcli.domain.forms import FIRST_ROW, LOCKED_HEADERS, FilledForm, FilledRow
from gkcli.errors import UnreadableFile, describe_os_error
from gkcli.store.files import shown
from gkcli.store.inputs import Archive, Refused, read_file
from gkcli.store.xlsx import Rows, sheets

MAX_WORKBOOK_BYTES = 10 * 1024 * 1024
MAX_FORM_ROWS = 200_000  # rows that hold something: a form lists one unit's tasks, a registry has at most 130,000
SHEET, HIDDEN = "填报表", "gkcli"
COLUMNS = {"task_id": 1, "title": 2, "note": 8, "finished": 9, "link": 10, "extension": 11}


def read(path: Path) -> FilledForm:
    """One filled form, or UnreadableFile saying why the file is not one."""
    name = shown(path)
    try:
        found = sheets(
            Archive(read_file(path, MAX_WORKBOOK_BYTES)), max_rows=MAX_FORM_ROWS, max_columns=max(COLUMNS.values())
        )
    except OSError as exc:
        raise UnreadableFile(f"无法读取 {name}: {describe_os_error(exc)}") from None
    except Refused as exc:
        raise UnreadableFile(
            f"{name} 不是可读的 XLSX 填报表: {exc}",
            hint="请用 gkcli returns export 导出的表格填写,用 Excel、WPS 或 LibreOffice 保存为 .xlsx",
        ) from None
    return _form(found, name)


def _form(book: dict[str, Rows], name: str) -> FilledForm:
    if SHEET not in book or HIDDEN not in book:
        raise UnreadableFile(
            f"{name} 不是 gkcli 导出的填报表(缺少工作表 {SHEET} 或其标识)",
            hint="请用 gkcli returns export 导出的表格填写",
        )
    hidden = list(book[HIDDEN].values())
    meta = {str(row[0]): str(row[1]) for row in hidden if len(row) > 1 and row[0] is not None and row[0] != "row"}
    form = FilledForm(
        name,
        meta.get("form", ""),
        meta.get("plan", ""),
        meta.get("unit", ""),
        meta.get("as_of", ""),
        meta.get("rows", ""),
        exported_seal=meta.get("locked", ""),
    )
    for row in hidden:  # the locked cells of each task row as exported (forms of format 2 on)
        if len(row) > 1 and row[0] == "row" and isinstance(row[1], int | float):
            values = tuple("" if v is None else str(v) for v in row[2 : 2 + len(LOCKED_HEADERS)])
            form.exported[int(row[1])] = values + ("",) * (len(LOCKED_HEADERS) - len(values))
    for number, row in sorted(book[SHEET].items()):
        if number < FIRST_ROW or all(v is None for v in row):
            continue
        value = {key: row[col - 1] if len(row) >= col else None for key, col in COLUMNS.items()}
        task_id = value["task_id"]
        if isinstance(task_id, float) and task_id.is_integer():
            task_id = int(task_id)  # some programs store every number as a float
        locked = tuple(row[n] if n < len(row) else None for n in range(len(LOCKED_HEADERS)))
        form.rows.append(
            FilledRow(
                number,
                task_id,
                value["title"],
                value["note"],
                value["finished"],
                value["link"],
                value["extension"],
                locked,
            )
        )
    return form
