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
from gkcli.store.locate import TASKS_FILE, RegistryFolder, locate

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
    if len(given) == 1 and "=" not in given[0]:
        path = Path(given[0])
        if path.is_dir() and not (path / TASKS_FILE).exists():
            named = [path / w for w in wanted if w and w not in (".", "..") and "/" not in w and os.sep not in w]
            if wanted and len(named) == len(wanted) and all((p / TASKS_FILE).is_file() for p in named):
                return _unique([PlanFolder(p.name, RegistryFolder(p, "option")) for p in named])
            return _subfolders(path)
    plans: list[PlanFolder] = []
    for text in given:
        name, sep, where = text.partition("=")
        path = Path(where if sep else text)
        folder = locate(path, env, here)
        plans.append(PlanFolder(name.strip() if sep else _id_of(folder.directory), folder))
    return _unique(plans)


def _subfolders(path: Path) -> list[PlanFolder]:
    with os.scandir(path) as entries:  # an entry knows whether it is a folder without a stat of its own
        found = sorted(Path(e.path) for e in entries if e.is_dir() and os.path.isfile(os.path.join(e.path, TASKS_FILE)))
    if not found:
        from gkcli.errors import RegistryNotFound

        raise RegistryNotFound(
            f"{shown(path)} 中既没有 tasks.yaml,也没有含台账的子文件夹",
            hint="--data 给出台账文件夹,或每份要点一个子文件夹的工作区",
        )
    if len(found) > MAX_PLANS:
        raise BadValue(f"{shown(path)} 中有 {len(found)} 份台账,超过 {MAX_PLANS} 份")
    return _unique([PlanFolder(p.name, RegistryFolder(p, "option")) for p in found])


def _id_of(directory: Path) -> str:
    return directory.resolve().name or str(directory)


def _unique(plans: list[PlanFolder]) -> list[PlanFolder]:
    seen: dict[str, PlanFolder] = {}
    for plan in plans:
        if not plan.id or ":" in plan.id:
            raise BadValue(f"要点的简称不能为空或含冒号: {plan.id!r}", hint="例如 --data 2023=台账/2023")
        if plan.id in seen:
            raise BadValue(f"两份要点用了同一个简称 {plan.id}", hint="用 --data 简称=文件夹 分别命名")
        seen[plan.id] = plan
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
