"""Reminders and escalation: pure rules over frames (no database, no Streamlit).

An account is escalated when it is still dormant or at risk, its admin was reminded more than
``escalate_days`` calendar days ago, and it has not posted since that reminder.
"""

from __future__ import annotations

import pandas as pd

from metrics.activity import AT_RISK, DORMANT

ESCALATE_STATUSES = (DORMANT, AT_RISK)


def last_reminders(reminders: pd.DataFrame) -> pd.DataFrame:
    """The newest reminder per account: account_id, last_reminded_at, last_channel.

    ``reminders`` needs account_id, created_at (UTC) and channel.
    """
    columns = ["account_id", "last_reminded_at", "last_channel"]
    if reminders.empty:
        frame = pd.DataFrame(columns=columns)
        frame["last_reminded_at"] = pd.to_datetime(frame["last_reminded_at"], utc=True)
        return frame
    newest = reminders.sort_values("created_at", ascending=False, kind="stable")
    newest = newest.drop_duplicates("account_id", keep="first")
    renamed = newest.rename(columns={"created_at": "last_reminded_at", "channel": "last_channel"})
    return renamed[columns].reset_index(drop=True)


def days_between(earlier: pd.Series, day: pd.Timestamp, tz: str) -> pd.Series:
    """Calendar days (local time) from each timestamp to ``day``; NaN where there is none."""
    local = pd.to_datetime(earlier, utc=True).dt.tz_convert(tz).dt.normalize().dt.tz_localize(None)
    return (pd.Timestamp(day).normalize() - local).dt.days.astype("float64")


def escalation_flags(frame: pd.DataFrame, escalate_days: int) -> pd.Series:
    """True where the account needs escalation.

    ``frame`` needs status, days_since_reminder (NaN = never reminded), last_reminded_at and
    last_posted_at (both UTC, NaT when unknown).
    """
    reminded = pd.to_datetime(frame["last_reminded_at"], utc=True)
    posted = pd.to_datetime(frame["last_posted_at"], utc=True)
    posted_since = posted.notna() & reminded.notna() & (posted > reminded)
    still_quiet = frame["status"].isin(ESCALATE_STATUSES)
    overdue = frame["days_since_reminder"].gt(escalate_days)
    return (still_quiet & overdue & ~posted_since).astype(bool)
