"""Alerts as people read them (Peringatan on Ringkasan): the kind's name, when it was raised
in local time, the reason as stored, and the post's address when it may become a link."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pandas as pd

from core import fmt
from core.links import web_link

# the kinds of metrics.alerts.KINDS, by their names for people
KIND_LABELS = {
    "breakout": "Unggahan menonjol",
    "follower_drop": "Pengikut turun tajam",
    "gone": "Akun tidak dapat dibaca",
    "token_expiring": "Sambungan akun segera berakhir",  # nosec B105 - a label
    "worker_silent": "Proses otomatis terjadwal berhenti",
}


@dataclass(frozen=True)
class AlertItem:
    alert_id: int
    title: str  # "Pengikut turun tajam"
    raised: str  # "26 November 2026 13.00 WIB"
    reason: str  # from the data: show as text, never as markdown
    link: str | None  # the post's http(s) address (a breakout), else None


def alert_items(frame: pd.DataFrame, tz: ZoneInfo) -> list[AlertItem]:
    """One item per row of :func:`services.alerts.open_alerts`, in the frame's order."""
    return [
        AlertItem(
            alert_id=int(alert_id),
            title=KIND_LABELS.get(str(kind), str(kind)),
            raised=fmt.date_time(pd.Timestamp(raised).to_pydatetime(), tz),
            reason=str(reason),
            link=web_link(url),
        )
        for alert_id, kind, raised, reason, url in zip(
            frame["alert_id"],
            frame["kind"],
            frame["raised_at"],
            frame["reason"],
            frame["post_url"],
            strict=True,
        )
    ]
