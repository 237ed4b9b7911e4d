"""Each registered account's connection: public data only, connected by its owner, expiring,
expired, or revoked (the platform rejected the token since it was stored)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy.orm import Session

from db import access
from oauth import PROVIDER_OF_PLATFORM

PUBLIC, CONNECTED, EXPIRING, EXPIRED, REVOKED = (
    "public", "connected", "expiring", "expired", "revoked",
)  # fmt: skip
STATE_LABELS = {
    PUBLIC: "Data publik saja",
    CONNECTED: "Tersambung oleh pemilik",
    EXPIRING: "Segera kedaluwarsa",
    EXPIRED: "Kedaluwarsa",
    REVOKED: "Dicabut atau ditolak platform",
}
EXPIRING_WITHIN = timedelta(days=7)


def connection_state(row: pd.Series, now: datetime) -> str:
    """The state of one row of :func:`db.access.connection_frame`."""
    if not bool(row["has_token"]):
        return PUBLIC
    rejected, stored = row["rejected_at"], row["token_updated_at"]
    if pd.notna(rejected) and pd.notna(stored) and rejected >= stored:
        return REVOKED
    expiry = usable_until(row)
    if expiry is None:
        return CONNECTED
    if expiry <= now:
        return EXPIRED
    return EXPIRING if expiry - now < EXPIRING_WITHIN else CONNECTED


def usable_until(row: pd.Series) -> datetime | None:
    """When the connection stops working on its own: a renewable token lives as long as its
    refresh token (TikTok), otherwise as long as the access token (None: no expiry)."""
    for column in (("refresh_expires_at",) if row["has_refresh"] else ()) + ("access_expires_at",):
        value = row[column]
        if pd.notna(value):
            return pd.Timestamp(value).to_pydatetime()
        if row["has_refresh"]:
            return None  # a refresh token without an end (Google) renews the access token
    return None


def connection_states(session: Session, opd_id: int | None, now: datetime) -> pd.DataFrame:
    """Every registered account (of one OPD, or all) with its state, its label, when it stops
    working, who connected it, and which consent can connect it (None: public data only)."""
    frame = access.connection_frame(session, opd_id)
    if frame.empty:
        return frame.assign(state=[], state_label=[], usable_until=[], provider=[])
    states = frame.apply(lambda row: connection_state(row, now), axis=1)
    return frame.assign(
        state=states,
        state_label=states.map(STATE_LABELS),
        usable_until=frame.apply(usable_until, axis=1),
        provider=frame["platform"].map(PROVIDER_OF_PLATFORM),
    )
