"""Sign-in for the dashboard, and the checks every loader makes before it returns data.

Signing in opens a server-side web session (``services.web_sessions``): the browser keeps a
random token in the ``pantau_sesi`` cookie, signed, HttpOnly, SameSite=Lax, Secure over https;
the database only its digest. Streamlit's script cannot send a header, so the page trades a
one-time hand-over code for the cookie at Pantau's own route (web/session_routes.py, served
beside Streamlit by serve_app.py). A reload, a second tab or the return from a platform's
consent page resumes the session; after ``PANTAU_SESSION_HOURS`` the user signs in again.
Signing out ends the session and clears the cookie; a password change or ``user disable``
ends every session of the user at its next click or reload. Pages are hidden by role in the
navigation (app.py), and the loaders check the role again, so a page opened by its URL still
returns nothing it should not.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

import streamlit as st

from core.timeutil import utcnow
from db.engine import make_session_factory
from present.markdown import md_escape
from services import users
from services.users import ADMIN, OPD, REVIEWER, Principal
from services.web_sessions import (
    COOKIE_NAME,
    close_web_session,
    cookie_key,
    hand_over,
    hand_over_pending,
    open_web_session,
    resume_web_session,
    token_of_cookie,
)
from ui.browser_script import clear_session_cookie, fetch_session_cookie, hold_place
from ui.resources import get_engine, get_settings

AUTH_KEY = "pantau_auth"
EXPIRED_KEY = "pantau_auth_expired"
EVERYONE = users.ROLES
STAFF = (ADMIN, REVIEWER)
ROLE_LABELS = {ADMIN: "Admin", REVIEWER: "Peninjau", OPD: "Admin OPD"}
DENIED = "Anda tidak memiliki akses ke halaman atau data ini."

F = TypeVar("F", bound=Callable[..., Any])


COOKIE = COOKIE_NAME
COOKIE_KEY = "pantau_cookie_pending"  # a hand-over code to trade for the cookie, or SIGNED_OUT
SIGNED_OUT = ""  # the cookie is to be cleared
HANDED_OVER = "-"  # the code was traded for the cookie (or is too old to be)
CHECKED_KEY = "pantau_auth_checked"  # (token, monotonic time) of the last check of the session
RECHECK_SECONDS = 1.0  # one check per click, not one per loader of the run


@dataclass(frozen=True)
class SignedIn:
    principal: Principal
    until: datetime
    web_token: str = field(repr=False)


def sign_in(principal: Principal, now: datetime | None = None) -> None:
    """Open a web session for a user who just proved who they are; the cookie follows."""
    now = now or utcnow()
    hours = get_settings().session_hours_int
    with make_session_factory(get_engine())() as session:
        token = open_web_session(session, principal.username, hours, now)
    st.session_state[AUTH_KEY] = SignedIn(principal, now + timedelta(hours=hours), token)
    st.session_state[COOKIE_KEY] = hand_over(token, hours * 3600, now)
    st.session_state.pop(EXPIRED_KEY, None)
    st.session_state.pop(CHECKED_KEY, None)


def sign_out() -> None:
    """End this browser's session here (the cookie's route ends it too, in case that fails)."""
    state = st.session_state.pop(AUTH_KEY, None)
    if isinstance(state, SignedIn):
        with make_session_factory(get_engine())() as session:
            close_web_session(session, state.web_token, utcnow())
    st.session_state[COOKIE_KEY] = SIGNED_OUT
    st.session_state.pop(CHECKED_KEY, None)


def write_cookie() -> None:
    """Have the browser fetch (or clear) the session cookie after a sign-in or sign-out in this
    tab. Rendered on every run while the code waits, not once: a run cut short by a rerun never
    reaches the browser; after that an inert script keeps its place, so the elements below
    (an open expander) keep their state."""
    pending = st.session_state.get(COOKIE_KEY)
    if pending is None:
        return
    if pending == SIGNED_OUT:
        clear_session_cookie()
    elif pending != HANDED_OVER and hand_over_pending(pending, utcnow()):
        fetch_session_cookie(pending)
    else:
        st.session_state[COOKIE_KEY] = HANDED_OVER
        hold_place()


def _still_active(state: SignedIn) -> bool:
    """Whether the session still lives (not signed out, password unchanged, user active): read
    from the database at each click or reload, so ending a session takes effect at once."""
    token, at = st.session_state.get(CHECKED_KEY, ("", 0.0))
    if token == state.web_token and time.monotonic() - at < RECHECK_SECONDS:
        return True
    with make_session_factory(get_engine())() as session:
        live = resume_web_session(session, state.web_token, utcnow())
    active = live is not None and live[0].username == state.principal.username
    if active:
        st.session_state[CHECKED_KEY] = (state.web_token, time.monotonic())
    return active


def _resume() -> SignedIn | None:
    """The user of this browser's session cookie (a reload, a second tab, a consent's return)."""
    if st.session_state.get(COOKIE_KEY) == SIGNED_OUT:
        return None  # signed out in this tab; the old cookie is on its way out
    cookie = st.context.cookies.get(COOKIE)
    if not isinstance(cookie, str) or not cookie:  # (a test harness has no real cookies)
        return None
    token = token_of_cookie(cookie_key(get_settings().secret_key), cookie)
    if token is None:
        return None  # forged, or signed with another key: no database lookup
    with make_session_factory(get_engine())() as session:
        live = resume_web_session(session, token, utcnow())
    if live is None:
        return None
    state = SignedIn(live[0], live[1], token)
    st.session_state[AUTH_KEY] = state
    st.session_state[CHECKED_KEY] = (token, time.monotonic())  # just read: no second look
    return state


def current_user() -> Principal | None:
    """The signed-in user, or None (never signed in, session expired, or user disabled)."""
    state = st.session_state.get(AUTH_KEY)
    if not isinstance(state, SignedIn):
        state = _resume()
        if state is None:
            return None
    if utcnow() >= state.until or not _still_active(state):
        st.session_state.pop(AUTH_KEY, None)
        st.session_state[COOKIE_KEY] = SIGNED_OUT
        st.session_state[EXPIRED_KEY] = True
        return None
    return state.principal


def web_token() -> str:
    """This browser's session token: what a consent in progress is bound to."""
    state = st.session_state.get(AUTH_KEY)
    return state.web_token if isinstance(state, SignedIn) else ""


def require(*roles: str) -> Principal:
    """The signed-in user when their role is one of ``roles``; otherwise the page stops here."""
    user = current_user()
    if user is None or user.role not in roles:
        st.error(DENIED, icon=":material/lock:")
        st.stop()
    return user


NO_OPD = -1  # no OPD has this id: what an ``opd`` user whose OPD is gone may see


def scope() -> int | None:
    """The OPD whose data the user may see; None means every OPD (admin, reviewer). An ``opd``
    user whose OPD was deleted (``users.opd_id`` is then NULL) gets :data:`NO_OPD`, which
    matches nothing: None would read as every OPD."""
    user = require(*EVERYONE)
    if user.sees_everything:
        return None
    return NO_OPD if user.opd_id is None else user.opd_id


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


def user_box(user: Principal) -> None:
    """Who is signed in, and a way out (in the sidebar)."""
    where = f" · {md_escape(user.opd_name)}" if user.opd_name else ""
    who = md_escape(user.username)
    st.sidebar.caption(f"Masuk sebagai **{who}** ({ROLE_LABELS[user.role]}{where})")
    st.sidebar.button("Keluar", on_click=sign_out, key="keluar", icon=":material/logout:")
