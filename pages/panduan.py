"""Panduan: what every number and status means and how it is computed."""

from __future__ import annotations

import streamlit as st

from ui.loaders_account import load_guide
from ui.navigation import guard_page

guard_page(__file__)
st.title("Panduan")
st.markdown(load_guide())
st.caption(
    "Arahan tentang media sosial OPD: Bidang Komunikasi Publik, Diskominfo Kabupaten Sintang. "
    "Rincian rumus ada di dokumen docs/metrics.md."
)
