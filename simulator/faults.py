"""Fault injection: per platform or all, per account or all, per endpoint, N times or forever."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from simulator.world import PLATFORMS

SOCIAL = frozenset(PLATFORMS) - {"website"}
EVERY = frozenset(PLATFORMS)
GRAPH = frozenset({"instagram", "facebook"})
GRAPH_THROTTLE_CODES = (4, 17, 32, 613, 80001, 80002)
LATENCY_DEFAULT = 0.05

# kind -> the platforms it exists on
FAULT_KINDS: dict[str, frozenset[str]] = {
    "latency": EVERY,  # extra delay, then the normal answer
    "timeout": EVERY,  # no answer: httpx.ReadTimeout in-process, a long silence in the server
    "rate_limit": EVERY,  # HTTP 429 with the platform's body and Retry-After / x-rate-limit-*
    "server_error": EVERY,  # 5xx (``status``, default 500) with the platform's body
    "malformed": EVERY,  # the normal answer cut in half
    "html_error": EVERY,  # a WAF / proxy HTML page (``status``, default 403)
    "not_found": EVERY,  # the platform's "no such account" answer (IG: 110/2207013)
    "expired_token": SOCIAL,  # the platform's expired-credential answer
    "invalid_token": SOCIAL,  # the platform's invalid-credential answer
    "empty_page": SOCIAL,  # a listing page with no items that still links to the next page
    "graph_throttle": GRAPH,  # Graph error ``code`` (4, 17, 32, 613, 80001, 80002)
    "app_usage": GRAPH,  # normal answer whose X-App-Usage reports ``usage`` percent
    "quota_exceeded": frozenset({"youtube", "x"}),  # YouTube quotaExceeded; X usage cap
    "no_read_access": frozenset({"x"}),  # 403 client-not-enrolled: the app's plan cannot read
}


@dataclass(eq=False)
class Fault:
    kind: str
    platform: str | None = None  # None: every platform the kind exists on
    handle: str | None = None  # None: every account
    times: int | None = None  # None: forever; N: the first N matching requests, then healed
    endpoint: str | None = None  # e.g. "posts", "channels"; None: every endpoint
    seconds: float | None = None  # latency (default 0.05); timeout: server silence (default 30)
    status: int | None = None  # server_error / html_error / graph_throttle HTTP status
    code: int = 4  # graph_throttle
    retry_after: int = 1  # rate_limit, graph_throttle 80001/80002: seconds to wait
    usage: int = 85  # app_usage percent
    hits: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        where = FAULT_KINDS.get(self.kind)
        if where is None:
            raise ValueError(f"unknown fault kind {self.kind!r}; known: {sorted(FAULT_KINDS)}")
        if self.platform is None and where != EVERY:
            raise ValueError(f"fault {self.kind!r} needs a platform among {sorted(where)}")
        if self.platform is not None and self.platform not in where:
            raise ValueError(f"fault {self.kind!r} does not exist on {self.platform!r}")
        if self.kind == "graph_throttle" and self.code not in GRAPH_THROTTLE_CODES:
            raise ValueError(f"graph_throttle code must be one of {GRAPH_THROTTLE_CODES}")
        if self.times is not None and self.times < 1:
            raise ValueError("times must be at least 1 (or None for a permanent fault)")

    @property
    def healed(self) -> bool:
        return self.times is not None and self.hits >= self.times

    def matches(
        self, platform: str, handles: tuple[str, ...], endpoint: str, listing: bool
    ) -> bool:
        if self.healed or self.platform not in (None, platform):
            return False
        if self.endpoint not in (None, endpoint) or (self.kind == "empty_page" and not listing):
            return False
        return self.handle is None or self.handle.lower() in {h.lower() for h in handles}


class FaultBook:
    """The active faults. ``take`` is atomic, so ``times=N`` holds under concurrency."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults = []

    def active(self) -> list[Fault]:
        return [f for f in self._faults if not f.healed]

    def take(
        self, platform: str, handles: tuple[str, ...], endpoint: str, listing: bool
    ) -> tuple[float, Fault | None]:
        """Total extra latency and the first answer-changing fault for this request."""
        if not self._faults:
            return 0.0, None
        delay, chosen = 0.0, None
        with self._lock:
            for fault in self._faults:
                if not fault.matches(platform, handles, endpoint, listing):
                    continue
                if fault.kind == "latency":
                    delay += LATENCY_DEFAULT if fault.seconds is None else fault.seconds
                elif chosen is None:
                    chosen = fault
                else:
                    continue
                fault.hits += 1
        return delay, chosen
