"""gkcli import: a plan document into a draft registry folder, and the list of what a person must
check. Read: PDF, XLSX, DOCX, web pages, CSV and text (a PDF's text layer, or a plan's own text);
a table of tasks, or paragraphs that close each task with its units."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from gkcli.domain.deadlines import DeadlineError, due_date
from gkcli.domain.registry import Registry
from gkcli.errors import BadValue, UnreadablePlan, describe_os_error
from gkcli.importing import draft, paragraphs, table
from gkcli.importing.cleaning import BREAK
from gkcli.importing.header import Header, read_header
from gkcli.importing.phrases import states_lead_first
from gkcli.importing.sources import file_dates, rows_of
from gkcli.store.files import failed, replace_file, shown
from gkcli.store.inputs import Refused, read_file
from gkcli.store.locate import TASKS_FILE, UNITS_FILE

MAX_SOURCE_BYTES = 16 * 1024 * 1024  # a plan's document is tens or hundreds of KB


@dataclass(frozen=True)
class ImportOptions:
    """What the clerk says the document means, when gkcli's reading is wrong (each one option)."""

    columns: Mapping[str, str] = field(default_factory=dict)  # 标题=具体要求, 牵头=2 …
    lead_first: bool = False  # the first unit a cell or parenthesis names is the lead
    year: int | None = None
    issuer: str | None = None
    sheet: str | None = None  # the worksheet of a workbook to read
    skip_rows: int = 0  # rows of the document before the table to pass over


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
    reading: dict[str, str] = field(default_factory=dict)  # each field and the column it came from (tables)
    fields_under_review: int = 0  # fields of tasks whose reading a person must check
    how: str = ""  # 表格 or 段落

    @property
    def unread_rows(self) -> int:
        """Task rows of the source that are not tasks of the draft (each is on the review list)."""
        return max(0, self.task_rows - self.tasks)


def import_plan(
    source: Path, target: Path, known: Registry, *, force: bool = False, options: ImportOptions | None = None
) -> ImportResult:
    """Read ``source``, write ``tasks.yaml``, ``units.yaml`` and their schemas into ``target``.
    ``known`` is the registry whose units are known names (the bundled one)."""
    options = options or ImportOptions()
    data = _read_bytes(source)
    rows, kind = rows_of(data, shown(source), sheet=options.sheet)
    rows = rows[options.skip_rows :]
    text = "\n".join(" ".join(cells) for _, cells in rows).replace(BREAK, "\n")
    header = read_header(text)
    written_year = header.year or options.year or (header.issued_on.year if header.issued_on else None)

    def is_unit(name: str) -> bool:
        return draft.known(known.directory, name) is not None or draft.group_like(name)

    def is_deadline(phrase: str) -> bool:
        return _understood(phrase, written_year)

    stated = states_lead_first(text)
    lead_first = options.lead_first or stated
    found, how = _read(rows, is_unit, is_deadline, options, lead_first)
    if not found.rows:
        looked = next((d.why for d in found.doubts if d.what == "任务表"), "")
        raise UnreadablePlan(
            f"{shown(source)}({kind})中找不到任务表" + (f":{looked}" if looked else ""),
            hint="表格的表头一行要写明“重点工作”(或工作任务、具体要求等)和“牵头单位”(或责任单位等),"
            "可用 --columns 指明各栏、--skip-rows 跳过表前的行;没有表格时,每项任务要以括号写明单位,"
            "如“1. 做好……。(县财政局牵头)”",
        )
    notes = list(found.notes)
    if stated and not options.lead_first:
        notes.append("原文写明“列第一位的为牵头单位”:未写角色的几个单位,第一个记为牵头单位,其余为责任单位")
    plan = _plan(header, options, text, data, found, notes)
    made = draft.build(plan, found, known.directory, source.name)
    written = _write(target, {TASKS_FILE: made.tasks_yaml, UNITS_FILE: made.units_yaml}, force)
    review = [ReviewItem(f"{shown(source)}:{d.line}", d.what, d.why) for d in found.doubts]
    review[:0] = [ReviewItem(f"{shown(source)}:1", "要点信息", said) for said in plan.review]
    under_review = sum(1 for d in found.doubts if d.task is not None)
    return ImportResult(
        target, written, review, made.tasks, made.units, made.groups, made.sections, found.task_rows,
        found.reading, under_review, how,
    )  # fmt: skip


def _read(
    rows: list[tuple[int, list[str]]], is_unit: object, is_deadline: object, options: ImportOptions, lead_first: bool
) -> tuple[table.TableText, str]:
    """The document's tasks: from its task table, or from its paragraphs when they hold more
    tasks with units than a table does (a plan written as text that quotes a small table)."""
    tabled = table.read(rows, is_unit, is_deadline, columns=options.columns or None, lead_first=lead_first)  # type: ignore[arg-type]
    if options.columns:
        return tabled, "表格"
    written = paragraphs.read(rows, is_unit, is_deadline, lead_first=lead_first)  # type: ignore[arg-type]
    with_units = sum(1 for r in written.rows if r.lead or r.responsible)
    if tabled.rows and sum(1 for r in tabled.rows if r.lead or r.responsible) >= with_units:
        return tabled, "表格"
    if written.rows:
        return written, "段落"
    return tabled, "表格"


def _plan(
    header: Header, options: ImportOptions, text: str, data: bytes, found: table.TableText, notes: list[str]
) -> draft.PlanBlock:
    """The plan's particulars: as the document (or an option) gives them, else a placeholder that
    says so, each gap on the plan's review with the option that fills it."""
    review: list[str] = []
    missing = [m for m in header.missing if not (options.issuer and m.startswith("发文机关"))]
    if options.year:
        missing = [m for m in missing if not m.startswith("要点年度")]
    if missing:
        review.append("正文中找不到" + "、".join(missing) + ",请照原件补上")
    year = header.year or options.year
    if year is None:
        years = [int(y) for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", text)]
        dates = file_dates(data)
        if header.issued_on is not None:
            year = header.issued_on.year
            review.append(f"年度按印发日期暂写为 {year}(可用 --year 指定)")
        elif years:
            year = years[0]
            review.append(f"年度按正文中的日期暂写为 {year}(可用 --year 指定)")
        elif dates:
            year = dates[0].year
            review.append(f"正文中没有年份,年度按文件自身的日期({dates[0].isoformat()})暂写为 {year}(可用 --year 指定)")
        else:
            year = dt.date.today().year
            review.append(f"正文和文件中都没有年份,年度暂写为今年 {year}(请用 --year 指定)")
    issued = header.issued_on or dt.date(year, 1, 1)
    if header.issued_on is None:
        review.append(f"印发日期暂写为 {year} 年 1 月 1 日")
    issuer = options.issuer or header.issuer
    if issuer is None:
        review.append("发文机关暂为占位(可用 --issuer 指定)")
    office = draft.office_of(found, issuer)
    if office is None:
        review.append("统筹单位(plan.office)未能确定:在 plan 中写 office: 统筹单位(如县政府办公室),它可为任何任务登记")
    review += notes
    return draft.PlanBlock(
        title=header.title or "(要点标题待核对)",
        document_number=header.document_number or "(文号待核对)",
        issuer=issuer or "(发文机关待核对)",
        issued_on=issued,
        year=year,
        office=office,
        review=review,
    )


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
