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
from services.audit import KINDS, UNKNOWN, audit_table
from services.config import reset_overrides, save_overrides
from services.users import Principal
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


AUDIT_TTL_SECONDS = 30  # changes made elsewhere (marks, reminders) do not move the data stamp


@guarded(ADMIN)
@st.cache_data(ttl=AUDIT_TTL_SECONDS, show_spinner=False)
def load_audit(kind: str | None) -> pd.DataFrame:
    """Riwayat Perubahan: the audit trail, newest first, of one kind (KINDS) or all."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown audit kind {kind!r}")
    with make_session_factory(get_engine())() as session:
        return audit_table(session, kind, get_settings().tz)


def _admin_write(
    write: Callable[[Session, str], T], settings: Callable[[T], Settings] | None = None
) -> T:
    """One admin action: ``write`` (given the admin's name, for the audit trail), then the
    derived data brought up to date with the settings in force (``settings`` of the result
    when the action changed them), one commit, and the cached data cleared."""
    user: Principal | None = require(ADMIN)  # None only outside a page run (an action's test)
    actor = user.username if user is not None else UNKNOWN
    with make_session_factory(get_engine())() as session:
        result = write(session, actor)
        after_write(session, get_settings() if settings is None else settings(result))
        session.commit()
    st.cache_data.clear()
    return result


def save_registry(edited: pd.DataFrame) -> admin.ImportOutcome:
    return _admin_write(lambda session, by: admin.save_registry(session, edited, actor=by))


def upload(data: bytes, filename: str, kind: str) -> admin.ImportOutcome:
    tz = get_settings().tz
    return _admin_write(
        lambda session, by: admin.import_upload(session, data, filename, kind, tz, actor=by)
    )


def save_active(changes: dict[int, bool]) -> int:
    return _admin_write(lambda session, by: admin.set_active(session, changes, actor=by))


def save_thresholds(values: dict[str, str]) -> Settings:
    """Validated and stored; raises ValueError (the page shows it) when a value is wrong."""
    return _admin_write(
        lambda session, by: save_overrides(session, base_settings(), values, actor=by),
        settings=lambda s: s,
    )


def reset_thresholds() -> None:
    _admin_write(
        lambda session, by: reset_overrides(session, actor=by),
        settings=lambda _none: base_settings(),
    )
