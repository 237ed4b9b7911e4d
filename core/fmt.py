"""Indonesian formatting for everything a user reads: 12.345, 1,14%, 26 November 2026, WIB."""

from __future__ import annotations

import math
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.timeutil import DEFAULT_TZ, to_local

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
MONTHS_SHORT = tuple(m[:3] if m != "Agustus" else "Agu" for m in MONTHS)
WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MISSING = "–"
MINUS = "−"  # U+2212: the one minus sign of every negative number a user reads
# decimals per measure, the same on every page, the recap, the briefing and the CLI tables
DECIMALS = {
    "engagement_rate": 2, "engagement_rate_views": 2, "growth_weekly": 2, "growth_pct": 2,
    "score": 1, "caption_score": 1, "posts_per_week": 1, "reply_rate": 1, "share_pct": 1,
    "followers": 0, "posts": 0, "rank": 0,
}  # fmt: skip
NOT_APPLICABLE = "tidak berlaku"  # a measure the platform has no notion of (websites)


def is_missing(value: object) -> bool:
    """None, NaN, pd.NA and NaT: a value the platform did not give (shown as '–')."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return True
    return isinstance(value, float) and math.isnan(value)


def number(value: float | int | None, decimals: int = 0) -> str:
    """12345 -> '12.345'; 1.5 with decimals=1 -> '1,5'; None, NaN or pd.NA -> '–'."""
    if is_missing(value):
        return MISSING
    text = f"{value:,.{decimals}f}"
    if text.startswith("-"):  # '-0,00' (a tiny negative rounded away) is plain zero
        digits = text[1:]
        text = digits if not digits.strip("0.,") else MINUS + digits
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def signed(value: float | None, decimals: int = 0, unit: str = "") -> str:
    """'+1.040', '−1.040', '0' (no sign when it rounds to zero); '–' when unknown."""
    if value is None or is_missing(value):
        return MISSING
    text = number(abs(value), decimals) + unit
    if round(abs(value), decimals) == 0:
        return text
    return ("+" if value > 0 else MINUS) + text


def percent(value: float | None, decimals: int = 2) -> str:
    """1.1428 -> '1,14%'."""
    if is_missing(value):
        return MISSING
    return f"{number(value, decimals)}%"


def signed_percent(value: float | None, decimals: int = 1) -> str:
    """'+0,91%', '−0,25%', '0,00%'."""
    return signed(value, decimals, "%")


def long_date(value: date | datetime | None, tz: ZoneInfo = DEFAULT_TZ) -> str:
    """'26 November 2026' (a datetime is first converted to WIB)."""
    if value is None or is_missing(value):
        return MISSING
    if isinstance(value, datetime):
        value = to_local(value, tz).date()
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def date_time(value: datetime | None, tz: ZoneInfo = DEFAULT_TZ) -> str:
    """'26 November 2026 14.05 WIB' (Indonesian clock times use a dot)."""
    if value is None or is_missing(value):
        return MISSING
    local = to_local(value, tz)
    return f"{long_date(local.date())} {local:%H.%M} {tz_label(tz)}"


def calendar_days(earlier: datetime, later: datetime, tz: ZoneInfo = DEFAULT_TZ) -> int:
    """Local calendar days from ``earlier`` to ``later``: 0 on the same local (WIB) date, 1
    from yesterday, whatever the hours between them (17.15 to 00.29 the next day is 1)."""
    return (to_local(later, tz).date() - to_local(earlier, tz).date()).days


def days_ago(value: datetime, now: datetime, tz: ZoneInfo = DEFAULT_TZ) -> str:
    """'hari ini', 'kemarin' or '3 hari yang lalu', by local calendar dates (never by 24-hour
    spans or UTC dates). A moment after ``now`` (a clock ahead) is 'hari ini'."""
    days = calendar_days(value, now, tz)
    if days <= 0:
        return "hari ini"
    return "kemarin" if days == 1 else f"{number(days)} hari yang lalu"


def month_name(month: str) -> str:
    """'2026-11' -> 'November 2026'."""
    year, mon = month.split("-")
    return f"{MONTHS[int(mon) - 1]} {year}"


def tz_label(tz: ZoneInfo) -> str:
    """WIB, WITA or WIT for Indonesian zones; the zone name otherwise."""
    offset = datetime.now(tz).utcoffset()
    hours = offset.total_seconds() / 3600 if offset is not None else None
    return {7.0: "WIB", 8.0: "WITA", 9.0: "WIT"}.get(hours or 0.0, str(tz))
