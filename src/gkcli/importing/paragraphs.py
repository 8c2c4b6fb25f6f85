"""Plans without a task table: the tasks are in the body's paragraphs, each closed by its units.

What is read, by principle rather than by one document's layout:

- *Headings.* ``一、…`` (or ``第一部分``) is a part, ``(一)…`` a section: a line of its own, or the
  first sentence of a paragraph that goes on with tasks.
- *Items* of any numbering: ``1.`` ``1、`` ``(1)`` ``①`` ``一是``, or none at all.
- *Units*, in any of the places plans put them: a parenthesis closing the sentence
  (``……公开。(市发改委牵头,各县区政府负责)``, full- or half-width, its clauses read by
  :func:`~gkcli.importing.phrases.read_roles`, a deadline among them read as the deadline),
  labelled lines after the item (``牵头单位:`` then ``责任单位:``, or only ``责任单位:``), or a
  trailing clause (``……,由市财政局牵头,各县区配合。``). A paragraph whose sentences each close
  with their own parenthesis is as many tasks.
- A line that wraps (a PDF's text layer) is joined to the sentence it continues.

Nothing is made up: an item whose units cannot be found keeps an empty lead and is flagged; a
numbered line that becomes no task is listed with its line; a part's tasks with no section go
into a generated section flagged for review.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from gkcli.importing.cleaning import cell_text, fold, joined
from gkcli.importing.phrases import Roles, read_roles, states_lead_first, unit_like, units_in_cell
from gkcli.importing.table import Doubt, Part, Row, Section, TableText, judge, strange_names

_CN = "一二三四五六七八九十"
_PART = re.compile(rf"^(?:[{_CN}]+、|第[{_CN}]+部分[、,.\s]*)\s*(?=\S)")
_SECTION = re.compile(rf"^\([{_CN}]+\)\s*(?=\S)")
_ITEM = re.compile(
    rf"^(?:(?P<n>\d{{1,3}})\s*[.、.,]\s*(?!\d)|\((?P<p>\d{{1,3}})\)\s*|(?P<c>[①-⑳])\s*|(?P<s>[{_CN}]+)是[,:]?)(?=\S)"
)
_SENTENCE_END = "。;;!?!?"
_LABEL_START = re.compile(
    r"^\(?(?:牵头(?:单位|部门|科室|处室)|责任(?:单位|部门|科室|处室)|配合(?:单位|部门)|完成(?:时限|时间)|时间节点)\s*[::]"
)
_ROLE_WORDS = re.compile(r"牵头|负责|配合|参与|协助|协同|协办|参照|落实|承办|主办|[::]")
_CLOSING = re.compile(r"^(?:抄送|抄报)[::]|^.{2,30}?办公室\s*\d{4}年\d{1,2}月\d{1,2}日\s*印发$")  # the last lines
_MEMBER_LIST = re.compile(r"^(?:附件\s*\d*\s*[::]?\s*)?(.+?)名单$")
# labels written inline after the item's sentence: ……公开。牵头单位:县财政局;责任单位:各乡镇。
_INLINE_LABEL = re.compile(
    r"(?<=[。;,.])\s*(?=(?:牵头(?:单位|部门|科室|处室)|责任(?:单位|部门|科室|处室)|配合(?:单位|部门)|完成(?:时限|时间)|时间节点)\s*[:])"
)
_TRAILING_CLAUSE = re.compile(r"[,;](?P<roles>(?:由)?[^,;。]*?(?:牵头|负责)[^。]*)。?$")
_DONE = re.compile(r"(?<=前|底|末|内)完成$")


@dataclass
class _Paragraph:
    line: int
    text: str  # as the document writes it, wrapped lines joined
    kind: str  # part, section, item, text, label


@dataclass
class _Candidate:
    """A task as found, before it is numbered."""

    given: int | None
    section_line: int
    title: str
    roles: Roles
    line: int
    source: str
    unitless: bool = False  # no units were found anywhere near it
    no_lead: str = "原文中找不到它的牵头单位(括号、标注的行或句末都没有)"  # why, when it has none
    unsure: list[tuple[str, str]] = field(default_factory=list)  # fields read one way that could be another


@dataclass
class _State:
    parts: list[Part] = field(default_factory=list)
    candidates: list[tuple[Part | None, _Candidate]] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)
    members: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def read(
    lines: Iterable[tuple[int, list[str]]],
    is_unit: Callable[[str], bool],
    is_deadline: Callable[[str], bool],
    *,
    lead_first: bool = False,
) -> TableText:
    """The tasks of a plan written as paragraphs. ``lead_first``: a parenthesis that lists units
    without saying their roles names the lead first."""
    paragraphs = _paragraphs(lines)
    reader = _TextReader(is_unit, is_deadline, lead_first)
    for index, paragraph in enumerate(paragraphs):
        reader.paragraph(paragraph, paragraphs[index + 1 :])
    return reader.finished()


def _kind(folded: str) -> str:
    if _LABEL_START.match(folded):
        return "label"
    if _PART.match(folded):
        return "part"
    if _SECTION.match(folded):
        return "section"
    if _ITEM.match(folded):
        return "item"
    return "text"


def _paragraphs(lines: Iterable[tuple[int, list[str]]]) -> list[_Paragraph]:
    """The body's paragraphs: a line that continues an unfinished sentence (it starts with no
    number or label, and the one before it ends mid-sentence and is no heading) is joined to it."""
    found: list[_Paragraph] = []
    for number, cells in lines:
        text = joined(cell_text(" ".join(c for c in cells if c)))
        if not text:
            continue
        kind = _kind(fold(text))
        last = found[-1] if found else None
        if (
            last is not None
            and kind == "text"
            and last.kind != "label"
            and last.text[-1] not in _SENTENCE_END
            and not (last.kind == "part" and len(last.text) <= 40)
            and not (last.kind == "section" and len(last.text) <= 30 and "。" not in last.text)
            and last.text[-1] not in "))"
        ):
            last.text += text
            continue
        found.append(_Paragraph(number, text, kind))
    return found


def _trailers(text: str) -> list[tuple[int, int, str]]:
    """Each parenthesis of ``text`` that gives units (its words say a role, or it lists only units'
    names), as (start, end, its inner text); nested brackets inside a name are kept in it."""
    folded = fold(text)
    found: list[tuple[int, int, str]] = []
    depth, start = 0, -1
    for index, char in enumerate(folded):
        if char == "(":
            if depth == 0:
                start = index
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                inner = text[start + 1 : index]
                if _gives_units(inner):
                    found.append((start, index + 1, inner))
    return found


def _gives_units(inner: str) -> bool:
    """Whether a parenthesis closes a task: its words say a role (牵头, 负责, 牵头单位:, 按要求落实)
    or it lists only units' names."""
    roles = read_roles(inner, lambda _: False)
    names = [*roles.lead, *roles.responsible, *roles.listed]
    return roles.said or (bool(names) and all(unit_like(n) for n in names))


