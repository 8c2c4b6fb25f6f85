"""Targeted edits of one task in the text of tasks.yaml.

Only the lines of the task being updated change: every other byte of the file
(comments, key order, quoting, blank lines, other tasks, line endings) is kept.
The edits are found from PyYAML's node marks, which give the exact span of
each key and value in the text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field

import yaml

from gkcli.domain.records import ProgressEntry, Task, yaml_key
from gkcli.errors import CannotEdit
from gkcli.store.yaml_reader import YAML_LOADER

_BLANK = " \t\r\n"


@dataclass
class TaskChange:
    """What to change in one task; None leaves a field as it is."""

    status: str | None = None
    done_on: dt.date | None = None
    drop_done_on: bool = False
    entries: list[ProgressEntry] = field(default_factory=list)  # in the order they are to stand
    # where each entry goes: before that entry of the log as it is; None (or none given): at the end
    positions: list[int | None] = field(default_factory=list)
    carried_from: str | None = None  # the task of an earlier plan this one continues (plan id:task id)


_INDICATORS = frozenset("?[]{},#&*!|>'\"%@`")


def scalar(value: str | dt.date) -> str:
    """A YAML scalar for ``value``: plain where that reads back unchanged in a block, a flow
    mapping and a flow sequence, else double-quoted."""
    if isinstance(value, dt.date):
        return value.isoformat()
    plain = value
    try:
        if (
            plain
            and plain == plain.strip()
            and "\n" not in plain
            and not _INDICATORS.intersection(plain)  # libyaml and PyYAML differ on some of these in flow
            and yaml.load(f"k: {plain}\n", Loader=YAML_LOADER) == {"k": plain}
            and yaml.load(f"- {{k: {plain}}}\n", Loader=YAML_LOADER) == [{"k": plain}]
            and yaml.load(f"[x, {plain}, y]\n", Loader=YAML_LOADER) == ["x", plain, "y"]
        ):
            return plain
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _after_line(text: str, index: int) -> int:
    """Index just after the line break that ends the line holding ``index``."""
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def _content_end(text: str, node: yaml.Node) -> int:
    """Index just after the last character that belongs to ``node``.

    A block collection's end mark lies at the next token, past any comments and
    blank lines that follow it, so the end is found from its last child instead.
    """
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style and node.value:
        last = node.value[-1]
        return _content_end(text, last[1] if isinstance(last, tuple) else last)
    end = node.end_mark.index
    start = node.start_mark.index
    while end > start and text[end - 1] in _BLANK:  # a block scalar's end includes its line breaks
        end -= 1
    return end


def _find_task(root: yaml.Node | None, task_id: int) -> yaml.MappingNode:
    if not isinstance(root, yaml.MappingNode):
        raise CannotEdit("tasks.yaml 的顶层不是映射")
    tasks = next((v for k, v in root.value if k.value == "tasks"), None)
    if not isinstance(tasks, yaml.SequenceNode):
        raise CannotEdit("tasks.yaml 中没有 tasks 列表")
    for node in tasks.value:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == "id" and isinstance(value, yaml.ScalarNode) and value.value == str(task_id):
                    if node.flow_style:
                        raise CannotEdit(
                            f"任务 {task_id} 写成了单行的流式映射 {{...}},无法安全修改",
                            hint="请改成每个字段一行的块格式",
                        )
                    return node
    raise CannotEdit(f"tasks.yaml 中找不到任务 {task_id}")


def edit_task(text: str, task_id: int, change: TaskChange) -> str:
    """``text`` with ``change`` applied to task ``task_id``; every other byte unchanged."""
    root = yaml.compose(text, Loader=YAML_LOADER)
    task = _find_task(root, task_id)
    nl = "\r\n" if "\r\n" in text else "\n"
    fields = {k.value: (k, v) for k, v in task.value}
    indent = " " * task.value[0][0].start_mark.column
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) on the original text
    task_end = _content_end(text, task)
    insert_at = _after_line(text, task_end)
    prefix = "" if text[insert_at - 1 : insert_at] == "\n" else nl  # the file may end without a line break
    appended: list[str] = []

    def replace_value(key: str, new: str) -> None:
        value = fields[key][1]
        if not isinstance(value, yaml.ScalarNode) or value.style in ("|", ">"):
            raise CannotEdit(f"任务 {task_id} 的 {key} 不是单行的值,无法安全修改")
        edits.append((value.start_mark.index, value.end_mark.index, new))

    if change.status is not None:
        if "status" in fields:
            replace_value("status", change.status)
        else:
            appended.append(f"{indent}status: {change.status}")
    if change.done_on is not None:
        if "done_on" in fields:
            replace_value("done_on", scalar(change.done_on))
        elif "status" in fields:
            after_status = _after_line(text, fields["status"][1].end_mark.index)
            line = f"{indent}done_on: {scalar(change.done_on)}{nl}"
            edits.append(
                (after_status, after_status, ("" if text[after_status - 1 : after_status] == "\n" else nl) + line)
            )
        else:
            appended.append(f"{indent}done_on: {scalar(change.done_on)}")
    if change.drop_done_on and "done_on" in fields:
        key, value = fields["done_on"]
        start = _line_start(text, key.start_mark.index)
        end = _after_line(text, value.end_mark.index)
        rest = text[value.end_mark.index : end].strip()
        if text[start : key.start_mark.index].strip() or (rest and not rest.startswith("#")):
            raise CannotEdit(f"任务 {task_id} 的 done_on 与其他内容同在一行,无法安全删除")
        edits.append((start, end, ""))
    if change.carried_from is not None:
        if "carried_from" in fields:
            replace_value("carried_from", scalar(change.carried_from))
        else:
            appended.append(f"{indent}carried_from: {scalar(change.carried_from)}")
    if change.entries and "progress" not in fields:
        edits.extend(_progress_edits(text, task_id, fields, indent, nl, change.entries, appended))
    elif change.entries:
        positions = change.positions or [None] * len(change.entries)
        for position in dict.fromkeys(positions):  # each place once, the entries for it in order
            group = [e for e, p in zip(change.entries, positions, strict=True) if p == position]
            edits.extend(_progress_edits(text, task_id, fields, indent, nl, group, appended, position))
    if appended:
        edits.append((insert_at, insert_at, prefix + nl.join(appended) + nl))

    # Apply in order of position (at one position, the edit added first ends up first), joining
    # the pieces once: the text may be tens of megabytes.
    pieces, at = [], 0
    for _, (start, end, new) in sorted(enumerate(edits), key=lambda e: (e[1][0], e[1][1], e[0])):
        pieces += [text[at:start], new]
        at = max(at, end)
    pieces.append(text[at:])
    return "".join(pieces)


def _entry_fields(entry: ProgressEntry) -> list[str]:
    """``key: value`` for every field the entry has, in the record's order (its YAML keys)."""
    values = ((yaml_key(ProgressEntry, f.name), getattr(entry, f.name)) for f in dataclasses.fields(entry))
    return [f"{key}: {scalar(value)}" for key, value in values if value is not None]


