"""How many accounts each demo account follows, day by day (the following count).

Only Instagram, TikTok and X report it; Facebook Pages, YouTube channels and websites have no
such number, so their history carries None. Admins follow a few more accounts now and then
(another OPD, the regent's) and rarely unfollow one, so the count grows slowly. The history
came from the office's sheet, where the cell is sometimes empty, and a few accounts only began
recording the count some months ago: those days are None (unknown), never 0.

Each account draws from its own random stream, so the rest of the world does not move.
"""

from __future__ import annotations

import random

from demo.accounts import QUIET_HABITS, AccountPlan

FOLLOWING_PLATFORMS = frozenset({"instagram", "tiktok", "x"})
START_RANGE = {"instagram": (40, 450), "tiktok": (8, 120), "x": (20, 260)}
FOLLOW_CHANCE = (0.02, 0.07)  # a day on which the admin follows new accounts (lively account)
QUIET_FOLLOW_CHANCE = 0.006  # the same for an account that is dormant, fading or never posts
UNFOLLOW_CHANCE = 0.004
EMPTY_CELL_CHANCE = 0.015  # a day the sheet left the count empty
LATE_START_CHANCE = 0.15  # an account whose count was only recorded for the last few months
LATE_START_DAYS = (45, 150)  # how many days before the end its recording began


def following_series(plan: AccountPlan, days: int, seed: int) -> list[int | None]:
    """The account's following count on each of ``days`` days; None where it is unknown."""
    if plan.platform not in FOLLOWING_PLATFORMS:
        return [None] * days
    rng = random.Random(f"{seed}:following:{plan.platform}:{plan.handle}")
    count = rng.randint(*START_RANGE[plan.platform])
    follow = QUIET_FOLLOW_CHANCE if plan.habit in QUIET_HABITS else rng.uniform(*FOLLOW_CHANCE)
    recorded_from = 0
    if rng.random() < LATE_START_CHANCE:
        recorded_from = max(0, days - rng.randint(*LATE_START_DAYS))
    series: list[int | None] = []
    for day in range(days):
        roll = rng.random()
        if roll < follow:
            count += rng.randint(1, 3)
        elif roll > 1 - UNFOLLOW_CHANCE:
            count = max(0, count - 1)
        empty = day < recorded_from or rng.random() < EMPTY_CELL_CHANCE
        series.append(None if empty else count)
    return series
