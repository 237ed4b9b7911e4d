"""Peringatan: the cached loader of the open alerts and the one write (marking them read)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import fmt
from core.timeutil import utcnow
from db.engine import make_session_factory
from services import alerts
from ui.auth import STAFF, guarded, require
from ui.errors import guarded_action
from ui.resources import TTL_SECONDS, get_engine, get_settings

FLASH_KEY = "peringatan_flash"


@guarded(*STAFF)
@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_alerts() -> pd.DataFrame:
    """Open alerts, newest first. The worker raises them; that the worker itself has gone
    silent it cannot, so the cheap silence check runs here first (at most one small insert
    per cache period; raising is insert-if-absent, so dashboards and the worker never
    duplicate an alert)."""
    with make_session_factory(get_engine())() as session:
        alerts.check_worker_silence(session, get_settings(), utcnow())
        return alerts.open_alerts(session)


@guarded_action
def acknowledge_alerts(alert_ids: list[int]) -> None:
    """Button callback: mark alerts read by the signed-in user, now."""
    user = require(*STAFF)
    with make_session_factory(get_engine())() as session:
        done = alerts.acknowledge(session, alert_ids, user.username, utcnow())
    load_alerts.clear()
    st.session_state[FLASH_KEY] = (
        f"{fmt.number(done)} peringatan ditandai sudah dibaca."
        if done
        else "Peringatan ini sudah ditandai dibaca oleh pengguna lain."
    )
