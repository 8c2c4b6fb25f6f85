"""Updates touch only the lines of their task, whatever valid formatting the file uses."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gkcli.core.updates import add_progress, mark_done, reopen
from gkcli.domain.records import ProgressEntry
from gkcli.errors import CannotEdit
from gkcli.store.load import load_registry
from gkcli.store.locate import RegistryFolder
from gkcli.store.yaml_edit import TaskChange, edit_task, scalar

from .conftest import DATA

ORIGINAL = (DATA / "tasks.yaml").read_text(encoding="utf-8")
UNITS = (DATA / "units.yaml").read_bytes()
TODAY = dt.date(2022, 12, 20)


def _restyle(lines: list[str], draw: st.DrawFn) -> list[str]:
    """Odd but valid formatting: comments, blank lines, other quoting, existing progress and done_on."""
    out: list[str] = []
    logged = False  # the task being read got a progress entry: its status is then in_progress
    for line in lines:
        stripped = line.strip()
        key = stripped.split(":", 1)[0]
        if key == "status" and logged:
            line, stripped, logged = (
                line.replace("not_started", "in_progress"),
                stripped.replace("not_started", "in_progress"),
                False,
            )
        if key == "status" and draw(st.booleans()):
            style = draw(st.sampled_from(["'{}'", '"{}"', "{}"]))
            line = line.replace(stripped, "status: " + style.format(stripped.split(": ", 1)[1]))
        if key == "title" and draw(st.integers(0, 3)) == 0:
            line = line.replace(stripped, "title: " + json.dumps(stripped.split(": ", 1)[1], ensure_ascii=False))
        if stripped and not stripped.startswith("#") and draw(st.integers(0, 6)) == 0:
            line += "  # 备注"
        out.append(line)
        if key == "responsible" and draw(st.integers(0, 4)) == 0:
            indent = line[: len(line) - len(line.lstrip())]
            style = draw(st.sampled_from(["block", "flow", "empty"]))
            if style == "block":
                out += [f"{indent}progress:", f"{indent}  - on: 2022-08-01", f"{indent}    note: 旧记录"]
                logged = True
            elif style == "flow":
                out.append(f"{indent}progress: [{{on: 2022-08-01, note: 旧记录}}]")
                logged = True
            else:
                out.append(f"{indent}progress: []")
        if draw(st.integers(0, 8)) == 0:
            out.append(draw(st.sampled_from(["", "# 注释", "    # 缩进的注释", "  "])))
    return out


@st.composite
def styled_registry(draw: st.DrawFn) -> str:
    lines = _restyle(ORIGINAL.splitlines(), draw)
    if draw(st.booleans()):  # "compact" sequences: "- id:" at the key's own indentation
        at = next(i for i, line in enumerate(lines) if line.startswith("tasks:"))
        lines = lines[: at + 1] + [line[2:] if line.startswith("  ") else line for line in lines[at + 1 :]]
    text = "\n".join(lines) + ("\n" if draw(st.booleans()) else "")
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text


def _span(text: str, task_id: int) -> tuple[int, int]:
    """Start of the task's first line and end of its last content line, in ``text``."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    tasks = next(v for k, v in root.value if k.value == "tasks")
    node = next(n for n in tasks.value if any(k.value == "id" and v.value == str(task_id) for k, v in n.value))
    start = text.rfind("\n", 0, node.start_mark.index) + 1
    last = node.value[-1][1]
    while isinstance(last, yaml.SequenceNode | yaml.MappingNode) and not last.flow_style and last.value:
        last = last.value[-1][1] if isinstance(last, yaml.MappingNode) else last.value[-1]
    end = last.end_mark.index
    while text[end - 1] in " \r\n":
        end -= 1
    newline = text.find("\n", end)
    return start, len(text) if newline < 0 else newline + 1


@pytest.mark.slow
@settings(
    max_examples=int(os.environ.get("GKCLI_FUZZ_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(text=styled_registry(), task_id=st.integers(1, 46), op=st.sampled_from(["done", "progress", "both", "reopen"]))
def test_updates_touch_only_their_task(text: str, task_id: int, op: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "tasks.yaml")
        path.write_bytes(text.encode("utf-8"))
        Path(folder, "units.yaml").write_bytes(UNITS)
        source = RegistryFolder(Path(folder), "option")
        if op in ("done", "both", "reopen"):
            mark_done(source, task_id, as_of=TODAY, note="完成: 见报告")
        if op in ("progress", "both"):
            add_progress(source, task_id, as_of=TODAY, note="no")
        if op == "reopen":
            reopen(source, task_id, as_of=TODAY, note="复查")
        after = path.read_bytes().decode("utf-8")
        start, end = _span(text, task_id)
        assert after[:start] == text[:start]
        assert after.endswith(text[end:])
        task = load_registry(source).tasks_by_id[task_id]
        expected_status = {"done": "done", "both": "done", "progress": "in_progress", "reopen": "in_progress"}[op]
        assert task.status == expected_status
        assert task.progress[-1].note == {"done": "完成: 见报告", "both": "no", "progress": "no", "reopen": "复查"}[op]


def test_scalars_read_back_as_written() -> None:
    for value in ["已完成", "no", "010", "1:30", "a: b", "#x", "- y", "[z]", "'q'", '"q"', "~", "2022-01-01", "x\ny"]:
        assert yaml.safe_load(f"k: {scalar(value)}") == {"k": value}
        assert yaml.safe_load(f"- {{k: {scalar(value)}}}") == [{"k": value}]
    assert scalar(dt.date(2022, 7, 1)) == "2022-07-01"
    assert scalar("已完成") == "已完成"


def test_a_flow_style_task_is_refused() -> None:
    text = "tasks:\n  - {id: 1, status: not_started}\n"
    with pytest.raises(CannotEdit, match="流式"):
        edit_task(text, 1, TaskChange(status="done"))


def test_appending_to_a_flow_list() -> None:
    text = "tasks:\n  - id: 1\n    progress: [{on: 2022-08-01, note: a}]  # 注\n"
    out = edit_task(text, 1, TaskChange(entries=[ProgressEntry(dt.date(2022, 8, 2), "b")]))
    assert (  # the older key stays as it was; the new entry is dated under date:
        out
        == "tasks:\n  - id: 1\n    progress: [{on: 2022-08-01, note: a}, {date: 2022-08-02, note: b, kind: progress}]  # 注\n"
    )
