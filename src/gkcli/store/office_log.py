"""The office's log (``log.yaml`` beside tasks.yaml): forms sent to the units and returned, reminders
sent to work groups, evidence links checked.

One line per event, appended under the registry's lock, never rewritten: what the office did
stays as it was recorded. A registry without the file has an empty log."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence

from gkcli.domain.records import LogEvent, LogFile
from gkcli.errors import CannotEdit, ReadOnlyRegistry
from gkcli.store.files import failed, locked
from gkcli.store.locate import RegistryFolder, bundled_directory
from gkcli.store.yaml_edit import scalar

LOG_FILE = "log.yaml"
_HEAD = (
    "# gkcli office log: forms sent and returned, reminders sent, evidence links checked.\n"
    "# Written by gkcli, one line per event; lines are only ever added.\n"
    "events:\n"
)
_KEYS = (
    "date", "kind", "unit", "period", "form", "file", "rows", "robot", "units", "tasks", "code", "url", "status",
    "verdict",
)  # fmt: skip


def read(folder: RegistryFolder) -> LogFile:
    """The log as written; an empty one when there is none. RegistryInvalid names a wrong line."""
    from gkcli.store.validate import read_log

    path = folder.directory / LOG_FILE
    return read_log(path, folder.display(path))


def _value(value: object) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, (str, dt.date)):
        return scalar(value)
    return str(value)  # a whole number


def line(event: LogEvent) -> str:
    """One event as the line it is written as: a flow mapping with the keys in a fixed order."""
    values = (
        event.on, event.kind, event.unit, event.period, event.form, event.file, event.rows, event.robot, event.units,
        event.tasks, event.code, event.url, event.status, event.verdict,
    )  # fmt: skip
    pairs = [f"{key}: {_value(value)}" for key, value in zip(_KEYS, values, strict=True) if value not in (None, ())]
    return "  - {" + ", ".join(pairs) + "}\n"


def append(folder: RegistryFolder, events: Sequence[LogEvent]) -> None:
    """Add ``events`` at the end of the log, in one write under the registry's lock. The log is
    read first: a damaged log, or one laid out otherwise than gkcli writes it (the events last, one
    ``  - {…}`` line each), is refused with what to do, never rewritten."""
    if not events:
        return
    if folder.directory.resolve() == bundled_directory().resolve():
        raise ReadOnlyRegistry(
            "内置台账是只读的,无法写办公室记录(log.yaml)", hint="先用 gkcli init 台账 建一份工作台账,再用 --data 台账"
        )
    path = folder.directory / LOG_FILE
    with locked(folder.directory):
        existing = read(folder)
        raw = path.read_text(encoding="utf-8") if path.exists() else ""
        body = [text for text in raw.splitlines() if text.strip() and not text.lstrip().startswith("#")]
        if not body:
            prefix = _HEAD if not raw else ("" if raw.endswith("\n") else "\n") + "events:\n"
        elif (body == ["events:"] and not existing.events) or (existing.events and body[-1].startswith("  - {")):
            prefix = "" if raw.endswith("\n") else "\n"
        else:
            raise CannotEdit(
                f"{folder.display(path)} 的写法与 gkcli 追加的不同,无法在末尾追加记录,文件未改动",
                hint='记录应写在 events: 下,每条一行 "  - {date: …, kind: …}";请改成这种写法',
            )
        try:
            with open(path, "a", encoding="utf-8", newline="\n") as handle:
                handle.write(prefix + "".join(line(e) for e in events))
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise failed("写入", path, exc) from None
