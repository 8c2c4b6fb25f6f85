"""The data of the progress bulletin (进展通报): totals, units and their ranking, sections, and the
red, yellow and late tasks, all from the queries and statistics the other commands use; and the
reporting periods a bulletin can cover (a month, a quarter, a year)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from fractions import Fraction

from gkcli.core.links import failed_links
from gkcli.core.queries import (
    Item,
    TaskFilter,
    assignments,
    days_overdue,
    due_among,
    due_until,
    list_tasks,
    missed_among,
    overdue_among,
)
from gkcli.core.stats import StatRow, compute
from gkcli.domain.deadlines import MAX_YEAR, MIN_YEAR
from gkcli.domain.records import LogEvent, LogFile, ProgressEntry
from gkcli.domain.registry import Registry
from gkcli.domain.timeline import due_on, speaks_for_whole
from gkcli.errors import BadValue


@dataclass(frozen=True)
class Particulars:
    """What the office puts on a bulletin besides the figures: its number (文号), to whom it goes
    (主送机关), its title (when not the usual one) and a general paragraph of requirements."""

    number: str | None = None
    to: str | None = None
    title: str | None = None  # a form with {plan} and {period}
    requirements: tuple[str, ...] = ()  # paragraphs, first in 下一步工作要求


TITLE_FORM = "关于{plan}{period}落实情况的通报"


def titled(form: str, plan_title: str, period_name: str | None) -> str:
    """The bulletin's title from ``form`` (``{plan}``: the plan's title; ``{period}``: 9月, 第三季度,
    全年 or nothing); BadValue for any other placeholder."""
    words = ""
    if period_name:
        words = re.sub(r"^\d{4}年", "", period_name)
        words = "全年" if words in ("", "度") else words
    try:
        return form.format(plan=plan_title, period=words)
    except (KeyError, IndexError, ValueError):
        raise BadValue(
            f"--title {form}: 只能写 {{plan}}(要点标题)和 {{period}}(期间)两个占位符",
            hint='例如 --title "关于{plan}{period}落实情况的通报"',
        ) from None


@dataclass(frozen=True)
class Bulletin:
    registry: Registry
    as_of: dt.date
    since: dt.date  # the period the bulletin reports on: after ``since``, up to ``as_of``
    total: StatRow
    units: list[StatRow]
    sections: list[StatRow]
    red: list[Item]
    yellow: list[Item]
    done: list[Item]  # done within the period
    late: list[Item]  # done after their due date, ever
    entries: list[tuple[Item, ProgressEntry]]  # every entry dated within the period, oldest first
    extensions: list[Extension]  # every extension granted by ``as_of``, oldest first
    requests: list[tuple[Item, ProgressEntry]]  # requests for an extension not yet granted
    ranking: list[Rank]  # every unit with a part in the plan, best first
    items: list[Item]  # every task on the day, in the plan's order
    overdue_owed: list[tuple[Item, list[str]]]  # each red task, with the units whose own part is open
    due_soon_owed: list[tuple[Item, list[str]]]  # each yellow task likewise
    period: str | None = None  # the period's name (2022年9月) when one was asked for
    claims: list[tuple[Item, ProgressEntry]] = field(default_factory=list)  # claims awaiting review (销号)
    answered: list[tuple[Item, ProgressEntry]] = field(
        default_factory=list
    )  # claims sent back, requests declined, in the period
    missed: list[Item] = field(default_factory=list)  # tasks whose latest checkpoint was missed (未按期报送)
    failed_links: dict[str, dt.date] = field(default_factory=dict)  # evidence found dead at the last check, and when
    dead_evidence: list[tuple[Item, ProgressEntry, dt.date]] = field(default_factory=list)  # entries citing them
    reminded: list[LogEvent] = field(default_factory=list)  # reminders sent to work groups in the period
    particulars: Particulars = field(default_factory=Particulars)

    @property
    def title(self) -> str:
        return titled(self.particulars.title or TITLE_FORM, self.registry.plan.title, self.period)

    @property
    def issuer(self) -> str:
        return self.registry.plan.issuer


@dataclass(frozen=True)
class Rank:
    """A unit's place among the units: by the share of its own parts done, then fewest overdue.
    Units level on both share the place."""

    place: int
    row: StatRow


def ranking(units: list[StatRow]) -> list[Rank]:
    """The units ranked, best first: the largest share of their own parts done, then the fewest
    overdue; units level on both share a place and keep the directory's order."""
    ordered = sorted(units, key=_standing)
    ranks: list[Rank] = []
    for n, row in enumerate(ordered):
        level = bool(ranks) and _standing(ranks[-1].row) == _standing(row)
        ranks.append(Rank(ranks[-1].place if level else n + 1, row))
    return ranks


