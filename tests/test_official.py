"""Official documents: the bulletin and the progress table as Word documents in the 公文 layout
(GB/T 9704-2012), reporting periods, the units' ranking, and PDF through LibreOffice.

Each document is opened twice: with python-docx (what a reader's program sees) and as raw XML
(what python-docx does not model: East Asian fonts, fields, footers, repeated header rows). Their
content is compared with what ``stats``, ``overdue`` and ``unit`` say on the same day, and with the
September scenario below worked by hand.

LibreOffice is not installed by CI: the PDF path is tested with a stand-in ``soffice`` (a short
Python script that checks the arguments and the font replacement table it is given, and writes a
PDF header); one more test converts for real where LibreOffice is installed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import stat
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm

from gkcli.core.bulletin import Period, period, ranking
from gkcli.core.stats import StatRow
from gkcli.errors import BadValue

from .conftest import DATA, Cli

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DAY = "2022-10-08"


# ---- periods and ranking (core) ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, name, since, as_of",
    [
        ("2022-09", "2022年9月", "2022-08-31", "2022-09-30"),
        ("2022-9", "2022年9月", "2022-08-31", "2022-09-30"),
        ("2022年2月", "2022年2月", "2022-01-31", "2022-02-28"),
        ("2024-02", "2024年2月", "2024-01-31", "2024-02-29"),
        ("2022-12", "2022年12月", "2022-11-30", "2022-12-31"),
        ("2022Q3", "2022年第三季度", "2022-06-30", "2022-09-30"),
        ("2022-q1", "2022年第一季度", "2021-12-31", "2022-03-31"),
        ("2022年第四季度", "2022年第四季度", "2022-09-30", "2022-12-31"),
        ("2022年二季度", "2022年第二季度", "2022-03-31", "2022-06-30"),
        (" 2022 ", "2022年度", "2021-12-31", "2022-12-31"),
    ],
)
def test_a_period_names_its_days(text: str, name: str, since: str, as_of: str) -> None:
    assert period(text) == Period(name, dt.date.fromisoformat(since), dt.date.fromisoformat(as_of))


@pytest.mark.parametrize("text", ["2022-13", "2022-00", "2022Q5", "2022年3", "22-09", "九月", "", "1900-01"])
def test_a_period_that_is_none_is_refused(text: str) -> None:
    with pytest.raises(BadValue, match="--period"):
        period(text)


def _row(name: str, total: int, done: int, red: int) -> StatRow:
    return StatRow(name, name, total, done, 0, red, 0, total - done - red)


def test_units_rank_by_share_done_then_fewest_overdue_and_tie() -> None:
    rows = [_row("甲", 4, 2, 1), _row("乙", 2, 1, 0), _row("丙", 3, 3, 0), _row("丁", 4, 2, 0), _row("戊", 5, 0, 3)]
    ranked = [(r.place, r.row.label) for r in ranking(rows)]
    # 丙 3/3; 乙 and 丁 1/2 with none overdue (level: one place); 甲 1/2 with one overdue; 戊 0/5
    assert ranked == [(1, "丙"), (2, "乙"), (2, "丁"), (4, "甲"), (5, "戊")]


# ---- a September worked by hand ------------------------------------------------------------------


def _september(cli: Cli) -> None:
    """Deadlines from the plan: task 36 due 2022-07-31 (7月底前), tasks 4, 20 and 27 due 2022-09-30
    (三季度前), the rest 2022-12-31. Recorded: 36 done on 09-20 (51 days late), 38 in progress,
    20 extended to 11-30, a request to extend 27 to 12-15 not yet granted; 4 and 27 are then 8 days
    overdue on 10-08, 20 is not."""
    steps = [
        ("done", "36", "--on", "2022-09-20", "--note", "矩阵已建成"),
        ("progress", "38", "--on", "2022-09-10", "--unit", "县财政局", "--note", "汇总中"),
        ("extend", "20", "--to", "2022-11-30", "--on", "2022-09-25", "--note", "平台升级"),
        ("extend", "27", "--to", "2022-12-15", "--on", "2022-09-26", "--request", "--note", "需协调市级部门"),
    ]
    for step in steps:
        result = cli(*step, GKCLI_TODAY="2022-09-30")
        assert result.exit_code == 0, result.stderr


def _docx(cli: Cli, tmp_path: Path, *args: str, name: str = "通报.docx") -> Path:
    out = tmp_path / name
    result = cli(*args, "-o", str(out), GKCLI_TODAY=DAY)
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def bulletin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bulletin of the shipped registry on DAY, written once for the tests that only read it."""
    from typer.testing import CliRunner

    from gkcli.cli import app

    folder = tmp_path_factory.mktemp("bulletin")
    shutil.copytree(DATA, folder / "data")
    out = folder / "通报.docx"
    env = {"GKCLI_DATA": str(folder / "data"), "GKCLI_TODAY": DAY, "GKCLI_CACHE_DIR": str(folder / "cache")}
    result = CliRunner().invoke(app, ["report", "--as-of", DAY, "-o", str(out)], env=env)
    assert result.exit_code == 0, result.stderr
    return out


