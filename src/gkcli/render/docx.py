"""Word documents (.docx) laid out as official documents (公文, GB/T 9704-2012).

A :class:`Document` collects paragraphs and tables in a few named styles (title, body, the two
heading levels, table text) and :meth:`Document.package` writes the Office Open XML package:
A4, margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right; the title in 2号 方正小标宋简体,
the body in 3号 仿宋_GB2312 on a fixed 28.95 pt line (22 lines a page), headings 一、 in 黑体 and
(一) in 楷体_GB2312; page numbers "— 1 —" as a PAGE field in 4号 宋体, on the outer side (odd
pages right, even pages left, one character in); every table's header row repeated on each page.

Every font is named for East Asian text explicitly (``w:eastAsia``, with ``w:hint`` and the
zh-CN language), and the font table gives each one's usual substitute (``w:altName``: 宋体, 仿宋,
楷体, 黑体) and the GB2312 character set, so Word and WPS on a machine without the 方正 or _GB2312
fonts fall back to a Chinese font rather than a Japanese one.

The XML is written directly: the handful of parts a document needs are short, and what the
format asks for here (East Asian fonts, fields, odd and even footers, repeated table headers) lies
outside what python-docx models, so it would be raw XML there too. Nothing depends on the clock:
the package's dates are the day the document reports on, so the same registry and day give the
same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from gkcli.render.package import core_stamp, zipped
from gkcli.text import cells, chinese_punctuation

TWIPS_PER_MM = 1440 / 25.4
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838  # A4 in twips (210 mm x 297 mm)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
# A wide table (an attachment) goes on landscape pages: the same A4 turned, narrower margins all round.
LANDSCAPE_MARGINS_MM = {"top": 28, "bottom": 26, "left": 25, "right": 25}
FOOTER_MM = 23  # the page number's line sits 7 mm below the text block (its top 28 mm from the edge)
LANDSCAPE_FOOTER_MM = 14
TEXT_WIDTH = PAGE_WIDTH - round((MARGINS_MM["left"] + MARGINS_MM["right"]) * TWIPS_PER_MM)
LANDSCAPE_TEXT_WIDTH = PAGE_HEIGHT - round(
    (LANDSCAPE_MARGINS_MM["left"] + LANDSCAPE_MARGINS_MM["right"]) * TWIPS_PER_MM
)
LINE_TWIPS = 579  # 28.95 pt: 22 lines of 3号 text in the text block
TABLE_LINE_TWIPS = 260  # 13 pt: a line of 5号 table text


@dataclass(frozen=True)
class Font:
    name: str  # as Word and WPS know it
    substitute: str  # what to use where it is missing (w:altName)
    family: str  # roman (serif), modern, swiss (sans), script


TITLE_FONT = Font("方正小标宋简体", "宋体", "roman")
BODY_FONT = Font("仿宋_GB2312", "仿宋", "modern")
HEADING_FONT = Font("黑体", "SimHei", "modern")
SUBHEADING_FONT = Font("楷体_GB2312", "楷体", "script")
NUMBER_FONT = Font("宋体", "SimSun", "roman")
FONTS = (TITLE_FONT, BODY_FONT, HEADING_FONT, SUBHEADING_FONT, NUMBER_FONT)

# sizes in half points, by their Chinese names
SIZE_2 = 44  # 2号, 22 pt
SIZE_3 = 32  # 3号, 16 pt
SIZE_4 = 28  # 4号, 14 pt
SIZE_5 = 21  # 5号, 10.5 pt: table text

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _mm(value: float) -> int:
    return round(value * TWIPS_PER_MM)


def _text(value: str) -> str:
    """Runs for ``value``: Chinese punctuation full-width, XML-escaped, characters XML cannot hold
    dropped, line breaks and tabs kept."""
    clean = _XML_UNSAFE.sub("", chinese_punctuation(value)).replace("\r\n", "\n").replace("\r", "\n")
    runs: list[str] = []
    for n, line in enumerate(clean.split("\n")):
        if n:
            runs.append("<w:br/>")
        for m, piece in enumerate(line.split("\t")):
            if m:
                runs.append("<w:tab/>")
            if piece:
                runs.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return f"<w:r>{''.join(runs)}</w:r>" if runs else ""


def _fonts(font: Font) -> str:
    name = escape(font.name, {'"': "&quot;"})
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}" w:hint="eastAsia"/>'


@dataclass
class Document:
    """A document being written: blocks of WordprocessingML in order."""

    title: str
    author: str
    day: dt.date  # the day it reports on: its dates in the package
    body: list[str] = field(default_factory=list)
    landscape: bool = False  # the pages being written now (the last section's)

    def turn_landscape(self) -> None:
        """End the pages written so far (portrait) and go on, from a new page, on landscape pages:
        the place for an attachment's wide table."""
        if not self.landscape:
            self.body.append(f"<w:p><w:pPr>{_section(landscape=False)}</w:pPr></w:p>")
            self.landscape = True

    def paragraph(self, text: str, style: str = "Normal", align: str | None = None) -> None:
        props = f'<w:pStyle w:val="{style}"/>' + (f'<w:jc w:val="{align}"/>' if align else "")
        self.body.append(f"<w:p><w:pPr>{props}</w:pPr>{_text(text)}</w:p>")

    def title_block(self, text: str, subtitle: str | None = None) -> None:
        """The title, centred, a line on its own under it (and a subtitle in 楷体 when given)."""
        self.paragraph(text, "Title")
        if subtitle:
            self.paragraph(subtitle, "Subtitle")
        self.paragraph("", "Normal")

    def heading(self, text: str, level: int) -> None:
        self.paragraph(text, "Heading1" if level == 1 else "Heading2")

    def signature(self, issuer: str, day: dt.date) -> None:
        """The issuer and the date, right-aligned four characters in, after a blank line."""
        self.paragraph("", "Normal")
        self.paragraph(issuer, "Signature")
        self.paragraph(f"{day.year}年{day.month}月{day.day}日", "Signature")

    def page_break(self) -> None:
        self.body.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]], centred: Sequence[int] = ()) -> None:
        """A table as wide as the text, its header row repeated on every page it runs to; the
        columns shared out by the length of what they hold; ``centred``: columns of numbers or dates."""
        widths = _widths(headers, rows, LANDSCAPE_TEXT_WIDTH if self.landscape else TEXT_WIDTH)
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        border = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
        sides = "".join(f"<w:{side} {border}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        props = (
            f'<w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
            f'<w:tblBorders>{sides}</w:tblBorders><w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
            'w:noHBand="0" w:noVBand="1"/></w:tblPr>'
        )
        head = "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" + "".join(
            _cell(h, w, "TableHeader", "center") for h, w in zip(headers, widths, strict=True)
        ) + "</w:tr>"  # fmt: skip
        centred_columns = set(centred)
        body = "".join(
            "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
            + "".join(
                _cell(value, width, "TableText", "center" if n in centred_columns else None)
                for n, (value, width) in enumerate(zip(row, widths, strict=True))
            )
            + "</w:tr>"
            for row in rows
        )
        self.body.append(f"<w:tbl>{props}<w:tblGrid>{grid}</w:tblGrid>{head}{body}</w:tbl>")
        self.body.append('<w:p><w:pPr><w:pStyle w:val="TableText"/></w:pPr></w:p>')  # Word needs one after

    def package(self) -> bytes:
        """The .docx file: the same document always gives the same bytes."""
        parts = {
            "[Content_Types].xml": _CONTENT_TYPES,
            "_rels/.rels": _ROOT_RELS,
            "docProps/core.xml": self._core(),
            "docProps/app.xml": _APP,
            "word/document.xml": self._document(),
            "word/_rels/document.xml.rels": _DOCUMENT_RELS,
            "word/styles.xml": _styles(),
            "word/settings.xml": _SETTINGS,
            "word/fontTable.xml": _font_table(),
            "word/footer1.xml": _footer("right"),
            "word/footer2.xml": _footer("left"),
        }
        return zipped(((name, text.encode("utf-8")) for name, text in parts.items()), self.day)

    def _document(self) -> str:
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}" xmlns:r="{_R}">'
            f"<w:body>{''.join(self.body)}{_section(landscape=self.landscape)}</w:body></w:document>"
        )

    def _core(self) -> str:
        stamp = core_stamp(self.day)
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(_XML_UNSAFE.sub('', self.title))}</dc:title>"
            f"<dc:creator>{escape(_XML_UNSAFE.sub('', self.author))}</dc:creator><dc:language>zh-CN</dc:language>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'
        )


