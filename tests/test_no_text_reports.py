"""The briefing's tables and sentences with posts without text and unknown values (issue #13)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from reports.content import NO_CAPTION, short_caption
from reports.tables import Kpi, Table, format_cell, local_date
from reports.takeaways import best_posts_takeaway, compliance_takeaway


@pytest.mark.parametrize("caption", [None, np.nan, pd.NA, "", "  \n\t"])
def test_a_best_post_without_caption_says_so(caption: object) -> None:
    assert short_caption(caption) == NO_CAPTION  # never "nan" or "<NA>"


def test_short_caption_keeps_emoji_and_cuts_long_text() -> None:
    assert short_caption("🙏📸") == "🙏📸"
    assert short_caption("Rapat  koordinasi\n#sintang") == "Rapat koordinasi #sintang"
    long = short_caption("kata " * 50)
    assert len(long) == 110 and long.endswith("…")


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA, pd.NaT])
@pytest.mark.parametrize("kind", ["text", "int", "float", "pct", "date", "datetime", "times"])
def test_every_unknown_cell_reads_as_a_dash(missing: object, kind: str) -> None:
    assert format_cell(missing, kind) == "–"


def test_unknown_change_days_and_kpis() -> None:
    assert format_cell(pd.NA, "change") == "baru"
    assert format_cell(np.nan, "days") == "belum pernah"
    assert Kpi("Unggahan", 0, None).delta_text() == "–"
    assert Kpi("Median tingkat interaksi", float("nan"), 1.2, "pct").text() == "–"
    stamps = pd.Series([pd.NaT, datetime(2026, 11, 30, 17, 29, tzinfo=UTC)])
    assert local_date(stamps, "Asia/Pontianak").tolist()[0] is None
    assert str(local_date(stamps, "Asia/Pontianak").tolist()[1]) == "2026-12-01"
    table = Table("T", "T", pd.DataFrame({"Caption": [None, "Ada"]}), {"Caption": "text"})
    assert table.display()["Caption"].tolist() == ["–", "Ada"]


def test_compliance_takeaway_of_a_month_without_posts() -> None:
    empty = pd.DataFrame({"opd_code": ["A"], "posts": [0], "complete_pct": [np.nan]})
    nothing = "Belum ada caption yang dapat diperiksa di November 2026."
    assert compliance_takeaway(empty, "di November 2026") == nothing
    some = pd.DataFrame({"opd_code": ["A", "B"], "opd_name": ["Dinas Pangan", "Kecamatan Dedai"],
                         "posts": [2, 2], "complete_pct": [50.0, 0.0]})  # fmt: skip
    text = compliance_takeaway(some, "di bulan berjalan")
    assert text.startswith("25% caption di bulan berjalan memuat kelima unsur")
    assert "tertinggi Dinas Pangan (50%), terendah Kecamatan Dedai (0%)" in text  # full names


def test_best_posts_takeaway_without_posts() -> None:
    empty = pd.DataFrame(columns=["opd_code", "platform", "interactions"])
    assert best_posts_takeaway(empty, "di November 2026") == (
        "Belum ada unggahan dengan data interaksi di November 2026."
    )
