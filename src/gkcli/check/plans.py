"""Links between the plans of a workspace (GK510): a task continues a task of an earlier plan
(``carried_from: 2022:36``); it never continues a task of its own plan, and links never go round
in a circle. Only a workspace knows each plan's id, so these rules run when ``gkcli check`` is
given several plans."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from gkcli.check.common import at
from gkcli.domain.records import Task, TasksFile
from gkcli.findings import Diagnostic, SourceMap

Node = tuple[str, int]  # a plan's id and a task's id


def bad_links(plans: Mapping[str, Iterable[Task]]) -> dict[Node, str]:
    """Each task whose ``carried_from`` names its own plan, or lies on a circle of links, with why."""
    links: dict[Node, Node] = {}
    for plan_id, tasks in plans.items():
        for task in tasks:
            if task.carried_from:
                other, _, number = task.carried_from.rpartition(":")
                links[(plan_id, task.id)] = (other, int(number))
    found: dict[Node, str] = {}
    for node, target in links.items():
        if target[0] == node[0]:
            found[node] = f"任务接续的是本要点自己的任务 {target[0]}:{target[1]}:接续关系只能指向另一份(上一年)的要点"
    for start in links:
        seen, current = [start], links[start]
        while current in links and current not in seen:
            seen.append(current)
            current = links[current]
        if current == start:  # back where it began: every task on the way is on the circle
            circle = " → ".join(f"{p}:{n}" for p, n in [*seen, start])
            for node in seen:
                found.setdefault(node, f"接续关系成环: {circle}")
    return found


def check_links(plan_id: str, bad: Mapping[Node, str], tasks: TasksFile | None, smap: SourceMap) -> list[Diagnostic]:
    """The GK510 findings of one plan's tasks.yaml."""
    if tasks is None:
        return []
    return [
        at(smap, ("tasks", index, "carried_from"), "GK510", bad[(plan_id, task.id)], task.id)
        for index, task in enumerate(tasks.tasks)
        if (plan_id, task.id) in bad
    ]
