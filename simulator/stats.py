"""Request counting, per platform and per endpoint (for the benchmark's lower bound)."""

from __future__ import annotations

import threading
from collections import Counter


class RequestStats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[tuple[str, str]] = Counter()

    def record(self, platform: str, endpoint: str) -> None:
        with self._lock:
            self._counts[(platform, endpoint)] += 1

    def count(self, platform: str | None = None, endpoint: str | None = None) -> int:
        """Requests received (faulted ones included), optionally for one platform/endpoint."""
        with self._lock:
            items = list(self._counts.items())
        return sum(n for (p, e), n in items if platform in (None, p) and endpoint in (None, e))

    @property
    def total(self) -> int:
        return self.count()

    def by_platform(self) -> dict[str, int]:
        out: Counter[str] = Counter()
        with self._lock:
            for (platform, _), n in self._counts.items():
                out[platform] += n
        return dict(out)

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()
