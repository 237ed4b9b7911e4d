"""Signed-in browsers: a session resumes from its cookie token until it ends, and a sign-out,
a password change or ``user disable`` ends it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import User, WebSession
from services.users import ADMIN, add_user, disable, set_password
from services.web_sessions import (
    close_all_web_sessions,
    close_web_session,
    open_web_session,
    resume_web_session,
)
from tests.clock import FIXED_NOW

pytestmark = pytest.mark.usefixtures("fixed_now")
PASSWORD = "kata-sandi-uji-123"  # nosec B105 - test user
OPENED = FIXED_NOW + timedelta(minutes=1)  # signed in after the user was created
NOW = OPENED + timedelta(minutes=5)


@pytest.fixture
def token(session: Session) -> str:
    add_user(session, "kabid", PASSWORD, ADMIN)
    session.commit()
    return open_web_session(session, "kabid", 8, OPENED)


def test_a_session_resumes_until_its_hours_are_over(session: Session, token: str) -> None:
    live = resume_web_session(session, token, NOW)
    assert live is not None and live[0].username == "kabid"
    assert live[1] == OPENED + timedelta(hours=8)
    assert resume_web_session(session, token, OPENED + timedelta(hours=8)) is None
    assert resume_web_session(session, "tebakan", NOW) is None
    assert resume_web_session(session, "", NOW) is None


def test_only_a_digest_of_the_token_is_stored(session: Session, token: str) -> None:
    stored = session.scalar(select(WebSession.token_hash))
    assert stored and token not in stored and len(stored) == 64


def test_sign_out_ends_this_browser_only(session: Session, token: str) -> None:
    other = open_web_session(session, "kabid", 8, OPENED)
    close_web_session(session, token, NOW)
    assert resume_web_session(session, token, NOW) is None
    assert resume_web_session(session, other, NOW) is not None


def test_a_password_change_or_disable_ends_every_session(session: Session, token: str) -> None:
    set_password(session, "kabid", "kata-sandi-baru-456")
    session.scalar(select(User)).password_changed_at = NOW - timedelta(minutes=1)  # after OPENED
    session.commit()
    assert resume_web_session(session, token, NOW) is None  # changed after it began
    fresh = open_web_session(session, "kabid", 8, NOW)
    assert resume_web_session(session, fresh, NOW) is not None
    assert close_all_web_sessions(session, "kabid", NOW) == 2
    assert resume_web_session(session, fresh, NOW) is None
    again = open_web_session(session, "kabid", 8, NOW)
    disable(session, "kabid")
    session.commit()
    assert resume_web_session(session, again, NOW) is None