def _entry_lines(entry: ProgressEntry, dash: str, nl: str) -> str:
    inner = " " * len(dash)
    first, *rest = _entry_fields(entry)
    return nl.join([dash + first, *(inner + line for line in rest)])


def _flow_entry(entry: ProgressEntry) -> str:
    return "{" + ", ".join(_entry_fields(entry)) + "}"


def _progress_edits(
    text: str,
    task_id: int,
    fields: dict[str, tuple[yaml.Node, yaml.Node]],
    indent: str,
    nl: str,
    entries: list[ProgressEntry],
    appended: list[str],
    position: int | None = None,
) -> list[tuple[int, int, str]]:
    if "progress" not in fields:
        appended.append(f"{indent}progress:")
        appended.extend(_entry_lines(e, f"{indent}  - ", nl) for e in entries)
        return []
    value = fields["progress"][1]
    if not isinstance(value, yaml.SequenceNode):
        raise CannotEdit(f"任务 {task_id} 的 progress 不是列表,无法追加")
    before = value.value[position] if position is not None and position < len(value.value) else None
    if value.flow_style:
        items = ", ".join(_flow_entry(e) for e in entries)
        if before is not None:  # an earlier date: in front of the first later entry
            return [(before.start_mark.index, before.start_mark.index, items + ", ")]
        close = _content_end(text, value) - 1  # the "]"
        return [(close, close, (", " if value.value else "") + items)]
    dash = " " * value.start_mark.column + "- "
    if before is not None:
        at = _line_start(text, before.start_mark.index)
        if text[at : before.start_mark.index].strip() not in ("", "-"):
            raise CannotEdit(f"任务 {task_id} 的进展记录写法特殊,无法在中间插入", hint="请手工编辑 tasks.yaml")
        return [(at, at, nl.join(_entry_lines(e, dash, nl) for e in entries) + nl)]
    at = _after_line(text, _content_end(text, value))
    lead = "" if text[at - 1 : at] == "\n" else nl
    return [(at, at, lead + nl.join(_entry_lines(e, dash, nl) for e in entries) + nl)]


