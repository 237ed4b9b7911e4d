"""Sign-in and roles: every page as every role, on the demo world.

Pages are opened by their file, as a visitor typing a page's address would, so what is tested
is the loaders' own check, not only the menu.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.timeutil import utcnow
from db.engine import make_engine, make_session_factory
from db.models import Account, Opd
from services.users import ADMIN, OPD, REVIEWER, Principal
from tests.app_support import (
    ROOT,
    TEST_PASSWORD,
    ensure_user,
    run_page,
    signed_in,
    texts,
    web_session_of,
)
from ui.auth import AUTH_KEY, DENIED, SignedIn
from ui.navigation import page_files

ALL_PAGES = page_files(None)
OPD_CODE = "DISKOMINFO"


def _opd_principal(url: str, code: str = OPD_CODE) -> Principal:
    with make_session_factory(make_engine(url))() as session:
        opd = session.scalar(select(Opd).where(Opd.code == code))
        assert opd is not None
        principal = Principal(f"admin-{code.lower()}", OPD, opd.id, opd.name)
    ensure_user(principal, code)
    return principal


USERS = {ADMIN: Principal("kepala-bidang", ADMIN), REVIEWER: Principal("peninjau-1", REVIEWER)}


def test_each_role_sees_its_pages_in_the_menu() -> None:
    opd_home = "pages/kinerja_opd.py"  # about one's own OPD: staff have Ringkasan instead
    assert page_files(ADMIN) == [p for p in ALL_PAGES if p != opd_home]
    admin_only = {"pages/pengaturan.py", "pages/sambungkan_akun.py"}  # reviewers only read
    assert set(ALL_PAGES) - set(page_files(REVIEWER)) == admin_only | {opd_home}
    assert page_files(OPD) == [
        opd_home, "pages/detail_akun.py", "pages/tinjauan_unggahan.py", "pages/cek_caption.py",
        "pages/sambungkan_akun.py", "pages/panduan.py",
    ]  # fmt: skip


@pytest.mark.parametrize("role", [ADMIN, REVIEWER, OPD])
def test_every_page_as_every_role(demo_app: str, role: str) -> None:
    user = _opd_principal(demo_app) if role == OPD else USERS[role]
    for page in ALL_PAGES:
        if page in page_files(role):
            at = run_page(page, user)
            assert DENIED not in [e.value for e in at.error], (role, page)
            assert at.title, (role, page)
        else:  # not in the menu: run the page's own script, as if reached some other way
            at = signed_in(AppTest.from_file(str(ROOT / page), default_timeout=60), user).run()
            assert not at.exception, (role, page)
            assert [e.value for e in at.error] == [DENIED], (role, page)
            assert not at.dataframe and not at.metric, (role, page)  # nothing leaked


def test_an_opd_user_sees_only_its_own_accounts(demo_app: str) -> None:
    user = _opd_principal(demo_app)
    with make_session_factory(make_engine(demo_app))() as session:
        own = set(session.scalars(select(Account.id).where(Account.opd_id == user.opd_id)))
        other = session.scalar(select(Account.id).where(Account.opd_id != user.opd_id))
    at = run_page("pages/detail_akun.py", user)
    offered = set(at.selectbox[0].options)
    assert offered and all(str(user.opd_name) in label for label in offered)
    assert len(offered) == len(own)

    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), user)
    at.query_params["akun"] = str(other)  # another OPD's account, typed into the address
    at.switch_page("pages/detail_akun.py").run()
    assert not at.exception
    with make_session_factory(make_engine(demo_app))() as session:
        other_account = session.get(Account, other)
        assert other_account is not None
        other_handle = other_account.handle
    assert other_handle not in texts(at) + " ".join(str(s.value) for s in at.subheader)
    assert at.subheader[0].value == user.opd_name  # it fell back to an own account

    asked = signed_in(AppTest.from_function(_view_of, args=(other,), default_timeout=60), user)
    asked.run()
    assert [e.value for e in asked.error] == [DENIED]
    assert not asked.text  # the loader returned nothing


def _view_of(account_id: int) -> None:
    """A page that asks the loader directly for one account."""
    import streamlit as st

    from ui.loaders_account import load_account_view

    view = load_account_view(account_id, 3)
    st.text(str(view.detail.handle if view else None))


def _login_page(url: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    return at


def _submit(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="masuk_nama").input(username)
    at.text_input(key="masuk_sandi").input(password)
    return at.button[0].click().run()


def _login_only() -> None:
    """The sign-in form on its own (AppTest loses form submissions under app.py's hidden
    navigation; the browser test signs in through app.py for real)."""
    import streamlit as st

    from ui.auth import current_user
    from ui.sign_in import login_form

    if current_user() is None:
        login_form()
    else:
        st.text(f"signed in: {current_user()}")


def test_nobody_gets_a_page_before_signing_in(demo_app: str) -> None:
    ensure_user(USERS[ADMIN])
    at = _login_page(demo_app)
    assert at.title[0].value == "Masuk ke Pantau"
    assert not at.metric and not at.dataframe

    form = AppTest.from_function(_login_only, default_timeout=60).run()
    wrong = _submit(form, "kepala-bidang", "salah-sekali-123")
    assert "Nama pengguna atau kata sandi salah" in wrong.error[0].value
    assert wrong.title[0].value == "Masuk ke Pantau"

    right = _submit(wrong, "kepala-bidang", TEST_PASSWORD)
    assert not right.exception
    assert "role='admin'" in right.text[0].value
    assert isinstance(right.session_state[AUTH_KEY], SignedIn)


def test_an_old_session_must_sign_in_again(demo_app: str) -> None:
    ensure_user(USERS[REVIEWER])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    live = web_session_of(USERS[REVIEWER])  # signed in 9 hours ago: past its 8 hours
    at.session_state[AUTH_KEY] = SignedIn(
        live.principal, utcnow() - timedelta(hours=1), live.web_token
    )
    at.run()
    assert at.title[0].value == "Masuk ke Pantau"
    assert "Sesi Anda sudah berakhir" in texts(at)


def test_a_disabled_user_is_signed_out(demo_app: str) -> None:
    from services.users import disable

    ensure_user(USERS[REVIEWER])
    with make_session_factory(make_engine(demo_app))() as session:
        disable(session, USERS[REVIEWER].username)
        session.commit()
    at = run_page("pages/ringkasan.py", USERS[REVIEWER])
    assert at.title[0].value == "Masuk ke Pantau"


@pytest.mark.parametrize("role", [ADMIN, REVIEWER])
def test_who_may_send_a_reminder_records_it(demo_app: str, role: str) -> None:
    """Admin and reviewer (Diskominfo's staff) both send and record, so none goes twice."""
    from db.models import Reminder

    at = run_page("pages/akun_dorman.py", USERS[role])
    assert not at.button(key="dorman_mark").disabled
    at.button(key="dorman_mark").click().run()
    assert not at.exception
    assert any("sudah dicatat" in str(s.value) for s in at.success)
    with make_session_factory(make_engine(demo_app))() as session:
        assert session.scalar(select(Reminder.created_by)) == USERS[role].username


@pytest.mark.parametrize("page", ["pages/peringkat.py", "pages/pengaturan.py"])
def test_a_page_opened_directly_asks_to_sign_in_first(demo_app: str, page: str) -> None:
    at = AppTest.from_file(str(ROOT / page), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Masuk ke Pantau"
    assert not at.dataframe and not at.metric
    assert "DATA DEMO" not in texts(at)
