"""Task tables in the shapes real plans have, written out as CSV, HTML, XLSX and DOCX.

Each shape is a table of our own words in the shape of published plans: a category column before
the task column, a heading in the same row as its first task, composite unit cells, other header
words. ``MERGED`` in a cell means the cell above is merged down over it (a rowspan in HTML, a
merged range in XLSX, vMerge in Word; left empty in CSV, as spreadsheets export merged cells);
``SPANNED`` that the cell to its left spans over it (colspan, a merged range across, gridSpan).
What each should import as is written by hand in ``tests/fixtures/shapes/NAME.yaml``.
"""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path

MERGED = object()
SPANNED = object()

_LONG = (
    "围绕群众关心关注的教育、医疗、养老、就业等民生事项,细化公开内容和公开方式,及时发布办事指南和服务信息。",
    "健全政策解读机制,坚持政策文件与解读材料同步起草、同步审签、同步发布,提升解读的针对性和可读性。",
    "规范政府信息公开申请办理工作,严格依法答复,加强与申请人的沟通,切实降低行政复议和诉讼的纠错率。",
)
SHAPES: dict[str, list[list[object]]] = {
    # 1. a category column (short, merged down) before the task column
    "category": [
        ["工作任务", "具体要求", "牵头单位", "完成时限"],
        ["加强宣传", "积极参加约稿活动,扩大政务公开影响。", "县政府办公室", "年底前"],
        [MERGED, "做好重要政策的解读,每季度发布一次解读材料。", "县司法局", "全年"],
        ["平台建设", "管好政府网站,确保内容及时更新。", "县大数据管理中心", "6月底前"],
        [MERGED, "规范政务新媒体,清理长期不更新的账号。", "县委宣传部", "9月底前"],
    ],
    # 2. a part heading in the same row as its first task, the task numbered in its own cell text
    "heading_row": [
        ["工作任务", "主要内容", "责任处室", "完成期限"],
        ["一、做好财政信息公开。", "1.推进预算公开,按时公开部门预算。", "县财政局", "年底前"],
        [MERGED, "2.推进决算公开,细化到项目。", "县财政局", "年底前"],
        ["二、做好平台建设。", "3.管好政府网站,做好内容保障。", "县大数据管理中心", "全年"],
    ],
    # 4. unit cells that say the roles themselves; 5. other header words
    "roles": [
        ["序号", "任务", "责任单位", "时限"],
        ["1", "做好预算公开。", "县财政局牵头,县直有关部门配合;各乡镇参照落实", "年底前"],
        ["2", "推进政务热线建设。", "县信访局牵头,县政务服务办等按职责分工负责", "全年"],
        ["3", "落实基层公开标准。", "各县(市、区)政府", "全年"],
    ],
    # 6. a header over two rows: 责任单位 spans the columns 牵头单位 and 配合单位 below it
    "two_header_rows": [
        ["序号", "工作任务", "责任单位", SPANNED, "完成时限"],
        [MERGED, MERGED, "牵头单位", "配合单位", MERGED],
        ["一、深化公开", "", "", "", ""],
        ["1", "做好预算公开,细化到项目。", "县财政局", "各乡镇人民政府", "6月底前"],
        ["2", "推进教育信息公开。", "县教育局", "", "全年"],
    ],
    # 7. a short column that names each task (not a group heading) before the longer work column
    "named_tasks": [
        ["任务", "具体要求", "负责科室", "时限要求"],
        ["预算公开", "按时公开部门预算和决算,细化到项目。", "县财政局", "6月底前"],
        ["热线建设", "推进政务服务热线归并,提升接通率。", "县信访局", "年底前"],
        ["网站管理", "管好政府网站,确保内容及时更新。", "县大数据管理中心", "全年"],
    ],
    # 8. a header in traditional characters, over rows that name units so
    "traditional": [
        ["序號", "重點工作", "牽頭單位", "責任單位", "完成時限"],
        ["1", "做好財政預決算公開。", "縣財政局", "各鄉鎮人民政府", "年底前"],
        ["2", "推進政務熱線建設。", "縣信訪局", "", "全年"],
    ],
    # 9. two heading columns (a part and a section, merged down) before the work
    "two_categories": [
        ["目标", "任务", "主要内容", "责任单位"],
        ["一、以公开助力稳增长", "(一)加强预期引导", "围绕经济形势,及时宣传解读相关政策。", "县发展和改革局牵头落实"],
        [MERGED, MERGED, "加强就业创业政策信息公开,深入解读政策背景。", "县人力资源和社会保障局牵头落实"],
        [MERGED, "(二)推进财政公开", "按月公开全县财政收支情况。", "县财政局、县税务局分别牵头落实"],
        [
            "二、以公开助力惠民生",
            "(一)加强社会救助公开",
            "公开低保、特困人员认定条件和办理程序。",
            "县民政局牵头,各乡镇人民政府配合",
        ],
    ],
    # 10. the work header spans a short heading column and the work column
    "spanned_work": [
        ["工作任务", SPANNED, "牵头单位", "完成时间"],
        ["加强宣传", "积极参加约稿活动,扩大政务公开影响。", "县政府办公室", "年底前"],
        [MERGED, "做好重要政策的解读,每季度发布一次解读材料。", "县司法局", "全年"],
        ["平台建设", "管好政府网站,确保内容及时更新。", "县大数据管理中心", "6月底前"],
    ],
    # 12. unit cells with one name a line (Alt+Enter, Shift+Enter, <br>), and names marked (牵头)
    "units_by_line": [
        ["序号", "重点工作", "责任单位", "完成时限"],
        ["1", "做好预算公开。", "县财政局\n县审计局", "年底前"],
        ["2", "推进政务热线建设。", "县信访局(牵头)\n县政务服务办", "全年"],
        ["3", "管好政府网站。", "县大数据管理中心", "6月底前"],
    ],
    # 11. tasks long enough that a row runs over a page when printed (scripts/make_shape_fixtures.py)
    "page_break": [
        ["序号", "重点工作", "牵头单位", "责任单位", "完成时限"],
        *[
            [str(n), _LONG[n % len(_LONG)] * 3, lead, "各乡镇人民政府", deadline]
            for n, lead, deadline in (
                (1, "县财政局", "6月底前"),
                (2, "县教育局", "全年"),
                (3, "县民政局", "9月底前"),
                (4, "县司法局", "年底前"),
                (5, "县信访局", "全年"),
                (6, "县审计局", "三季度前"),
                (7, "县统计局", "年底前"),
                (8, "县公安局", "全年"),
            )
        ],
    ],
}


