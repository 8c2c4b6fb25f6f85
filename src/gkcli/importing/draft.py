"""A draft registry from what was read: ``tasks.yaml`` and ``units.yaml`` as text, in the layout of
the bundled registry, with a ``review`` marker on every record that holds a doubtful reading.

A draft always loads: whatever the document lacks (its year, issuer, number, date, sections,
deadlines) is written as a placeholder that says so and is marked for review (GK701), and every
name a task uses is a unit or group of the draft's units.yaml."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from gkcli.domain.deadlines import recurrence
from gkcli.domain.records import Unit, UnitGroup
from gkcli.domain.units import UnitDirectory
from gkcli.importing.cleaning import fold
from gkcli.importing.phrases import generic_group, unit_like
from gkcli.importing.table import Doubt, TableText
from gkcli.store.yaml_edit import scalar

_GROUP = re.compile(
    r"^各.+|.+(?:有关单位|有关部门|相关单位|相关部门|各部门|成员单位|各单位|直属单位|直各部门|各有关部门)$"
)
_KINDS = (
    (re.compile(r"(?:镇|乡|街道)(?:人民政府|办事处)?$"), "township"),
    (re.compile(r"(?:公司|集团|银行|支行)$"), "enterprise"),
    (re.compile(r"(?:领导小组|委员会|指挥部|联席会议)(?:办公室)?$"), "coordinating_body"),
)
# the office that coordinates a plan, as plans name it: 县政府办公室, 区政务公开办, 市政府办公厅 ...
_OFFICE = re.compile(r"(?:人民政府办公室|政府办公室|人民政府办公厅|政府办公厅|政务公开办公室|政务公开办|公开办)$")


@dataclass
class PlanBlock:
    """The ``plan:`` block of a draft: what the document says, or placeholders that say what it
    does not (each such gap in ``review``)."""

    title: str
    document_number: str
    issuer: str
    issued_on: dt.date
    year: int
    office: str | None = None
    review: list[str] = field(default_factory=list)


@dataclass
class Draft:
    tasks_yaml: str
    units_yaml: str
    tasks: int
    units: int
    groups: int
    sections: int


def known(directory: UnitDirectory, name: str) -> Unit | UnitGroup | None:
    """The directory's unit or group for ``name``. The bundled directory is a county's: a city's or
    district's department of the same name (市财政局, 区财政局) matches the county's (县财政局),
    and is returned under the plan's own name, its short forms following suit; a name in
    traditional characters (縣財政局) matches as its simplified form, and keeps its own script."""
    entity = directory.find(name)
    level = ""
    if entity is None and fold(name) != name:
        entity = directory.find(fold(name))
    if entity is None and name[:1] in "市区" and len(name) > 2:
        entity, level = directory.find("县" + name[1:]), name[0]
    if entity is None:
        return None
    if entity.is_group:
        return next(g for g in directory.groups if g.name == entity.name)
    unit = next(u for u in directory.units if u.name == entity.name)
    if level:
        aliases = tuple(level + a[1:] for a in unit.aliases if a.startswith("县"))
        return Unit(name=level + unit.name[1:], kind=unit.kind, aliases=aliases)
    if name != unit.name and directory.find(name) is None:  # written in another script: the document's name
        return Unit(name=name, kind=unit.kind, aliases=(unit.name,))
    return unit


def group_like(name: str) -> bool:
    """Whether a name reads as a group of units (各乡镇人民政府, 县属有关单位, 有关部门 ...)."""
    folded = fold(name)
    return bool(_GROUP.match(folded)) or generic_group(folded)


def unit_kind(name: str) -> str:
    """The kind a unit's name suggests: 镇/乡 governments, companies, coordinating bodies; else a department."""
    return next((kind for pattern, kind in _KINDS if pattern.search(fold(name))), "department")


_GOVERNMENT_OFFICE = re.compile(r"([省市县区州旗镇乡])(?:人民)?政府办公([室厅])$")


