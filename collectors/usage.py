"""Rate-limit signals carried in headers: Meta usage percentages and server-requested waits.

Pure functions over headers, so the request helper and the tests share one reading of them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from collectors.parsing import to_int

USAGE_KEYS = ("call_count", "total_cputime", "total_time")
APP_USAGE_HEADERS = ("x-app-usage", "x-page-usage", "x-ad-account-usage")
BUC_HEADER = "x-business-use-case-usage"
MIN_USAGE_PAUSE = 10.0


def _json_header(response: httpx.Response, name: str) -> Any:
    raw = response.headers.get(name)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def buc_entries(response: httpx.Response) -> list[dict[str, Any]]:
    """Every ``{type, call_count, …}`` entry of ``X-Business-Use-Case-Usage``, flattened."""
    value = _json_header(response, BUC_HEADER)
    if not isinstance(value, dict):
        return []
    entries: list[dict[str, Any]] = []
    for items in value.values():
        if isinstance(items, list):
            entries.extend(i for i in items if isinstance(i, dict))
        elif isinstance(items, dict):
            entries.append(items)
    return entries


def meta_usage_percent(response: httpx.Response) -> float:
    """The highest of call_count / total_cputime / total_time across Meta usage headers."""
    blocks = [_json_header(response, name) for name in APP_USAGE_HEADERS]
    blocks = [b for b in blocks if isinstance(b, dict)] + buc_entries(response)
    values = [to_int(block.get(key)) for block in blocks for key in USAGE_KEYS]
    return float(max((v for v in values if v is not None), default=0))


def meta_usage_pause(response: httpx.Response, threshold: float = 80.0, cap: float = 60.0) -> float:
    """Seconds to pause before the next Graph call; 0 below ``threshold`` percent.

    A BUC ``estimated_time_to_regain_access`` (read as minutes [U]) wins; otherwise the pause
    grows linearly from 10 s at the threshold to ``cap`` at 100 %. Never more than ``cap``.
    """
    regain = max(
        (to_int(e.get("estimated_time_to_regain_access")) or 0 for e in buc_entries(response)),
        default=0,
    )
    if regain > 0:
        return min(float(regain * 60), cap)
    percent = meta_usage_percent(response)
    if percent < threshold:
        return 0.0
    share = min(1.0, (percent - threshold) / max(100.0 - threshold, 1.0))
    floor = min(MIN_USAGE_PAUSE, cap)
    return min(cap, floor + (cap - floor) * share)


def server_wait(response: httpx.Response, clock: Callable[[], float]) -> float | None:
    """Seconds the server asks us to wait: ``Retry-After`` (seconds or HTTP date) or X's
    ``x-rate-limit-reset`` (absolute epoch seconds). None when neither is present/readable."""
    retry_after = response.headers.get("retry-after")
    if retry_after:
        seconds = _retry_after_seconds(retry_after.strip(), clock)
        if seconds is not None:
            return seconds
    reset = to_int(response.headers.get("x-rate-limit-reset", "").strip())
    if reset is not None:
        return max(0.0, reset - clock())
    return None


def _retry_after_seconds(value: str, clock: Callable[[], float]) -> float | None:
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return None
    return max(0.0, moment.timestamp() - clock())


def x_exhausted_wait(response: httpx.Response, clock: Callable[[], float]) -> float | None:
    """When X reports ``x-rate-limit-remaining: 0`` on a success, seconds until the reset."""
    if response.headers.get("x-rate-limit-remaining", "").strip() != "0":
        return None
    reset = to_int(response.headers.get("x-rate-limit-reset", "").strip())
    return None if reset is None else max(0.0, reset - clock())
