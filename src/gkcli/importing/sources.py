"""The rows of cells in a plan file, chosen by what the file holds rather than its name: a PDF
(its tables from the ruling lines, and the text around them; needs the ``import`` extra), an XLSX
workbook, a DOCX document (its tables, then its paragraphs), an HTML page (its tables, then its
text), CSV, or text with tab-separated cells (a PDF's text layer).

Reading is bounded (:mod:`gkcli.store.inputs`): archives are inflated within a budget and their
XML streamed without DTDs; rows that hold nothing are passed over (their numbers are kept), and
a file with more rows of content than any plan has, or a cell longer than a spreadsheet's, is
refused; a PDF is measured with pdfium (fast) before pdfplumber lays out its pages."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

from gkcli.errors import UnreadablePlan
from gkcli.importing.cleaning import BREAK
from gkcli.store.inputs import MAX_CELL_CHARS, Archive, Refused, Text

Rows = list[tuple[int, list[str]]]  # line or row number, cells (rows with some text only)
MAX_ROWS = 20_000  # rows of text in a plan: a plan has a few hundred
MAX_COLUMNS = 64  # Word's tables have at most 63
_OTHER = {b"\xd0\xcf\x11\xe0": "旧版 Word 或 Excel(.doc/.xls)"}
MAX_PDF_PAGES = 200  # a plan is a few dozen pages
MAX_PDF_OBJECTS = 200_000  # text, lines and shapes in all pages: a plan of 200 pages has far fewer


def rows_of(data: bytes, name: str, *, sheet: str | None = None) -> tuple[Rows, str]:
    """The rows of ``data`` and a word for its kind; UnreadablePlan when it holds no table to read.
    ``sheet``: the worksheet of a workbook to read (by default the first that has a task table's
    header, else the first)."""
    try:
        rows, kind = _rows_of(data, name, sheet)
    except Refused as exc:
        raise UnreadablePlan(f"{name} {exc}") from None
    if len(rows) > MAX_ROWS:
        raise UnreadablePlan(f"{name} 有 {len(rows)} 行文字,超过 {MAX_ROWS} 行,不像一份要点")
    return rows, kind


def _rows_of(data: bytes, name: str, sheet: str | None) -> tuple[Rows, str]:
    for magic, kind in _OTHER.items():
        if data.startswith(magic):
            raise UnreadablePlan(
                f"{name} 是{kind}文件,目前还不能直接读取",
                hint="请另存为 XLSX 或 CSV,或把任务表转成以制表符分栏的文本(表头一行,每项任务一行)后再导入",
            )
    if data.startswith(b"%PDF"):
        return _pdf_rows(data, name), "PDF"
    if data.startswith(b"PK\x03\x04"):
        archive = Archive(data)
        if "word/document.xml" in archive.names:
            return archive.parse("word/document.xml", _WordRows()), "DOCX"
        if "xl/workbook.xml" in archive.names:
            return _xlsx_rows(archive, name, sheet), "XLSX"
        raise UnreadablePlan(f"{name} 是 ZIP 包,但既不是 Word 文档也不是 Excel 工作簿")
    text = _decode(data, name)
    if re.match(r"\s*(<!doctype html|<html|<table|<meta|<head|<body)", text[:2000], flags=re.I):
        return _html_rows(text), "网页"
    if "\t" in text:
        return _lines(text, lambda line: line.split("\t")), "文字层"
    rows = _csv_rows(text)
    if rows is not None and _tabular(rows):
        return rows, "CSV"
    return _lines(text, lambda line: [line]), "文字"


def _tabular(rows: Rows) -> bool:
    """Whether records read as CSV are a table: a row reads as a task table's header, or most rows
    have the same three or more fields (a plan's prose, split at its commas, has no such rhythm)."""
    from collections import Counter

    from gkcli.importing.table import columns_of

    if any(columns_of([c.strip() for c in cells]) for _, cells in rows[:200]):
        return True
    widths = Counter(len(cells) for _, cells in rows if len(cells) >= 3)
    common = widths.most_common(1)
    return bool(common) and common[0][1] >= max(2, len(rows) // 2)


def _lines(text: str, cells: Callable[[str], list[str]]) -> Rows:
    """The lines of ``text`` that hold something, as cells, with their line numbers."""
    rows: Rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            if len(rows) >= MAX_ROWS:
                raise Refused(f"超过 {MAX_ROWS} 行文字,不像一份要点")
            if len(line) > MAX_CELL_CHARS:
                raise Refused(f"第 {number} 行超过 {MAX_CELL_CHARS} 个字符,不像一份要点")
            rows.append((number, cells(line)))
    return rows


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\0" in text:
            line = text.count("\n", 0, text.index("\0")) + 1
            raise Refused(f"第 {line} 行有空字符(NUL),不是文本文件;请另存为 UTF-8 文本、CSV 或 XLSX")
        return text
    raise UnreadablePlan(f"{name} 不是文本文件(既非 UTF-8 也非 GB18030)")


def _csv_rows(text: str) -> Rows | None:
    """The records of ``text`` that hold something, numbered by the line they start on; None when
    it does not read as CSV (a field past the reader's limit, a quote never closed)."""
    reader = csv.reader(io.StringIO(text))
    rows: Rows = []
    number = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                if len(rows) >= MAX_ROWS:
                    raise Refused(f"超过 {MAX_ROWS} 行,不像一份要点")
                rows.append((number, [cell.replace("\r\n", BREAK).replace("\n", BREAK) for cell in row[:MAX_COLUMNS]]))
            number = reader.line_num + 1
    except csv.Error:
        return None
    return rows


def _xlsx_rows(archive: Archive, name: str, sheet: str | None) -> Rows:
    from gkcli.importing.table import header_roles
    from gkcli.store.xlsx import sheets

    book = sheets(archive, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS, merged=True)
    if sheet is not None and sheet not in book:
        raise UnreadablePlan(f"{name} 中没有工作表 {sheet}", hint=f"工作表有: {'、'.join(book)}")

    def rows(values: dict[int, list[object]]) -> Rows:
        return [(n, ["" if value is None else _cell(value) for value in values[n]]) for n in sorted(values)]

    if sheet is not None:
        return rows(book[sheet])
    read = [rows(values) for values in book.values()]
    with_header = (r for r in read if any(header_roles([c.strip() for c in cells]) for _, cells in r[:200]))
    return next(with_header, read[0] if read else [])


def file_dates(data: bytes) -> list[dt.date]:
    """The dates a file keeps of itself (when it was made, then changed): an Office document's
    core properties, a PDF's information dictionary. Empty when it keeps none."""
    found: list[dt.date] = []
    if data.startswith(b"PK\x03\x04"):
        try:
            archive = Archive(data)
            parts = archive.chunks("docProps/core.xml") if "docProps/core.xml" in archive.names else iter(())
            text = b"".join(parts).decode("utf-8", "replace")
        except Refused:
            text = ""
        for tag in ("created", "modified"):
            match = re.search(rf"<dcterms:{tag}[^>]*>(\d{{4}})-(\d{{2}})-(\d{{2}})", text)
            if match:
                found.append(dt.date(*map(int, match.groups())))
    elif data.startswith(b"%PDF"):
        for key in (b"CreationDate", b"ModDate"):
            dated = re.search(rb"/" + key + rb"\s*\(D:(\d{4})(\d{2})(\d{2})", data[:200_000] + data[-200_000:])
            if dated:
                with contextlib.suppress(ValueError):
                    found.append(dt.date(*map(int, dated.groups())))
    return [d for d in found if 1949 <= d.year <= 2200]


def _cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return value.replace("\r\n", BREAK).replace("\n", BREAK)  # Alt+Enter in a cell
    return str(value)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class _WordRows:
    """Each row of a Word document's tables as cells (a cell merged across columns counts once
    per column it spans; a cell merged down repeats the text above), and each paragraph outside
    tables as one cell, in document order, streamed. Numbers are positions in the document. A
    table inside a table cell is read as that cell's text."""

    def __init__(self) -> None:
        self.rows: Rows = []
        self.position = 0
        self.tables = 0  # how deep in tables
        self.cells: list[str] | None = None  # the current row of the outer table
        self.above: list[str] = []
        self.cell: list[str] | None = None  # paragraphs of the current outer cell
        self.span, self.merged = 1, False
        self.paragraph: Text | None = None
        self.in_text = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{_W}p":
            self.paragraph = self.paragraph or Text()
        elif tag == f"{_W}t":
            self.in_text = True
        elif tag in (f"{_W}br", f"{_W}cr") and self.paragraph is not None and attrs.get(f"{_W}type") != "page":
            self.paragraph.add(BREAK)  # Shift+Enter: a line its author broke
        elif tag == f"{_W}tbl":
            self.tables += 1
        elif self.tables == 1:
            if tag == f"{_W}tr":
                self.cells = []
            elif tag == f"{_W}tc":
                self.cell, self.span, self.merged = [], 1, False
            elif tag == f"{_W}gridSpan":
                value = attrs.get(f"{_W}val", "1")
                number = int(value) if value.isascii() and value.isdigit() and len(value) < 10 else 1
                self.span = max(1, min(number, MAX_COLUMNS))
            elif tag == f"{_W}vMerge":
                self.merged = attrs.get(f"{_W}val", "continue") != "restart"

    def data(self, data: str) -> None:
        if self.in_text and self.paragraph is not None:
            self.paragraph.add(data)

    def end(self, tag: str) -> None:
        if tag == f"{_W}t":
            self.in_text = False
        elif tag == f"{_W}p" and self.paragraph is not None:
            text, self.paragraph = self.paragraph.value(), None
            if self.cell is not None:
                self.cell.append(text)
                if sum(map(len, self.cell)) > MAX_CELL_CHARS:
                    raise Refused(f"表格中有一个单元格超过 {MAX_CELL_CHARS} 个字符,不像一份要点")
            elif self.tables == 0:
                self._add([text])
        elif tag == f"{_W}tbl":
            self.tables -= 1
            if self.tables == 0:
                self.above = []
        elif self.tables == 1 and tag == f"{_W}tc" and self.cells is not None and self.cell is not None:
            text = BREAK.join(self.cell)  # the cell's paragraphs: breaks its author typed
            if self.merged and len(self.above) > len(self.cells):
                text = self.above[len(self.cells)]
            if len(self.cells) + self.span > MAX_COLUMNS:
                raise Refused(f"表格的一行超过 {MAX_COLUMNS} 栏,不像一份要点")
            self.cells += [text] + [""] * (self.span - 1)
            self.cell = None
        elif self.tables == 1 and tag == f"{_W}tr" and self.cells is not None:
            self._add(self.cells)
            self.above, self.cells = self.cells, None

    def _add(self, cells: list[str]) -> None:
        self.position += 1
        if any(cell.strip() for cell in cells):
            if len(self.rows) >= MAX_ROWS:
                raise Refused(f"超过 {MAX_ROWS} 段文字,不像一份要点")
            self.rows.append((self.position, cells))

    def close(self) -> Rows:
        return self.rows


class _Tables(HTMLParser):
    """Table rows as cells, and the text of everything else as one-cell rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: Rows = []
        self.position = 0
        self._cells: list[str] | None = None
        self._cell: Text | None = None
        self._text: list[str] = []
        self._skip = 0
        self._span = self._down = 1
        self._carried: dict[int, tuple[str, int]] = {}  # column: text of a cell merged down, rows left

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "tr":
            self._flush_text()
            self._cells = []
        elif tag in ("td", "th") and self._cells is not None:
            self._cell = Text()
            given = dict(attrs)
            self._span = _span(given.get("colspan"))
            self._down = _span(given.get("rowspan"))
        elif tag in ("br", "p", "div", "li") and self._cell is not None and self._cell.value():
            self._cell.add(BREAK)  # a line the author broke inside a cell
        elif tag in ("br", "p", "div", "li", "h1", "h2", "h3") and self._cell is None:
            self._flush_text()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("td", "th") and self._cell is not None and self._cells is not None:
            self._fill_carried()
            text = self._cell.value()
            if self._down > 1:  # a cell merged down: its text stands in the rows below too
                self._carried[len(self._cells)] = (text, self._down - 1)
            self._cells += [text] + [""] * (self._span - 1)
            self._cell = None
        elif tag == "tr" and self._cells is not None:
            self._fill_carried()
            self._add(self._cells)
            self._cells = None
        elif tag in ("p", "div", "li", "h1", "h2", "h3", "table"):
            self._flush_text()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._cell is None:
            self._text.append(data)
            return
        self._cell.add(data)

    def _add(self, cells: list[str]) -> None:
        self.position += 1
        if any(cell.strip() for cell in cells):
            if len(self.rows) >= MAX_ROWS:
                raise Refused(f"超过 {MAX_ROWS} 行文字,不像一份要点")
            self.rows.append((self.position, cells[: MAX_COLUMNS * 50]))

    def _fill_carried(self) -> None:
        """Put the text of cells merged down from above into the columns they cover."""
        assert self._cells is not None
        while (column := len(self._cells)) in self._carried:
            text, left = self._carried.pop(column)
            self._cells.append(text)
            if left > 1:
                self._carried[column] = (text, left - 1)

    def _flush_text(self) -> None:
        text = "".join(self._text).strip()
        self._text = []
        for line in text.splitlines():
            if line.strip():
                self._add([line])


def _span(value: str | None) -> int:
    return int(value) if value and value.isdigit() and 0 < int(value) < 50 else 1


def _html_rows(text: str) -> Rows:
    parser = _Tables()
    parser.feed(text)
    parser.close()
    parser._flush_text()
    return parser.rows


def _pdf_rows(data: bytes, name: str) -> Rows:
    """Each page's text lines and table rows (cells from the ruling lines), top to bottom.
    pdfplumber (the ``import`` extra) reads the page layout; a cell's line breaks are wraps.
    pdfium (which pdfplumber brings) first counts the pages, characters and shapes in C, so a file
    that would take pdfplumber long (a scan, thousands of ruling lines) is refused at once."""
    try:
        import pdfplumber
        import pypdfium2
    except ImportError:
        raise UnreadablePlan(
            f"{name} 是 PDF 文件,读取 PDF 需要另装一个组件", hint="pip install 'gkcli[import]' 之后再导入"
        ) from None
    import logging

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # it warns of every font quirk on stderr
    rows: Rows = []
    try:
        _measure_pdf(pypdfium2, data)
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                rows += _page_rows(page, len(rows))
    except Refused:
        raise
    except Exception as exc:  # pdfium and pdfminer raise their own kinds for encrypted and damaged files
        kind = type(exc).__name__
        causes = [exc, *exc.args, exc.__cause__, exc.__context__]  # pdfplumber wraps pdfminer's own
        if any("Password" in type(c).__name__ or "password" in str(c).lower() for c in causes if c is not None):
            raise UnreadablePlan(f"{name} 已加密,不能读取", hint="请用原件或解除密码后再导入") from None
        raise UnreadablePlan(f"{name} 无法作为 PDF 读取: {kind}") from None
    return rows


MAX_PDF_CHARS = 40_000  # a plan of forty dense pages; pdfplumber lays out about 10,000 a second
MAX_PDF_SHAPES = 15_000  # lines, rectangles and pictures in all pages
MAX_PDF_GRID = 2_500  # crossings of a page's ruling lines: a task table page has a few hundred


def _measure_pdf(pdfium: Any, data: bytes) -> None:
    """Refuse a PDF that holds no text, or more than a plan's pages, characters or shapes."""
    document = pdfium.PdfDocument(data)
    try:
        pages = len(document)
        if pages > MAX_PDF_PAGES:
            raise Refused(f"有 {pages} 页,超过 {MAX_PDF_PAGES} 页,不读取")
        chars = shapes = 0
        for index in range(pages):
            page = document[index]
            text = page.get_textpage()
            count = text.count_chars()
            chars += count
            shapes += max(0, pdfium.raw.FPDFPage_CountObjects(page.raw) - count)
            text.close()
            page.close()
            if chars > MAX_PDF_CHARS:
                raise Refused(f"的文字超过 {MAX_PDF_CHARS} 个字符,不像一份要点;请只导出任务表所在的页")
            if shapes > MAX_PDF_SHAPES:
                raise Refused(f"的线条和图形超过 {MAX_PDF_SHAPES} 个,不像一份要点的表格;请另存为 DOCX 或 XLSX 再导入")
    finally:
        document.close()
    if chars == 0:
        raise Refused("中没有文字,可能是扫描件;请先做文字识别(OCR),或使用发布单位提供的文字版")


def _page_rows(page: Any, before: int) -> Rows:
    rows = {round(float(edge["top"]) / 3) for edge in page.horizontal_edges}
    columns = {round(float(edge["x0"]) / 3) for edge in page.vertical_edges}
    if len(rows) * len(columns) > MAX_PDF_GRID:  # finding cells costs each crossing of two lines
        raise Refused(f"第 {page.page_number} 页的表格线有 {len(rows)} 横 {len(columns)} 竖,不像一份要点的表格")
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, object]) -> bool:
        x, top = float(obj.get("x0", 0)), float(obj.get("top", 0))  # type: ignore[arg-type]
        return not any(b[0] - 1 <= x <= b[2] + 1 and b[1] - 1 <= top <= b[3] + 1 for b in boxes)

    placed: list[tuple[float, list[str]]] = []
    text = page.filter(lambda obj: obj.get("object_type") != "char" or outside(obj))
    for line in text.extract_text_lines():
        placed.append((float(line["top"]), [line["text"]]))
    for table in tables:
        for index, row in enumerate(table.extract()):
            placed.append((float(table.bbox[1]) + index * 0.001, ["" if c is None else c for c in row]))
    placed.sort(key=lambda item: item[0])
    return [(before + n, cells) for n, (_, cells) in enumerate(placed, 1)]
