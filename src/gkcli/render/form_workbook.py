"""The returns workbook (填报表) a unit fills in: its tasks and its own share of each, locked, and four columns to fill."""

from __future__ import annotations

import io

from gkcli.core.queries import Item
from gkcli.core.returns import Form, share_status
from gkcli.domain.forms import FIRST_ROW, LOCKED_HEADERS, cell_text, locked_seal
from gkcli.domain.records import ROLE_LABELS, STATUS_LABELS, Plan
from gkcli.render.columns import latest_json, latest_text
from gkcli.render.exports import print_on_a4_width
from gkcli.text import spreadsheet_safe

SHEET = "填报表"
HIDDEN = "gkcli"
FORMAT = "2"  # 2: the locked cells of each row are kept in the hidden sheet, sealed
FILLED_HEADERS = ["进展情况", "完成日期", "佐证链接", "申请延期至"]
HEADERS = [*LOCKED_HEADERS, *FILLED_HEADERS]
WIDTHS = [6, 40, 10, 12, 12, 9, 24, 30, 13, 24, 13]  # characters; about 190 in all, fitted to A4 landscape when printed


def _deadline_cell(item: Item) -> str:
    """完成时限, with the next checkpoint by which the unit must report (a year-long task's)."""
    upcoming = item.checkpoint.upcoming if item.checkpoint is not None else None
    if upcoming is None or (item.due is not None and upcoming >= item.due):
        return item.task.deadline
    return f"{item.task.deadline}(下一个检查节点 {upcoming.isoformat()})"


def workbook(plan: Plan, form: Form) -> bytes:
    """The form as XLSX bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = SHEET
    width = len(HEADERS)
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    title = f"{plan.title}进展填报表 —— {form.unit}(截至 {form.as_of.isoformat()})"
    sheet.append([spreadsheet_safe(title)])
    review = (
        "填写完成日期即申请销号,经统筹单位审核通过后才算完成;被退回的请按理由补充后重新填报。"
        if plan.closing == "review"
        else ""
    )
    sheet.append(
        [
            "请只填写右侧四列:进展情况;完成日期(如 2022-11-08,未完成不填);佐证链接(http:// 或 https:// 开头);"
            f"申请延期至(需要延期时填新的日期,并在进展情况中写明理由,经批准后生效)。其他单元格已锁定。{review}"
        ]
    )
    sheet.append(HEADERS)
    for row in (1, 2):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        sheet.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="center")
    sheet.row_dimensions[2].height = 48 if review else 32
    sheet["A1"].font = Font(bold=True, size=13)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        filled = (cell.column or 0) > len(LOCKED_HEADERS)
        cell.fill = PatternFill("solid", fgColor="FFF2CC" if filled else "DDDDDD")
    top = Alignment(wrap_text=True, vertical="top")
    open_cell = Protection(locked=False)
    # Rows are addressed by number: openpyxl's max_row and sheet[row] scan every cell written so
    # far, which made a form of a few thousand tasks take minutes.
    exported: list[tuple[str, ...]] = []
    for row, item in enumerate(form.items, FIRST_ROW):  # the unit's own part: its status, due date and entries
        latest = latest_json(item, form.unit)
        via = f"(经{item.via})" if item.via else ""
        locked = [
            item.task.id, spreadsheet_safe(item.task.title), ROLE_LABELS.get(str(item.role), "") + via,
            spreadsheet_safe(_deadline_cell(item)), item.due, STATUS_LABELS[share_status(item, form.unit)],
            spreadsheet_safe(latest_text(latest)),
        ]  # fmt: skip
        sheet.append([*locked, None, None, None, None])
        exported.append(tuple(cell_text(v) for v in locked))
        for column in range(1, width + 1):
            cell = sheet.cell(row, column)
            cell.border = border
            cell.alignment = top
            if column > len(LOCKED_HEADERS):
                cell.protection = open_cell
        for column in (5, 9, 11):
            sheet.cell(row, column).number_format = "yyyy-mm-dd"
    last = FIRST_ROW + max(len(form.items), 1) - 1
    for letter, years, title, said in (
        ("I", 1, "完成日期", "请填写要点印发之后的日期,如 2022-11-08;未完成请留空"),
        ("K", 2, "申请延期至", "请填写新的截止日期,如 2022-12-15;不需要延期请留空"),
    ):  # the two columns that take a date: from the plan's issue to a year or two after its own
        issued = plan.issued_on
        dates = DataValidation(
            type="date", operator="between", formula1=f"DATE({issued.year},{issued.month},{issued.day})",
            formula2=f"DATE({plan.year + years},12,31)", allow_blank=True, showErrorMessage=True,
            errorTitle=title, error=said,
        )  # fmt: skip
        dates.add(f"{letter}{FIRST_ROW}:{letter}{last}")
        sheet.add_data_validation(dates)
    for number, chars in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(number)].width = chars
    sheet.freeze_panes = f"A{FIRST_ROW}"
    print_on_a4_width(sheet, title_rows="3:3")
    sheet.protection.sheet = True  # locked cells stay as exported; the columns to fill are open
    hidden = book.create_sheet(HIDDEN)
    nonce = form.form_id.rpartition("-")[0]
    for key, value in (("form", form.form_id), ("plan", plan.document_number), ("unit", form.unit),
                       ("as_of", form.as_of.isoformat()), ("rows", str(len(form.items))), ("format", FORMAT),
                       ("locked", locked_seal(nonce, exported))):  # fmt: skip
        hidden.append([key, value])
    for row, values in enumerate(exported, FIRST_ROW):  # the locked cells as exported, compared on import
        hidden.append(["row", row, *values])
    hidden.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