def _parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {
            name: archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith((".xml", ".rels"))
        }


def _tables(path: Path) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in Document(str(path)).tables]


def _json(cli: Cli, *args: str) -> object:
    result = cli(*args, "-f", "json", GKCLI_TODAY=DAY)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_the_page_is_a4_with_the_official_margins_and_footers(bulletin: Path) -> None:
    path = bulletin
    section = Document(str(path)).sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(0.1)
    for side, mm in (("top", 37), ("bottom", 35), ("left", 28), ("right", 26)):
        assert abs(getattr(section, f"{side}_margin") - Mm(mm)) < Mm(0.05), side
    parts = _parts(path)
    assert "<w:evenAndOddHeaders/>" in parts["word/settings.xml"]  # odd and even pages differ
    document = parts["word/document.xml"]
    odd = re.search(r'<w:footerReference w:type="default" r:id="(\w+)"/>', document)
    even = re.search(r'<w:footerReference w:type="even" r:id="(\w+)"/>', document)
    assert odd and even
    rels = parts["word/_rels/document.xml.rels"]
    footer = {rid: re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels)[1] for rid in (odd[1], even[1])}  # type: ignore[index]
    for rid, side in ((odd[1], "right"), (even[1], "left")):
        xml = parts["word/" + footer[rid]]
        assert (
            f'<w:jc w:val="{side}"/>' in xml and f'<w:ind w:{side}="280"/>' in xml
        )  # outer side, one 4号 character in
        assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", xml)  # a field, not a fixed number
        assert ">— </w:t>" in xml and "> —</w:t>" in xml
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml


def _style(styles: str, style_id: str) -> str:
    found = re.search(rf'<w:style [^>]*w:styleId="{style_id}"[^>]*>(.*?)</w:style>', styles)
    assert found, style_id
    return found[1]


@pytest.mark.parametrize(
    "style_id, font, half_points",
    [("Title", "方正小标宋简体", 44), ("Normal", "仿宋_GB2312", 32), ("Heading1", "黑体", 32),
     ("Heading2", "楷体_GB2312", 32), ("Footer", "宋体", 28)],
)  # fmt: skip
def test_each_style_names_its_east_asian_font_and_size(
    bulletin: Path, style_id: str, font: str, half_points: int
) -> None:
    parts = _parts(bulletin)
    style = _style(parts["word/styles.xml"], style_id)
    fonts = re.search(r"<w:rFonts ([^>]*)/>", style)
    assert fonts and f'w:eastAsia="{font}"' in fonts[1] and f'w:ascii="{font}"' in fonts[1]
    assert 'w:hint="eastAsia"' in fonts[1]
    assert f'<w:sz w:val="{half_points}"/>' in style
    assert 'w:eastAsia="zh-CN"' in parts["word/styles.xml"]  # the text is Chinese, not Japanese
    table = re.search(rf'<w:font w:name="{font}">(.*?)</w:font>', parts["word/fontTable.xml"])
    assert table and '<w:charset w:val="86"/>' in table[1] and "<w:altName " in table[1]  # GB2312, and a fallback


