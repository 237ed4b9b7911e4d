"""Monthly pre-aggregates per account and the other derived data the writers store, in SQL.

Writers mark the (account, month) pairs they touch as dirty (``repository.mark_dirty``);
:func:`rebuild_dirty_months` recomputes just those months. Months are local-time months of
the configured zone; changing the zone rebuilds all. Also here: the SQL side of caption
scoring (which posts wait for a score, storing the scores) and of the stored month rankings.
What the scores mean is not known here: ``refresh/`` computes them and calls these.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, case, delete, func, or_, select, tuple_, update
from sqlalchemy.orm import Session

from core.timeutil import local_day_start_utc, month_bounds
from db.comments import comment_totals
from db.models import AccountMonth, AggregateDirty, FollowerSnapshot, MonthScore, Post
from db.repository import get_meta, insert_stmt, mark_dirty, months_touched, set_meta

ZONE_KEY = "aggregates_tz"
VERSION_KEY = "aggregates_version"
CHUNK = 400  # accounts per statement: keeps every IN list well under SQLite's limits


def month_range(month: str, tz: ZoneInfo) -> tuple[datetime, datetime]:
    first, nxt = month_bounds(month)
    return local_day_start_utc(first, tz), local_day_start_utc(nxt, tz)


@dataclass(frozen=True)
class CaptionRule:
    """How the caption totals are counted from a post's stored checklist (the caption
    checker's bit masks and levels, handed in by ``refresh``: storage does not score)."""

    complete_mask: int  # every element present
    clean_mask: int  # no typo, no jargon
    levels_within_rule: frozenset[str]  # official levels the office's rule allows


class Unscored(NamedTuple):
    id: int
    caption: str
    account_id: int
    posted_at: datetime


class CaptionScore(NamedTuple):
    post: Unscored
    score: float | None
    level: str | None
    flags: int


def rebuild_dirty_months(session: Session, tz: ZoneInfo, rule: CaptionRule) -> int:
    """Bring every dirty account-month up to date; returns rows rewritten. Caller commits."""
    months = dirty_months(session, tz)
    written = 0
    for month, account_ids in sorted(months.items()):
        ids = sorted(set(account_ids))
        for start in range(0, len(ids), CHUNK):
            written += _refresh_month(session, month, ids[start : start + CHUNK], tz, rule)
    session.execute(delete(AggregateDirty))
    set_meta(session, ZONE_KEY, tz.key)
    if written:  # stored month scores computed from older totals are now out of date
        set_meta(session, VERSION_KEY, str(int(get_meta(session, VERSION_KEY) or 0) + 1))
    return written


def unscored_captions(session: Session, after_id: int, limit: int) -> list[Unscored]:
    """Up to ``limit`` posts with a caption not checked yet (new posts, changed captions),
    in id order after ``after_id``: a caller walks them in batches, whatever it stores.
    Checked means flags stored: a caption without text keeps a NULL score but has flags, so
    it is not checked again at every refresh."""
    stmt = (
        select(Post.id, Post.caption, Post.account_id, Post.posted_at)
        .where(Post.caption_flags.is_(None), Post.caption.is_not(None), Post.id > after_id)
        .order_by(Post.id)
        .limit(limit)
    )
    return [Unscored(i, caption or "", a, t) for i, caption, a, t in session.execute(stmt)]


def store_caption_scores(session: Session, scores: Sequence[CaptionScore]) -> None:
    """Store each post's caption score, official level and checklist flags, and mark its
    month dirty (its caption totals changed)."""
    if not scores:
        return
    mark_dirty(session, ((s.post.account_id, s.post.posted_at) for s in scores))
    payload = [{"pid": s.post.id, "score": s.score, "level": s.level, "flags": s.flags}
               for s in scores]  # fmt: skip
    session.connection().execute(
        update(Post).where(Post.id == bindparam("pid")).values(
            caption_score=bindparam("score"), caption_level=bindparam("level"),
            caption_flags=bindparam("flags"),
        ),
        payload,
    )  # fmt: skip


def replace_month_scores(session: Session, month: str, rows: Sequence[dict[str, Any]]) -> None:
    """Replace a month's stored ranking rows (``month_scores``) with ``rows``."""
    session.execute(delete(MonthScore).where(MonthScore.month == month))
    if rows:
        session.execute(insert_stmt(session, MonthScore.__table__), list(rows))


