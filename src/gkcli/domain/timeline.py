"""A task's state on any date, replayed from its progress log.

The log is the truth: ``status`` and ``done_on`` in the YAML are written for readers (and
``gkcli check`` says when a hand edit makes them disagree). Replaying the log up to a day D
gives the task as it stood on D; leaving out entries recorded after a day K gives what the
registry said on K, so a bulletin sent on D can be reproduced exactly later.

Shared tasks: a ``done`` entry from a unit completes that unit's part. The task itself is done
when every lead party has completed its part (a group with known members stands for its
members), or when the whole task is recorded done: an entry with no unit, or one from the plan's
coordinating office on a task where the office has no role of its own (where it has one, as lead
or responsible, its entries are its own part, like any unit's). Parts of responsible units are
recorded too but do not hold the task open.

Extensions: an ``extend`` entry moves the due date from its own date on (before it the old date
holds), for the whole task or for one unit's part.
While a task is open it is due when the first of its open lead parts is; once done, it was due
when the last of them was. A ``request`` is a unit asking for one; it changes nothing until the
office grants it. A request is pending while nothing answered it: an extension of the same
part (or of the whole task) answers it, a ``decline`` does, and so does the part (or the task)
being finished.

Review (销号, ``plan.closing: review``): a ``claim`` says a part (or the whole task) is done; it
stays open, awaiting review, until an ``accept`` completes it on the claim's own date or a
``send_back`` voids the claim (the reason is kept as the part's latest return until it claims
again or is completed). A ``carried`` entry says a later plan continues the task: from its date
the task is carried over, neither open nor done.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from gkcli.domain.checkpoints import CheckpointState, counted, standing
from gkcli.domain.deadlines import DeadlineError
from gkcli.domain.records import ENTRY_KINDS, ProgressEntry, Status, Task
from gkcli.domain.registry import Registry

SYNTHETIC_NOTE = "已完成"  # a done_on written without a done entry reads as this entry (older registries)
CARRIED_NOTE = "结转至 "  # followed by the continuing task (plan:id)


class TaskState(NamedTuple):
    """A task as it stood on a day, as far as the registry knew on another. A named tuple: one is
    made for every task a question looks at, and a tuple is made four times as fast as a frozen
    dataclass."""

    status: Status
    done_on: dt.date | None
    entries: tuple[ProgressEntry, ...]  # the log, dated up to the day and known by then
    parts_done: tuple[tuple[str, dt.date], ...]  # units whose own part was complete, with the date
    parts_open: tuple[str, ...]  # lead parties whose part is still open (none when the task is done)
    due: dt.date | None = None  # the task's due date that day (extensions granted by then included)
    whole_due: dt.date | None = None  # the due date of every part without an extension of its own
    share_dues: tuple[tuple[str, dt.date], ...] = ()  # parties with an extension of their own, and their date
    requests: tuple[ProgressEntry, ...] = ()  # requests for an extension still pending that day, oldest first
    claims: tuple[ProgressEntry, ...] = ()  # claims of completion awaiting review that day, oldest first
    returned: tuple[ProgressEntry, ...] = ()  # claims sent back and not claimed again since, oldest first
    carried: ProgressEntry | None = None  # the entry that carried the task over to a later plan

    @property
    def latest(self) -> ProgressEntry | None:
        return self.entries[-1] if self.entries else None

    def share_done_on(self, unit: str) -> dt.date | None:
        """When ``unit``'s own part was complete (the whole task being done completes every part)."""
        for name, day in self.parts_done:
            if name == unit:
                return day
        return self.done_on

    def due_for(self, unit: str | None) -> dt.date | None:
        """The due date of ``unit``'s part that day (None: of the whole task)."""
        if unit is None:
            return self.due
        for name, day in self.share_dues:
            if name == unit:
                return day
        return self.whole_due

    def claim_for(self, unit: str | None) -> ProgressEntry | None:
        """The claim awaiting review for ``unit``'s part (None: the whole task's), if any; a claim
        for the whole task covers every part."""
        for entry in self.claims:
            if entry.unit is None or entry.unit == unit:
                return entry
        return None

    def latest_for(self, unit: str) -> ProgressEntry | None:
        """The latest entry ``unit`` recorded itself, or one for the whole task."""
        for entry in reversed(self.entries):
            if entry.unit is None or entry.unit == unit:
                return entry
        return None


def completes(entries: tuple[ProgressEntry, ...]) -> bool:
    """Whether any of ``entries`` completes the task or a part (a done entry, or an accepted claim)."""
    return any(ENTRY_KINDS[e.kind].effect in ("complete", "accept") for e in entries)


