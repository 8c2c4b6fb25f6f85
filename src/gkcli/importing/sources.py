"""The rows of cells in a plan file, chosen by what the file holds rather than its name: a PDF
(its tables from the ruling lines, and the text around them; needs the ``import`` extra), an XLSX
workbook, a DOCX document (its tables, then its paragraphs), an HTML page (its tables, then its
text), CSV, or text with tab-separated cells (a PDF's text layer). Reading is bounded: an archive
whose parts would unpack to more than a set size is refused before it is opened, and XML is read
without entities or external references."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from html.parser import HTMLParser

from gkcli.errors import UnreadablePlan

Rows = list[tuple[int, list[str]]]  # line or row number, cells
MAX_UNPACKED = 64 * 1024 * 1024  # a plan's workbook unpacks to well under a megabyte
_OTHER = {b"\xd0\xcf\x11\xe0": "旧版 Word 或 Excel(.doc/.xls)"}
MAX_PDF_PAGES = 200  # a plan is a few dozen pages


def rows_of(data: bytes, name: str) -> tuple[Rows, str]:
    """The rows of ``data`` and a word for its kind; UnreadablePlan when it holds no table to read."""
    for magic, kind in _OTHER.items():
        if data.startswith(magic):
            raise UnreadablePlan(
                f"{name} 是{kind}文件,目前还不能直接读取",
                hint="请另存为 XLSX 或 CSV,或把任务表转成以制表符分栏的文本(表头一行,每项任务一行)后再导入",
            )
    if data.startswith(b"%PDF"):
        return _pdf_rows(data, name), "PDF"
    if data.startswith(b"PK\x03\x04"):
        names = _archive_names(data, name)
        if "word/document.xml" in names:
            return _docx_rows(data), "DOCX"
        if "xl/workbook.xml" in names:
            return _xlsx_rows(data, name), "XLSX"
        raise UnreadablePlan(f"{name} 是 ZIP 包,但既不是 Word 文档也不是 Excel 工作簿")
    text = _decode(data, name)
    if re.match(r"\s*(<!doctype html|<html|<table|<meta|<head|<body)", text[:2000], flags=re.I):
        return _html_rows(text), "网页"
    if "\t" in text:
        return [(n, line.split("\t")) for n, line in enumerate(text.splitlines(), 1)], "文字层"
    rows = _csv_rows(text)
    from gkcli.importing.table import columns_of

    if any(columns_of([c.strip() for c in cells]) for _, cells in rows[:200]):
        return rows, "CSV"
    return [(n, [line]) for n, line in enumerate(text.splitlines(), 1)], "文字"


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadablePlan(f"{name} 不是文本文件(既非 UTF-8 也非 GB18030)")


def _csv_rows(text: str) -> Rows:
    return [(n, row) for n, row in enumerate(csv.reader(io.StringIO(text)), 1)]


def _archive_names(data: bytes, name: str) -> set[str]:
    """The parts of a ZIP-based Office file, after checking it would not unpack to too much."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise UnreadablePlan(f"{name} 不是完整的 Office 文件") from None
    if len(members) > 1000 or sum(m.file_size for m in members) > MAX_UNPACKED:
        raise UnreadablePlan(f"{name} 解压后过大,不读取", hint="一份要点的 Office 文件解压后不到几 MB;请确认文件")
    return {m.filename for m in members}


def _xlsx_rows(data: bytes, name: str) -> Rows:
    from gkcli.store.xlsx import sheets

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            first = next(iter(sheets(archive).values()), {})
    except (zipfile.BadZipFile, KeyError, ValueError, OverflowError) as exc:
        raise UnreadablePlan(f"{name} 无法作为 Excel 工作簿打开: {type(exc).__name__}") from None
    last = max(first, default=0)  # every row up to the last, empty ones too: line numbers stay true
    return [(n, ["" if value is None else _cell(value) for value in first.get(n, [])]) for n in range(1, last + 1)]


