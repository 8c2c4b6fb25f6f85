"""Reading the task table, here from a PDF's text layer (tests/fixtures/plan_2022_source.txt, the text
extracted from the published PDF): the rows the PDF did not damage come out as the shipped
registry has them, and each damaged one is flagged, never silently different."""

from __future__ import annotations

import pytest

from gkcli.domain.deadlines import due_date
from gkcli.domain.registry import Registry
from gkcli.importing import table as text_layer
from gkcli.importing.cleaning import cell_text
from gkcli.importing.sources import rows_of

from .conftest import FIXTURES

SOURCE = (FIXTURES / "plan_2022_source.txt").read_text(encoding="utf-8")
DAMAGED = {4, 9, 10, 11, 12, 38}  # the cells reconstructed by hand, see provenance in data/tasks.yaml


def _read(registry: Registry, text: str = SOURCE) -> text_layer.TableText:
    return text_layer.read(
        rows_of(text.encode("utf-8"), "要点.txt")[0],
        is_unit=lambda name: registry.directory.find(name) is not None,
        is_deadline=lambda phrase: due_date(phrase, registry.plan.year) is not None,
    )


def test_every_task_row_is_read_in_order(registry: Registry) -> None:
    table = _read(registry)
    assert [row.number for row in table.rows] == list(range(1, 47))


def test_undamaged_rows_equal_the_shipped_registry(registry: Registry) -> None:
    shipped = {task.id: task for task in registry.tasks}
    undamaged = [row for row in _read(registry).rows if row.number not in DAMAGED]
    assert len(undamaged) == 40
    for row in undamaged:
        task = shipped[row.number]
        got = (row.section, row.title, row.lead, row.responsible, row.deadline)
        assert got == (task.section, task.title, list(task.lead), list(task.responsible), task.deadline), row.number


def test_exactly_the_damaged_rows_are_flagged(registry: Registry) -> None:
    table = _read(registry)
    assert {row.number for row in table.rows if row.doubtful} == DAMAGED
    flagged = {d.what.split(" ")[1] for d in table.doubts if d.what.startswith("任务 ")}
    assert flagged == {str(n) for n in DAMAGED}
    task_38 = [d for d in table.doubts if d.what.startswith("任务 38 ")]
    assert {d.what for d in task_38} == {"任务 38 的牵头单位", "任务 38 的完成时限"}
    assert all(d.line == 138 for d in task_38)  # the line of the source where row 38 is


def test_parts_and_sections(registry: Registry) -> None:
    table = _read(registry)
    assert [[s.id for s in p.sections] for p in table.parts] == [[s.id for s in p.sections] for p in registry.parts]
    for got, part in zip(table.parts, registry.parts, strict=True):
        assert [s.title for s in got.sections] == [s.title for s in part.sections]
    titles = [p.title for p in table.parts]
    shipped = [p.attachment_title or p.title for p in registry.parts]
    # Parts 3 and 4 carry a stray "]" from the PDF ("围]绕"): kept as read, and flagged.
    assert titles[:2] == shipped[:2] and titles[2:] != shipped[2:]
    assert {d.what for d in table.doubts if "部分" in d.what} == {"第 3 部分的标题", "第 4 部分的标题"}
    assert any(d.what == "小节 1.1 的标题" for d in table.doubts)  # split over two cells in the PDF


def test_the_member_list_of_attachment_2(registry: Registry) -> None:
    members = _read(registry).members
    [group] = [g for g in registry.directory.groups if g.name == "县属有关单位"]
    assert list(members) == ["县属有关单位"] and members["县属有关单位"] == list(group.members or [])
    assert len(members["县属有关单位"]) == 31


def test_lines_that_are_not_rows_are_pointed_out(registry: Registry) -> None:
    text = "序号\t重点工作\t牵头单位\t责任单位\t完成时限\n一、总体\n(一)\t小节\n1\t做好工作。\t县财政局\t\t全年\n这是什么\n"
    table = _read(registry, text)
    assert [(r.number, r.section, r.lead, r.deadline) for r in table.rows] == [(1, "1.1", ["县财政局"], "全年")]
    assert [(d.line, d.what) for d in table.doubts] == [(5, "这一行")]


def test_a_text_without_the_table_header_says_so(registry: Registry) -> None:
    table = _read(registry, "一、总体\n1\t做好工作。\t县财政局\t\t全年\n")
    assert table.rows == [] and [d.what for d in table.doubts] == ["任务表"]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("建设项目 审批问题", "建设项目审批问题"),  # a line-wrap space inside a word
        ("⼯作", "工作"),  # a Kangxi radical (NFKC)
        ("⼈⺠群众", "人民群众"),  # Kangxi radical and a CJK radicals supplement character (table)
        ("《2022 年嵊泗县》", "《2022年嵊泗县》"),
        ("1+N", "1+N"),
        ("Open Data 平台", "Open Data平台"),  # spaces between Latin words stay
        ("做好,公开", "做好,公开"),  # full-width punctuation as printed
    ],
)
def test_cell_text(raw: str, clean: str) -> None:
    assert cell_text(raw) == clean
