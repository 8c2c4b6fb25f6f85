"""The gates text passes on its way in and out of gkcli.

One copy of each rule about characters, used by every reader, checker and renderer:

- :func:`terminal_safe` for anything that reaches a terminal (registry text, file paths,
  messages): control, escape, bidi and invisible characters are shown as escapes.
- :func:`spreadsheet_safe` for every cell bound for a spreadsheet (CSV, XLSX): a cell that a
  spreadsheet would read as a formula gets a leading apostrophe.
- :func:`name_key` and :func:`skeleton` for comparing names: the first folds width and white
  space (two spellings of one name), the second also drops what cannot be seen and maps
  look-alike characters (two names a reader cannot tell apart).
- :func:`fold_digits` for numbers people type: ASCII and full-width digits only.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt): characters
# that render as nothing. Bidi controls are among them and have their own rule (GK603).
_IGNORABLE_RANGES = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)  # fmt: skip


def _char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)


def _bmp(ranges: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    return tuple((a, min(b, 0xFFFF)) for a, b in ranges if a <= 0xFFFF)


BIDI = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
INVISIBLE = re.compile(f"[{_char_class(_IGNORABLE_RANGES)}]")
INVISIBLE_BMP = re.compile(f"[{_char_class(_bmp(_IGNORABLE_RANGES))}]")
# A class of scattered ranges beyond the Basic Multilingual Plane makes a pattern several times
# slower over all text; nearly no registry holds such a character, so the rules over whole files
# look for one first (beyond_bmp) and use the BMP-only classes when there is none.


def beyond_bmp(text: str) -> bool:
    """Whether ``text`` holds a character beyond the Basic Multilingual Plane: it then takes more
    UTF-16 code units than characters (an encoder in C, three times as fast as a pattern's search)."""
    return len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 but tab and line feed, DEL, C1
ESCAPE_SEQUENCE = re.compile(r"[\x1b\x9b\x9d]")  # ESC, CSI, OSC: the start of a terminal command
# Code points no file format gkcli writes can carry: Unicode's noncharacters (U+FDD0–U+FDEF and
# the last two of every plane) and lone surrogates (a YAML escape can write either).
_NONCHARACTERS = (
    (0xD800, 0xDFFF),
    (0xFDD0, 0xFDEF),
    *((p * 0x10000 + 0xFFFE, p * 0x10000 + 0xFFFF) for p in range(17)),
)
NONCHARACTER = re.compile(f"[{_char_class(_NONCHARACTERS)}]")
NONCHARACTER_BMP = re.compile(f"[{_char_class(_bmp(_NONCHARACTERS))}]")


def unwritable(text: str, *, prose: bool = False) -> str | None:
    """The first character of ``text`` that no output can carry as text: a noncharacter, a lone
    surrogate or a control character (but, in ``prose``, a line feed or tab); None when there is none."""
    found = NONCHARACTER.search(text) or CONTROL.search(text.replace("\n", "").replace("\t", "") if prose else text)
    return found.group() if found else None


# Everything Unicode treats as the end of a line; a single-line field holds none of them.
LINE_BREAK = re.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")

# What a terminal must never receive raw: controls (but tab and line feed), bidi and
# invisible characters, line and paragraph separators, and lone surrogates (undecodable
# bytes in a file name or an argument).
_UNSAFE = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff" + _char_class(_IGNORABLE_RANGES) + "]"


@functools.cache
def _unsafe(one_line: bool) -> re.Pattern[str]:
    """Compiled on first use: most commands print no registry text to a terminal."""
    return re.compile(_UNSAFE[:-1] + r"\n\t]" if one_line else _UNSAFE)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def terminal_safe(value: object, *, one_line: bool = False) -> str:
    """``value`` as text that cannot act on a terminal: what could is shown as an escape.

    ``one_line`` also escapes line feeds and tabs (a file path, a name in a message).
    """
    text = value if isinstance(value, str) else str(value)
    return _unsafe(one_line).sub(_escape, text)


_FORMULA_START = frozenset("=+-@\t\r\n＝＋－＠")


def spreadsheet_safe(value: str) -> str:
    """A cell that a spreadsheet can never read as a formula (a leading apostrophe where needed).

    Excel, WPS and LibreOffice start a formula at ``= + - @`` (also after leading blanks)
    and some at a tab or line break: such a cell is written as text.
    """
    if not value:
        return value
    first = value.lstrip(" \u3000")[:1] or value[:1]
    if value[:1] in _FORMULA_START or first in _FORMULA_START:
        return "'" + value
    return value


def name_key(name: str) -> str:
    """Two spellings of one name compare equal: width folded (NFKC), white space dropped."""
    return "".join(unicodedata.normalize("NFKC", name).split())


