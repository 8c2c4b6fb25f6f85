"""The registry as every command uses it: plain, immutable dataclasses.

The YAML files are validated by the Pydantic models in :mod:`gkcli.models`; once valid,
they become these objects (and a cached registry is rebuilt straight into them), so
that answering a question never needs Pydantic at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Status = Literal["not_started", "in_progress", "done"]
STATUSES: tuple[Status, ...] = ("not_started", "in_progress", "done")
STATUS_LABELS: dict[str, str] = {"not_started": "未开始", "in_progress": "进行中", "done": "已完成"}

UnitKind = Literal["department", "township", "enterprise", "coordinating_body"]

Light = Literal["red", "yellow", "green", "done", "done_late"]
LIGHT_LABELS: dict[str, str] = {
    "red": "红灯",
    "yellow": "黄灯",
    "green": "绿灯",
    "done": "按期完成",
    "done_late": "逾期完成",
}

Role = Literal["lead", "responsible"]
ROLE_LABELS: dict[str, str] = {"lead": "牵头", "responsible": "责任"}


@dataclass(frozen=True, slots=True)
class Plan:
    title: str
    document_number: str
    issuer: str
    issued_on: dt.date
    year: int
    warn_days: int = 30


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Part:
    id: int
    title: str
    sections: tuple[Section, ...]
    attachment_title: str | None = None


@dataclass(frozen=True, slots=True)
class ProgressEntry:
    on: dt.date
    note: str
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Task:
    id: int
    section: str
    title: str
    lead: tuple[str, ...]
    responsible: tuple[str, ...]
    deadline: str
    due: dt.date | None = None  # as written in the registry; the effective due date is Registry.due(task)
    status: Status = "not_started"
    done_on: dt.date | None = None
    provenance: str | None = None
    progress: tuple[ProgressEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class Unit:
    name: str
    kind: UnitKind
    aliases: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] | None = None  # None: the plan does not list the members
    note: str | None = None
