"""A cache of validated registries, keyed by the exact bytes of both files.

Reading YAML is the slow part of every command (a 20,000-task registry takes about
two seconds to parse, validate and cross-check; 100,000 tasks about ten). Once a registry has passed
validation, its content is stored here as ``marshal`` data (plain values only:
loading it can run no code) under a key made from the hash of both files' bytes
and the version of gkcli. Any edit changes the bytes and so the key: a cached
registry is never stale. ``gkcli check`` never uses the cache.

The layout of an entry is derived from the records in :mod:`gkcli.domain.records`: a record
is the tuple of its fields in order, a date its ordinal, a tuple of records a list. A new
field needs no change here; the format number is derived from the records' fields, so an
old entry is simply not found.

The tasks are stored in pieces of PIECE_TASKS, each with its own digest: a write reads and checks
only the pieces holding the tasks it changes, and stores the other pieces' bytes again as they
were (a 20,000-task entry is about 6 MB; re-encoding it all took a sixth of a write). Entries are
written without waiting for the disk: one lost in a crash fails its digest and is only read again.

An entry also holds its registry's source layout (where each task's lines are in tasks.yaml,
with their digests: see :mod:`gkcli.store.task_lines`), and a small ``*.latest`` file per
tasks.yaml names the entry last stored for it: a write takes from the entry only the tasks it
changes, and a read after a hand edit re-reads only the tasks that changed.

The cache lives in ``$GKCLI_CACHE_DIR``, else ``$XDG_CACHE_HOME/gkcli``, else
``~/.cache/gkcli``; ``GKCLI_NO_CACHE=1`` turns it off. Any problem with it (a
read-only home, a damaged file) only means the registry is read from source.

An entry is not trusted: it is opened only as a regular file of bounded size (never a
link, a FIFO or a device), it names the key it was stored under and carries a digest of
its payload, and the payload's shape, values and text are checked as they are rebuilt.
Anything doubtful is ignored and the YAML is read instead. Whoever can write the cache
folder (its owner: it is created private) can still make up an entry with a correct
digest; that shows made-up data for one registry, as editing the registry would, and
can run no code: marshal data is rebuilt into plain values only.
"""

from __future__ import annotations

import bisect
import collections
import contextlib
import dataclasses
import datetime as dt
import functools
import itertools
import marshal
import operator
import os
import re
import stat
import types
import typing
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from gkcli import __version__
from gkcli.domain.deadlines import MAX_YEAR, MIN_YEAR
from gkcli.domain.records import PROSE_FIELDS, Part, Plan, Task, Unit, UnitGroup, hints
from gkcli.domain.registry import MAX_FILE_BYTES, Registry
from gkcli.store.building import collector_paused
from gkcli.store.layout import DIGEST_BYTES as LINE_DIGEST_BYTES
from gkcli.store.layout import SourceLayout, blake2b, keep_layout
from gkcli.store.layout import layout as source_layout
from gkcli.text import (
    BIDI,
    CONTROL,
    ESCAPE_SEQUENCE,
    INVISIBLE,
    INVISIBLE_BMP,
    LINE_BREAK,
    NONCHARACTER,
    NONCHARACTER_BMP,
    beyond_bmp,
)

# Cached registries kept: the newest are; older ones are removed when a new one is stored, past
# KEEP entries or, beyond the newest KEEP_ALWAYS, past KEEP_BYTES in all (a workspace of a few
# hundred plans stays cached; a few registries of 100,000 tasks do not fill a disk).
KEEP = 1000
KEEP_ALWAYS = 16
KEEP_BYTES = 256 * 1024 * 1024
MAGIC = b"gkcli-registry-cache\n"
KEY_BYTES = 40  # the key in hex
DIGEST_BYTES = 32
MAX_ENTRY_BYTES = 4 * MAX_FILE_BYTES  # a cached registry is smaller than its YAML; a larger entry is not read
_FIRST_DAY = dt.date(MIN_YEAR, 1, 1).toordinal()
_LAST_DAY = dt.date(MAX_YEAR, 12, 31).toordinal()
_RECORDS = (Plan, Part, Task, Unit, UnitGroup)


class BadEntry(ValueError):
    """A cache entry that is not exactly what this registry's YAML gives."""


