"""Tinjauan Unggahan's loader and its two writes (mark, remove a mark).

Admin and reviewer see every OPD; an ``opd`` user only its own: the scope is taken from the
signed-in user here, never from the page, and the service refuses a mark on another OPD's post.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from core.timeutil import utcnow
from db.engine import make_session_factory
from present.post_review import review_table, review_xlsx, xlsx_frame
from services.post_review import NOTE_MAX as NOTE_MAX  # the note field's limit, for the page
from services.post_review import ReviewError, mark_followed_up, post_review, unmark
from ui.auth import EVERYONE, guarded, require, scope
from ui.loaders_account import ELEMENT_NAMES, LEVEL_NAMES
from ui.resources import TTL_SECONDS, get_engine, get_settings


@dataclass(frozen=True)
class MarkOutcome:
    ok: bool
    message: str


@guarded(*EVERYONE)
def load_post_review(month: str) -> pd.DataFrame:
    """Every post of the month the signed-in user may see, with checklist and mark."""
    return _post_review(month, scope())


@st.cache_data(ttl=TTL_SECONDS, show_spinner="Memeriksa unggahan bulan ini…")
def _post_review(month: str, opd_id: int | None) -> pd.DataFrame:
    with make_session_factory(get_engine())() as session:
        return post_review(session, month, get_settings(), opd_id=opd_id)


def shown_table(review: pd.DataFrame) -> pd.DataFrame:
    return review_table(review, get_settings().tz, ELEMENT_NAMES, LEVEL_NAMES)


def export_xlsx(review: pd.DataFrame, month: str) -> bytes:
    """The filtered list as a workbook (made when the download button is pressed)."""
    require(*EVERYONE)
    frame = xlsx_frame(review, get_settings().tz, ELEMENT_NAMES, LEVEL_NAMES)
    return review_xlsx(frame, f"Unggahan {month}")


def mark_post(post_db_id: int, note: str) -> MarkOutcome:
    """ "Tandai ditindaklanjuti" by the signed-in user, now; every cache is emptied after, as
    the posts to fix are also shown on Ringkasan, Tinjauan Bulanan and Kinerja OPD Saya."""
    user = require(*EVERYONE)
    try:
        with make_session_factory(get_engine())() as session:
            mark_followed_up(session, post_db_id, user.username, note, utcnow(), opd_id=scope())
    except ReviewError as exc:
        return MarkOutcome(False, str(exc))
    st.cache_data.clear()
    return MarkOutcome(True, "Unggahan ditandai sudah ditindaklanjuti.")


def unmark_post(post_db_id: int) -> MarkOutcome:
    require(*EVERYONE)
    try:
        with make_session_factory(get_engine())() as session:
            unmark(session, post_db_id, opd_id=scope())
    except ReviewError as exc:
        return MarkOutcome(False, str(exc))
    st.cache_data.clear()
    return MarkOutcome(True, "Tanda ditindaklanjuti dibatalkan.")
