"""The units and roles a plan's words give: the names in a cell or a parenthesis (split at 、 , ;
and spaces, never inside brackets of either width), the tails that are not names (``A、B等``,
``等单位``; ``等有关部门`` names the generic group 有关部门), two names joined by 和/及/与, the role
each clause says (牵头; 负责, 落实; 配合, 参与, 协助 …; or a label such as ``牵头单位:``) and a
deadline standing among them (``;9月底前完成``).

Everything is matched on :func:`~gkcli.importing.cleaning.fold`'s copy, so full-width and ASCII
punctuation and traditional characters read alike; the names keep the document's own text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from gkcli.importing.cleaning import fold

_UNIT_ENDING = re.compile(
    r"(?:局|办|委|中心|政府|单位|部门|处|科|股|室|站|所|院|队|社|行|公司|集团|小组|办事处|部|厅|署|会|馆|台|团|街道|镇|乡|"
    r"分局|支行|法院|检察院|海关|管委会|管理处)$"
)
_BRACKETED = re.compile(r"\([^()]*\)")
# the generic groups a plan names without listing them: 有关部门, 相关单位, 各科室, 各镇(街) ...
_GENERIC = re.compile(
    r"^(?:(?:有关|相关|其他|其它|其余|各有关|各相关)(?:部门|单位|科室|处室|机构)|各(?:科室|处室|股室|部门|单位).*)$"
)
_TAIL = re.compile(r"^(?P<names>.*?)等(?P<rest>.*)$")
_JOINED = re.compile(r"(?:以及|和|及|与|会同)")
_LEADING = re.compile(r"^(?:由|请|要求)")
_LEAD_FIRST = re.compile(
    r"(?:列|排|写)(?:在)?(?:第一位|首位|第一个|最前|前面)(?:的|者)?(?:单位|部门)?(?:为|是)牵头(?:单位|部门)|第一个单位为牵头单位"
)


def states_lead_first(text: str) -> bool:
    """Whether a document says that the first unit named leads (列第一位者为牵头单位)."""
    return bool(_LEAD_FIRST.search(fold(text)))


_TRAILING = re.compile(r"(?:分别|共同|等)+$")


def unit_like(name: str) -> bool:
    """Whether a name reads as a body's: ends as units' names do (…局, …办, …中心, …镇人民政府,
    …部, a bureau's own 科/股/处室, a bracketed other name after it) or names a group (各…)."""
    plain = _BRACKETED.sub("", fold(name))
    return bool(_UNIT_ENDING.search(plain) or plain.startswith("各")) and 2 <= len(name) <= 40


def generic_group(name: str) -> bool:
    """Whether a name is a generic group a plan names without listing it (有关部门, 各科室 …)."""
    return bool(_GENERIC.match(fold(name)))


def split_names(cell: str) -> list[str]:
    """The pieces of a cell between 、 , ; / and spaces, never inside brackets of either width."""
    folded = fold(cell.rstrip("。."))
    pieces: list[str] = []
    start = depth = 0
    for index, char in enumerate(folded):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and (char in "、,;/" or char.isspace()):
            pieces.append(cell[start:index])
            start = index + 1
    pieces.append(cell[start : len(folded)])
    return [p for p in (piece.strip() for piece in pieces) if p]


def units_in_cell(cell: str) -> list[str]:
    """The unit names in a cell: its pieces (:func:`split_names`), each without the words around a
    name (由, 等, 分别), a tail ``等有关部门`` read as that generic group, and two names joined by
    和/及/与 read as two when both sides read as units' names."""
    names: list[str] = []
    for piece in split_names(cell):
        names += _names_in(piece)
    return list(dict.fromkeys(n for n in names if n))


def _names_in(piece: str) -> list[str]:
    if leading := _LEADING.match(fold(piece)):
        piece = piece[leading.end() :]
    folded = fold(piece)
    tail = _TAIL.match(folded)
    if tail and "(" not in folded[: tail.end("names")]:  # 等 outside any bracket
        before, rest = piece[: tail.end("names")], piece[tail.start("rest") :]
        found = _joined(before) if before else []
        return [*found, rest] if rest and generic_group(rest) else found
    trailing = _TRAILING.search(folded)
    if trailing and trailing.start() > 0:
        piece = piece[: trailing.start()]
    return _joined(piece)


def _joined(name: str) -> list[str]:
    """``A和B`` as two names when both read as units' names and the whole is not one (县发展和改革局)."""
    folded = fold(name)
    for match in _JOINED.finditer(folded):
        left, right = name[: match.start()], name[match.end() :]
        if unit_like(left) and unit_like(right):
            return [*_joined(left), *_joined(right)]
    return [name.strip()] if name.strip() else []


# ---- roles -------------------------------------------------------------------------------------

_LABEL = re.compile(
    r"^(?P<label>牵头(?:单位|部门|科室|处室|领导)?|责任(?:单位|部门|科室|处室|主体)|配合(?:单位|部门|科室)|"
    r"协办(?:单位|部门)|参与(?:单位|部门)|主办(?:单位|部门)|承办(?:单位|部门)|负责(?:单位|部门|科室|处室)|"
    r"完成(?:时限|时间|期限)|时间(?:节点|要求)?|时限(?:要求)?|截止(?:时间|日期))\s*[::]\s*(?P<value>.*)$"
)
_POLICY = r"(?:按职责分工|按照职责分工|根据职责分工|按职责|根据职责|按照职责|按各自职责)?"
_LEAD = re.compile(r"^(?P<names>.*?)(?:等)?(?:分别|共同)?牵头(?:负责|落实|实施|推进|抓好)?(?:落实|实施)?$")
_SHARE = re.compile(
    rf"^(?P<names>.*?)(?:等)?{_POLICY}(?:分别|共同|积极)?"
    r"(?:配合|参与|协助|协同|协办|参照(?:落实|执行)?|配合落实|协助落实)(?:落实|实施|推进)?$"
)
_DO = re.compile(
    rf"^(?P<names>.*?)(?:等)?{_POLICY}(?:分别|共同|具体)?(?:负责|落实|承办|实施|主办|抓好落实)(?:落实|实施|推进)?$"
)
_ROLE_WORD = re.compile(r"牵头|负责|配合|参与|协助|协同|协办|参照|落实|承办|主办|实施|[::]")
_LEAD_LABELS = ("牵头", "主办", "负责")
_DEADLINE_LABELS = ("完成", "时间", "时限", "截止")


_MARKED = re.compile(r"\((?:牵头|主办|配合|协办|参与|责任|负责)(?:单位)?\)")


def _marked(clause: str, roles: Roles, own: str) -> None:
    """Names each followed by its role in brackets (县财政局(牵头)); an unmarked name is responsible
    where another is marked to lead, else it takes the column's own role (a parenthesis: lead)."""
    marks = [(name, _mark(name)) for name in split_names(clause)]
    leading = any(role.startswith(("牵头", "主办")) for _, (_, role) in marks)
    for _, (bare, role) in marks:
        to_lead = role.startswith(("牵头", "主办")) or (not role and not leading and own != "responsible")
        (roles.lead if to_lead else roles.responsible).extend(n for n in units_in_cell(bare) if n)
    roles.said = True


def _mark(name: str) -> tuple[str, str]:
    """A name without its bracketed role, and the role (empty when it has none)."""
    marked = _MARKED.search(fold(name))
    if marked is None:
        return name, ""
    return name[: marked.start()].strip(), fold(name)[marked.start() + 1 : marked.end() - 1]


@dataclass
class Roles:
    """What a unit cell or a parenthesis says: leads, responsible units, a deadline, and whether
    any word said a role (else the names are only listed, and the caller decides)."""

    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    deadline: str = ""
    listed: list[str] = field(default_factory=list)  # names with no role said
    said: bool = False
    passed: list[str] = field(default_factory=list)  # words before a role that name no unit (按要求 in 按要求落实)


def clauses(text: str) -> list[str]:
    """``text`` in clauses: split at ; and 。, and at , after a clause that says a role (so
    ``A,B按职责分工负责`` stays one clause and ``A牵头,B配合`` is two)."""
    folded = fold(text)
    found: list[str] = []
    start = 0
    for index, char in enumerate(folded):
        if char in ";。" or (char == "," and _ROLE_WORD.search(folded[start:index])):
            found.append(text[start:index])
            start = index + 1
    found.append(text[start:])
    return [c.strip(" ,\uff0c、") for c in found if c.strip(" ,\uff0c、")]


def read_roles(
    text: str, is_deadline: Callable[[str], bool], own: str = "", names: Callable[[str], bool] | None = None
) -> Roles:
    """The roles ``text`` says (a unit cell, or the words of a parenthesis). ``own``: the role of
    the column the text stands in (``lead``/``responsible``), which a clause saying 负责 (or no
    role) takes; without it 负责 leads unless another clause says 牵头. ``names``: which words
    before a role are units' names (by default all; in a sentence, 按要求落实 names none)."""
    roles = Roles()
    doing: list[str] = []
    charged: list[str] = []  # under 责任单位: the leads when no unit is named to lead, as in a one-column table
    for clause in clauses(text):
        folded = fold(clause)
        labelled = _LABEL.match(folded)
        if _MARKED.search(folded):  # 县财政局(牵头)、县审计局: each name marked with its own role
            _marked(clause[labelled.start("value") :] if labelled else clause, roles, own)
            continue
        if labelled:
            label, value = labelled.group("label"), clause[labelled.start("value") :]
            roles.said = True
            if label.startswith(_DEADLINE_LABELS):
                roles.deadline = roles.deadline or value.strip()
            elif label.startswith(_LEAD_LABELS):
                roles.lead += units_in_cell(value)
            elif label.startswith("责任"):
                charged += units_in_cell(value)
            else:
                roles.responsible += units_in_cell(value)
            continue
        if is_deadline(clause) and not unit_like(clause):
            roles.deadline = roles.deadline or clause
            continue
        for pattern, into in ((_LEAD, roles.lead), (_SHARE, roles.responsible), (_DO, doing)):
            if (found := pattern.match(folded)) and found.group("names"):
                for name in units_in_cell(clause[: found.end("names")]):
                    (into if names is None or names(name) else roles.passed).append(name)
                roles.said = True
                break
        else:
            roles.listed += units_in_cell(clause)
    if doing:  # 负责: responsible where another clause leads, else the column's own role (a parenthesis: lead)
        (roles.responsible if roles.lead or own == "responsible" else roles.lead).extend(doing)
    (roles.responsible if roles.lead or doing else roles.lead)[:0] = charged
    roles.lead = list(dict.fromkeys(roles.lead))
    roles.responsible = [n for n in dict.fromkeys(roles.responsible) if n not in roles.lead]
    return roles
