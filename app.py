"""Pantau dashboard entry point: page setup, navigation over pages/, shared frame."""

from __future__ import annotations

import streamlit as st

from ui.loaders import database_ready

st.set_page_config(page_title="Pantau", page_icon=":material/monitoring:", layout="wide")

PAGES = [
    st.Page("pages/ringkasan.py", title="Ringkasan", icon=":material/dashboard:", default=True),
    st.Page("pages/peringkat.py", title="Peringkat", icon=":material/leaderboard:"),
]

navigation = st.navigation(PAGES)
st.sidebar.caption("Pantau · Bidang Komunikasi Publik, Dinas Kominfo")

if not database_ready():
    st.error(
        "Basis data belum disiapkan atau perlu diperbarui. "
        "Jalankan `python cli.py init` (atau `make run`), lalu muat ulang halaman ini."
    )
    st.stop()

navigation.run()