def _cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_rows(data: bytes) -> Rows:
    """Each table row of a Word document as cells (a cell merged across columns counts once per
    column it spans; a cell merged down repeats the text above), and each paragraph outside
    tables as one cell, in document order. Numbers are positions in the document."""
    from gkcli.store.xlsx import safe_xml

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        document = safe_xml(archive.read("word/document.xml"))
    if document is None:
        raise UnreadablePlan("Word 文档中有 DTD 或实体声明,不读取")
    body = document.find(f"{_W}body")
    rows: Rows = []
    for block in body if body is not None else ():
        if block.tag == f"{_W}p":
            rows.append((len(rows) + 1, [_text(block)]))
        elif block.tag == f"{_W}tbl":
            above: list[str] = []
            for tr in block.iter(f"{_W}tr"):
                cells: list[str] = []
                for tc in tr.findall(f"{_W}tc"):
                    props = tc.find(f"{_W}tcPr")
                    span = props.find(f"{_W}gridSpan") if props is not None else None
                    merge = props.find(f"{_W}vMerge") if props is not None else None
                    text = "\n".join(_text(p) for p in tc.iter(f"{_W}p"))
                    if merge is not None and merge.get(f"{_W}val") != "restart" and len(above) > len(cells):
                        text = above[len(cells)]
                    width = int(span.get(f"{_W}val", "1")) if span is not None else 1
                    cells += [text] + [""] * (width - 1)
                rows.append((len(rows) + 1, cells))
                above = cells
    return rows


def _text(element: object) -> str:
    return "".join(t.text or "" for t in element.iter(f"{_W}t"))  # type: ignore[attr-defined]


class _Tables(HTMLParser):
    """Table rows as cells, and the text of everything else as one-cell rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: Rows = []
        self._cells: list[str] | None = None
        self._cell: list[str] | None = None
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
            self._cell = []
            given = dict(attrs)
            self._span = _span(given.get("colspan"))
            self._down = _span(given.get("rowspan"))
        elif tag in ("br", "p", "div", "li", "h1", "h2", "h3") and self._cell is None:
            self._flush_text()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("td", "th") and self._cell is not None and self._cells is not None:
            self._fill_carried()
            text = "".join(self._cell)
            if self._down > 1:  # a cell merged down: its text stands in the rows below too
                self._carried[len(self._cells)] = (text, self._down - 1)
            self._cells += [text] + [""] * (self._span - 1)
            self._cell = None
        elif tag == "tr" and self._cells is not None:
            self._fill_carried()
            self.rows.append((len(self.rows) + 1, self._cells))
            self._cells = None
        elif tag in ("p", "div", "li", "h1", "h2", "h3", "table"):
            self._flush_text()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        (self._cell if self._cell is not None else self._text).append(data)

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
                self.rows.append((len(self.rows) + 1, [line]))


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
    pdfplumber (the ``import`` extra) reads the page layout; a cell's line breaks are wraps."""
    try:
        import pdfplumber
    except ImportError:
        raise UnreadablePlan(
            f"{name} 是 PDF 文件,读取 PDF 需要另装一个组件", hint="pip install 'gkcli[import]' 之后再导入"
        ) from None
    import logging

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # it warns of every font quirk on stderr
    rows: Rows = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise UnreadablePlan(f"{name} 有 {len(pdf.pages)} 页,超过 {MAX_PDF_PAGES} 页,不读取")
            for page in pdf.pages:
                rows += _page_rows(page, len(rows))
    except UnreadablePlan:
        raise
    except Exception as exc:  # pdfminer raises its own kinds for encrypted and damaged files
        kind = type(exc).__name__
        causes = [exc, *exc.args, exc.__cause__, exc.__context__]  # pdfplumber wraps pdfminer's own
        if any("Password" in type(c).__name__ or "password" in str(c).lower() for c in causes if c is not None):
            raise UnreadablePlan(f"{name} 已加密,不能读取", hint="请用原件或解除密码后再导入") from None
        raise UnreadablePlan(f"{name} 无法作为 PDF 读取: {kind}") from None
    if not any(cell.strip() for _, cells in rows for cell in cells):
        raise UnreadablePlan(f"{name} 中没有文字,可能是扫描件", hint="请先做文字识别(OCR),或使用发布单位提供的文字版")
    return rows


def _page_rows(page: object, before: int) -> Rows:
    tables = page.find_tables()  # type: ignore[attr-defined]
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, object]) -> bool:
        x, top = float(obj.get("x0", 0)), float(obj.get("top", 0))  # type: ignore[arg-type]
        return not any(b[0] - 1 <= x <= b[2] + 1 and b[1] - 1 <= top <= b[3] + 1 for b in boxes)

    placed: list[tuple[float, list[str]]] = []
    text = page.filter(lambda obj: obj.get("object_type") != "char" or outside(obj))  # type: ignore[attr-defined]
    for line in text.extract_text_lines():
        placed.append((float(line["top"]), [line["text"]]))
    for table in tables:
        for index, row in enumerate(table.extract()):
            placed.append((float(table.bbox[1]) + index * 0.001, ["" if c is None else c for c in row]))
    placed.sort(key=lambda item: item[0])
    return [(before + n, cells) for n, (_, cells) in enumerate(placed, 1)]
