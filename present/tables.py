"""Turn metric frames into tables people read: Indonesian headers, values that stay values.

A table keeps its numbers as numbers and its dates as dates, so a column sorts by value in the
browser ("88 hari" below "239 hari"); each column's :class:`Column` says how one value reads
("12.345", "2,50%", "88 hari", "26 November 2026"). Streamlit's number formats cannot write a
decimal comma, so ``ui.components.table`` shows these texts through a pandas Styler over the
values. Pure pandas, so it is tested without Streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

import pandas as pd

from core import fmt
from core.links import web_link
from core.timeutil import DEFAULT_TZ
from present.labels import CATEGORY_LABELS, COLUMN_LABELS, PLATFORM_LABELS, STATUS_LABELS

Kind = Literal["number", "text", "date", "link"]
NEVER_POSTED = "belum pernah"
NOT_AVAILABLE = "tidak tersedia"  # as metrics.replies says it: unknown, never 0
# An unknown value cannot be empty in the browser: an empty number cell shows one text for
# the whole table and sorts as 0. It is kept as the lowest value (or the highest, see
# Column.unknown_high) and shown as its column's own text.
LOWEST_DATE = pd.Timestamp("1900-01-01", tz="UTC")


def _is_unknown(value: object) -> bool:
    if fmt.is_missing(value):
        return True
    if isinstance(value, float) and math.isinf(value):
        return True
    return isinstance(value, datetime) and value.year <= LOWEST_DATE.year


@dataclass(frozen=True)
class Column:
    """How one column shows: its kind, and the text of a known and of an unknown value."""

    kind: Kind = "text"
    decimals: int = 0
    suffix: str = ""
    missing: str = fmt.MISSING
    unknown_high: bool = False  # sorts above every value (never posted: the longest silence)
    missing_low: str | None = None  # the text of -inf when it differs from ``missing``
    shown: Callable[[object], str] | None = None  # a known value's text, when not a number
    link_text: str = ""  # a link column's visible text
    width: Literal["small", "medium", "large"] | None = None  # None: as wide as the cells

    def text(self, value: object) -> str:
        if _is_unknown(value):
            low = isinstance(value, float) and value == -math.inf
            return self.missing_low if low and self.missing_low is not None else self.missing
        if self.shown is not None:
            return self.shown(value)
        if self.kind == "number":
            return fmt.number(float(value), self.decimals) + self.suffix  # type: ignore[arg-type]
        return str(value)


@dataclass(frozen=True)
class TableView:
    """A table to show: values under Indonesian headers, and each header's Column."""

    frame: pd.DataFrame
    columns: dict[str, Column] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.frame.empty

    def texts(self) -> pd.DataFrame:
        """Every cell as the browser reads it: for a page printed as text (a PDF)."""
        out = self.sortable()
        for header, column in self.columns.items():
            if column.kind in ("number", "date"):
                out[header] = [column.text(v) for v in out[header]]
        return out

    def sortable(self) -> pd.DataFrame:
        """The values the browser shows and sorts: unknown numbers and dates at the low (or high)
        end; a link column keeps only http(s) addresses (core.links), whoever built the frame."""
        out = self.frame.copy()
        for header, column in self.columns.items():
            if column.kind == "number":
                fill = math.inf if column.unknown_high else -math.inf
                out[header] = out[header].astype("float64").fillna(fill)
            elif column.kind == "date":
                out[header] = out[header].fillna(LOWEST_DATE)
            elif column.kind == "link":
                out[header] = out[header].map(web_link)
        return out


def _movement(value: object) -> str:
    places = int(float(value))  # type: ignore[arg-type]
    if places > 0:
        return f"▲ {places}"
    return f"▼ {-places}" if places < 0 else "="


def _signed_percent(value: object) -> str:
    return fmt.signed_percent(float(value), 2)  # type: ignore[arg-type]


def _wait(value: object) -> str:
    return duration_text(float(value))  # type: ignore[arg-type]


