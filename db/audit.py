"""The audit trail's storage: one insert per change, and the read side as a DataFrame.

There is deliberately no update or delete here (the table's triggers refuse both). A change
and its entry are written in the same transaction: the caller of the change records it and
commits both.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.timeutil import utcnow
from db.models import Account, Opd, Post, PostMark
from db.models_audit import AuditEntry

AUDIT_COLUMNS = ["at", "actor", "action", "target", "before", "after"]
VALUE_MAX = 2000  # characters kept of a before/after value: "short", never a whole table
TEXT_MAX = {"actor": 120, "action": 40, "target": 300}


def as_text(value: object) -> str | None:
    """A before/after value as short text: JSON for anything but a string, None stays None."""
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return _cut(text, VALUE_MAX)


def _cut(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters; a cut one ends with "…", so nobody reads it whole."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def record(
    session: Session,
    actor: str,
    action: str,
    target: str,
    before: object = None,
    after: object = None,
    at: datetime | None = None,
) -> None:
    """Add one entry (flushed, not committed: it belongs to the caller's transaction)."""
    texts = {"actor": actor, "action": action, "target": target}
    cut = {key: _cut(value, TEXT_MAX[key]) for key, value in texts.items()}
    entry = AuditEntry(at=at or utcnow(), before=as_text(before), after=as_text(after), **cut)
    session.add(entry)
    session.flush()


def audit_frame(session: Session, kinds: Sequence[str] = ()) -> pd.DataFrame:
    """Every entry newest first (AUDIT_COLUMNS, ``at`` a UTC timestamp); only the given kinds
    (an action's part before the dot) when ``kinds`` is not empty."""
    stmt = select(*(getattr(AuditEntry, col) for col in AUDIT_COLUMNS)).order_by(
        AuditEntry.at.desc(), AuditEntry.id.desc()
    )
    if kinds:
        stmt = stmt.where(or_(*(AuditEntry.action.startswith(f"{kind}.") for kind in kinds)))
    frame = pd.DataFrame([tuple(row) for row in session.execute(stmt)], columns=AUDIT_COLUMNS)
    frame["at"] = pd.to_datetime(frame["at"], utc=True)
    return frame


def registry_state(session: Session) -> dict[str, dict[str, object]]:
    """The registry as the audit compares it: ``opd:CODE`` and ``akun:platform handle`` keys,
    each with the fields an admin edits (no ids, no secrets)."""
    state: dict[str, dict[str, object]] = {}
    for opd in session.scalars(select(Opd)):
        state[f"opd:{opd.code}"] = {
            "nama": opd.name, "kategori": opd.category, "admin": opd.admin_name,
            "telepon": opd.admin_phone, "surel": opd.admin_email,
        }  # fmt: skip
    rows = session.execute(
        select(Account.platform, Account.handle, Account.url, Account.active, Opd.code).join(
            Opd, Account.opd_id == Opd.id
        )
    )
    for platform, handle, url, active, code in rows:
        state[f"akun:{platform} {handle}"] = {"opd": code, "alamat": url, "dipantau": active}
    return state


def mark_state(session: Session, post_id: int) -> dict[str, object] | None:
    """A post's review mark as the audit trail shows it (None: not marked)."""
    row = session.execute(
        select(PostMark.marked_by, PostMark.note).where(PostMark.post_id == post_id)
    ).first()
    return None if row is None else {"oleh": row.marked_by, "catatan": row.note}


def post_label(session: Session, post_id: int) -> str | None:
    """``instagram dinkes.sintang, unggahan 1789``: a post named for the audit trail."""
    row = session.execute(
        select(Account.platform, Account.handle, Post.platform_post_id)
        .join(Post, Post.account_id == Account.id)
        .where(Post.id == post_id)
    ).first()
    return None if row is None else f"{row.platform} {row.handle}, unggahan {row.platform_post_id}"


def account_labels(session: Session, account_ids: Sequence[int]) -> list[str]:
    """``instagram dinkes.sintang`` for each account id found, in id order."""
    rows = session.execute(
        select(Account.platform, Account.handle)
        .where(Account.id.in_(list(account_ids)))
        .order_by(Account.id)
    )
    return [f"{platform} {handle}" for platform, handle in rows]
