"""The alerts table (Peringatan): raise once, list, acknowledge, and the mail queue's state
changes. Functions take a Session; the caller commits.

Raising is an INSERT … ON CONFLICT (key) DO NOTHING, so the same event is stored once even when
two checkers (the worker and a dashboard) raise it at the same moment, on SQLite and PostgreSQL.
Mail follows the reminders' queue: queued → sending (claimed by one sender, attempt counted)
→ sent, queued again, or failed; an alert acknowledged before it was mailed, or not mailed
while fresh (see :func:`cancel_stale_mail`), is cancelled. Alerts about an account no longer
watched (``accounts.active`` false) are neither listed nor mailed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import Session

from db.models import Account, Opd, Post
from db.models_followup import Alert
from db.repository import insert_stmt

QUEUED, SENDING, SENT, FAILED, CANCELLED = "queued", "sending", "sent", "failed", "cancelled"
LIST_COLUMNS = [
    "alert_id", "key", "kind", "raised_at", "account_id", "opd_id", "opd_code", "opd_name",
    "platform", "handle", "post_id", "post_url", "reason", "mail_status", "mail_attempts",
    "mail_error", "acknowledged_at", "acknowledged_by",
]  # fmt: skip
POST_COLUMNS = ["post_id", "account_id", "posted_at", "likes", "comments", "shares", "views"]


def raise_new(session: Session, rows: Iterable[Mapping[str, Any]], now: datetime) -> list[str]:
    """Store each alert (key, kind, account_id, post_id, reason) unless its key is already
    stored; returns the keys stored now, in order. The caller commits."""
    raised: list[str] = []
    for row in rows:
        key = str(row["key"])
        values = {
            "key": key,
            "kind": str(row["kind"]),
            "account_id": id_of(row.get("account_id")),
            "post_id": id_of(row.get("post_id")),
            "reason": str(row["reason"]),
            "raised_at": now,
            "mail_status": QUEUED,
            "mail_attempts": 0,
        }
        stmt = insert_stmt(session, Alert.__table__).values(**values)
        stmt = stmt.on_conflict_do_nothing(index_elements=["key"]).returning(Alert.id)
        if session.execute(stmt).first() is not None:  # a row comes back only when inserted
            raised.append(key)
    return raised


def id_of(value: object) -> int | None:
    """A row id from a frame's cell: None for NaN, None or pd.NA."""
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return None
    return int(value)  # type: ignore[call-overload]


def keys_since(session: Session, kind: str, since: datetime) -> list[str]:
    """Keys of the alerts of ``kind`` raised at or after ``since`` (acknowledged or not)."""
    stmt = select(Alert.key).where(Alert.kind == kind, Alert.raised_at >= since)
    return list(session.scalars(stmt))


def _watched() -> ColumnElement[bool]:
    """The alert is about no account (the worker's) or about one still watched."""
    return or_(Alert.account_id.is_(None), Account.active.is_(True))


def alerts_frame(session: Session, include_acknowledged: bool = False) -> pd.DataFrame:
    """Alerts (:data:`LIST_COLUMNS`) of the watched accounts and of none, newest raise first;
    alerts raised by one check share their ``raised_at`` and keep the order the check stored
    them in (the weightier first, see services.alerts.candidates)."""
    stmt = (
        select(
            Alert.id, Alert.key, Alert.kind, Alert.raised_at, Alert.account_id, Opd.id, Opd.code,
            Opd.name, Account.platform, Account.handle, Alert.post_id, Post.url, Alert.reason,
            Alert.mail_status, Alert.mail_attempts, Alert.mail_error, Alert.acknowledged_at,
            Alert.acknowledged_by,
        )
        .outerjoin(Account, Account.id == Alert.account_id)
        .outerjoin(Opd, Opd.id == Account.opd_id)
        .outerjoin(Post, Post.id == Alert.post_id)
        .where(_watched())
        .order_by(Alert.raised_at.desc(), Alert.id)
    )  # fmt: skip
    if not include_acknowledged:
        stmt = stmt.where(Alert.acknowledged_at.is_(None))
    frame = pd.DataFrame([tuple(r) for r in session.execute(stmt)], columns=LIST_COLUMNS)
    for column in ("raised_at", "acknowledged_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def acknowledge(session: Session, alert_ids: Iterable[int], username: str, now: datetime) -> int:
    """Mark open alerts as read by ``username``; one not yet mailed will not be. Returns how
    many were open (an alert someone else acknowledged first keeps that person's name)."""
    ids = [int(i) for i in alert_ids]
    if not ids:
        return 0
    stmt = (
        update(Alert)
        .where(Alert.id.in_(ids), Alert.acknowledged_at.is_(None))
        .values(acknowledged_at=now, acknowledged_by=username)
    )
    done = int(session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]
    session.execute(
        update(Alert)
        .where(Alert.id.in_(ids), Alert.mail_status == QUEUED)
        .values(mail_status=CANCELLED)
    )
    return done


def cancel_stale_mail(session: Session, raised_before: datetime) -> None:
    """Queued alerts raised before ``raised_before`` will not be mailed (cancelled; they stay
    listed until read), so a first run or SMTP set up months later sends no backlog."""
    stmt = (
        update(Alert)
        .where(Alert.mail_status == QUEUED, Alert.raised_at < raised_before)
        .values(mail_status=CANCELLED)
    )
    session.execute(stmt)


def queued_for_mail(session: Session) -> list[Alert]:
    """Open alerts of watched accounts (or of none) waiting to be mailed, oldest first."""
    stmt = (
        select(Alert)
        .outerjoin(Account, Account.id == Alert.account_id)
        .where(Alert.mail_status == QUEUED, Alert.acknowledged_at.is_(None), _watched())
        .order_by(Alert.id)
    )
    return list(session.scalars(stmt))


def claim_mail(session: Session, alert_id: int) -> bool:
    """queued → sending for exactly one sender, counting the attempt. Commits."""
    stmt = (
        update(Alert)
        .where(Alert.id == alert_id, Alert.mail_status == QUEUED)
        .values(mail_status=SENDING, mail_attempts=Alert.mail_attempts + 1)
    )
    claimed = session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]
    session.commit()
    return claimed


def finish_mail(
    session: Session,
    alert_id: int,
    status: str,
    when: datetime | None = None,
    error: str | None = None,
) -> None:
    """A claimed alert's mail ended: sent (at ``when``), queued again, or failed."""
    values: dict[Any, object] = {Alert.mail_status: status, Alert.mail_error: error}
    if status == SENT:
        values[Alert.mailed_at] = when
    session.execute(
        update(Alert).where(Alert.id == alert_id, Alert.mail_status == SENDING).values(values)
    )


def posts_since(session: Session, start: datetime) -> pd.DataFrame:
    """Posts (:data:`POST_COLUMNS`, with the row id) posted at or after ``start``; counts keep
    a hidden count as <NA>."""
    stmt = select(
        Post.id, Post.account_id, Post.posted_at, Post.likes, Post.comments, Post.shares,
        Post.views,
    ).where(Post.posted_at >= start)  # fmt: skip
    frame = pd.DataFrame([tuple(r) for r in session.execute(stmt)], columns=POST_COLUMNS)
    frame["posted_at"] = pd.to_datetime(frame["posted_at"], utc=True)
    for column in POST_COLUMNS[3:]:
        frame[column] = frame[column].astype("Int64")
    return frame
