"""What every family of rules shares: a finding at a path of the file (:func:`at`, its severity from
:mod:`gkcli.check.rules`) and the "did you mean" hint for a name. The families are
:mod:`.structure`, :mod:`.units`, :mod:`.references`, :mod:`.text` and :mod:`.review`; each
returns findings and never prints.
"""

from __future__ import annotations

from gkcli.check.rules import finding
from gkcli.domain.units import UnitDirectory
from gkcli.findings import Diagnostic, Path_, SourceMap


def at(
    smap: SourceMap, path: Path_, rule: str, message: str, task: int | None = None, *, key: bool = False
) -> Diagnostic:
    """A finding of ``rule`` at the value (or key) ``path`` points to."""
    return finding(smap.display, smap.position(path, key=key), rule, message, task)


def did_you_mean(directory: UnitDirectory, name: str) -> str:
    suggestions = directory.suggest(name)
    return f"(您是不是要写: {'、'.join(suggestions)})" if suggestions else ""