def _expect(condition: bool) -> None:
    if not condition:
        raise BadEntry("unexpected content")


# ---- codecs derived from the records -------------------------------------------------------

Encode = Callable[[Any], Any]
Decode = Callable[[Any, "_Texts"], Any]


class _Texts:
    """Every string an entry holds, kept apart by whether it may span lines, for one text check at the end."""

    def __init__(self) -> None:
        self.one_line: list[str] = []
        self.prose: list[str] = []

    def clean(self) -> bool:
        """No character the text rules refuse (GK601, GK602, GK603, GK606 and, outside prose, GK607).
        Each distinct string is looked at once (a unit's name stands in thousands of tasks); the
        patterns match one character, so joining the strings creates no match between them."""
        one_line = "".join(dict.fromkeys(self.one_line))
        prose = "\n".join(dict.fromkeys(self.prose)).replace("\r", "")
        beyond = beyond_bmp(one_line) or beyond_bmp(prose)
        if beyond:  # compiled the first time they are needed (re keeps them): nearly no registry does
            one, many = re.compile(_ONE_LINE_UNSAFE), re.compile(_PROSE_UNSAFE)
        else:
            one, many = _ONE_LINE_UNSAFE_BMP, _PROSE_UNSAFE_BMP
        return not (one.search(one_line) or many.search(prose))


_ANY_LINE_UNSAFE = "".join(p.pattern[1:-1] for p in (CONTROL, ESCAPE_SEQUENCE, BIDI, INVISIBLE, NONCHARACTER))
_ANY_LINE_UNSAFE_BMP = "".join(
    p.pattern[1:-1] for p in (CONTROL, ESCAPE_SEQUENCE, BIDI, INVISIBLE_BMP, NONCHARACTER_BMP)
)
_ONE_LINE_UNSAFE = f"[{_ANY_LINE_UNSAFE}{LINE_BREAK.pattern[1:-1]}]"
_PROSE_UNSAFE = f"[{_ANY_LINE_UNSAFE}]"
_ONE_LINE_UNSAFE_BMP = re.compile(f"[{_ANY_LINE_UNSAFE_BMP}{LINE_BREAK.pattern[1:-1]}]")
_PROSE_UNSAFE_BMP = re.compile(f"[{_ANY_LINE_UNSAFE_BMP}]")


# A decoder checks and converts one field across all records of a list at once (a column): the
# checks run as comprehensions, and each distinct date is built once.


def _all(column: Iterable[Any], kind: type, optional: bool = False) -> bool:
    """Every value is of ``kind`` (or None where optional); ``map(type, …)`` keeps the loop in C."""
    return set(map(type, column)) <= ({kind, type(None)} if optional else {kind})


def _text(prose: bool, optional: bool) -> Decode:
    def decode(column: Sequence[Any], texts: _Texts) -> Sequence[Any]:
        _expect(_all(column, str, optional))
        (texts.prose if prose else texts.one_line).extend(filter(None, column))  # None and "" hold nothing
        return column

    return decode


def _whole(optional: bool) -> Decode:
    def decode(column: Sequence[Any], texts: _Texts) -> Sequence[Any]:
        _expect(_all(column, int, optional))
        numbers = [v for v in column if v is not None]
        _expect(not numbers or (min(numbers) > -(10**18) and max(numbers) < 10**18))
        return column

    return decode


def _day(optional: bool) -> Decode:
    def decode(column: Sequence[Any], texts: _Texts) -> Sequence[Any]:
        distinct = set(column)
        distinct.discard(None) if optional else None
        _expect(all(type(v) is int and _FIRST_DAY <= v <= _LAST_DAY for v in distinct))
        days: dict[Any, Any] = {v: dt.date.fromordinal(v) for v in distinct}
        days[None] = None
        return [days[v] for v in column]

    return decode


def _names(optional: bool) -> Decode:
    def decode(column: Sequence[Any], texts: _Texts) -> Sequence[Any]:
        _expect(_all(column, tuple, optional))
        names = list(itertools.chain.from_iterable(v for v in column if v))
        _expect(_all(names, str))
        texts.one_line.extend(names)
        return column

    return decode


def _choice(options: frozenset[str]) -> Decode:
    def decode(column: Sequence[Any], texts: _Texts) -> Sequence[Any]:
        _expect(set(column) <= options)
        return column

    return decode


