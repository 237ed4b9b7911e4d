"""Tinjauan Unggahan's tables: the filters, the counts, the table shown and its XLSX.

Pure pandas and openpyxl over the frame of :func:`services.post_review.post_review`. The
Indonesian names of the elements and levels come from the caller (the same words Cek Caption
shows), so this module holds no second copy of them.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core import fmt
from core.cells import is_formula_like
from core.links import web_link
from present.labels import platform_label
from present.tables import Column, TableView

ELEMENTS = ("official", "activity", "location", "time", "attendees")
SCORE_BANDS = {"low": "0–49", "mid": "50–74", "high": "75–100", "no_text": "Tanpa teks"}
PRESENT, ABSENT = "✓ ada", "✗ belum"
YES, NO = "Ya", "Tidak"
NO_TEXT = "tanpa teks"
LINK = "Tautan"
POSTED = "Waktu unggah"  # "Waktu" alone is the element (the time of the activity)
HEADER_FILL = PatternFill("solid", fgColor="0B5394")
HEADER_FONT = Font(bold=True, color="FFFFFF")
XLSX_WIDTHS = {"Keterangan unggahan": 80, LINK: 45, "Catatan": 40}


@dataclass(frozen=True)
class ReviewFilter:
    """What the page narrows the list to; an empty choice means every value."""

    opd_ids: tuple[int, ...] = ()
    platforms: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()  # posts missing at least one of these elements
    outside_only: bool = False
    bands: tuple[str, ...] = ()  # keys of SCORE_BANDS
    unmarked_only: bool = False


@dataclass(frozen=True)
class ReviewCounts:
    posts: int
    problems: int
    marked: int


def score_band(score: float | None) -> str:
    """The key of SCORE_BANDS a score falls in; ``no_text`` for a post without a score."""
    if score is None or math.isnan(score):
        return "no_text"
    if score < 50:
        return "low"
    return "mid" if score < 75 else "high"


def filter_review(review: pd.DataFrame, chosen: ReviewFilter) -> pd.DataFrame:
    """The rows of ``review`` that meet every filter chosen."""
    keep = pd.Series(True, index=review.index)
    if chosen.opd_ids:
        keep &= review["opd_id"].isin(chosen.opd_ids)
    if chosen.platforms:
        keep &= review["platform"].isin(chosen.platforms)
    if chosen.missing:
        wanted = set(chosen.missing)
        keep &= review["missing"].map(lambda names: bool(wanted.intersection(names)))
    if chosen.outside_only:
        keep &= review["outside_rule"]
    if chosen.bands:
        keep &= review["score"].map(score_band).isin(chosen.bands)
    if chosen.unmarked_only:
        keep &= review["marked_at"].isna()
    return review[keep.astype(bool)]


def review_counts(review: pd.DataFrame) -> ReviewCounts:
    return ReviewCounts(
        posts=len(review),
        problems=int(review["problem"].sum()),
        marked=int(review["marked_at"].notna().sum()),
    )


COUNTS = {"Salah ketik": "typos", "Istilah sulit": "jargon", "Panjang": "length"}


def _moment(tz: ZoneInfo) -> Column:
    """A moment kept as a timestamp (it sorts by time), read as '13 November 2026 08.00 WIB'."""

    def text(value: object) -> str:
        return fmt.date_time(pd.Timestamp(value).to_pydatetime(), tz)  # type: ignore[arg-type]

    return Column(kind="date", shown=text)


def review_table(
    review: pd.DataFrame, tz: ZoneInfo, elements: Mapping[str, str], levels: Mapping[str, str]
) -> TableView:
    """One row per post, as Tinjauan Unggahan shows it: Indonesian headers; the moments,
    counts and score stay values (they sort by value) and read in Indonesian."""
    out = pd.DataFrame(index=review.index)
    out["OPD"] = review["opd_name"]
    out["Platform"] = review["platform"].map(platform_label)
    out["Akun"] = review["handle"]
    out[POSTED] = pd.to_datetime(review["posted_at"], utc=True)
    out[LINK] = review["url"].map(web_link)
    for name in ELEMENTS:
        out[elements[name]] = review[name].map({True: PRESENT, False: ABSENT})
    out["Tingkat pejabat"] = review["official_level"].map(lambda code: levels.get(code, code))
    out["Di luar aturan"] = review["outside_rule"].map({True: YES, False: NO})
    for header, field in COUNTS.items():
        out[header] = pd.to_numeric(review[field]).astype("float64")
    out["Skor"] = pd.to_numeric(review["score"]).astype("float64")
    out["Ditindaklanjuti"] = review["marked_at"].notna().map({True: YES, False: NO})
    out["Oleh"] = review["marked_by"].fillna(fmt.MISSING)
    out["Kapan"] = pd.to_datetime(review["marked_at"], utc=True)
    out["Catatan"] = review["note"].fillna("")
    columns = {
        "OPD": Column(width="medium"),
        POSTED: _moment(tz),
        LINK: Column(kind="link", link_text="Buka"),
        **{header: Column(kind="number") for header in COUNTS},
        "Skor": Column(kind="number", missing=NO_TEXT),  # no text, nothing to score
        "Kapan": _moment(tz),
    }
    return TableView(out.reset_index(drop=True), columns)


def post_label(row: pd.Series, tz: ZoneInfo) -> str:
    """How one post is named in the page's post picker."""
    posted = row["posted_at"]
    when = fmt.date_time(posted.to_pydatetime(), tz) if isinstance(posted, pd.Timestamp) else ""
    score = row["score"]
    score_text = NO_TEXT if score is None or pd.isna(score) else f"skor {fmt.number(score)}"
    return f"{row['opd_name']} · {platform_label(str(row['platform']))} · {when} · {score_text}"


