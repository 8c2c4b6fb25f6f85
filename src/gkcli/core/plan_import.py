"""gkcli import: a plan document into a draft registry folder, and the list of what a person must
check. The text layer of the published PDF is read (one row per line, cells separated by tabs)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from gkcli.domain.deadlines import due_date
from gkcli.domain.registry import Registry
from gkcli.errors import BadValue, UnreadablePlan
from gkcli.importing import draft, text_layer
from gkcli.importing.header import read_header
from gkcli.store.files import failed, replace_file, shown
from gkcli.store.locate import MAX_FILE_BYTES, TASKS_FILE, UNITS_FILE

_OTHER_FORMATS = {b"%PDF": "PDF", b"PK\x03\x04": "Word 或 Excel(DOCX/XLSX)", b"\xd0\xcf\x11\xe0": "旧版 Word 或 Excel"}


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


def import_plan(source: Path, target: Path, directory: Registry, *, force: bool = False) -> ImportResult:
    """Read ``source``, write ``tasks.yaml``, ``units.yaml`` and their schemas into ``target``.
    ``directory`` is the registry whose units are known names (the bundled one)."""
    text = _read_text(source)
    header = read_header(text)
    year = header.year or (header.issued_on.year if header.issued_on else None)
    table = text_layer.read(
        text,
        is_unit=lambda name: directory.directory.find(name) is not None,
        is_deadline=lambda phrase: year is not None and due_date(phrase, year) is not None,
    )
    if not table.rows:
        raise UnreadablePlan(
            f"{shown(source)} 中找不到任务表",
            hint="需要 PDF 的文字层:表头一行为“序号、重点工作、牵头单位、责任单位、完成时限”,各栏以制表符分隔",
        )
    made = draft.build(header, table, directory.directory, source.name)
    written = _write(target, {TASKS_FILE: made.tasks_yaml, UNITS_FILE: made.units_yaml}, force)
    review = [ReviewItem(f"{shown(source)}:{d.line}", d.what, d.why) for d in table.doubts]
    if header.missing:
        review.insert(0, ReviewItem(f"{shown(source)}:1", "要点信息", "正文中找不到" + "、".join(header.missing)))
    return ImportResult(target, written, review, made.tasks, made.units, made.groups, made.sections)


def _read_text(source: Path) -> str:
    try:
        with open(source, "rb") as handle:
            if not os.path.isfile(source):
                raise UnreadablePlan(f"{shown(source)} 不是普通文件")
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise UnreadablePlan(f"无法读取 {shown(source)}: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise UnreadablePlan(f"{shown(source)} 超过 16 MB,不读取", hint="一份要点的文字层只有几十 KB;请确认文件")
    for magic, kind in _OTHER_FORMATS.items():
        if data.startswith(magic):
            raise UnreadablePlan(
                f"{shown(source)} 是{kind}文件,目前只能读取 PDF 的文字层",
                hint="请先把任务表转成以制表符分栏的文本(表头一行,每项任务一行),存为 .txt 后再导入",
            )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadablePlan(f"{shown(source)} 不是文本文件(既非 UTF-8 也非 GB18030)")


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
