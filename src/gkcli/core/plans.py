"""Two plans side by side: which tasks of one continue in the other (most recur, "持续推进"), which
are new and which were dropped, and which tasks of a year were still open at its end (carry-over).

Two tasks are the same work when their titles are alike (difflib's ratio of the titles without
punctuation and white space) and, as a tie-breaker, when they share a lead unit; each task is
paired at most once, best pairs first. A pairing is a suggestion for a person to confirm.

The work is bounded, whatever the plans: titles are first indexed by their pairs of adjacent
characters (leaving out the pairs so common that they tell titles apart no better than chance),
and only the CANDIDATES titles sharing the most of them are compared character by character, each
over its first COMPARED_CHARS characters. A comparison these limits cut short says so
(:attr:`Comparison.cut`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from dataclasses import dataclass

from gkcli.domain.records import CLOSED_STATUSES, Task
from gkcli.domain.registry import Registry
from gkcli.domain.timeline import replay
from gkcli.errors import BadValue

ALIKE = 0.55  # titles at least this alike (0–1) are the same work continued
CANDIDATES = 24  # titles of the other plan compared with each title: those sharing the most character pairs
COMPARED_CHARS = 400  # a title is compared over this many characters at most
COMMON_SHARE = 0.2  # a character pair in more than this share of titles (and in 20 or more) is passed over
RUNNING = 0.2  # the least share of telling pairs (Dice's coefficient) for a title to be compared at all
CLOSE = 0.4  # a title sharing this much may be the same work: left out by CANDIDATES, the cut is said
_NOISE = re.compile(r"[\s,,。.、;;::“”\"'()()《》]")


@dataclass(frozen=True)
class Pair:
    old: Task
    new: Task
    likeness: float  # 0–1
    by_hand: bool = False  # paired by the person (--pair), not suggested


@dataclass(frozen=True)
class Comparison:
    pairs: list[Pair]  # tasks of the first plan continued in the second
    dropped: list[Task]  # of the first plan, not in the second
    added: list[Task]  # of the second plan, not in the first
    cut: tuple[str, ...] = ()  # how the limits shortened the comparison, in words (none: nothing was cut)

    @property
    def recurring_share(self) -> float:
        """The share of the first plan's tasks that recur in the second (0–1)."""
        total = len(self.pairs) + len(self.dropped)
        return len(self.pairs) / total if total else 0.0


def compare(old: Registry, new: Registry, tasks: list[Task] | None = None) -> Comparison:
    """Which of ``old``'s tasks (or just ``tasks`` of them) continue in ``new``."""
    mine = old.tasks if tasks is None else tasks
    theirs = new.tasks
    texts_a = [_NOISE.sub("", t.title)[:COMPARED_CHARS] for t in mine]
    texts_b = [_NOISE.sub("", t.title)[:COMPARED_CHARS] for t in theirs]
    index = _PairIndex(texts_b)
    scored: list[tuple[float, int, int]] = []
    crowded = 0
    for i, (a, text) in enumerate(zip(mine, texts_a, strict=True)):
        candidates, more = index.nearest(text, CANDIDATES)
        crowded += more
        matcher = difflib.SequenceMatcher(None, "", text, autojunk=False)  # the second sequence is the one kept
        for j in candidates:
            if texts_b[j] == text:
                likeness = 1.0
            else:
                matcher.set_seq1(texts_b[j])
                if matcher.real_quick_ratio() < ALIKE or matcher.quick_ratio() < ALIKE:
                    continue
                likeness = matcher.ratio()
            if likeness >= ALIKE:
                shared = not set(a.lead).isdisjoint(theirs[j].lead)
                scored.append((likeness + (0.001 if shared else 0.0), i, j))
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    pairs: list[Pair] = []
    for likeness, i, j in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if i not in taken_old and j not in taken_new:
            taken_old.add(i)
            taken_new.add(j)
            pairs.append(Pair(mine[i], theirs[j], round(min(likeness, 1.0), 2)))
    pairs.sort(key=lambda p: p.old.id)
    dropped = [t for i, t in enumerate(mine) if i not in taken_old]
    added = [t for j, t in enumerate(theirs) if j not in taken_new]
    return Comparison(pairs, dropped, added, _cut_said(mine, theirs, crowded))


def _cut_said(mine: list[Task], theirs: list[Task], crowded: int) -> tuple[str, ...]:
    said = []
    if crowded:
        said.append(
            f"{crowded} 项任务在另一份要点中有超过 {CANDIDATES} 项字词相近的任务,各只逐字比较了最相近的 "
            f"{CANDIDATES} 项(其余的也可能是同一项工作,请核对)"
        )
    long = sum(1 for t in [*mine, *theirs] if len(_NOISE.sub("", t.title)) > COMPARED_CHARS)
    if long:
        said.append(f"{long} 项任务的标题超过 {COMPARED_CHARS} 字,只比较了前 {COMPARED_CHARS} 字")
    return tuple(said)


