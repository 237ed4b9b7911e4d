"""The demo world shows the following count and mentions: a following history for Instagram,
TikTok and X (slowly growing, some days unknown, none for Facebook and YouTube) that today's
collection continues, and @mentions of official accounts in a minority of captions."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from datetime import date

import pandas as pd
import pytest
from sqlalchemy.orm import Session

from core.settings import load_settings
from core.timeutil import DEFAULT_TZ
from db import queries
from db.aggregates import month_range
from db.engine import make_engine, make_session_factory
from demo.mentions import REGENCY
from demo.simworld import world_from_demo
from demo.world import DemoWorld, build_world
from metrics.following import following_counts
from metrics.hashtags import extract_tags
from services.tags import month_tags
from tests.clock import SET_UP_AT

AS_OF = date(2025, 12, 1)
FOLLOWING = ("instagram", "tiktok", "x")
TAGGING = ("instagram", "facebook", "tiktok", "x")
Key = tuple[str, str]


@pytest.fixture(scope="module")
def world() -> DemoWorld:
    return build_world(AS_OF)


def _following(world: DemoWorld) -> dict[Key, list[int | None]]:
    series: dict[Key, list[int | None]] = defaultdict(list)
    for _line, row in world.followers:
        value = row["following"]
        assert value is None or type(value) is int
        series[(str(row["platform"]), str(row["handle"]))].append(value)
    return series


def test_only_instagram_tiktok_and_x_have_a_following_history(world: DemoWorld) -> None:
    series = _following(world)
    platforms = {platform for platform, _handle in series}
    assert platforms == {*FOLLOWING, "facebook", "youtube"}
    for (platform, _handle), counts in series.items():
        known = [c for c in counts if c is not None]
        if platform in FOLLOWING:
            assert len(known) > 30, platform  # every account has months of counts
        else:
            assert not known, platform  # the platform does not report it: never a 0


def test_following_grows_slowly_with_a_few_unknown_days(world: DemoWorld) -> None:
    series = {k: v for k, v in _following(world).items() if k[0] in FOLLOWING}
    known = [[c for c in counts if c is not None] for counts in series.values()]
    assert all(min(k) >= 0 and max(k) - min(k) <= 200 for k in known)
    assert all(b - a >= -1 for k in known for a, b in itertools.pairwise(k))
    assert sum(k[-1] > k[0] for k in known) >= 0.6 * len(known)  # most grow, none jumps
    scattered = sum(c is None for counts in series.values() for c in counts[-30:])
    assert 0 < scattered < 0.05 * 30 * len(series)  # an empty cell now and then
    # a few accounts recorded the count only in the last months: earlier months are unknown
    late = [k for k, counts in series.items() if all(c is None for c in counts[:200])]
    assert 2 <= len(late) <= 0.3 * len(series)


def test_todays_collection_continues_the_history(world: DemoWorld) -> None:
    sim = world_from_demo(world)
    for (platform, handle), counts in _following(world).items():
        account = sim.find(platform, handle)
        if account is None:  # the quirk account the platform does not have
            assert (platform, handle) == world.quirks.missing
            continue
        known = [c for c in counts if c is not None]
        assert account.following == (known[-1] if known else 0)


def _mentions(world: DemoWorld) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Mentions used, and captioned / mentioning posts per platform."""
    used: Counter[str] = Counter()
    captioned: Counter[str] = Counter()
    tagging: Counter[str] = Counter()
    for _line, row in world.posts:
        caption = row["caption"]
        if not (isinstance(caption, str) and caption.strip()):
            continue
        mentions = extract_tags(caption)[1]
        captioned[str(row["platform"])] += 1
        tagging[str(row["platform"])] += bool(mentions)
        used.update(mentions)
    return used, captioned, tagging


def test_a_minority_of_captions_mention_official_accounts(world: DemoWorld) -> None:
    used, captioned, tagging = _mentions(world)
    for platform in TAGGING:
        assert 0.05 < tagging[platform] / captioned[platform] < 0.25, platform
    assert tagging["youtube"] == tagging["website"] == 0
    registered = {str(row["handle"]) for _line, row in world.registry}
    assert set(used) <= registered | {REGENCY}  # the regency or a demo OPD account
    assert used.most_common(1)[0][0] == REGENCY
    assert {"demo.diskominfo", "demo.prokopim"} <= set(used) and len(used) >= 10


def test_no_account_mentions_itself(world: DemoWorld) -> None:
    for _line, row in world.posts:
        mentions = extract_tags(row["caption"])[1]
        assert str(row["handle"]) not in mentions


# --- the stored demo world ----------------------------------------------------------------


@pytest.fixture
def demo_session(demo_db_url: str) -> Session:
    return make_session_factory(make_engine(demo_db_url))()


def _month_before(months: int) -> str:
    first = SET_UP_AT.astimezone(DEFAULT_TZ).date().replace(day=1)
    return (pd.Timestamp(first) - pd.DateOffset(months=months)).strftime("%Y-%m")


def test_stored_demo_has_past_months_following(demo_session: Session) -> None:
    accounts = queries.accounts_frame(demo_session)[["account_id", "platform"]]
    for months, unknown in ((1, False), (6, True)):
        start, end = month_range(_month_before(months), DEFAULT_TZ)
        snapshots = queries.snapshots_frame(demo_session, None, end)
        counts = following_counts(snapshots, start, end).merge(accounts, on="account_id")
        known = counts.dropna(subset=["following"])
        assert set(known["platform"]) == set(FOLLOWING)
        assert known["following_change"].notna().mean() > 0.6  # and a change over the month
        able = accounts[accounts["platform"].isin(FOLLOWING)]
        missing = able[~able["account_id"].isin(known["account_id"])]
        # accounts whose count was recorded only lately: "tidak tersedia" in older months
        assert (0 < len(missing) < 0.3 * len(able)) is unknown, months


def test_stored_demo_month_has_mentions(demo_session: Session) -> None:
    tags = month_tags(demo_session, _month_before(1), load_settings(environ={}))
    assert not tags.mentions.empty and tags.mentions["tag"].iloc[0] == REGENCY
    assert tags.mentions["accounts"].iloc[0] >= 5  # tagged by many offices
