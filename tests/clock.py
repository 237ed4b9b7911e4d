""" "Now" in the tests (issue #14): a fixed instant, never the wall clock.

A test whose data or expectations depend on today, this month or the time of day runs at
``FIXED_NOW``: the product reads it through its own ``now=`` parameters where it has them,
otherwise through ``fixed_clock()``, which moves this process's clock (every thread of it) there
with time-machine. The clock keeps ticking from that instant, so timeouts and sleeps behave.
A child process keeps the real clock: a test that starts one must not depend on the date.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

WIB = ZoneInfo("Asia/Pontianak")
# Thursday 26 November 2026, 13:00 WIB: hours from midnight, days from the month's end, after
# every date the tests' files carry, and in the past (a child process on the real clock never
# meets it as the future)
FIXED_NOW = datetime(2026, 11, 26, 13, 0, tzinfo=WIB).astimezone(UTC)
# what several tests share (the demo world, the crash proof's reference pass) is made an hour
# earlier the same day: all of it lies in the past of every test's now
SET_UP_AT = FIXED_NOW - timedelta(hours=1)


def fixed_clock(at: datetime = FIXED_NOW) -> time_machine.travel:
    """Run at ``at`` (with the clock ticking from there): ``with fixed_clock(): ...``."""
    return time_machine.travel(at, tick=True)
