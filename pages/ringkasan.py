"""Ringkasan: the state of every OPD account at a glance."""

from __future__ import annotations

import streamlit as st

from core import fmt
from present import charts
from present.cards import account_cards
from present.markdown import md_escape
from present.metric_delta import delta_args
from present.tables import display_table
from ui.account_lists import no_account_section, table_or_cards
from ui.alerts_view import alerts_section
from ui.components import chart, demo_banner, month_picker, unreadable_list
from ui.loaders import load_opds_without_account, load_overview
from ui.navigation import guard_page
from ui.recap_view import recap_section

# who, how long silent, and whom to call first (as on Akun Dorman)
ATTENTION_COLUMNS = [
    "opd_name", "handle", "days_since_last_post", "admin_name", "admin_phone", "status",
    "platform",
]  # fmt: skip

guard_page(__file__)
st.title("Ringkasan")
demo_banner()
month = month_picker("ringkasan_month")
data = load_overview(month)
st.caption(f"Keadaan per {fmt.date_time(data.as_of)}")

counts = data.status_counts
top = st.columns(5)
top[0].metric("Akun dipantau", fmt.number(data.accounts))
top[1].metric("Aktif", fmt.number(counts["active"]))
top[2].metric("Perlu perhatian", fmt.number(counts["at_risk"]))
top[3].metric("Dorman", fmt.number(counts["dormant"]))
top[4].metric("Tidak terbaca", fmt.number(counts["unreadable"]))
cols = st.columns(4)
cols[0].metric(
    "Total pengikut",
    fmt.number(data.followers_total),
    **delta_args(data.followers_growth_pct, fmt.DECIMALS["growth_pct"], "%", "dari awal bulan"),
)
cols[1].metric(f"Unggahan {fmt.month_name(month)}", fmt.number(data.posts_this_month))
cols[2].metric(
    "Median tingkat interaksi",
    fmt.percent(data.median_engagement_rate, fmt.DECIMALS["engagement_rate"]),
)
cols[3].metric("Belum ada data", fmt.number(counts["no_data"]))
st.caption(
    "Akun **tidak terbaca** adalah akun yang gagal diambil datanya (misalnya bukan akun "
    "profesional, tidak ditemukan, atau izinnya belum diberikan). Akun ini tidak dihitung "
    "dorman dan tidak diberi peringkat sampai bisa dibaca lagi."
)
alerts_section()

st.subheader("Lima akun yang paling perlu perhatian")
st.caption("Akun yang belum pernah mengunggah ditulis paling atas.")
table_or_cards(
    display_table(data.attention, ATTENTION_COLUMNS),
    account_cards(data.attention, md_escape),
    key="attention",
)
no_account_section(load_opds_without_account(), key="ringkasan_no_account")

if len(data.unreadable):
    st.subheader("Akun yang tidak dapat dibaca")
    unreadable_list(data.unreadable)

recap_section(month, "ringkasan")

left, right = st.columns(2)
with left:
    chart(charts.monthly_posts_chart(data.monthly), key="posts_trend")
with right:
    chart(charts.monthly_followers_chart(data.monthly), key="followers_trend")
chart(charts.status_chart(data.statuses["status"]), key="status_chart")
