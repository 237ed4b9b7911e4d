"""Signed-in browsers: a reload or a second tab keeps the user signed in.

The browser holds a random token in an HttpOnly cookie, signed with an HMAC so a forged value
is refused before any database lookup; the database holds the token's SHA-256, the user and
the expiry (``PANTAU_SESSION_HOURS``). Signing out ends that browser's session; a password
change or ``user disable`` ends every session of the user. The token is also what an OAuth
consent is bound to (``services.connections``): the consent must come back to the same browser.

Only the server sets the cookie (web/session_routes.py): the sign-in, which runs in the
Streamlit script, leaves the token here under a one-time hand-over code that the page trades
for the cookie within :data:`HAND_OVER_SECONDS`. Both run in the one dashboard process.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import access
from db.models import User
from services.users import Principal, principal_of

COOKIE_NAME = "pantau_sesi"
# where the page trades a hand-over code for the cookie, and asks for it to be cleared
SESSION_PATH = "/_pantau/sesi"
SIGN_OUT_PATH = "/_pantau/keluar"
TOKEN_BYTES = 32
HAND_OVER_SECONDS = 60
COOKIE_PURPOSE = b"pantau_sesi cookie v1"
# without PANTAU_SECRET_KEY the signing key lives as long as the process: a restart signs out
_PROCESS_KEY = secrets.token_bytes(32)


@dataclass(frozen=True)
class HandOver:
    token: str
    max_age: int  # the cookie's lifetime in seconds
    until: datetime


_hand_overs: dict[str, HandOver] = {}  # digest of the code -> what it hands over
_hand_overs_lock = threading.Lock()


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


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def hand_over(token: str, max_age: int, now: datetime) -> str:
    """A one-time code (valid :data:`HAND_OVER_SECONDS`) the page trades for the cookie."""
    code = secrets.token_urlsafe(TOKEN_BYTES)
    until = now + timedelta(seconds=HAND_OVER_SECONDS)
    with _hand_overs_lock:
        for key in [k for k, v in _hand_overs.items() if v.until <= now]:
            del _hand_overs[key]
        _hand_overs[_digest(code)] = HandOver(token, max_age, until)
    return code


def hand_over_pending(code: str, now: datetime) -> bool:
    """Whether ``code`` still waits to be traded for the cookie."""
    with _hand_overs_lock:
        handed = _hand_overs.get(_digest(code))
    return handed is not None and now < handed.until


def take_hand_over(code: str, now: datetime) -> HandOver | None:
    """What ``code`` hands over, once; None for an unknown, used or expired code."""
    with _hand_overs_lock:
        handed = _hand_overs.pop(_digest(code), None)
    return handed if handed is not None and now < handed.until else None


def cookie_key(secret_key: str) -> bytes:
    """The key that signs session cookies: derived from ``PANTAU_SECRET_KEY`` (cookies then
    survive a restart), else this process's own random key."""
    if not secret_key:
        return _PROCESS_KEY
    return hmac.new(secret_key.encode(), COOKIE_PURPOSE, hashlib.sha256).digest()


def _mac(key: bytes, token: str) -> str:
    mac = hmac.new(key, token.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def signed_cookie(key: bytes, token: str) -> str:
    return f"{token}.{_mac(key, token)}"


def token_of_cookie(key: bytes, value: str) -> str | None:
    """The token a cookie carries when its signature holds; None for a forged or bare value."""
    token, _, mac = value.rpartition(".")
    if not token or not hmac.compare_digest(mac, _mac(key, token)):
        return None
    return token
