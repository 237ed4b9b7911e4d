"""Passwords (issue #18 items 2 and 7): Argon2 runs at most MAX_AT_ONCE at a time and the rest
are told to try again shortly, on the sign-in page too; easy passwords are refused with a clear
English message in the CLI and an Indonesian one on the invite form."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import NoReturn

import pytest
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from core import passwords
from core.passwords import GUESSABLE, MAX_AT_ONCE, HasherBusy, WeakPassword, check_strength
from core.settings import Settings
from db import repository as repo
from db.engine import make_engine, make_session_factory
from services.invites import InviteError, accept_invite, create_invite
from services.sign_in_guard import GUARD
from services.users import (
    ADMIN,
    DEMO_PASSWORD,
    DEMO_USERS,
    Principal,
    SignInBusy,
    UserError,
    WeakPasswordError,
    add_user,
    authenticate,
    set_password,
)
from tests.app_support import ADMIN_USER, TEST_PASSWORD, ensure_user, signed_in
from tests.clock import FIXED_NOW
from ui import loaders_demo

CALLERS = 12


class HeldHasher:
    """Stands in for argon2's PasswordHasher: counts how many calls run at the same time, and
    holds each call until :meth:`release` (no sleeps: the outcome does not depend on how fast
    the machine is)."""

    def __init__(self, held: bool = True) -> None:
        self.running, self.most = 0, 0
        self._lock = threading.Lock()
        self._go = threading.Event()
        if not held:
            self._go.set()

    def release(self) -> None:
        self._go.set()

    def _work(self) -> None:
        with self._lock:
            self.running += 1
            self.most = max(self.most, self.running)
        assert self._go.wait(30), "never released"
        with self._lock:
            self.running -= 1

    def verify(self, _hash: str, _password: str) -> bool:
        self._work()
        return False

    def hash(self, _password: str) -> str:
        self._work()
        return "$argon2id$fake"


@pytest.fixture(autouse=True)
def fresh_guard() -> Iterator[None]:
    GUARD.clear()
    yield
    GUARD.clear()


def _run_together(
    call: Callable[[], object], count: int, on_busy: Callable[[int], None] = lambda _n: None
) -> list[str]:
    """Start ``count`` threads at once; each reports 'done' or 'busy'. ``on_busy`` hears how
    many have reported busy so far, each time one does."""
    outcomes: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(count)

    def one() -> None:
        start.wait()
        try:
            call()
            outcome = "done"
        except HasherBusy:
            outcome = "busy"
        with lock:
            outcomes.append(outcome)
            busy = outcomes.count("busy")
        if outcome == "busy":
            on_busy(busy)

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_at_most_a_few_argon2_runs_at_once_and_the_rest_are_told_busy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The calls holding a slot finish only once every other caller has been told busy, so
    the waiters' short timeout decides, however slowly the threads are scheduled."""
    monkeypatch.setattr(passwords, "WAIT_FOR_SLOT", 0.1)
    for call in (lambda: passwords.verify_password("stored", "tebakan"),
                 lambda: passwords.hash_password("sandi")):  # fmt: skip
        fake = HeldHasher()
        monkeypatch.setattr(passwords, "_HASHER", fake)

        def release_when_all_refused(busy: int, fake: HeldHasher = fake) -> None:
            if busy == CALLERS - MAX_AT_ONCE:
                fake.release()

        outcomes = _run_together(call, CALLERS, release_when_all_refused)
        assert fake.most == MAX_AT_ONCE
        assert outcomes.count("done") == MAX_AT_ONCE
        assert outcomes.count("busy") == CALLERS - MAX_AT_ONCE


def test_callers_that_fit_in_the_wait_all_get_their_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = HeldHasher(held=False)
    monkeypatch.setattr(passwords, "_HASHER", fake)
    monkeypatch.setattr(passwords, "WAIT_FOR_SLOT", 60.0)  # far longer than any turn takes
    outcomes = _run_together(lambda: passwords.verify_password("stored", "tebakan"), CALLERS)
    assert outcomes == ["done"] * CALLERS and fake.most <= MAX_AT_ONCE


def _no_slot_free(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "_SLOTS", threading.BoundedSemaphore(1))
    monkeypatch.setattr(passwords, "WAIT_FOR_SLOT", 0.01)
    passwords._SLOTS.acquire()


