"""The shipped registry against the source document (tests/fixtures/plan_2022_source.txt)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from gkcli.domain.registry import Registry

FIXTURES = Path(__file__).resolve().parent / "fixtures"

RECONSTRUCTED = {4, 9, 10, 11, 12, 38}


def _source_rows() -> dict[int, list[str]]:
    text = (FIXTURES / "plan_2022_source.txt").read_text(encoding="utf-8")
    table = text[text.index("2022 年度嵊泗县政务公开工作任务清单\n") :]
    rows: dict[int, list[str]] = {}
    for line in table.splitlines():
        cells = line.split("\t")
        if cells[0].strip().isdigit():
            rows[int(cells[0])] = [re.sub(r"\s+", "", c) for c in cells] + ["", "", "", ""]
    return rows


SOURCE = _source_rows()


def _units(cell: str) -> list[str]:
    return [name for name in cell.split("、") if name]


def test_the_plan_header(registry: Registry) -> None:
    plan = registry.plan
    assert plan.title == "2022年嵊泗县政务公开工作要点"
    assert plan.document_number == "嵊政办发〔2022〕36号"
    assert plan.issuer == "嵊泗县人民政府办公室"
    assert plan.issued_on == dt.date(2022, 7, 12)
    assert plan.year == 2022


def test_four_parts_and_fifteen_sections(registry: Registry) -> None:
    assert [p.id for p in registry.parts] == [1, 2, 3, 4]
    assert [len(p.sections) for p in registry.parts] == [4, 4, 4, 3]
    assert len(registry.sections) == 15
    text = (FIXTURES / "plan_2022_source.txt").read_text(encoding="utf-8")
    for _, section in registry.sections.values():
        assert section.title in text.replace(" ", ""), section.id


def test_part_titles_keep_the_body_wording_and_note_the_attachment(registry: Registry) -> None:
    text = (FIXTURES / "plan_2022_source.txt").read_text(encoding="utf-8")
    body, attachment = text.split("附件 1", 1)
    for part in registry.parts:
        assert part.title in body
        if part.attachment_title:
            assert part.attachment_title.replace(" ", "") in attachment.replace("]", "").replace(" ", "")
            assert part.attachment_title != part.title


def test_all_46_tasks_in_order(registry: Registry) -> None:
    assert [t.id for t in registry.tasks] == list(range(1, 47))
    assert set(SOURCE) == set(range(1, 47))


@pytest.mark.parametrize("task_id", range(1, 47))
def test_titles_are_the_source_text_without_pdf_spaces(registry: Registry, task_id: int) -> None:
    task = registry.tasks_by_id[task_id]
    assert task.title == SOURCE[task_id][1]
    assert " " not in task.title


@pytest.mark.parametrize("task_id", sorted(set(range(1, 47)) - RECONSTRUCTED))
def test_clean_cells_are_copied_as_printed(registry: Registry, task_id: int) -> None:
    task = registry.tasks_by_id[task_id]
    row = SOURCE[task_id]
    assert list(task.lead) == _units(row[2])
    assert list(task.responsible) == _units(row[3])
    assert task.deadline == row[4]
    assert task.provenance is None


@pytest.mark.parametrize("task_id", sorted(RECONSTRUCTED))
def test_reconstructed_cells_record_their_provenance(registry: Registry, task_id: int) -> None:
    task = registry.tasks_by_id[task_id]
    assert task.provenance
    assert "另一种读法" in task.provenance
    # the provenance quotes what the damaged source cells show
    row = SOURCE[task_id]
    for cell in (row[2], row[3]):
        for fragment in _units(cell):
            assert fragment in task.provenance.replace(" ", "")


def test_reconstructed_units_come_from_the_fragments(registry: Registry) -> None:
    expected = {
        4: ["县发展和改革局", "县住房和城乡建设局"],
        9: ["县住房和城乡建设局", "县交通运输局", "县卫生健康局", "市生态环境局嵊泗分局", "国网县供电公司"],
        10: [
            "县经济和信息化局",
            "县财政局",
            "县人力资源和社会保障局",
            "县住房和城乡建设局",
            "县交通运输局",
            "县文广旅体局",
            "县市场监督管理局",
            "人行县支行",
        ],
        11: ["县疫情防控办", "县委宣传部", "县卫生健康局"],
        12: ["县疫情防控办", "县委宣传部", "县卫生健康局"],
        38: ["县财政局", "县农业农村局", "县海洋与渔业局", "各乡镇人民政府"],
    }
    for task_id, lead in expected.items():
        task = registry.tasks_by_id[task_id]
        assert list(task.lead) == lead, task_id
        assert task.responsible == (), task_id  # a list running across both columns is one merged lead cell
        assert all(registry.directory.find(name) for name in lead)


def test_task_38_deadline_comes_from_its_own_text(registry: Registry) -> None:
    task = registry.tasks_by_id[38]
    assert SOURCE[38][4] == ""
    assert task.deadline == "2022年底前"
    assert "在2022年底前" in task.title
    assert registry.due(task) == dt.date(2022, 12, 31)


def test_every_task_starts_not_started(registry: Registry) -> None:
    assert {t.status for t in registry.tasks} == {"not_started"}


def test_due_dates(registry: Registry) -> None:
    by_deadline = {t.deadline: registry.due(t) for t in registry.tasks}
    assert by_deadline == {
        "全年": dt.date(2022, 12, 31),
        "12月底前": dt.date(2022, 12, 31),
        "三季度前": dt.date(2022, 9, 30),
        "7月底前": dt.date(2022, 7, 31),
        "2022年底前": dt.date(2022, 12, 31),
    }


def test_sections_follow_the_attachment_headings(registry: Registry) -> None:
    first_of_section = {"1.2": 4, "1.3": 7, "1.4": 10, "2.1": 13, "2.2": 17, "2.3": 19, "2.4": 23,
                        "3.1": 27, "3.2": 30, "3.3": 37, "3.4": 41, "4.1": 42, "4.2": 45, "4.3": 46}  # fmt: skip
    for section, first in first_of_section.items():
        assert registry.tasks_by_id[first].section == section
        assert registry.tasks_by_id[first - 1].section != section


def test_attachment_2_lists_31_county_units(registry: Registry) -> None:
    text = (FIXTURES / "plan_2022_source.txt").read_text(encoding="utf-8")
    listing = text[text.rindex("县属有关单位名单") :].split("\n\n")[1]
    names = [n for n in re.sub(r"\s+", "", listing).rstrip("。").split("、") if n]
    group = next(g for g in registry.directory.groups if g.name == "县属有关单位")
    assert list(group.members or ()) == names
    assert len(names) == 31


def test_the_seven_townships(registry: Registry) -> None:
    group = next(g for g in registry.directory.groups if g.name == "各乡镇人民政府")
    assert list(group.members or ()) == [
        "菜园镇人民政府", "嵊山镇人民政府", "洋山镇人民政府",
        "五龙乡人民政府", "黄龙乡人民政府", "枸杞乡人民政府", "花鸟乡人民政府",
    ]  # fmt: skip
    for short in ("菜园镇", "嵊山镇", "洋山镇", "五龙乡", "黄龙乡", "枸杞乡", "花鸟乡"):
        assert registry.directory.resolve(short).name == short + "人民政府"


def test_groups_without_listed_members(registry: Registry) -> None:
    unknown = {g.name for g in registry.directory.groups if g.members is None}
    assert unknown == {"各民生实事项目牵头单位", "市级有关单位", "各政务新媒体主办单位", "县政务公开领导小组成员单位"}
    assert registry.directory.resolve("成员单位").name == "县政务公开领导小组成员单位"


def test_every_name_a_task_uses_resolves(registry: Registry) -> None:
    for task in registry.tasks:
        for name in (*task.lead, *task.responsible):
            assert registry.directory.find(name) is not None, (task.id, name)