# ---- XLSX ---------------------------------------------------------------------------------


def _local(stamp: object, tz: ZoneInfo) -> datetime | None:
    """A spreadsheet has no time zones: local (WIB) wall time, without its zone."""
    if not isinstance(stamp, pd.Timestamp) or pd.isna(stamp):
        return None
    return stamp.tz_convert(tz).to_pydatetime().replace(tzinfo=None)


def xlsx_frame(
    review: pd.DataFrame, tz: ZoneInfo, elements: Mapping[str, str], levels: Mapping[str, str]
) -> pd.DataFrame:
    """The export's columns: numbers as numbers, times as local times, the caption in full."""
    out = pd.DataFrame(index=review.index)
    out["Kode OPD"] = review["opd_code"]
    out["OPD"] = review["opd_name"]
    out["Platform"] = review["platform"].map(platform_label)
    out["Akun"] = review["handle"]
    out[f"{POSTED} ({fmt.tz_label(tz)})"] = [_local(t, tz) for t in review["posted_at"]]
    out[LINK] = review["url"].map(web_link)
    for name in ELEMENTS:
        out[elements[name]] = review[name].map({True: YES, False: NO})
    out["Tingkat pejabat"] = review["official_level"].map(lambda code: levels.get(code, code))
    out["Di luar aturan"] = review["outside_rule"].map({True: YES, False: NO})
    out["Salah ketik"] = review["typos"].astype("int64")
    out["Istilah sulit"] = review["jargon"].astype("int64")
    out["Panjang"] = review["length"].astype("int64")
    out["Skor"] = review["score"]
    out["Keterangan unggahan"] = review["caption"].fillna("")
    out["Ditindaklanjuti oleh"] = review["marked_by"].fillna("")
    out[f"Ditindaklanjuti pada ({fmt.tz_label(tz)})"] = [_local(t, tz) for t in review["marked_at"]]
    out["Catatan"] = review["note"].fillna("")
    return out.reset_index(drop=True)


def _cell(value: object) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalar -> Python
        return value.item()
    return value


def review_xlsx(frame: pd.DataFrame, sheet_title: str) -> bytes:
    """``frame`` (from :func:`xlsx_frame`) as one sheet. Every text cell stays text: a caption
    that a spreadsheet would take for a formula (core.cells) gets the quote prefix, never run."""
    book = Workbook()
    sheet = book.active
    if not isinstance(sheet, Worksheet):  # a new workbook always has one sheet
        sheet = book.create_sheet()
    sheet.title = sheet_title[:31]
    sheet.append([str(c) for c in frame.columns])
    for cell in sheet[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    sheet.freeze_panes = "A2"
    for row in frame.itertuples(index=False):
        sheet.append([_cell(v) for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl took a leading '=' for a formula
                cell.quotePrefix = is_formula_like(cell.value)
            elif isinstance(cell.value, datetime):
                cell.number_format = "DD/MM/YYYY HH:MM"
    for index, name in enumerate(frame.columns, start=1):
        width = XLSX_WIDTHS.get(str(name), max(12, len(str(name)) + 3))
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