def _section(*, landscape: bool) -> str:
    """A section's properties: A4 portrait with the official margins, or A4 landscape; the page
    numbers run on across sections."""
    found = LANDSCAPE_MARGINS_MM if landscape else MARGINS_MM
    margins = {side: _mm(mm) for side, mm in found.items()}
    size = (
        f'<w:pgSz w:w="{PAGE_HEIGHT}" w:h="{PAGE_WIDTH}" w:orient="landscape"/>'
        if landscape
        else f'<w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/>'
    )
    footer = _mm(LANDSCAPE_FOOTER_MM if landscape else FOOTER_MM)
    return (
        '<w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/>'
        '<w:footerReference w:type="even" r:id="rIdFooterEven"/>'
        f'<w:type w:val="nextPage"/>{size}'
        f'<w:pgMar w:top="{margins["top"]}" w:right="{margins["right"]}" w:bottom="{margins["bottom"]}" '
        f'w:left="{margins["left"]}" w:header="851" w:footer="{footer}" w:gutter="0"/>'
        '<w:pgNumType w:fmt="decimal"/></w:sectPr>'
    )


def _cell(text: str, width: int, style: str, align: str | None) -> str:
    jc = f'<w:jc w:val="{align}"/>' if align else ""
    paragraph = f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{jc}</w:pPr>{_text(text)}</w:p>'
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>{paragraph}</w:tc>'