def append_tasks(text: str, tasks: list[Task]) -> str:
    """``text`` with ``tasks`` added after the last task of its block ``tasks:`` list, written the
    way that list is indented; every other byte unchanged."""
    root = yaml.compose(text, Loader=YAML_LOADER)
    if not isinstance(root, yaml.MappingNode):
        raise CannotEdit("tasks.yaml 的顶层不是映射")
    listed = next((v for k, v in root.value if k.value == "tasks"), None)
    if not isinstance(listed, yaml.SequenceNode) or listed.flow_style or not listed.value:
        raise CannotEdit("tasks.yaml 中没有逐行书写的 tasks 列表,无法追加任务", hint="请手工添加")
    last = listed.value[-1]
    line = _line_start(text, last.start_mark.index)
    dash = text.find("-", line, last.start_mark.index)
    indent = text[line:dash] if dash >= 0 else "x"
    if indent.strip(" "):
        raise CannotEdit("tasks.yaml 中最后一项任务的写法无法安全追加", hint="请手工添加")
    nl = "\r\n" if "\r\n" in text else "\n"
    at = _after_line(text, _content_end(text, last))
    block = "".join(_task_block(task, indent, nl) for task in tasks)
    prefix = "" if text[at - 1 : at] == "\n" else nl  # the file may end without a line break
    return text[:at] + prefix + block + text[at:]


def _task_block(task: Task, indent: str, nl: str) -> str:
    def names(values: tuple[str, ...]) -> str:
        return "[" + ", ".join(scalar(v) for v in values) + "]"

    fields = [
        f"id: {task.id}",
        f"section: {json.dumps(task.section)}",  # always quoted: 1.10 is not a number
        f"title: {scalar(task.title)}",
        f"lead: {names(task.lead)}",
        *([f"responsible: {names(task.responsible)}"] if task.responsible else []),
        f"deadline: {scalar(task.deadline)}",
        *([f"due: {scalar(task.fixed_due)}"] if task.fixed_due else []),
        *([f"checkpoints: {scalar(task.checkpoints)}"] if task.checkpoints else []),
        f"status: {task.status}",
        *([f"carried_from: {scalar(task.carried_from)}"] if task.carried_from else []),
        *([f"added_on: {scalar(task.added_on)}"] if task.added_on else []),
    ]
    return f"{indent}- " + f"{nl}{indent}  ".join(fields) + nl


def with_current_keys(text: str) -> tuple[str, int]:
    """``text`` with every progress entry's older date key ``on:`` written ``date:`` (the key alone:
    every other byte unchanged), and how many keys were renamed."""
    root = yaml.compose(text, Loader=YAML_LOADER)
    tasks = next((v for k, v in root.value if k.value == "tasks"), None) if isinstance(root, yaml.MappingNode) else None
    spans: list[tuple[int, int]] = []
    for task in tasks.value if isinstance(tasks, yaml.SequenceNode) else ():
        log = (
            next((v for k, v in task.value if k.value == "progress"), None)
            if isinstance(task, yaml.MappingNode)
            else None
        )
        for entry in log.value if isinstance(log, yaml.SequenceNode) else ():
            if isinstance(entry, yaml.MappingNode) and not any(k.value == "date" for k, _ in entry.value):
                spans += [(k.start_mark.index, k.end_mark.index) for k, _ in entry.value if k.value == "on"]
    pieces, at = [], 0
    for start, end in spans:
        pieces += [text[at:start], "date"]
        at = end
    pieces.append(text[at:])
    return "".join(pieces), len(spans)
