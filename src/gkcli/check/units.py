"""Units and groups: names unique, distinguishable and safe on a command line, members known, no cycles (GK303–GK307)."""

from __future__ import annotations

from collections.abc import Iterator

from gkcli.check.common import at, did_you_mean
from gkcli.domain.records import Unit, UnitGroup, UnitsFile
from gkcli.domain.units import UnitDirectory
from gkcli.findings import Diagnostic, Path_, SourceMap
from gkcli.text import SHELL_SPECIAL, name_key, skeleton, terminal_safe


def check_units(units: UnitsFile, directory: UnitDirectory, smap: SourceMap) -> Iterator[Diagnostic]:
    """Names and aliases unique, group members known, no group inside itself."""
    entries: list[tuple[str, int, Unit | UnitGroup]] = [
        *(("units", i, u) for i, u in enumerate(units.units)),
        *(("groups", i, g) for i, g in enumerate(units.groups)),
    ]
    # Names first, then aliases: an alias that repeats a name is the one reported.
    claims: list[tuple[str, str, Path_]] = [(e.name, e.name, (kind, i, "name")) for kind, i, e in entries]
    claims += [(alias, e.name, (kind, i, "aliases", a)) for kind, i, e in entries for a, alias in enumerate(e.aliases)]
    owner: dict[str, str] = {}
    looks: dict[str, tuple[str, str]] = {}  # skeleton -> (name as written, whose)
    for name, entry_name, path in claims:
        key = name_key(name)
        if key in owner:
            other = owner[key]
            where = f"已被 {other} 使用" if other != entry_name else f"在 {entry_name} 中重复"
            yield at(smap, path, "GK303", f"名称 {name} {where}")
            continue
        owner[key] = entry_name
        shape = skeleton(name)
        if shape in looks and looks[shape][1] != entry_name:
            yield at(
                smap, path,  "GK306",
                f"名称 {terminal_safe(repr(name), one_line=True)} 与 {looks[shape][0]}({looks[shape][1]})看起来一样,只差不可见字符、附加符号或字形相近的字符:"
                "请删去多余的字符,或改用能区分的名称",
            )  # fmt: skip
        looks.setdefault(shape, (name, entry_name))
        shell = SHELL_SPECIAL.search(name)
        if shell and not _under_review(units, path):
            yield at(
                smap, path, "GK307",
                f"名称 {terminal_safe(repr(name), one_line=True)} 中有命令行会解释的字符 {terminal_safe(repr(shell.group()))}:"
                "请删去它(单位的正式名称不含这样的字符)",
            )  # fmt: skip

    for index, group in enumerate(units.groups):
        for m_index, member in enumerate(group.members or ()):
            path = ("groups", index, "members", m_index)
            entity = directory.find(member)
            if entity is None:
                yield at(
                    smap,
                    path,
                    "GK304",
                    f"群组 {group.name} 的成员 {member} 不是已知单位{did_you_mean(directory, member)}",
                )
        if group.name in directory.expanded_members(group.name):
            yield at(smap, ("groups", index, "name"), "GK305", f"群组 {group.name} 包含了自身")


def _under_review(units: UnitsFile, path: Path_) -> bool:
    """Whether the unit or group at ``path`` carries a review marker (a draft's doubtful reading)."""
    kind, index = path[0], path[1]
    entries = units.units if kind == "units" else units.groups
    return isinstance(index, int) and entries[index].review is not None
