"""Several plans at once: a workspace is the registries a command works over, each known by a
short id. ``--data`` given several times (``--data 2022=台账/2022 --data 2023=台账/2023``; an id
left out is the folder's name), or one folder whose subfolders are registries (each subfolder one
plan, its name the id); a single registry is a workspace of one plan. ``--plan ID`` narrows it.
Writes still go to exactly one registry's files."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from gkcli.errors import BadValue
from gkcli.store.files import shown
from gkcli.store.locate import TASKS_FILE, UNITS_FILE, RegistryFolder, locate
from gkcli.text import terminal_safe

MAX_PLANS = 1000


@dataclass(frozen=True)
class PlanFolder:
    id: str
    folder: RegistryFolder


def plan_folders(
    given: Sequence[str], env: Mapping[str, str] = os.environ, cwd: Path | None = None, wanted: Sequence[str] = ()
) -> list[PlanFolder]:
    """The plans ``--data`` names (none given: ``$GKCLI_DATA``, ``./data`` or the bundled one).
    ``wanted``: the ids ``--plan`` names; when each is a subfolder of a workspace folder, only those
    are looked at (a command on one plan of a large workspace lists nothing else)."""
    here = cwd or Path.cwd()
    if not given:
        folder = locate(None, env, here)
        return [PlanFolder(_id_of(folder.directory), folder)]
    readings = [_reading(text) for text in given]
    if len(readings) == 1 and readings[0][0] is None:
        path = readings[0][1]
        if path.is_dir() and not (path / TASKS_FILE).exists():
            named = [path / w for w in wanted if w and w not in (".", "..") and "/" not in w and os.sep not in w]
            if wanted and len(named) == len(wanted) and all((p / TASKS_FILE).is_file() for p in named):
                return _unique([PlanFolder(p.name, RegistryFolder(p, "option")) for p in named])
            return _subfolders(path)
    plans: list[PlanFolder] = []
    for name, path in readings:
        if name is not None:
            checked_id(name)
        folder = locate(path, env, here)
        plans.append(PlanFolder(name if name is not None else _id_of(folder.directory), folder))
    return _unique(plans)


def _reading(text: str) -> tuple[str | None, Path]:
    """What one ``--data`` means: a path, or ``NAME=DIR`` (a plan's id and its folder). A path that
    exists is that path; ``NAME=DIR`` needs DIR to exist, and when both readings name something
    (or neither does) the person has to say which: nothing is guessed."""
    name, sep, where = text.partition("=")
    whole = Path(text)
    if not sep:
        return None, whole
    as_named = Path(where)
    both = f"“{terminal_safe(text, one_line=True)}”可以读作文件夹 {shown(whole)},也可以读作要点 {terminal_safe(name, one_line=True)} 在 {shown(as_named)}"
    if os.path.lexists(whole) and where and os.path.lexists(as_named):
        raise BadValue(f"--data {both},两处都存在", hint="改名其中一处,或写成 ./路径 以表示路径本身")
    if os.path.lexists(whole):
        return None, whole
    if not where or not os.path.lexists(as_named):
        from gkcli.errors import RegistryNotFound

        raise RegistryNotFound(f"--data {both},两处都不存在", hint="请给出包含 tasks.yaml 和 units.yaml 的文件夹")
    return name, as_named


def _subfolders(path: Path) -> list[PlanFolder]:
    with os.scandir(path) as entries:  # an entry knows whether it is a folder without a stat of its own
        # a folder with either file is a plan: one missing the other (or whose file is no file) is
        # then said to be unreadable, never passed over as if it were not there
        found = sorted(
            (Path(e.path), e.is_symlink())
            for e in entries
            if e.is_dir() and any(os.path.lexists(os.path.join(e.path, f)) for f in (TASKS_FILE, UNITS_FILE))
        )
    if not found:
        from gkcli.errors import RegistryNotFound

        raise RegistryNotFound(
            f"{shown(path)} 中既没有 tasks.yaml,也没有含台账的子文件夹",
            hint="--data 给出台账文件夹,或每份要点一个子文件夹的工作区",
        )
    if len(found) > MAX_PLANS:
        raise BadValue(f"{shown(path)} 中有 {len(found)} 份台账,超过 {MAX_PLANS} 份")
    base = path.resolve()  # a subfolder that is no link is where it stands: resolved once, not 200 times
    real = [Path(os.path.realpath(p)) if link else base / p.name for p, link in found]
    return _unique([PlanFolder(p.name, RegistryFolder(p, "option")) for p, _ in found], real)


def _id_of(directory: Path) -> str:
    return directory.resolve().name or str(directory)


def checked_id(plan_id: str, where: str = "") -> str:
    """A plan's id as gkcli uses it in task references (``2023:12``), ``carried_from`` links, file
    names and sheet names: not empty, no colon, no white space, nothing a terminal or a file could
    take for something else (controls, escapes, invisible or bidi characters, noncharacters)."""
    from gkcli.text import BIDI, CONTROL, INVISIBLE, NONCHARACTER

    bad = (
        not plan_id
        or ":" in plan_id
        or any(c.isspace() for c in plan_id)
        or any(p.search(plan_id) for p in (CONTROL, INVISIBLE, BIDI, NONCHARACTER))
    )
    if bad:
        shown_id = terminal_safe(repr(plan_id), one_line=True)
        raise BadValue(
            f"要点的简称 {shown_id}{where} 不能用:简称不能为空,不能含冒号、空白或控制字符",
            hint="用 --data 简称=文件夹 另起一个简称,例如 --data 2023=台账/2023",
        )
    return plan_id


def _unique(plans: list[PlanFolder], real: Sequence[Path] | None = None) -> list[PlanFolder]:
    """The plans, each named once and in a folder of its own (``real``: their folders' real paths, when known)."""
    seen: dict[str, PlanFolder] = {}
    folders: dict[Path, str] = {}
    for index, plan in enumerate(plans):
        if len(plans) > 1:  # one plan alone is never named by its id: its folder's name may be anything
            checked_id(plan.id, f"(文件夹 {shown(plan.folder.directory)})")
        if plan.id in seen:
            raise BadValue(f"两份要点用了同一个简称 {plan.id}", hint="用 --data 简称=文件夹 分别命名")
        where = real[index] if real is not None else plan.folder.directory.resolve()
        if where in folders:
            raise BadValue(
                f"要点 {folders[where]} 和 {plan.id} 是同一个文件夹 {shown(plan.folder.directory)}",
                hint="一份要点在工作区中只能出现一次",
            )
        seen[plan.id] = plan
        folders[where] = plan.id
    return list(seen.values())


def chosen(plans: list[PlanFolder], ids: Sequence[str]) -> list[PlanFolder]:
    """The plans ``--plan`` names (all when none is named); an unknown id lists the known ones."""
    if not ids:
        return plans
    by_id = {plan.id: plan for plan in plans}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise BadValue(f"工作区中没有要点 {'、'.join(unknown)}", hint=f"现有: {'、'.join(by_id)}")
    return [by_id[i] for i in dict.fromkeys(ids)]
