"""Loaders and actions of the Pengaturan page. Every action clears the cached data after it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from core.settings import Settings
from db import queries
from db.engine import make_session_factory
from refresh import after_write
from services import admin
from services.config import reset_overrides, save_overrides
from ui.auth import ADMIN, guarded, require
from ui.resources import TTL_SECONDS, base_settings, get_engine, get_settings


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


T = TypeVar("T")


def _admin_write(
    write: Callable[[Session], T], settings: Callable[[T], Settings] | None = None
) -> T:
    """One admin action: ``write``, then the derived data brought up to date with the
    settings in force (``settings`` of the result when the action changed them), one commit,
    and the cached data cleared."""
    require(ADMIN)
    with make_session_factory(get_engine())() as session:
        result = write(session)
        after_write(session, get_settings() if settings is None else settings(result))
        session.commit()
    st.cache_data.clear()
    return result


def save_registry(edited: pd.DataFrame) -> admin.ImportOutcome:
    return _admin_write(lambda session: admin.save_registry(session, edited))


def upload(data: bytes, filename: str, kind: str) -> admin.ImportOutcome:
    return _admin_write(
        lambda session: admin.import_upload(session, data, filename, kind, get_settings().tz)
    )


def save_active(changes: dict[int, bool]) -> int:
    return _admin_write(lambda session: admin.set_active(session, changes))


def save_thresholds(values: dict[str, str]) -> Settings:
    """Validated and stored; raises ValueError (the page shows it) when a value is wrong."""
    return _admin_write(
        lambda session: save_overrides(session, base_settings(), values), settings=lambda s: s
    )


def reset_thresholds() -> None:
    _admin_write(reset_overrides, settings=lambda _none: base_settings())
