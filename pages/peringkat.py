"""Peringkat: the month's ranking by account or by OPD, with movers."""

from __future__ import annotations

import streamlit as st

from core import fmt
from present import charts
from present.labels import category_label, platform_label, ranking_by_label
from present.tables import display_table
from services.ranking import filter_options, filter_ranking, split_unranked
from services.reminders import split_unreadable
from ui.components import chart, demo_banner, month_picker, multi_choice, table, unreadable_list
from ui.loaders import load_ranking
from ui.navigation import guard_page

guard_page(__file__)
st.title("Peringkat")
demo_banner()
col_month, col_by, col_platform, col_category = st.columns(4)
with col_month:
    month = month_picker("peringkat_month")
with col_by:
    by = st.radio(
        "Peringkat per", ["account", "opd"], horizontal=True, key="peringkat_by",
        format_func=ranking_by_label,
    )  # fmt: skip
ranked = load_ranking(month, str(by))
platform_options, category_options = filter_options(ranked)
with col_platform:
    platforms = multi_choice(
        "Platform", platform_options, platform_label, "peringkat_platform", disabled=by == "opd"
    )
with col_category:
    categories = multi_choice("Kategori", category_options, category_label, "peringkat_category")
shown, left_out = split_unranked(filter_ranking(ranked, platforms, categories))

st.caption(
    f"{fmt.month_name(month)} · {fmt.number(len(shown))} baris. Indeks aktivitas 0–100 "
    "memadukan konsistensi unggahan, tingkat interaksi dan pertumbuhan pengikut "
    "(dibandingkan dengan akun lain di platform yang sama) dan kualitas caption. "
    "Kolom Konsistensi, Interaksi dan Pertumbuhan adalah bagian-bagian indeks (0–100)."
)
chart(charts.ranking_chart(shown), key="ranking_chart")
COLUMNS = [
    "rank", "rank_change", "opd_name", "platform", "handle", "score", "consistency",
    "engagement", "growth", "caption_score", "followers", "posts", "engagement_rate",
    "growth_weekly", "reply_rate", "reply_median_minutes", "days_since_last_post", "status",
]  # fmt: skip
table(display_table(shown, COLUMNS), key="ranking_table", height=600)
st.caption(
    "Tingkat balasan dan waktu balasan pertama (median) tidak masuk indeks. Keduanya hanya "
    "dapat diketahui untuk YouTube serta Facebook dan Instagram yang sudah disambungkan "
    'pemiliknya; selebihnya tertulis "tidak tersedia", bukan 0: akun belum disambungkan, '
    "TikTok tidak membuka komentar untuk aplikasi, X tidak dibaca balasannya, situs web tidak "
    "berkomentar, atau belum ada komentar bulan ini. Pesan langsung (DM) tidak dapat dibaca."
)
if len(left_out):
    st.subheader("Tidak diberi peringkat")
    st.caption(
        f"{fmt.number(len(left_out))} {'OPD' if by == 'opd' else 'akun'} tidak diberi peringkat "
        "karena belum ada datanya atau tidak dapat dibaca Pantau; tidak ada yang diberi nilai 0."
    )
    if by == "opd":
        st.caption("Alasan per akun ada di Ringkasan, Akun Dorman dan Detail Akun.")
        table(display_table(left_out, ["opd_name", "handle", "status"]), key="ranking_left_out")
    else:
        no_data, unreadable = split_unreadable(left_out)
        unreadable_list(unreadable)
        if len(no_data):
            columns = ["opd_name", "platform", "handle", "status"]
            table(display_table(no_data, columns), key="ranking_left_out")
