"""Text as it comes out of a PDF, made into the text that was printed.

- The Kangxi radicals (⼯ → 工) and CJK compatibility ideographs are folded by NFKC, character by
  character, so that full-width punctuation stays as printed; the CJK radicals supplement is not
  covered by NFKC, so the radicals that stand for ideographs in extracted text are mapped here.
- A line wrap inside a table cell leaves a space between two Chinese characters; such spaces are
  not part of the text. Spaces between two Latin letters or digits are kept.
"""

from __future__ import annotations

import re
import unicodedata

# CJK Radicals Supplement (U+2E80-U+2EFF) characters that PDF text layers emit for common ideographs.
_RADICALS = str.maketrans({
    "⺠": "民", "⻛": "风", "⻓": "长", "⻔": "门", "⻋": "车", "⻅": "见", "⻚": "页", "⻢": "马",
    "⻜": "飞", "⻝": "食", "⻬": "齐", "⻰": "龙", "⻳": "龟", "⺟": "母", "⺁": "厂", "⺇": "几",
    "⺈": "刀", "⺊": "卜", "⺌": "小", "⺕": "彐", "⺩": "王", "⺮": "竹", "⺶": "羊", "⻆": "角",
    "⻉": "贝", "⻄": "西", "⻨": "麦", "⻩": "黄", "⻘": "青", "⻣": "骨", "⻤": "鬼", "⻥": "鱼",
})  # fmt: skip

_FOLDABLE = re.compile(r"[\u2f00-\u2fdf\uf900-\ufaff]")
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’《》、,。;:!?()"
_SPACE_BY_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")


def cell_text(raw: str) -> str:
    """One table cell's text: normalised characters, no line-wrap spaces, no line breaks."""
    text = _FOLDABLE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), raw).translate(_RADICALS)
    text = _SPACE_BY_CJK.sub("", text)
    return re.sub(r"\s+", " ", text).strip()
