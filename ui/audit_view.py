"""Riwayat Perubahan (Pengaturan, admins only): the audit trail, read-only.

Shown as a plain table with a filter and a CSV download: there is no widget that edits or
deletes an entry, and the table itself refuses both (db/models_audit.py).
"""

from __future__ import annotations

import streamlit as st

from core import fmt
from services.audit import KINDS, audit_csv
from ui.loaders_settings import load_audit

ALL = "Semua"
SHOWN_ROWS = 1000  # the page stays quick after years of changes; the CSV has every entry


def audit_section() -> None:
    st.caption(
        "Siapa mengubah daftar OPD dan akun, ambang, bobot, pengguna, token, pengingat dan "
        "tanda ditindaklanjuti, kapan, dan dari nilai apa ke nilai apa. Riwayat ini tidak "
        "dapat diubah atau dihapus."
    )
    kind = st.selectbox(
        "Jenis perubahan", [ALL, *KINDS], key="audit_kind",
        format_func=lambda key: KINDS.get(key, ALL), placeholder="Pilih jenis perubahan",
    )  # fmt: skip
    table = load_audit(None if kind == ALL else kind)
    if table.empty:
        st.info("Belum ada perubahan yang tercatat.")
        return
    if len(table) > SHOWN_ROWS:
        st.caption(
            f"Ditampilkan {fmt.number(SHOWN_ROWS)} perubahan terbaru dari "
            f"{fmt.number(len(table))}. Unduh CSV untuk melihat semuanya."
        )
    st.dataframe(table.head(SHOWN_ROWS), hide_index=True, width="stretch", key="audit_table")
    st.download_button(
        "Unduh riwayat (CSV)", audit_csv(table), file_name="riwayat-perubahan.csv",
        mime="text/csv", key="audit_download",
    )  # fmt: skip