def _standing(row: StatRow) -> tuple[Fraction, int]:
    return (-Fraction(row.done, row.total) if row.total else Fraction(0), row.red)


@dataclass(frozen=True)
class Period:
    """A reporting period: after ``since``, up to and including ``as_of``."""

    name: str
    since: dt.date
    as_of: dt.date


_QUARTERS = "一二三四"


def period(text: str) -> Period:
    """The period ``--period`` names: ``2022-09`` or ``2022年9月`` (a month), ``2022Q3`` or
    ``2022年第三季度`` (a quarter), ``2022`` (a year)."""
    value = text.strip()
    month = re.fullmatch(r"(\d{4})-?(\d{1,2})|(\d{4})年(\d{1,2})月", value)
    quarter = re.fullmatch(r"(\d{4})(?:-?[Qq]([1-4])|年第?([1-4一二三四])季度)", value)
    year = re.fullmatch(r"(\d{4})年?", value)
    if (month or quarter or year) and not MIN_YEAR < int(value[:4]) < MAX_YEAR:
        raise BadValue(f"--period {text}: 年份应在 {MIN_YEAR + 1} 到 {MAX_YEAR - 1} 之间")
    if month:
        y, m = int(month[1] or month[3]), int(month[2] or month[4])
        if 1 <= m <= 12:
            first = dt.date(y, m, 1)
            return Period(f"{y}年{m}月", first - dt.timedelta(days=1), _last_day(y, m))
    elif quarter:
        y, q = int(quarter[1]), "1234一二三四".index(quarter[2] or quarter[3]) % 4 + 1
        first = dt.date(y, 3 * q - 2, 1)
        return Period(f"{y}年第{_QUARTERS[q - 1]}季度", first - dt.timedelta(days=1), _last_day(y, 3 * q))
    elif year:
        y = int(year[1])
        return Period(f"{y}年度", dt.date(y - 1, 12, 31), dt.date(y, 12, 31))
    raise BadValue(
        f"--period {text}: 不是月份、季度或年份", hint="例如 --period 2022-09、--period 2022Q3、--period 2022"
    )


