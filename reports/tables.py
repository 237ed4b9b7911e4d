"""Briefing tables: typed values under Indonesian headers, and their display as text.

One table feeds all three writers: the XLSX keeps the typed values (numbers stay numbers,
dates stay dates), the PPTX and PDF show :meth:`Table.display`, formatted the Indonesian way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

import pandas as pd

from core import fmt
from metrics.captions.text import as_text
from present.tables import duration_text

Kind = Literal[
    "text", "int", "float", "pct", "date", "datetime", "change", "times", "days", "minutes",
    "caption",
]  # fmt: skip
NEVER_POSTED = "belum pernah"  # a "days" cell of an account that never posted
# what a known-missing value reads in every format: never posted, new in the ranking
MISSING_TEXT: dict[str, str] = {"change": "baru", "days": NEVER_POSTED}
NO_CAPTION = "(tanpa caption)"


def short_caption(text: object, limit: int = 110) -> str:
    """One line of at most ``limit`` characters; '(tanpa caption)' when the post has none
    (None, NaN, pd.NA, blank), as on Detail Akun."""
    words = " ".join(as_text(text).split())
    if not words:
        return NO_CAPTION
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _change(value: object) -> str:
    if _missing(value):
        return "baru"
    places = int(value)  # type: ignore[call-overload]
    if places > 0:
        return f"▲ {places}"
    return f"▼ {-places}" if places < 0 else "="


def _times(value: object) -> str:
    if _missing(value):
        return fmt.MISSING
    score = float(value)  # type: ignore[arg-type]
    return f"{fmt.number(score, 1)}×" if score > 0 else "di bawah biasanya"


def _date(value: object) -> str:
    if _missing(value):
        return fmt.MISSING
    if isinstance(value, datetime):
        return f"{fmt.long_date(value.date())} {value:%H.%M}"
    return fmt.long_date(value)  # type: ignore[arg-type]


def format_cell(value: object, kind: Kind) -> str:
    """One typed value as the text a reader sees: 12.345, 1,14%, 26 November 2026."""
    if kind == "change":
        return _change(value)
    if kind == "times":
        return _times(value)
    if kind in ("date", "datetime"):
        return _date(value)
    if kind == "caption":  # the slides and pages show one line; the workbook keeps it all
        return short_caption(value)
    if kind == "days":
        return NEVER_POSTED if _missing(value) else f"{fmt.number(float(value))} hari"  # type: ignore[arg-type]
    if _missing(value):
        return fmt.MISSING
    if kind == "minutes":
        return duration_text(float(value))  # type: ignore[arg-type]
    if kind == "int":
        return fmt.number(float(value))  # type: ignore[arg-type]
    if kind == "float":
        return fmt.number(float(value), 1)  # type: ignore[arg-type]
    if kind == "pct":
        return fmt.percent(float(value), 1)  # type: ignore[arg-type]
    return str(value)


@dataclass(frozen=True)
class Table:
    """A titled table; ``kinds`` maps each header to how its values are typed and shown."""

    key: str  # short name: the XLSX sheet name
    title: str
    frame: pd.DataFrame
    kinds: dict[str, Kind] = field(default_factory=dict)
    takeaway: str = ""

    def kind(self, column: str) -> Kind:
        return self.kinds.get(column, "text")

    def display(self, limit: int | None = None) -> pd.DataFrame:
        rows = self.frame if limit is None else self.frame.head(limit)
        out = pd.DataFrame(index=rows.index)
        for column in rows.columns:
            kind = self.kind(str(column))
            out[column] = [format_cell(v, kind) for v in rows[column]]
        return out.reset_index(drop=True)


@dataclass(frozen=True)
class Kpi:
    """One headline figure of the month with last month's value; pct values are percents."""

    label: str
    value: float | None
    previous: float | None
    kind: Kind = "int"
    decimals: int = 0  # of a pct value (fmt.DECIMALS), and of its change

    def _shown(self, value: float | None) -> str:
        if self.kind == "pct" and not _missing(value):
            return fmt.percent(float(value), self.decimals)  # type: ignore[arg-type]
        return format_cell(value, self.kind)

    def text(self) -> str:
        return self._shown(self.value)

    def previous_text(self) -> str:
        return self._shown(self.previous)

    def delta(self) -> float | None:
        if _missing(self.value) or _missing(self.previous):
            return None
        return float(self.value) - float(self.previous)  # type: ignore[arg-type]

    def delta_text(self) -> str:
        """'+10', '−11', '0', '+0,17 poin' (a pct value changes by percentage points)."""
        delta = self.delta()
        if delta is None:
            return fmt.MISSING
        return fmt.signed(delta, self.decimals, " poin" if self.kind == "pct" else "")


def local_date(values: pd.Series, tz: str, with_time: bool = False) -> pd.Series:
    """UTC timestamps as naive local dates (or datetimes): what a spreadsheet can store."""
    out: list[date | datetime | None] = []
    for value in values:
        if _missing(value):
            out.append(None)
            continue
        local = pd.Timestamp(value).tz_convert(tz).tz_localize(None).to_pydatetime()
        out.append(local.replace(second=0, microsecond=0) if with_time else local.date())
    return pd.Series(out, index=values.index, dtype=object)
