"""Time helpers. The database stores UTC; people see WIB (Asia/Pontianak by default)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_TZ = ZoneInfo("Asia/Pontianak")


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_utc(value: datetime, assume_tz: ZoneInfo = DEFAULT_TZ) -> datetime:
    """Aware UTC datetime; a naive value is taken to be local time (WIB)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=assume_tz)
    return value.astimezone(UTC)


def to_local(value: datetime, tz: ZoneInfo = DEFAULT_TZ) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(tz)


def local_today(tz: ZoneInfo = DEFAULT_TZ) -> date:
    return datetime.now(tz).date()


def month_bounds(month: str) -> tuple[date, date]:
    """First day and first day of the next month for ``YYYY-MM``."""
    try:
        start = datetime.strptime(month, "%Y-%m").date()
    except ValueError as exc:
        raise ValueError(f"month must look like 2026-11, got {month!r}") from exc
    nxt = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start, nxt


def local_day_start_utc(day: date, tz: ZoneInfo = DEFAULT_TZ) -> datetime:
    """UTC instant of local midnight at the start of ``day``."""
    return datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC)
