"""When a demo account posts, and how its audience moves from day to day."""

from __future__ import annotations

import math
import random
from calendar import monthrange
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from demo.accounts import AccountPlan

# Relative chance of posting at each local hour: mostly 07-21, peaks 09-11 and 19-20.
HOUR_WEIGHTS = (
    0.05, 0.03, 0.02, 0.02, 0.03, 0.1, 0.8, 3, 5, 9, 10, 8,
    5, 5, 5, 5, 4, 3, 3, 7, 7, 4, 1.5, 0.5,
)  # fmt: skip
WEEKDAY_FACTOR = (1.15, 1.15, 1.15, 1.15, 1.1, 0.55, 0.35)  # Monday .. Sunday
STEADY_RATES = {"daily": 1.35, "frequent": 0.38, "weekly": 0.14, "never": 0.0}

RateFn = Callable[[int], float]


def months_back(day: date, months: int) -> date:
    """The same day of the month ``months`` earlier (clamped to the month's length)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = month0 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def history_days(as_of: date, months: int) -> tuple[date, int]:
    """First day of the history and its length; the history ends the day before ``as_of``."""
    start = months_back(as_of, months)
    return start, (as_of - start).days


def poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method; fine for the small means used here."""
    if mean <= 0:
        return 0
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _rate_fn(plan: AccountPlan, days: int, rng: random.Random) -> tuple[RateFn, set[int]]:
    """Expected posts on day ``i`` (before the weekday factor) and days that must have a post."""
    habit = plan.habit
    if habit in STEADY_RATES:
        rate = STEADY_RATES[habit]
        return (lambda _i: rate), set()
    if habit == "fading":
        return (lambda i: 0.03 + 0.9 * (1 - i / days) ** 2), set()
    if habit == "dormant":
        last = days - rng.randint(60, 240)
        return (lambda i: 0.5 if i < last else 0.0), {last}
    if habit == "revived":
        quiet, back = rng.randint(days // 5, days // 3), days - rng.randint(20, 50)
        return (lambda i: 0.35 if i < quiet else (0.9 if i >= back else 0.0)), {back}
    # irregular: each week has its own intensity, from silence to a burst around an event
    weeks = [rng.choice((0.0, 0.0, 0.08, 0.25, 0.6, 1.2)) for _ in range(days // 7 + 1)]
    return (lambda i: weeks[i // 7]), set()


def post_times(
    plan: AccountPlan, start: date, days: int, rng: random.Random, tz: ZoneInfo
) -> list[datetime]:
    """Sorted local times of the account's posts over ``days`` days from ``start``."""
    rate, forced = _rate_fn(plan, days, rng)
    times: list[datetime] = []
    for i in range(days):
        day = start + timedelta(days=i)
        count = poisson(rng, rate(i) * WEEKDAY_FACTOR[day.weekday()])
        if i in forced:
            count = max(1, count)
        hours = rng.choices(range(24), weights=HOUR_WEIGHTS, k=count)
        stamps = {(h, rng.randrange(60), rng.randrange(60)) for h in hours}
        times.extend(datetime.combine(day, time(h, m, s), tzinfo=tz) for h, m, s in stamps)
    return sorted(times)


def base_audience(plan: AccountPlan, days: int, rng: random.Random) -> list[float]:
    """Audience per day from a smooth trend plus small noise, before any viral jump."""
    end = plan.audience_now
    begin = end / (1 + plan.change)
    out = []
    for i in range(days):
        trend = begin * (1 + plan.change) ** (i / max(1, days - 1))
        out.append(max(0.0, trend * (1 + rng.gauss(0, 0.0007)) + rng.gauss(0, 0.6)))
    return out


def jump_ramp(days_after: int) -> float:
    """Share of a viral jump visible ``days_after`` the post (snapshots are taken at 06:00)."""
    return (0.0, 0.6, 0.85)[days_after] if days_after < 3 else 1.0
