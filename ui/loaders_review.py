"""Cached loader of the Tinjauan Bulanan page, and the on-click briefing export."""

from __future__ import annotations

import streamlit as st

from db.engine import make_session_factory
from reports import report_bytes
from services.review import MonthReview, month_review
from ui.auth import STAFF, guarded, require
from ui.resources import TTL_SECONDS, get_engine, get_settings


@guarded(*STAFF)
@st.cache_data(ttl=TTL_SECONDS, show_spinner="Menyiapkan tinjauan bulanan…")
def load_review(month: str) -> MonthReview:
    with make_session_factory(get_engine())() as session:
        return month_review(session, month, get_settings())


def build_export(month: str, fmt: str) -> bytes:
    """The briefing file (pptx, pdf or xlsx) of a month; not cached: the page keeps the bytes."""
    require(*STAFF)
    with make_session_factory(get_engine())() as session:
        return report_bytes(session, month, fmt, get_settings())
