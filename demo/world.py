"""The demo world: a deterministic synthetic history of every OPD's accounts.

``build_world`` is pure: the same ``as_of`` and ``seed`` give identical records, whatever the
clock says. The history covers ``months`` months and ends at the start of ``as_of`` (local
midnight), so nothing lies in the future of a dashboard opened on that day.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.timeutil import DEFAULT_TZ
from demo.accounts import AccountPlan, OpdRow, plan_accounts, read_opds, registry_records
from demo.activity import base_audience, history_days, jump_ramp, post_times
from demo.captions import write_caption
from demo.engagement import post_counts, post_id, post_url, reach_factor, viral_multiplier
from demo.following import following_series
from demo.mentions import Mentions, mention_book, mentions_for
from demo.quirks import Quirks, caption_text, choose_quirks, registry_handle, silent_month
from demo.voice import OpdVoice, make_voice

Record = tuple[int, dict[str, object]]
SNAPSHOT_TIME = time(6, 0)
MIN_MONTHS = 1


@dataclass(frozen=True)
class DemoWorld:
    """Records in the shapes the registry and data importers accept: ``(line_no, row)``."""

    as_of: date
    seed: int
    months: int
    registry: list[Record] = field(default_factory=list)
    posts: list[Record] = field(default_factory=list)
    followers: list[Record] = field(default_factory=list)
    quirks: Quirks = field(default_factory=Quirks)

    @property
    def account_count(self) -> int:
        return sum(1 for _, row in self.registry if row["handle"])


@dataclass
class _Audience:
    """An account's audience by day: a base series plus the jumps left by viral posts."""

    base: list[float]
    jumps: list[tuple[int, float]] = field(default_factory=list)

    def on(self, day: int) -> float:
        extra = sum(size * jump_ramp(day - d) for d, size in self.jumps if day > d)
        return self.base[day] + extra


def _posts(
    plan: AccountPlan,
    voice: OpdVoice,
    mentions: Mentions,
    start: date,
    days: int,
    rng: random.Random,
    tz: ZoneInfo,
) -> tuple[list[dict[str, object]], _Audience]:
    audience = _Audience(base_audience(plan, days, rng))
    times = post_times(plan, start, days, rng, tz)
    forced = (
        set(rng.sample(range(len(times)), min(2, len(times)))) if plan.trend == "jump" else set()
    )
    end = datetime.combine(start + timedelta(days=days), time.min, tzinfo=tz)
    rows: list[dict[str, object]] = []
    for number, when in enumerate(times, start=1):
        day = (when.date() - start).days
        caption = write_caption(rng, voice, when, plan.propensity)
        viral = viral_multiplier(rng, number - 1 in forced)
        age = (end - when).total_seconds() / 86_400
        reach = reach_factor(rng, caption.quality, age, viral)
        counts = post_counts(rng, plan.platform, audience.on(day), reach)
        if viral > 1 and plan.platform in ("instagram", "facebook", "youtube", "tiktok", "x"):
            audience.jumps.append((day, audience.on(day) * rng.uniform(0.02, 0.06) * viral / 25))
        rows.append(
            {
                "platform": plan.platform,
                "handle": plan.handle,
                "post_id": post_id(plan.platform, plan.opd.slug, number),
                "posted_at": when,
                "caption": mentions.add(caption),
                "likes": counts.likes,
                "comments": counts.comments,
                "shares": counts.shares,
                "views": counts.views,
                "url": post_url(
                    plan.platform, plan.handle, plan.opd.slug, number, counts.media_type
                ),
            }
        )
    return rows, audience


def _snapshots(
    plan: AccountPlan, audience: _Audience, start: date, days: int, seed: int, tz: ZoneInfo
) -> list[dict[str, object]]:
    if plan.platform == "website":
        return []
    following = following_series(plan, days, seed)
    return [
        {
            "platform": plan.platform,
            "handle": plan.handle,
            "observed_at": datetime.combine(start + timedelta(days=i), SNAPSHOT_TIME, tzinfo=tz),
            "followers": max(0, round(audience.on(i))),
            "following": following[i],
        }
        for i in range(days)
    ]


def build_world(
    as_of: date, seed: int = 2026, months: int = 16, tz: ZoneInfo = DEFAULT_TZ
) -> DemoWorld:
    """Registry, posts and daily follower snapshots of every demo account, up to ``as_of``."""
    if months < MIN_MONTHS:
        raise ValueError(f"months must be at least {MIN_MONTHS}, got {months}")
    opds = read_opds()
    plans = plan_accounts(opds, seed)
    start, days = history_days(as_of, months)
    voices: dict[str, OpdVoice] = {}
    posts: list[dict[str, object]] = []
    followers: list[dict[str, object]] = []
    quirks = choose_quirks(plans)
    book = mention_book(plans, seed)
    for plan in plans:
        voice = voices.get(plan.opd.code) or _voice(plan.opd, seed)
        voices[plan.opd.code] = voice
        rng = random.Random(f"{seed}:history:{plan.platform}:{plan.handle}")
        mentions = mentions_for(book, plan, seed)
        rows, audience = _posts(plan, voice, mentions, start, days, rng, tz)
        posts.extend(_as_sent(rows, plan, quirks, silent_month(as_of), tz))
        followers.extend(_snapshots(plan, audience, start, days, seed, tz))
    registry = [
        (line, {**row, "handle": registry_handle(quirks, str(row["platform"]), str(row["handle"]))})
        for line, row in registry_records(opds, plans, seed)
    ]
    return DemoWorld(
        as_of=as_of,
        seed=seed,
        months=months,
        registry=registry,
        posts=list(enumerate(posts, start=2)),
        followers=list(enumerate(followers, start=2)),
        quirks=quirks,
    )


def _as_sent(
    rows: list[dict[str, object]], plan: AccountPlan, quirks: Quirks, quiet: str, tz: ZoneInfo
) -> list[dict[str, object]]:
    """The posts as real platforms send them: some without text, one account silent for a
    whole month (applied after the history is drawn, so nothing else moves)."""
    if (plan.platform, plan.handle) == quirks.silent_month:
        rows = [r for r in rows if _local_month(r["posted_at"], tz) != quiet]
    return [{**r, "caption": caption_text(str(r["post_id"]), str(r["caption"]))} for r in rows]


def _local_month(value: object, tz: ZoneInfo) -> str:
    return value.astimezone(tz).strftime("%Y-%m") if isinstance(value, datetime) else ""


def _voice(opd: OpdRow, seed: int) -> OpdVoice:
    return make_voice(opd.code, opd.name, opd.category, seed)
