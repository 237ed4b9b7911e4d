"""Tinjauan Unggahan's pure parts (present.post_review): filters (a property test), links,
score bands and the XLSX, whose text cells never become formulas."""

from __future__ import annotations

import io
from datetime import datetime

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from core.links import web_link
from present.post_review import (
    ReviewFilter,
    filter_review,
    review_counts,
    review_xlsx,
    score_band,
    xlsx_frame,
)
from tests.clock import FIXED_NOW, WIB

ELEMENTS = ("official", "activity", "location", "time", "attendees")
NAMES = {"official": "Pejabat", "activity": "Kegiatan", "location": "Lokasi", "time": "Waktu",
         "attendees": "Yang hadir"}  # fmt: skip
LEVELS = {"head": "Kepala OPD/Camat", "other": "Lainnya (di luar arahan)"}


def review_row(
    n: int,
    opd_id: int,
    platform: str,
    flags: tuple[bool, ...],
    score: float | None,
    outside: bool,
    marked: bool,
    caption: str = "Keterangan",
) -> dict[str, object]:
    missing = tuple(name for name, ok in zip(ELEMENTS, flags, strict=True) if not ok)
    return {
        "opd_code": f"OPD{opd_id}", "opd_id": opd_id, "opd_name": f"Dinas {opd_id}",
        "platform": platform, "handle": f"akun{opd_id}", "post_id": f"p{n}",
        "posted_at": pd.Timestamp(FIXED_NOW) - pd.Timedelta(hours=n),
        "url": f"https://contoh.go.id/{n}", **dict(zip(ELEMENTS, flags, strict=True)),
        "official_level": "other" if outside else "head", "outside_rule": outside,
        "typos": 0, "jargon": 0, "score": float("nan") if score is None else score,
        "db_post_id": n, "account_id": opd_id, "caption": caption, "length": len(caption),
        "missing": missing, "problem": bool(missing) or outside,
        "marked_by": "peninjau" if marked else None,
        "marked_at": pd.Timestamp(FIXED_NOW) if marked else pd.NaT,
        "note": "sudah" if marked else None,
    }  # fmt: skip


rows = st.builds(
    lambda i, opd, platform, flags, score, outside, marked: review_row(
        i, opd, platform, flags, score, outside, marked
    ),
    st.integers(0, 10_000),
    st.integers(1, 4),
    st.sampled_from(["instagram", "facebook", "youtube"]),
    st.tuples(*[st.booleans()] * 5),
    st.none() | st.integers(0, 100).map(float),
    st.booleans(),
    st.booleans(),
)
filters = st.builds(
    ReviewFilter,
    opd_ids=st.lists(st.integers(1, 4), max_size=2).map(tuple),
    platforms=st.lists(st.sampled_from(["instagram", "facebook"]), max_size=1).map(tuple),
    missing=st.lists(st.sampled_from(ELEMENTS), max_size=2).map(tuple),
    outside_only=st.booleans(),
    bands=st.lists(st.sampled_from(["low", "mid", "high", "no_text"]), max_size=2).map(tuple),
    unmarked_only=st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(rows, min_size=1, max_size=25), filters)
def test_a_filter_keeps_exactly_the_rows_that_meet_it(
    records: list[dict[str, object]], chosen: ReviewFilter
) -> None:
    review = pd.DataFrame(records)
    kept = filter_review(review, chosen)
    for _, row in review.iterrows():
        meets = (
            (not chosen.opd_ids or row["opd_id"] in chosen.opd_ids)
            and (not chosen.platforms or row["platform"] in chosen.platforms)
            and (not chosen.missing or bool(set(chosen.missing) & set(row["missing"])))
            and (not chosen.outside_only or row["outside_rule"])
            and (not chosen.bands or score_band(row["score"]) in chosen.bands)
            and (not chosen.unmarked_only or pd.isna(row["marked_at"]))
        )
        assert (row.name in kept.index) == meets
    if chosen.opd_ids:  # never a post of an OPD not chosen
        assert set(kept["opd_id"]) <= set(chosen.opd_ids)
    counted = review_counts(kept)
    assert counted.posts == len(kept) and counted.marked <= counted.posts


def test_score_bands() -> None:
    assert [score_band(s) for s in (0, 49, 49.5, 50, 74, 75, 100)] == [
        "low", "low", "low", "mid", "mid", "high", "high",
    ]  # fmt: skip
    assert score_band(None) == score_band(float("nan")) == "no_text"


def test_only_web_links_are_links() -> None:
    assert web_link("https://www.instagram.com/p/ABC/") == "https://www.instagram.com/p/ABC/"
    assert web_link(" http://sintang.go.id/berita ") == "http://sintang.go.id/berita"
    for bad in ("javascript:alert(1)", "data:text/html,x", "//contoh.go.id", "https:/x", None, 3):
        assert web_link(bad) is None


def test_xlsx_keeps_captions_as_text() -> None:
    dangerous = ["=HYPERLINK(\"https://contoh.test\",\"klik\")", "+62 812 0000", "-5 peserta",
                 "@dinas.sintang hadir"]  # fmt: skip
    records = [
        review_row(i, 1, "instagram", (True,) * 5, 90.0, False, i == 0, caption=text)
        for i, text in enumerate(dangerous)
    ]
    records.append(review_row(9, 2, "facebook", (False,) * 5, None, True, False, caption=""))
    frame = xlsx_frame(pd.DataFrame(records), WIB, NAMES, LEVELS)
    data = review_xlsx(frame, "Unggahan 2026-11")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None and sheet.title == "Unggahan 2026-11"
    header = [c.value for c in sheet[1]]
    caption_col = header.index("Keterangan unggahan") + 1
    for row, text in enumerate(dangerous, start=2):
        cell = sheet.cell(row, caption_col)
        assert cell.value == text and cell.data_type == "s" and cell.quotePrefix
    posted = sheet.cell(2, header.index("Waktu unggah (WIB)") + 1).value
    assert posted == datetime(2026, 11, 26, 13, 0)  # local wall time, no zone
    score = sheet.cell(6, header.index("Skor") + 1)
    assert score.value is None  # no text, no score
    assert sheet.cell(2, header.index("Skor") + 1).value == 90
    assert sheet.cell(2, header.index("Ditindaklanjuti oleh") + 1).value == "peninjau"
    assert sheet.cell(6, header.index("Di luar aturan") + 1).value == "Ya"
    assert sheet.cell(6, header.index("Tingkat pejabat") + 1).value == "Lainnya (di luar arahan)"
