"""Detail Akun: one account's audience, posting habits, posts and captions."""

from __future__ import annotations

import streamlit as st

from core import fmt
from core.interactions import VIDEO_PLATFORMS
from present import charts_account
from present.labels import platform_label
from present.markdown import md_escape
from present.metric_delta import delta_args
from present.tables import duration_text, reply_note
from ui.components import chart, demo_banner, table
from ui.loaders_account import (
    NO_DATA_NOTE,
    PERIOD_LABELS,
    UNREADABLE_FALLBACK,
    initial_account,
    last_post_text,
    load_account_choices,
    load_account_view,
    status_text,
)
from ui.navigation import guard_page

FOLLOWING_NOTE = "Mengikuti: jumlah akun yang diikuti akun ini pada pengambilan data terakhir."
VIEWS_NOTE = "Interaksi per tayangan: interaksi ÷ tayangan × 100 atas unggahan periode ini."

guard_page(__file__)
st.title("Detail Akun")
demo_banner()
choices = load_account_choices()
if not choices:
    st.info(
        "Belum ada akun yang dipantau. Tambahkan akun OPD di halaman Pengaturan, "
        "atau muat data contoh dengan `python cli.py demo`."
    )
    st.stop()

col_account, col_period = st.columns([3, 1])
with col_account:
    account_id = st.selectbox(
        "Akun (OPD · Platform · nama akun)", list(choices), format_func=choices.__getitem__,
        index=initial_account(choices, st.query_params.get("akun")), key="detail_akun",
        placeholder="Pilih akun",
    )  # fmt: skip
with col_period:
    months = st.selectbox(
        "Periode",
        list(PERIOD_LABELS),
        format_func=PERIOD_LABELS.__getitem__,
        key="detail_periode",
        placeholder="Pilih periode",
    )
st.query_params["akun"] = str(account_id)
view = load_account_view(int(account_id), int(months))
if view is None:
    st.warning("Akun ini tidak ditemukan lagi. Mohon pilih akun lain.")
    st.stop()
d = view.detail

st.subheader(md_escape(d.opd_name))
st.markdown(
    f"**{platform_label(d.platform)}** · {md_escape(d.handle)} · Status: "
    f"**{status_text(d)}** · {last_post_text(d)}"
)
if d.status == "unreadable":
    st.warning(
        "**Pantau tidak dapat membaca akun ini**, jadi belum diketahui apakah akun ini masih "
        "aktif. "
        f"{md_escape(d.status_reason or UNREADABLE_FALLBACK)}",
        icon=":material/visibility_off:",
    )
elif d.status == "no_data":
    st.info(NO_DATA_NOTE, icon=":material/hourglass_empty:")
st.caption(
    f"Periode {fmt.long_date(d.start)} sampai {fmt.long_date(d.as_of)} "
    f"· keadaan per {fmt.date_time(d.as_of)}"
)
cols = st.columns(6)
cols[0].metric("Unggahan dalam periode", fmt.number(d.posts_in_period))
if d.has_audience:
    cols[1].metric(
        "Pengikut sekarang",
        fmt.number(d.followers_now),
        **delta_args(d.growth_pct, fmt.DECIMALS["growth_pct"], "%", "dalam periode"),
    )
    cols[2].metric(
        "Pertumbuhan per minggu", fmt.signed_percent(d.growth_weekly, fmt.DECIMALS["growth_weekly"])
    )
    cols[3].metric(
        "Tingkat interaksi", fmt.percent(d.engagement_rate, fmt.DECIMALS["engagement_rate"])
    )
else:
    cols[1].metric("Tingkat interaksi", fmt.MISSING)  # explained below
