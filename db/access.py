"""Storage of who may act: signed-in browsers (web sessions), consents in progress (OAuth
states) and invites. Only SHA-256 digests of the random secrets are stored."""

from __future__ import annotations

import hashlib
from datetime import datetime

import pandas as pd
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from db.models import Account, AccountResult, AccountToken, Invite, OAuthState, Opd, WebSession


def digest(secret: str) -> str:
    """The stored form of a random secret (cookie token, state, invite code)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def add_web_session(
    session: Session, token: str, user_id: int, now: datetime, until: datetime
) -> None:
    session.add(
        WebSession(token_hash=digest(token), user_id=user_id, created_at=now, expires_at=until)
    )
    session.flush()


def live_web_session(session: Session, token: str, now: datetime) -> WebSession | None:
    row = session.scalar(select(WebSession).where(WebSession.token_hash == digest(token)))
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    return row


def end_web_sessions(
    session: Session, now: datetime, *, token: str | None = None, user_id: int | None = None
) -> int:
    """Revoke one browser's session (``token``) or every session of ``user_id``."""
    query = update(WebSession).where(WebSession.revoked_at.is_(None)).values(revoked_at=now)
    if token is not None:
        query = query.where(WebSession.token_hash == digest(token))
    elif user_id is not None:
        query = query.where(WebSession.user_id == user_id)
    else:
        raise ValueError("name a session token or a user")
    return int(session.execute(query).rowcount or 0)  # type: ignore[attr-defined]


def add_oauth_state(session: Session, row: OAuthState) -> None:
    session.add(row)
    session.flush()


def oauth_state(session: Session, state: str) -> OAuthState | None:
    return session.scalar(select(OAuthState).where(OAuthState.state_hash == digest(state)))


def forget_old_states(session: Session, before: datetime) -> int:
    """States are single use and live ten minutes; older rows are only clutter."""
    result = session.execute(delete(OAuthState).where(OAuthState.expires_at < before))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def add_invite(session: Session, row: Invite) -> None:
    session.add(row)
    session.flush()


def invite(session: Session, code: str) -> Invite | None:
    return session.scalar(select(Invite).where(Invite.token_hash == digest(code)))


def delete_tokens(session: Session, account_ids: list[int]) -> int:
    result = session.execute(delete(AccountToken).where(AccountToken.account_id.in_(account_ids)))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def connection_frame(session: Session, opd_id: int | None = None) -> pd.DataFrame:
    """Every registered account with its token's metadata (never the token) and the time of
    its last rejected token (an ``auth`` failure), for the connection states."""
    last_auth = (
        select(AccountResult.account_id, func.max(AccountResult.started_at).label("rejected_at"))
        .where(AccountResult.error_class == "auth")
        .group_by(AccountResult.account_id)
        .subquery()
    )
    query = (
        select(
            Account.id.label("account_id"), Opd.code.label("opd_code"), Opd.name.label("opd_name"),
            Account.platform, Account.handle, Account.platform_id, Account.active,
            AccountToken.source, AccountToken.scopes, AccountToken.connected_by,
            AccountToken.connected_at, AccountToken.updated_at.label("token_updated_at"),
            AccountToken.access_expires_at, AccountToken.refresh_expires_at,
            AccountToken.refresh_token_enc.is_not(None).label("has_refresh"),
            AccountToken.account_id.is_not(None).label("has_token"),
            last_auth.c.rejected_at,
        )
        .join(Opd, Opd.id == Account.opd_id)
        .outerjoin(AccountToken, AccountToken.account_id == Account.id)
        .outerjoin(last_auth, last_auth.c.account_id == Account.id)
        .order_by(Opd.code, Account.platform, Account.handle)
    )  # fmt: skip
    if opd_id is not None:
        query = query.where(Account.opd_id == opd_id)
    return pd.DataFrame(
        session.execute(query).mappings().all(), columns=list(query.selected_columns.keys())
    )