def office_of(table: TableText, issuer: str | None) -> str | None:
    """The office that coordinates the plan, where the document names it: the unit named most
    often (as a lead counting double) among those that read as a government's office or its
    openness office (县政府办公室, 区政务公开办); else the issuer's own office (嵊泗县人民政府办公室
    → 县政府办公室, as the plan's tasks would name it); else None (then it is flagged)."""
    counts: dict[str, int] = {}
    for row in table.rows:
        for name in [*row.lead, *row.responsible]:
            if _OFFICE.search(fold(name)):
                counts[name] = counts.get(name, 0) + (2 if name in row.lead else 1)
    if counts:
        return max(counts, key=lambda name: (counts[name], -len(name)))
    if issuer and (office := _GOVERNMENT_OFFICE.search(fold(issuer))):
        return f"{office.group(1)}政府办公{office.group(2)}"
    if issuer and _OFFICE.search(fold(issuer)):
        return issuer
    return None


def build(plan: PlanBlock, table: TableText, directory: UnitDirectory, source: str) -> Draft:
    """The draft's two files."""
    by_task: dict[int, list[Doubt]] = {}
    by_heading: dict[str, list[Doubt]] = {}
    for doubt in table.doubts:
        if doubt.task is not None:
            by_task.setdefault(doubt.task, []).append(doubt)
        else:
            by_heading.setdefault(doubt.what, []).append(doubt)
    lines = [
        "# yaml-language-server: $schema=tasks.schema.json",
        f"# Imported by gkcli import from {source}; review every `review:` before use (gkcli check lists them as GK701).",
        "plan:",
        f"  title: {scalar(plan.title)}",
        f"  document_number: {scalar(plan.document_number)}",
        f"  issuer: {scalar(plan.issuer)}",
        f"  issued_on: {plan.issued_on.isoformat()}",
        f"  year: {plan.year}",
    ]
    if plan.office:
        lines.append(f"  office: {scalar(plan.office)}")
    if plan.review:
        lines.append(f"  review: {scalar(';'.join(plan.review))}")
    lines.append("parts:")
    for part in table.parts:
        lines += [f"  - id: {part.id}", f"    title: {scalar(part.title)}"]
        lines += _review("    ", by_heading.get(f"第 {part.id} 部分的标题", []))
        lines.append("    sections:" if part.sections else "    sections: []")
        for section in part.sections:
            lines += [f'      - id: "{section.id}"', f"        title: {scalar(section.title)}"]
            lines += _review("        ", by_heading.get(f"小节 {section.id} 的标题", []))
    lines.append("tasks:")
    for row in table.rows:
        lines += [
            f"  - id: {row.number}",
            f'    section: "{row.section}"',
            f"    title: {scalar(row.title)}",
            f"    lead: {_flow(row.lead)}",
            f"    responsible: {_flow(row.responsible)}",
            f"    deadline: {scalar(row.deadline)}" if row.deadline else '    deadline: ""',
        ]
        doubts = by_task.get(row.number, [])
        rule = recurrence(row.deadline) if row.deadline else None
        if rule is not None:  # recurring work is checked on the way: proposed, for a person to confirm
            lines.append(f"    checkpoints: {scalar(rule)}")
            why = f"完成时限“{row.deadline}”是周期性的,已按“{rule}”写入检查节点,请核对或删去"
            doubts = [*doubts, Doubt(row.line, f"任务 {row.number} 的检查节点", why, row.number)]
        if row.doubtful:  # what was read, as the reconstructed tasks of the bundled registry keep it
            lines.append(f"    provenance: {scalar(f'导入时原文第 {row.line} 行读作:{row.source}')}")
        lines += _review("    ", doubts)
    units_text, counts = _units(table, directory, plan.office)
    sections = sum(len(p.sections) for p in table.parts)
    return Draft("\n".join(lines) + "\n", units_text, len(table.rows), counts[0], counts[1], sections)