CELL_TWIPS = SIZE_5 * 5  # half of a 5号 character (a Latin letter or digit) in twips
NARROW_CELLS = 14  # a column that needs no more than this (numbers, dates, short words) gets what it needs
HEADER_CELLS = 8  # a header may wrap after four Chinese characters (存在问题 / 及困难)


def _widths(headers: Sequence[str], rows: Sequence[Sequence[str]], text_width: int = TEXT_WIDTH) -> list[int]:
    """Each column's width in twips, together ``text_width``, chosen so the table is as short as it
    can be: every column starts as wide as its header and its longest number or date need (so
    those never wrap), and the rest of the width goes, a little at a time, to the column where it
    saves the most lines over all the rows (the task's wording, usually); what saves nothing is
    shared by the amount of text each column holds."""
    room = text_width / CELL_TWIPS
    texts = [[[cells(line) for line in str(row[n]).split("\n")] for row in rows] for n in range(len(headers))]
    floors = []
    for n, header in enumerate(headers):
        longest = max((c for lines in texts[n] for c in lines), default=0)
        floor = min(longest, NARROW_CELLS) if longest <= NARROW_CELLS else NARROW_CELLS
        floors.append(max(floor, min(cells(header), HEADER_CELLS)) + 2)
    widths = [float(w) for w in floors]
    if sum(widths) >= room:  # too many columns for the page: all narrower alike
        widths = [w * room / sum(widths) for w in widths]
    else:
        _grow(widths, texts, room, step=2.0)
    twips = [int(w * CELL_TWIPS) for w in widths]
    twips[-1] += text_width - sum(twips)
    return twips


