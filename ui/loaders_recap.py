"""Cached loaders of the WhatsApp recap (Salin rekap on Ringkasan and Tinjauan Bulanan), and
the one write: recording that an OPD's recap went to its admin."""

from __future__ import annotations

import streamlit as st

from core import fmt
from db.engine import make_session_factory
from present.markdown import md_escape
from services.recap import OpdRecap, opd_choices, opd_recap, record_recap_sent, regency_recap
from ui.auth import STAFF, guarded, require
from ui.errors import guarded_action
from ui.loaders_review import load_review
from ui.resources import TTL_SECONDS, get_engine, get_settings, now_local

SENT_FLASH_KEY = "rekap_opd_flash"


@guarded(*STAFF)
@st.cache_data(ttl=TTL_SECONDS, show_spinner="Menyusun rekap WhatsApp…")
def load_recap(month: str) -> str:
    """The recap of every OPD, for the office's WhatsApp group."""
    review = load_review(month)
    with make_session_factory(get_engine())() as session:
        return regency_recap(session, review, get_settings())


@guarded(*STAFF)
@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_recap_opds(month: str) -> dict[str, str]:
    """OPD code → name, for the choice of the per-OPD recap."""
    return opd_choices(load_review(month))


@guarded(*STAFF)
@st.cache_data(ttl=TTL_SECONDS, show_spinner="Menyusun rekap OPD…")
def load_opd_recap(month: str, opd_code: str) -> OpdRecap:
    """One OPD's recap for its admin, with the wa.me link to the admin's number."""
    review = load_review(month)
    with make_session_factory(get_engine())() as session:
        return opd_recap(session, review, get_settings(), opd_code)


@guarded_action
def mark_recap_sent(recap: OpdRecap) -> None:
    """Button callback: record the recap as a WhatsApp reminder of the accounts it names as
    dormant or needing attention (admin and reviewer, who may send it, as on Akun Dorman)."""
    user = require(*STAFF)
    with make_session_factory(get_engine())() as session:
        recorded = record_recap_sent(session, recap, created_by=user.username)
    opd = md_escape(recap.opd_name)
    if not recorded:  # a second click (the button is disabled in every other case)
        st.session_state[SENT_FLASH_KEY] = (
            f"Pengiriman rekap untuk {opd} sudah tercatat beberapa menit lalu, "
            "jadi tidak dicatat dua kali."
        )
        return
    st.cache_data.clear()  # Akun Dorman's last reminder and the OPD's reminders change
    when = fmt.long_date(now_local().date())
    st.session_state[SENT_FLASH_KEY] = (
        f"Rekap untuk {opd} dicatat terkirim lewat WhatsApp pada {when}, sebagai pengingat "
        f"untuk {fmt.number(recorded)} akun."
    )
