import datetime as dt

import pytest

from gkcli.domain.deadlines import DeadlineError, due_date, parse_date, parse_days

D = dt.date


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("全年", D(2022, 12, 31)),
        ("年底前", D(2022, 12, 31)),
        ("年内", D(2022, 12, 31)),
        ("2022年底前", D(2022, 12, 31)),
        ("2023年底前", D(2023, 12, 31)),
        ("12月底前", D(2022, 12, 31)),
        ("12 月底前", D(2022, 12, 31)),
        ("7月底前", D(2022, 7, 31)),
        ("2月底前", D(2022, 2, 28)),
        ("十二月底前", D(2022, 12, 31)),
        ("2022年6月底前", D(2022, 6, 30)),
        ("6月30日前", D(2022, 6, 30)),
        ("2023年3月15日前", D(2023, 3, 15)),
        ("三季度前", D(2022, 9, 30)),
        ("三季度末", D(2022, 9, 30)),
        ("第一季度", D(2022, 3, 31)),
        ("二季度前", D(2022, 6, 30)),
        ("四季度末", D(2022, 12, 31)),
        ("2022年第3季度前", D(2022, 9, 30)),
        ("上半年", D(2022, 6, 30)),
        ("下半年", D(2022, 12, 31)),
        ("2023年上半年", D(2023, 6, 30)),
        ("9月中旬前", D(2022, 9, 20)),
        ("9月上旬", D(2022, 9, 10)),
        ("2022-09-30", D(2022, 9, 30)),
        ("１２月底前", D(2022, 12, 31)),
    ],
)
def test_phrases_resolve_against_the_plan_year(phrase: str, expected: dt.date) -> None:
    assert due_date(phrase, 2022) == expected


def test_the_year_of_the_plan_is_used_when_the_phrase_has_none() -> None:
    assert due_date("12月底前", 2024) == D(2024, 12, 31)
    assert due_date("2月底前", 2024) == D(2024, 2, 29)


@pytest.mark.parametrize("phrase", ["持续推进", "长期坚持", "常态化"])
def test_open_ended_phrases_have_no_due_date(phrase: str) -> None:
    assert due_date(phrase, 2022) is None


@pytest.mark.parametrize("phrase", ["", "明年", "13月底前", "2月30日前", "五季度", "2022-02-30", "尽快"])
def test_unknown_or_impossible_phrases_are_errors(phrase: str) -> None:
    with pytest.raises(DeadlineError):
        due_date(phrase, 2022)


TODAY = D(2026, 11, 26)


@pytest.mark.parametrize(
    "text", ["2022-10-01", "2022/10/1", "2022年10月1日", "2022年10月1", " 2022-10-01 ", "20221001"]
)
def test_dates_in_every_written_form(text: str) -> None:
    assert parse_date(text, TODAY) == D(2022, 10, 1)


@pytest.mark.parametrize("text", ["today", "TODAY", "今天"])
def test_today_is_the_given_day(text: str) -> None:
    assert parse_date(text, TODAY) == TODAY


@pytest.mark.parametrize("text", ["10/1", "2022-13-01", "2022年2月30日", "yesterday", "", "2022", "十月一日"])
def test_incomplete_or_invalid_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text, TODAY)


@pytest.mark.parametrize(("text", "days"), [("30d", 30), ("30", 30), ("2w", 14), ("14天", 14), ("2周", 14), ("1m", 30)])
def test_durations(text: str, days: int) -> None:
    assert parse_days(text) == days


@pytest.mark.parametrize("text", ["", "d", "-3d", "3x", "1.5d"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError):
        parse_days(text)