def log_of(task: Task) -> tuple[ProgressEntry, ...]:
    """The task's log, with a written ``done_on`` that no completing entry explains read as a done entry."""
    if task.done_on is not None and not completes(task.progress):
        synthetic = ProgressEntry(task.done_on, SYNTHETIC_NOTE, None, None, "done", task.done_on)
        return tuple(sorted((*task.progress, synthetic), key=lambda e: e.on))
    return task.progress


def _with_continuation(log: tuple[ProgressEntry, ...], where: str, on: dt.date) -> tuple[ProgressEntry, ...]:
    """The log with the ``carried`` entry a later plan's link stands for, unless one is written."""
    if any(e.kind == "carried" for e in log):
        return log
    entry = ProgressEntry(on, f"{CARRIED_NOTE}{where}", None, None, "carried", on)
    return tuple(sorted((*log, entry), key=lambda e: e.on))


def lead_parties(registry: Registry, task: Task) -> tuple[str, ...]:
    """Whose parts must be complete for the task to be done: the lead units, groups expanded to
    their known members (a group whose members are unknown stands for itself). Remembered by
    the lead cell: many tasks share one."""
    memo = registry.memo.parties
    cached = memo.get(task.lead)
    if cached is None:
        cached = memo[task.lead] = tuple(dict.fromkeys(p for name in task.lead for p in parties_of(registry, name)))
    return cached


def parties_of(registry: Registry, name: str) -> tuple[str, ...]:
    """The parties a name stands for: a unit itself, a group's known member units, else the group.
    Remembered for the registry: thousands of tasks name the same few dozen units."""
    memo = registry.memo.party_names
    found = memo.get(name)
    if found is None:
        found = memo[name] = _parties_of(registry, name)
    return found


def _parties_of(registry: Registry, name: str) -> tuple[str, ...]:
    directory = registry.directory
    entity = directory.find(name)
    if entity is None:
        return (name,)
    if not entity.is_group or not entity.members_known:
        return (entity.name,)
    return directory.member_units(entity.name) or (entity.name,)


def speaks_for_whole(registry: Registry, task: Task, unit: str | None) -> bool:
    """Whether an entry of ``unit`` speaks for the whole task: one without a unit does, and so does
    one from the coordinating office on a task where the office has no role of its own; where it
    has one, its entries are its own part, as any unit's are."""
    if unit is None:
        return True
    office = registry.plan.office
    if office is None:
        return False
    found, office_found = registry.directory.find(unit), registry.directory.find(office)
    if found is None or office_found is None or found.name != office_found.name:
        return False
    return not has_role(registry, task, found.name)


def has_role(registry: Registry, task: Task, name: str) -> bool:
    """Whether the unit ``name`` (its canonical name) is lead or responsible in ``task``, named
    directly or through a group it belongs to."""
    directory = registry.directory
    for cell in (*task.lead, *task.responsible):
        entity = directory.find(cell)
        if entity is not None and (
            entity.name == name or (entity.is_group and name in directory.expanded_members(entity.name))
        ):
            return True
    return False


