"""Cek Caption: check a draft caption against the office's guidance before posting."""

from __future__ import annotations

import streamlit as st

from core import fmt
from ui.loaders_account import (
    ELEMENT_NAMES,
    LEVEL_NAMES,
    check_draft,
    jargon_table,
    outside_rule,
    typos_table,
)
from ui.navigation import guard_page

guard_page(__file__)
st.title("Cek Caption")
st.markdown(
    "Arahan Bidang Komunikasi Publik, Diskominfo Kabupaten Sintang: setiap unggahan "
    "menampilkan **nama pejabat, kegiatan apa, lokasi di mana, kapan, dan siapa yang hadir**; "
    "ketik dulu di komputer agar tidak salah ketik, dan jangan gunakan istilah yang sulit "
    "dimengerti masyarakat. Kegiatan yang diunggah adalah kegiatan pimpinan OPD, sekretaris, "
    "kepala bidang dan pejabat fungsional. Jika mampu, tambahkan keterangan yang panjang."
)

with st.form("cek_caption_form"):
    draft = st.text_area(
        "Tempel rancangan caption di sini", height=200, key="cek_caption_text",
        placeholder="Contoh: Kepala Dinas Kesehatan Kabupaten Sintang, dr. Harjono Salim, "
        "membuka pelatihan kader di Aula Kantor Camat Dedai pada Senin (2/11/2026) pukul "
        "09.00 WIB, dihadiri 40 kader.",
    )  # fmt: skip
    if st.form_submit_button("Periksa", type="primary"):
        st.session_state["cek_caption_checked"] = draft

checked = str(st.session_state.get("cek_caption_checked") or "")
if not checked.strip():
    st.info("Tempel rancangan caption, lalu tekan **Periksa**.")
    st.stop()

report = check_draft(checked)
cols = st.columns(3)
cols[0].metric("Skor caption", f"{report.score}/100")
cols[1].metric("Panjang", f"{fmt.number(report.length)} karakter")
cols[2].metric("Tingkat pejabat", LEVEL_NAMES.get(report.official_level, report.official_level))
if outside_rule(report):
    st.warning(
        "Unggahan ini di luar arahan: kegiatan yang diunggah sebaiknya kegiatan pimpinan OPD, "
        "sekretaris, kepala bidang atau pejabat fungsional."
    )

st.subheader("Lima unsur caption")
for name, label in ELEMENT_NAMES.items():
    present = bool(getattr(report, name))
    st.markdown(f"{'✓' if present else '✗'} {label} — {'ada' if present else 'belum ada'}")

st.subheader("Salah ketik")
if not report.spelling_checked:
    st.info("Pemeriksaan ejaan belum tersedia karena kamus bahasa Indonesia belum terpasang.")
elif report.typos:
    st.dataframe(typos_table(report), hide_index=True, width="stretch", key="cek_caption_typos")
else:
    st.success("Tidak ditemukan salah ketik.")

st.subheader("Istilah yang sulit dimengerti")
if report.jargon:
    st.dataframe(jargon_table(report), hide_index=True, width="stretch", key="cek_caption_jargon")
else:
    st.success("Tidak ada istilah yang sulit dimengerti.")

st.subheader("Saran")
if report.advice:
    for sentence in report.advice:
        st.text(f"• {sentence}")
else:
    st.success("Caption sudah sesuai arahan. Terima kasih!")
