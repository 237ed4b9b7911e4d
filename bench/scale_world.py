"""The synthetic world of the scale benchmarks: OPDs, accounts, posts and snapshots as
import records (split from bench/scale.py, which builds the database)."""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from db.models import PLATFORMS
from demo.captions import write_caption
from demo.voice import make_voice
from ingest.registry import DEFAULT_REGISTRY

FORMAT = 1  # bump when the generated world changes, so old sidecars stop matching
PLATFORMS_PER_OPD = 5
BATCH_ROWS = 200_000  # records per import_records call: bounds memory, one commit each
CAPTION_POOL = 200
CAPTIONS_PER_OPD = 12  # an OPD writes in its own voice: its accounts draw from 12 pool texts
NO_CAPTION = 0.03  # share of posts without a caption
SECONDS_PER_DAY = 86_400

Record = tuple[int, dict[str, object]]


# --- the world ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Opd:
    code: str
    name: str
    category: str


@dataclass(frozen=True)
class AccountPlan:
    """How one synthetic account behaves over the span."""

    index: int
    opd: Opd
    opd_index: int
    platform: str
    handle: str
    rate: float  # posts per week while active
    active_from: float  # days after the start
    active_until: float  # days after the start (before the end: the account went quiet)
    followers0: float
    growth: float  # per day, continuous
    engagement: float  # interactions per follower per post (median)
    post_hour: int  # local hour of the daily follower snapshot


def sintang_opds() -> list[Opd]:
    """The real Sintang OPDs from the default registry (names and categories only)."""
    with DEFAULT_REGISTRY.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    seen: dict[str, Opd] = {}
    for row in rows:
        code = row["opd_code"].strip()
        if code and code not in seen:
            seen[code] = Opd(code, row["opd_name"].strip(), row["category"].strip() or "dinas")
    return list(seen.values())


def make_opds(count: int) -> list[Opd]:
    """The real OPDs first, then made-up ones (a province has hundreds)."""
    real = sintang_opds()
    categories = sorted({o.category for o in real})
    extra = [
        Opd(f"SKL{i:04d}", f"OPD Sintetis {i:04d}", categories[i % len(categories)])
        for i in range(count - len(real))
    ]
    return (real + extra)[:count]


def make_handle(platform: str, index: int) -> str:
    """A valid handle for each platform's own rules (X: at most 15 characters)."""
    if platform == "website":
        return f"opd{index:05d}.sintang.go.id"
    if platform == "x":
        return f"opd_{index:05d}"
    return f"pantau.opd{index:05d}" if platform != "facebook" else f"pantau.opd{index:05d}.fb"


MEDIAN_FOLLOWERS = {"instagram": 3000, "facebook": 8000, "youtube": 600, "tiktok": 2500,
                    "x": 900, "website": 0}  # fmt: skip


def plan_accounts(
    count: int, days: float, rate: float, rng: np.random.Generator
) -> list[AccountPlan]:
    """``count`` accounts in ceil(count/5) OPDs, with varied habits around ``rate`` a week."""
    opds = make_opds(math.ceil(count / PLATFORMS_PER_OPD))
    # lognormal habit with mean 1, so the average stays ``rate``
    habit = rng.lognormal(-0.18, 0.6, count)
    late = rng.random(count) < 0.10  # registered part-way through
    quiet = rng.random(count) < 0.12  # stopped posting 15 to 120 days before the end
    never = rng.random(count) < 0.02  # collected, never posted
    plans = []
    for i in range(count):
        opd_index, slot = divmod(i, PLATFORMS_PER_OPD)
        platform = PLATFORMS[(opd_index + slot) % len(PLATFORMS)]
        active_from = float(rng.uniform(0, days * 0.6)) if late[i] else 0.0
        until = days - float(rng.uniform(15, 120)) if quiet[i] else days
        plans.append(
            AccountPlan(
                index=i,
                opd=opds[opd_index],
                opd_index=opd_index,
                platform=platform,
                handle=make_handle(platform, i),
                rate=0.0 if never[i] else rate * float(habit[i]),
                active_from=active_from,
                active_until=max(active_from, until),
                followers0=MEDIAN_FOLLOWERS[platform] * float(rng.lognormal(0, 1.0)),
                growth=float(rng.normal(0.0008, 0.0006)),
                engagement=float(rng.lognormal(math.log(0.02), 0.5)),
                post_hour=int(rng.integers(5, 10)),
            )
        )
    return plans


def registry_records(plans: Sequence[AccountPlan]) -> list[Record]:
    return [
        (
            p.index + 2,
            {
                "opd_code": p.opd.code,
                "opd_name": p.opd.name,
                "category": p.opd.category,
                "platform": p.platform,
                "handle": p.handle,
                "admin_name": "",
                "admin_phone": "",
                "admin_email": "",
            },
        )
        for p in plans
    ]


def caption_pool(seed: int, size: int = CAPTION_POOL) -> list[str]:
    """``size`` realistic captions in the voices of the real Sintang OPDs."""
    rng = random.Random(f"{seed}:scale-captions")
    opds = sintang_opds()
    voices = [make_voice(o.code, o.name, o.category, seed) for o in opds]
    when = datetime(2026, 3, 2, 9, 30)
    pool = []
    for i in range(size):
        moment = when + timedelta(days=rng.randrange(300), hours=rng.randrange(10))
        pool.append(write_caption(rng, voices[i % len(voices)], moment, propensity=0.5).text)
    return pool


# --- posts and snapshots as import records ---------------------------------------------------


