"""Text as it comes out of a document, made into the text that was printed, and a copy of it for
matching.

- The Kangxi radicals (⼯ → 工) and CJK compatibility ideographs are folded by NFKC, character by
  character, so that full-width punctuation stays as printed; the CJK Radicals Supplement is
  almost untouched by NFKC, so each of its radicals that a PDF's text layer emits for an ideograph
  (⻑ for 長, ⻓ for 长, ⺠ for 民) is mapped here, from one table (:data:`RADICALS`).
- A line wrap inside a table cell leaves a space between two Chinese characters; such spaces are
  not part of the text. Spaces between two Latin letters or digits are kept.
- :func:`fold` gives the copy rules match on: full-width and half-width punctuation alike, and the
  traditional characters of the words plans use for roles, headers, units and deadlines in their
  simplified form. It maps character for character, so a match in the copy is a match at the same
  place in the text, which keeps its own script and punctuation.
"""

from __future__ import annotations

import re
import unicodedata

# The CJK Radicals Supplement (U+2E80–U+2EF3): each radical that stands for a whole ideograph, with
# that ideograph (the equivalent unified ideograph). Radicals that are only ever components (⺀ ⺂
# ⺃ ⺄ ⺈ ⺧ …) have none and are left alone. ⺟ and ⻳ are folded by NFKC as well.
RADICALS: dict[str, str] = {
    "⺁": "厂", "⺅": "亻", "⺆": "冂", "⺇": "几", "⺉": "刂", "⺊": "卜", "⺋": "㔾", "⺌": "小", "⺍": "小",
    "⺎": "兀", "⺏": "尣", "⺐": "尢", "⺒": "巳", "⺓": "幺", "⺔": "彑", "⺕": "彐", "⺖": "忄", "⺗": "㣺",
    "⺘": "扌", "⺙": "攵", "⺛": "旡", "⺜": "日", "⺝": "月", "⺞": "歺", "⺟": "母", "⺠": "民", "⺡": "氵",
    "⺢": "氺", "⺣": "灬", "⺤": "爫", "⺥": "爫", "⺦": "丬", "⺨": "犭", "⺩": "王", "⺪": "疋", "⺫": "罒",
    "⺬": "示", "⺭": "礻", "⺮": "竹", "⺯": "糹", "⺰": "纟", "⺱": "罓", "⺲": "罒", "⺳": "㓁", "⺶": "羊",
    "⺹": "耂", "⺺": "肀", "⺻": "聿", "⺼": "月", "⺽": "臼", "⺾": "艹", "⺿": "艹", "⻀": "艹", "⻁": "虎",
    "⻂": "衤", "⻃": "覀", "⻄": "西", "⻅": "见", "⻆": "角", "⻇": "角", "⻈": "讠", "⻉": "贝", "⻊": "𧾷",
    "⻋": "车", "⻌": "辶", "⻍": "辶", "⻎": "辶", "⻏": "阝", "⻐": "钅", "⻑": "長", "⻒": "镸", "⻓": "长",
    "⻔": "门", "⻖": "阝", "⻗": "雨", "⻘": "青", "⻙": "韦", "⻚": "页", "⻛": "风", "⻜": "飞", "⻝": "食",
    "⻟": "飠", "⻠": "饣", "⻢": "马", "⻣": "骨", "⻤": "鬼", "⻥": "鱼", "⻦": "鸟", "⻧": "卤", "⻨": "麦",
    "⻩": "黄", "⻪": "黾", "⻫": "斉", "⻬": "齐", "⻭": "歯", "⻮": "齿", "⻯": "竜", "⻰": "龙", "⻱": "龜",
    "⻲": "亀", "⻳": "龟",
}  # fmt: skip
_RADICAL_TABLE = str.maketrans(RADICALS)

BREAK = "\u2028"  # a line break the document's author typed in a cell (Word, Excel, <br>), unlike a PDF's wrap
_FOLDABLE = re.compile(r"[\u2f00-\u2fdf\uf900-\ufaff]")
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’《》、,。;:!?()"
_SPACE_BY_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")


