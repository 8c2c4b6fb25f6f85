"""What commands return: a :class:`Result` holding a view of plain data. Light on purpose (every
command imports it); :mod:`gkcli.render.output` renders it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from gkcli.core.links import Checked, Evidence
    from gkcli.core.queries import Item, Reminder, UnitLoad
    from gkcli.core.returns import FormStatus
    from gkcli.core.stats import Stats
    from gkcli.domain.records import Part, Section
    from gkcli.findings import Diagnostic

ListKind = Literal["list", "overdue", "due", "unit", "show", "checkpoints"]


@dataclass
class Result:
    view: Any
    format: str = "table"
    notes: list[str] = field(default_factory=list)  # for standard error, after the output
    exit_code: int = 0


@dataclass
class TaskListing:
    title: str
    items: Sequence[Item]
    kind: ListKind
    overdue: bool = False  # list --overdue: days overdue shown
    limit: int = 0  # the most rows a table shows (0: all); other formats always hold every item
    plans: bool = False  # the items come from several plans: each shows its plan


@dataclass
class Related:
    """A task of another plan doing the same work (show --related)."""

    plan: str
    item: Item
    likeness: float
    linked: bool  # by carried_from, not only by title


@dataclass
class TaskDetail:
    item: Item
    part: Part
    section: Section
    related: list[Related] | None = None  # asked for (show --related): a list, maybe empty


@dataclass
class StatsView:
    stats: Stats


@dataclass
class UnitsView:
    loads: Sequence[UnitLoad]


@dataclass
class RemindersView:
    reminders: Sequence[Reminder]
    as_of: dt.date
    within_days: int


@dataclass
class FormsView:
    """Which units' forms of a period came back (``returns status``); with ``reminders``, the
    messages to those still missing (``remind --missing-forms``)."""

    period: str
    rows: Sequence[FormStatus]
    reminders: bool = False


@dataclass
class LinksView:
    """The evidence links checked (``links check``): each entry's link with what its page showed."""

    rows: Sequence[tuple[Evidence, Checked]]
    as_of: dt.date


@dataclass
class Findings:
    diagnostics: Sequence[Diagnostic]


@dataclass
class Lines:
    """Plain lines for standard output (confirmations, a schema)."""

    lines: Sequence[str]


@dataclass
class FileData:
    """Bytes for standard output; ``-o FILE`` writes them itself and returns a note."""

    data: bytes
