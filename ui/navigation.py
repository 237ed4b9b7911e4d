"""Which pages each role sees. The loaders check the role again (ui.auth), so a page opened by
its address still returns nothing the role may not see."""

from __future__ import annotations

import contextlib
from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitAPIException

from services.users import Principal
from ui.auth import (
    ADMIN,
    DENIED,
    EVERYONE,
    OPD,
    STAFF,
    current_user,
    write_cookie,
)
from ui.resources import database_ready
from ui.sign_in import login_form
from ui.style import inject

# page file, title, icon, roles that see it
PAGES = [
    ("pages/kinerja_opd.py", "Kinerja OPD Saya", ":material/insights:", (OPD,)),  # opd's home
    ("pages/ringkasan.py", "Ringkasan", ":material/dashboard:", STAFF),
    ("pages/peringkat.py", "Peringkat", ":material/leaderboard:", STAFF),
    ("pages/akun_dorman.py", "Akun Dorman", ":material/notifications_paused:", STAFF),
    ("pages/detail_akun.py", "Detail Akun", ":material/account_circle:", EVERYONE),
    ("pages/tinjauan_bulanan.py", "Tinjauan Bulanan", ":material/summarize:", STAFF),
    ("pages/tinjauan_unggahan.py", "Tinjauan Unggahan", ":material/fact_check:", EVERYONE),
    ("pages/cek_caption.py", "Cek Caption", ":material/spellcheck:", EVERYONE),
    ("pages/kesehatan_koleksi.py", "Status Pengambilan Data", ":material/ecg_heart:", STAFF),
    ("pages/sambungkan_akun.py", "Sambungkan Akun", ":material/link:", (ADMIN, OPD)),
    ("pages/pengaturan.py", "Pengaturan", ":material/settings:", (ADMIN,)),
    ("pages/panduan.py", "Panduan", ":material/help:", EVERYONE),
]
CONNECT_PAGE = "pages/sambungkan_akun.py"
AFTER_INVITE = "pantau_after_invite"  # an invite was just accepted: open Sambungkan Akun
# these two pages need no database: an admin can check a caption on a fresh install
WITHOUT_DATABASE = {"Cek Caption", "Panduan"}
APP_RAN = "pantau_app_ran"  # app.py has run in this session: its menu is in charge
DEEP_LINK = "pantau_deep_link"  # (page file, query) asked for before app.py had run


def page_files(role: str | None) -> list[str]:
    """The page files a role sees, in menu order; None (no database yet) means every page."""
    return [path for path, _t, _i, roles in PAGES if role is None or role in roles]


def pages_for(role: str | None) -> list[st.Page]:
    allowed = set(page_files(role))
    shown = [(path, title, icon) for path, title, icon, _r in PAGES if path in allowed]
    return [
        st.Page(path, title=title, icon=icon, default=i == 0)
        for i, (path, title, icon) in enumerate(shown)
    ]


def guard_page(file: str) -> Principal | None:
    """The first line of every page: the sign-in form for a visitor, a refusal for a role the
    page is not for. Streamlit can run a page's script without app.py (the first request after
    a restart may go straight to ``/peringkat``), so app.py's menu alone is not enough.

    Returns the user; None on the pages that work without a database when there is none.
    """
    inject()  # the house CSS, here because a page may run without app.py
    path = f"pages/{Path(file).name}"
    hand_over_to_app(path)
    title, roles = next((t, r) for p, t, _i, r in PAGES if p == path)
    if title in WITHOUT_DATABASE and not database_ready():
        return None
    user = current_user()
    write_cookie()  # a page opened by its address runs without app.py (see above)
    if user is None:
        login_form()
        st.stop()
    if user.role not in roles:
        st.error(DENIED, icon=":material/lock:")
        st.stop()
    return user


def hand_over_to_app(path: str) -> None:
    """Let app.py open ``path`` when this session has not run app.py yet.

    Until some session's app.py has called st.navigation, Streamlit takes the pages/ directory
    for its old multipage layout: the first request after a restart that goes to an address
    such as ``/detail_akun?akun=20`` runs that page alone, under a menu of file names ("app,
    akun dorman, kesehatan koleksi, ..."), and the session keeps that menu. Switching to
    app.py instead lets app.py's menu take over; app.py then opens the page asked for
    (:func:`open_deep_link`), query and all, after the sign-in if there is one.
    """
    if st.session_state.get(APP_RAN):
        return
    st.session_state[DEEP_LINK] = (path, st.query_params.to_dict())
    try:
        st.switch_page("app.py")
    except StreamlitAPIException:  # the page runs as the app itself (a test): nothing to hand to
        del st.session_state[DEEP_LINK]


def open_deep_link() -> None:
    """app.py, right after its st.navigation: note that app.py runs in this session, and open
    the page a page's guard handed over (:func:`hand_over_to_app`)."""
    st.session_state[APP_RAN] = True
    link = st.session_state.pop(DEEP_LINK, None)
    if link is not None:
        path, query = link
        with contextlib.suppress(StreamlitAPIException):  # not in this role's menu: home page
            st.switch_page(path, query_params=query)
