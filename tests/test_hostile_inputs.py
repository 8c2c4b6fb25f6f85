"""Hostile files handed to gkcli: plans to import (XLSX, DOCX, CSV, text, HTML, PDF) and filled
returns forms. Each is under 1 MB; whatever it holds, gkcli reads it or refuses it with a Chinese
message naming the file and exit code 2, within 5 s of processor time and 500 MB, never with a
traceback, and a refused form changes nothing in the registry.

The files are made here, byte by byte where a library would not write them (a cell address past
the last column, a DTD in UTF-16, a PDF of thousands of ruling lines)."""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import DATA
from .test_hostile import Run, assert_bounded, assert_clean_failure, digest, gkcli

pytestmark = pytest.mark.slow  # every case runs whole processes

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HEADER = ["序号", "重点工作", "牵头单位", "完成时限"]


# ---- making files -----------------------------------------------------------------------------


def zipped(parts: dict[str, bytes], *, level: int = 9) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def workbook(sheet_data: bytes, strings: bytes | None = None) -> bytes:
    """An XLSX whose one sheet's <sheetData> is ``sheet_data`` (and shared strings ``strings``)."""
    parts = {
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships"><sheets><sheet name="任务" sheetId="1" r:id="rId1"/></sheets></workbook>'.encode(),
        "xl/_rels/workbook.xml.rels": b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="x"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN}"><sheetData>'.encode()
        + sheet_data
        + b"</sheetData></worksheet>",
    }
    if strings is not None:
        parts["xl/sharedStrings.xml"] = strings
    return zipped(parts)


def cell(place: str, text: str) -> bytes:
    return f'<c r="{place}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def header_row() -> bytes:
    return b'<row r="1">' + b"".join(cell(f"{c}1", h) for c, h in zip("ABCD", HEADER, strict=True)) + b"</row>"


def task_row(number: int) -> bytes:
    values = ["1", "做好预算公开。", "县财政局", "年底前"]
    return (
        f'<row r="{number}">'.encode()
        + b"".join(cell(f"{c}{number}", v) for c, v in zip("ABCD", values, strict=True))
        + b"</row>"
    )


def document(body: bytes, *, encoding: str = "utf-8", prolog: bytes = b"") -> bytes:
    xml = f'<?xml version="1.0" encoding="{encoding}"?>'.encode() + prolog
    xml += f'<w:document xmlns:w="{WORD}"><w:body>'.encode() + body + b"</w:body></w:document>"
    if encoding != "utf-8":
        xml = xml.decode("utf-8").encode(encoding)
    return zipped({"word/document.xml": xml})


def paragraph(text: str) -> bytes:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()


def word_cell(text: str, properties: str = "") -> bytes:
    return f"<w:tc><w:tcPr>{properties}</w:tcPr>".encode() + paragraph(text) + b"</w:tc>"


def word_table(rows: list[list[bytes]]) -> bytes:
    return b"<w:tbl>" + b"".join(b"<w:tr>" + b"".join(r) + b"</w:tr>" for r in rows) + b"</w:tbl>"


def pdf(pages: list[bytes]) -> bytes:
    """A PDF whose pages draw ``pages`` (content streams, deflated), with one built-in font."""
    objects: list[bytes] = [b"", b""]  # the catalog and the page tree, written last
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    kids = []
    for content in pages:
        packed = zlib.compress(content, 9)
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % len(objects)
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(
        b"%010d 00000 n \n" % o for o in offsets
    )
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, table)


TEXT = b"BT /F1 10 Tf 50 800 Td (1 Task text) Tj ET\n"


def ruled(lines: int) -> bytes:
    return TEXT + b"".join(b"%d 10 m %d 800 l S\n" % (10 + i % 50 * 10, 10 + i % 50 * 10) for i in range(lines))


def grid(count: int) -> bytes:
    across = b"".join(b"10 %d m 585 %d l S\n" % (10 + i * 8, 10 + i * 8) for i in range(count))
    down = b"".join(b"%d 10 m %d 830 l S\n" % (10 + i * 5, 10 + i * 5) for i in range(count))
    return TEXT + across + down


