"""Checkpoints of year-long tasks (检查节点): the days on the way to a task's due date by which each
of its lead units must have reported progress.

A task's ``checkpoints`` is a rule (``每季度末``, ``每月末``, ``每月25日``, ``每半年``, ``每年末``)
or a list of dates, each written as a deadline phrase names one (``2022-09-30``, ``9月30日``,
``三季度末``), separated by ``、``, ``,`` or spaces. The checkpoints that count are those after
the plan's issue date and on or before the task's due date (the plan's year end for a task
without one).

Checkpoint k is met by a lead party when an entry of that party (or one for the whole task) is
dated after checkpoint k-1 (the issue date for the first) and on or before checkpoint k. On a
day D, a party that missed the latest checkpoint before D is late (未按期报送: red); a party
with nothing yet in the window of the next checkpoint, when it falls within the warning days,
is reminded (yellow). Parties whose part is done owe nothing, nor does a finished task.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from gkcli.domain.deadlines import DeadlineError, due_date, normalize_phrase, recurrence

_MONTHS = range(1, 13)
_EVERY_DAY = re.compile(r"^每月(?P<day>[0-9]{1,2}|[一二三四五六七八九十]{1,3})[日号]$")
_SEPARATORS = re.compile(r"[、,,;;\s]+")
RULES = "每季度末、每月末、每月25日、每半年、每年末,或日期(2022-09-30、2022-12-31)"


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _named_rule(text: str, year: int) -> list[dt.date] | None:
    if text in ("每季度末", "每季度", "每季末", "每季", "每季度底"):
        return [_month_end(year, m) for m in (3, 6, 9, 12)]
    if text in ("每月末", "每月", "每月底"):
        return [_month_end(year, m) for m in _MONTHS]
    if text in ("每半年", "每半年末", "每半年底"):
        return [_month_end(year, 6), _month_end(year, 12)]
    if text in ("每年末", "每年", "每年底", "年末"):
        return [dt.date(year, 12, 31)]
    every = _EVERY_DAY.match(text)
    if every is not None:
        day = due_date(f"1月{every['day']}日", year)  # the day number, read as deadline phrases read one
        if day is None or not 1 <= day.day <= 28:
            raise DeadlineError(f"检查节点 {text}: 每月的日子应在 1 到 28 之间(月末请写 每月末)")
        return [dt.date(year, m, day.day) for m in _MONTHS]
    return None


def is_rule(written: str) -> bool:
    """Whether ``written`` is a recurring rule (每季度末 ...) rather than a list of dates: a rule's
    dates run through the year and those after a task's due date simply do not count."""
    return _named_rule(normalize_phrase(written), 2000) is not None


def checkpoint_dates(written: str, year: int) -> tuple[dt.date, ...]:
    """Every date ``written`` names in ``year``, in order; DeadlineError for what cannot be read."""
    text = normalize_phrase(written)
    if not text:
        raise DeadlineError("检查节点为空")
    named = _named_rule(text, year)
    if named is not None:
        return tuple(named)
    found: set[dt.date] = set()
    for piece in _SEPARATORS.split(text):
        if not piece:
            continue
        try:
            day = None if recurrence(piece) is not None else due_date(piece, year)
        except DeadlineError:
            raise DeadlineError(f"检查节点 {piece} 读不出:可写 {RULES}") from None
        if day is None:
            raise DeadlineError(f"检查节点 {piece} 不是一个日期:可写 {RULES}")
        found.add(day)
    return tuple(sorted(found))


def counted(written: str, year: int, issued_on: dt.date, due: dt.date | None) -> tuple[dt.date, ...]:
    """The checkpoints that count: after ``issued_on``, on or before ``due`` (the year's end when None)."""
    last = due if due is not None else dt.date(year, 12, 31)
    return tuple(d for d in checkpoint_dates(written, year) if issued_on < d <= last)


class CheckpointState(NamedTuple):
    """Where a task stands against its checkpoints on a day."""

    latest: dt.date | None  # the latest checkpoint before the day
    missed: tuple[str, ...]  # lead parties with no entry in its window (未按期报送)
    upcoming: dt.date | None  # the next checkpoint, on the day or after
    owing: tuple[str, ...]  # lead parties with no entry yet in the upcoming one's window
    since: dt.date  # the start of the upcoming checkpoint's window (exclusive)


def standing(
    dates: tuple[dt.date, ...],
    issued_on: dt.date,
    day: dt.date,
    parties: tuple[str, ...],
    reported: dict[str, list[dt.date]],
) -> CheckpointState:
    """The task on ``day`` against ``dates`` (its counted checkpoints): ``parties`` are the lead
    parties still open, ``reported`` the days each party (or the whole task, under None's key
    ``""``) reported on."""
    previous = issued_on
    latest: dt.date | None = None
    latest_window = issued_on
    for checkpoint in dates:
        if checkpoint >= day:
            break
        latest, latest_window, previous = checkpoint, previous, checkpoint
    upcoming = next((d for d in dates if d >= day), None)

    def silent(start: dt.date, end: dt.date) -> tuple[str, ...]:
        whole = any(start < d <= end for d in reported.get("", ()))
        if whole:
            return ()
        return tuple(p for p in parties if not any(start < d <= end for d in reported.get(p, ())))

    missed = silent(latest_window, latest) if latest is not None else ()
    owing = silent(previous, upcoming) if upcoming is not None else ()
    return CheckpointState(latest, missed, upcoming, owing, previous)
