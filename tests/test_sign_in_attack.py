"""Sign-in tried as an attacker would (issue #18 item 1): wrong passwords in parallel lock the
user as they do one at a time, one address cannot spray many users (and the page says when it
is the address that is refused), and every failure, lockout and sign-in is logged without the
password."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from db.engine import make_session_factory
from db.models import User
from services import users
from services.sign_in_guard import GUARD, MAX_FAILURES, WINDOW
from services.users import LOCK_FOR, MAX_FAILED, REVIEWER, add_user, authenticate
from tests.app_support import ADMIN_USER, TEST_PASSWORD, ensure_user
from tests.clock import FIXED_NOW
from ui import sign_in as sign_in_page

PASSWORD = "sandi-uji-serangan-41"  # nosec B105 - test user
WRONG = "tebakan-keliru-07"  # nosec B105 - a wrong guess
THREADS = 20
OFFICE_PC = "10.20.30.40"


@pytest.fixture(autouse=True)
def fresh_guard() -> Iterator[None]:
    GUARD.clear()
    yield
    GUARD.clear()


@pytest.fixture
def rina(session: Session) -> str:
    add_user(session, "rina", PASSWORD, REVIEWER)
    session.commit()
    return "rina"


def _row(engine: Engine) -> User:
    with make_session_factory(engine)() as session:
        user = session.scalar(select(User).where(User.username == "rina"))
    assert user is not None
    return user


def test_parallel_wrong_passwords_are_all_counted_and_lock_the_user(
    engine: Engine, rina: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    barrier = threading.Barrier(THREADS, timeout=30)

    def mismatch_after_everyone_read(_stored: str | None, _password: str) -> bool:
        barrier.wait()  # every attempt has read the user before any failure is written
        return False

    monkeypatch.setattr(users, "verify_password", mismatch_after_everyone_read)
    factory = make_session_factory(engine)

    def attempt() -> None:
        with factory() as session:
            assert authenticate(session, rina, WRONG, FIXED_NOW) is None

    threads = [threading.Thread(target=attempt) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    user = _row(engine)
    assert user.failed_logins == THREADS
    assert user.locked_until is not None and user.locked_until > FIXED_NOW


def test_a_right_password_racing_wrong_ones_is_refused_once_they_locked_the_user(
    engine: Engine, rina: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The right guess read the user unlocked, but five wrong ones were counted first: as one
    at a time, it comes after the lock and is refused."""
    real_verify = users.verify_password
    checked, wrong_done = threading.Event(), threading.Event()

    def verify_then_wait(stored: str | None, password: str) -> bool:
        matches = real_verify(stored, password)
        if matches:
            checked.set()
            assert wrong_done.wait(30)
        return matches

    monkeypatch.setattr(users, "verify_password", verify_then_wait)
    factory = make_session_factory(engine)
    outcome: list[object] = []

    def right_guess() -> None:
        with factory() as session:
            outcome.append(authenticate(session, rina, PASSWORD, FIXED_NOW))

    thread = threading.Thread(target=right_guess)
    thread.start()
    assert checked.wait(30)
    with factory() as session:
        for _ in range(MAX_FAILED):
            assert authenticate(session, rina, WRONG, FIXED_NOW) is None
    wrong_done.set()
    thread.join()
    assert outcome == [None]
    assert _row(engine).locked_until == FIXED_NOW + LOCK_FOR


def test_a_lock_that_ran_out_starts_a_new_count(session: Session, rina: str) -> None:
    for _ in range(MAX_FAILED):
        authenticate(session, rina, WRONG, FIXED_NOW)
    later = FIXED_NOW + LOCK_FOR + timedelta(seconds=1)
    for _ in range(MAX_FAILED - 1):
        assert authenticate(session, rina, WRONG, later) is None
    assert authenticate(session, rina, PASSWORD, later) is not None  # four: not locked again
    for _ in range(MAX_FAILED):
        authenticate(session, rina, WRONG, later)
    assert authenticate(session, rina, PASSWORD, later) is None  # five: locked again


