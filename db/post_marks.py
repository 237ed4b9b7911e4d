"""Tinjauan Unggahan's storage: a month's posts with their marks, and the marks themselves.

A mark ("Tandai ditindaklanjuti") says someone followed a post up with its OPD: who, when and
a note. One mark per post (``post_marks.post_id`` is the key): marking again replaces it.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.models import Account, Opd, Post
from db.models_followup import PostMark
from db.repository import insert_stmt

REVIEW_POST_COLUMNS = [
    "db_post_id", "account_id", "opd_id", "opd_code", "opd_name", "platform", "handle",
    "post_id", "posted_at", "url", "caption", "marked_by", "marked_at", "note",
]  # fmt: skip


def review_posts_frame(
    session: Session, start: datetime, end: datetime, opd_id: int | None = None
) -> pd.DataFrame:
    """Posts of active accounts with ``start <= posted_at < end`` (UTC), newest first, each
    with its account, OPD and mark (NULL when unmarked); of one OPD when ``opd_id`` is given."""
    stmt = (
        select(
            Post.id,
            Post.account_id,
            Opd.id,
            Opd.code,
            Opd.name,
            Account.platform,
            Account.handle,
            Post.platform_post_id,
            Post.posted_at,
            Post.url,
            Post.caption,
            PostMark.marked_by,
            PostMark.marked_at,
            PostMark.note,
        )
        .join(Account, Post.account_id == Account.id)
        .join(Opd, Account.opd_id == Opd.id)
        .outerjoin(PostMark, PostMark.post_id == Post.id)
        .where(Account.active.is_(True), Post.posted_at >= start, Post.posted_at < end)
        .order_by(Post.posted_at.desc(), Post.id.desc())
    )
    if opd_id is not None:
        stmt = stmt.where(Opd.id == opd_id)
    rows = [tuple(row) for row in session.execute(stmt).fetchall()]
    frame = pd.DataFrame(rows, columns=REVIEW_POST_COLUMNS)
    for col in ("posted_at", "marked_at"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


def post_opd_id(session: Session, post_id: int) -> int | None:
    """The OPD whose account published the post; None when there is no such post."""
    stmt = (
        select(Account.opd_id).join(Post, Post.account_id == Account.id).where(Post.id == post_id)
    )
    return session.scalar(stmt)


def upsert_mark(
    session: Session, post_id: int, marked_by: str, note: str | None, at: datetime
) -> None:
    """Mark a post as followed up; a second mark replaces who, when and the note. Caller
    commits."""
    values = {"post_id": post_id, "marked_by": marked_by, "marked_at": at, "note": note}
    stmt = insert_stmt(session, PostMark.__table__).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["post_id"],
        set_={"marked_by": marked_by, "marked_at": at, "note": note},
    )
    session.execute(stmt)


def delete_mark(session: Session, post_id: int) -> bool:
    """Remove a post's mark; False when it had none. Caller commits."""
    result = session.execute(delete(PostMark).where(PostMark.post_id == post_id))
    return bool(getattr(result, "rowcount", 0))
