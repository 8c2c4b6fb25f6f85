"""The plan's particulars from the body of the document: title, document number, issuer, issue
date and year. What is not found is left out and reported, never made up."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from gkcli.importing.cleaning import cell_text

_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[(](\d{4})[〕\])]\d{1,4}号")
_TITLE = re.compile(r"《([^《》]{2,60}?(?:要点|任务清单|工作安排|实施方案))》")
_BARE_TITLE = re.compile(r"^(\d{4}年[^,。,()()《》]{2,40}?工作要点)")  # a table's own title row
# a heading line that is the title: 2022年嵊泗县政务公开工作要点, 嵊泗县2022年政务公开工作要点,
# 2022年度嵊泗县政务公开工作任务清单
_TITLE_LINE = re.compile(
    r"^([^,。,;;::《》]{0,12}?\d{4}\s*年度?[^,。,;;::《》]{2,40}?(?:要点|任务清单|工作安排|实施方案))$"
)
_YEAR = re.compile(r"(\d{4})\s*年度?")
_ISSUER_LINE = re.compile(r"^(.{2,30}?(?:办公室|办公厅|人民政府|委员会|领导小组))$")
_DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_SIGNED = re.compile(r"^(.{2,30}?(?:办公室|办公厅|人民政府|委员会|领导小组))(\d{4})年(\d{1,2})月(\d{1,2})日$")
_PRINTED = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日印发$")
_LETTERHEAD = re.compile(r"^(.{2,30}?)文件$")


@dataclass
class Header:
    title: str | None = None
    document_number: str | None = None
    issuer: str | None = None
    issued_on: dt.date | None = None
    year: int | None = None
    missing: list[str] = field(default_factory=list)  # what was not found, in Chinese


def read_header(text: str) -> Header:
    header = Header()
    printed: dt.date | None = None
    letterhead: str | None = None
    before = ""  # the line before: an issuer on its own line, then the date on the next
    for raw in text.splitlines():
        line = cell_text(raw.replace("\t", " "))
        if not line:
            continue
        if header.title is None and (heading := _TITLE_LINE.match(line)):
            header.title = heading.group(1).replace(" ", "")
        if header.issued_on is None and (dated := _DATE_LINE.match(line)) and (issuer := _ISSUER_LINE.match(before)):
            header.issuer, header.issued_on = issuer.group(1), _date(*dated.groups())
        before = line
        if header.document_number is None and (number := _NUMBER.search(line)):
            header.document_number = number.group()
        if header.title is None and (title := _TITLE.search(line) or _BARE_TITLE.match(line)):
            header.title = title.group(1)
        if header.issued_on is None and (signed := _SIGNED.match(line)):
            header.issuer = signed.group(1)
            header.issued_on = _date(*signed.groups()[1:])
        if printed is None and (match := _PRINTED.match(line)):
            printed = _date(*match.groups())
        if letterhead is None and (match := _LETTERHEAD.match(line)):
            letterhead = match.group(1)
    header.issuer = header.issuer or letterhead
    header.issued_on = header.issued_on or printed
    if header.title and (year := _YEAR.search(header.title)):
        header.year = int(year.group(1))
    for value, label in ((header.title, "要点标题(《……要点》)"), (header.document_number, "文号"),
                         (header.issuer, "发文机关"), (header.issued_on, "印发日期"),
                         (header.year, "要点年度(标题开头的“某年”)")):  # fmt: skip
        if value is None:
            header.missing.append(label)
    return header


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
