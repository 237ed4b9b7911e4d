"""Pantau dashboard entry point: sign-in, navigation over pages/ by role, shared frame."""

from __future__ import annotations

import streamlit as st

from ui.auth import current_user, user_box, write_cookie
from ui.errors import outside_pages, run_guarded
from ui.invite_view import invite_code, invite_form
from ui.loaders import refresh_when_data_changed, reload_data
from ui.loaders_worker import worker_banner
from ui.navigation import (
    AFTER_INVITE,
    CONNECT_PAGE,
    WITHOUT_DATABASE,
    open_deep_link,
    pages_for,
)
from ui.resources import database_ready
from ui.sign_in import login_form
from ui.style import inject

st.set_page_config(page_title="Pantau", page_icon=":material/monitoring:", layout="wide")

if not outside_pages(database_ready):  # a database that is down: a plain message
    navigation = st.navigation(pages_for(None))
    open_deep_link()
    if navigation.title not in WITHOUT_DATABASE:
        inject()  # no page runs (a page injects the house CSS in its guard)
        st.error(
            "Basis data belum disiapkan atau perlu diperbarui. "
            "Jalankan `python cli.py init` (atau `make run`), lalu muat ulang halaman ini."
        )
        st.stop()
    navigation.run()
    st.stop()

user = outside_pages(current_user)
if user is None:
    write_cookie()  # a sign-out clears the cookie here; a signed-in page writes it in its guard
    # every page stays registered (hidden), so a deep link such as /peringkat?bulan=… survives
    # the sign-in and opens right after it; none of them runs before
    st.navigation(pages_for(None), position="hidden")
    open_deep_link()  # a page opened first by its address waits for the sign-in here
    inject()  # no page runs (a page injects the house CSS in its guard)
    if invite_code():
        invite_form()  # an OPD admin opening an invite: choose a password, then connect
    else:
        login_form()
    st.stop()

navigation = st.navigation(pages_for(user.role))
open_deep_link()
if st.session_state.pop(AFTER_INVITE, False):
    st.switch_page(CONNECT_PAGE)
st.sidebar.caption("Pantau · Bidang Komunikasi Publik, Dinas Kominfo")
user_box(user)
st.sidebar.button(
    "Muat ulang data",
    icon=":material/refresh:",
    on_click=reload_data,
    help="Baca ulang data terbaru dari basis data, misalnya setelah pengambilan data selesai.",
    key="muat_ulang_data",
)


def show_page() -> None:
    refresh_when_data_changed()  # a collection or import by another process shows at once
    # a stopped scheduler worker means stale data and lost daily follower counts: say so
    if user is not None and user.sees_everything and (banner := worker_banner()):
        st.warning(banner, icon=":material/schedule:")
    navigation.run()


run_guarded(show_page, navigation.title, user.username)
