"""Task ids, parts and sections (GK2xx)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator

from gkcli.check.common import at
from gkcli.check.rules import matching
from gkcli.domain.records import TasksFile
from gkcli.findings import Diagnostic, SourceMap


def check_tasks(tasks: TasksFile, smap: SourceMap, dropped: Collection[str] = ()) -> Iterator[Diagnostic]:
    """Task ids, parts and sections. ``dropped`` names the lists that lost items to schema
    errors: what is absent from them (an id, a section, a task in a section) cannot be judged."""
    part_ids: dict[int, int] = {}
    section_ids: dict[str, int] = {}
    for p_index, part in enumerate(tasks.parts):
        if part.id in part_ids:
            yield at(smap, ("parts", p_index, "id"), "GK205", f"部分编号 {part.id} 重复")
        part_ids.setdefault(part.id, p_index)
        for s_index, section in enumerate(part.sections):
            path = ("parts", p_index, "sections", s_index, "id")
            if section.id in section_ids:
                yield at(smap, path, "GK205", f"小节编号 {section.id} 重复")
            section_ids.setdefault(section.id, s_index)
            if section.id.split(".")[0] != str(part.id):
                yield at(smap, path, "GK206", f"小节 {section.id} 不属于第 {part.id} 部分")

    seen: dict[int, int] = {}
    used_sections: set[str] = set()
    for index, task in enumerate(tasks.tasks):
        if task.id in seen:
            first_line = smap.position(("tasks", seen[task.id], "id"))[0]
            yield at(
                smap,
                ("tasks", index, "id"),
                "GK201",
                f"任务序号 {task.id} 重复(第 {first_line} 行已有)",
                task.id,
            )
        seen.setdefault(task.id, index)
        used_sections.add(task.section)
        if task.section not in section_ids and "parts" not in dropped:
            yield at(
                smap,
                ("tasks", index, "section"),
                "GK203",
                f"任务 {task.id} 的小节 {task.section} 不存在",
                task.id,
            )
    missing, shown = missing_ids(seen) if "tasks" not in dropped else (0, [])
    if missing:
        listed = "、".join(map(str, shown)) + ("……" if missing > len(shown) else "")
        yield at(smap, ("tasks",), "GK202", f"任务序号不连续,缺少 {missing} 个: {listed}")
    for p_index, part in enumerate(tasks.parts):
        for s_index, section in enumerate(part.sections):
            if section.id not in used_sections and "tasks" not in dropped:
                yield at(
                    smap,
                    ("parts", p_index, "sections", s_index, "id"),
                    "GK204",
                    f"小节 {section.id} 没有任务",
                )


def missing_ids(ids: Iterable[int], show: int = 10) -> tuple[int, list[int]]:
    """How many ids from 1 to the largest are missing, and the first ``show`` of them;
    the work grows with the number of ids, not with their size."""
    missing, previous = 0, 0
    shown: list[int] = []
    for current in sorted(set(ids)):
        gap = current - previous - 1
        if gap > 0:
            shown += range(previous + 1, min(current, previous + 1 + show - len(shown)))
            missing += gap
        previous = current
    return missing, shown


def check_settings(tasks: TasksFile, smap: SourceMap) -> Iterator[Diagnostic]:
    """Every rule code in the registry's ``check:`` block names a rule."""
    if tasks.check is None:
        return
    for key in ("select", "ignore"):
        for index, code in enumerate(getattr(tasks.check, key)):
            try:
                matching([code])
            except ValueError:
                yield at(
                    smap, ("check", key, index), "GK113", f"没有规则 {code}:请写 GK301 这样的规则号或 GK3 这样的前缀"
                )
