"""Text hygiene in every value (GK601–GK608)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gkcli.check.common import at
from gkcli.domain.records import PROSE_FIELDS
from gkcli.findings import Diagnostic, SourceMap
from gkcli.text import BIDI, CONTROL, ESCAPE_SEQUENCE, INVISIBLE, LINE_BREAK, NONCHARACTER, terminal_safe

_CJK = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
_CJK_SPACE = rf"{_CJK}[ \u3000]+{_CJK}"  # compiled by ``re`` when first needed (see gkcli.text)


def check_text(smap: SourceMap) -> Iterator[Diagnostic]:
    """Control characters, escape sequences, bidi and invisible characters, line breaks in
    single-line fields and stray spaces in any text value.

    Only the values the reader marked as suspect (any control, invisible or white-space character) are looked at.
    """
    for path, text in smap.suspect_text:
        shown = terminal_safe(repr(text[:40]), one_line=True)
        key = next((p for p in reversed(path) if isinstance(p, str)), "")
        prose = key in PROSE_FIELDS
        if ESCAPE_SEQUENCE.search(text):
            yield at(smap, path, "GK602", f"文字中有终端转义序列: {shown}")
        elif CONTROL.search(LINE_BREAK.sub("", text) if not prose else text.replace("\r\n", "\n")):
            yield at(smap, path, "GK601", f"文字中有控制字符: {shown}")
        if BIDI.search(text):
            yield at(smap, path, "GK603", f"文字中有双向文本控制字符(可让文字显示顺序与实际不同): {shown}")
        elif INVISIBLE.search(text):
            yield at(smap, path, "GK606", f"文字中有不可见字符(零宽空格、连接符、变体选择符等): {shown}")
        if not prose and LINE_BREAK.search(text):
            yield at(smap, path, "GK607", f"'{key}' 只能写一行,其中却有换行符: {shown}")
        if NONCHARACTER.search(text):
            yield at(smap, path, "GK608", f"文字中有任何文件格式都写不出的字符(非字符或孤立的代理项): {shown}")
        if text != text.strip() or (not text.strip() and text):
            yield at(smap, path, "GK604", f"文字首尾有空白: {shown}")
        if not prose and (match := re.search(_CJK_SPACE, text)):
            yield at(smap, path, "GK605", f"两个汉字之间有多余空格(PDF 折行遗留?): {match.group()!r}")