def _names_used(table: TableText, directory: UnitDirectory, office: str | None) -> list[str]:
    """The names the tasks use, the members listed, the office, and a known group's members as the
    directory knows them, each once, in the order they first occur."""
    names: dict[str, None] = {}
    for row in table.rows:
        names.update(dict.fromkeys([*row.lead, *row.responsible]))
    for members in table.members.values():
        names.update(dict.fromkeys(members))
    if office:
        names.setdefault(office, None)
    for name in list(names):
        entity = known(directory, name)
        if isinstance(entity, UnitGroup) and entity.members and name not in table.members:
            names.update(dict.fromkeys(m for m in entity.members if m not in names))
    return list(names)


def _group_lines(name: str, group: UnitGroup | None, listed: list[str] | None, placed: set[str]) -> list[str]:
    """The draft's entry for a group (``group``: as the directory knows it; ``listed``: its members
    as the plan lists them), unless one of the same name is already placed."""
    canonical = group.name if group is not None else name
    if canonical in placed:
        return []
    placed.add(canonical)
    lines = [f"  - name: {scalar(canonical)}"]
    aliases = [*(group.aliases if group is not None else ()), *([name] if name != canonical else [])]
    if aliases:
        lines.append(f"    aliases: {_flow(dict.fromkeys(aliases))}")
    if listed is not None:
        lines.append(f"    members: {_flow(listed)}")
    elif group is not None and group.members:
        lines.append(f"    members: {_flow(group.members)}")
        lines.append(f"    review: {scalar('成员取自内置的单位目录(嵊泗县),请按本要点核对')}")
    else:
        lines.append(f"    review: {scalar('要点中没有列出成员;知道成员时写在 members 中')}")
    return lines


def _known_unit_lines(name: str, unit: Unit, placed: set[str]) -> list[str]:
    """The draft's entry for a unit the directory knows, under its full name (``name`` as an alias)."""
    if unit.name in placed:
        return []
    placed.add(unit.name)
    lines = [f"  - name: {scalar(unit.name)}"]
    aliases = [a for a in dict.fromkeys([*unit.aliases, name]) if a != unit.name]
    if aliases:
        lines.append(f"    aliases: {_flow(aliases)}")
    lines.append(f"    kind: {unit.kind}")
    return lines


def _review(indent: str, doubts: list[Doubt]) -> list[str]:
    if not doubts:
        return []
    text = ";".join(f"{d.what.split('的', 1)[-1]}:{d.why}(原文第 {d.line} 行)" for d in doubts)
    return [f"{indent}review: {scalar(text)}"]


def _flow(names: Iterable[str]) -> str:
    return "[" + ", ".join(scalar(n) for n in names) + "]"


def _units(table: TableText, directory: UnitDirectory, office: str | None) -> tuple[str, tuple[int, int]]:
    """Every name the tasks use and every member listed, as units and groups, so that the draft
    loads: known names as the directory has them (a known group with its members), the rest as
    new units (or groups) with a kind guessed from the name, marked for review; a name that does
    not read as a body's (a fragment of a damaged cell) is marked as such."""
    units: list[str] = []
    groups: list[str] = []
    placed: set[str] = set()
    for name in _names_used(table, directory, office):
        entity = known(directory, name)
        listed = table.members.get(name)
        if listed is not None or isinstance(entity, UnitGroup) or (entity is None and group_like(name)):
            group = entity if isinstance(entity, UnitGroup) else None
            groups += _group_lines(name, group, listed, placed)
        elif isinstance(entity, Unit):
            units += _known_unit_lines(name, entity, placed)
        elif name not in placed:
            placed.add(name)
            why = (
                "单位目录中没有这个名称,类别按名称推断;请核对全称和类别"
                if unit_like(name)
                else "不像单位名称,可能是原表中被拆开或读错的文字;请对照原件改正任务中的写法后删去此项"
            )
            units += [f"  - name: {scalar(name)}", f"    kind: {unit_kind(name)}", f"    review: {scalar(why)}"]
    text = [
        "# yaml-language-server: $schema=units.schema.json",
        "units:" if units else "units: []",
        *units,
        "groups:" if groups else "groups: []",
        *groups,
    ]
    return "\n".join(text) + "\n", (
        sum(1 for u in units if u.startswith("  - ")),
        sum(1 for g in groups if g.startswith("  - ")),
    )
