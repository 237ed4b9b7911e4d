"""Complete months and the running month's comparison (core.period), at the boundaries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.period import (
    comparison_label,
    comparison_period,
    last_complete_month,
    month_label,
    month_of,
    month_period,
    recent_months,
)
from tests.clock import FIXED_NOW, WIB


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB).astimezone(UTC)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (wib(2026, 12, 1, 0, 30), "2026-11"),  # just past midnight WIB: November is over
        (wib(2026, 11, 30, 23, 59), "2026-10"),  # last minute of November: still running
        (wib(2026, 12, 1, 0, 0), "2026-11"),  # midnight itself belongs to the new month
        (wib(2027, 1, 1, 0, 0), "2026-12"),  # across the year
        (FIXED_NOW, "2026-10"),
    ],
)
def test_last_complete_month_turns_at_local_midnight(now: datetime, expected: str) -> None:
    assert last_complete_month(now, WIB) == expected


def test_utc_date_does_not_decide_the_month() -> None:
    # 1 December 03.00 WIB is still 30 November in UTC
    now = wib(2026, 12, 1, 3, 0)
    assert now.day == 30
    assert month_of(now, WIB) == "2026-12"
    assert last_complete_month(now, WIB) == "2026-11"


def test_recent_months_newest_first_starting_with_the_running_month() -> None:
    months = recent_months(wib(2026, 12, 6, 9, 0), WIB, count=4)
    assert months == ["2026-12", "2026-11", "2026-10", "2026-09"]
    assert len(recent_months(wib(2026, 12, 6, 9, 0), WIB)) == 15


def test_month_label_marks_the_running_month_with_its_days() -> None:
    now = wib(2026, 12, 6, 9, 0)
    assert month_label("2026-12", now, WIB) == "Desember 2026 (berjalan, s.d. 6 Des)"
    assert month_label("2026-11", now, WIB) == "November 2026"
    # at 00.30 on the 1st the new month is running from its first day
    assert month_label("2026-12", wib(2026, 12, 1, 0, 30), WIB) == (
        "Desember 2026 (berjalan, s.d. 1 Des)"
    )
    assert month_label("2027-08", wib(2027, 8, 20), WIB).endswith("s.d. 20 Agu)")


def test_whole_month_is_compared_with_the_whole_month_before() -> None:
    period = month_period("2026-11", WIB, now=wib(2026, 12, 6, 9, 0))
    assert not period.running
    before = comparison_period(period, WIB)
    assert before.month == "2026-10"
    assert (before.start, before.as_of) == (wib(2026, 10, 1), wib(2026, 11, 1))


def test_running_month_is_compared_with_the_same_days_and_time() -> None:
    now = wib(2026, 12, 6, 14, 0)
    period = month_period("2026-12", WIB, now=now)
    assert period.running
    before = comparison_period(period, WIB)
    assert before.month == "2026-11"
    assert before.start == wib(2026, 11, 1)
    assert before.as_of == wib(2026, 11, 6, 14, 0)
    assert before.end == wib(2026, 12, 1)  # the month's bounds stay whole; as_of cuts it


@pytest.mark.parametrize(
    ("now", "cut"),
    [
        (wib(2027, 3, 31, 10, 0), wib(2027, 3, 1)),  # 31 March against all of February
        (wib(2027, 3, 29, 10, 0), wib(2027, 3, 1)),  # 29 March: February 2027 has 28 days
        (wib(2028, 3, 29, 10, 0), wib(2028, 2, 29, 10, 0)),  # leap year: 29 February exists
        (wib(2028, 3, 30, 0, 0), wib(2028, 3, 1)),  # all of leap February, not a day more
        (wib(2026, 10, 31, 8, 0), wib(2026, 10, 1)),  # 31 October against all of September
        (wib(2026, 8, 31, 8, 0), wib(2026, 7, 31, 8, 0)),  # July has 31 days too
    ],
)
def test_running_month_comparison_is_clamped_to_the_shorter_month(
    now: datetime, cut: datetime
) -> None:
    period = month_period(now.astimezone(WIB).strftime("%Y-%m"), WIB, now=now)
    before = comparison_period(period, WIB)
    assert before.as_of == cut
    assert before.as_of <= before.end
    assert before.days <= period.days + 1e-9


def test_first_minutes_of_a_month_compare_with_the_first_minutes_before() -> None:
    now = wib(2026, 12, 1, 0, 30)
    before = comparison_period(month_period("2026-12", WIB, now=now), WIB)
    assert before.as_of - before.start == timedelta(minutes=30)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (wib(2026, 12, 6, 14, 0), "1–6 November 2026"),  # the same days, named
        (wib(2026, 12, 7, 0, 0), "1–6 November 2026"),  # up to midnight: the 7th not touched
        (wib(2026, 12, 1, 0, 30), "1 November 2026"),  # the first half hour: one day
        (wib(2027, 3, 31, 10, 0), "Februari 2027"),  # clamped to a whole month: its name
    ],
)
def test_comparison_label_names_the_same_days_or_the_whole_month(
    now: datetime, expected: str
) -> None:
    period = month_period(now.astimezone(WIB).strftime("%Y-%m"), WIB, now=now)
    assert comparison_label(comparison_period(period, WIB), WIB) == expected


def test_comparison_label_of_a_whole_month_is_its_name() -> None:
    period = month_period("2026-11", WIB, now=FIXED_NOW + timedelta(days=30))
    assert comparison_label(comparison_period(period, WIB), WIB) == "Oktober 2026"