class _TextReader:
    def __init__(self, is_unit: Callable[[str], bool], is_deadline: Callable[[str], bool], lead_first: bool) -> None:
        self.is_unit, self.is_deadline, self.lead_first = is_unit, is_deadline, lead_first
        self.state = _State()
        self.pending: _Paragraph | None = None  # a paragraph with no units yet: labelled lines may follow
        self.labels: list[_Paragraph] = []
        self.listing: str | None = None  # the group whose member list is being read
        self.over = False  # past the body (抄送, the signature)
        self.unsure: list[tuple[str, str]] = []  # what reading the last parenthesis was unsure of

    # ---- one paragraph ---------------------------------------------------------------------------

    def paragraph(self, paragraph: _Paragraph, rest: list[_Paragraph]) -> None:
        folded = fold(paragraph.text)
        if paragraph.kind == "label" and self.pending is not None:
            self.labels.append(paragraph)
            if not rest or rest[0].kind != "label":
                self._settle()
            return
        self._settle()
        if paragraph.kind == "text" and len(folded) <= 30 and (listed := _MEMBER_LIST.match(folded)):
            self.listing = paragraph.text[listed.start(1) : listed.end(1)]
            self.state.members[self.listing] = []
            return
        if self.listing is not None:
            if paragraph.kind in ("part", "section", "item") and not self.over:
                self.listing = None
            else:
                self.state.members[self.listing] += units_in_cell(paragraph.text)
                return
        if self.over:
            return
        if _CLOSING.match(folded):
            self.over = True
            return
        trailers = _trailers(paragraph.text)
        if paragraph.kind == "part" and not trailers:
            title = paragraph.text[_PART.match(folded).end() :].rstrip("。")  # type: ignore[union-attr]
            self.state.parts.append(Part(len(self.state.parts) + 1, title, paragraph.line))
            return
        heading = None
        if paragraph.kind == "section":
            heading = self._section(paragraph, folded, trailers)
            if heading is None:
                return
        if trailers:
            self._segments(paragraph, trailers, heading)
        elif paragraph.kind in ("item", "section", "text"):
            self.pending = paragraph  # units may follow on lines of their own

    def _section(self, paragraph: _Paragraph, folded: str, trailers: list[tuple[int, int, str]]) -> int | None:
        """Open the section a ``(一)`` paragraph heads; the length of its heading within the text
        when the paragraph goes on (with tasks), None when it is only a heading."""
        start = _SECTION.match(folded).end()  # type: ignore[union-attr]
        stop = next((i for i in range(start, len(folded)) if folded[i] in "。;"), len(folded))
        title = paragraph.text[start:stop].strip()
        if len(title) > 60 and not trailers:  # a long paragraph numbered (一): an item, not a heading
            paragraph.kind = "item"
            self.pending = paragraph
            return None
        part = self._part(paragraph.line)
        part.sections.append(Section(f"{part.id}.{len(part.sections) + 1}", title, paragraph.line))
        if trailers or stop < len(folded) - 1:
            return stop + 1 if len(trailers) > 1 else start
        self.pending = paragraph  # perhaps a task itself, its units on the lines below
        return None

    def _segments(self, paragraph: _Paragraph, trailers: list[tuple[int, int, str]], heading: int | None) -> None:
        """One task for each parenthesis of units, its title the text since the one before."""
        text, folded = paragraph.text, fold(paragraph.text)
        begin = heading if heading is not None else _numbering_end(folded)
        given = _number(folded) if paragraph.kind == "item" else None
        for n, (start, end, inner) in enumerate(trailers):
            piece = text[begin:start]
            lead_in = _ITEM.match(fold(piece).lstrip(" 。;\uff1b"))
            skip = len(piece) - len(piece.lstrip(" 。;\uff1b"))
            if lead_in:
                skip += lead_in.end()
            title = piece[skip:].strip()
            after = end
            if end < len(text) and fold(text[end]) in "。;":
                after += 1
                if title and text[end] == "。" and title[-1] not in "。;\uff1b":
                    title += "。"
            if title:
                roles = self._roles(inner)
                self._add(given if n == 0 else None, title, roles, paragraph, text, no_lead="括号中没有写明牵头单位")
            else:
                self.state.doubts.append(Doubt(paragraph.line, "这一段", f"括号({inner})前没有任务内容,未读入"))
            begin = after
        rest = text[begin:].strip(" 。;\uff1b")
        if rest and len(rest) > 4:
            self.state.doubts.append(
                Doubt(paragraph.line, "这一段", f"最后一个括号之后的文字没有写明单位,未读成任务:{rest[:30]}…")
            )

    def _settle(self) -> None:
        """The pending paragraph becomes a task, with the labelled lines that followed it (or a
        trailing clause, or nothing found: an empty lead, flagged)."""
        paragraph, labels = self.pending, self.labels
        self.pending, self.labels = None, []
        if paragraph is None:
            return
        folded = fold(paragraph.text)
        text = paragraph.text
        if paragraph.kind == "section":
            begin = _SECTION.match(folded).end()  # type: ignore[union-attr]
            if not labels:
                return  # a heading and nothing more
        else:
            begin = _numbering_end(folded)
        title = text[begin:].strip()
        if states_lead_first(text):
            return  # the document's own word on how it names units, not a task
        inline = _INLINE_LABEL.search(fold(title))
        if labels:
            roles = self._roles(";".join(_unbracketed(p.text) for p in labels))
            source = " ".join([text, *(p.text for p in labels)])
        elif inline is not None:
            roles = self._roles(title[inline.end() :].rstrip("。"))
            title, source = title[: inline.start()].strip(), text
        elif paragraph.kind != "text" and (clause := _TRAILING_CLAUSE.search(fold(title))):
            roles = self._roles(title[clause.start("roles") : clause.end("roles")])
            if roles.lead or roles.responsible:
                title = title[: clause.start()] + ("。" if title.endswith("。") else "")
            source = text
        else:
            if paragraph.kind == "text":
                return  # a paragraph of the body that names no units: not a task
            roles, source = Roles(), text
        given = _number(folded) if paragraph.kind == "item" else None
        self._add(given, title, roles, paragraph, source, unitless=not (roles.lead or roles.responsible or labels))

    def _roles(self, words: str) -> Roles:
        roles = read_roles(words, self.is_deadline, names=lambda n: unit_like(n) or self.is_unit(n))
        self.unsure = []
        if len(roles.listed) > 1 and not roles.said and not self.lead_first:
            self.unsure.append(
                (
                    "牵头单位",
                    f"括号中的 {len(roles.listed)} 个单位都没有写角色,都记为牵头单位;若第一个才是牵头单位,用 --lead-first",
                )
            )
        if roles.listed:
            if self.lead_first and not roles.lead:
                roles.lead, roles.responsible = roles.listed[:1], [*roles.listed[1:], *roles.responsible]
            else:
                (roles.lead if not roles.lead else roles.responsible).extend(roles.listed)
        roles.deadline = _DONE.sub("", roles.deadline.strip())
        return roles

    def _add(
        self, given: int | None, title: str, roles: Roles, paragraph: _Paragraph, source: str, *,
        unitless: bool = False, no_lead: str | None = None,
    ) -> None:  # fmt: skip
        part = self.state.parts[-1] if self.state.parts else None
        section_line = part.sections[-1].line if part is not None and part.sections else 0
        candidate = _Candidate(given, section_line, title, roles, paragraph.line, source, unitless)
        candidate.unsure, self.unsure = self.unsure, []
        if no_lead:
            candidate.no_lead = no_lead
        self.state.candidates.append((part, candidate))

    def _part(self, line: int) -> Part:
        if not self.state.parts:
            self.state.parts.append(Part(1, "(未分部分)", line))
        return self.state.parts[-1]

    # ---- the whole -------------------------------------------------------------------------------

    def finished(self) -> TableText:
        self._settle()
        state = self.state
        with_units = any(not c.unitless for _, c in state.candidates)
        kept: list[tuple[Part | None, _Candidate]] = []
        for part, candidate in state.candidates:
            if candidate.unitless and with_units and not _part_has_units(state, part):
                state.doubts.append(
                    Doubt(
                        candidate.line, "这一条", "所在部分没有写明单位的条目(如总体要求),未读成任务;若是任务请补上单位"
                    )
                )
                continue
            kept.append((part, candidate))
        numbers = [c.given for _, c in kept]
        if kept and any(n is not None for n in numbers) and numbers != list(range(1, len(kept) + 1)):
            state.notes.append(
                "原文的编号不是从 1 起贯穿全文(各部分或小节分别编号,或有不编号的任务),序号已按全文顺序重排"
            )
        placed = [(self._section_for(part, c), c) for part, c in kept]
        used = {id(section) for section, _ in placed}
        parts: list[Part] = []
        for part in state.parts:  # parts and sections without a task (总体要求, 保障措施) are not kept
            part.sections = [s for s in part.sections if id(s) in used]
            if part.sections:
                part.id = len(parts) + 1
                for n, section in enumerate(part.sections, 1):
                    section.id = f"{part.id}.{n}"
                parts.append(part)
        rows = [
            Row(
                number,
                section.id,
                c.title,
                c.roles.lead,
                c.roles.responsible,
                c.roles.deadline,
                c.line,
                source=c.source,
            )
            for number, (section, c) in enumerate(placed, 1)
        ]
        strange = strange_names(rows, self.is_unit)
        for row, (_, candidate) in zip(rows, placed, strict=True):
            judge(row, state.doubts, strange, self.is_deadline, candidate.unsure,
                  empty_lead=candidate.no_lead, empty_deadline="原文没有写完成时限")  # fmt: skip
        for section in {id(s): s for s, _ in placed}.values():
            if section.title == _UNNAMED:
                state.doubts.append(
                    Doubt(
                        section.line, f"小节 {section.id} 的标题", "原文这一部分的任务没有小节,已生成一个;请按原文填写"
                    )
                )
        state.doubts.sort(key=lambda d: d.line)
        return TableText(parts, rows, state.doubts, state.members, task_rows=len(rows), notes=state.notes)

    def _section_for(self, part: Part | None, candidate: _Candidate) -> Section:
        """The section a task stands in: the last one opened before it in its part, else one made
        for the tasks of the part that come before any section (flagged)."""
        part = part if part is not None else self._part(candidate.line)
        for section in part.sections:
            if section.line == candidate.section_line and candidate.section_line:
                return section
        generated = next((s for s in part.sections if s.title == _UNNAMED), None)
        if generated is None:
            generated = Section("", _UNNAMED, candidate.line)
            at = next((n for n, s in enumerate(part.sections) if s.line > candidate.line), len(part.sections))
            part.sections.insert(at, generated)
        return generated


_UNNAMED = "(未分小节)"


def _part_has_units(state: _State, part: Part | None) -> bool:
    return any(p is part and not c.unitless for p, c in state.candidates)


def _numbering_end(folded: str) -> int:
    for pattern in (_ITEM, _SECTION, _PART):
        if match := pattern.match(folded):
            return match.end()
    return 0


def _number(folded: str) -> int | None:
    match = _ITEM.match(folded)
    if match is None:
        return None
    if match.group("n") or match.group("p"):
        return int(match.group("n") or match.group("p"))
    if match.group("c"):
        return ord(match.group("c")) - ord("①") + 1
    return _cn_number(match.group("s"))


def _cn_number(text: str) -> int | None:
    digits = {c: n for n, c in enumerate(_CN, 1)}
    if len(text) == 1:
        return digits.get(text)
    if text[0] == "十":
        return 10 + digits.get(text[1], 0)
    return None


def _unbracketed(text: str) -> str:
    folded = fold(text)
    return text[1:-1] if folded.startswith("(") and folded.endswith(")") else text
