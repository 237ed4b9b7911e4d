"""Loaders and actions of the Pengaturan page. Every action clears the cached data after it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.settings import Settings
from db import queries
from db.engine import make_session_factory
from services import admin
from services.config import reset_overrides, save_overrides
from services.scores import refresh_scores
from ui.auth import ADMIN, guarded, require
from ui.loaders import TTL_SECONDS, base_settings, get_engine, get_settings


@guarded(ADMIN)
@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_registry() -> pd.DataFrame:
    with make_session_factory(get_engine())() as session:
        return admin.registry_frame(session)


@guarded(ADMIN)
@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_accounts() -> pd.DataFrame:
    with make_session_factory(get_engine())() as session:
        frame = queries.accounts_frame(session)
    return frame[["account_id", "opd_code", "platform", "handle", "active"]]


def _changed() -> None:
    st.cache_data.clear()


def save_registry(edited: pd.DataFrame) -> admin.ImportOutcome:
    require(ADMIN)
    with make_session_factory(get_engine())() as session:
        outcome = admin.save_registry(session, edited)
        refresh_scores(session, get_settings())
        session.commit()
    _changed()
    return outcome


def upload(data: bytes, filename: str, kind: str) -> admin.ImportOutcome:
    require(ADMIN)
    with make_session_factory(get_engine())() as session:
        outcome = admin.import_upload(session, data, filename, kind, get_settings().tz)
        refresh_scores(session, get_settings())
        session.commit()
    _changed()
    return outcome


def save_active(changes: dict[int, bool]) -> int:
    require(ADMIN)
    with make_session_factory(get_engine())() as session:
        count = admin.set_active(session, changes)
        refresh_scores(session, get_settings())
        session.commit()
    _changed()
    return count


def save_thresholds(values: dict[str, str]) -> Settings:
    """Validated and stored; raises ValueError (the page shows it) when a value is wrong."""
    require(ADMIN)
    with make_session_factory(get_engine())() as session:
        updated = save_overrides(session, base_settings(), values)
        refresh_scores(session, updated)
        session.commit()
    _changed()
    return updated


def reset_thresholds() -> None:
    require(ADMIN)
    with make_session_factory(get_engine())() as session:
        reset_overrides(session)
        refresh_scores(session, base_settings())
        session.commit()
    _changed()