class _Walk:
    """The state of one task's parts as its log is read, entry by entry: what each kind of entry
    does (``ENTRY_KINDS[kind].effect``) and when it contradicts the log before it live here only."""

    def __init__(self, registry: Registry, task: Task) -> None:
        self.registry = registry
        self.task = task
        self.pending: dict[str | None, ProgressEntry] = {}  # requests not yet answered, by part (None: whole)
        self.leads = lead_parties(registry, task)
        self.whole_done: dt.date | None = None
        self.completed: dict[str, dt.date] = {}
        self.done_on: dt.date | None = None
        self.whole_due = registry.due(task)  # moved by a whole-task extension
        self.share_due: dict[str, dt.date] = {}  # moved by a unit's own extension
        self.claims: dict[str | None, ProgressEntry] = {}  # claims awaiting review, by part (None: whole)
        self.returned: dict[str | None, ProgressEntry] = {}  # claims sent back, by part
        self.carried: ProgressEntry | None = None

    def parties(self, entry: ProgressEntry) -> tuple[str, ...]:
        if entry.unit is None or speaks_for_whole(self.registry, self.task, entry.unit):
            return ()
        return parties_of(self.registry, entry.unit)

    def due_of(self, party: str) -> dt.date | None:
        """The due date of one party's part now: its own extension, or the task's if later."""
        own = self.share_due.get(party)
        if own is None or self.whole_due is None:
            return self.whole_due
        return max(own, self.whole_due)

    @property
    def due(self) -> dt.date | None:
        """The task's due date now: while open, the earliest of its open lead parts' (it is late as
        soon as one of them is); once done, the latest of its lead parts' (it could not be done
        before the last of them)."""
        if self.whole_due is None:
            return None
        if not self.share_due or not self.leads:
            return self.whole_due
        counted = self.leads if self.done_on is not None else [p for p in self.leads if p not in self.completed]
        dues = [self.due_of(p) or self.whole_due for p in counted] or [self.whole_due]
        return max(dues) if self.done_on is not None else min(dues)

    def conflict(self, entry: ProgressEntry) -> str | None:
        """Why ``entry`` cannot follow what was read so far (None when it can)."""
        found = self.conflict_rule(entry)
        return found[1] if found is not None else None

    def conflict_rule(self, entry: ProgressEntry) -> tuple[str, str] | None:
        """The rule ``entry`` breaks by following what was read so far, and why (None: none).
        GK511: an answer (销号, 退回, 不予延期) to a claim or request that is not pending;
        GK508: any other contradiction."""
        parties = self.parties(entry)
        rule = ENTRY_KINDS[entry.kind]
        key = entry.unit if parties else None
        if self.carried is not None and rule.effect != "none":
            return "GK508", f"任务已于 {self.carried.on.isoformat()} 结转到下一年度要点"
        if rule.effect in ("accept", "send_back"):
            if key not in self.claims:
                whose = f"{entry.unit} 的部分" if parties else "整项任务"
                return "GK511", f"{whose}没有待审核的销号申请,不能{rule.label}"
            return None
        if rule.effect == "decline":
            if key not in self.pending:
                whose = f"{entry.unit} 的部分" if parties else "整项任务"
                return "GK511", f"{whose}没有待批准的延期申请(已批准、已答复或从未申请),不能{rule.label}"
            return None
        reason = self._contradiction(entry, parties, rule.effect)
        return ("GK508", reason) if reason is not None else None

    def _contradiction(self, entry: ProgressEntry, parties: tuple[str, ...], effect: str) -> str | None:
        if effect in ("complete", "claim", "carry"):
            if self.done_on is not None and (not parties or effect in ("carry", "claim")):
                return f"任务已于 {self.done_on.isoformat()} 完成"
            if parties and all(p in self.completed for p in parties):
                return f"{entry.unit} 的部分已于 {self.completed[parties[0]].isoformat()} 完成"
            if effect == "claim" and (entry.unit if parties else None) in self.claims:
                return "已有待审核的销号申请"
        elif effect == "reopen":
            if not parties and self.done_on is None:
                return "任务尚未完成,无需重新打开"
            if parties and self.done_on is None and not any(p in self.completed for p in parties):
                return f"{entry.unit} 的部分尚未完成,无需重新打开"
        elif ENTRY_KINDS[entry.kind].needs_due:  # a request or a grant of an extension
            what = ENTRY_KINDS[entry.kind].label
            if self.done_on is not None:
                return f"任务已于 {self.done_on.isoformat()} 完成,不能{what}"
            if parties and all(p in self.completed for p in parties):
                return f"{entry.unit} 的部分已于 {self.completed[parties[0]].isoformat()} 完成,不能{what}"
            current = self.due if not parties else max(filter(None, map(self.due_of, parties)), default=None)
            if current is None:
                return f"任务没有截止日期,无需{what}"
            if entry.due is None or entry.due <= current:
                asked = entry.due.isoformat() if entry.due is not None else "(未写)"
                return f"{what}后的日期 {asked} 不晚于当时的截止日期 {current.isoformat()}"
        return None

    def apply(self, entry: ProgressEntry) -> None:
        parties = self.parties(entry)
        key = entry.unit if parties else None
        getattr(self, f"_on_{ENTRY_KINDS[entry.kind].effect}")(entry, parties, key)
        if self.whole_done is not None:
            self.done_on = self.whole_done
        elif self.leads and all(p in self.completed for p in self.leads):
            self.done_on = self.done_on or max(self.completed[p] for p in self.leads)
        else:
            self.done_on = None
        if self.pending or self.claims or self.returned:
            self._drop_answered()

    # What each effect (``KindRule.effect``) does to the parts; ``key`` is the part an entry speaks
    # for (its unit, None for the whole task), ``parties`` the lead parties it stands for.

    def _on_none(self, entry: ProgressEntry, parties: tuple[str, ...], key: str | None) -> None:
        if entry.kind == "request":  # a request changes nothing but waits for its answer
            self.pending[key] = entry

    def _on_complete(self, entry: ProgressEntry, parties: tuple[str, ...], key: str | None) -> None:
        self._complete(parties, entry.on)

    def _on_accept(self, entry: ProgressEntry, parties: tuple[str, ...], key: str | None) -> None:
        self._complete(parties, self.claims.pop(key).on)  # done on the day it was claimed

    def _on_claim(self, entry: ProgressEntry, parties: tuple[str, ...], key: str | None) -> None:
        self.claims[key] = entry
        self.returned.pop(key, None)

    def _on_send_back(self, entry: ProgressEntry, parties: tuple[str, ...], key: str | None) -> None:
        del self.claims[key]
        self.returned[key] = entry

    def _on_decline(self, entry: ProgressEntry, parties: tuple[str, ...], key: str | None) -> None:
        del self.pending[key]

    def _on_carry(self, entry: ProgressEntry, parties: tuple[str, ...], key: str | None) -> None:
        self.carried = entry

    def _on_reopen(self, entry: ProgressEntry, parties: tuple[str, ...], key: str | None) -> None:
        if not parties:
            self.whole_done = None
            self.completed.clear()
        for party in parties:
            self.completed.pop(party, None)

    def _on_extend(self, entry: ProgressEntry, parties: tuple[str, ...], key: str | None) -> None:
        if entry.due is None:
            return
        if not parties:
            self.whole_due = entry.due
            self.pending.clear()  # the whole task's new date answers every request
        for party in parties:
            self.share_due[party] = entry.due
        self.pending.pop(key, None)

    def _complete(self, parties: tuple[str, ...], day: dt.date) -> None:
        if not parties:
            self.whole_done = day
        for party in parties:
            self.completed.setdefault(party, day)

    def _drop_answered(self) -> None:
        """Requests and claims (and returns) whose part, or task, is finished are no longer pending."""
        if self.done_on is not None:
            self.pending.clear()
            self.claims.clear()
            self.returned.clear()
            return
        for waiting in (self.pending, self.claims, self.returned):
            for key in [k for k in waiting if k is not None]:
                if all(p in self.completed for p in parties_of(self.registry, key)):
                    del waiting[key]

    def _awaiting_review(self) -> bool:
        """Whether every open lead part (or the whole task) has a claim awaiting review."""
        if None in self.claims:
            return True
        if not self.claims:
            return False
        claimed = {p for key in self.claims if key is not None for p in parties_of(self.registry, key)}
        still_open = [p for p in self.leads if p not in self.completed]
        return bool(still_open) and all(p in claimed for p in still_open)

    def state(self, seen: tuple[ProgressEntry, ...]) -> TaskState:
        status: Status
        if self.carried is not None:
            status = "carried_over"
        elif self.done_on is not None:
            status = "done"
        elif self._awaiting_review():
            status = "awaiting_review"
        else:
            status = "in_progress" if seen else "not_started"
        still_open = () if self.done_on is not None else tuple(p for p in self.leads if p not in self.completed)
        dues = tuple((p, d) for p in self.share_due if (d := self.due_of(p)) is not None)
        return TaskState(
            status,
            self.done_on,
            seen,
            tuple(self.completed.items()),
            still_open,
            self.due,
            self.whole_due,
            dues,
            _oldest_first(self.pending),
            _oldest_first(self.claims),
            _oldest_first(self.returned),
            self.carried,
        )