@dataclass
class Span:
    """The data's local-time span; datetime64 seconds, naive local time."""

    start: np.datetime64
    days: float

    def at(self, offsets: np.ndarray) -> list[datetime]:
        """Naive local datetimes (the import reads them as local time) from second offsets."""
        stamps = self.start + offsets.astype("timedelta64[s]")
        result: list[datetime] = stamps.astype("datetime64[us]").tolist()
        return result


def post_times(plan: AccountPlan, span: Span, rng: np.random.Generator) -> np.ndarray:
    """Sorted second offsets from the span's start, in office hours (06:00-21:59 local)."""
    active = plan.active_until - plan.active_from
    count = int(rng.poisson(plan.rate * active / 7)) if active > 0 else 0
    days = rng.uniform(plan.active_from, plan.active_until, count).astype(np.int64)
    seconds = days * SECONDS_PER_DAY + rng.integers(6 * 3600, 22 * 3600, count)
    limit = int(span.days * SECONDS_PER_DAY) - 3600  # keep clear of "now"
    return np.sort(seconds[seconds < limit])


def followers_at(plan: AccountPlan, offsets: np.ndarray) -> np.ndarray:
    return plan.followers0 * np.exp(plan.growth * offsets / SECONDS_PER_DAY)


def _ints(values: np.ndarray, hidden: np.ndarray | None = None) -> list[int | None]:
    out: list[int | None] = np.rint(values).astype(np.int64).tolist()
    if hidden is not None:
        for i in np.flatnonzero(hidden).tolist():
            out[i] = None
    return out


def post_counts(
    plan: AccountPlan, offsets: np.ndarray, rng: np.random.Generator
) -> dict[str, list[int | None]]:
    """Likes, comments, shares and views per post; ``None`` where the platform hides them."""
    n = len(offsets)
    if plan.platform == "website":
        return {k: [None] * n for k in ("likes", "comments", "shares", "views")}
    reach = followers_at(plan, offsets) * plan.engagement * rng.lognormal(0, 0.7, n)
    likes, comments, shares = reach * 0.85, reach * 0.1, reach * 0.05
    views = followers_at(plan, offsets) * rng.lognormal(-0.5, 0.9, n)
    none = np.ones(n, dtype=bool)
    if plan.platform == "instagram":  # some owners hide like counts; no shares, no views
        return {"likes": _ints(likes, rng.random(n) < 0.04), "comments": _ints(comments),
                "shares": _ints(shares, none), "views": _ints(views, none)}  # fmt: skip
    if plan.platform == "facebook":  # reactions, comments, shares; no views for photo posts
        return {"likes": _ints(likes), "comments": _ints(comments), "shares": _ints(shares),
                "views": _ints(views, none)}  # fmt: skip
    if plan.platform == "youtube":  # no shares; likes hidden on some videos
        return {"likes": _ints(likes, rng.random(n) < 0.03), "comments": _ints(comments),
                "shares": _ints(shares, none), "views": _ints(views)}  # fmt: skip
    return {
        "likes": _ints(likes),
        "comments": _ints(comments),
        "shares": _ints(shares),
        "views": _ints(views),
    }  # fmt: skip  (tiktok, x)


def post_records(
    plan: AccountPlan, span: Span, pool: Sequence[str], rng: np.random.Generator, line: int
) -> list[Record]:
    offsets = post_times(plan, span, rng)
    counts = post_counts(plan, offsets, rng)
    first = (plan.opd_index * CAPTIONS_PER_OPD) % len(pool)
    picks = ((first + rng.integers(0, CAPTIONS_PER_OPD, len(offsets))) % len(pool)).tolist()
    blank = (rng.random(len(offsets)) < NO_CAPTION).tolist()
    captions = [
        None if no_caption else pool[pick] for pick, no_caption in zip(picks, blank, strict=True)
    ]
    base = {"platform": plan.platform, "handle": plan.handle, "url": None}
    columns = ("posted_at", "caption", "likes", "comments", "shares", "views")
    values = (span.at(offsets), captions, *(counts[c] for c in columns[2:]))
    return [
        (line + k, {**base, "post_id": f"{plan.index}-{k}", **dict(zip(columns, row, strict=True))})
        for k, row in enumerate(zip(*values, strict=True))
    ]


def snapshot_records(
    plan: AccountPlan, span: Span, every: int, rng: np.random.Generator, line: int
) -> list[Record]:
    """One snapshot every ``every`` days at the account's collection hour (not for websites)."""
    if plan.platform == "website":
        return []
    first_day = math.floor(plan.active_from)
    days = np.arange(first_day, math.floor(span.days - 1) + 1, every, dtype=np.int64)
    offsets = days * SECONDS_PER_DAY + plan.post_hour * 3600 + int(rng.integers(0, 3600))
    offsets = offsets[offsets < int(span.days * SECONDS_PER_DAY) - 3600]
    noise = rng.normal(0, 0.002, len(offsets))
    followers = _ints(followers_at(plan, offsets) * (1 + noise))
    base = {"platform": plan.platform, "handle": plan.handle}
    return [
        (line + k, {**base, "observed_at": when, "followers": count})
        for k, (when, count) in enumerate(zip(span.at(offsets), followers, strict=True))
    ]


def batches(
    plans: Sequence[AccountPlan], make: Callable[[AccountPlan, int], list[Record]], size: int
) -> Iterator[list[Record]]:
    """Whole accounts' records, about ``size`` at a time."""
    batch: list[Record] = []
    line = 2
    for plan in plans:
        records = make(plan, line)
        line += len(records)
        batch.extend(records)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
