"""A briefing table on a page: its typed values as a ``present.tables.TableView``.

The briefing's :class:`reports.tables.Table` keeps numbers and dates as values for the
workbook; on Tinjauan Bulanan the same values stay values, so a column sorts by value in the
browser ("88 hari" below "239 hari"), and each cell reads as in the PDF and the slides
(:func:`reports.tables.format_cell`).
"""

from __future__ import annotations

import math
from functools import partial

import pandas as pd

from present.tables import Column, TableView
from reports.tables import MISSING_TEXT, Kind, Table, format_cell, short_caption

NUMBER_KINDS: set[Kind] = {"int", "float", "pct", "change", "times", "days", "minutes"}
LINK_HEADERS = {"Tautan": "Buka"}  # a column of addresses: shown as a link with this text


def _wall_clock_text(value: object, kind: Kind) -> str:
    """A local date or time kept as if UTC (see :func:`_wall_clock`), read as written."""
    moment = pd.Timestamp(value).tz_localize(None).to_pydatetime()  # type: ignore[arg-type]
    return format_cell(moment.date() if kind == "date" else moment, kind)


def _wall_clock(values: pd.Series, kind: Kind) -> pd.Series:
    """The briefing's naive local dates as timestamps labelled UTC: they sort in order and
    read unchanged, for nothing converts them to another zone."""
    stamps = pd.to_datetime(values, errors="coerce")
    if kind == "date":
        stamps = stamps.dt.normalize()
    return stamps.dt.tz_localize("UTC")


def _column(kind: Kind) -> Column:
    if kind in NUMBER_KINDS:
        return Column(
            kind="number",
            missing=MISSING_TEXT.get(kind, format_cell(math.nan, kind)),
            unknown_high=kind == "days",  # never posted: the longest silence
            shown=partial(format_cell, kind=kind),
        )
    if kind in ("date", "datetime"):
        return Column(kind="date", shown=partial(_wall_clock_text, kind=kind))
    return Column()


def _values(values: pd.Series, kind: Kind) -> pd.Series:
    if kind in NUMBER_KINDS:
        return pd.to_numeric(values, errors="coerce").astype("float64")
    if kind in ("date", "datetime"):
        return _wall_clock(values, kind)
    if kind == "caption":  # one line, as on the slides; the workbook keeps it whole
        return pd.Series([short_caption(v) for v in values], index=values.index, dtype=object)
    return values.astype(object).where(values.notna(), format_cell(None, kind))


def table_view(part: Table, headers: list[str]) -> TableView:
    """``headers`` of ``part`` in that order (key columns first), values kept as values."""
    rows = part.frame
    out = pd.DataFrame(index=rows.index)
    columns: dict[str, Column] = {}
    for header in headers:
        kind = part.kind(header)
        if header in LINK_HEADERS:
            out[header] = rows[header].astype(object).where(rows[header].notna(), None)
            columns[header] = Column(kind="link", link_text=LINK_HEADERS[header])
            continue
        out[header] = _values(rows[header], kind)
        columns[header] = _column(kind)
    return TableView(out.reset_index(drop=True), columns)