def _oldest_first(entries: dict[str | None, ProgressEntry]) -> tuple[ProgressEntry, ...]:
    return tuple(sorted(entries.values(), key=lambda e: (e.on, e.unit or "")))


def replay(registry: Registry, task: Task, day: dt.date | None = None, known_on: dt.date | None = None) -> TaskState:
    """The task on ``day`` (None: with every entry), from the entries known on ``known_on`` (None: all).
    Remembered for the registry: per-unit questions (stats by unit, the bulletin) ask for the same
    task on the same day once for each unit that works on it."""
    key = (id(task), day, known_on)
    memo = registry.memo.replayed
    cached = memo.get(key)
    if cached is not None and cached[0] is task:
        found: TaskState = cached[1]
        return found
    state = _replay(registry, task, day, known_on)
    memo[key] = (task, state)
    return state


_WHOLE_TASK_KINDS = frozenset(k for k, rule in ENTRY_KINDS.items() if rule.effect in ("complete", "reopen"))
_EXTENDING = frozenset(k for k, rule in ENTRY_KINDS.items() if rule.effect == "extend")


def _as_written(log: tuple[ProgressEntry, ...], day: dt.date | None, known_on: dt.date | None) -> bool:
    """Whether every entry of ``log`` counts on ``day`` as known on ``known_on``, and none completes
    or reopens one unit's part or moves a due date (nor asks to): then, in a registry that passed
    validation, the written status and completion date are what the log gives (GK507)."""
    if day is not None and log[-1].on > day:
        return False
    for e in log:
        if e.kind != "progress" and (e.unit is not None or e.kind not in _WHOLE_TASK_KINDS):
            return False
        if known_on is not None and e.known_from > known_on:
            return False
    return True


