"""Sambungkan Akun: each account's connection, the owner's consent, and invites."""

from __future__ import annotations

import streamlit as st

from ui.components import demo_banner
from ui.connect_view import account_rows, admin_overview, show_consent_return
from ui.loaders_connect import load_connections, load_providers
from ui.navigation import guard_page

user = guard_page(__file__)
st.title("Sambungkan Akun")
demo_banner()
show_consent_return()
st.caption(
    "Tanpa sambungan, Pantau membaca data publik saja. Dengan persetujuan pemilik akun, Pantau "
    "juga membaca komentar dan balasan admin (Facebook, Instagram) dan memperbarui token "
    "TikTok sendiri. Pantau hanya meminta izin baca; tombol Putuskan mencabut izin itu."
)
accounts = load_connections()
providers = load_providers()
if user is not None and user.can_change:
    admin_overview(accounts, providers)

if accounts.empty:
    st.info("Belum ada akun terdaftar untuk OPD ini. Admin menambahkannya di Pengaturan.")
    st.stop()
opd_names = dict(zip(accounts["opd_code"], accounts["opd_name"], strict=False))
chosen = st.selectbox("OPD", list(opd_names), format_func=lambda c: opd_names[c], key="sambung_opd",
                      placeholder="Pilih OPD")  # fmt: skip
account_rows(accounts[accounts["opd_code"] == chosen], providers)
