"""Turning cell values (text from CSV, native values from Excel or Python) into typed values."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.timeutil import DEFAULT_TZ, to_utc, utcnow
from ingest.issues import IssueError

FUTURE_SLACK = timedelta(days=1)  # clocks and time zones differ; beyond a day it is a typo
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)  # before this a date is a typo, not a post
MAX_COUNT = 2**63 - 1  # the largest count the database stores (BIGINT)

_PLAIN_INT = re.compile(r"\d+")
# Thousand separators only in exact groups of three, one separator kind per number.
_GROUPED = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")
_DECIMAL = re.compile(r"\d*[.,]\d+")
_ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)
_DAY_FIRST = re.compile(
    r"(\d{1,2})([/-])(\d{1,2})\2(\d{4})(?:[ T](\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?"
)


def cell_text(value: object) -> str:
    """Text of a cell, stripped; empty for None, whole floats without ``.0`` (Excel ids)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value).strip()


def parse_count(value: object) -> int | None:
    """A non-negative whole number; an empty cell means unknown and gives None, never 0."""
    if value is None:
        return None
    if isinstance(value, bool):  # bool is an int subclass but never a count
        raise IssueError("bad_count", value=str(value))
    if isinstance(value, int):
        return _non_negative(value, str(value))
    if isinstance(value, float):
        return _count_from_float(value)
    text = str(value).strip()
    if not text:
        return None
    return _count_from_text(text)


def _non_negative(number: int, shown: str) -> int:
    if number < 0:
        raise IssueError("negative_count", value=shown)
    if number > MAX_COUNT:
        raise IssueError("count_too_large", value=shown)
    return number


def _count_from_float(value: float) -> int:
    shown = cell_text(value) if math.isfinite(value) else str(value)
    if not math.isfinite(value):
        raise IssueError("bad_count", value=shown)
    if not value.is_integer():
        raise IssueError("fractional_count", value=shown)
    return _non_negative(int(value), shown)


def _count_from_text(text: str) -> int:
    negative = text.startswith("-")
    digits = text[1:].strip() if negative else text
    if _PLAIN_INT.fullmatch(digits) or _GROUPED.fullmatch(digits):
        plain = re.sub(r"[.,]", "", digits)
        if len(plain) > len(str(MAX_COUNT)):  # int() of a huge string fails or is slow
            raise IssueError("negative_count" if negative else "count_too_large", value=text)
        number = int(plain)
    elif _DECIMAL.fullmatch(digits):
        raise IssueError("negative_count" if negative else "fractional_count", value=text)
    else:
        raise IssueError("bad_count", value=text)
    if negative and number > 0:
        raise IssueError("negative_count", value=text)
    return _non_negative(number, text)


def parse_datetime(
    value: object, tz: ZoneInfo = DEFAULT_TZ, now: datetime | None = None
) -> datetime:
    """An aware UTC instant; values without an offset are local time in ``tz``.

    Raises IssueError ``bad_date`` for unreadable or impossible dates, ``past_date`` for
    dates before 1900 and ``future_date`` for dates more than a day ahead of ``now``.
    """
    moment = _to_datetime(value)
    try:
        result = to_utc(moment, tz)
    except OverflowError:  # year 1 east of UTC, or 9999 west of it
        code = "past_date" if moment.year < EARLIEST.year else "future_date"
        raise IssueError(code, value=cell_text(value)) from None
    if result < EARLIEST:
        raise IssueError("past_date", value=cell_text(value))
    if result > (now or utcnow()) + FUTURE_SLACK:
        raise IssueError("future_date", value=cell_text(value))
    return result


def _to_datetime(value: object) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    try:
        moment = _from_text(value.strip()) if isinstance(value, str) else None
    except ValueError:  # an impossible date such as 31/02 gets the same message as nonsense
        moment = None
    if moment is None:
        raise IssueError("bad_date", value=cell_text(value))
    return moment


def _from_text(text: str) -> datetime | None:
    if _ISO.fullmatch(text):
        return datetime.fromisoformat(text)
    match = _DAY_FIRST.fullmatch(text)
    if match is None:
        return None
    day, _sep, month, year, hour, minute, second = match.groups()
    return datetime(
        int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
    )
