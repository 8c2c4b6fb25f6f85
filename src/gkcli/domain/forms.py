"""A returns form (填报表) as it comes back filled: its particulars and rows, and the seal that
tells whether they are as exported. Below both the workbook's reader (``store.returns``) and the
checks of what it records (``core.returns``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


def form_seal(nonce: str, plan_number: str, unit: str, as_of: str, rows: str) -> str:
    """What a form's id ends with: a digest of what the form was exported as."""
    text = "\n".join([nonce, plan_number, unit, as_of, rows])
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


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


@dataclass
class FilledForm:
    file: str
    form_id: str
    plan_number: str
    unit: str
    as_of: str = ""
    exported_rows: str = ""  # how many task rows the form was exported with
    rows: list[FilledRow] = field(default_factory=list)

    def sealed(self) -> bool:
        """Whether the form's particulars are as exported: its id's seal matches them."""
        nonce, _, seal = self.form_id.rpartition("-")
        return bool(nonce) and seal == form_seal(nonce, self.plan_number, self.unit, self.as_of, self.exported_rows)
