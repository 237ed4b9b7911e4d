"""Failed sign-ins per client address: an address with :data:`MAX_FAILURES` failures within
:data:`WINDOW` is refused (no password is checked for it) until its oldest failures are older
than the window, so one address can try at most 20 passwords per 15 minutes, whatever user
names it tries. The per-user lockout (``services.users``) stops guessing at one user; this
stops spraying many users from one address.

Kept in this process's memory behind a lock: the dashboard is one process, and a restart
forgetting the counts only gives an attacker what a restart costs them anyway. At most
:data:`MAX_ADDRESSES` addresses are remembered (the least recently failing are forgotten first),
so a flood from many addresses cannot grow it without end.

The address is the one uvicorn gives the connection (``st.App`` serves through uvicorn with its
defaults: ``proxy_headers`` on, ``forwarded_allow_ips`` from ``FORWARDED_ALLOW_IPS`` or
``127.0.0.1,::1``). Behind a reverse proxy on the same machine that sets ``X-Forwarded-For``
(nginx: ``$proxy_add_x_forwarded_for``) each client's own address is therefore seen and
limited; an office behind one NAT shares one address, so the sign-in page says when it is the
address that is refused (ui.sign_in). An unknown address (``None``: Streamlit reports a
connection from the machine itself that way, i.e. a local browser, or a same-machine proxy that
sends no ``X-Forwarded-For``) is not limited here: limiting it would let one attacker lock
everybody out; such a proxy limits per address itself (e.g. nginx ``limit_req``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from datetime import datetime, timedelta

MAX_FAILURES = 20
WINDOW = timedelta(minutes=15)
MAX_ADDRESSES = 10_000


class AddressGuard:
    """Counts failed sign-ins per client address over a sliding window; thread-safe."""

    def __init__(
        self, limit: int = MAX_FAILURES, window: timedelta = WINDOW, capacity: int = MAX_ADDRESSES
    ) -> None:
        self.limit, self.window, self.capacity = limit, window, capacity
        self._lock = threading.Lock()
        self._failures: OrderedDict[str, deque[datetime]] = OrderedDict()

    def _recent(self, address: str, now: datetime) -> deque[datetime]:
        times = self._failures.get(address, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def refused(self, address: str | None, now: datetime) -> bool:
        """True while ``address`` has used up its failures for the window."""
        if address is None:
            return False
        with self._lock:
            return len(self._recent(address, now)) >= self.limit

    def record_failure(self, address: str | None, now: datetime) -> bool:
        """Count one failure; True when it is the one that makes the address refused."""
        if address is None:
            return False
        with self._lock:
            times = self._recent(address, now)
            times.append(now)
            self._failures[address] = times
            self._failures.move_to_end(address)
            while len(self._failures) > self.capacity:
                self._failures.popitem(last=False)
            return len(times) == self.limit

    def clear(self) -> None:
        with self._lock:
            self._failures.clear()


GUARD = AddressGuard()  # the dashboard process's one guard