class _PairIndex:
    """The titles of one plan by the pairs of adjacent characters they hold, for finding, for a
    title of the other plan, the few titles worth comparing with it."""

    def __init__(self, texts: list[str]) -> None:
        grams_of = [_pairs(text) for text in texts]
        postings: dict[str, list[int]] = {}
        for n, grams in enumerate(grams_of):
            for gram in grams:
                postings.setdefault(gram, []).append(n)
        limit = max(20, int(COMMON_SHARE * len(texts)))
        self.common = {gram for gram, found in postings.items() if len(found) > limit}
        self.postings = {gram: found for gram, found in postings.items() if gram not in self.common}
        self.sizes = [len(grams - self.common) for grams in grams_of]  # what counts is what tells titles apart
        self.same: dict[str, list[int]] = {}  # titles written alike, found even when no pair of them tells
        self.asked: dict[str, int] = {}
        for n, text in enumerate(texts):
            self.same.setdefault(text, []).append(n)

    def nearest(self, text: str, most: int) -> tuple[list[int], bool]:
        """The titles sharing the most telling pairs with ``text`` (by Dice's coefficient over the
        telling pairs), at most ``most`` of them, and whether a title left out shares enough that it
        may have been the same work (CLOSE)."""
        grams = _pairs(text) - self.common
        shared: dict[int, int] = {}
        for gram in grams:
            for n in self.postings.get(gram, ()):
                shared[n] = shared.get(n, 0) + 1
        size = len(grams)
        running = [(2 * count / (size + self.sizes[n]), n) for n, count in shared.items()]
        running = [(score, n) for score, n in running if score >= RUNNING]
        running.sort(key=lambda pair: (-pair[0], pair[1]))
        same = self.same.get(text, [])
        if len(same) > most:  # many titles written alike: each asking title starts further along them
            turn = self.asked[text] = self.asked.get(text, -1) + 1
            same = same[turn % len(same) :] + same[: turn % len(same)]
        chosen = list(dict.fromkeys([*same, *(n for _, n in running)]))
        crowded = len(same) > most or (len(chosen) > most and len(running) > most and running[most][0] >= CLOSE)
        return chosen[:most], crowded


def _pairs(text: str) -> set[str]:
    return {text[n : n + 2] for n in range(len(text) - 1)} or ({text} if text else set())


def confirmed(found: Comparison, skip: set[int], chosen: dict[int, int], new: Registry) -> Comparison:
    """The suggested pairs as a person corrected them: none for the old tasks in ``skip``, and
    ``chosen`` (old id → new id) in place of what was suggested for either task. Every id must be
    one of the compared tasks, and a new task can continue one old task only."""
    mine = {t.id: t for t in [*(p.old for p in found.pairs), *found.dropped]}
    theirs = {t.id: t for t in new.tasks}
    unknown = sorted((skip | set(chosen)) - set(mine))
    if unknown:
        raise BadValue(
            f"任务 {'、'.join(map(str, unknown))} 不在要结转的任务中(上一年到年底仍未完成的任务)",
            hint="先不加 --skip/--pair 运行一次,看列出的序号",
        )
    missing = sorted(set(chosen.values()) - set(theirs))
    if missing:
        raise BadValue(f"新要点中没有任务 {'、'.join(map(str, missing))}")
    both = sorted(skip & set(chosen))
    if both:
        raise BadValue(f"任务 {'、'.join(map(str, both))} 既写了 --skip 又写了 --pair", hint="二者选一")
    twice = sorted({n for n in chosen.values() if list(chosen.values()).count(n) > 1})
    if twice:
        raise BadValue(f"新要点的任务 {'、'.join(map(str, twice))} 配了不止一项上年任务", hint="每项新任务只接续一项")
    targets = set(chosen.values())
    kept = [p for p in found.pairs if p.old.id not in skip | set(chosen) and p.new.id not in targets]
    for old_id, new_id in chosen.items():
        a, b = mine[old_id], theirs[new_id]
        kept.append(Pair(a, b, _likeness(_NOISE.sub("", a.title), b.title), by_hand=True))
    kept.sort(key=lambda p: p.old.id)
    paired_old, paired_new = {p.old.id for p in kept}, {p.new.id for p in kept}
    dropped = [t for t in mine.values() if t.id not in paired_old]
    dropped.sort(key=lambda t: t.id)
    return Comparison(kept, dropped, [t for t in new.tasks if t.id not in paired_new], found.cut)


def still_open(registry: Registry, known_on: dt.date | None = None) -> list[Task]:
    """The tasks of a plan not done at the end of its year (as known on ``known_on``)."""
    end = dt.date(registry.plan.year, 12, 31)
    return [t for t in registry.tasks if replay(registry, t, end, known_on).status not in CLOSED_STATUSES]


