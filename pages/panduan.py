"""Panduan: what every number and status means and how it is computed. An OPD admin reads
only what concerns their OPD (ui.loaders_opd.load_opd_guide); staff read everything."""

from __future__ import annotations

import streamlit as st

from ui.loaders_account import load_guide
from ui.loaders_opd import load_opd_guide
from ui.navigation import guard_page

user = guard_page(__file__)  # None on a fresh install without a database: the full guide
for_opd = user is not None and not user.sees_everything
st.title("Panduan")
st.markdown(load_opd_guide() if for_opd else load_guide())
st.caption(
    "Arahan tentang media sosial OPD: Bidang Komunikasi Publik, Diskominfo Kabupaten Sintang."
    + ("" if for_opd else " Rincian rumus ada di dokumen docs/metrics.md.")
)
