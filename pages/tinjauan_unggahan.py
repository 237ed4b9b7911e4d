"""Tinjauan Unggahan: every post of a month with its caption checklist, the filters, the mark
"ditindaklanjuti" and the XLSX of the list."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import fmt
from present.labels import platform_label
from present.markdown import md_escape
from present.post_review import (
    SCORE_BANDS,
    ReviewFilter,
    filter_review,
    post_label,
    review_counts,
)
from ui.components import demo_banner, month_picker, multi_choice, table
from ui.loaders_account import ELEMENT_NAMES, check_draft
from ui.loaders_post_review import (
    NOTE_MAX,
    MarkOutcome,
    load_post_review,
    mark_post,
    shown_table,
    unmark_post,
    xlsx_maker,
)
from ui.navigation import guard_page
from ui.resources import get_settings

KEY = "tinjauan_unggahan"
OPD_NOTE = (
    "Tanda sudah ditindaklanjuti hanya dibuat oleh Bidang Komunikasi Publik Diskominfo, "
    "setelah membicarakan unggahan itu dengan OPD Anda. Di sini Anda dapat melihat unggahan "
    "yang perlu diperbaiki beserta tanda dan catatannya."
)


def filters(review: pd.DataFrame) -> ReviewFilter:
    opds = dict(zip(review["opd_id"], review["opd_name"], strict=True))
    top = st.columns(3)
    with top[0]:
        chosen_opds = multi_choice(
            "OPD", [str(i) for i in sorted(opds, key=lambda i: str(opds[i]))],
            lambda i: str(opds[int(i)]), key=f"{KEY}_opd", disabled=len(opds) <= 1,
        )  # fmt: skip
    with top[1]:
        platforms = multi_choice(
            "Platform", sorted(set(review["platform"])), platform_label, key=f"{KEY}_platform"
        )
    with top[2]:
        missing = multi_choice(
            "Unsur yang belum ada", list(ELEMENT_NAMES), ELEMENT_NAMES.__getitem__,
            key=f"{KEY}_missing",
        )  # fmt: skip
    bottom = st.columns(3)
    with bottom[0]:
        bands = multi_choice(
            "Rentang skor", list(SCORE_BANDS), SCORE_BANDS.__getitem__, key=f"{KEY}_band"
        )
    outside = bottom[1].checkbox("Di luar aturan saja", key=f"{KEY}_outside")
    unmarked = bottom[2].checkbox("Belum ditindaklanjuti saja", key=f"{KEY}_unmarked")
    return ReviewFilter(
        opd_ids=tuple(int(i) for i in chosen_opds), platforms=tuple(platforms),
        missing=tuple(missing), outside_only=outside, bands=tuple(bands),
        unmarked_only=unmarked,
    )  # fmt: skip


def post_detail(row: pd.Series, can_mark: bool) -> None:
    """The chosen post's caption (as text), what to fix, and its mark: staff mark it or take
    the mark back, an OPD's admin only reads it."""
    caption = row["caption"] if isinstance(row["caption"], str) else ""
    st.markdown("**Keterangan unggahan**")
    st.text(caption if caption.strip() else "(unggahan ini tanpa keterangan teks)")
    report = check_draft(caption)
    st.markdown("**Saran perbaikan**")
    for sentence in report.advice or ("Keterangan sudah sesuai arahan.",):
        st.text(f"• {sentence}")
    if pd.notna(row["marked_at"]):
        when = fmt.date_time(row["marked_at"].to_pydatetime(), get_settings().tz)
        st.success(f"Sudah ditindaklanjuti oleh {md_escape(str(row['marked_by']))} pada {when}.")
        if isinstance(row["note"], str) and row["note"]:
            st.text(f"Catatan: {row['note']}")
    if can_mark:
        mark_form(row)


def mark_form(row: pd.Series) -> None:
    post_id = int(row["db_post_id"])
    with st.form(f"{KEY}_mark_form"):
        old_note = row["note"] if isinstance(row["note"], str) else ""
        note = st.text_area(
            "Catatan tindak lanjut", value=old_note, key=f"{KEY}_note_{post_id}",
            max_chars=NOTE_MAX,
            placeholder="Contoh: Admin OPD sudah dihubungi lewat WhatsApp dan akan memperbaiki "
            "keterangan unggahan.",
        )  # fmt: skip
        if st.form_submit_button("Tandai ditindaklanjuti", icon=":material/task_alt:"):
            report_outcome(mark_post(post_id, note))
    if pd.notna(row["marked_at"]) and st.button(
        "Batalkan tanda", key=f"{KEY}_unmark", icon=":material/undo:"
    ):
        report_outcome(unmark_post(post_id))


def report_outcome(outcome: MarkOutcome) -> None:
    if outcome.ok:
        st.session_state[f"{KEY}_done"] = outcome.message
        st.rerun()
    st.error(outcome.message)


user = guard_page(__file__)
can_mark = bool(user and user.sees_everything)  # staff mark; an OPD never marks its own posts
st.title("Tinjauan Unggahan")
demo_banner()
st.caption(
    "Setiap unggahan pada bulan yang dipilih diperiksa menurut arahan Bidang Komunikasi "
    "Publik: lima unsur (pejabat, kegiatan, lokasi, waktu, yang hadir), tingkat pejabat, salah "
    "ketik dan istilah sulit. Unggahan bermasalah bila ada unsur yang belum ada, di luar "
    "aturan, ada salah ketik atau istilah sulit."
)
if not can_mark:
    st.info(OPD_NOTE, icon=":material/info:")
month = month_picker(f"{KEY}_month")
review = load_post_review(month)
if done := st.session_state.pop(f"{KEY}_done", None):
    st.success(done, icon=":material/check:")
if review.empty:
    st.info(f"Belum ada unggahan pada {fmt.month_name(month)}.")
    st.stop()

shown = filter_review(review, filters(review))
counts = review_counts(shown)
cols = st.columns(3)
cols[0].metric("Unggahan", fmt.number(counts.posts))
cols[1].metric("Bermasalah", fmt.number(counts.problems))
cols[2].metric("Sudah ditindaklanjuti", fmt.number(counts.marked))
if shown.empty:
    st.info("Tidak ada unggahan yang cocok dengan saringan ini.")
    st.stop()

table(shown_table(shown), key=f"{KEY}_table")
st.download_button(
    "Unduh XLSX",
    data=xlsx_maker(shown, month),
    file_name=f"pantau-tinjauan-unggahan-{month}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key=f"{KEY}_xlsx",
    icon=":material/download:",
    on_click="ignore",
)

st.subheader("Periksa dan tandai unggahan" if can_mark else "Periksa unggahan")
rows = {int(r["db_post_id"]): r for _, r in shown.iterrows()}
tz = get_settings().tz
chosen = st.selectbox(
    "Pilih unggahan",
    list(rows),
    format_func=lambda i: post_label(rows[i], tz),
    key=f"{KEY}_post",
    placeholder="Pilih unggahan",
)
if chosen is not None:
    post_detail(rows[int(chosen)], can_mark)
