"""The comments read with the owner's token (Facebook, Instagram) and their monthly totals.

Written by the collection pass next to the posts (``collectors/run.py``), in the same
transaction; read by the monthly aggregates (``db/aggregates.py``). Only the comment id, its
time and the time of the owner's first reply are stored (owner-access.md §9).

The median time to first reply is computed in Python, not SQL: SQLite has no median and
PostgreSQL's ``percentile_cont`` would make the two databases disagree in code paths; the
rows of one month of some hundred accounts are few.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from db.models import AccountToken, Post, PostComment
from db.repository import insert_stmt

CHUNK = 400  # posts per IN list, well under SQLite's limits


@dataclass(frozen=True)
class CommentRow:
    account_id: int
    platform_post_id: str
    platform_comment_id: str
    commented_at: datetime
    first_reply_at: datetime | None = None


def _post_ids(session: Session, keys: set[tuple[int, str]]) -> dict[tuple[int, str], int]:
    ordered, found = sorted(keys), {}
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        stmt = select(Post.account_id, Post.platform_post_id, Post.id).where(
            tuple_(Post.account_id, Post.platform_post_id).in_(chunk)
        )
        found.update({(a, p): i for a, p, i in session.execute(stmt)})
    return found


def upsert_comments(session: Session, rows: Sequence[CommentRow]) -> int:
    """Store comments of posts already saved; returns rows written. Re-reading a comment
    changes nothing but its first reply once that is known: the first reply seen is kept
    (a reply deleted later does not make the comment unanswered again)."""
    if not rows:
        return 0
    post_ids = _post_ids(session, {(r.account_id, r.platform_post_id) for r in rows})
    payload = {
        (post_ids[key], r.platform_comment_id): {
            "post_id": post_ids[key],
            "platform_comment_id": r.platform_comment_id,
            "commented_at": r.commented_at,
            "first_reply_at": r.first_reply_at,
        }
        for r in rows
        if (key := (r.account_id, r.platform_post_id)) in post_ids
    }
    if not payload:
        return 0
    table = PostComment.__table__
    stmt = insert_stmt(session, table)
    stmt = stmt.on_conflict_do_update(
        index_elements=["post_id", "platform_comment_id"],
        set_={
            "commented_at": stmt.excluded.commented_at,
            "first_reply_at": func.coalesce(table.c.first_reply_at, stmt.excluded.first_reply_at),
        },
    )
    values = list(payload.values())
    for start in range(0, len(values), CHUNK):
        session.execute(stmt, values[start : start + CHUNK])
    return len(values)


def median_minutes(waits: Iterable[float]) -> float | None:
    """The median of waits in minutes (negative clock skew counts as 0); None when empty."""
    known = [max(0.0, w) for w in waits]
    return float(statistics.median(known)) if known else None


def comment_totals(
    session: Session, account_ids: list[int], start: datetime, end: datetime
) -> dict[int, dict[str, Any]]:
    """Per account, over the comments of its posts published in [start, end): comments read,
    comments the owner answered and the median minutes to the first reply."""
    stmt = (
        select(Post.account_id, PostComment.commented_at, PostComment.first_reply_at)
        .join(Post, Post.id == PostComment.post_id)
        .where(Post.account_id.in_(account_ids), Post.posted_at >= start, Post.posted_at < end)
    )
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    waits: dict[int, list[float]] = defaultdict(list)
    for account_id, commented_at, first_reply_at in session.execute(stmt):
        counts[account_id][0] += 1
        if first_reply_at is not None:
            counts[account_id][1] += 1
            waits[account_id].append((first_reply_at - commented_at).total_seconds() / 60)
    return {
        a: {
            "comments_sampled": sampled,
            "comments_answered": answered_n,
            "reply_median_minutes": median_minutes(waits[a]),
        }
        for a, (sampled, answered_n) in counts.items()
    }


def owner_connected(session: Session, account_ids: Iterable[int] | None = None) -> set[int]:
    """Accounts whose owner gave Pantau a token (their comments can be read)."""
    stmt = select(AccountToken.account_id)
    if account_ids is not None:
        stmt = stmt.where(AccountToken.account_id.in_(list(account_ids)))
    return set(session.scalars(stmt))
