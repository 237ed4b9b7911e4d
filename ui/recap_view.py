"""Rekap WhatsApp: the recap text with its **Salin rekap** button (Ringkasan, Tinjauan
Bulanan), and the per-OPD recap with its WhatsApp link (Tinjauan Bulanan)."""

from __future__ import annotations

import streamlit as st

from core import fmt
from present.markdown import md_escape
from present.recap import LIMIT
from services.recap import OpdRecap
from ui.auth import current_user
from ui.browser_script import copy_button
from ui.loaders_recap import (
    SENT_FLASH_KEY,
    load_opd_recap,
    load_recap,
    load_recap_opds,
    mark_recap_sent,
)

COPY_LABEL = "Salin rekap"  # the button's accessible name (the browser test finds it by it)
COPIED = "Rekap tersalin"
NOT_COPIED = "Peramban menolak menyalin. Pilih teks rekap di bawah, lalu salin."
ONLY_STAFF = "Hanya staf Diskominfo (admin dan peninjau) yang dapat mencatat pengiriman rekap."
NO_PHONE = "Tanpa nomor telepon admin OPD, pengiriman rekap tidak dapat dicatat."
NONE_REMINDED = (
    "Rekap ini tidak menyebut akun yang dorman atau perlu perhatian, jadi tidak ada pengingat "
    "yang perlu dicatat. Rekap tetap dapat disalin dan dikirim."
)


def _text_and_button(text: str, key: str) -> None:
    copy_button(text, key, COPY_LABEL, COPIED, NOT_COPIED)
    with st.expander("Lihat teks rekap", icon=":material/chat:"):
        st.code(text, language=None, wrap_lines=True)


def recap_section(month: str, key: str) -> None:
    """The month's recap of every OPD, ready to paste into the office's WhatsApp group."""
    st.subheader("Rekap WhatsApp")
    st.caption(
        f"Ringkasan {fmt.month_name(month)} dalam format WhatsApp, paling banyak "
        f"{fmt.number(LIMIT)} karakter. Tekan **Salin rekap**, lalu tempel di grup WhatsApp. "
        "Bila tombol tidak menyalin, buka teksnya dan salin dari sana."
    )
    _text_and_button(load_recap(month), key)


def opd_recap_section(month: str) -> None:
    """One OPD's recap for its admin: copy it, open it in WhatsApp, record that it was sent."""
    st.subheader("Rekap untuk admin OPD")
    names = load_recap_opds(month)
    code = st.selectbox(
        "OPD",
        list(names),
        index=None,
        format_func=lambda c: names.get(c, c),
        placeholder="Pilih OPD",
        key="rekap_opd_choice",
    )
    if SENT_FLASH_KEY in st.session_state:
        st.success(st.session_state.pop(SENT_FLASH_KEY), icon=":material/check_circle:")
    if code is None:
        st.caption("Pilih OPD untuk menyusun rekap yang siap dikirim ke admin OPD tersebut.")
        return
    recap = load_opd_recap(month, str(code))
    _text_and_button(recap.text, "opd")
    if recap.wa_link:
        st.link_button("Kirim ke admin lewat WhatsApp", recap.wa_link, icon=":material/send:")
    else:
        st.info("Nomor telepon admin OPD belum tercatat. Silakan lengkapi di halaman Pengaturan.")
    _record_button(recap)


def _record_note(recap: OpdRecap, is_staff: bool) -> str:
    """Why the button is disabled, or what pressing it records."""
    if not is_staff:
        return ONLY_STAFF
    if recap.phone is None:
        return NO_PHONE
    if not recap.reminded:
        return NONE_REMINDED
    handles = ", ".join(md_escape(handle) for _, handle in recap.reminded)
    return (
        "Setelah pesan terkirim, catat di sini: rekap ini masuk ke riwayat pengingat "
        f"{fmt.number(len(recap.reminded))} akun yang disebut dorman atau perlu perhatian "
        f"({handles}). Dasbor tidak dapat melihat apakah tautan WhatsApp sudah dibuka."
    )


def _record_button(recap: OpdRecap) -> None:
    user = current_user()
    is_staff = bool(user and user.sees_everything)  # who may send it records it
    st.button(
        "Catat sudah dikirim",
        on_click=mark_recap_sent,
        args=(recap,),
        key="rekap_opd_sent",
        icon=":material/task_alt:",
        disabled=not (is_staff and recap.can_record),
    )
    st.caption(_record_note(recap, is_staff))