def _last_day(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


@dataclass(frozen=True)
class Extension:
    """An extension in force: the task, the entry that granted it, and the date it replaced."""

    item: Item
    entry: ProgressEntry
    before: dt.date | None


def build(
    registry: Registry,
    as_of: dt.date,
    warn_days: int | None = None,
    since: dt.date | None = None,
    known_on: dt.date | None = None,
    period_name: str | None = None,
    *,
    log: LogFile | None = None,
    particulars: Particulars | None = None,
) -> Bulletin:
    """The bulletin for ``as_of`` as the registry knew it on ``known_on`` (None: all that is recorded),
    reporting the period after ``since`` (default 30 days before); ``log``: the office's log, for
    the evidence found dead and the reminders sent (as known on ``known_on``)."""
    if particulars is not None and particulars.title is not None:
        titled(particulars.title, registry.plan.title, period_name)  # a wrong form is said before any work
    if since is not None and since >= as_of:
        raise BadValue(
            f"--since {since.isoformat()} 不早于 --as-of {as_of.isoformat()}:本期是 --since 之后到 --as-of 为止",
            hint="--since 写上一期通报的日期,如 --since 2022-08-31 --as-of 2022-09-30",
        )
    warn = registry.plan.warn_days if warn_days is None else warn_days
    start = since if since is not None else as_of - dt.timedelta(days=30)
    # one pass over the tasks: every count and list below is taken from these items
    items = list_tasks(registry, TaskFilter(as_of=as_of, warn_days=warn, sort="due", known_on=known_on))
    by_unit = compute(registry, as_of, "unit", warn, known_on, items)
    by_section = compute(registry, as_of, "section", warn, known_on, items)
    red = overdue_among(items, as_of)
    yellow = due_among(items, as_of, due_until(as_of, warn))
    done = [i for i in items if i.done_on is not None and start < i.done_on <= as_of]
    late = [i for i in items if i.light == "done_late"]
    entries = sorted(
        ((i, e) for i in items for e in i.entries if start < e.on <= as_of),
        key=lambda pair: (pair[1].on, pair[0].task.id),
    )
    units = [row for row in by_unit.rows if row.total]
    ranked = [row for row in units if not _is_group(registry, row.key)]  # a group of unknown members is no unit
    extensions, requests = _extensions(registry, items, known_on)
    return Bulletin(
        registry,
        as_of,
        start,
        by_unit.total,
        units,
        by_section.rows,
        red,
        yellow,
        done,
        late,
        entries,
        extensions,
        requests,
        ranking(ranked),
        sorted(items, key=lambda i: i.task.id),
        owing(registry, red, {row.key for row in units}),
        owing(registry, yellow, {row.key for row in units}),
        period_name,
        _waiting(items, "claims"),
        sorted(
            ((i, e) for i, e in entries if e.kind in ("send_back", "decline")),
            key=lambda pair: (pair[1].on, pair[0].task.id, pair[1].unit or ""),
        ),
        missed_among(items),
        *_from_log(log, items, start, as_of, known_on),
        particulars or Particulars(),
    )


def _from_log(
    log: LogFile | None, items: list[Item], start: dt.date, as_of: dt.date, known_on: dt.date | None
) -> tuple[dict[str, dt.date], list[tuple[Item, ProgressEntry, dt.date]], list[LogEvent]]:
    """From the office's log: the evidence links dead at their last check (known then), the entries
    citing them, and the reminders sent in the period."""
    if log is None:
        return {}, [], []
    known = min(as_of, known_on) if known_on is not None else as_of
    failed = failed_links(log, known)
    cited = [(i, e, failed[e.link]) for i in items for e in i.entries if e.link and e.link in failed]
    cited.sort(key=lambda x: (x[0].task.id, x[1].on, x[1].unit or ""))
    sent = [e for e in log.events if e.kind == "reminder_sent" and start < e.on <= known]
    return failed, cited, sent


def _waiting(items: list[Item], what: str) -> list[tuple[Item, ProgressEntry]]:
    """Every entry still waiting on the day (``claims`` or ``requests`` of each task's state), oldest first."""
    pending = [(item, entry) for item in items if item.state is not None for entry in getattr(item.state, what)]
    return sorted(pending, key=lambda pair: (pair[1].on, pair[0].task.id, pair[1].unit or ""))


def _is_group(registry: Registry, name: str) -> bool:
    found = registry.directory.find(name)
    return found is not None and found.is_group


def owing(registry: Registry, items: list[Item], units: set[str]) -> list[tuple[Item, list[str]]]:
    """Each of ``items`` with those of ``units`` that have not done their part (tasks where every
    part is done are left out): what a bulletin asks of whom. Where every member of a group the
    task names still owes, the group is named instead of its members, as an office writes it
    (“请县属有关单位……” rather than thirty names)."""
    owed = []
    for item in items:
        names = [
            name
            for name in assignments(registry, item.task)
            if name in units and (item.state is None or item.state.share_done_on(name) is None)
        ]
        if names:
            owed.append((item, as_offices_name(registry, item, names)))
    return owed


def as_offices_name(registry: Registry, item: Item, names: list[str]) -> list[str]:
    """``names`` with the members of each group the task names replaced by the group, where all of
    them are there; the rest keep their order."""
    directory = registry.directory
    found = list(names)
    for cell in (*item.task.lead, *item.task.responsible):
        entity = directory.find(cell)
        if entity is None or not entity.is_group or not entity.members_known:
            continue
        members = directory.member_units(entity.name)
        if len(members) > 1 and all(m in found for m in members):
            at = found.index(members[0])
            found = [n for n in found if n not in members]
            found.insert(min(at, len(found)), entity.name)
    return found


@dataclass(frozen=True)
class ProgressRow:
    """One task as the progress table (进展情况表) shows it: its state on the day, the extension in
    force or the request waiting, and the date it is now due."""

    item: Item
    days_overdue: int | None
    extension: ProgressEntry | None  # the latest extension granted
    request: ProgressEntry | None  # the latest request still pending that day


def progress_row(item: Item, as_of: dt.date) -> ProgressRow:
    extension = None
    for entry in item.entries:
        if entry.kind == "extend":
            extension = entry
    requests = item.state.requests if item.state is not None else ()
    return ProgressRow(item, days_overdue(item, as_of), extension, requests[-1] if requests else None)


def _extensions(
    registry: Registry, items: list[Item], known_on: dt.date | None
) -> tuple[list[Extension], list[tuple[Item, ProgressEntry]]]:
    """The extensions granted by the day (with the date each replaced), and the requests still
    pending that day (the replay says which: see :class:`~gkcli.domain.timeline.TaskState`)."""
    granted: list[Extension] = []
    pending: list[tuple[Item, ProgressEntry]] = []
    for item in items:
        for entry in item.entries:
            if entry.kind == "extend":
                part = None if speaks_for_whole(registry, item.task, entry.unit) else entry.unit
                before = due_on(registry, item.task, entry.on - dt.timedelta(days=1), known_on, part)
                granted.append(Extension(item, entry, before))
        if item.state is not None:
            pending += [(item, entry) for entry in item.state.requests]
    granted.sort(key=lambda x: (x.entry.on, x.item.task.id, x.entry.unit or ""))
    pending.sort(key=lambda pair: (pair[1].on, pair[0].task.id, pair[1].unit or ""))
    return granted, pending


# ---- one bulletin over several plans -----------------------------------------------------------


@dataclass(frozen=True)
class Several:
    """One bulletin over the plans of a workspace (a city's over its counties' plans): each plan's
    own bulletin, the units ranked together (a unit that works in several plans counted over all
    of them, under the name the newest plan gives it) and the particulars of the document."""

    bulletins: list[tuple[str, Bulletin]]  # by plan id, in the workspace's order
    ranking: list[Rank]
    as_of: dt.date
    particulars: Particulars

    @property
    def title(self) -> str:
        titles = [b.registry.plan.title for _, b in self.bulletins]
        plans = "、".join(titles) if len(titles) <= 3 else f"{titles[0]}等 {len(titles)} 份要点"
        return titled(self.particulars.title or TITLE_FORM, plans, self.bulletins[0][1].period)

    @property
    def issuer(self) -> str:
        return self.bulletins[-1][1].registry.plan.issuer


def several(bulletins: list[tuple[str, Bulletin]], one_name: dict[str, str], particulars: Particulars) -> Several:
    """The plans' bulletins as one: units ranked over all the plans (``one_name``: a renamed unit's
    names to the newest, see :func:`gkcli.domain.units.same_units`)."""
    combined: dict[str, StatRow] = {}
    for _, b in bulletins:
        for rank in b.ranking:
            name = one_name.get(rank.row.key, rank.row.key)
            before = combined.get(name)
            row = rank.row
            combined[name] = row if before is None else StatRow(
                name, name, before.total + row.total, before.done + row.done, before.done_late + row.done_late,
                before.red + row.red, before.yellow + row.yellow, before.green + row.green,
                (before.lead or 0) + (row.lead or 0), (before.responsible or 0) + (row.responsible or 0),
                before.carried + row.carried,
            )  # fmt: skip
    rows = [dataclasses.replace(row, key=name, label=name) for name, row in combined.items()]
    return Several(bulletins, ranking(rows), bulletins[0][1].as_of, particulars)
