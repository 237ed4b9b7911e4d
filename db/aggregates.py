"""Monthly pre-aggregates per account, kept fresh by the writers (never by the dashboard).

Writers mark the (account, month) pairs they touch as dirty; :func:`refresh_aggregates`
recomputes just those, derives each post's interactions and caption score with the pure
functions in ``metrics/`` (stored on the post as a cache), and rewrites the month rows.
Months are local-time months of the configured zone; changing the zone rebuilds everything.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from core.timeutil import local_day_start_utc, month_bounds
from db import queries
from db.models import Account, AccountMonth, AggregateDirty, FollowerSnapshot, Post
from db.repository import get_meta, insert_stmt, months_touched, set_meta
from metrics.activity import posting_activity
from metrics.captions import caption_scores
from metrics.engagement import post_interactions

ZONE_KEY = "aggregates_tz"
CHUNK = 500


def month_range(month: str, tz: ZoneInfo) -> tuple[datetime, datetime]:
    first, nxt = month_bounds(month)
    return local_day_start_utc(first, tz), local_day_start_utc(nxt, tz)


def dirty_pairs(session: Session, tz: ZoneInfo) -> tuple[dict[str, list[int]], bool]:
    """Months to recompute with their accounts; everything when the zone changed."""
    full = get_meta(session, ZONE_KEY) != tz.key
    if full:
        session.execute(delete(AccountMonth))
        pairs: set[tuple[int, str]] = set()
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
    return months, full


def refresh_aggregates(session: Session, tz: ZoneInfo) -> int:
    """Recompute the dirty account-months; returns how many were rewritten. Caller commits."""
    months, _full = dirty_pairs(session, tz)
    platforms = dict(session.execute(select(Account.id, Account.platform)).all())
    written = 0
    for month, account_ids in sorted(months.items()):
        for start in range(0, len(account_ids), CHUNK):
            chunk = sorted(set(account_ids[start : start + CHUNK]))
            written += _refresh_month(session, month, chunk, tz, platforms)
    session.execute(delete(AggregateDirty))
    set_meta(session, ZONE_KEY, tz.key)
    return written


def _refresh_month(
    session: Session, month: str, account_ids: list[int], tz: ZoneInfo, platforms: dict[int, str]
) -> int:
    start, end = month_range(month, tz)
    posts = _derived_posts(session, account_ids, start, end, platforms)
    snaps = queries.snapshots_frame(session, start, end, account_ids=account_ids)
    rows = month_rows(month, account_ids, posts, snaps, start, end)
    session.execute(
        delete(AccountMonth).where(
            AccountMonth.month == month, AccountMonth.account_id.in_(account_ids)
        )
    )
    if rows:
        session.execute(insert_stmt(session, AccountMonth.__table__), rows)
    return len(rows)


def _derived_posts(
    session: Session, account_ids: list[int], start: datetime, end: datetime,
    platforms: dict[int, str],
) -> pd.DataFrame:  # fmt: skip
    """The month's posts with interactions and caption scores, storing what changed."""
    posts = queries.derived_posts_frame(session, account_ids, start, end)
    if posts.empty:
        return posts
    posts["platform"] = posts["account_id"].map(platforms)
    fresh = post_interactions(posts)
    missing = posts["caption_score"].isna() & posts["caption"].notna()
    scores = posts["caption_score"].astype("Float64")
    if missing.any():
        scores = scores.where(~missing, caption_scores(posts.loc[missing, "caption"]))
    changed = (fresh.fillna(-1) != posts["interactions"].astype("Float64").fillna(-1)) | missing
    updates = [
        {"pid": int(pid), "interactions": _int(i), "caption_score": _float(s)}
        for pid, i, s in zip(posts.loc[changed, "id"], fresh[changed], scores[changed], strict=True)
    ]
    if updates:
        stmt = (
            update(Post)
            .where(Post.id == _bind("pid"))
            .values(interactions=_bind("interactions"), caption_score=_bind("caption_score"))
        )
        session.connection().execute(stmt, updates)
    return posts.assign(interactions=fresh, caption_score=scores)


