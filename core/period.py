"""Reporting periods: a calendar month in local time (WIB), as UTC bounds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.timeutil import DEFAULT_TZ, local_day_start_utc, month_bounds, utcnow


@dataclass(frozen=True)
class Period:
    month: str  # YYYY-MM
    start: datetime  # UTC, local midnight of the 1st
    end: datetime  # UTC, local midnight of the next 1st
    as_of: datetime  # UTC: the period's end, or now while the month is running

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
