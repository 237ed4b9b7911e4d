"""Tolerant, pure helpers shared by every platform's parse functions.

Platforms send counts as ints or strings and times in five formats; a field that is absent or
unreadable becomes None instead of failing the whole page (only post id and time are mandatory).
"""

from __future__ import annotations

import html
import logging
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from core.links import web_link

log = logging.getLogger("pantau.collectors")
WIB = timezone(timedelta(hours=7), "WIB")
_TAG = re.compile(r"<[^>]+>")


def get_path(obj: Any, *keys: str) -> Any:
    """``obj[k1][k2]…`` or None when any level is missing or not a dict."""
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def to_int(value: Any) -> int | None:
    """An int from an int, a float or a numeric string ("48200"); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value == value else None  # NaN check
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def to_str(value: Any) -> str | None:
    """A non-empty string (ints become strings: WordPress ids are JSON ints)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | str):
        text = str(value).strip()
        return text or None
    return None


def to_link(value: Any, what: str) -> str | None:
    """A post's or account's link when it is an http(s) address (core.links); anything else
    (``javascript:``, ``data:``, a relative path) is dropped with a logged warning."""
    text = to_str(value)
    link = web_link(text)
    if text is not None and link is None:
        log.warning("dropped the %s link %r: not an http(s) address", what, text[:100])
    return link


def parse_graph_time(value: Any) -> datetime | None:
    """Meta Graph ``2024-01-15T02:30:00+0000`` (also accepts ISO forms with a colon or Z)."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z").astimezone(UTC)
    except ValueError:
        return parse_iso_time(value)


def parse_iso_time(value: Any, naive_tz: timezone = UTC) -> datetime | None:
    """``2024-01-15T02:30:00Z`` / ``…00.000Z`` / ``…+07:00``; a naive time gets ``naive_tz``."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=naive_tz)
    return parsed.astimezone(UTC)


def parse_epoch(value: Any) -> datetime | None:
    """Unix seconds (int or numeric string) as an aware UTC datetime."""
    seconds = to_int(value)
    if seconds is None or seconds < 0:
        return None
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def plain_text(value: Any) -> str | None:
    """HTML entities unescaped and tags stripped (WordPress titles); None when empty."""
    if not isinstance(value, str):
        return None
    text = html.unescape(_TAG.sub("", value)).strip()
    return text or None


def isoformat_z(moment: datetime) -> str:
    """``2024-01-01T00:00:00Z`` (X ``start_time``); naive input is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
