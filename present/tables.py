"""Turn metric frames into tables people read: Indonesian labels and number formats.

Pure pandas, so it is tested without Streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from core import fmt
from present.labels import COLUMN_LABELS, PLATFORM_LABELS, STATUS_LABELS


def _movement(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "baru"
    places = int(value)  # type: ignore[call-overload]
    if places > 0:
        return f"▲ {places}"
    return f"▼ {-places}" if places < 0 else "="


SWAP = str.maketrans(",.", ".,")  # 12,345.6 -> 12.345,6


def numbers(series: pd.Series, decimals: int = 0, missing: str = fmt.MISSING) -> pd.Series:
    """Column-at-once Indonesian numbers: the same text as ``fmt.number`` for each cell."""
    values = pd.to_numeric(series, errors="coerce").astype("float64")
    spec = f"{{:,.{decimals}f}}"
    text = pd.Series([spec.format(v) for v in values], index=series.index, dtype=object)
    return text.str.translate(SWAP).where(values.notna(), missing)


def _with(suffix: str, series: pd.Series, decimals: int, missing: str) -> pd.Series:
    text = numbers(series, decimals)
    return (text + suffix).where(pd.to_numeric(series, errors="coerce").notna(), missing)


def _signed(series: pd.Series) -> pd.Series:
    values = pd.to_numeric(series, errors="coerce")
    sign = pd.Series("", index=series.index, dtype=object).where(~(values > 0), "+")
    return (sign + numbers(series, 2) + "%").where(values.notna(), fmt.MISSING)


NOT_AVAILABLE = "tidak tersedia"  # as metrics.replies says it: unknown, never 0
LABELS = {
    **COLUMN_LABELS,
    "reply_rate": "Tingkat balasan",
    "reply_median_minutes": "Waktu balasan pertama (median)",
    "posts_per_week": "Unggahan/minggu",
    "following": "Mengikuti",
    "engagement_rate_views": "Interaksi per tayangan",
}


def duration_text(minutes: float | None) -> str:
    """A wait in plain words: "kurang dari 1 menit", "45 menit", "2 jam 15 menit",
    "3 hari 4 jam"; "–" when unknown."""
    if minutes is None or math.isnan(minutes):
        return fmt.MISSING
    whole = round(minutes)
    if whole < 1:
        return "kurang dari 1 menit"
    days, rest = divmod(whole, 1_440)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{fmt.number(days)} hari" + (f" {hours} jam" if hours else "")
    if hours:
        return f"{hours} jam" + (f" {mins} menit" if mins else "")
    return f"{mins} menit"


def change_text(value: int | None, suffix: str) -> str | None:
    """'+12 dalam periode' / '-3 dalam periode' for a metric's delta; None when unknown."""
    if value is None:
        return None
    return f"{'+' if value > 0 else ''}{fmt.number(value)} {suffix}"


def reply_note(rate_text: str | None, time_text: str | None, needs_connection: bool) -> str:
    """The sentence under an account's reply figures: what they count, or why they are
    unknown (``*_text`` from metrics.replies: None when the figure is shown)."""
    if rate_text is not None:
        note = f"Tingkat balasan {rate_text}."
        if needs_connection:
            note += " Pemilik akun dapat menyambungkannya di halaman Sambungkan Akun."
        return note
    note = (
        "Tingkat balasan: komentar publik yang dijawab pemilik akun ÷ seluruh komentar yang "
        "terbaca pada unggahan periode ini. Pesan langsung (DM) tidak dapat dibaca."
    )
    if time_text is not None:
        note += f" Waktu balasan pertama {time_text}."
    return note


def _durations(series: pd.Series) -> pd.Series:
    values = pd.to_numeric(series, errors="coerce").astype("float64")
    return pd.Series([duration_text(v) for v in values], index=series.index, dtype=object).where(
        values.notna(), NOT_AVAILABLE
    )


SERIES_FORMATTERS = {
    "followers": lambda s: numbers(s),
    "posts": lambda s: numbers(s),
    "engagement_rate": lambda s: _with("%", s, 2, fmt.MISSING),  # unknown, or a website
    "growth_weekly": _signed,
    "caption_score": lambda s: numbers(s, missing="belum dinilai"),
    "score": lambda s: numbers(s, 1),
    "consistency": lambda s: numbers(s),
    "engagement": lambda s: numbers(s),
    "growth": lambda s: numbers(s),
    "days_since_last_post": lambda s: _with(" hari", s, 0, "belum pernah"),
    "reply_rate": lambda s: _with("%", s, 1, NOT_AVAILABLE),
    "reply_median_minutes": _durations,
    "posts_per_week": lambda s: numbers(s, 1),
    "following": lambda s: numbers(s, missing=NOT_AVAILABLE),  # not reported, or not read
    "engagement_rate_views": lambda s: _with("%", s, 2, NOT_AVAILABLE),  # video only
}


def _label(labels: dict[str, str]) -> Callable[[object], str]:
    """A code's Indonesian label; a missing code reads as '–', never 'nan'."""

    def label(value: object) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
            return fmt.MISSING
        return labels.get(str(value), str(value))

    return label


FORMATTERS = {
    "rank_change": _movement,
    "status": _label(STATUS_LABELS),
    "platform": _label(PLATFORM_LABELS),
}


def display_table(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Selected columns, formatted as Indonesian text, with Indonesian headers."""
    out = pd.DataFrame(index=frame.index)
    for col in columns:
        series, label = frame[col], LABELS.get(col, col)
        if col in SERIES_FORMATTERS:
            out[label] = SERIES_FORMATTERS[col](series)
        elif col in FORMATTERS:
            out[label] = series.map(FORMATTERS[col])
            if col == "rank_change" and "rank" in frame:  # not ranked: no movement, not "baru"
                out[label] = out[label].where(frame["rank"].notna(), fmt.MISSING)
        else:
            out[label] = series
    return out.reset_index(drop=True)