# ---- plans to import ------------------------------------------------------------------------

SHEET_ROWS = 60_000

PLANS: dict[str, tuple[str, Callable[[], bytes], str]] = {
    # name: (file name, maker, what the message says)
    "huge column letters": ("a.xlsx", lambda: workbook(header_row() + b"".join(
        b'<row r="%d">' % n + cell(f"ZZZZZ{n}", "x") + b"</row>" for n in range(2, 12))), "单元格地址"),
    "column past the last": ("a.xlsx", lambda: workbook(header_row() + b'<row r="2">' + cell("ZZZ2", "x") + b"</row>"), "列号"),
    "ten-letter column": ("a.xlsx", lambda: workbook(b'<row r="1">' + cell("ZZZZZZZZZZ1", "x") + b"</row>"), "单元格地址"),
    "row five million": ("a.xlsx", lambda: workbook(header_row() + task_row(5_000_000)), "行号"),
    "row number not a number": ("a.xlsx", lambda: workbook(b'<row r="1e9">' + cell("A1", "x") + b"</row>"), "行号"),
    "rows going back": ("a.xlsx", lambda: workbook(task_row(9) + task_row(3)), "递增"),
    "two million empty rows": ("a.xlsx", lambda: workbook(b"<row/>" * 2_000_000), "找不到任务表"),
    "too many rows": ("a.xlsx", lambda: workbook(header_row() + b"".join(
        b'<row r="%d"><c r="B%d" t="inlineStr"><is><t>x</t></is></c></row>' % (n, n) for n in range(2, SHEET_ROWS))), "超过 20000 行"),
    "a huge shared string": ("a.xlsx", lambda: workbook(
        b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
        f'<sst xmlns="{MAIN}"><si><t>'.encode() + b"x" * 1_000_000 + b"</t></si></sst>"), "32767"),
    "a string index out of range": ("a.xlsx", lambda: workbook(b'<row r="1"><c r="A1" t="s"><v>99999999999999999999</v></c></row>'), "共享字符串"),
    "a DTD in UTF-16": ("a.xlsx", lambda: workbook(
        b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
        ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">]>'
         f'<sst xmlns="{MAIN}"><si><t>&a;</t></si></sst>').encode("utf-16")), "DTD"),
    "an external DTD": ("a.xlsx", lambda: zipped({
        "xl/workbook.xml": b'<?xml version="1.0"?><!DOCTYPE w SYSTEM "http://127.0.0.1:9/x.dtd"><workbook/>'}), "DTD"),
    "inflates past its budget": ("a.xlsx", lambda: zipped({"xl/workbook.xml": b"<workbook/>",
                                                           "xl/worksheets/sheet1.xml": b" " * (40 << 20)}), "解压后过大"),
    "a thousand parts": ("a.xlsx", lambda: zipped({f"p{n}.xml": b"" for n in range(1100)} | {"xl/workbook.xml": b"<x/>"}), "部件"),
    "a span of a hundred million": ("a.docx", lambda: document(word_table([
        [word_cell("序号", '<w:gridSpan w:val="100000000"/>'), word_cell("重点工作")]])), "栏"),
    "a span that is no number": ("a.docx", lambda: document(word_table([
        [word_cell(h, '<w:gridSpan w:val="abc"/><w:vMerge w:val="??"/>') for h in HEADER]])), "找不到任务表"),
    "a DTD in a UTF-16 document": ("a.docx", lambda: document(
        paragraph("&a;"), encoding="utf-16", prolog=b'<!DOCTYPE d [<!ENTITY a "aaaa">]>'), "DTD"),
    "a quarter of a million paragraphs": ("a.docx", lambda: document(paragraph("一") * 250_000), "20000"),
    "a paragraph of a million characters": ("a.docx", lambda: document(
        word_table([[word_cell("序号"), word_cell("x" * 1_000_000)]])), "32767"),
    "tables ten thousand deep": ("a.docx", lambda: document(b"<w:tbl><w:tr><w:tc>" * 10_000 + paragraph("x")
                                                            + b"</w:tc></w:tr></w:tbl>" * 10_000), "找不到任务表"),
    "a CSV cell over the field limit": ("a.csv", lambda: ",".join(HEADER).encode() + b"\n1,\"" + b"x" * 200_000 + b"\",a,b\n", "32767"),
    "an unclosed CSV quote": ("a.csv", lambda: ",".join(HEADER).encode() + b'\n1,"' + b"x," * 400_000, "32767"),
    "NUL bytes in a CSV": ("a.csv", lambda: ",".join(HEADER).encode() + b"\n1,\0\0,a,b\n", "空字符"),
    "a megabyte of blank lines": ("a.csv", lambda: b"\n" * 1_000_000, "找不到任务表"),
    "a row of half a million commas": ("a.csv", lambda: b"," * 500_000 + b"\n", "32767"),
    "tab-separated lines past the limit": ("a.txt", lambda: b"a\tb\n" * 200_000, "20000"),
    "one line of a megabyte": ("a.txt", lambda: "要点".encode() + b"x" * 900_000, "32767"),
    "an HTML table of fifty thousand rows": ("a.html", lambda: b"<table>" + b"<tr><td>x</td></tr>" * 50_000, "20000"),
    "HTML spans of a hundred million": ("a.html", lambda: (
        "<table><tr>" + "".join(f'<td colspan="100000000" rowspan="100000000">{h}</td>' for h in HEADER) + "</tr></table>").encode(),
        "找不到任务表"),
    "an HTML cell of a megabyte": ("a.html", lambda: b"<table><tr><td>" + b"x" * 900_000 + b"</td></tr></table>", "32767"),
    "two hundred pages of ruling lines": ("a.pdf", lambda: pdf([ruled(5000)] * 200), "线条"),
    "a page of a hundred by a hundred lines": ("a.pdf", lambda: pdf([grid(100)]), "表格线"),
    "no text at all": ("a.pdf", lambda: pdf([b"10 10 m 500 500 l S\n"] * 3), "扫描件"),
    "more pages than a plan": ("a.pdf", lambda: pdf([b""] * 201), "201 页"),
    "more text than a plan": ("a.pdf", lambda: pdf([b"BT /F1 4 Tf 10 10 Td (" + b"x" * 5000 + b") Tj ET\n"] * 10), "文字超过"),
}  # fmt: skip


