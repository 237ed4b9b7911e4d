"""Cached loaders of Kinerja OPD Saya and of Panduan as an OPD admin reads it.

The OPD is always the signed-in user's own (``ui.auth.scope``), never a page parameter, so
no address typed into the browser shows another OPD's figures.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import streamlit as st

from db.engine import make_session_factory
from present.opd_guide import opd_guide
from reports.opd_pdf import opd_pdf
from reports.pdf_writer import FontMissing, require_fonts
from services.opd_performance import OpdPerformance, opd_performance
from ui.auth import OPD, guarded, scope
from ui.loaders_account import GUIDE_FILE, guide_text
from ui.resources import TTL_SECONDS, get_engine, get_settings

OPD_GUIDE_FILE = GUIDE_FILE.with_name("panduan_opd_id.md")


@guarded(OPD)
def load_opd_performance(month: str) -> OpdPerformance | None:
    """The signed-in OPD admin's own OPD in ``month``; None when their OPD no longer exists."""
    opd_id = scope()
    return None if opd_id is None else _performance(opd_id, month)


@st.cache_data(ttl=TTL_SECONDS, show_spinner="Menyiapkan kinerja OPD…")
def _performance(opd_id: int, month: str) -> OpdPerformance | None:
    with make_session_factory(get_engine())() as session:
        return opd_performance(session, opd_id, month, get_settings())


def forget_opd_performance() -> None:
    """Empty Kinerja OPD Saya's cache (a follow-up mark changes its posts to fix)."""
    _performance.clear()


NO_PDF_FONT = (
    "PDF belum dapat dibuat di server ini (hurufnya belum terpasang). "
    "Mohon beri tahu Bidang Komunikasi Publik Diskominfo."
)  # an OPD admin is not who installs fonts on the server: no command for them


def pdf_unavailable() -> str | None:
    """Why the PDF cannot be made on this server (its font is missing), or None."""
    try:
        require_fonts()
    except FontMissing:
        return NO_PDF_FONT
    return None


def pdf_maker(perf: OpdPerformance) -> Callable[[], bytes]:
    """What the download button calls when clicked: the one-page PDF of what the page shows
    (``perf`` came from the user's own loader). It runs outside the page's script, so it gets
    everything it needs now."""
    return partial(opd_pdf, perf, get_settings().regency_name)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_opd_guide() -> str:
    """Panduan for an OPD admin: only what concerns the OPD (see present.opd_performance)."""
    settings = get_settings()
    own = _read(OPD_GUIDE_FILE).format(escalate_days=settings.escalate_days)
    return opd_guide(guide_text(settings), own)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")