def dirty_months(session: Session, tz: ZoneInfo) -> dict[str, list[int]]:
    """Months to recompute with their accounts; everything when the zone changed."""
    pairs: set[tuple[int, str]] = set()
    if get_meta(session, ZONE_KEY) != tz.key:
        session.execute(delete(AccountMonth))
        for stmt in (
            select(Post.account_id, Post.posted_at),
            select(FollowerSnapshot.account_id, FollowerSnapshot.observed_at),
        ):
            for account_id, moment in session.execute(stmt):
                pairs.update((account_id, m) for m in months_touched([moment]))
    else:
        dirty = session.execute(select(AggregateDirty.account_id, AggregateDirty.month))
        pairs = {(account_id, month) for account_id, month in dirty}
    months: dict[str, list[int]] = defaultdict(list)
    for account_id, month in pairs:
        months[month].append(account_id)
    return months


def _refresh_month(
    session: Session, month: str, account_ids: list[int], tz: ZoneInfo, rule: CaptionRule
) -> int:
    """Rewrite one month's rows for some accounts; returns how many rows changed."""
    start, end = month_range(month, tz)
    rows = period_rows(session, month, account_ids, start, end, rule)
    old = _current_rows(session, month, account_ids)
    if _as_set(rows) == _as_set(old):
        return 0  # nothing changed (a re-import, a pass with the same answers)
    session.execute(
        delete(AccountMonth).where(
            AccountMonth.month == month, AccountMonth.account_id.in_(account_ids)
        )
    )
    if rows:
        session.execute(insert_stmt(session, AccountMonth.__table__), rows)
    return max(1, len(rows))


def period_rows(
    session: Session,
    month: str,
    account_ids: list[int],
    start: datetime,
    end: datetime,
    rule: CaptionRule,
) -> list[dict[str, Any]]:
    """``account_months`` rows of ``month`` counted over [start, end) only, for the accounts
    with a post or a follower count there: a whole month's stored row, or the first days of a
    month (what a running month is compared with)."""
    posts = _with_comments(
        _post_totals(session, account_ids, start, end, rule),
        comment_totals(session, account_ids, start, end),
    )
    snaps = _snapshot_totals(session, account_ids, start, end)
    return [
        {"account_id": a, "month": month, **posts.get(a, EMPTY_POSTS), **snaps.get(a, EMPTY_SNAPS)}
        for a in account_ids
        if a in posts or a in snaps
    ]


def _current_rows(session: Session, month: str, account_ids: list[int]) -> list[dict[str, Any]]:
    table = AccountMonth.__table__
    stmt = select(table).where(table.c.month == month, table.c.account_id.in_(account_ids))
    return [dict(row._mapping) for row in session.execute(stmt)]


def _as_set(rows: list[dict[str, Any]]) -> set[tuple[tuple[str, str], ...]]:
    """Rows compared by value; floats rounded so a re-computed sum compares equal."""

    def norm(value: Any) -> str:
        return f"{value:.9g}" if isinstance(value, float) else str(value)

    return {tuple(sorted((k, norm(v)) for k, v in row.items())) for row in rows}


EMPTY_POSTS: dict[str, Any] = {
    "posts": 0, "rated_posts": 0, "interactions": 0, "viewed_posts": 0, "views": 0,
    "view_interactions": 0, "caption_scored": 0, "caption_score_sum": 0.0, "active_weeks": 0,
    "last_posted_at": None,
    "comments_sampled": 0,
    "comments_answered": 0,
    "reply_median_minutes": None,
    "caption_complete": 0,
    "caption_within_rule": 0,
    "caption_clean": 0,
}  # fmt: skip
EMPTY_SNAPS: dict[str, Any] = {
    "snapshots": 0, "followers_mean": None, "followers_first": None, "followers_first_at": None,
    "followers_last": None, "followers_last_at": None,
}  # fmt: skip