def _lines(lengths: list[int], width: float) -> int:
    usable = max(width - 2, 1.0)
    return sum(max(1, -(-length // int(usable))) for length in lengths)


SAMPLED_ROWS = 300  # a long table's widths are fitted to an even sample of its rows


def _grow(widths: list[float], texts: list[list[list[int]]], room: float, step: float) -> None:
    """Give the spare width to the columns, each time to the column (and by the amount) that takes
    the most lines off the table's height per unit of width (a row is as tall as its tallest cell);
    what would save no line goes to the columns by the amount of text they hold."""
    count = len(texts[0])
    chosen = range(count) if count <= SAMPLED_ROWS else [r * count // SAMPLED_ROWS for r in range(SAMPLED_ROWS)]
    sample = [[texts[n][r] for r in chosen] for n in range(len(widths))]
    heights = [[_lines(sample[n][r], widths[n]) for n in range(len(widths))] for r in range(len(chosen))]
    spare = room - sum(widths)
    while spare >= step:
        best: tuple[float, int, int] | None = None  # lines saved per step, column, steps
        tallest = [max(row) for row in heights]
        for n in range(len(widths)):
            others = [_tallest_but(row, n) for row in heights]  # how tall each row stays whatever n does
            for k in range(1, int(spare // step) + 1):
                wider = widths[n] + k * step
                saved = sum(
                    top - max(other, _lines(lines, wider))
                    for top, other, lines in zip(tallest, others, sample[n], strict=True)
                )
                if saved > 0:
                    if best is None or saved / k > best[0]:
                        best = (saved / k, n, k)
                    break  # the fewest steps that save anything, for this column
        if best is None:
            break
        _, n, k = best
        widths[n] += k * step
        spare -= k * step
        for r, row in enumerate(heights):
            row[n] = _lines(sample[n][r], widths[n])
    amounts = [sum(sum(lines) for lines in column) + 1 for column in texts]
    for n in range(len(widths)):
        widths[n] += spare * amounts[n] / sum(amounts)


def _tallest_but(row: list[int], column: int) -> int:
    """The most lines any cell of ``row`` but ``column``'s takes (0 for a row of one cell)."""
    return max((h for m, h in enumerate(row) if m != column), default=0)


def _footer(side: str) -> str:
    """A footer with the page number "— 1 —" on ``side``, one character in from the margin."""
    indent = f'w:{side}="{SIZE_4 * 10}"'  # one 4号 character (14 pt) in twips
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr xmlns:w="{_W}" xmlns:r="{_R}">'
        f'<w:p><w:pPr><w:pStyle w:val="Footer"/><w:ind {indent}/><w:jc w:val="{side}"/></w:pPr>'
        f'<w:r><w:t xml:space="preserve">— </w:t></w:r>{field}<w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>'
    )


def _style(style_id: str, name: str, font: Font, size: int, paragraph: str = "", kind: str = "paragraph") -> str:
    default, based = (' w:default="1"', "") if style_id == "Normal" else ("", '<w:basedOn w:val="Normal"/>')
    return (
        f'<w:style w:type="{kind}" w:styleId="{style_id}"{default}><w:name w:val="{name}"/>{based}<w:qFormat/>'
        f'<w:pPr>{paragraph}</w:pPr><w:rPr>{_fonts(font)}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
        "</w:style>"
    )


def _styles() -> str:
    body_line = f'<w:spacing w:line="{LINE_TWIPS}" w:lineRule="exact"/>'
    indent = f'<w:ind w:firstLineChars="200" w:firstLine="{SIZE_3 * 20}"/>'  # two 3号 characters
    flush = '<w:ind w:firstLineChars="0" w:firstLine="0"/>'
    single = '<w:spacing w:line="240" w:lineRule="auto"/>'
    table_line = f'<w:spacing w:line="{TABLE_LINE_TWIPS}" w:lineRule="exact"/>'  # 5号 set close, as printed forms are
    styles = [
        _style("Normal", "Normal", BODY_FONT, SIZE_3, f'<w:widowControl/>{body_line}{indent}<w:jc w:val="both"/>'),
        _style("Title", "Title", TITLE_FONT, SIZE_2,
               f'<w:keepNext/><w:spacing w:line="{round(LINE_TWIPS * 1.2)}" w:lineRule="exact"/>{flush}'
               '<w:jc w:val="center"/><w:outlineLvl w:val="0"/>'),
        _style("Subtitle", "Subtitle", SUBHEADING_FONT, SIZE_3, f'<w:keepNext/>{flush}<w:jc w:val="center"/>'),
        _style("Heading1", "heading 1", HEADING_FONT, SIZE_3, '<w:keepNext/><w:outlineLvl w:val="1"/>'),
        _style("Label", "Label", HEADING_FONT, SIZE_3, f"<w:keepNext/>{flush}"),
        _style("Heading2", "heading 2", SUBHEADING_FONT, SIZE_3, '<w:keepNext/><w:outlineLvl w:val="2"/>'),
        _style("DocumentNumber", "Document Number", BODY_FONT, SIZE_3, f'{flush}<w:jc w:val="center"/>'),
        _style("Addressee", "Addressee", BODY_FONT, SIZE_3, f'<w:keepNext/>{flush}<w:jc w:val="left"/>'),
        _style("Signature", "Signature", BODY_FONT, SIZE_3,
               f'<w:ind w:rightChars="400" w:right="{SIZE_3 * 80}" w:firstLineChars="0" w:firstLine="0"/>'
               '<w:jc w:val="right"/>'),
        _style("TableText", "Table Text", BODY_FONT, SIZE_5, f'{table_line}{flush}<w:jc w:val="left"/>'),
        _style("TableHeader", "Table Header", HEADING_FONT, SIZE_5, f'{table_line}{flush}<w:jc w:val="center"/>'),
        _style("Footer", "footer", NUMBER_FONT, SIZE_4, f"{single}{flush}"),
    ]  # fmt: skip
    defaults = (
        f'<w:docDefaults><w:rPrDefault><w:rPr>{_fonts(BODY_FONT)}<w:sz w:val="{SIZE_3}"/>'
        f'<w:szCs w:val="{SIZE_3}"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
        "</w:docDefaults>"
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{_W}">'
        f"{defaults}{''.join(styles)}</w:styles>"
    )


def _font_table() -> str:
    entries = "".join(
        f'<w:font w:name="{escape(font.name)}"><w:altName w:val="{escape(font.substitute)}"/>'
        f'<w:charset w:val="86"/><w:family w:val="{font.family}"/><w:pitch w:val="variable"/></w:font>'
        for font in FONTS
    )
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts xmlns:w="{_W}">{entries}</w:fonts>'


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/fontTable.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>'
    '<Override PartName="/word/footer1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/word/footer2.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>'
)
_ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PACKAGE_RELS}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" '
    'Target="docProps/app.xml"/></Relationships>'
)
_DOCUMENT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PACKAGE_RELS}">'
    f'<Relationship Id="rIdStyles" Type="{_R}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rIdSettings" Type="{_R}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rIdFonts" Type="{_R}/fontTable" Target="fontTable.xml"/>'
    f'<Relationship Id="rIdFooterOdd" Type="{_R}/footer" Target="footer1.xml"/>'
    f'<Relationship Id="rIdFooterEven" Type="{_R}/footer" Target="footer2.xml"/></Relationships>'
)
_SETTINGS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:settings xmlns:w="{_W}">'
    '<w:defaultTabStop w:val="420"/><w:evenAndOddHeaders/><w:characterSpacingControl w:val="compressPunctuation"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
    'w:val="15"/></w:compat></w:settings>'
)
_APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>gkcli</Application></Properties>"
)
