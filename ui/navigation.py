"""Which pages each role sees. The loaders check the role again (ui.auth), so a page opened by
its address still returns nothing the role may not see."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from services.users import Principal
from ui.auth import (
    ADMIN,
    DENIED,
    EVERYONE,
    OPD,
    STAFF,
    current_user,
    login_form,
    write_cookie,
)
from ui.resources import database_ready
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
