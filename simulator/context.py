"""What a platform handler sees besides the request: the world, its base URL, shared state."""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from simulator.oauth_book import OAuthBook
from simulator.world import SimWorld

X_WINDOW_SECONDS = 15 * 60


@dataclass
class SimState:
    """What outlives one request: X rate-limit windows, YouTube quota units, OAuth consents."""

    x_rate_limit: int = 100_000  # per endpoint per 15 minutes (real X: 300-10,000)
    youtube_quota: int | None = None  # units per run; None: unlimited
    graph_usage: int = 5  # the percentage X-App-Usage reports when no fault says otherwise
    youtube_units: int = 0
    oauth: OAuthBook = field(default_factory=OAuthBook)
    _x_windows: dict[str, tuple[int, int]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _log_ids: itertools.count[int] = field(default_factory=itertools.count)

    def x_take(self, endpoint: str) -> tuple[int, int, int]:
        """Spend one X request: ``(limit, remaining, reset)``; remaining < 0 means refused."""
        now = int(time.time())
        with self._lock:
            start, used = self._x_windows.get(endpoint, (now, 0))
            if now >= start + X_WINDOW_SECONDS:
                start, used = now, 0
            used += 1
            self._x_windows[endpoint] = (start, used)
        return self.x_rate_limit, self.x_rate_limit - used, start + X_WINDOW_SECONDS

    def youtube_spend(self, units: int = 1) -> bool:
        """Count quota units; False once the configured quota is spent."""
        with self._lock:
            self.youtube_units += units
            return self.youtube_quota is None or self.youtube_units <= self.youtube_quota

    def log_id(self) -> str:
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        return f"{stamp}SIM{next(self._log_ids):016X}"


@dataclass(frozen=True)
class Ctx:
    world: SimWorld
    platform: str
    base: str  # scheme://host/prefix as the client addressed it (a website: its root)
    state: SimState
    site: str | None = None  # the website's domain (handle)