# The order of child elements the WordprocessingML schema (ECMA-376 part 1, transitional) fixes for
# the elements gkcli writes: Word refuses a document whose children are out of this order, where
# LibreOffice and python-docx read it anyway. Names in one inner tuple may come in any order.
SCHEMA_ORDER: dict[str, list[tuple[str, ...]]] = {
    "pPr": [("pStyle",), ("keepNext",), ("keepLines",), ("pageBreakBefore",), ("framePr",), ("widowControl",),
            ("numPr",), ("suppressLineNumbers",), ("pBdr",), ("shd",), ("tabs",), ("suppressAutoHyphens",),
            ("kinsoku",), ("wordWrap",), ("overflowPunct",), ("topLinePunct",), ("autoSpaceDE",), ("autoSpaceDN",),
            ("bidi",), ("adjustRightInd",), ("snapToGrid",), ("spacing",), ("ind",), ("contextualSpacing",),
            ("mirrorIndents",), ("suppressOverlap",), ("jc",), ("textDirection",), ("textAlignment",),
            ("textboxTightWrap",), ("outlineLvl",), ("divId",), ("cnfStyle",), ("rPr",), ("sectPr",)],
    "rPr": [("rStyle",), ("rFonts",), ("b",), ("bCs",), ("i",), ("iCs",), ("caps",), ("smallCaps",), ("strike",),
            ("dstrike",), ("outline",), ("shadow",), ("emboss",), ("imprint",), ("noProof",), ("snapToGrid",),
            ("vanish",), ("webHidden",), ("color",), ("spacing",), ("w",), ("kern",), ("position",), ("sz",),
            ("szCs",), ("highlight",), ("u",), ("effect",), ("bdr",), ("shd",), ("fitText",), ("vertAlign",),
            ("rtl",), ("cs",), ("em",), ("lang",), ("eastAsianLayout",)],
    "sectPr": [("headerReference", "footerReference"), ("footnotePr",), ("endnotePr",), ("type",), ("pgSz",),
               ("pgMar",), ("paperSrc",), ("pgBorders",), ("lnNumType",), ("pgNumType",), ("cols",), ("formProt",),
               ("vAlign",), ("noEndnote",), ("titlePg",), ("textDirection",), ("bidi",), ("rtlGutter",), ("docGrid",)],
    "tblPr": [("tblStyle",), ("tblpPr",), ("tblOverlap",), ("bidiVisual",), ("tblStyleRowBandSize",),
              ("tblStyleColBandSize",), ("tblW",), ("jc",), ("tblCellSpacing",), ("tblInd",), ("tblBorders",),
              ("shd",), ("tblLayout",), ("tblCellMar",), ("tblLook",)],
    "tblBorders": [("top",), ("left", "start"), ("bottom",), ("right", "end"), ("insideH",), ("insideV",)],
    "tcPr": [("cnfStyle",), ("tcW",), ("gridSpan",), ("hMerge",), ("vMerge",), ("tcBorders",), ("shd",),
             ("noWrap",), ("tcMar",), ("textDirection",), ("tcFitText",), ("vAlign",), ("hideMark",)],
    "style": [("name",), ("aliases",), ("basedOn",), ("next",), ("link",), ("autoRedefine",), ("hidden",),
              ("uiPriority",), ("semiHidden",), ("unhideWhenUsed",), ("qFormat",), ("locked",), ("rsid",), ("pPr",),
              ("rPr",), ("tblPr",)],
    "settings": [("defaultTabStop",), ("evenAndOddHeaders",), ("characterSpacingControl",), ("compat",)],
    "font": [("altName",), ("panose1",), ("charset",), ("family",), ("notTrueType",), ("pitch",), ("sig",)],
    "tbl": [("tblPr",), ("tblGrid",), ("tr",)],
    "tr": [("tblPrEx",), ("trPr",), ("tc",)],
    "tc": [("tcPr",), ("p", "tbl")],
    "p": [("pPr",), ("r", "hyperlink", "fldSimple")],
    "r": [("rPr",), ("t", "br", "tab", "fldChar", "instrText")],
}  # fmt: skip
REPEATING = {"tbl", "tr", "tc", "p", "r", "sectPr"}  # elements whose children may repeat (rows, cells, runs)


@pytest.mark.slow  # a Word bulletin read back
@pytest.mark.parametrize("command", [["report"], ["export", "--unit", "县财政局"]])
def test_every_element_is_in_the_order_word_requires(cli: Cli, tmp_path: Path, command: list[str]) -> None:
    from xml.etree import ElementTree

    _september(cli)
    checked = 0
    for name, xml in _parts(_docx(cli, tmp_path, *command, "--as-of", DAY)).items():
        for element in ElementTree.fromstring(xml).iter():
            order = SCHEMA_ORDER.get(element.tag.removeprefix(W))
            if order is None or not element.tag.startswith(W):
                continue
            place = {tag: n for n, tags in enumerate(order) for tag in tags}
            children = [child.tag.removeprefix(W) for child in element]
            assert all(c in place for c in children), (name, element.tag, children)
            positions = [place[c] for c in children]
            assert positions == sorted(positions), (name, element.tag, children)
            if element.tag.removeprefix(W) not in REPEATING:
                assert len(children) == len(set(children)), (name, element.tag, children)  # e.g. two w:ind
            checked += 1
    assert checked > 100


