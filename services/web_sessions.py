"""Signed-in browsers: a reload or a second tab keeps the user signed in.

The browser holds a random token in a cookie; the database holds its SHA-256, the user and the
expiry (``PANTAU_SESSION_HOURS``). Signing out ends that browser's session; a password change or
``user disable`` ends every session of the user. The token is also what an OAuth consent is
bound to (``services.connections``): the consent must come back to the same browser.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import access
from db.models import User
from services.users import Principal, principal_of

TOKEN_BYTES = 32


def open_web_session(session: Session, username: str, hours: int, now: datetime) -> str:
    """A new session for a user who just proved who they are; returns the cookie token."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise LookupError(f"no user {username!r}")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    access.add_web_session(session, token, user.id, now, now + timedelta(hours=hours))
    session.commit()
    return token


def resume_web_session(
    session: Session, token: str, now: datetime
) -> tuple[Principal, datetime] | None:
    """The user a cookie token belongs to and when the session ends, while it lives, the
    user is active and the password has not changed since the session began."""
    if not token:
        return None
    row = access.live_web_session(session, token, now)
    if row is None:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active or user.password_changed_at > row.created_at:
        return None
    return principal_of(session, user), row.expires_at


def close_web_session(session: Session, token: str, now: datetime) -> None:
    access.end_web_sessions(session, now, token=token)
    session.commit()


def close_all_web_sessions(session: Session, username: str, now: datetime) -> int:
    """Sign a user out everywhere (password change, ``user disable``)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        return 0
    ended = access.end_web_sessions(session, now, user_id=user.id)
    session.commit()
    return ended


def user_id_of(session: Session, username: str) -> int | None:
    return session.scalar(select(User.id).where(User.username == username))
