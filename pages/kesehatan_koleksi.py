"""Status Pengambilan Data: is collection working for every account, and what to fix first."""

from __future__ import annotations

import streamlit as st

from core import fmt
from ui.components import demo_banner, table
from ui.loaders_health import (
    health_table,
    jobs_table,
    load_health,
    runs_table,
    tokens_table,
    worker_summary,
)
from ui.loaders_worker import load_worker_state
from ui.navigation import guard_page

guard_page(__file__)
st.title("Status Pengambilan Data")
demo_banner()
view = load_health()
worker = load_worker_state()
st.caption(f"Diperiksa pada {fmt.date_time(view.as_of)}")

cols = st.columns(3)
cols[0].metric("Pengambilan data terakhir gagal", fmt.number(view.failing))
cols[1].metric("Belum pernah diambil", fmt.number(view.never_collected))
cols[2].metric("Token segera kedaluwarsa", fmt.number(view.tokens_expiring))

if not view.has_collections:
    st.info(
        "Belum ada riwayat pengambilan data. Jalankan `python cli.py collect` (atau muat data "
        "demo) agar keadaan setiap akun terlihat di sini.",
        icon=":material/info:",
    )

st.subheader("Proses otomatis terjadwal")
st.caption(
    "Proses otomatis terjadwal (`python cli.py schedule`, dijalankan oleh `make run` atau layanan "
    "pantau-worker) mengambil data setiap platform secara berkala, mencatat jumlah pengikut "
    "harian, memeriksa akun dorman setiap pagi, dan menyiapkan bahan paparan setiap awal bulan."
)
st.markdown(worker_summary(worker))
if worker.jobs.empty:
    st.info(
        "Belum ada jadwal tugas yang tercatat. Jadwal muncul di sini setelah proses otomatis "
        "terjadwal berjalan pertama kali.",
        icon=":material/schedule:",
    )
else:
    table(jobs_table(worker), key="health_jobs")
    st.caption("Waktu berikutnya hanya berlaku selama proses otomatis berjalan.")

st.subheader("Keadaan per akun")
st.caption(
    "Akun dengan kegagalan berturut-turut ditampilkan paling atas. “Gagal berturut-turut” "
    "menghitung pengambilan data yang gagal sejak yang terakhir berhasil (yang dilewati tidak "
    "dihitung). “Pengambilan berikutnya” adalah jadwal proses otomatis untuk platform akun itu."
)
table(health_table(view.accounts), key="health_accounts", height=420)

st.subheader("Kredensial yang segera kedaluwarsa")
st.caption(
    "Token TikTok dan Facebook yang habis masa berlakunya dalam 7 hari atau sudah kedaluwarsa. "
    "Isi token tidak pernah ditampilkan, hanya tanggal berlakunya."
)
if view.tokens.empty:
    st.success("Tidak ada kredensial yang akan kedaluwarsa dalam 7 hari.")
else:
    table(tokens_table(view.tokens, view.as_of), key="health_tokens")

st.subheader("Pengambilan data terbaru")
st.caption(
    "Sepuluh proses terakhir. “Platform” menyebut platform yang datanya diambil pada proses itu; "
    "impor berkas dapat berisi platform apa saja."
)
table(runs_table(view.runs), key="health_runs")