def _many(record: type) -> Decode:
    def decode(column: Sequence[Any], texts: _Texts) -> Sequence[Any]:
        _expect(_all(column, list))
        flat = _decode_records(record, list(itertools.chain.from_iterable(column)), texts)
        ends = list(itertools.accumulate(map(len, column)))
        return list(map(tuple, map(flat.__getitem__, map(slice, [0, *ends[:-1]], ends))))

    return decode


def _field_codec(annotation: Any, name: str, optional: bool = False) -> tuple[Encode, Decode]:
    """How one field is stored and checked, from its annotation."""
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin is typing.Annotated:
        return _field_codec(args[0], name, optional)
    if origin in (typing.Union, types.UnionType):
        encode, decode = _field_codec(args[0], name, optional=True)
        return (lambda v: None if v is None else encode(v)), decode
    if origin is typing.Literal:
        return (lambda v: v), _choice(frozenset(typing.get_args(annotation)))
    if origin is tuple:
        item = typing.get_args(annotation)[0]
        item = typing.get_args(item)[0] if typing.get_origin(item) is typing.Annotated else item
        if dataclasses.is_dataclass(item):
            return (lambda v: [_encode_record(e) for e in v]), _many(typing.cast(type, item))
        return (lambda v: v), _names(optional)
    if annotation is dt.date:
        return (lambda v: v.toordinal()), _day(optional)
    if annotation is int:
        return (lambda v: v), _whole(optional)
    if annotation is str:
        return (lambda v: v), _text(name in PROSE_FIELDS, optional)
    raise TypeError(f"no cache codec for {annotation!r}")  # pragma: no cover - a new kind of field


@functools.cache
def _codecs(record: type) -> tuple[tuple[Encode, ...], tuple[Decode, ...]]:
    types_of = hints(record)
    pairs = [_field_codec(types_of[f.name], f.name) for f in dataclasses.fields(record)]
    return tuple(e for e, _ in pairs), tuple(d for _, d in pairs)


def _encode_record(value: Any) -> tuple[Any, ...]:
    encoders, _ = _codecs(typing.cast(type, type(value)))
    return tuple(encode(getattr(value, f.name)) for encode, f in zip(encoders, dataclasses.fields(value), strict=True))


def _decode_records(record: type, rows: Any, texts: _Texts) -> list[Any]:
    """The records stored as ``rows`` (a list of tuples), every field checked column by column."""
    decoders = _codecs(record)[1]
    _expect(type(rows) is list and _all(rows, tuple) and set(map(len, rows)) <= {len(decoders)})
    if not rows:
        return []
    columns = [decode(column, texts) for decode, column in zip(decoders, zip(*rows, strict=True), strict=True)]
    return _assembled(record, columns)


def _assembled(record: type, columns: list[Sequence[Any]]) -> list[Any]:
    """Records of a frozen, slotted dataclass from its columns of checked values, one field at a
    time across all records: each slot is filled as the dataclass's own ``__init__`` fills it
    (bypassing the frozen guard), but in C, which is twice as fast for a list of 20,000 tasks."""
    new = object.__new__
    made: list[Any] = [new(record) for _ in columns[0]]
    for name, column in zip(_slot_names(record), columns, strict=True):
        collections.deque(map(getattr(record, name).__set__, made, column), maxlen=0)
    return made


@functools.cache
def _slot_names(record: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(record))  # the slots, in order (tests/test_cache.py)


def layout() -> str:
    """The shape of an entry, from the records' fields: part of the key, so a changed record
    never reads an old entry."""
    records = ";".join(f"{r.__name__}:{','.join(f.name for f in dataclasses.fields(r))}" for r in _RECORDS)
    return records + ";due;pieces;byte-cuts"


# ---- entries --------------------------------------------------------------------------------


def directory(env: Mapping[str, str]) -> Path | None:
    if env.get("GKCLI_NO_CACHE", "") not in ("", "0"):
        return None
    if env.get("GKCLI_CACHE_DIR"):
        return Path(env["GKCLI_CACHE_DIR"])
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gkcli"