def test_body_text_is_on_the_official_line(bulletin: Path) -> None:
    """22 lines a page: 3号 text on a fixed 28.95 pt line, each paragraph two characters in."""
    normal = _style(_parts(bulletin)["word/styles.xml"], "Normal")
    assert '<w:spacing w:line="579" w:lineRule="exact"/>' in normal and 'w:firstLineChars="200"' in normal


@pytest.mark.slow  # a Word bulletin read back
def test_the_bulletin_is_laid_out_as_a_bulletin(cli: Cli, tmp_path: Path) -> None:
    _september(cli)
    document = Document(str(_docx(cli, tmp_path, "report", "--as-of", DAY, "--known-on", DAY)))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert paragraphs[0] == ("Title", "关于2022年嵊泗县政务公开工作要点落实情况的通报")
    assert paragraphs[1] == ("Subtitle", "(统计截至 2022年10月8日)")
    parts = [text for style, text in paragraphs if style == "Heading 1"]
    assert parts == ["一、总体情况", "二、存在问题", "三、本期进展", "四、下一步工作要求"]
    items = [text for style, text in paragraphs if style == "Heading 2"]
    assert items[:3] == ["(一)各小节完成情况", "(二)各单位任务情况", "(三)各单位完成情况排名"]
    assert "(一)红灯任务(已逾期，2 项)" in items and "(四)延期的任务(1 项)" in items
    assert "(五)待批准的延期申请(1 项)" in items
    texts = [text for _, text in paragraphs]
    total = _json(cli, "stats", "--as-of", DAY)["total"]  # type: ignore[index]
    figures = next(t for t in texts if t.startswith("全部任务"))
    assert f"全部任务 {total['total']} 项" in figures and f"红灯 {total['red']} 项" in figures
    assert f"已完成 {total['done']} 项" in figures and total["done"] == 1 and total["red"] == 2
    # the next steps name each overdue task's units (hand: 4 led by 发改 and 住建; 27 by 政府办, 司法局, 市级有关单位)
    assert "序号 4(已逾期 8 天):请县发展和改革局、县住房和城乡建设局抓紧办结，完成后及时登记。" in texts
    assert "序号 27(已逾期 8 天):请县政府办公室、县司法局、市级有关单位抓紧办结，完成后及时登记。" in texts
    assert texts[-1] == "重点工作进展情况表" and "附件" in texts  # the attachment on a page of its own
    assert ("Signature", "嵊泗县人民政府办公室") in paragraphs and ("Signature", "2022年10月8日") in paragraphs
    document = _parts(tmp_path / "通报.docx")["word/document.xml"]
    _, _, attachment = document.partition('<w:pgSz w:w="11906" w:h="16838"/>')  # the portrait section ends
    assert attachment and '<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>' in attachment  # then landscape


@pytest.mark.slow  # a Word bulletin read back
def test_every_table_repeats_its_header_row(cli: Cli, tmp_path: Path) -> None:
    _september(cli)
    xml = _parts(_docx(cli, tmp_path, "report", "--as-of", DAY))["word/document.xml"]
    tables = re.findall(r"<w:tbl>(.*?)</w:tbl>", xml)
    assert len(tables) >= 6
    for table in tables:
        rows = re.findall(r"<w:tr>(.*?)</w:tr>", table)
        assert "<w:tblHeader/>" in rows[0] and not any("<w:tblHeader/>" in row for row in rows[1:])
        widths = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', table)]
        assert sum(widths) in (8845, 14003)  # the text's width: 210 - 28 - 26 mm, or landscape 297 - 25 - 25 mm


