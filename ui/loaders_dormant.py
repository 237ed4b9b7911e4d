"""Akun Dorman: the cached loader, the table people read, and the one write (a reminder)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from core import fmt
from db.engine import make_session_factory
from services import reminders
from services.reminders import DormantView
from ui.labels import PLATFORM_LABELS
from ui.loaders import TTL_SECONDS, get_engine, get_settings, now_local
from ui.tables import display_table

NEVER_REMINDED = "Belum pernah diingatkan"
ESCALATE = "Perlu eskalasi"
CHANNEL_LABELS = {"whatsapp": "WhatsApp", "email": "Surel (e-mail)"}
FLASH_KEY = "akun_dorman_flash"
BASE_COLUMNS = [
    "status", "opd_name", "platform", "handle", "days_since_last_post",
    "admin_name", "admin_phone", "admin_email",
]  # fmt: skip


@st.cache_data(ttl=TTL_SECONDS, show_spinner="Memuat daftar akun…")
def load_dormant(day: str) -> DormantView:
    with make_session_factory(get_engine())() as session:
        return reminders.dormant_accounts(
            session, date.fromisoformat(day), get_settings(), PLATFORM_LABELS
        )


def today() -> str:
    return now_local().date().isoformat()


def channel_label(code: str) -> str:
    return CHANNEL_LABELS.get(code, code)


def _reminded(value: object) -> str:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return NEVER_REMINDED
    return fmt.long_date(pd.Timestamp(value).to_pydatetime(), get_settings().tz)  # type: ignore[arg-type]


def dormant_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Indonesian columns; the profile URL stays a URL for a link column."""
    out = display_table(frame, BASE_COLUMNS)
    out.insert(4, "Profil", frame["url"].where(frame["url"].notna(), None).tolist())
    out["Terakhir diingatkan"] = [_reminded(v) for v in frame["last_reminded_at"]]
    out["Eskalasi"] = [ESCALATE if flag else "" for flag in frame["escalate"]]
    for col in ("Admin", "Telepon admin", "Surel admin"):
        out[col] = out[col].fillna("–").replace("", "–")
    return out


def mark_reminded(account_id: int, channel: str, recipient: str | None, message: str) -> None:
    """Button callback: record the reminder, refresh the list, leave a confirmation."""
    with make_session_factory(get_engine())() as session:
        reminders.record(session, account_id, channel, recipient, message, created_by="dasbor")
        session.commit()
    load_dormant.clear()
    when = fmt.long_date(now_local().date())
    st.session_state[FLASH_KEY] = (
        f"Pengingat lewat {channel_label(channel)} sudah dicatat pada {when}."
    )