# From this size on, a registry's files are hashed with SHA-256, which processors compute in hardware
# (twice as fast as BLAKE2 for a 10 MB tasks.yaml); below it, with the built-in BLAKE2, which
# saves loading OpenSSL (3 ms, more than hashing a small registry takes).
HARDWARE_HASH_BYTES = 4 * 1024 * 1024


def key(tasks: bytes, units: bytes) -> str:
    if len(tasks) + len(units) >= HARDWARE_HASH_BYTES:
        from hashlib import sha256

        digest: Any = sha256()
    else:
        digest = blake2b(digest_size=20)
    for part in (f"gkcli {__version__} cache {layout()}".encode(), tasks, units):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return str(digest.hexdigest())[:KEY_BYTES]


def cached_name(tasks: bytes, units: bytes) -> str:
    return key(tasks, units) + ".reg"


def _digest(payload: bytes | memoryview) -> bytes:
    return blake2b(payload, digest_size=DIGEST_BYTES).digest()


@dataclasses.dataclass
class Entry:
    """A registry from the cache, with the stored pieces it was rebuilt from (an edit of a few
    tasks stores its result by re-encoding only the pieces holding them). A write fetches only
    the tasks it changes: then ``registry`` holds those tasks (with every unit, the plan, the
    parts and the source layout), and ``positions`` gives each one's place in the stored list."""

    registry: Registry
    stored: Stored
    positions: dict[int, int]  # task id -> position in the stored list, for the tasks in ``registry``

    @property
    def count(self) -> int:
        """How many tasks the stored registry has (``registry`` may hold fewer)."""
        return len(self.stored.ids)

    @property
    def whole(self) -> bool:
        return len(self.positions) == self.count


def _due_ordinal(registry: Registry, task: Any) -> int | None:
    due = registry.due_dates[task.id]
    return None if due is None else due.toordinal()


def _layout(registry: Registry) -> tuple[Any, ...] | None:
    """A registry's source layout as plain values: offsets flat, digests joined."""
    layout = source_layout(registry)
    if layout is None:
        return None
    return (layout.cuts, layout.digests, layout.head, layout.tail, layout.length, layout.latest.toordinal())


def dump(registry: Registry, name_key: str) -> bytes:
    """The entry for ``registry`` stored under ``name_key`` (see :func:`packed`)."""
    data = (
        _encode_record(registry.plan),
        [_encode_record(p) for p in registry.parts],
        [_encode_record(t) for t in registry.tasks],
        [_due_ordinal(registry, t) for t in registry.tasks],
        [_encode_record(u) for u in registry.directory.units],
        [_encode_record(g) for g in registry.directory.groups],
        _layout(registry),
    )
    return packed(data, name_key)


def dump_edited(entry: Entry, registry: Registry, edit: Edit, name_key: str) -> bytes:
    """The entry for ``registry``, made from ``entry``'s by changing some tasks: ``edit.reused``
    gives, for each task of the new list, the position in ``entry`` of the same task unchanged, or
    None for one of ``edit.fresh`` (by position). Only those are encoded, and a stored piece whose
    tasks all stay where they were is written again as it is (its bytes not even read);
    ``registry`` need hold only the fresh tasks."""
    stored, reused = entry.stored, edit.reused
    pieces: list[Piece] = []
    for start in range(0, len(reused), PIECE_TASKS):
        chosen = reused[start : start + PIECE_TASKS]
        same = stored.piece_at(chosen)
        if same is not None:
            pieces.append(same)
            continue
        rows, days = [], []
        for index, old in enumerate(chosen, start):
            if old is None:
                task = edit.fresh[index]
                rows.append(_encode_record(task))
                days.append(_due_ordinal(registry, task))
            else:
                row, day = stored.task(old)
                rows.append(row)
                days.append(day)
        pieces.append(_piece(rows, days, share=False))
    return _packed_pieces((*stored.head[:4], _layout(registry)), pieces, name_key)


@dataclasses.dataclass(frozen=True)
class Edit:
    """How a new task list is made from a stored one (see :func:`dump_edited`)."""

    reused: Sequence[int | None]
    fresh: Mapping[int, Any]