def month_rows(
    month: str, account_ids: list[int], posts: pd.DataFrame, snaps: pd.DataFrame,
    start: datetime, end: datetime,
) -> list[dict[str, Any]]:  # fmt: skip
    """The account_months rows of one month (accounts with neither posts nor snapshots: none)."""
    by_post = _post_totals(posts, start, end)
    by_snap = _snapshot_totals(snaps)
    rows = []
    for account_id in account_ids:
        p, s = by_post.get(account_id), by_snap.get(account_id)
        if p is None and s is None:
            continue
        rows.append({"account_id": account_id, "month": month, **(p or EMPTY_POSTS),
                     **(s or EMPTY_SNAPS)})  # fmt: skip
    return rows


EMPTY_POSTS: dict[str, Any] = {
    "posts": 0, "rated_posts": 0, "interactions": 0, "viewed_posts": 0, "views": 0,
    "view_interactions": 0, "caption_scored": 0, "caption_score_sum": 0.0, "active_weeks": 0,
    "last_posted_at": None,
}  # fmt: skip
EMPTY_SNAPS: dict[str, Any] = {
    "snapshots": 0, "followers_mean": None, "followers_first": None, "followers_first_at": None,
    "followers_last": None, "followers_last_at": None,
}  # fmt: skip


def _post_totals(posts: pd.DataFrame, start: datetime, end: datetime) -> dict[int, dict[str, Any]]:
    if posts.empty:
        return {}
    frame = posts.assign(
        rated=posts["interactions"].notna(),
        viewed=posts["interactions"].notna() & posts["views"].notna(),
    )
    frame["view_inter"] = frame["interactions"].where(frame["viewed"], 0)
    frame["views_known"] = frame["views"].where(frame["viewed"], 0)
    weeks = posting_activity(posts, start, end).set_index("account_id")["active_weeks"]
    grouped = frame.groupby("account_id").agg(
        posts=("posted_at", "size"), rated_posts=("rated", "sum"),
        interactions=("interactions", "sum"), viewed_posts=("viewed", "sum"),
        views=("views_known", "sum"), view_interactions=("view_inter", "sum"),
        caption_scored=("caption_score", "count"), caption_score_sum=("caption_score", "sum"),
        last_posted_at=("posted_at", "max"),
    )  # fmt: skip
    out: dict[int, dict[str, Any]] = {}
    for record in grouped.reset_index().to_dict(orient="records"):
        account_id = int(record.pop("account_id"))
        values = {str(k): _plain(v) for k, v in record.items()}
        values["active_weeks"] = int(weeks.get(account_id, 0))
        out[account_id] = values
    return out


def _snapshot_totals(snaps: pd.DataFrame) -> dict[int, dict[str, Any]]:
    known = snaps.dropna(subset=["followers"]).sort_values(["account_id", "observed_at"])
    if known.empty:
        return {}
    known = known.assign(followers=known["followers"].astype("float64"))
    grouped = known.groupby("account_id").agg(
        snapshots=("followers", "size"), followers_mean=("followers", "mean"),
        followers_first=("followers", "first"), followers_first_at=("observed_at", "first"),
        followers_last=("followers", "last"), followers_last_at=("observed_at", "last"),
    )  # fmt: skip
    out: dict[int, dict[str, Any]] = {}
    for record in grouped.reset_index().to_dict(orient="records"):
        account_id = int(record.pop("account_id"))
        values = {str(k): _plain(v) for k, v in record.items()}
        values["followers_first"] = int(values["followers_first"])
        values["followers_last"] = int(values["followers_last"])
        out[account_id] = values
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _int(value: Any) -> int | None:
    return None if pd.isna(value) else int(value)


def _float(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)


def _bind(name: str) -> Any:
    from sqlalchemy import bindparam

    return bindparam(name)