@dataclass(frozen=True)
class Counterpart:
    """A task of another plan that does the same work: a county's part of a city task, or the same
    task of another year."""

    plan: str
    task: Task
    likeness: float  # 0–1
    linked: bool  # carried_from links the two (recorded by carryover --write)


def counterparts(plan: str, task: Task, others: list[tuple[str, Registry]]) -> list[Counterpart]:
    """In each of ``others``, the task linked to ``task`` by ``carried_from``, else the one most
    alike it (titles at least ALIKE alike, as :func:`compare` pairs them), if any."""
    ref = f"{plan}:{task.id}"
    text = _NOISE.sub("", task.title)
    found: list[Counterpart] = []
    for other_id, registry in others:
        linked = [t for t in registry.tasks if t.carried_from == ref or task.carried_from == f"{other_id}:{t.id}"]
        if linked:
            found += [Counterpart(other_id, t, _likeness(text, t.title), True) for t in linked]
            continue
        matcher = difflib.SequenceMatcher(None, "", text, autojunk=False)
        best: tuple[float, Task] | None = None
        for candidate in registry.tasks:
            matcher.set_seq1(_NOISE.sub("", candidate.title))
            if matcher.real_quick_ratio() < ALIKE or matcher.quick_ratio() < ALIKE:
                continue
            likeness = matcher.ratio()
            if likeness >= ALIKE and (best is None or likeness > best[0]):
                best = (likeness, candidate)
        if best is not None:
            found.append(Counterpart(other_id, best[1], round(best[0], 2), False))
    return found


def _likeness(text: str, title: str) -> float:
    return round(difflib.SequenceMatcher(None, text, _NOISE.sub("", title), autojunk=False).ratio(), 2)


@dataclass(frozen=True)
class Carryover:
    """What carrying a year's open tasks into the next plan would write: the open tasks, each paired
    with the task continuing it (as suggested and corrected), the ones with none, and those to add
    as new tasks (each with its ``carried_from``)."""

    open_tasks: list[Task]
    found: Comparison
    carried: list[Task]  # to add to the new plan, as new tasks
    first: str  # the earlier plan's id

    @property
    def links(self) -> dict[int, str]:
        """Each continuing task of the new plan and the task it continues (``plan:id``)."""
        return {p.new.id: f"{self.first}:{p.old.id}" for p in self.found.pairs}


def carryover(
    old: Registry, new: Registry, first: str, *, known_on: dt.date | None = None, skip: set[int] | None = None,
    chosen: dict[int, int] | None = None, add: set[int] | None = None, into: str | None = None,
) -> Carryover:  # fmt: skip
    """``old``'s tasks open at its year's end paired with ``new``'s, as the person corrects the
    suggestions (``skip``, ``chosen``), pairs written before standing unless corrected, and the
    tasks ``add`` names to be carried as new tasks of the section ``into``."""
    open_tasks = still_open(old, known_on)
    skipped, chosen = skip or set(), dict(chosen or {})
    open_ids = {t.id for t in open_tasks}
    recorded = {  # pairs written by an earlier --write stand, unless corrected now
        int(t.carried_from.rpartition(":")[2]): t.id
        for t in new.tasks
        if t.carried_from and t.carried_from.rpartition(":")[0] == first
    }
    standing = {o: n for o, n in recorded.items() if o in open_ids and o not in skipped and n not in chosen.values()}
    found = confirmed(compare(old, new, open_tasks), skipped, {**standing, **chosen}, new)
    return Carryover(open_tasks, found, _to_add(found, add or set(), into, first, new), first)


def _to_add(found: Comparison, add: set[int], into: str | None, first: str, new: Registry) -> list[Task]:
    """The tasks ``add`` names, each marked as carried from the first plan; refused unless each is one
    without a continuing task and ``into`` says where they go."""
    if not add:
        if into is not None:
            raise BadValue("--into 只与 --add 一起使用", hint="例如 --add 44 --into 1.1")
        return []
    if into is None:
        raise BadValue("--add 需要 --into 指明放入新要点的哪个小节", hint="例如 --add 44 --into 1.1")
    if into not in new.sections:
        raise BadValue(f"{new.plan.title}中没有小节 {into}", hint=f"现有小节: {'、'.join(new.sections)}")
    free = {t.id: t for t in found.dropped}
    done = {p.old.id for p in found.pairs if p.new.carried_from == f"{first}:{p.old.id}"}  # carried before
    wrong = sorted(add - set(free) - done)
    if wrong:
        raise BadValue(
            f"任务 {'、'.join(map(str, wrong))} 不是没有接续任务的上年任务,不能作为新任务结转",
            hint="--add 只用于“没有相近任务的”一栏中的序号",
        )
    return [dataclasses.replace(free[n], carried_from=f"{first}:{n}") for n in sorted(add - done)]