def _local_date(value: object) -> str:
    return fmt.long_date(pd.Timestamp(value).to_pydatetime(), DEFAULT_TZ)  # type: ignore[arg-type]


LABELS = {
    **COLUMN_LABELS,
    "reply_rate": "Tingkat balasan",
    "reply_median_minutes": "Waktu balasan pertama (median)",
    "posts_per_week": "Unggahan/minggu",
    "following": "Mengikuti",
    "engagement_rate_views": "Interaksi per tayangan",
    "last_reminded_at": "Terakhir diingatkan",
    "url": "Profil",
    "category": "Kategori",
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


NUMBER = Column(kind="number")
COLUMNS = {
    "rank": NUMBER,
    "rank_change": Column(kind="number", missing="baru", shown=_movement),
    "followers": NUMBER,
    "posts": NUMBER,
    "engagement_rate": Column(kind="number", decimals=2, suffix="%"),  # unknown, or a website
    "growth_weekly": Column(kind="number", shown=_signed_percent),
    "caption_score": Column(kind="number", missing="belum dinilai"),
    "score": Column(kind="number", decimals=1),
    "consistency": NUMBER,
    "engagement": NUMBER,
    "growth": NUMBER,
    "days_since_last_post": Column(
        kind="number", suffix=" hari", missing=NEVER_POSTED, unknown_high=True
    ),
    "reply_rate": Column(kind="number", decimals=1, suffix="%", missing=NOT_AVAILABLE),
    "reply_median_minutes": Column(kind="number", missing=NOT_AVAILABLE, shown=_wait),
    "posts_per_week": Column(kind="number", decimals=1),
    "following": Column(kind="number", missing=NOT_AVAILABLE),  # not reported, or not read
    "engagement_rate_views": Column(
        kind="number", decimals=2, suffix="%", missing=NOT_AVAILABLE
    ),  # video only
    "last_reminded_at": Column(kind="date", missing="belum pernah", shown=_local_date),
    "url": Column(kind="link", link_text="Buka profil"),
    # long names would push the columns a task needs off a laptop's screen; a cut name is
    # whole in its cell's tooltip and on the phone's cards
    "opd_name": Column(width="medium"),
}
CODE_LABELS = {"status": STATUS_LABELS, "platform": PLATFORM_LABELS, "category": CATEGORY_LABELS}


def _labelled(series: pd.Series, labels: dict[str, str]) -> pd.Series:
    """A code's Indonesian label; a missing code reads as '–', never 'nan'."""
    return pd.Series(
        [fmt.MISSING if fmt.is_missing(v) else labels.get(str(v), str(v)) for v in series],
        index=series.index,
        dtype=object,
    )


def _values(series: pd.Series, column: Column) -> pd.Series:
    if column.kind == "number":
        return pd.to_numeric(series, errors="coerce").astype("float64")
    if column.kind == "date":
        return pd.to_datetime(series, utc=True)
    if column.kind == "link":
        return series.astype(object).where(series.notna(), None)
    text = series.astype(object).where(series.notna(), fmt.MISSING)
    return text.replace("", fmt.MISSING)


def display_table(frame: pd.DataFrame, columns: list[str]) -> TableView:
    """The chosen columns in order, under Indonesian headers; numbers stay numbers."""
    out = pd.DataFrame(index=frame.index)
    shown: dict[str, Column] = {}
    for col in columns:
        label, column = LABELS.get(col, col), COLUMNS.get(col, Column())
        if col in CODE_LABELS:
            out[label] = _labelled(frame[col], CODE_LABELS[col])
        else:
            out[label] = _values(frame[col], column)
        shown[label] = column
    return TableView(out.reset_index(drop=True), shown)


NO_ACCOUNT = "belum punya akun"


def no_account_table(opds: pd.DataFrame) -> TableView:
    """OPDs with no watched account, each read as "belum punya akun", with the admin to ask."""
    frame = opds.assign(handle=NO_ACCOUNT)
    return display_table(frame, ["opd_name", "handle", "category", "admin_name", "admin_phone"])