def cell_text(raw: str) -> str:
    """One table cell's text: normalised characters, no line-wrap spaces, no line breaks but the
    ones the author typed (:data:`BREAK`: they part the names in a unit cell; :func:`joined` takes
    them out of any other text)."""
    text = _FOLDABLE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), raw).translate(_RADICAL_TABLE)
    pieces = [_SPACE_BY_CJK.sub("", piece) for piece in text.split(BREAK)]
    return BREAK.join(p for p in (re.sub(r"\s+", " ", piece).strip() for piece in pieces) if p)


def joined(text: str) -> str:
    """A cell's text as one line: its typed line breaks taken out (a space only between Latin
    letters or digits), as a wrap is."""
    if BREAK not in text:
        return text
    pieces = text.split(BREAK)
    out = pieces[0]
    for piece in pieces[1:]:
        out += (
            " " if out[-1:].isascii() and out[-1:].isalnum() and piece[:1].isascii() and piece[:1].isalnum() else ""
        ) + piece
    return out


# Punctuation of either width, as the rules match it: a full-width form and the brackets that
# stand for parentheses in names (〔〕【】) become ASCII.
_PUNCTUATION = {
    "（": "(", "）": ")", "，": ",", "；": ";", "：": ":", "？": "?", "！": "!", "〔": "(", "〕": ")",
    "［": "[", "］": "]", "【": "(", "】": ")", "｛": "{", "｝": "}", "．": ".", "＝": "=", "　": " ",
    "﹙": "(", "﹚": ")", "﹐": ",", "﹔": ";", "﹕": ":", "⑴": "1", "﹝": "(", "﹞": ")",
}  # fmt: skip
# Traditional characters of the words a plan's roles, headers, units, numbering and deadlines are
# written in, with their simplified forms: enough to read 牽頭單位 or 責任處室 as 牵头单位, 责任处室.
_TRADITIONAL = (
    "牽牵頭头責责單单負负時时間间務务內内項项舉举節节點点進进標标協协調调參参與与實实報报備备註注說说類类"
    "別别號号處处體体區区縣县鎮镇鄉乡辦办屬属關关級级會会員员為为應应後后個个組组導导領领長长業业發发開开"
    "廳厅廣广電电視视財财稅税醫医療疗環环衛卫機机構构場场監监審审計计統统農农產产資资規规劃划傳传網网絡络"
    "訊讯數数據据執执紀纪聯联輔辅門门東东護护運运輸输貿贸經经濟济歸归檔档圖图書书館馆學学園园藝艺術术歲岁"
    "節节僑侨臺台灣湾並并內内簡简範范綜综態态勢势營营億亿價价補补貼贴償偿險险齡龄殘残處处辭辞職职質质驗验"
    "徵征畫画廢废歷历幣币寶宝壓压權权濟济災灾勵励屬属廠厂擬拟擔担據据歡欢稱称線线礎础區区島岛漁渔鐵铁鑽钻"
    "紅红黃黄綠绿藍蓝顏颜豐丰兒儿愛爱戰战陸陆錄录續续總总鄰邻縣县轄辖鎮镇鄉乡辦办黨党務务訪访糧粮"
    "儲储氣气這这們们來来對对從从於于無无當当將将雙双專专韓韩數数盡尽強强邊边遠远應应認认識识證证讓让談谈"
)
_SIMPLIFIED = {_TRADITIONAL[n]: _TRADITIONAL[n + 1] for n in range(0, len(_TRADITIONAL) - 1, 2)}
_FOLD = str.maketrans({**_PUNCTUATION, **_SIMPLIFIED})


def fold(text: str) -> str:
    """``text`` as the rules read it, character for character (so a match's place is the same in
    both): ASCII punctuation for its full-width forms, simplified characters for the traditional
    forms of the words plans use."""
    return text.translate(_FOLD)