def _shared(value: Any, seen: dict[str, str]) -> Any:
    """``value`` with every repeated string made one object: marshal then writes it once and
    refers back to it, so an entry is smaller, loads about three times faster and holds each
    unit name, deadline phrase and note once in memory."""
    kind = type(value)
    if kind is str:
        return seen.setdefault(value, value)
    if kind is tuple:
        return tuple([_shared(v, seen) for v in value])
    if kind is list:
        return [_shared(v, seen) for v in value]
    return value


# ---- the stored form: a head and the tasks in pieces ------------------------------------------
#
# An entry is MAGIC, the key, the digest of the head, the head's length (8 bytes) and the head,
# then the pieces. The head holds the plan, parts, units, groups and source layout, every task's
# id, and each piece's length, task count and digest; a piece holds the rows and due dates of up
# to PIECE_TASKS tasks. A write reads (and checks) only the pieces holding the tasks it changes and
# stores the others' bytes again as they are; a read checks and decodes them all.

PIECE_TASKS = 1024
_LENGTH_BYTES = 8
_HEAD_FIELDS = 9  # plan, parts, units, groups, layout, ids, counts, lengths, digests


@dataclasses.dataclass(frozen=True)
class Piece:
    """Some tasks as stored: their ids, their marshalled rows and due dates, and its digest."""

    ids: Sequence[Any]
    payload: bytes | memoryview
    digest: bytes


def _piece(rows: list[Any], days: list[Any], share: bool = True) -> Piece:
    """Rows as a stored piece; ``share``: make repeated strings one object first (rows rebuilt from
    a stored piece already are: marshal gives a string written once as one object)."""
    payload = marshal.dumps(_shared((rows, days), {}) if share else (rows, days))
    ids = [row[0] if type(row) is tuple and row else None for row in rows]  # checked when read
    return Piece(ids, payload, _digest(payload))


def packed(data: tuple[Any, ...], name_key: str) -> bytes:
    """The bytes of an entry for ``data`` (the plan's row, the parts', the tasks', the tasks' due
    dates, the units', the groups' and the source layout) stored under ``name_key``."""
    plan, parts, tasks, due, units, groups, layout = data
    pieces = [_piece(tasks[n : n + PIECE_TASKS], due[n : n + PIECE_TASKS]) for n in range(0, len(tasks), PIECE_TASKS)]
    return _packed_pieces((plan, parts, units, groups, layout), pieces, name_key)


def _packed_pieces(common: tuple[Any, ...], pieces: list[Piece], name_key: str) -> bytes:
    ids = [task_id for piece in pieces for task_id in piece.ids]
    counts, lengths = [len(p.ids) for p in pieces], [len(p.payload) for p in pieces]
    plan, parts, units, groups, layout = common  # the layout's and the ids' numbers hold no string to share
    head = marshal.dumps((*_shared((plan, parts, units, groups), {}), layout, ids, counts, lengths,
                          b"".join(p.digest for p in pieces)))  # fmt: skip
    return b"".join(
        [MAGIC, name_key.encode("ascii"), _digest(head), len(head).to_bytes(_LENGTH_BYTES, "little"), head,
         *(p.payload for p in pieces)]
    )  # fmt: skip


