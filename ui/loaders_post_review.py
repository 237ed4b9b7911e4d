"""Tinjauan Unggahan's loader and its two writes (mark, remove a mark).

Admin and reviewer see every OPD; an ``opd`` user only its own: the scope is taken from the
signed-in user here, never from the page. Only staff (admin, reviewer) mark a post or take a
mark back: an OPD's admin sees the mark but would otherwise certify its own follow-up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from core.timeutil import utcnow
from db.engine import make_session_factory
from present.post_review import review_table, review_xlsx, xlsx_frame
from present.tables import TableView
from services.post_review import NOTE_MAX as NOTE_MAX  # the note field's limit, for the page
from services.post_review import ReviewError, mark_followed_up, post_review, unmark
from ui.auth import EVERYONE, STAFF, guarded, require, scope
from ui.loaders_account import ELEMENT_NAMES, LEVEL_NAMES
from ui.loaders_opd import forget_opd_performance
from ui.loaders_recap import load_opd_recap, load_recap
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


def shown_table(review: pd.DataFrame) -> TableView:
    return review_table(review, get_settings().tz, ELEMENT_NAMES, LEVEL_NAMES)


def xlsx_maker(review: pd.DataFrame, month: str) -> Callable[[], bytes]:
    """What the download button calls when clicked: the filtered list as a workbook. It runs
    outside the page's script (no signed-in user there), so it gets everything it needs now;
    ``review`` came from the user's own loader."""
    return partial(_review_workbook, review, month, get_settings().tz)


def _review_workbook(review: pd.DataFrame, month: str, tz: ZoneInfo) -> bytes:
    frame = xlsx_frame(review, tz, ELEMENT_NAMES, LEVEL_NAMES)
    return review_xlsx(frame, f"Unggahan {month}")


def _clear_mark_caches() -> None:
    """Empty only what shows marks: this list and the posts to fix of the recaps (Ringkasan,
    Tinjauan Bulanan) and of Kinerja OPD Saya; every other page's cache stays warm."""
    for cached in (_post_review, load_recap, load_opd_recap):
        cached.clear()
    forget_opd_performance()


def mark_post(post_db_id: int, note: str) -> MarkOutcome:
    """ "Tandai ditindaklanjuti" by the signed-in staff member, now."""
    user = require(*STAFF)
    try:
        with make_session_factory(get_engine())() as session:
            mark_followed_up(session, post_db_id, user, note, utcnow())
    except ReviewError as exc:
        return MarkOutcome(False, str(exc))
    _clear_mark_caches()
    return MarkOutcome(True, "Unggahan ditandai sudah ditindaklanjuti.")


def unmark_post(post_db_id: int) -> MarkOutcome:
    user = require(*STAFF)
    try:
        with make_session_factory(get_engine())() as session:
            unmark(session, post_db_id, user)
    except ReviewError as exc:
        return MarkOutcome(False, str(exc))
    _clear_mark_caches()
    return MarkOutcome(True, "Tanda ditindaklanjuti dibatalkan.")
