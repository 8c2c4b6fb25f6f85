"""Unit and group names: resolution through aliases, group membership, suggestions."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from gkcli.domain.records import Unit, UnitGroup
from gkcli.errors import AmbiguousUnit, UnknownUnit
from gkcli.text import (
    skeleton as normalize_name,  # 县委宣传部(县网信办) matches either bracket; nothing invisible counts
)

COUNTY = "县"  # the prefix county units' names share, which people often leave out


@dataclass(frozen=True, slots=True)
class Entity:
    """A unit or a group, as the registry names it."""

    name: str
    is_group: bool
    members_known: bool  # always True for a unit


class UnitDirectory:
    """All units and groups of a registry, indexed by every name they go by."""

    def __init__(self, units: Iterable[Unit], groups: Iterable[UnitGroup]) -> None:
        self.units: list[Unit] = list(units)
        self.groups: list[UnitGroup] = list(groups)
        self._by_key: dict[str, Entity] = {}
        self._members: dict[str, tuple[str, ...]] = {}
        entities: list[tuple[Unit | UnitGroup, Entity]] = [
            (u, Entity(u.name, is_group=False, members_known=True)) for u in self.units
        ]
        entities += [(g, Entity(g.name, is_group=True, members_known=g.members is not None)) for g in self.groups]
        # Names before aliases, so that an alias can never hide a unit's own name.
        for entry, entity in entities:
            self._by_key.setdefault(normalize_name(entry.name), entity)
        for entry, entity in entities:
            for alias in entry.aliases:
                self._by_key.setdefault(normalize_name(alias), entity)
        for group in self.groups:
            self._members[group.name] = tuple(group.members or ())
        self.same_as: dict[str, tuple[str, ...]] = {u.name: u.same_as for u in self.units if u.same_as}
        self._expanded: dict[str, frozenset[str]] = {}
        self._pinyin: list[tuple[str, Entity]] | None = None
        self._found: dict[str, Entity | None] = {}
        self._rank: dict[str, int] = {}
        for name in [*(u.name for u in self.units), *(g.name for g in self.groups)]:
            self._rank.setdefault(name, len(self._rank))

    def in_order(self, names: Iterable[str]) -> list[str]:
        """``names`` (canonical names) in the plan's order: units as units.yaml lists them, then
        groups, then any other name by its characters. Every list a reader sees is ordered so,
        never by how a set happens to iterate."""
        last = len(self._rank)
        return sorted(names, key=lambda name: (self._rank.get(name, last), name))

    def unit(self, name: str) -> Unit | None:
        """The unit record ``name`` stands for (None for a group or an unknown name)."""
        entity = self.find(name)
        if entity is None or entity.is_group:
            return None
        return next((u for u in self.units if u.name == entity.name), None)

    def find(self, name: str) -> Entity | None:
        """The unit or group ``name`` stands for, or None (remembered: queries ask for the same names often)."""
        try:
            return self._found[name]
        except KeyError:
            found = self._found[name] = self._by_key.get(normalize_name(name))
            return found

    def resolve(self, name: str) -> Entity:
        """The unit or group a person means by ``name``: a name or alias as written; else the same
        without the county prefix (财政局); else, typed in Latin letters, its pinyin, whole or by
        initials (caizhengju, czj). A name that could mean two is AmbiguousUnit, never a guess;
        none is UnknownUnit with suggestions."""
        entity = self.find(name)
        if entity is not None:
            return entity
        found = self.loose_matches(name)
        if len(found) == 1:
            return found[0]
        if found:
            raise AmbiguousUnit(name, [e.name for e in found])
        raise UnknownUnit(name, self.suggest(name))

    def loose_matches(self, name: str) -> list[Entity]:
        """Units and groups ``name`` could mean when it is not written as any of their names."""
        key = normalize_name(name)
        if not key:
            return []
        matches = [e for k, e in self._by_key.items() if k == COUNTY + key]
        if not matches and key.isascii() and key.isalpha():
            matches = [e for spelling, e in self.pinyin_index() if spelling == key]
        if not matches and not key.isascii():
            matches = [e for k, e in self._by_key.items() if _abbreviates(key, k) or _abbreviates(COUNTY + key, k)]
        return list({e.name: e for e in matches}.values())

    def pinyin_index(self) -> list[tuple[str, Entity]]:
        """Every name and alias spelt in pinyin, whole and by initials, with and without the county
        prefix (built on first use: the pinyin dictionary takes a moment to load)."""
        if self._pinyin is None:
            from pypinyin import Style, lazy_pinyin

            index = []
            for key, entity in self._by_key.items():
                for text in {key, key.removeprefix(COUNTY)}:
                    index.append(("".join(lazy_pinyin(text)).casefold(), entity))
                    index.append(("".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).casefold(), entity))
            self._pinyin = index
        return self._pinyin

    def suggest(self, name: str, limit: int = 5) -> list[str]:
        """Canonical names close to ``name``: containing it or contained in it first, then similar."""
        import difflib

        key = normalize_name(name)
        if not key:
            return []
        found: list[str] = []

        def add(candidate_key: str) -> None:
            canonical = self._by_key[candidate_key].name
            if canonical not in found:
                found.append(canonical)

        for candidate in self._by_key:
            if key in candidate or candidate in key:
                add(candidate)
        for candidate in difflib.get_close_matches(key, list(self._by_key), n=limit, cutoff=0.5):
            add(candidate)
        return found[:limit]

    def expanded_members(self, group_name: str) -> frozenset[str]:
        """Names of every unit and group inside a group, nested groups expanded; cycles stop."""
        cached = self._expanded.get(group_name)
        if cached is not None:
            return cached
        seen: set[str] = set()
        stack = [group_name]
        while stack:
            for member in self._members.get(stack.pop(), ()):
                entity = self.find(member)
                canonical = entity.name if entity else member
                if canonical not in seen:
                    seen.add(canonical)
                    if entity is not None and entity.is_group:
                        stack.append(canonical)
        result = frozenset(seen)
        self._expanded[group_name] = result
        return result

    def member_units(self, group_name: str) -> tuple[str, ...]:
        """The units (not groups) inside a group, nested groups expanded, in the plan's order (see
        :meth:`in_order`): whom a group stands for when its members are known."""
        return tuple(self.in_order(m for m in self.expanded_members(group_name) if not _is_group(self.find(m))))

    def entities(self) -> list[Entity]:
        """Every unit, then every group, in registry order."""
        seen: dict[str, Entity] = {}
        for entity in self._by_key.values():
            seen.setdefault(entity.name, entity)
        units = [seen[u.name] for u in self.units if u.name in seen]
        groups = [seen[g.name] for g in self.groups if g.name in seen]
        return units + groups


def _abbreviates(short: str, name: str) -> bool:
    """Whether ``short`` is how Chinese abbreviates ``name``: some of its characters, in order, with
    its first and its last (县市监局 for 县市场监督管理局, 县政务办 for 县政务服务办公室)."""
    if len(short) < 3 or len(short) >= len(name) or short[0] != name[0] or short[-1] != name[-1]:
        return False
    rest = iter(name)
    return all(char in rest for char in short)


def _is_group(entity: Entity | None) -> bool:
    return entity is not None and entity.is_group


@functools.lru_cache(maxsize=64)
def directory_of(units: tuple[Unit, ...], groups: tuple[UnitGroup, ...]) -> UnitDirectory:
    """The directory of these units and groups, built once: the plans of a workspace (a county's
    years, a city's counties) mostly share one units.yaml, and indexing names is most of the cost
    of loading a small plan. A directory is never changed once built."""
    return UnitDirectory(units, groups)


def resolve_across(directories: list[UnitDirectory], name: str) -> list[Entity | None]:
    """The unit ``name`` means in each of several plans' directories (None where a plan does not
    know it). The same body is one unit in every plan that has its name or an alias; a unit renamed
    between years is followed through ``same_as``, declared in either plan: found as 新名 in one plan,
    it is 旧名 in a plan where 新名 lists 旧名 (or 旧名 lists 新名). A name ambiguous or unknown in
    every plan is the error of the first plan."""
    found: list[Entity | None] = []
    errors: list[UnknownUnit] = []
    for directory in directories:
        try:
            found.append(directory.resolve(name))
        except UnknownUnit as exc:  # AmbiguousUnit is not passed over: the person has to choose
            found.append(None)
            errors.append(exc)
    if len(errors) == len(directories):
        raise errors[0]
    names = {normalize_name(e.name) for e in found if e is not None}
    while True:
        linked = set(names)
        for directory, entity in zip(directories, found, strict=True):
            if entity is not None:
                linked.update(normalize_name(n) for n in directory.same_as.get(entity.name, ()))
        for directory in directories:
            for unit_name, others in directory.same_as.items():
                if linked.intersection(normalize_name(n) for n in others):
                    linked.add(normalize_name(unit_name))
        for i, directory in enumerate(directories):
            if found[i] is None:
                found[i] = next(filter(None, (directory.find(n) for n in sorted(linked))), None)
        now = linked | {normalize_name(e.name) for e in found if e is not None}
        if now == names:
            return found
        names = now


def same_units(directories: list[UnitDirectory]) -> dict[str, str]:
    """Each unit name of several plans (oldest first) linked to another by ``same_as`` (declared in
    either plan), mapped to the name the newest plan that has one of them gives it; names with no
    link are left out."""
    linked: dict[str, set[str]] = {}
    for directory in directories:
        for name, others in directory.same_as.items():
            group = {name, *others}
            for member in list(group):
                group |= linked.get(member, set())
            for member in group:
                linked[member] = group
    newest: dict[str, str] = {}
    for directory in directories:  # later plans overwrite earlier ones
        for unit in directory.units:
            for member in linked.get(unit.name, ()):
                newest[member] = unit.name
    return newest