@pytest.mark.slow  # a Word bulletin read back
def test_the_tables_agree_with_stats_and_overdue(cli: Cli, tmp_path: Path) -> None:
    _september(cli)
    tables: dict[str, list[list[str]]] = {}
    for table in _tables(_docx(cli, tmp_path, "report", "--as-of", DAY)):
        tables.setdefault(table[0][0] + table[0][1], table)  # the first of each kind (red before yellow)
    units = {r["label"]: r for r in _json(cli, "stats", "--by", "unit", "--as-of", DAY)["rows"] if r["total"]}  # type: ignore[index]
    by_unit = tables["单位牵头"]
    assert by_unit[0] == ["单位", "牵头", "责任", "合计", "已完成", "红灯", "黄灯", "完成率"]
    assert {row[0]: (int(row[3]), int(row[4]), int(row[5])) for row in by_unit[1:]} == {
        name: (r["total"], r["done"], r["red"]) for name, r in units.items()
    }
    ranked = tables["名次单位"]
    assert ranked[0] == ["名次", "单位", "任务", "已完成", "完成率", "逾期"]
    # hand: 县政府办公室 alone has a part done (task 36: 1 of its 8), so it ranks first
    assert ranked[1][:4] == ["1", "县政府办公室", "8", "1"] and ranked[1][4] == "12.5%"
    assert [int(row[0]) for row in ranked[1:]] == sorted(int(row[0]) for row in ranked[1:])
    groups = {
        "县政务公开领导小组成员单位",
        "各政务新媒体主办单位",
        "各民生实事项目牵头单位",
        "市级有关单位",
    }  # no members listed
    assert {row[1]: int(row[5]) for row in ranked[1:]} == {n: r["red"] for n, r in units.items() if n not in groups}
    red = tables["序号重点工作"]
    overdue = _json(cli, "overdue", "--as-of", DAY)
    assert [int(row[0]) for row in red[1:]] == [t["id"] for t in overdue] == [4, 27]  # type: ignore[index]


@pytest.mark.slow  # a Word bulletin read back
def test_the_progress_table_reads_the_record(cli: Cli, tmp_path: Path) -> None:
    _september(cli)
    tables = _tables(_docx(cli, tmp_path, "report", "--as-of", DAY, "--known-on", DAY))
    progress = next(t for t in tables if t[0][0] == "序号" and t[0][1] == "任务内容")
    assert progress[0] == ["序号", "任务内容", "责任单位", "完成情况", "存在问题及困难", "下一步工作"]
    rows = {int(row[0]): row for row in progress[1:]}
    assert sorted(rows) == list(range(1, 47))
    assert rows[36][3] == "已完成(2022-09-20)。2022-09-20 矩阵已建成" and rows[36][4] == "逾期 51 天完成"
    assert rows[36][5] == ""
    assert rows[4][4] == "已逾期 8 天" and rows[4][5] == "2022-09-30 前完成"
    assert rows[20][4] == "延期至 2022-11-30(平台升级)" and rows[20][5] == "2022-11-30 前完成"
    assert rows[27][4] == "已逾期 8 天；申请延期至 2022-12-15，待批准(需协调市级部门)"
    assert rows[38][3] == "进行中。2022-09-10 县财政局：汇总中"
    assert rows[1][2] == "牵头：县发展和改革局；责任：各乡镇人民政府、县属有关单位"


@pytest.mark.slow  # two Word bulletins
def test_the_same_day_gives_the_same_bytes(cli: Cli, tmp_path: Path) -> None:
    _september(cli)
    first = _docx(cli, tmp_path, "report", "--as-of", "2022-09-30", "--known-on", "2022-09-30", name="a.docx")
    # recorded on 10-08 for 09-28: not known on 09-30
    assert cli("done", "4", "--on", "2022-09-28", "--note", "已办结", GKCLI_TODAY=DAY).exit_code == 0
    again = _docx(cli, tmp_path, "report", "--as-of", "2022-09-30", "--known-on", "2022-09-30", name="b.docx")
    assert first.read_bytes() == again.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2022, 9, 30, 0, 0, 0)}
        assert "2022-09-30T00:00:00Z" in archive.read("docProps/core.xml").decode()
    later = _docx(cli, tmp_path, "report", "--as-of", "2022-09-30", name="c.docx")  # knows of 4's completion
    assert "已完成(2022-09-28)。2022-09-28 已办结" in {row[3] for table in _tables(later) for row in table}
    assert later.read_bytes() != first.read_bytes()