def test_a_busy_sign_in_is_its_own_outcome_and_counts_as_no_failure(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_user(session, "rina", TEST_PASSWORD, ADMIN)
    session.commit()
    _no_slot_free(monkeypatch)
    with pytest.raises(SignInBusy):
        authenticate(session, "rina", "tebakan-keliru-07", FIXED_NOW, client="10.0.0.9")
    assert not GUARD.refused("10.0.0.9", FIXED_NOW)


def _login_only() -> None:
    from ui.sign_in import login_form

    login_form()


def test_the_sign_in_page_asks_to_try_again_shortly_when_busy(
    empty_app: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ensure_user(ADMIN_USER)
    form = AppTest.from_function(_login_only, default_timeout=60).run()
    _no_slot_free(monkeypatch)
    form.text_input(key="masuk_nama").input(ADMIN_USER.username)
    form.text_input(key="masuk_sandi").input(TEST_PASSWORD)
    busy = form.button[0].click().run()
    assert not busy.exception
    assert busy.error[0].value == "Terlalu banyak percobaan masuk saat ini. Coba lagi sebentar."


@pytest.mark.parametrize(
    "password",
    ["password123", "qwertyuiop12", "1234567890", "sintang2026", "katasandi123", "aaaaaaaaaaaa"],
)
def test_common_and_patterned_passwords_are_refused(password: str) -> None:
    with pytest.raises(WeakPassword) as refused:
        check_strength(password, "budi.s")
    assert refused.value.kind == GUESSABLE


def test_the_cli_says_why_in_english(session: Session) -> None:
    with pytest.raises(UserError, match=r"^password: too easy to guess .*several unrelated"):
        add_user(session, "budi.s", "password123", ADMIN)
    add_user(session, "budi.s", "lampu-kopi-sungai-8", ADMIN)
    with pytest.raises(WeakPasswordError, match="too easy to guess"):
        set_password(session, "budi.s", "qwertyuiop12")


def test_the_demo_password_and_the_suites_passwords_are_accepted() -> None:
    for name, _role, _opd in DEMO_USERS:
        check_strength(DEMO_PASSWORD, name)
    check_strength(TEST_PASSWORD, ADMIN_USER.username)


def test_the_invite_form_gets_an_indonesian_reason(session: Session) -> None:
    repo.upsert_opd(session, "HUMAS", "Bagian Humas", "setda")
    add_user(session, "kabid-ikp", "lampu-kopi-sungai-8", ADMIN)
    session.commit()
    settings = replace(Settings(), public_url="https://pantau.example.go.id")
    invite = create_invite(session, settings, Principal("kabid-ikp", ADMIN), "HUMAS", FIXED_NOW)
    code = invite.link.rsplit("=", 1)[1]
    at = FIXED_NOW + timedelta(minutes=5)
    with pytest.raises(InviteError) as weak:
        accept_invite(session, code, "admin-humas", "password123", at)
    assert str(weak.value).startswith("Kata sandi terlalu mudah ditebak")
    with pytest.raises(InviteError) as short:
        accept_invite(session, code, "admin-humas", "pendek", at)
    assert str(short.value).startswith("Kata sandi terlalu pendek")
    assert accept_invite(session, code, "admin-humas", "lampu-kopi-sungai-8", at).opd_id


@pytest.mark.sqlite_only  # the benchmark makes its own SQLite file
def test_the_sign_in_storm_benchmark_stays_in_its_memory_budget() -> None:
    from bench.signin import run

    result = run(attempts=8)
    assert result.passed, list(result.details())
    assert sum(result.outcomes.values()) == 8


def _invite_only() -> None:
    from ui.invite_view import invite_form

    invite_form()


def test_the_invite_page_hints_and_refuses_an_easy_password_in_indonesian(
    empty_app: str, fixed_now: datetime
) -> None:
    engine = make_engine(empty_app)
    with make_session_factory(engine)() as session:
        repo.upsert_opd(session, "HUMAS", "Bagian Humas", "setda")
        add_user(session, "kabid-ikp", "lampu-kopi-sungai-8", ADMIN)
        session.commit()
        settings = replace(Settings(), public_url="https://pantau.example.go.id")
        admin = Principal("kabid-ikp", ADMIN)
        link = create_invite(session, settings, admin, "HUMAS", fixed_now).link
    engine.dispose()
    at = AppTest.from_function(_invite_only, default_timeout=60)
    at.query_params["undangan"] = link.rsplit("=", 1)[1]
    at.run()
    assert "tidak mudah ditebak" in " ".join(c.value for c in at.caption)
    at.text_input(key="undangan_nama").input("admin-humas")
    for key in ("undangan_sandi", "undangan_ulang"):
        at.text_input(key=key).input("qwertyuiop12")
    refused = at.button[0].click().run()
    assert not refused.exception
    assert refused.error[0].value.startswith("Kata sandi terlalu mudah ditebak")


# --- Pengaturan's demo removal checks the demo logins' passwords through the same slots
DEMO_BUSY = "Server sedang sibuk memeriksa kata sandi. Coba lagi sebentar."


def _demo_section_only() -> None:
    from ui.loaders_demo import demo_removal_section

    demo_removal_section()


def _busy(*_args: object, **_kwargs: object) -> NoReturn:
    raise HasherBusy("too many password checks at once")


def test_the_demo_section_asks_to_try_again_shortly_when_busy(
    empty_app: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loaders_demo, "load_is_demo", lambda: True)
    monkeypatch.setattr(loaders_demo, "demo_logins", _busy)
    at = signed_in(AppTest.from_function(_demo_section_only, default_timeout=60), ADMIN_USER)
    at.run()
    assert not at.exception
    assert [w.value for w in at.warning] == [DEMO_BUSY]


def test_removing_the_demo_asks_to_try_again_shortly_when_busy(
    empty_app: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loaders_demo, "load_is_demo", lambda: True)
    monkeypatch.setattr(loaders_demo, "demo_logins", lambda _session: [])
    monkeypatch.setattr(loaders_demo, "remove_demo", _busy)
    at = signed_in(AppTest.from_function(_demo_section_only, default_timeout=60), ADMIN_USER)
    at.run()
    at.text_input(key=loaders_demo.CONFIRM_KEY).set_value(loaders_demo.CONFIRM_WORDS).run()
    pressed = at.button(key="hapus_demo").click().run()
    assert not pressed.exception
    assert [e.value for e in pressed.error] == [DEMO_BUSY]
