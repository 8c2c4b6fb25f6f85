"""Registry rules beyond the schema, by family: structure (GK2xx), units (GK30x),
references, deadlines and progress (GK301, GK302, GK4xx, GK5xx) and text (GK6xx).

Each function returns findings and never prints; the rules themselves (severity,
explanation) are defined in :mod:`gkcli.check.rules`.
"""

from __future__ import annotations

from gkcli.check.rules import Diagnostic, finding
from gkcli.domain.units import UnitDirectory
from gkcli.store.yaml_reader import Path_, SourceMap


def at(
    smap: SourceMap, path: Path_, rule: str, message: str, task: int | None = None, *, key: bool = False
) -> Diagnostic:
    """A finding of ``rule`` at the value (or key) ``path`` points to."""
    return finding(smap.display, smap.position(path, key=key), rule, message, task)


def did_you_mean(directory: UnitDirectory, name: str) -> str:
    suggestions = directory.suggest(name)
    return f"(您是不是要写: {'、'.join(suggestions)})" if suggestions else ""