@pytest.mark.slow  # a Word bulletin read back
def test_a_period_sets_the_days_and_the_title(cli: Cli, tmp_path: Path) -> None:
    _september(cli)
    document = Document(str(_docx(cli, tmp_path, "report", "--period", "2022-09")))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "关于2022年嵊泗县政务公开工作要点9月落实情况的通报"
    assert "(统计截至 2022年9月30日)" in texts
    # hand: on 09-30 nothing is overdue yet (4 and 27 are due that day), and four entries fall in September
    assert "(一)红灯任务(已逾期，0 项)" in texts
    assert "(二)本期进展记录(2022-08-31 之后至 2022-09-30,4 条)" in texts
    quarter = cli("report", "--period", "2022Q3", "-f", "markdown", GKCLI_TODAY=DAY).stdout
    assert quarter.startswith("# 关于2022年嵊泗县政务公开工作要点第三季度落实情况的通报")
    assert "本期进展记录(2022-06-30 之后至 2022-09-30" in quarter


@pytest.mark.parametrize("extra", [["--since", "2022-08-31"], ["--as-of", "2022-09-30"]])
def test_a_period_with_its_own_days_is_refused(cli: Cli, tmp_path: Path, extra: list[str]) -> None:
    result = cli("report", "--period", "2022-09", *extra, "-o", str(tmp_path / "x.docx"))
    assert result.exit_code == 2 and "--period" in result.stderr and not (tmp_path / "x.docx").exists()
    assert "Traceback" not in result.output


def test_a_units_progress_table(cli: Cli, tmp_path: Path) -> None:
    _september(cli)
    path = _docx(cli, tmp_path, "export", "--unit", "县财政局", "--as-of", DAY, name="财政.docx")
    document = Document(str(path))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[:2] == ["2022年嵊泗县政务公开工作要点重点工作进展情况表", "(县财政局，统计截至 2022年10月8日)"]
    [table] = _tables(path)
    own = [t["id"] for t in _json(cli, "unit", "县财政局", "--as-of", DAY)]  # type: ignore[union-attr]
    assert [int(row[0]) for row in table[1:]] == sorted(own) and len(own) > 10
    assert "<w:tblHeader/>" in _parts(path)["word/document.xml"]


def test_hostile_text_is_text_in_a_document(cli: Cli, tmp_path: Path, edit: object) -> None:
    folder = edit(  # type: ignore[operator]
        "tasks.yaml",
        "title: 积极为老年人等群体提供大字版、语音版、简洁版移动政务服务应用。",
        'title: "<w:p>]]>&amp;<script>\\u00a0“引号”"',
    )
    out = tmp_path / "x.docx"
    assert cli("export", "-o", str(out), "--as-of", DAY, GKCLI_DATA=str(folder)).exit_code == 0
    [table] = _tables(out)
    assert "<w:p>]]>&amp;<script>\u00a0“引号”" in [row[1] for row in table]


# ---- PDF ---------------------------------------------------------------------------------------


def _stand_in(tmp_path: Path, families: list[str]) -> tuple[Path, Path]:
    """A folder with a stand-in ``soffice`` (writes a small PDF where LibreOffice would, and keeps
    the font replacement table it was given) and ``fc-list`` (lists ``families``)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    seen = tmp_path / "seen.xcu"
    soffice = f"""#!{sys.executable}
