"""Signing the benchmarks' ``AppTest`` sessions in, as tests/app_support.py does for the tests.

The dashboard shows nothing but its sign-in page to nobody, so P2 and P5 open the app as an
admin: a user ``pantau-bench`` is added to the database once (a random password nobody
knows: it never signs in through the form), and each ``AppTest`` gets it in its session state
before the first run, as if it had just signed in. What a signed-in admin sees is then what
is measured; the user row is the only thing added to the world.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.timeutil import utcnow
from db.engine import make_engine, make_session_factory
from db.models import User
from services.users import ADMIN, Principal, add_user
from services.web_sessions import open_web_session
from ui.auth import AUTH_KEY, SignedIn

BENCH_USER = Principal("pantau-bench", ADMIN)


def ensure_bench_user(url: str) -> None:
    """Add the benchmark's admin to the database at ``url`` unless it is there already."""
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            found = session.scalar(select(User).where(User.username == BENCH_USER.username))
            if found is None:
                add_user(session, BENCH_USER.username, secrets.token_urlsafe(24), ADMIN)
                session.commit()
    finally:
        engine.dispose()


def signed_in(at: AppTest) -> AppTest:
    """``at`` with the benchmark's admin signed in (call before its first ``run()``)."""
    with make_session_factory(make_engine(os.environ["DATABASE_URL"]))() as session:
        token = open_web_session(session, BENCH_USER.username, 8, utcnow())
    at.session_state[AUTH_KEY] = SignedIn(BENCH_USER, utcnow() + timedelta(hours=8), token)
    return at
