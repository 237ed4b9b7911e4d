"""Peringkat: the month's ranking by account or by OPD, with movers; and the month's hashtags
and mentions across the regency, with the accounts that use each."""

from __future__ import annotations

import streamlit as st

from core import fmt, period
from present import charts
from present.labels import category_label, platform_label, ranking_by_label
from present.tables import display_table
from services.ranking import filter_options, filter_ranking, split_unranked
from services.reminders import split_unreadable
from ui.account_lists import no_account_section
from ui.components import chart, demo_banner, month_picker, multi_choice, table, unreadable_list
from ui.loaders import TagTables, load_opds_without_account, load_ranking, load_tag_tables
from ui.navigation import guard_page
from ui.resources import get_settings, now_local

VIEWS = {"ranking": "Peringkat", "tags": "Tagar dan sebutan"}
ACCOUNT_ONLY = {"following", "engagement_rate_views"}  # not summed over an OPD's accounts
COLUMNS = [
    "rank", "rank_change", "opd_name", "platform", "handle", "score", "consistency",
    "engagement", "growth", "caption_score", "followers", "following", "posts", "posts_per_week",
    "engagement_rate", "engagement_rate_views", "growth_weekly", "reply_rate",
    "reply_median_minutes", "days_since_last_post", "status",
]  # fmt: skip

# what the ranking needs on one screen; every measure is in the "Semua ukuran" expander
KEY_COLUMNS = [
    "rank", "rank_change", "opd_name", "platform", "handle", "score", "followers",
    "posts_per_week", "engagement_rate", "days_since_last_post", "status",
]  # fmt: skip

PER_WEEK_NOTE = (
    "Unggahan/minggu: jumlah unggahan ÷ jumlah minggu bulan itu (untuk bulan yang sedang "
    "berjalan: minggu yang sudah lewat, paling sedikit satu)."
)
ACCOUNT_NOTE = (
    " Mengikuti: jumlah akun yang diikuti akun ini pada pengambilan data terakhir bulan itu; "
    'hanya Instagram, TikTok dan X yang melaporkannya, selebihnya tertulis "tidak tersedia". '
    "Interaksi per tayangan: interaksi ÷ tayangan × 100, hanya untuk YouTube dan TikTok."
)


def show_tags(tags: TagTables, month: str) -> None:
    st.caption(
        f"{fmt.month_name(month)} · {fmt.number(tags.posts)} unggahan akun yang dipantau, "
        f"{fmt.number(tags.captioned)} di antaranya memiliki caption. Setiap tagar dan akun "
        "yang disebut dihitung sekali per unggahan (huruf besar dan kecil disamakan); "
        "rata-rata interaksi hanya dari unggahan yang jumlah interaksinya terlihat."
    )
    hashtags, mentions = st.tabs(["Tagar", "Akun yang disebut"])
    with hashtags:
        if tags.hashtags.empty:
            st.info("Belum ada tagar pada bulan yang dipilih.")
        else:
            table(tags.hashtags, key="peringkat_hashtags")
    with mentions:
        if tags.mentions.empty:
            st.info("Belum ada akun yang disebut pada bulan yang dipilih.")
        else:
            table(tags.mentions, key="peringkat_mentions")


guard_page(__file__)
st.title("Peringkat")
demo_banner()
view = st.radio(
    "Tampilkan", list(VIEWS), horizontal=True, key="peringkat_view", format_func=VIEWS.__getitem__
)
col_month, col_by, col_platform, col_category = st.columns(4)
with col_month:
    month = month_picker("peringkat_month")
if view == "tags":
    show_tags(load_tag_tables(month), month)
    st.stop()
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
    f"{period.month_label(month, now_local(), get_settings().tz)} · "
    f"{fmt.number(len(shown))} baris. Indeks Kinerja Akun 0–100 "
    "memadukan konsistensi unggahan, tingkat interaksi dan pertumbuhan pengikut "
    "(dibandingkan dengan akun lain di platform yang sama) dan kualitas caption. "
    "Kolom Konsistensi, Interaksi dan Pertumbuhan adalah bagian-bagian indeks (0–100)."
)
chart(charts.ranking_chart(shown), key="ranking_chart")
columns = [c for c in COLUMNS if by == "account" or c not in ACCOUNT_ONLY]
table(display_table(shown, [c for c in KEY_COLUMNS if c in columns]), key="ranking_table")
with st.expander("Semua ukuran (tabel lengkap)", icon=":material/table_view:"):
    table(display_table(shown, columns), key="ranking_table_full", height=600)
st.caption(PER_WEEK_NOTE + (ACCOUNT_NOTE if by == "account" else ""))
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
if by == "opd":
    no_account = load_opds_without_account()
    if categories:  # the category filter applies to these OPDs too
        no_account = no_account[no_account["category"].isin(categories)]
    no_account_section(no_account, key="ranking_no_account")
