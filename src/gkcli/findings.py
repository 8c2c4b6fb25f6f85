"""Findings and where they are: the bottom of gkcli's layers. A :class:`Diagnostic` is one problem
found in a registry file, at a line and column that a :class:`SourceMap` (filled in while a file is
read) gives for any path into its data. Both the reader (``store``) and the rules (``check``) use
them; neither is imported here, and nothing here imports any other part of gkcli."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]
Path_ = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a registry file, with where it is."""

    file: str
    line: int
    column: int
    severity: Severity
    rule: str
    message: str
    task: int | None = None
    line_text: str | None = None  # the text of the line it points at, where known

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.rule)


@dataclass
class SourceMap:
    """Line and column (1-based) of each value and each mapping key, by path.

    A ``lean`` map keeps positions only down to the items of the top-level lists (a task, a
    unit) and no source text of scalars: a file with no problem needs no more, and a full map
    of 100,000 tasks would take most of a gigabyte. Whoever finds a problem in a file read
    lean reads it again with a full map to say where (see ``store.validate``)."""

    display: str
    text: str = ""
    lean: bool = False
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    raw: dict[Path_, str] = field(default_factory=dict)  # source text of non-string scalars
    broken: set[Path_] = field(default_factory=set)  # values already reported as unreadable
    suspect_text: list[tuple[Path_, str]] = field(default_factory=list)  # strings the text rules must look at
    # When the checks see only the valid items of a list ("tasks": [0, 2, 3] after task 1 was
    # dropped for a schema error), item k of what they see stands at index_map[list][k].
    index_map: dict[str, list[int]] = field(default_factory=dict)

    def remapped(self, index_map: dict[str, list[int]]) -> SourceMap:
        """A view of this map for checks that see only some items of the top-level lists."""
        return dataclasses.replace(self, index_map=index_map)

    def is_broken(self, path: Path_) -> bool:
        """True when ``path`` or a parent was already reported, so schema errors there add nothing."""
        return any(tuple(path[:n]) in self.broken for n in range(len(path) + 1))

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Where the value at ``path`` stands (or its key), else its nearest parent."""
        probe = tuple(path)
        if len(probe) > 1 and probe[0] in self.index_map and isinstance(probe[1], int):
            probe = (probe[0], self.index_map[str(probe[0])][probe[1]], *probe[2:])
        while True:
            if key and probe in self.keys:
                return self.keys[probe]
            if probe in self.values:
                return self.values[probe]
            if not probe:
                return (1, 1)
            probe = probe[:-1]

    @functools.cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    def line_text(self, line: int) -> str | None:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else None
