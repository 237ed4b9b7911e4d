"""Pantau dashboard entry point: page setup, navigation over pages/, shared frame."""

from __future__ import annotations

import streamlit as st

from ui.loaders import database_ready
from ui.loaders_worker import worker_banner

st.set_page_config(page_title="Pantau", page_icon=":material/monitoring:", layout="wide")

PAGES = [
    st.Page("pages/ringkasan.py", title="Ringkasan", icon=":material/dashboard:", default=True),
    st.Page("pages/peringkat.py", title="Peringkat", icon=":material/leaderboard:"),
    st.Page("pages/akun_dorman.py", title="Akun Dorman", icon=":material/notifications_paused:"),
    st.Page("pages/detail_akun.py", title="Detail Akun", icon=":material/account_circle:"),
    st.Page("pages/tinjauan_bulanan.py", title="Tinjauan Bulanan", icon=":material/summarize:"),
    st.Page("pages/cek_caption.py", title="Cek Caption", icon=":material/spellcheck:"),
    st.Page("pages/kesehatan_koleksi.py", title="Kesehatan Koleksi", icon=":material/ecg_heart:"),
    st.Page("pages/pengaturan.py", title="Pengaturan", icon=":material/settings:"),
    st.Page("pages/panduan.py", title="Panduan", icon=":material/help:"),
]

navigation = st.navigation(PAGES)
st.sidebar.caption("Pantau · Bidang Komunikasi Publik, Dinas Kominfo")

# these two pages need no database: an admin can check a caption on a fresh install
WITHOUT_DATABASE = {"Cek Caption", "Panduan"}

needs_database = navigation.title not in WITHOUT_DATABASE
if needs_database and not database_ready():
    st.error(
        "Basis data belum disiapkan atau perlu diperbarui. "
        "Jalankan `python cli.py init` (atau `make run`), lalu muat ulang halaman ini."
    )
    st.stop()

# a stopped scheduler worker means stale data and lost daily follower counts: say so everywhere
if banner := worker_banner(database_optional=not needs_database):
    st.warning(banner, icon=":material/schedule:")

navigation.run()
