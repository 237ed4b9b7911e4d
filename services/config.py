"""Settings the office may change from the dashboard (Pengaturan), stored in the database.

Only thresholds (status, escalation, alerts) and index weights can be overridden; everything
else, secrets above all, comes from the environment or ``.streamlit/secrets.toml``. Overrides
are validated by building a :class:`Settings` with them, so a bad value never reaches the
metrics.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace

from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from core.settings import Settings
from db import audit
from db.models import AppMeta
from db.repository import set_meta
from services.audit import UNKNOWN

PREFIX = "setting:"
OVERRIDABLE = (
    "PANTAU_ACTIVE_DAYS", "PANTAU_DORMANT_DAYS", "PANTAU_THRESHOLDS", "PANTAU_INDEX_WEIGHTS",
    "PANTAU_ESCALATE_DAYS", "PANTAU_ALERT_FOLLOWER_DROP_PCT", "PANTAU_ALERT_FOLLOWER_DROP_MIN",
    "PANTAU_ALERT_BREAKOUT_Z",
)  # fmt: skip


# how the audit trail names each setting (admins read it in Pengaturan)
SETTING_LABELS = {
    "PANTAU_ACTIVE_DAYS": "Aktif (hari)", "PANTAU_DORMANT_DAYS": "Dorman (hari)",
    "PANTAU_THRESHOLDS": "Ambang per platform", "PANTAU_INDEX_WEIGHTS": "Bobot indeks",
    "PANTAU_ESCALATE_DAYS": "Eskalasi (hari)",
    "PANTAU_ALERT_FOLLOWER_DROP_PCT": "Pengikut turun (%)",
    "PANTAU_ALERT_FOLLOWER_DROP_MIN": "Pengikut turun (jumlah)",
    "PANTAU_ALERT_BREAKOUT_Z": "Unggahan menonjol (skor z)",
}  # fmt: skip


def _field_of(env_name: str) -> str:
    return next(f.name for f in fields(Settings) if f.metadata["env"] == env_name)


def with_overrides(settings: Settings, overrides: Mapping[str, str]) -> Settings:
    """``settings`` with the given overrides applied (SettingsError if one is invalid)."""
    unknown = set(overrides) - set(OVERRIDABLE)
    if unknown:
        raise ValueError(f"these settings cannot be changed here: {sorted(unknown)}")
    return replace(settings, **{_field_of(k): v for k, v in overrides.items()})


def stored_overrides(session: Session) -> dict[str, str]:
    rows = session.execute(select(AppMeta.key, AppMeta.value).where(AppMeta.key.startswith(PREFIX)))
    return {
        key.removeprefix(PREFIX): value
        for key, value in rows
        if key.removeprefix(PREFIX) in OVERRIDABLE
    }


def effective_settings(session: Session, settings: Settings) -> Settings:
    """The environment's settings with the dashboard's overrides (none if unreadable)."""
    try:
        overrides = stored_overrides(session)
    except SQLAlchemyError:  # no schema yet: nothing has been overridden
        session.rollback()
        return settings
    try:
        return with_overrides(settings, overrides)
    except ValueError:  # validated when saved; a broken row must not take the dashboard down
        return settings


def save_overrides(
    session: Session, settings: Settings, values: Mapping[str, str], *, actor: str = UNKNOWN
) -> Settings:
    """Validate and store overrides; returns the settings now in force. What changed goes to
    the audit trail (weights apart from thresholds). Caller commits."""
    current = effective_settings(session, settings)
    updated = with_overrides(current, values)
    for key, value in values.items():
        set_meta(session, PREFIX + key, value)
    was = {key: str(getattr(current, _field_of(key))) for key in values}
    changed = [key for key, value in values.items() if was[key] != value]
    for action, keys in _by_kind(changed).items():
        before = {SETTING_LABELS[key]: was[key] for key in keys}
        after = {SETTING_LABELS[key]: values[key] for key in keys}
        audit.record(session, actor, action, "Pengaturan", before, after)
    return updated


def _by_kind(keys: list[str]) -> dict[str, list[str]]:
    weights = [key for key in keys if key == "PANTAU_INDEX_WEIGHTS"]
    thresholds = [key for key in keys if key != "PANTAU_INDEX_WEIGHTS"]
    kinds = {"settings.thresholds": thresholds, "settings.weights": weights}
    return {action: part for action, part in kinds.items() if part}


def reset_overrides(session: Session, *, actor: str = UNKNOWN) -> None:
    """Back to the environment's values; the overrides dropped go to the audit trail."""
    dropped = stored_overrides(session)
    session.execute(delete(AppMeta).where(AppMeta.key.startswith(PREFIX)))
    if dropped:
        before = {SETTING_LABELS[key]: value for key, value in dropped.items()}
        audit.record(session, actor, "settings.reset", "Pengaturan", before, None)
