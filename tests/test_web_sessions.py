"""Signed-in browsers: a session resumes from its cookie token until it ends, and a sign-out,
a password change or ``user disable`` ends it. The cookie is set and cleared by the server
(web/session_routes.py) for a one-time hand-over code, signed so a forged one is refused."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from starlette.applications import Starlette
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from cli import app as cli_app
from core.settings import Settings
from core.timeutil import utcnow
from db.engine import make_engine, make_session_factory
from db.models import User, WebSession
from services import users
from services.users import ADMIN, Principal, add_user, authenticate, disable, set_password
from services.web_sessions import (
    COOKIE_NAME,
    HAND_OVER_SECONDS,
    SESSION_PATH,
    SIGN_OUT_PATH,
    close_all_web_sessions,
    close_web_session,
    cookie_key,
    hand_over,
    hand_over_pending,
    open_web_session,
    resume_web_session,
    signed_cookie,
    take_hand_over,
    token_of_cookie,
)
from tests.app_support import ADMIN_USER, TEST_PASSWORD, ensure_user
from tests.clock import FIXED_NOW
from ui.auth import AUTH_KEY
from web.session_routes import SessionCookies

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


def test_a_hand_over_code_works_once_and_only_for_a_minute(token: str) -> None:
    code = hand_over(token, 3600, NOW)
    assert hand_over_pending(code, NOW) and token not in code
    taken = take_hand_over(code, NOW + timedelta(seconds=5))
    assert taken is not None and taken.token == token and taken.max_age == 3600
    assert not hand_over_pending(code, NOW) and take_hand_over(code, NOW) is None  # used
    assert take_hand_over("tebakan", NOW) is None  # unknown
    late = hand_over(token, 3600, NOW)
    assert take_hand_over(late, NOW + timedelta(seconds=HAND_OVER_SECONDS)) is None  # expired


def test_a_cookie_is_believed_only_with_its_signature() -> None:
    key = cookie_key("")
    cookie = signed_cookie(key, "token-acak")
    assert token_of_cookie(key, cookie) == "token-acak"
    assert token_of_cookie(key, "token-acak") is None  # a bare token
    assert token_of_cookie(key, "token-lain." + cookie.rpartition(".")[2]) is None
    assert token_of_cookie(key, cookie[:-1] + ("A" if cookie[-1] != "A" else "B")) is None
    assert token_of_cookie(key, "") is None and token_of_cookie(key, ".") is None
    # PANTAU_SECRET_KEY makes the key the same in every process (a restart keeps sessions)
    assert cookie_key("k" * 40) == cookie_key("k" * 40) != key
    assert token_of_cookie(cookie_key("k" * 40), cookie) is None


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


class Browser:
    """The routes as a browser on the dashboard's address reaches them (one cookie jar)."""

    def __init__(self, engine: Engine, clock: Clock, **settings: str) -> None:
        cookies = SessionCookies(Settings(**settings), engine=lambda: engine, clock=clock)
        self.app = Starlette(routes=cookies.routes())
        self.cookies = httpx.Cookies()

    def post(self, path: str, content: str = "", origin: str | None = None) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://pantau.test", cookies=self.cookies
            ) as client:
                headers = {"Origin": origin} if origin else {}
                answer = await client.post(path, content=content, headers=headers)
                self.cookies = client.cookies
                return answer

        return asyncio.run(send())


@pytest.fixture
def client(engine: Engine, clock: Clock, token: str) -> Browser:
    return Browser(engine, clock)


def test_the_route_sets_a_signed_httponly_cookie_for_a_code_once(
    client: Browser, token: str, session: Session
) -> None:
    code = hand_over(token, 8 * 3600, NOW)
    answer = client.post(SESSION_PATH, code, origin="http://pantau.test")
    assert answer.status_code == 204
    header = answer.headers["set-cookie"]
    for flag in ("HttpOnly", "Max-Age=28800", "Path=/", "SameSite=lax"):
        assert flag in header, header
    assert "Secure" not in header  # plain http on this address
    value = client.cookies[COOKIE_NAME]
    assert token_of_cookie(cookie_key(""), value) == token
    again = client.post(SESSION_PATH, code)
    assert again.status_code == 403 and "set-cookie" not in again.headers
    assert client.post(SESSION_PATH, "kode-karangan").status_code == 403
    assert client.post(SESSION_PATH, "x" * 100_000).status_code == 403


def test_the_route_refuses_an_expired_code_and_another_sites_page(
    client: Browser, clock: Clock, token: str
) -> None:
    code = hand_over(token, 3600, NOW)
    foreign = client.post(SESSION_PATH, code, origin="https://jahat.test")
    assert foreign.status_code == 403 and "set-cookie" not in foreign.headers
    clock.now = NOW + timedelta(seconds=HAND_OVER_SECONDS + 1)
    late = client.post(SESSION_PATH, code, origin="http://pantau.test")
    assert late.status_code == 403 and "set-cookie" not in late.headers