def rows_as_text(shape: str) -> list[list[str]]:
    """The table's cells as a spreadsheet exports them: merged cells empty."""
    return [["" if cell is MERGED or cell is SPANNED else str(cell) for cell in row] for row in SHAPES[shape]]


def as_csv(shape: str) -> bytes:
    """CSV as a spreadsheet saves it: the title in the first row, then the table."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["2023年测试县政务公开工作任务清单"], *rows_as_text(shape)])
    return buffer.getvalue().encode("utf-8")


def as_html(shape: str) -> bytes:
    rows = SHAPES[shape]
    body = []
    for r, row in enumerate(rows):
        cells = []
        for c, cell in enumerate(row):
            if cell is MERGED or cell is SPANNED:
                continue
            down = 1
            while r + down < len(rows) and rows[r + down][c] is MERGED:
                down += 1
            across = 1
            while c + across < len(row) and row[c + across] is SPANNED:
                across += 1
            tag = "th" if r == 0 else "td"
            attr = (f' rowspan="{down}"' if down > 1 else "") + (f' colspan="{across}"' if across > 1 else "")
            cells.append(f"<{tag}{attr}>{html.escape(str(cell)).replace(chr(10), '<br>')}</{tag}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    page = f"<html><body><h1>2023年测试县政务公开工作要点</h1><table>{''.join(body)}</table></body></html>"
    return page.encode("utf-8")


def as_xlsx(shape: str, path: Path) -> Path:
    """A workbook as offices make them: a title row, a blank row, the header on row 3, merged cells."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet["A1"] = "2023年测试县政务公开工作任务清单"
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=4)
    rows = SHAPES[shape]
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell is not MERGED and cell is not SPANNED:
                sheet.cell(r + 3, c + 1, str(cell))
    for r, c, end in _merged_down(rows):
        sheet.merge_cells(start_row=r + 3, start_column=c + 1, end_row=end + 3, end_column=c + 1)
    for r, c, end in _spanned(rows):
        sheet.merge_cells(start_row=r + 3, start_column=c + 1, end_row=r + 3, end_column=end + 1)
    book.save(path)
    return path


def _spanned(rows: list[list[object]]) -> list[tuple[int, int, int]]:
    """Each cell with SPANNED to its right: its row, column and the last column the span reaches."""
    runs = []
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell is not SPANNED and cell is not MERGED and c + 1 < len(row) and row[c + 1] is SPANNED:
                end = c + 1
                while end + 1 < len(row) and row[end + 1] is SPANNED:
                    end += 1
                runs.append((r, c, end))
    return runs


def _merged_down(rows: list[list[object]]) -> list[tuple[int, int, int]]:
    """Each cell with MERGED below it: its row, column and the last row the merge reaches."""
    runs = []
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell is not MERGED and r + 1 < len(rows) and rows[r + 1][c] is MERGED:
                end = r + 1
                while end + 1 < len(rows) and rows[end + 1][c] is MERGED:
                    end += 1
                runs.append((r, c, end))
    return runs


def as_docx(shape: str, path: Path) -> Path:
    """A Word document: the title, a paragraph, the table with cells merged down (vMerge)."""
    import docx

    document = docx.Document()
    document.add_paragraph("2023年测试县政务公开工作要点")
    rows = SHAPES[shape]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell is not MERGED and cell is not SPANNED:
                table.cell(r, c).text = str(cell)
    for r, c, end in _merged_down(rows):
        table.cell(r, c).merge(table.cell(end, c))
    for r, c, end in _spanned(rows):
        table.cell(r, c).merge(table.cell(r, end))
    document.add_paragraph("测试县人民政府办公室")
    document.add_paragraph("2023年4月20日")
    document.save(path)
    return path