class Stored:
    """An entry as read: its head checked (and decoded), its pieces located but each checked and
    decoded only when asked for."""

    def __init__(self, raw: bytes, name_key: str) -> None:
        start = len(MAGIC) + KEY_BYTES + DIGEST_BYTES + _LENGTH_BYTES
        if len(raw) < start or not raw.startswith(MAGIC):
            raise BadEntry("not a cache entry")
        if raw[len(MAGIC) : len(MAGIC) + KEY_BYTES] != name_key.encode("ascii"):
            raise BadEntry("an entry of another registry")
        digest = raw[len(MAGIC) + KEY_BYTES : start - _LENGTH_BYTES]
        size = int.from_bytes(raw[start - _LENGTH_BYTES : start], "little")
        head = raw[start : start + size]
        if len(head) != size or _digest(head) != digest:
            raise BadEntry("damaged")
        self.head = marshal.loads(head)
        _expect(type(self.head) is tuple and len(self.head) == _HEAD_FIELDS)
        self.ids, counts, lengths, digests = self.head[5:]
        _expect(_all(self.ids, int) and _all(counts, int) and _all(lengths, int) and type(digests) is bytes)
        _expect(len(counts) == len(lengths) and len(digests) == DIGEST_BYTES * len(counts))
        _expect(all(counts) and sum(counts) == len(self.ids) and min(lengths, default=1) > 0)
        _expect(start + size + sum(lengths) == len(raw) and len(set(self.ids)) == len(self.ids))
        self.starts = [0, *itertools.accumulate(counts)][:-1]  # the position of each piece's first task
        offsets = list(itertools.accumulate(lengths, initial=start + size))
        view = memoryview(raw)
        self.pieces = [
            Piece(
                self.ids[first : first + count],
                view[at : at + length],
                digests[n * DIGEST_BYTES : (n + 1) * DIGEST_BYTES],
            )
            for n, (first, count, at, length) in enumerate(zip(self.starts, counts, offsets, lengths, strict=False))
        ]
        self._decoded: dict[int, tuple[list[Any], list[Any]]] = {}

    def loaded(self, index: int) -> tuple[list[Any], list[Any]]:
        """The rows and due dates of piece ``index``, checked against its digest and the head's ids."""
        if index not in self._decoded:
            piece = self.pieces[index]
            _expect(_digest(piece.payload) == piece.digest)
            data = marshal.loads(piece.payload)
            _expect(type(data) is tuple and len(data) == 2 and type(data[0]) is list and type(data[1]) is list)
            rows, days = data
            _expect(len(rows) == len(days) == len(piece.ids) and _all(rows, tuple) and all(rows))
            _expect([row[0] for row in rows] == list(piece.ids))
            self._decoded[index] = rows, days
        return self._decoded[index]

    def task(self, position: int) -> tuple[Any, Any]:
        """The row and due date of the task stored at ``position``."""
        index = bisect.bisect_right(self.starts, position) - 1
        rows, days = self.loaded(index)
        return rows[position - self.starts[index]], days[position - self.starts[index]]

    def piece_at(self, positions: Sequence[int | None]) -> Piece | None:
        """The stored piece holding exactly the tasks at ``positions``, in order, if there is one."""
        first = positions[0] if positions else None
        if first is None:
            return None
        index = bisect.bisect_left(self.starts, first)
        if index == len(self.starts) or self.starts[index] != first or len(self.pieces[index].ids) != len(positions):
            return None
        return self.pieces[index] if list(positions) == list(range(first, first + len(positions))) else None


def unpacked(raw: bytes, name_key: str) -> tuple[Any, ...]:
    """The data an entry holds, as :func:`packed` takes it (its pieces checked against their digests)."""
    stored = Stored(raw, name_key)
    rows, days = _all_tasks(stored)
    plan, parts, units, groups, layout = stored.head[:5]
    return (plan, parts, rows, days, units, groups, layout)


def load_entry(raw: bytes, name_key: str, only: Collection[int] | None = None) -> Entry:
    """The registry in an entry (with ``only`` those tasks, when it has them all) and the stored
    pieces it was rebuilt from, or BadEntry."""
    with collector_paused():
        [entry] = _rebuild([Stored(raw, name_key)], only)
        return entry


def _rebuild(storeds: Sequence[Stored], only: Collection[int] | None = None) -> list[Entry]:
    """Rebuild registries (with ``only`` those tasks, when one registry has them all), checking every
    value's type and range as it goes (an entry may have been made by hand): what comes out is what
    validation lets through, or BadEntry. The tasks of all of them are checked and assembled as one
    list, column by column: a workspace of 200 small plans costs about what one plan of all their
    tasks does."""
    picks = [_picked(stored, only) for stored in storeds]
    texts = _Texts()
    plans = _decode_records(Plan, [stored.head[0] for stored in storeds], texts)
    tasks = _decode_records(Task, [row for rows, _, _ in picks for row in rows], texts)
    due = _day(optional=True)([day for _, days, _ in picks for day in days], texts)
    _expect(texts.clean())
    entries, at = [], 0
    for stored, plan, (rows, _, positions) in zip(storeds, plans, picks, strict=True):
        mine, mine_due, at = tasks[at : at + len(rows)], due[at : at + len(rows)], at + len(rows)
        entries.append(_built(stored, plan, mine, dict(zip(positions, mine_due, strict=True)), positions))
    return entries


