"""gkcli import: a plan document into a draft registry folder, and the list of what a person must
check. Read: the text layer of the published PDF (cells separated by tabs), XLSX and CSV."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from gkcli.domain.deadlines import DeadlineError, due_date
from gkcli.domain.registry import Registry
from gkcli.errors import BadValue, UnreadablePlan, describe_os_error
from gkcli.importing import draft, paragraphs, table
from gkcli.importing.header import read_header
from gkcli.importing.sources import rows_of
from gkcli.store.files import failed, replace_file, shown
from gkcli.store.inputs import Refused, read_file
from gkcli.store.locate import TASKS_FILE, UNITS_FILE

MAX_SOURCE_BYTES = 16 * 1024 * 1024  # a plan's document is tens or hundreds of KB


@dataclass(frozen=True)
class ReviewItem:
    location: str  # FILE:行N
    what: str
    why: str


@dataclass(frozen=True)
class ImportResult:
    target: Path
    written: list[Path]
    review: list[ReviewItem]
    tasks: int
    units: int
    groups: int
    sections: int
    task_rows: int = 0  # rows of the source that hold a task: each is a task of the draft or on the review list

    @property
    def unread_rows(self) -> int:
        """Task rows of the source that are not tasks of the draft (each is on the review list)."""
        return self.task_rows - self.tasks


def import_plan(source: Path, target: Path, known: Registry, *, force: bool = False) -> ImportResult:
    """Read ``source``, write ``tasks.yaml``, ``units.yaml`` and their schemas into ``target``.
    ``known`` is the registry whose units are known names (the bundled one)."""
    rows, kind = rows_of(_read_bytes(source), shown(source))
    text = "\n".join(" ".join(cells) for _, cells in rows)
    header = read_header(text)
    year = header.year or (header.issued_on.year if header.issued_on else None)

    def is_unit(name: str) -> bool:
        return draft.known(known.directory, name) is not None or draft.group_like(name)

    def is_deadline(phrase: str) -> bool:
        return _understood(phrase, year)

    found = table.read(rows, is_unit, is_deadline)
    if not found.rows:  # no task table: numbered items with their units in parentheses
        found = paragraphs.read(rows, is_unit, is_deadline)
    if not found.rows:
        raise UnreadablePlan(
            f"{shown(source)}({kind})中找不到任务表",
            hint="表头一行要写明“重点工作”(或工作任务等)和“牵头单位”(或牵头部门等);没有表格时,"
            "每项任务要编号并以括号写明单位,如“1. 做好……。(县财政局牵头)”",
        )
    years = re.findall(r"(?<!\d)(20\d\d)(?!\d)", text)  # 2023年, or 2023 cut from its 年 by a PDF's layout
    hint = year if year is not None else next((int(y) for y in years), None)
    made = draft.build(header, found, known.directory, source.name, hint)
    written = _write(target, {TASKS_FILE: made.tasks_yaml, UNITS_FILE: made.units_yaml}, force)
    review = [ReviewItem(f"{shown(source)}:{d.line}", d.what, d.why) for d in found.doubts]
    if header.missing:
        review.insert(0, ReviewItem(f"{shown(source)}:1", "要点信息", "正文中找不到" + "、".join(header.missing)))
    return ImportResult(target, written, review, made.tasks, made.units, made.groups, made.sections, found.task_rows)


def _understood(phrase: str, year: int | None) -> bool:
    """Whether the deadline parser reads ``phrase`` (open-ended phrases like 长期坚持 included);
    that does not depend on the year, whose absence is reported apart."""
    try:
        due_date(phrase, year or 2000)
    except DeadlineError:
        return False
    return True


def _read_bytes(source: Path) -> bytes:
    try:
        return read_file(source, MAX_SOURCE_BYTES)
    except Refused as exc:
        raise UnreadablePlan(f"{shown(source)} {exc}", hint="一份要点的文件只有几十 KB 到几百 KB;请确认文件") from None
    except OSError as exc:
        raise UnreadablePlan(f"无法读取 {shown(source)}: {describe_os_error(exc)}") from None


def _write(target: Path, files: dict[str, str], force: bool) -> list[Path]:
    if target.exists() and not target.is_dir():
        raise BadValue(f"{shown(target)} 不是文件夹")
    existing = [target / name for name in files if os.path.lexists(target / name)]
    if existing and not force:
        raise BadValue(f"{shown(existing[0])} 已存在,不会覆盖", hint="换一个新文件夹,或加 --force 覆盖")
    from gkcli.store.schema import json_schema

    files = {
        **files,
        "tasks.schema.json": json_schema("tasks") + "\n",
        "units.schema.json": json_schema("units") + "\n",
    }
    written = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            replace_file(target / name, text.encode("utf-8"))
            written.append(target / name)
    except OSError as exc:
        raise failed("写入", target, exc, hint="请换一个可以写入的文件夹") from None
    return written
