"""Deadline phrases (完成时限) and dates given on the command line.

``due_date("12月底前", 2022)`` gives ``date(2022, 12, 31)``. A phrase names the
end of a period: the year (全年, 年底前, 年内), a half year, a quarter, a month,
a part of a month or a day, with or without a year, or an ISO date. Open-ended
phrases (持续推进, 长期坚持, 常态化) have no due date.

``前`` after a period means "by the end of" it: ``三季度前`` is the end of the third
quarter, because a plan issued on 2022-07-12 cannot ask for work before a
quarter that had already begun. A phrase may end with what is to happen by then
(``9月底前完成``, ``年内完成``). Recurring work (每季度, 每月, 每半年) is due at
the end of the plan's year, checked on the way (see ``recurrence``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import unicodedata

from gkcli.text import fold_digits, has_foreign_digits

OPEN_ENDED = frozenset({"持续推进", "长期坚持", "常态化", "常态化推进", "长期", "持续", "长期推进"})

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})"
_BY = r"(?:前|之前|以前|内|止)?"  # "by": all read as "by the end of"
_YEAR = r"(?:(?P<year>[0-9]{4})年(?:度)?)?"

# The phrases a deadline may be written as, compiled the first time a phrase is read (a command
# on a cached registry reads none: its due dates are stored).
_PHRASES: tuple[tuple[str, str], ...] = (
    ("year", r"^(?:(?P<year>[0-9]{4})(?:年度?)?)?(?:全年|年底|年末|年内)(?:前|之前|以前)?$"),
    ("half", rf"^{_YEAR}(?P<half>上|下)半年(?:底|末)?{_BY}$"),
    ("quarter", rf"^{_YEAR}第?(?P<q>[一二三四1-4])季度(?:底|末)?{_BY}$"),
    ("day", rf"^{_YEAR}(?P<m>{_NUM})月(?P<d>{_NUM})日{_BY}$"),
    ("tenday", rf"^{_YEAR}(?P<m>{_NUM})月(?P<part>上旬|中旬|下旬){_BY}$"),
    ("month", rf"^{_YEAR}(?P<m>{_NUM})月(?:份)?(?:底|末)?{_BY}$"),
    ("iso", r"^(?P<iso>[0-9]{4}-[0-9]{2}-[0-9]{2})$"),
    (
        "recurring",
        r"^(?:(?P<year>[0-9]{4})年度?)?(?:全年)?(?P<every>每|按)(?P<period>季度|季|月|半年|年|周)(?:末|底)?$",
    ),
)


@functools.cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    return [(kind, re.compile(pattern)) for kind, pattern in _PHRASES]


_DONE_BY = re.compile(r"(?<=.)(?:完成|办结|落实|到位)$")  # 9月底前完成: what is to happen by then


class DeadlineError(ValueError):
    """A phrase that is not a deadline gkcli knows how to read."""


def _cn_number(text: str) -> int:
    if text.isascii() and text.isdigit():
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
    return _date(year, month, calendar.monthrange(max(year, 1), month)[1])


MIN_YEAR, MAX_YEAR = 1949, 2200  # the years a plan (and so a deadline or a date) can name


def normalize_phrase(phrase: str) -> str:
    """Fold full-width digits and drop all white space (other digits, such as ¹² or ١٢, stay and are refused)."""
    return (
        "".join(unicodedata.normalize("NFKC", fold_digits(phrase)).split())
        if not has_foreign_digits(phrase)
        else phrase
    )


def _date(year: int, month: int, day: int) -> dt.date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DeadlineError(f"年份 {year} 超出范围({MIN_YEAR}–{MAX_YEAR})")
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise DeadlineError(f"不是有效日期: {year}年{month}月{day}日") from exc


@functools.lru_cache(maxsize=4096)
def due_date(phrase: str, plan_year: int) -> dt.date | None:
    """The due date a deadline phrase names, or None for an open-ended phrase.

    Raises DeadlineError for a phrase it cannot read. Remembered: a registry repeats a
    few dozen phrases over thousands of tasks.
    """
    text = normalize_phrase(phrase)
    if not text:
        raise DeadlineError("完成时限为空")
    text = _DONE_BY.sub("", text)
    if text in OPEN_ENDED:
        return None
    for kind, pattern in _patterns():
        match = pattern.match(text)
        if match is None:
            continue
        groups = match.groupdict()
        if kind == "iso":
            year, month, day = (int(n) for n in groups["iso"].split("-"))
            return _date(year, month, day)
        year = int(groups["year"]) if groups.get("year") else plan_year
        if kind in ("year", "recurring"):
            return _date(year, 12, 31)
        if kind == "half":
            return _date(year, 6, 30) if groups["half"] == "上" else _date(year, 12, 31)
        if kind == "quarter":
            quarter = _cn_number(groups["q"])
            return _month_end(year, quarter * 3)
        month = _cn_number(groups["m"])
        if kind == "month":
            return _month_end(year, month)
        if kind == "tenday":
            end = _month_end(year, month)
            return {"上旬": end.replace(day=10), "中旬": end.replace(day=20)}.get(groups["part"], end)
        return _date(year, month, _cn_number(groups["d"]))
    raise DeadlineError(f"无法识别的完成时限: {phrase}")


_RECURRING = {"季度": "每季度末", "季": "每季度末", "月": "每月末", "半年": "每半年", "年": "每年末", "周": "每月末"}


def recurrence(phrase: str) -> str | None:
    """The checkpoint rule a recurring phrase implies (每季度 → 每季度末), None for any other phrase."""
    match = _patterns()[-1][1].match(_DONE_BY.sub("", normalize_phrase(phrase)))
    return _RECURRING[match.group("period")] if match else None


_YEAR_FIRST = re.compile(
    r"^([0-9]{4})(?:[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})|年([0-9]{1,2})月([0-9]{1,2})日?|([0-9]{2})([0-9]{2}))$"
)
_YEAR_LAST = re.compile(r"^[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{2,4}$")
_NO_YEAR = re.compile(r"^[0-9]{1,2}(?:[-/.][0-9]{1,2}|月[0-9]{1,2}日?)$")
_TODAY_WORDS = frozenset({"today", "今天", "今日"})
DATE_FORMS = "2022-10-01、2022/10/1、2022年10月1日 或 today"


def parse_date(text: str, today: dt.date) -> dt.date:
    """A whole date from ``2022-10-01``, ``2022/10/1``, ``2022.10.1``, ``2022年10月1日`` or ``today``.

    Only ASCII and full-width digits count, and the year comes first: ``1/10/2022`` could be
    either of two days and is refused. Raises ValueError with a Chinese message.
    """
    if has_foreign_digits(text):
        raise ValueError(f"无法识别的日期: {text}(数字请用 0–9)")
    cleaned = "".join(unicodedata.normalize("NFKC", fold_digits(text)).split())
    if cleaned.lower() in _TODAY_WORDS:
        return today
    match = _YEAR_FIRST.match(cleaned)
    if match is None:
        if _YEAR_LAST.match(cleaned):
            raise ValueError(f"{text} 有歧义(年份写在最后,月和日的先后无法确定),请写成 2022-10-01 或 2022年10月1日")
        if _NO_YEAR.match(cleaned):
            raise ValueError(f"日期不完整,请写出年月日: {text}")
        raise ValueError(f"无法识别的日期: {text}")
    year, month, day = (int(n) for n in match.groups() if n is not None)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"{text} 的年份超出范围({MIN_YEAR}–{MAX_YEAR})")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"不是有效日期: {text}") from None


def in_range(day: dt.date) -> dt.date:
    """``day`` when its year is one gkcli handles (MIN_YEAR–MAX_YEAR): the one range every date
    given to gkcli is held to, typed (:func:`parse_date`) or from a form's date cell."""
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(f"{day.isoformat()} 的年份超出范围({MIN_YEAR}–{MAX_YEAR})")
    return day


def add_days(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days``; a result beyond the calendar is a ValueError with a Chinese message."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        raise ValueError(f"{day.isoformat()} 加 {days} 天超出了日历范围") from None


_DURATION = re.compile(r"^([0-9]{1,4})\s*(d|day|days|天|日|w|week|weeks|周|星期|m|month|months|个月|月)?$")


def parse_days(text: str) -> int:
    """A span of days from ``30d``, ``30``, ``2w``, ``1m`` (30 days), ``14天``, ``2周``."""
    match = None if has_foreign_digits(text) else _DURATION.match(fold_digits(text).strip().lower())
    if not match:
        raise ValueError(f"无法识别的时间跨度: {text}(示例: 30d、2w、14天)")
    number, unit = int(match[1]), match[2] or "d"
    if unit in {"w", "week", "weeks", "周", "星期"}:
        return number * 7
    if unit in {"m", "month", "months", "个月", "月"}:
        return number * 30
    return number
