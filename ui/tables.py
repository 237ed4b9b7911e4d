"""Turn metric frames into tables people read: Indonesian labels and number formats.

Pure pandas, so it is tested without Streamlit.
"""

from __future__ import annotations

import math

import pandas as pd

from core import fmt
from ui.labels import COLUMN_LABELS, PLATFORM_LABELS, STATUS_LABELS


def _movement(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "baru"
    places = int(value)  # type: ignore[call-overload]
    if places > 0:
        return f"▲ {places}"
    return f"▼ {-places}" if places < 0 else "="


def _days(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "belum pernah"
    return f"{fmt.number(float(value))} hari"  # type: ignore[arg-type]


FORMATTERS = {
    "followers": lambda v: fmt.number(None if pd.isna(v) else float(v)),
    "posts": lambda v: fmt.number(None if pd.isna(v) else float(v)),
    "engagement_rate": lambda v: "n/a" if pd.isna(v) else fmt.percent(float(v)),
    "growth_weekly": lambda v: fmt.signed_percent(None if pd.isna(v) else float(v), 2),
    "caption_score": lambda v: "belum dinilai" if pd.isna(v) else fmt.number(float(v)),
    "score": lambda v: fmt.number(None if pd.isna(v) else float(v), 1),
    "consistency": lambda v: fmt.number(None if pd.isna(v) else float(v)),
    "engagement": lambda v: fmt.number(None if pd.isna(v) else float(v)),
    "growth": lambda v: fmt.number(None if pd.isna(v) else float(v)),
    "days_since_last_post": _days,
    "rank_change": _movement,
    "status": lambda v: STATUS_LABELS.get(str(v), str(v)),
    "platform": lambda v: PLATFORM_LABELS.get(str(v), str(v)),
}


def display_table(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Selected columns, formatted as Indonesian text, with Indonesian headers."""
    out = pd.DataFrame(index=frame.index)
    for col in columns:
        series = frame[col]
        formatter = FORMATTERS.get(col)
        out[COLUMN_LABELS.get(col, col)] = series.map(formatter) if formatter else series
    return out.reset_index(drop=True)