def _replay(registry: Registry, task: Task, day: dt.date | None, known_on: dt.date | None) -> TaskState:
    log = log_of(task)
    if registry.continued and task.id in registry.continued:
        log = _with_continuation(log, *registry.continued[task.id])
    due = registry.due_dates[task.id]
    if not log:  # nothing recorded: the written status stands (a registry kept by hand)
        return TaskState(task.status, None, (), (), lead_parties(registry, task), due, due)
    if registry.trusted and registry.tasks_by_id.get(task.id) is task and _as_written(log, day, known_on):
        parts_open = () if task.done_on else lead_parties(registry, task)
        return TaskState(task.status, task.done_on, log, (), parts_open, due, due)
    seen = tuple(e for e in log if (day is None or e.on <= day) and (known_on is None or e.known_from <= known_on))
    walk = _Walk(registry, task)
    for entry in seen:
        walk.apply(entry)
    return walk.state(seen)


def due_on(
    registry: Registry, task: Task, day: dt.date | None, known_on: dt.date | None = None, unit: str | None = None
) -> dt.date | None:
    """The date ``task`` (or ``unit``'s part of it) is due on ``day``, as known on ``known_on``: its
    deadline, moved by the extensions granted by then. The one answer every listing, light, count
    and export uses."""
    if not extended(task):
        return registry.due(task)
    return replay(registry, task, day, known_on).due_for(unit)


def extended(task: Task) -> bool:
    """Whether the task's log holds any extension (its due date may then differ by day)."""
    return bool(task.progress) and any(e.kind in _EXTENDING for e in task.progress)


def first_conflict(registry: Registry, task: Task, log: tuple[ProgressEntry, ...]) -> tuple[int, str] | None:
    """The first entry of ``log`` that contradicts the entries before it, and why."""
    found = first_broken_rule(registry, task, log)
    return (found[0], found[2]) if found is not None else None


def first_broken_rule(registry: Registry, task: Task, log: tuple[ProgressEntry, ...]) -> tuple[int, str, str] | None:
    """The first entry of ``log`` that contradicts the entries before it, the rule it breaks
    (GK508, or GK511 for an answer to nothing pending) and why."""
    walk = _Walk(registry, task)
    for index, entry in enumerate(log):
        found = walk.conflict_rule(entry)
        if found is not None:
            return index, found[0], found[1]
        walk.apply(entry)
    return None


# the entries in which a unit reports (progress, completion, a claim, a request), as checkpoints count them
_REPORTING = frozenset(k for k, rule in ENTRY_KINDS.items() if rule.effect in ("none", "complete", "claim"))


def checkpoint_dates(registry: Registry, task: Task) -> tuple[dt.date, ...]:
    """The checkpoints of ``task`` that count (after the issue date, by its due date); none when it
    has none or they cannot be read (``gkcli check`` reports that, GK512)."""
    if task.checkpoints is None:
        return ()
    try:
        return counted(task.checkpoints, registry.plan.year, registry.plan.issued_on, registry.due(task))
    except DeadlineError:
        return ()


def checkpoints_on(registry: Registry, task: Task, state: TaskState, day: dt.date) -> CheckpointState | None:
    """Where ``task`` (in ``state``, replayed for ``day``) stands against its checkpoints on ``day``;
    None for a task without checkpoints, or no longer open."""
    if task.checkpoints is None or state.status in ("done", "carried_over"):
        return None
    dates = checkpoint_dates(registry, task)
    if not dates:
        return None
    reported: dict[str, list[dt.date]] = {}
    for entry in state.entries:
        if entry.kind not in _REPORTING:
            continue
        if entry.unit is None or speaks_for_whole(registry, task, entry.unit):
            reported.setdefault("", []).append(entry.on)
        else:
            for party in parties_of(registry, entry.unit):
                reported.setdefault(party, []).append(entry.on)
    return standing(dates, registry.plan.issued_on, day, state.parts_open, reported)
