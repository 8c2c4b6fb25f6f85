"""Deadline phrases (完成时限) and dates given on the command line.

``due_date("12月底前", 2022)`` gives ``date(2022, 12, 31)``. A phrase names the
end of a period: the year (全年, 年底前, 年内), a half year, a quarter, a month,
a part of a month or a day, with or without a year, or an ISO date. Open-ended
phrases (持续推进, 长期坚持, 常态化) have no due date.

``前`` after a period means "by the end of" it: ``三季度前`` is the end of the third
quarter, because a plan issued on 2022-07-12 cannot ask for work before a
quarter that had already begun.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata

OPEN_ENDED = frozenset({"持续推进", "长期坚持", "常态化", "常态化推进", "长期", "持续", "长期推进"})

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_BY = r"(?:前|之前|以前|内|止)?"  # "by": all read as "by the end of"
_YEAR = r"(?:(?P<year>\d{4})年(?:度)?)?"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("year", re.compile(r"^(?:(?P<year>\d{4})(?:年度?)?)?(?:全年|年底|年末|年内)(?:前|之前|以前)?$")),
    ("half", re.compile(rf"^{_YEAR}(?P<half>上|下)半年(?:底|末)?{_BY}$")),
    ("quarter", re.compile(rf"^{_YEAR}第?(?P<q>[一二三四1-4])季度(?:底|末)?{_BY}$")),
    ("day", re.compile(rf"^{_YEAR}(?P<m>{_NUM})月(?P<d>{_NUM})日{_BY}$")),
    ("tenday", re.compile(rf"^{_YEAR}(?P<m>{_NUM})月(?P<part>上旬|中旬|下旬){_BY}$")),
    ("month", re.compile(rf"^{_YEAR}(?P<m>{_NUM})月(?:份)?(?:底|末)?{_BY}$")),
    ("iso", re.compile(r"^(?P<iso>\d{4}-\d{2}-\d{2})$")),
]


class DeadlineError(ValueError):
    """A phrase that is not a deadline gkcli knows how to read."""


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS[text[1:]]
    if text.endswith("十") and len(text) == 2:
        return _CN_DIGITS[text[0]] * 10
    if len(text) == 3 and text[1] == "十":
        return _CN_DIGITS[text[0]] * 10 + _CN_DIGITS[text[2]]
    if len(text) == 1 and text in _CN_DIGITS:
        return _CN_DIGITS[text]
    raise DeadlineError(f"无法识别的数字: {text}")


def _month_end(year: int, month: int) -> dt.date:
    if not 1 <= month <= 12:
        raise DeadlineError(f"月份应在 1 到 12 之间: {month}")
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def normalize_phrase(phrase: str) -> str:
    """Fold full-width digits and drop all white space."""
    return "".join(unicodedata.normalize("NFKC", phrase).split())


def due_date(phrase: str, plan_year: int) -> dt.date | None:
    """The due date a deadline phrase names, or None for an open-ended phrase.

    Raises DeadlineError for a phrase it cannot read.
    """
    text = normalize_phrase(phrase)
    if not text:
        raise DeadlineError("完成时限为空")
    if text in OPEN_ENDED:
        return None
    for kind, pattern in _PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        groups = match.groupdict()
        if kind == "iso":
            try:
                return dt.date.fromisoformat(groups["iso"])
            except ValueError as exc:
                raise DeadlineError(f"不是有效日期: {groups['iso']}") from exc
        year = int(groups["year"]) if groups.get("year") else plan_year
        if kind == "year":
            return dt.date(year, 12, 31)
        if kind == "half":
            return dt.date(year, 6, 30) if groups["half"] == "上" else dt.date(year, 12, 31)
        if kind == "quarter":
            quarter = _cn_number(groups["q"])
            return _month_end(year, quarter * 3)
        month = _cn_number(groups["m"])
        if kind == "month":
            return _month_end(year, month)
        if kind == "tenday":
            end = _month_end(year, month)
            return {"上旬": end.replace(day=10), "中旬": end.replace(day=20)}.get(groups["part"], end)
        day = _cn_number(groups["d"])
        try:
            return dt.date(year, month, day)
        except ValueError as exc:
            raise DeadlineError(f"不是有效日期: {year}年{month}月{day}日") from exc
    raise DeadlineError(f"无法识别的完成时限: {phrase}")


_CN_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$")
_TODAY_WORDS = frozenset({"today", "今天", "今日"})


def parse_date(text: str, today: dt.date) -> dt.date:
    """A whole date from ``2022-10-01``, ``2022/10/1``, ``2022年10月1日`` or ``today``.

    Raises ValueError (with a Chinese message) when the text is not one whole date.
    """
    cleaned = "".join(unicodedata.normalize("NFKC", text).split())
    if cleaned.lower() in _TODAY_WORDS:
        return today
    match = _CN_DATE.match(cleaned)
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError as exc:
            raise ValueError(f"不是有效日期: {text}") from exc
    if not re.fullmatch(r"[0-9A-Za-z./\- ]+", cleaned):
        raise ValueError(f"无法识别的日期: {text}")
    from dateutil import parser as date_parser

    # Parse twice with different defaults: a part the text leaves out would
    # come from the default and differ, so an incomplete date is refused.
    first, second = dt.datetime(2000, 1, 1), dt.datetime(2001, 2, 2)
    try:
        a = date_parser.parse(cleaned, default=first, yearfirst=True)
        b = date_parser.parse(cleaned, default=second, yearfirst=True)
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"无法识别的日期: {text}") from exc
    if a.date() != b.date():
        raise ValueError(f"日期不完整,请写出年月日: {text}")
    return a.date()


_DURATION = re.compile(r"^(\d{1,4})\s*(d|day|days|天|日|w|week|weeks|周|星期|m|month|months|个月|月)?$")


def parse_days(text: str) -> int:
    """A span of days from ``30d``, ``30``, ``2w``, ``1m`` (30 days), ``14天``, ``2周``."""
    match = _DURATION.match(unicodedata.normalize("NFKC", text).strip().lower())
    if not match:
        raise ValueError(f"无法识别的时间跨度: {text}(示例: 30d、2w、14天)")
    number, unit = int(match[1]), match[2] or "d"
    if unit in {"w", "week", "weeks", "周", "星期"}:
        return number * 7
    if unit in {"m", "month", "months", "个月", "月"}:
        return number * 30
    return number