cols[4].metric(
    "Tingkat balasan",
    fmt.MISSING if d.reply_rate_text else fmt.percent(d.reply_rate, fmt.DECIMALS["reply_rate"]),
)
cols[5].metric(
    "Waktu balasan pertama (median)",
    fmt.MISSING if d.reply_time_text else duration_text(d.reply_median_minutes),
)
st.caption(reply_note(d.reply_rate_text, d.reply_time_text, d.needs_owner_connection))
habits = st.columns(6)
habits[0].metric(
    "Unggahan per minggu", fmt.number(d.posts_per_week, fmt.DECIMALS["posts_per_week"])
)
notes = ["Unggahan per minggu: unggahan dalam periode ÷ jumlah minggu periode."]
if d.has_audience:
    habits[1].metric(
        "Mengikuti",
        fmt.MISSING if d.following_text else fmt.number(d.following_now),
        # following more accounts is neither good nor bad in itself
        **delta_args(d.following_change, suffix="dalam periode", better="neither"),
    )
    notes.append(f"Mengikuti {d.following_text}." if d.following_text else FOLLOWING_NOTE)
if d.platform in VIDEO_PLATFORMS:
    habits[2].metric(
        "Interaksi per tayangan",
        fmt.MISSING
        if d.views_rate_text
        else fmt.percent(d.engagement_rate_views, fmt.DECIMALS["engagement_rate_views"]),
    )
    notes.append(
        f"Interaksi per tayangan {d.views_rate_text}." if d.views_rate_text else VIEWS_NOTE
    )
st.caption(" ".join(notes))
if not d.has_audience:
    st.info(
        "Situs web tidak memiliki pengikut, suka atau komentar yang dapat dibaca Pantau. "
        "Karena itu riwayat pengikut, tingkat interaksi, unggahan menonjol dan waktu terbaik "
        "tidak ditampilkan; yang dinilai adalah keteraturan terbit dan kualitas caption."
    )
elif d.followers.empty:
    st.info("Belum ada data jumlah pengikut dalam periode ini.")
else:
    chart(charts_account.followers_chart(d.followers), key="detail_followers")
if d.has_audience and len(d.following) >= 2:
    chart(charts_account.following_chart(d.following), key="detail_following")
elif d.has_audience and not d.following_text:
    st.caption("Riwayat jumlah akun yang diikuti tampil setelah jumlahnya terbaca dua kali.")
chart(charts_account.calendar_chart(d.calendar), key="detail_calendar")

st.subheader("Unggahan dalam periode")
st.caption(
    "Tingkat interaksi unggahan = interaksi ÷ pengikut pada saat unggahan (data pengikut "
    "terakhir sebelum unggahan) × 100. Skor menonjol membandingkan unggahan dengan unggahan "
    'biasa akun ini: 2,0 berarti dua kali lipat, −2,0 berarti separuhnya. "tersembunyi" '
    "berarti angka itu disembunyikan oleh platform atau pemilik akun dan tidak dihitung."
)
if view.posts.empty:
    st.info("Belum ada unggahan dalam periode ini.")
else:
    table(view.posts, key="detail_posts", height=420)

if d.has_audience:
    st.subheader("Unggahan paling menonjol dan paling lemah")
    if view.best.empty:
        st.info(
            "Belum ada unggahan yang dapat dinilai: skor menonjol memerlukan sedikitnya lima "
            "unggahan sebelumnya dengan jumlah interaksi yang terlihat."
        )
    else:
        st.markdown("**Tiga unggahan paling menonjol**")
        table(view.best, key="detail_best")
        st.markdown("**Tiga unggahan paling lemah**")
        table(view.worst, key="detail_worst")

st.subheader("Kualitas caption")
if d.caption_monthly["caption_score"].notna().any():
    chart(charts_account.caption_trend_chart(d.caption_monthly), key="detail_captions")
else:
    st.info("Belum ada caption yang dinilai dalam periode ini.")

if d.has_audience:
    st.subheader("Waktu terbaik untuk mengunggah")
    if d.time_slots.empty:
        st.info("Belum ada unggahan dengan tingkat interaksi yang diketahui dalam periode ini.")
    else:
        chart(charts_account.time_heatmap(d.time_slots), key="detail_times")
        st.caption(
            "Lima waktu terbaik (hanya jam yang berisi sedikitnya dua unggahan, agar satu "
            "unggahan yang kebetulan ramai tidak dianggap pola):"
        )
        table(view.best_times, key="detail_best_times")

st.subheader("Tagar dan akun yang disebut")
left, right = st.columns(2)
with left:
    table(view.hashtags, key="detail_hashtags")
with right:
    table(view.mentions, key="detail_mentions")
