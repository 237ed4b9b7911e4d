"""Reporting periods: a calendar month in local time (WIB), as UTC bounds.

A month is *complete* once local midnight of the next 1st has passed; until then it is the
*running* month, and it is compared only with the same days (up to the same local time) of the
month before, never with a whole month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from core import fmt
from core.timeutil import DEFAULT_TZ, local_day_start_utc, month_bounds, to_local, utcnow


@dataclass(frozen=True)
class Period:
    month: str  # YYYY-MM
    start: datetime  # UTC, local midnight of the 1st
    end: datetime  # UTC, local midnight of the next 1st
    as_of: datetime  # UTC: the period's end, or now while the month is running

    @property
    def running(self) -> bool:
        """True while the month has not ended (``as_of`` is before its end)."""
        return self.as_of < self.end

    @property
    def days(self) -> float:
        return (self.as_of - self.start).total_seconds() / 86_400

    def previous(self, tz: ZoneInfo = DEFAULT_TZ) -> Period:
        return month_period(previous_month(self.month), tz)


def month_period(month: str, tz: ZoneInfo = DEFAULT_TZ, now: datetime | None = None) -> Period:
    first, nxt = month_bounds(month)
    start, end = local_day_start_utc(first, tz), local_day_start_utc(nxt, tz)
    now = now or utcnow()
    return Period(month=month, start=start, end=end, as_of=min(end, max(now, start)))


def current_month(tz: ZoneInfo = DEFAULT_TZ, today: date | None = None) -> str:
    today = today or datetime.now(tz).date()
    return today.strftime("%Y-%m")


def previous_month(month: str) -> str:
    """The month before ``month`` (both YYYY-MM)."""
    first, _ = month_bounds(month)
    return (first - timedelta(days=1)).strftime("%Y-%m")


def month_of(moment: datetime, tz: ZoneInfo = DEFAULT_TZ) -> str:
    """The local (WIB) month ``YYYY-MM`` that ``moment`` falls in."""
    return to_local(moment, tz).strftime("%Y-%m")


def last_complete_month(now: datetime | None = None, tz: ZoneInfo = DEFAULT_TZ) -> str:
    """The newest month whose last local day is over: at 1 December 00.30 WIB that is November,
    at 30 November 23.59 WIB it is October."""
    return previous_month(month_of(now or utcnow(), tz))


def recent_months(
    now: datetime | None = None, tz: ZoneInfo = DEFAULT_TZ, count: int = 15
) -> list[str]:
    """``count`` months, newest first, starting with the running month of ``now``."""
    months = [month_of(now or utcnow(), tz)]
    while len(months) < count:
        months.append(previous_month(months[-1]))
    return months


def month_label(month: str, now: datetime | None = None, tz: ZoneInfo = DEFAULT_TZ) -> str:
    """'November 2026'; the running month says so and how far it goes:
    'Desember 2026 (berjalan, s.d. 6 Des)' (the local date of ``now``)."""
    now = now or utcnow()
    if month != month_of(now, tz):
        return fmt.month_name(month)
    today = to_local(now, tz).date()
    return (
        f"{fmt.month_name(month)} (berjalan, s.d. {today.day} {fmt.MONTHS_SHORT[today.month - 1]})"
    )


def comparison_period(period: Period, tz: ZoneInfo = DEFAULT_TZ) -> Period:
    """What ``period`` is compared with: a whole month with the whole month before; a running
    month with the same stretch of the month before, from its 1st up to the same local day and
    time (1-6 December 14.00 against 1-6 November 14.00), clamped to that month's end (31 March
    against all of February). Indonesian zones have no daylight saving, so the same elapsed time
    is the same local time."""
    before = period.previous(tz)
    if not period.running:
        return before
    elapsed = period.as_of - period.start
    return Period(before.month, before.start, before.end, min(before.end, before.start + elapsed))


def comparison_label(compared: Period, tz: ZoneInfo = DEFAULT_TZ) -> str:
    """How a :func:`comparison_period` is named on screen: a whole month by its name
    ('Oktober 2026'), the first days of a month by those days ('1–6 November 2026')."""
    if not compared.running:
        return fmt.month_name(compared.month)
    first = to_local(compared.start, tz).date()
    # the last day touched: a stretch ending exactly at midnight does not reach the next day
    last = to_local(max(compared.start, compared.as_of - timedelta(microseconds=1)), tz).date()
    days = f"{first.day}" if last == first else f"{first.day}–{last.day}"
    return f"{days} {fmt.MONTHS[first.month - 1]} {first.year}"