def _picked(stored: Stored, only: Collection[int] | None) -> tuple[list[Any], list[Any], dict[int, int]]:
    """The stored rows and due dates of ``only`` those tasks (when the entry has them all) or of
    every task, and each one's position by id."""
    ids = stored.ids
    positions = {task_id: n for n, task_id in enumerate(ids)}
    if only is None or not all(task_id in positions for task_id in only):
        return (*_all_tasks(stored), positions)
    chosen = sorted(positions[task_id] for task_id in set(only))
    picked = [stored.task(n) for n in chosen]
    return [row for row, _ in picked], [day for _, day in picked], {ids[n]: n for n in chosen}


def _built(
    stored: Stored, plan: Plan, tasks: list[Task], due_dates: dict[int, Any], positions: dict[int, int]
) -> Entry:
    """One entry's registry, from its checked tasks and the rest of its head."""
    _, part_rows, unit_rows, group_rows, layout = stored.head[:5]
    _expect(all(type(d) is list for d in (part_rows, unit_rows, group_rows)))
    parts = _decode_shared(Part, part_rows)
    units, groups = _decode_shared(Unit, unit_rows), _decode_shared(UnitGroup, group_rows)
    section_ids = {s.id for p in parts for s in p.sections}
    _expect(len(section_ids) == sum(len(p.sections) for p in parts))
    _expect(set(map(operator.attrgetter("section"), tasks)) <= section_ids and (not stored.ids or min(stored.ids) >= 1))
    registry = Registry.build(plan, parts, tasks, units, groups, due_dates, trusted=True)  # stored once validated
    keep_layout(registry, _rebuilt_layout(layout, len(stored.ids)))
    return Entry(registry, stored, positions)


def _all_tasks(stored: Stored) -> tuple[list[Any], list[Any]]:
    """Every task's row and due date, in order."""
    rows: list[Any] = []
    days: list[Any] = []
    for index in range(len(stored.pieces)):
        piece_rows, piece_days = stored.loaded(index)
        rows += piece_rows
        days += piece_days
    return rows, days


def _decode_shared(record: type, rows: Any) -> list[Any]:
    """The records stored as ``rows``, checked. The plans of a workspace mostly share one
    units.yaml and often their parts: rows equal to the last ones of this record rebuilt (compared
    in C) give those records again."""
    last = _last_decoded.get(record)
    if last is not None and last[0] == rows:
        return last[1]
    texts = _Texts()
    records = _decode_records(record, rows, texts)
    _expect(texts.clean())
    _last_decoded[record] = (rows, records)
    return records


_last_decoded: dict[type, tuple[Any, list[Any]]] = {}


def _rebuilt_layout(data: Any, count: int) -> SourceLayout | None:
    """A source layout as stored; a write or a re-read checks every span it uses against the
    file's bytes (and every digest against its lines), so here it only needs the right shape."""
    if data is None:
        return None
    _expect(type(data) is tuple and len(data) == 6)
    cuts, digests, head, tail, length, latest = data
    _expect(type(cuts) is list and len(cuts) == count + 1 and _all(cuts, int) and type(length) is int)
    _expect(cuts == sorted(cuts) and cuts[0] >= 0 and cuts[-1] <= length)  # in order, in the file
    _expect(type(digests) is bytes and len(digests) == LINE_DIGEST_BYTES * count)
    _expect(type(head) is bytes and type(tail) is bytes and type(latest) is int and 1 <= latest <= _LAST_DAY)
    return SourceLayout(cuts, digests, head, tail, length, dt.date.fromordinal(latest))


def fetch(folder: Path | None, name: str) -> Registry | None:
    """The cached registry stored under ``name``, or None (no entry, or one not to be trusted)."""
    found = fetch_entry(folder, name)
    return None if found is None else found.registry


def fetch_entry(folder: Path | None, name: str, only: Collection[int] | None = None) -> Entry | None:
    """The cached entry stored under ``name`` (with ``only`` those tasks, when it has them all: a
    write needs no others), or None (no entry, or one not to be trusted). The last one fetched is
    kept: a command that reads the registry and then writes it (``returns import``) finds the
    same bytes again under its lock, and its entry need not be rebuilt."""
    global _last_fetched
    if folder is None:
        return None
    if _last_fetched is not None and _last_fetched[0] == (folder, name):
        kept = _last_fetched[1]
        if kept.whole or (only is not None and all(task_id in kept.positions for task_id in only)):
            return kept
    try:
        raw = _read_regular(folder / name)
        found = load_entry(raw, name.removesuffix(".reg"), only) if raw is not None else None
    except Exception:  # a cache entry is never trusted: any doubt means reading the YAML
        return None
    if found is not None:
        _last_fetched = ((folder, name), found)
    return found