def _post_totals(
    session: Session, account_ids: list[int], start: datetime, end: datetime, rule: CaptionRule
) -> dict[int, dict[str, Any]]:
    """Post totals per account in one GROUP BY (portable SQL: SQLite and PostgreSQL)."""
    # week index from the period's first day, as metrics.activity.posting_activity counts it
    bounds = [start + timedelta(days=7 * i) for i in range(1, 5)]
    week = case(*[(Post.posted_at < b, i) for i, b in enumerate(bounds)], else_=len(bounds))
    viewed = and_(Post.interactions.is_not(None), Post.views.is_not(None))
    complete, clean = rule.complete_mask, rule.clean_mask
    stmt = (
        select(
            Post.account_id,
            func.count(),
            func.count(Post.interactions),
            func.coalesce(func.sum(Post.interactions), 0),
            func.sum(case((viewed, 1), else_=0)),
            func.coalesce(func.sum(case((viewed, Post.views), else_=0)), 0),
            func.coalesce(func.sum(case((viewed, Post.interactions), else_=0)), 0),
            func.count(Post.caption_score),
            func.coalesce(func.sum(Post.caption_score), 0.0),
            func.count(week.distinct()),
            func.max(Post.posted_at),
            func.coalesce(func.sum(Post.comments_sampled), 0),
            func.coalesce(func.sum(Post.comments_answered), 0),
            func.sum(case((Post.caption_flags.op("&")(complete) == complete, 1), else_=0)),
            func.sum(case((Post.caption_level.in_(sorted(rule.levels_within_rule)), 1), else_=0)),
            func.sum(
                case(
                    (
                        or_(
                            Post.caption_flags.is_(None),
                            Post.caption_flags.op("&")(clean) == clean,
                        ),
                        1,
                    ),
                    else_=0,
                )
            ),
        )
        .where(Post.account_id.in_(account_ids), Post.posted_at >= start, Post.posted_at < end)
        .group_by(Post.account_id)
    )
    names = ["posts", "rated_posts", "interactions", "viewed_posts", "views",
             "view_interactions", "caption_scored", "caption_score_sum", "active_weeks",
             "last_posted_at", "comments_sampled", "comments_answered", "caption_complete",
             "caption_within_rule", "caption_clean"]  # fmt: skip
    return {row[0]: dict(zip(names, row[1:], strict=True)) for row in session.execute(stmt)}


def _with_comments(
    posts: dict[int, dict[str, Any]], comments: dict[int, dict[str, Any]]
) -> dict[int, dict[str, Any]]:
    """Post totals plus the comments read with the owner's token (Facebook, Instagram).

    A post's own sample (YouTube: ``posts.comments_sampled``) and the stored comments never
    cover the same post, so the two counts add up; only stored comments have reply times."""
    for account_id, totals in posts.items():
        extra = comments.get(account_id, {})
        totals["comments_sampled"] += extra.get("comments_sampled", 0)
        totals["comments_answered"] += extra.get("comments_answered", 0)
        totals["reply_median_minutes"] = extra.get("reply_median_minutes")
    return posts


def _snapshot_totals(
    session: Session, account_ids: list[int], start: datetime, end: datetime
) -> dict[int, dict[str, Any]]:
    snap = FollowerSnapshot
    stmt = (
        select(
            snap.account_id,
            func.count(),
            func.avg(snap.followers),
            func.min(snap.observed_at),
            func.max(snap.observed_at),
        )
        .where(
            snap.account_id.in_(account_ids),
            snap.observed_at >= start,
            snap.observed_at < end,
            snap.followers.is_not(None),
        )
        .group_by(snap.account_id)
    )
    totals = {a: (n, mean, first, last) for a, n, mean, first, last in session.execute(stmt)}
    if not totals:
        return {}
    keys = [(a, t) for a, (_, _, first, last) in totals.items() for t in (first, last)]
    value_stmt = select(snap.account_id, snap.observed_at, snap.followers).where(
        tuple_(snap.account_id, snap.observed_at).in_(keys)
    )
    value = {(a, t): f for a, t, f in session.execute(value_stmt)}
    return {
        a: {
            "snapshots": n,
            "followers_mean": float(mean),
            "followers_first": value[(a, first)],
            "followers_first_at": first,
            "followers_last": value[(a, last)],
            "followers_last_at": last,
        }
        for a, (n, mean, first, last) in totals.items()
    }
