"""The dashboard's process-wide resources: settings, the database engine, and "now".

Kept apart from the loaders so sign-in (ui.auth) can use them while the loaders use sign-in.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st
from sqlalchemy import Engine

from core.settings import Settings, load_settings
from db.engine import make_engine, make_session_factory
from db.migrate import current_revision, head_revision
from services.config import effective_settings

TTL_SECONDS = 300  # collections run every few hours; five minutes is fresh enough


@st.cache_resource
def base_settings() -> Settings:
    """Settings from the environment and secrets file, read once per process."""
    return load_settings()


@st.cache_resource
def get_engine() -> Engine:
    return make_engine(base_settings().database_url, sqlite_sync=base_settings().sqlite_sync)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def get_settings() -> Settings:
    """The settings in force: the environment's, with the thresholds and weights the office
    changed in Pengaturan (cleared from the cache when they change)."""
    with make_session_factory(get_engine())() as session:
        return effective_settings(session, base_settings())


def database_ready() -> bool:
    """True when the schema exists and is at the latest migration."""
    return current_revision(get_engine()) == head_revision()


def now_local() -> datetime:
    return datetime.now(get_settings().tz)