_last_fetched: tuple[tuple[Path, str], Entry] | None = None


def fetch_entries(folder: Path | None, names: Sequence[str]) -> list[Entry | None]:
    """The cached entries stored under ``names``, each None where there is none or it is not to be
    trusted: the plans of a workspace, rebuilt together (see :func:`_rebuild`)."""
    if folder is None:
        return [None] * len(names)
    storeds: list[Stored | None] = []
    for name in names:
        try:
            raw = _read_regular(folder / name)
            storeds.append(Stored(raw, name.removesuffix(".reg")) if raw is not None else None)
        except Exception:  # a cache entry is never trusted: any doubt means reading the YAML
            storeds.append(None)
    good = [stored for stored in storeds if stored is not None]
    try:
        with collector_paused():
            rebuilt = iter(_rebuild(good))
    except Exception:  # one of them is not to be trusted: each on its own, to know which
        return [
            fetch_entry(folder, name) if stored is not None else None
            for name, stored in zip(names, storeds, strict=True)
        ]
    return [next(rebuilt) if stored is not None else None for stored in storeds]


def _read_regular(path: Path) -> bytes | None:
    """The bytes of ``path`` if it is a regular file (not a link, FIFO or device) of bounded size."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
            return None
        raw = handle.read(MAX_ENTRY_BYTES + 1)
    return raw if len(raw) <= MAX_ENTRY_BYTES else None


def store(
    folder: Path | None,
    name: str,
    registry: Registry,
    edited: tuple[Entry, Edit] | None = None,
    latest_for: tuple[Path, bytes] | None = None,
) -> None:
    """Keep ``registry`` under ``name``; with ``edited`` (the entry it was made from, and how: see
    :func:`dump_edited`) only the changed tasks are encoded again. With
    ``latest_for`` (its tasks.yaml, and the bytes of units.yaml), it is also remembered as the
    latest registry read from that file with those units (see :func:`latest`)."""
    if folder is None:
        return
    from gkcli.store.files import replace_file

    with contextlib.suppress(OSError, ValueError):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        key_part = name.removesuffix(".reg")
        data = dump(registry, key_part) if edited is None else dump_edited(edited[0], registry, edited[1], key_part)
        replace_file(folder / name, data, durable=False)  # an entry lost in a crash is only read again
        if latest_for is not None and source_layout(registry) is not None:
            replace_file(folder / _latest_name(*latest_for), name.encode("ascii"), durable=False)
        for pattern in ("*.reg", "*.latest"):
            entries = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
            kept = 0  # bytes of the entries kept so far: the newest stay, up to the budget
            for index, old in enumerate(entries):
                kept += old.stat().st_size
                if index >= KEEP or (index >= KEEP_ALWAYS and kept > KEEP_BYTES):
                    old.unlink()


def _latest_name(source: Path, units: bytes) -> str:
    """Where the name of the latest registry read from ``source`` (a tasks.yaml, by its real path)
    with this units.yaml is kept."""
    digest = blake2b(digest_size=20)
    for part in (
        f"gkcli {__version__} latest".encode(),
        os.path.realpath(source).encode("utf-8", "surrogateescape"),
        units,
    ):
        digest.update(len(part).to_bytes(8, "little") + part)
    return digest.hexdigest() + ".latest"


def latest(folder: Path | None, source: Path, units: bytes) -> Entry | None:
    """The entry last stored for ``source`` with this units.yaml (its tasks.yaml may have been edited
    since: see ``task_lines.reread``), or None."""
    if folder is None:
        return None
    raw = _read_regular(folder / _latest_name(source, units))
    name = raw.decode("ascii", "replace") if raw is not None else ""
    if not re.fullmatch(f"[0-9a-f]{{{KEY_BYTES}}}\\.reg", name):
        return None
    return fetch_entry(folder, name)