# CJK Radicals Supplement characters that PDF text layers put in place of the ideograph
# they look like (Unicode's EquivalentUnifiedIdeograph.txt). The Kangxi radicals block
# (U+2F00–U+2FDF) is folded by NFKC already.
_RADICALS = str.maketrans({
    "\u2e81": "厂", "\u2e84": "乙", "\u2e85": "亻", "\u2e86": "冂", "\u2e87": "几", "\u2e88": "刀",
    "\u2e89": "刂", "\u2e8a": "卜", "\u2e8c": "小", "\u2e8d": "小", "\u2e90": "尢", "\u2e92": "巳",
    "\u2e93": "幺", "\u2e95": "彐", "\u2e96": "忄", "\u2e98": "扌", "\u2e99": "攵", "\u2e9c": "日",
    "\u2e9d": "月", "\u2e9f": "母", "\u2ea0": "民", "\u2ea1": "氵", "\u2ea3": "灬", "\u2ea6": "丬",
    "\u2ea7": "牛", "\u2ea8": "犭", "\u2ea9": "王", "\u2eaa": "疋", "\u2ead": "礻", "\u2eae": "竹",
    "\u2eb0": "纟", "\u2eb6": "羊", "\u2eb9": "耂", "\u2ebb": "聿", "\u2ebc": "月", "\u2ebd": "臼",
    "\u2ebe": "艹", "\u2ebf": "艹", "\u2ec0": "艹", "\u2ec1": "虎", "\u2ec2": "衤", "\u2ec3": "覀",
    "\u2ec4": "西", "\u2ec5": "见", "\u2ec6": "角", "\u2ec8": "讠", "\u2ec9": "贝", "\u2eca": "足",
    "\u2ecb": "车", "\u2ecc": "辶", "\u2ecd": "辶", "\u2ece": "辶", "\u2ecf": "阝", "\u2ed0": "钅",
    "\u2ed1": "長", "\u2ed2": "长", "\u2ed6": "阝", "\u2ed7": "雨", "\u2ed8": "青", "\u2ed9": "韦",
    "\u2eda": "页", "\u2edb": "风", "\u2edc": "飞", "\u2edd": "食", "\u2edf": "飠", "\u2ee0": "饣",
    "\u2ee2": "马", "\u2ee3": "骨", "\u2ee4": "鬼", "\u2ee5": "鱼", "\u2ee6": "鸟", "\u2ee7": "卤",
    "\u2ee8": "麦", "\u2ee9": "黄", "\u2eea": "黾", "\u2eeb": "斉", "\u2eec": "齐", "\u2eed": "歯",
    "\u2eee": "齿", "\u2eef": "竜", "\u2ef0": "龙", "\u2ef1": "龜", "\u2ef2": "亀", "\u2ef3": "龟",
})  # fmt: skip


def fold_radicals(text: str) -> str:
    """Kangxi and supplementary radicals as the ideographs they stand for (⼯ → 工, ⺠ → 民)."""
    return unicodedata.normalize("NFKC", text).translate(_RADICALS)


def skeleton(name: str) -> str:
    """What a reader sees of a name: invisible characters, combining marks, white space,
    width and radical look-alikes all folded away. Two names with one skeleton are confusable."""
    folded = INVISIBLE.sub("", fold_radicals(INVISIBLE.sub("", name)))
    return "".join(c for c in folded if not unicodedata.category(c).startswith("M") and not c.isspace()).casefold()


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
ASCII_DIGITS = re.compile(r"[0-9]+")


def fold_digits(text: str) -> str:
    """Full-width digits as ASCII; every other kind of digit is left for the caller to refuse."""
    return text.translate(_FULL_WIDTH_DIGITS)


def has_foreign_digits(text: str) -> bool:
    """True when ``text`` holds a digit that is neither ASCII nor full-width (¹, ٣, ①, ...)."""
    return any(
        not ("0" <= c <= "9" or "０" <= c <= "９") and unicodedata.digit(c, None) is not None
        for c in text
        if not c.isascii()
    )


# Characters a POSIX shell acts on in a word (expansion, quoting, globbing, redirection, command
# separation), and white space: no unit's name holds them (GK307). Parentheses are left out:
# names such as 县委宣传部(县网信办) are written with them, and a shell refuses them unquoted
# rather than acting on them.
SHELL_SPECIAL = re.compile(r"[$`;&|<>\\'\"*?!{}\[\]~#\s]")
_SHELL_SAFE = re.compile(r"[\w.,:=@%+/-]", re.ASCII)


