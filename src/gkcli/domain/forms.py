"""A returns form (填报表) as it comes back filled: its particulars and rows, and the seal that
tells whether they are as exported. Below both the workbook's reader (``store.returns``) and the
checks of what it records (``core.returns``)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

LOCKED_HEADERS = ("序号", "重点工作", "角色", "完成时限", "截止日期", "当前状态", "最新进展")


def form_seal(nonce: str, plan_number: str, unit: str, as_of: str, rows: str) -> str:
    """What a form's id ends with: a digest of what the form was exported as."""
    text = "\n".join([nonce, plan_number, unit, as_of, rows])
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def locked_seal(nonce: str, rows: list[tuple[str, ...]]) -> str:
    """A digest of the locked cells of every task row as exported (see :func:`cell_text`), kept in
    the form's hidden sheet beside them: the stored values are as exported when it matches."""
    text = "\n".join([nonce, *("\t".join(row) for row in rows)])
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def cell_text(value: object) -> str:
    """A cell's value as compared between export and import, whichever program saved the workbook:
    a date as YYYY-MM-DD, a whole number without ``.0``, text with its line breaks as LF."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


FIRST_ROW = 4  # of the task rows in a form: rows 1-3 are the title, instructions and headers


@dataclass
class FilledRow:
    row: int  # the row number in the sheet, for messages
    task_id: object
    title: object
    note: object
    finished: object  # a date cell, or text such as 2022-11-08
    link: object
    extension: object = None  # 申请延期至: a date cell or text
    locked: tuple[object, ...] = ()  # the locked cells as read, in the order of LOCKED_HEADERS


@dataclass
class FilledForm:
    file: str
    form_id: str
    plan_number: str
    unit: str
    as_of: str = ""
    exported_rows: str = ""  # how many task rows the form was exported with
    rows: list[FilledRow] = field(default_factory=list)
    exported: dict[int, tuple[str, ...]] = field(default_factory=dict)  # row -> its locked cells as exported
    exported_seal: str = ""  # the digest of ``exported`` written with it (forms of format 2 on)

    def sealed(self) -> bool:
        """Whether the form's particulars are as exported: its id's seal matches them, and so does
        the digest of the locked cells kept in the hidden sheet (where the form has them)."""
        nonce, _, seal = self.form_id.rpartition("-")
        if not nonce or seal != form_seal(nonce, self.plan_number, self.unit, self.as_of, self.exported_rows):
            return False
        if not self.exported and not self.exported_seal:
            return True  # a form of format 1: only its particulars are sealed
        return self.exported_seal == locked_seal(nonce, [self.exported[n] for n in sorted(self.exported)])

    def edited_cell(self, row: FilledRow) -> tuple[str, str, str] | None:
        """The first locked cell of ``row`` that differs from what was exported: its header, the
        value exported and the value now; None when every one is as exported (or unknown)."""
        exported = self.exported.get(row.row)
        if exported is None:
            return None
        now = tuple(cell_text(v) for v in row.locked) + ("",) * (len(exported) - len(row.locked))
        for header, before, after in zip(LOCKED_HEADERS, exported, now, strict=False):
            if before != after:
                return header, before, after
        return None