import pathlib, sys, urllib.parse, urllib.request
args = sys.argv[1:]
profile = pathlib.Path(urllib.request.url2pathname(urllib.parse.urlparse(args[0].split("=", 1)[1]).path))
assert args[1:5] == ["--headless", "--norestore", "--convert-to", "pdf"], args
pathlib.Path({str(seen)!r}).write_bytes((profile / "user" / "registrymodifications.xcu").read_bytes())
source = pathlib.Path(args[-1])
assert source.read_bytes()[:2] == b"PK"
(pathlib.Path(args[args.index("--outdir") + 1]) / (source.stem + ".pdf")).write_bytes(b"%PDF-1.7 stand-in")
"""
    fc_list = f"#!{sys.executable}\nprint({chr(10).join(families)!r})\n"
    for name, text in (("soffice", soffice), ("fc-list", fc_list)):
        (folder / name).write_text(text, encoding="utf-8")
        (folder / name).chmod(stat.S_IRWXU)
    return folder, seen


@pytest.mark.slow  # a Word bulletin through a stand-in converter
def test_pdf_through_libreoffice_names_the_fonts_it_replaced(cli: Cli, tmp_path: Path) -> None:
    folder, seen = _stand_in(tmp_path, ["Noto Serif CJK SC,思源宋体", "AR PL UKai CN", "Noto Sans CJK SC", "黑体"])
    env = {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}", "GKCLI_SOFFICE": str(folder / "soffice")}
    result = cli("report", "--as-of", DAY, "-o", str(tmp_path / "通报.pdf"), **env)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "通报.pdf").read_bytes() == b"%PDF-1.7 stand-in"
    table = seen.read_text(encoding="utf-8")
    assert '<prop oor:name="Replacement" oor:op="fuse"><value>true</value></prop>' in table
    pairs = re.findall(
        r"<value>([^<]+)</value></prop><prop oor:name=\"SubstituteFont\"[^>]*><value>([^<]+)</value>", table
    )
    assert pairs == [("方正小标宋简体", "Noto Serif CJK SC"), ("仿宋_GB2312", "Noto Serif CJK SC"),
                     ("楷体_GB2312", "AR PL UKai CN"), ("宋体", "Noto Serif CJK SC")]  # fmt: skip
    assert "方正小标宋简体 → Noto Serif CJK SC" in result.stderr and "黑体 →" not in result.stderr  # 黑体 is there


@pytest.mark.slow  # a Word bulletin read back
def test_pdf_beside_the_document(cli: Cli, tmp_path: Path) -> None:
    folder, _ = _stand_in(tmp_path, ["Noto Serif CJK SC"])
    env = {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}", "GKCLI_SOFFICE": str(folder / "soffice")}
    result = cli("export", "--as-of", DAY, "-o", str(tmp_path / "表.docx"), "--pdf", **env)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "表.docx").read_bytes()[:2] == b"PK" and (tmp_path / "表.pdf").read_bytes().startswith(b"%PDF")
    assert "已写入" in result.stderr and "表.pdf" in result.stderr


@pytest.mark.slow  # a Word bulletin read back
def test_an_existing_pdf_beside_is_not_overwritten(cli: Cli, tmp_path: Path) -> None:
    folder, _ = _stand_in(tmp_path, ["Noto Serif CJK SC"])
    env = {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}", "GKCLI_SOFFICE": str(folder / "soffice")}
    (tmp_path / "表.pdf").write_bytes(b"mine")
    result = cli("export", "--as-of", DAY, "-o", str(tmp_path / "表.docx"), "--pdf", **env)
    assert result.exit_code == 2 and "已存在" in result.stderr and "--force" in result.stderr
    assert (tmp_path / "表.pdf").read_bytes() == b"mine" and not (tmp_path / "表.docx").exists()
    forced = cli("export", "--as-of", DAY, "-o", str(tmp_path / "表.docx"), "--pdf", "--force", **env)
    assert forced.exit_code == 0 and (tmp_path / "表.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    "args",
    [["report", "-o", "通报.pdf"], ["report", "-o", "通报.docx", "--pdf"], ["export", "-f", "pdf", "-o", "x.pdf"]],
)
def test_without_libreoffice_a_pdf_is_refused_and_nothing_written(cli: Cli, tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = cli(*[str(out / a) if "." in a else a for a in args], "--as-of", DAY, GKCLI_SOFFICE="")
    assert result.exit_code == 2 and "LibreOffice" in result.stderr and "Traceback" not in result.output
    assert "apt-get install libreoffice-writer-nogui" in result.stderr and list(out.iterdir()) == []


@pytest.mark.parametrize("args", [["report", "--pdf"], ["report", "-f", "html", "-o", "x.html", "--pdf"]])
def test_pdf_beside_needs_a_docx_file(cli: Cli, tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = cli(*[str(out / a) if "." in a else a for a in args], "--as-of", DAY)
    assert result.exit_code == 2 and "--pdf" in result.stderr and list(out.iterdir()) == []


@pytest.mark.slow
@pytest.mark.skipif(
    not any(os.access(os.path.join(p, "soffice"), os.X_OK) for p in os.environ["PATH"].split(os.pathsep)),
    reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)",
)
def test_a_real_conversion(cli: Cli, tmp_path: Path) -> None:
    result = cli("report", "--as-of", DAY, "-o", str(tmp_path / "通报.pdf"))
    assert result.exit_code == 0, result.stderr
    pdf = (tmp_path / "通报.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"/MediaBox" in pdf and len(pdf) > 10_000
    assert io.BytesIO(pdf).read(5) == b"%PDF-"