def test_one_address_trying_many_users_is_refused_for_a_while(
    engine: Engine, session: Session, rina: str
) -> None:
    for n in range(MAX_FAILURES):
        assert authenticate(session, f"pegawai-{n}", WRONG, FIXED_NOW, client=OFFICE_PC) is None
    # refused before any password is checked, even the right one of a real user
    assert authenticate(session, rina, PASSWORD, FIXED_NOW, client=OFFICE_PC) is None
    assert authenticate(session, rina, PASSWORD, FIXED_NOW, client="10.20.30.41") is not None
    after_window = FIXED_NOW + WINDOW + timedelta(seconds=1)
    assert authenticate(session, rina, PASSWORD, after_window, client=OFFICE_PC) is not None
    assert _row(engine).locked_until is None  # unknown names lock nobody


def test_failures_lockouts_and_sign_ins_are_logged_without_the_password(
    session: Session, rina: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="pantau.auth")
    assert authenticate(session, rina, PASSWORD, FIXED_NOW, client=OFFICE_PC) is not None
    assert authenticate(session, "tidak-ada", WRONG, FIXED_NOW, client=OFFICE_PC) is None
    for _ in range(MAX_FAILED):
        authenticate(session, rina, WRONG, FIXED_NOW, client=OFFICE_PC)
    authenticate(session, rina, PASSWORD, FIXED_NOW, client=OFFICE_PC)
    lines = [r.getMessage() for r in caplog.records if r.name == "pantau.auth"]
    assert lines[0] == f"signed in user='rina' client={OFFICE_PC}"
    assert lines[1] == f"sign-in failed user='tidak-ada' client={OFFICE_PC} reason=unknown-user"
    wrong = f"sign-in failed user='rina' client={OFFICE_PC} reason=wrong-password"
    assert lines.count(wrong) == MAX_FAILED
    until = (FIXED_NOW + LOCK_FOR).isoformat()
    assert f"user locked user='rina' client={OFFICE_PC} until={until}" in lines
    assert lines[-1] == f"sign-in failed user='rina' client={OFFICE_PC} reason=locked"
    assert PASSWORD not in caplog.text and WRONG not in caplog.text


def test_a_name_with_a_line_break_stays_on_one_log_line(
    session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="pantau.auth")
    authenticate(session, "x\nsigned in user='admin'", WRONG, FIXED_NOW)
    (line,) = [r.getMessage() for r in caplog.records if r.name == "pantau.auth"]
    assert "\n" not in line and line.endswith("client=local reason=invalid-name")


def _login_only() -> None:
    from ui.sign_in import login_form

    login_form()


def _sign_in_page(name: str, password: str) -> str:
    form = AppTest.from_function(_login_only, default_timeout=60).run()
    form.text_input(key="masuk_nama").input(name)
    form.text_input(key="masuk_sandi").input(password)
    answered = form.button[0].click().run()
    assert not answered.exception
    return str(answered.error[0].value)


def test_the_page_says_when_it_is_the_network_that_is_refused_not_the_password(
    empty_app: str, fixed_now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An office behind one address that reached the limit is told so, not "kata sandi salah"."""
    ensure_user(ADMIN_USER)
    monkeypatch.setattr(sign_in_page, "client_address", lambda: OFFICE_PC)
    assert _sign_in_page(ADMIN_USER.username, WRONG) == sign_in_page.WRONG
    for _ in range(MAX_FAILURES - 1):
        GUARD.record_failure(OFFICE_PC, fixed_now)
    refused = _sign_in_page(ADMIN_USER.username, TEST_PASSWORD)
    assert refused == (
        "Terlalu banyak percobaan masuk yang gagal dari jaringan ini. Coba lagi dalam 15 menit."
    )
