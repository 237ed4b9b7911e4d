"""Kinerja OPD Saya: an OPD admin's home page, about their own OPD only."""

from __future__ import annotations

import streamlit as st

from core import fmt
from present import opd_followup as followup
from present import opd_performance as words
from present.markdown import md_escape
from present.metric_delta import change_args, delta_args
from ui.components import chart, demo_banner, month_picker, table
from ui.loaders_opd import load_opd_performance, pdf_maker, pdf_unavailable
from ui.navigation import guard_page

guard_page(__file__)
st.title("Kinerja OPD Saya")
demo_banner()
month = month_picker("kinerja_month")
perf = load_opd_performance(month)
if perf is None:
    st.info(
        "Akun pengguna Anda belum terhubung dengan OPD yang terdaftar. "
        "Hubungi Bidang Komunikasi Publik Diskominfo."
    )
    st.stop()

st.subheader(md_escape(perf.opd_name))
st.caption(words.as_of_text(perf.month, perf.as_of, perf.tz))
if not perf.has_accounts:
    st.info(
        "Belum ada akun media sosial OPD Anda yang dipantau. Kirimkan daftar akun resmi OPD "
        "kepada Bidang Komunikasi Publik Diskominfo agar didaftarkan.",
        icon=":material/info:",
    )
    st.stop()

now, before = perf.current, perf.previous
headline = words.opd_rank_sentence(
    now.rank, perf.opds_ranked, perf.rank_change, month, perf.compared_with
)
st.markdown(f"**{headline}**")
cols = st.columns(4)
cols[0].metric("Peringkat di antara OPD", words.rank_value(now.rank, perf.opds_ranked),
               **delta_args(perf.rank_change, suffix="peringkat"))  # fmt: skip
cols[1].metric("Indeks Kinerja Akun OPD", fmt.number(now.score, fmt.DECIMALS["score"]),
               **change_args(now.score, before.score, fmt.DECIMALS["score"],
                             suffix=f"dari {perf.compared_with}"))  # fmt: skip
cols[2].metric(words.posts_column(month), fmt.number(now.posts),
               **change_args(now.posts, before.posts,
                             suffix=f"dari {perf.compared_with}"))  # fmt: skip
cols[3].metric("Akun yang dinilai", words.rank_value(perf.readable_accounts, len(perf.accounts)))

st.subheader("Akun, status dan peringkatnya")
st.markdown(words.status_summary(perf.accounts))
st.markdown("\n".join(f"- {md_escape(line)}" for line in words.platform_rank_lines(perf.accounts)))
if perf.readable_accounts == 0:
    st.warning(
        "Belum ada akun OPD Anda yang dapat dibaca Pantau, jadi OPD Anda belum diberi "
        "peringkat. Langkah untuk setiap akun tertulis di bawah.",
        icon=":material/visibility_off:",
    )
for note in words.account_notes(perf.accounts):
    st.caption(md_escape(note))
table(words.accounts_table(perf.accounts, month), key="kinerja_accounts")
st.dataframe(
    words.trends_table(perf.accounts), hide_index=True, width="stretch", key="kinerja_trends",
    column_config={
        words.POSTS_TREND: st.column_config.BarChartColumn(words.POSTS_TREND, y_min=0),
        words.SCORE_TREND: st.column_config.LineChartColumn(words.SCORE_TREND, y_min=0, y_max=100),
    },
)  # fmt: skip
chart(words.trend_chart(perf.trend), key="kinerja_trend")

st.subheader(words.comparison_heading(month, perf.compared_with))
table(words.comparison_table(perf.comparison, perf.compared_with), key="kinerja_comparison")
if sentence := words.caption_sentence(now.complete_pct, now.within_rule_pct, month):
    st.caption(sentence)

st.subheader("Unggahan yang perlu diperbaiki")
st.caption(followup.fixes_caption(perf.fixes_total, len(perf.fixes), month))
if perf.fixes_total:
    table(followup.fixes_table(perf.fixes, perf.tz, with_link=True), key="kinerja_fixes")
st.page_link("pages/tinjauan_unggahan.py", label="Lihat semua di Tinjauan Unggahan",
             icon=":material/fact_check:")  # fmt: skip

st.subheader("Pengingat dari Diskominfo")
st.caption(followup.reminders_caption(perf.tz))
if perf.reminders.empty:
    st.info("Belum ada pengingat yang diterima OPD Anda.", icon=":material/notifications_none:")
else:
    table(followup.reminders_table(perf.reminders, perf.tz), key="kinerja_reminders")

st.subheader("Untuk pimpinan OPD")
missing_font = pdf_unavailable()
st.download_button(
    "Unduh PDF satu halaman", data=pdf_maker(perf), mime="application/pdf",
    file_name=words.pdf_file_name(perf.opd_code, month), icon=":material/download:",
    on_click="ignore", disabled=missing_font is not None, key="kinerja_pdf",
)  # fmt: skip
if missing_font:
    st.caption(missing_font)
