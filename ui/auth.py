"""Sign-in for the dashboard, and the checks every loader makes before it returns data.

The signed-in user lives in Streamlit's per-browser session state, with the time of sign-in;
after ``PANTAU_SESSION_HOURS`` the user signs in again. A user disabled with the CLI is signed
out within a minute. Pages are hidden by role in the navigation (app.py), and the loaders check
the role again, so a page opened by its URL still returns nothing it should not.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

import streamlit as st

from core.timeutil import utcnow
from db.engine import make_session_factory
from services import users
from services.users import ADMIN, OPD, REVIEWER, Principal
from ui.resources import get_engine, get_settings

AUTH_KEY = "pantau_auth"
EXPIRED_KEY = "pantau_auth_expired"
EVERYONE = users.ROLES
STAFF = (ADMIN, REVIEWER)
ROLE_LABELS = {ADMIN: "Admin", REVIEWER: "Peninjau", OPD: "Admin OPD"}
DENIED = "Anda tidak memiliki akses ke halaman atau data ini."

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class SignedIn:
    principal: Principal
    since: datetime


def sign_in(principal: Principal, now: datetime | None = None) -> None:
    st.session_state[AUTH_KEY] = SignedIn(principal, now or utcnow())
    st.session_state.pop(EXPIRED_KEY, None)


def sign_out() -> None:
    st.session_state.pop(AUTH_KEY, None)


@st.cache_data(ttl=60, show_spinner=False)
def _still_active(username: str) -> bool:
    with make_session_factory(get_engine())() as session:
        return users.is_active(session, username)


def current_user() -> Principal | None:
    """The signed-in user, or None (never signed in, session expired, or user disabled)."""
    state = st.session_state.get(AUTH_KEY)
    if not isinstance(state, SignedIn):
        return None
    lifetime = timedelta(hours=get_settings().session_hours_int)
    if utcnow() - state.since > lifetime or not _still_active(state.principal.username):
        sign_out()
        st.session_state[EXPIRED_KEY] = True
        return None
    return state.principal


def require(*roles: str) -> Principal:
    """The signed-in user when their role is one of ``roles``; otherwise the page stops here."""
    user = current_user()
    if user is None or user.role not in roles:
        st.error(DENIED, icon=":material/lock:")
        st.stop()
    return user


def scope() -> int | None:
    """The OPD whose data the user may see; None means every OPD (admin, reviewer)."""
    user = require(*EVERYONE)
    return None if user.sees_everything else user.opd_id


def guarded(*roles: str) -> Callable[[F], F]:
    """Check the user's role on every call, before the (cached) loader answers. The loader's
    type is kept, so ``load_x.clear()`` still empties its cache."""

    def wrap(loader: F) -> F:
        @functools.wraps(loader)
        def checked(*args: Any, **kwargs: Any) -> Any:
            require(*roles)
            return loader(*args, **kwargs)

        clear = getattr(loader, "clear", None)
        if clear is not None:
            checked.clear = clear  # type: ignore[attr-defined]
        return cast(F, checked)

    return wrap


def try_sign_in(username: str, password: str) -> bool:
    with make_session_factory(get_engine())() as session:
        principal = users.authenticate(session, username, password)
    if principal is None:
        return False
    sign_in(principal)
    return True


def has_users() -> bool:
    with make_session_factory(get_engine())() as session:
        return users.user_count(session) > 0


def login_form() -> None:
    """The sign-in page (shown instead of every page until someone signs in)."""
    st.title("Masuk ke Pantau")
    if st.session_state.pop(EXPIRED_KEY, False):
        st.info("Sesi Anda sudah berakhir. Silakan masuk lagi.", icon=":material/schedule:")
    if not has_users():
        st.warning(
            "Belum ada pengguna. Admin server dapat membuatnya dengan "
            "`python cli.py user add NAMA --role admin`."
        )
    with st.form("masuk"):
        username = st.text_input("Nama pengguna", key="masuk_nama")
        password = st.text_input("Kata sandi", type="password", key="masuk_sandi")
        sent = st.form_submit_button("Masuk", type="primary")
    if sent:
        if try_sign_in(username, password):
            st.rerun()
        st.error(
            "Nama pengguna atau kata sandi salah, atau akun sedang dikunci sementara. "
            "Setelah lima kali salah, akun dikunci 15 menit."
        )


def user_box(user: Principal) -> None:
    """Who is signed in, and a way out (in the sidebar)."""
    where = f" · {user.opd_name}" if user.opd_name else ""
    st.sidebar.caption(f"Masuk sebagai **{user.username}** ({ROLE_LABELS[user.role]}{where})")
    st.sidebar.button("Keluar", on_click=sign_out, key="keluar", icon=":material/logout:")