def shell_word(text: str) -> str:
    """``text`` written so that a POSIX shell reads it back as one word and acts on none of it:
    every character but letters, digits and a few harmless signs behind a backslash (what bash
    completion inserts into the command line as it is)."""
    return "".join(c if not c.isascii() or _SHELL_SAFE.fullmatch(c) else "\\" + c for c in text)


# ---- display width and line breaking ------------------------------------------------------------

# No line starts with these (closing punctuation, Chinese and ASCII) ...
NO_LINE_START = frozenset("，。、；：！？）》」』】〕〉〗”’…—～·,.;:!?)]}%‰℃")
# ... and none ends with these (opening punctuation).
NO_LINE_END = frozenset("（《「『【〔〈〖“‘([{")


def cells(text: str) -> int:
    """How many terminal cells ``text`` takes: wide and full-width characters two, marks none."""
    total = 0
    for char in text:
        if unicodedata.combining(char) or char in "\u200b\u200c\u200d\ufeff":
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


# what is never broken: an option (--as-of), a run of Latin letters and digits with the signs
# inside it (2022-12-31, 1+N, https://…) and a variable or path it starts ($GKCLI_DATA, ./data,
# ~/.config); every other character stands alone
_TOKENS = re.compile(
    r"\s+|--?[A-Za-z][A-Za-z0-9_-]*|(?:\$|(?:~|\.{1,2})?/\.?)?[A-Za-z0-9](?:[A-Za-z0-9_.:/%@#+?=&~-]*[A-Za-z0-9_/%])?|.",
    re.S,
)


def wrap_cells(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken as Chinese is set: between any two
    Chinese characters, never inside a run of Latin letters, digits and signs (a date, a number, a
    URL, an option), at spaces, and never so that a line starts with closing punctuation or ends
    with opening punctuation (the character before moves down with it). A run longer than a line
    is cut."""
    width = max(width, 2)
    lines: list[str] = []
    line: list[str] = []
    for token in _TOKENS.findall(text):
        if token.isspace():
            if line and line[-1] != " ":
                line.append(" ")
            continue
        if line and _width(line) + cells(token) > width:
            line = _break(line, token, lines)
        if cells(token) > width:  # a run longer than a line: cut it
            if line:
                lines.append("".join(line).rstrip())
                line = []
            while cells(token) > width:
                cut = _fit(token, width)
                lines.append(token[:cut])
                token = token[cut:]
        line.append(token)
    if line:
        lines.append("".join(line).rstrip())
    return lines or [""]


def _width(tokens: list[str]) -> int:
    return sum(cells(t) for t in tokens)


def _break(line: list[str], token: str, lines: list[str]) -> list[str]:
    """End ``line`` before ``token``: what must go down with the token (the character before a
    closing punctuation, an opening punctuation at the end) starts the next line."""
    carried: list[str] = []
    if token[0] in NO_LINE_START:
        while len(line) > 1 and (line[-1] == " " or line[-1][-1] in NO_LINE_START):
            carried.insert(0, line.pop())
        if len(line) > 1:
            carried.insert(0, line.pop())
    while len(line) > 1 and line[-1][-1] in NO_LINE_END:
        carried.insert(0, line.pop())
    lines.append("".join(line).rstrip())
    while carried and carried[0] == " ":
        carried.pop(0)
    return carried


def _fit(token: str, width: int) -> int:
    """How many characters of ``token`` fit in ``width`` cells (at least one)."""
    used = 0
    for index, char in enumerate(token):
        used += cells(char)
        if used > width:
            return max(index, 1)
    return len(token)


# ---- punctuation in Chinese text --------------------------------------------------------------

_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"  # ideographs and CJK/full-width marks
_FULL_WIDTH_MARKS = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
# Patterns over the CJK ranges take milliseconds to compile (each code point of a range is
# visited): kept as text and compiled by ``re`` when first used, so a command that never sets a
# document does not pay for them.
_MARK_AFTER_CJK = f"(?<=[{_CJK}])\\s*([,;:?!])[ \\t]?"
_MARK_BEFORE_CJK = f"([,;])[ \\t]?(?=[{_CJK}])"


def chinese_punctuation(text: str) -> str:
    """``text`` with the half-width , ; : ? ! of Chinese text set full-width (，；：？！), as a printed
    document wants them: a mark right after a Chinese character (and the space a keyboard put after
    it) or a comma or semicolon right before one. Marks between Latin letters or digits (an address,
    a time, 1,000) stay as they are."""
    if not text.isascii():
        text = re.sub(_MARK_AFTER_CJK, lambda m: _FULL_WIDTH_MARKS[m[1]], text)
        text = re.sub(_MARK_BEFORE_CJK, lambda m: _FULL_WIDTH_MARKS[m[1]], text)
    return text
