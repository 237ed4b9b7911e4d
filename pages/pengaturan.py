"""Pengaturan: the registry, uploads, watched accounts, thresholds and index weights, and
the audit trail (Riwayat Perubahan, read-only)."""

from __future__ import annotations

import streamlit as st

from core.cells import csv_text
from present.labels import platform_label, setting_refusal
from ui.audit_view import audit_section
from ui.components import demo_banner
from ui.loaders_check import run_connection_check
from ui.loaders_demo import demo_removal_section
from ui.loaders_settings import (
    load_accounts,
    load_registry,
    reset_thresholds,
    save_active,
    save_registry,
    save_thresholds,
    upload,
)
from ui.navigation import guard_page
from ui.resources import get_settings
from ui.settings_view import (
    REGISTRY_HEADERS,
    UPLOAD_KINDS,
    active_changes,
    show_outcome,
    threshold_values,
)

guard_page(__file__)
st.title("Pengaturan")
demo_banner()
registry_tab, upload_tab, accounts_tab, rules_tab, connection_tab, audit_tab = st.tabs(
    ["Daftar OPD dan akun", "Unggah berkas", "Akun dipantau", "Ambang dan bobot",
     "Koneksi platform", "Riwayat Perubahan"]
)  # fmt: skip

with registry_tab:
    st.caption(
        "Satu baris untuk setiap akun. OPD yang belum punya akun cukup satu baris dengan "
        "platform dan akun kosong. Akun boleh ditulis sebagai @nama atau alamat profil."
    )
    registry = load_registry()
    edited = st.data_editor(
        registry, num_rows="dynamic", width="stretch", key="registry_editor",
        column_config=REGISTRY_HEADERS, placeholder="",
    )  # fmt: skip
    if st.button("Simpan daftar", key="save_registry"):
        show_outcome(save_registry(edited))
    st.download_button(
        "Unduh daftar (CSV)", csv_text(registry).encode("utf-8"),
        file_name="daftar-opd.csv", mime="text/csv",
    )  # fmt: skip

with upload_tab:
    kind = st.radio(
        "Jenis berkas", list(UPLOAD_KINDS), horizontal=True, key="upload_kind",
        format_func=UPLOAD_KINDS.__getitem__,
    )  # fmt: skip
    file = st.file_uploader(
        "Berkas CSV atau Excel (.xlsx)", type=["csv", "xlsx"], key="upload_file"
    )
    if file is not None and st.button("Impor berkas", key="do_upload"):
        show_outcome(upload(file.getvalue(), file.name, str(kind)))

with accounts_tab:
    st.caption("Akun yang tidak dipantau lagi tetap menyimpan riwayatnya.")
    accounts = load_accounts()
    shown = accounts.assign(platform=accounts["platform"].map(platform_label))
    edited_accounts = st.data_editor(
        shown, disabled=["account_id", "opd_code", "platform", "handle"], hide_index=True,
        width="stretch", key="accounts_editor",
        column_config={
            "account_id": "No.", "opd_code": "Kode OPD", "platform": "Platform",
            "handle": "Akun", "active": st.column_config.CheckboxColumn("Dipantau"),
        },
    )  # fmt: skip
    if st.button("Simpan akun dipantau", key="save_active"):
        count = save_active(active_changes(accounts, edited_accounts))
        st.success(f"{count} akun diperbarui.")

with rules_tab:
    settings = get_settings()
    values = threshold_values(settings)
    if st.button("Simpan ambang dan bobot", key="save_rules"):
        try:
            save_thresholds(values)
            st.success("Ambang dan bobot disimpan. Semua halaman memakai nilai baru.")
        except ValueError as exc:
            st.error(f"Nilai belum dapat disimpan: {setting_refusal(str(exc))}")
    if st.button("Kembalikan ke nilai bawaan", key="reset_rules"):
        reset_thresholds()
        st.success("Nilai bawaan dipakai lagi.")

with connection_tab:
    st.caption(
        "Uji setiap kredensial platform dan token akun dengan satu panggilan ringan ke "
        "platformnya. Token dan kunci tidak pernah ditampilkan."
    )
    if st.button("Uji koneksi", key="check_connections"):
        with st.spinner("Menguji koneksi ke setiap platform…"):
            st.session_state["connection_check"] = run_connection_check()
    check_view = st.session_state.get("connection_check")
    if check_view is not None:
        getattr(st, check_view.level)(check_view.summary)
        st.dataframe(check_view.table, hide_index=True, width="stretch")

with audit_tab:
    audit_section()

demo_removal_section()  # at the end, outside the tabs: leaving the demo (issue #15)