def test_the_cookie_is_secure_when_the_dashboard_is_public_over_https(
    engine: Engine, clock: Clock, token: str
) -> None:
    client = Browser(engine, clock, public_url="https://pantau.example.go.id")
    answer = client.post(SESSION_PATH, hand_over(token, 60, NOW))
    assert "Secure" in answer.headers["set-cookie"]


def test_sign_out_route_ends_the_cookies_session_and_clears_it(
    client: Browser, session: Session, token: str
) -> None:
    other = open_web_session(session, "kabid", 8, OPENED)
    client.cookies.set(COOKIE_NAME, signed_cookie(cookie_key(""), token), "pantau.test")
    answer = client.post(SIGN_OUT_PATH)
    assert answer.status_code == 204
    assert f'{COOKIE_NAME}=""' in answer.headers["set-cookie"]
    assert "Max-Age=0" in answer.headers["set-cookie"]
    session.expire_all()
    assert resume_web_session(session, token, NOW) is None
    assert resume_web_session(session, other, NOW) is not None


def test_a_forged_cookie_ends_nothing(client: Browser, session: Session, token: str) -> None:
    client.cookies.set(COOKIE_NAME, f"{token}.tandatanganpalsu", "pantau.test")
    assert client.post(SIGN_OUT_PATH).status_code == 204
    client.cookies.set(COOKIE_NAME, token, "pantau.test")  # bare, as the page used to write it
    client.post(SIGN_OUT_PATH)
    session.expire_all()
    assert resume_web_session(session, token, NOW) is not None


def test_cli_passwd_and_disable_end_every_session(
    session: Session, token: str, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    other = open_web_session(session, "kabid", 8, OPENED)
    runner = CliRunner()
    changed = runner.invoke(cli_app, ["user", "passwd", "kabid"], input="Sungai-Melawi-7261\n")
    assert changed.exit_code == 0, changed.output
    session.expire_all()
    assert resume_web_session(session, token, NOW) is None
    assert resume_web_session(session, other, NOW) is None
    fresh = open_web_session(session, "kabid", 8, NOW)
    assert runner.invoke(cli_app, ["user", "disable", "kabid"]).exit_code == 0
    session.expire_all()
    assert resume_web_session(session, fresh, NOW) is None


def _user_box_app() -> None:
    # AppTest runs this function's source on its own: it imports what it needs
    from services.users import Principal
    from ui.auth import user_box

    user_box(Principal("admin-humas", "opd", 7, "Bagian *Humas* [klik](https://jahat.test)"))


def test_the_user_box_shows_an_opd_name_as_plain_text() -> None:
    at = AppTest.from_function(_user_box_app).run()
    caption = at.sidebar.caption[0].value
    assert r"Bagian \*Humas\* \[klik\]\(https://jahat.test\)" in caption, caption
    assert r"admin-humas" in caption


# --- `user passwd` racing a sign-in with the old password (second read, item 2)
NEW_PASSWORD = "Sungai-Melawi-7261"  # nosec B105 - test user


def test_a_password_changed_while_it_is_checked_signs_nobody_in(
    engine: Engine, session: Session, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_verify = users.verify_password

    def passwd_meanwhile(stored: str | None, password: str) -> bool:
        matches = real_verify(stored, password)
        with make_session_factory(engine)() as cli:  # `user passwd`, from another process
            set_password(cli, "kabid", NEW_PASSWORD)
            cli.commit()
            close_all_web_sessions(cli, "kabid", utcnow())
        return matches

    monkeypatch.setattr(users, "verify_password", passwd_meanwhile)
    read_at = utcnow()  # the fixed clock, ticking: after the user was added, before the change
    assert authenticate(session, "kabid", PASSWORD, read_at) is None
    opened = open_web_session(session, "kabid", 8, read_at)
    assert resume_web_session(session, opened, read_at + timedelta(minutes=1)) is None


def _login_only() -> None:
    from ui.sign_in import login_form

    login_form()


def test_a_password_changed_before_the_web_session_opens_ends_it(
    empty_app: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ensure_user(ADMIN_USER)
    real_authenticate = users.authenticate

    def passwd_right_after(session: Session, *args: Any, **kwargs: Any) -> Principal | None:
        principal = real_authenticate(session, *args, **kwargs)
        set_password(session, ADMIN_USER.username, NEW_PASSWORD)
        session.commit()
        return principal

    monkeypatch.setattr(users, "authenticate", passwd_right_after)
    form = AppTest.from_function(_login_only, default_timeout=60).run()
    form.text_input(key="masuk_nama").input(ADMIN_USER.username)
    form.text_input(key="masuk_sandi").input(TEST_PASSWORD)
    form.button[0].click().run()
    assert not form.exception
    web_token = form.session_state[AUTH_KEY].web_token
    app_engine = make_engine(empty_app)
    try:
        with make_session_factory(app_engine)() as session:
            assert resume_web_session(session, web_token, utcnow()) is None
    finally:
        app_engine.dispose()
