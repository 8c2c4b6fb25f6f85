"""Pydantic models of the two registry files.

The models are strict: YAML values must already have the right type (a quoted
string where text is meant), and unknown keys are rejected.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from gkcli import domain
from gkcli.domain import Status, UnitKind

SECTION_ID_PATTERN = r"^[1-9][0-9]?\.[1-9][0-9]?$"  # parts and sections number 1–99
MAX_TASK_ID = 9_999_999


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Plan(_Strict):
    title: str = Field(min_length=1, description="要点标题")
    document_number: str = Field(min_length=1, description="文号")
    issuer: str = Field(min_length=1, description="发文机关")
    issued_on: dt.date = Field(description="印发日期")
    year: int = Field(ge=1949, le=2200, description="要点所属年度")
    warn_days: int = Field(default=30, ge=0, le=366, description="到期前多少天亮黄灯")


class Section(_Strict):
    id: str = Field(pattern=SECTION_ID_PATTERN, description='部分.小节,如 "1.2"')
    title: str = Field(min_length=1)
    note: str | None = None


class Part(_Strict):
    id: int = Field(ge=1, le=99)
    title: str = Field(min_length=1)
    attachment_title: str | None = Field(default=None, description="附件1中不同的措辞")
    sections: list[Section]


class ProgressEntry(_Strict):
    on: dt.date = Field(description="日期")
    unit: str | None = Field(default=None, description="报告单位")
    note: str = Field(min_length=1, description="进展情况")


class Task(_Strict):
    id: int = Field(ge=1, le=MAX_TASK_ID, description="序号")
    section: str = Field(pattern=SECTION_ID_PATTERN, description='所属小节,如 "1.2"')
    title: str = Field(min_length=1, description="重点工作")
    lead: list[str] = Field(description="牵头单位")
    responsible: list[str] = Field(default_factory=list, description="责任单位")
    deadline: str = Field(min_length=1, description="完成时限(原文)")
    due: dt.date | None = Field(default=None, description="明确的截止日期,优先于完成时限")
    status: Status = "not_started"
    done_on: dt.date | None = Field(default=None, description="完成日期(状态为 done 时必填)")
    provenance: str | None = Field(default=None, description="重建单元格的依据")
    progress: list[ProgressEntry] = Field(default_factory=list, description="进展记录,按日期从早到晚")


class TasksFile(_Strict):
    plan: Plan
    parts: list[Part]
    tasks: list[Task]


class Unit(_Strict):
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    kind: UnitKind
    note: str | None = None


class Group(_Strict):
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    members: list[str] | None = Field(default=None, description="成员;未列出时为成员未知的群组")
    note: str | None = None


class UnitsFile(_Strict):
    units: list[Unit]
    groups: list[Group] = Field(default_factory=list)


def to_domain_tasks(model: TasksFile) -> tuple[domain.Plan, list[domain.Part], list[domain.Task]]:
    """The validated tasks file as the plain objects the commands use."""
    p = model.plan
    plan = domain.Plan(p.title, p.document_number, p.issuer, p.issued_on, p.year, p.warn_days)
    parts = [
        domain.Part(
            part.id,
            part.title,
            tuple(domain.Section(s.id, s.title, s.note) for s in part.sections),
            part.attachment_title,
        )
        for part in model.parts
    ]
    tasks = [
        domain.Task(
            t.id, t.section, t.title, tuple(t.lead), tuple(t.responsible), t.deadline, t.due, t.status, t.done_on,
            t.provenance, tuple(domain.ProgressEntry(e.on, e.note, e.unit) for e in t.progress),
        )
        for t in model.tasks
    ]  # fmt: skip
    return plan, parts, tasks


def to_domain_units(model: UnitsFile) -> tuple[list[domain.Unit], list[domain.Group]]:
    units = [domain.Unit(u.name, u.kind, tuple(u.aliases), u.note) for u in model.units]
    groups = [
        domain.Group(g.name, tuple(g.aliases), tuple(g.members) if g.members is not None else None, g.note)
        for g in model.groups
    ]
    return units, groups


def json_schema(which: str) -> str:
    """JSON Schema of ``tasks.yaml`` or ``units.yaml``, as text with a stable layout."""
    import json

    model: type[BaseModel] = TasksFile if which == "tasks" else UnitsFile
    schema = model.model_json_schema()
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "title": f"gkcli {which}.yaml"}
    return json.dumps(schema, ensure_ascii=False, indent=2)