@pytest.mark.parametrize("name", PLANS)
def test_a_hostile_plan_is_refused_in_bounded_time_and_memory(tmp_path: Path, name: str) -> None:
    file_name, make, said = PLANS[name]
    source = tmp_path / file_name
    source.write_bytes(make())
    assert source.stat().st_size < 1024 * 1024
    run = gkcli("import", str(source), "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert_clean_failure(run)
    assert file_name in run.err and said in run.err, run.err
    assert not (tmp_path / "out" / "tasks.yaml").exists()


def test_a_sheet_row_at_the_last_row_number_imports(tmp_path: Path) -> None:
    """Row numbers up to a spreadsheet's last are fine, and the empty rows before cost nothing."""
    source = tmp_path / "要点.xlsx"
    source.write_bytes(workbook(header_row() + task_row(1_048_576)))
    run = gkcli("import", str(source), "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert run.code in (0, 1), run.err
    assert_bounded(run)
    assert "做好预算公开" in (tmp_path / "out" / "tasks.yaml").read_text(encoding="utf-8")


def _not_regular(tmp_path: Path, kind: str) -> Path:
    if kind == "fifo":
        os.mkfifo(tmp_path / "管道.xlsx")
        return tmp_path / "管道.xlsx"
    if kind == "folder":
        (tmp_path / "目录.xlsx").mkdir()
        return tmp_path / "目录.xlsx"
    (tmp_path / "设备.xlsx").symlink_to("/dev/zero")
    return tmp_path / "设备.xlsx"


@pytest.mark.parametrize("kind", ["fifo", "folder", "link to a device"])
@pytest.mark.parametrize("command", ["import", "returns import"])
def test_a_file_that_is_not_a_regular_file_is_refused_without_waiting(
    tmp_path: Path, data_copy: Path, kind: str, command: str
) -> None:
    path = _not_regular(tmp_path, kind)
    args = (
        ["import", str(path), "-o", str(tmp_path / "out")] if command == "import" else ["returns", "import", str(path)]
    )
    run = gkcli("--data", str(data_copy), *args, cwd=tmp_path)
    assert_clean_failure(run)
    assert path.name in run.err and ("不是普通文件" in run.err or "文件夹" in run.err), run.err


# ---- returns forms --------------------------------------------------------------------------


@pytest.fixture
def form(data_copy: Path, tmp_path: Path) -> Path:
    """A form exported for 县财政局 from a copy of the shipped registry."""
    run = gkcli("--data", str(data_copy), "returns", "export", "--unit", "县财政局", "-o", str(tmp_path / "f.xlsx"),
                cwd=tmp_path, env={"GKCLI_TODAY": "2022-09-01"})  # fmt: skip
    assert run.code == 0, run.err
    return tmp_path / "f.xlsx"


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _with_note(path: Path, note: bytes, target: Path) -> Path:
    """The form with an inline note in the first task row's 进展情况 (H4)."""
    parts = _parts(path)
    sheet = parts["xl/worksheets/sheet1.xml"]
    row = re.search(rb'<row r="4"[^>]*>', sheet)
    assert row is not None
    note_cell = b'<c r="H4" t="inlineStr"><is><t>' + note + b"</t></is></c>"
    cells = re.sub(rb'<c r="H4"[^>]*?(/>|>.*?</c>)', b"", sheet[row.end() :].split(b"</row>", 1)[0])
    at_i = cells.find(b'<c r="I4"')
    cells = cells[:at_i] + note_cell + cells[at_i:] if at_i >= 0 else cells + note_cell
    rest = sheet[row.end() :].split(b"</row>", 1)[1]
    parts["xl/worksheets/sheet1.xml"] = sheet[: row.end()] + cells + b"</row>" + rest
    target.write_bytes(zipped(parts, level=6))
    return target


@pytest.mark.parametrize(
    "size, said", [(60_000_000, "解压后过大"), (40_000, "32767"), (2_001, "2000")], ids=["60 MB", "40,000", "2,001"]
)
def test_a_note_past_its_limit_is_refused_and_the_registry_is_unchanged(
    form: Path, data_copy: Path, tmp_path: Path, size: int, said: str
) -> None:
    filled = _with_note(form, b"x" * size, tmp_path / "filled.xlsx")
    assert filled.stat().st_size < 1024 * 1024
    before = digest(data_copy / "tasks.yaml")
    run = gkcli("--data", str(data_copy), "returns", "import", str(filled), cwd=tmp_path)
    assert_clean_failure(run)
    assert "filled.xlsx" in run.err and said in run.err, run.err
    assert digest(data_copy / "tasks.yaml") == before


def test_a_note_at_its_limit_is_recorded(form: Path, data_copy: Path, tmp_path: Path) -> None:
    filled = _with_note(form, "进".encode() * 2000, tmp_path / "filled.xlsx")
    run = gkcli("--data", str(data_copy), "returns", "import", str(filled), cwd=tmp_path)
    assert run.code == 0, run.err
    assert "进" * 2000 in (data_copy / "tasks.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("length, code", [(2000, 0), (2001, 2)])
def test_progress_note_length_is_the_forms(data_copy: Path, tmp_path: Path, length: int, code: int) -> None:
    before = digest(data_copy / "tasks.yaml")
    run = gkcli("--data", str(data_copy), "progress", "3", "--note", "进" * length, cwd=tmp_path)
    assert run.code == code, run.err
    if code:
        assert_clean_failure(run)
        assert "2000" in run.err and digest(data_copy / "tasks.yaml") == before


def test_a_form_given_twice_records_each_row_once(form: Path, data_copy: Path, tmp_path: Path) -> None:
    filled = _with_note(form, "已梳理".encode(), tmp_path / "filled.xlsx")
    (tmp_path / "link.xlsx").symlink_to(filled)
    shutil.copy(filled, tmp_path / "copy.xlsx")
    run = gkcli("--data", str(data_copy), "returns", "import", str(filled), str(tmp_path / "link.xlsx"),
                str(tmp_path / "copy.xlsx"), str(filled), cwd=tmp_path)  # fmt: skip
    assert run.code == 0, run.err
    assert run.text.count("已梳理") == 1 and "只读一次" in run.err
    assert (data_copy / "tasks.yaml").read_text(encoding="utf-8").count("已梳理") == 1


def test_copies_of_one_form_filled_differently_are_refused(form: Path, data_copy: Path, tmp_path: Path) -> None:
    one = _with_note(form, "甲".encode(), tmp_path / "one.xlsx")
    two = _with_note(form, "乙".encode(), tmp_path / "two.xlsx")
    before = digest(data_copy / "tasks.yaml")
    run = gkcli("--data", str(data_copy), "returns", "import", str(one), str(two), cwd=tmp_path)
    assert_clean_failure(run)
    assert "two.xlsx:行4" in run.err and "one.xlsx:行4" in run.err
    assert digest(data_copy / "tasks.yaml") == before


@pytest.mark.parametrize("sign", ["=", "+", "-", "@"])
def test_a_title_that_starts_like_a_formula_comes_back_as_exported(data_copy: Path, tmp_path: Path, sign: str) -> None:
    tasks = data_copy / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    start = text.index("  - id: 3\n")
    title = text.index("    title: ", start) + len("    title: ")
    tasks.write_text(text[:title] + f"'{sign}SUM(1) " + text[title:].replace("\n", "'\n", 1), encoding="utf-8")
    run = gkcli("--data", str(data_copy), "returns", "export", "--unit", "县财政局", "-o", str(tmp_path / "f.xlsx"),
                cwd=tmp_path)  # fmt: skip
    assert run.code == 0, run.err
    filled = _with_note(tmp_path / "f.xlsx", "进展".encode(), tmp_path / "filled.xlsx")
    run = gkcli("--data", str(data_copy), "returns", "import", str(filled), cwd=tmp_path)
    assert run.code == 0, run.err


@pytest.mark.parametrize("change", ["no id", "another unit", "rows added"])
def test_a_form_whose_hidden_particulars_were_changed_is_refused(
    form: Path, data_copy: Path, tmp_path: Path, change: str
) -> None:
    filled = _with_note(form, "进展".encode(), tmp_path / "filled.xlsx")
    parts = _parts(filled)
    hidden = next(name for name in parts if name.startswith("xl/worksheets/") and b">form<" in parts[name])
    if change == "no id":
        parts[hidden] = re.sub(rb'(<c r="B1"[^>]*>).*?(</c>)', rb"\1<is><t></t></is>\2", parts[hidden], count=1)
        parts[hidden] = parts[hidden].replace(b'<c r="B1" t="s">', b'<c r="B1" t="inlineStr">', 1)
    elif change == "another unit":
        unit = rb'\1 t="inlineStr"><is><t>' + "县审计局".encode() + rb"</t></is></c>"
        parts[hidden] = re.sub(rb'(<c r="B3")[^>]*>.*?</c>', unit, parts[hidden], count=1)
    else:
        parts[hidden] = re.sub(
            rb'(<c r="B5")[^>]*>.*?</c>', rb'\1 t="inlineStr"><is><t>99</t></is></c>', parts[hidden], count=1
        )
    (tmp_path / "changed.xlsx").write_bytes(zipped(parts))
    before = digest(data_copy / "tasks.yaml")
    run = gkcli("--data", str(data_copy), "returns", "import", str(tmp_path / "changed.xlsx"), cwd=tmp_path)
    assert_clean_failure(run)
    assert "changed.xlsx" in run.err and "标识" in run.err, run.err
    assert digest(data_copy / "tasks.yaml") == before


def test_a_form_row_past_the_last_row_number_is_refused(form: Path, data_copy: Path, tmp_path: Path) -> None:
    parts = _parts(form)
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        b"</sheetData>", b'<row r="2000000">' + cell("H2000000", "x") + b"</row></sheetData>"
    )
    (tmp_path / "far.xlsx").write_bytes(zipped(parts))
    run = gkcli("--data", str(data_copy), "returns", "import", str(tmp_path / "far.xlsx"), cwd=tmp_path)
    assert_clean_failure(run)
    assert "far.xlsx" in run.err and "行号" in run.err


# ---- completion and dates -----------------------------------------------------------------------

ALIAS = "县特别$(touch PWNED)局"


def _bash_completes(words: str, data: Path, cwd: Path) -> list[str]:
    """What bash's completion puts into COMPREPLY for ``words`` (the last one being completed),
    with the script ``gkcli completion bash`` prints, run by a real bash."""
    import subprocess
    import sys

    script = gkcli("completion", "bash", cwd=cwd).text
    program = cwd / "gkcli"
    program.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m gkcli "$@"\n', encoding="utf-8")
    program.chmod(0o755)
    count = len(words.split())
    line = f'{script}\nCOMP_WORDS=({words}); COMP_CWORD={count - 1}; _gkcli_completion gkcli; printf "%s\\n" "${{COMPREPLY[@]}}"'
    env = {
        **os.environ,
        "PATH": f"{cwd}:{os.environ['PATH']}",
        "GKCLI_DATA": str(DATA),
        "GKCLI_CACHE_DIR": str(cwd / "c"),
    }
    done = subprocess.run(["bash", "-c", line], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    return [w for w in done.stdout.splitlines() if w]


@pytest.fixture
def alias_folder(data_copy: Path) -> Path:
    units = data_copy / "units.yaml"
    text = units.read_text(encoding="utf-8")
    at_unit = text.index("  - name: 县财政局\n")
    units.write_text(text[:at_unit] + f'  - name: 县特别局\n    aliases: ["{ALIAS}"]\n    kind: department\n'
                     + text[at_unit:], encoding="utf-8")  # fmt: skip
    return data_copy


def test_a_unit_name_a_shell_would_act_on_is_a_check_finding(alias_folder: Path, tmp_path: Path) -> None:
    run = gkcli("check", str(alias_folder), cwd=tmp_path)
    assert run.code == 1 and "GK307" in run.text


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completion_quotes_what_it_offers_and_reads_the_data_on_the_line(
    alias_folder: Path, tmp_path: Path
) -> None:
    tasks = alias_folder / "tasks.yaml"  # a registry that switched the rule off: completion is still safe
    tasks.write_text(tasks.read_text(encoding="utf-8") + "check:\n  ignore: [GK307]\n", encoding="utf-8")
    offered = _bash_completes(f"gkcli --data {alias_folder} unit 县特", alias_folder, tmp_path)
    assert offered == ["县特别局", r"县特别\$\(touch\ PWNED\)局"], offered
    import subprocess

    for word in offered:  # the line as Tab and Enter leave it: the alias is one plain word
        subprocess.run(["bash", "-c", f"printf '%s' {word} > said"], cwd=tmp_path, check=True, timeout=10)
        assert (tmp_path / "said").read_text(encoding="utf-8") in ("县特别局", ALIAS)
    assert not (tmp_path / "PWNED").exists()
    # the built-in registry knows no such unit: --data on the line is what was asked
    assert _bash_completes("gkcli unit 县特", alias_folder, tmp_path) == []


@pytest.mark.parametrize("since, as_of", [("2022-09-15", "2022-09-01"), ("2022-09-01", "2022-09-01")])
def test_a_report_period_that_ends_before_it_begins_is_refused(tmp_path: Path, since: str, as_of: str) -> None:
    run: Run = gkcli("report", "--since", since, "--as-of", as_of, "-f", "markdown", cwd=tmp_path)
    assert_clean_failure(run)
    assert "--since" in run.err and "--as-of" in run.err
