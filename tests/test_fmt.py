from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core import fmt


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(12345, 0, "12.345"), (1234567.891, 2, "1.234.567,89"), (0, 0, "0"), (-1500, 0, "-1.500"),
     (None, 0, "–"), (float("nan"), 1, "–")],
)  # fmt: skip
def test_number(value: float | None, decimals: int, expected: str) -> None:
    assert fmt.number(value, decimals) == expected


def test_percent_and_signed() -> None:
    assert fmt.percent(1.142857) == "1,14%"
    assert fmt.signed_percent(2.5) == "+2,5%"
    assert fmt.signed_percent(-0.25, 2) == "-0,25%"
    assert fmt.signed_percent(None) == "–"


def test_dates_in_indonesian_and_wib() -> None:
    assert fmt.long_date(date(2026, 11, 26)) == "26 November 2026"
    # 20:30 UTC on the 25th is already the 26th in WIB (UTC+7)
    late = datetime(2026, 11, 25, 20, 30, tzinfo=UTC)
    assert fmt.long_date(late) == "26 November 2026"
    assert fmt.date_time(late) == "26 November 2026 03.30 WIB"
    assert fmt.month_name("2026-08") == "Agustus 2026"


def test_delta_text_hides_unknown_values() -> None:
    assert fmt.delta_text(0.912, "bulan ini") == "+0,91% bulan ini"
    assert fmt.delta_text(float("nan"), "bulan ini") is None


def test_column_formatting_matches_cell_formatting() -> None:
    import pandas as pd

    from ui.tables import display_table

    frame = pd.DataFrame(
        {"followers": [12345, None, 0], "engagement_rate": [1.14285, None, 0.0],
         "growth_weekly": [2.5, -0.25, None], "score": [97.84, None, 3.0],
         "days_since_last_post": [3.0, None, 1234.0], "caption_score": [None, 88.0, 100.0]}
    )  # fmt: skip
    out = display_table(frame, list(frame.columns))
    assert out["Pengikut"].tolist() == ["12.345", "–", "0"]
    assert out["Tingkat interaksi"].tolist() == ["1,14%", "–", "0,00%"]
    assert out["Pertumbuhan/minggu"].tolist() == ["+2,50%", "-0,25%", "–"]
    assert out["Indeks aktivitas"].tolist() == ["97,8", "–", "3,0"]
    assert out["Tanpa unggahan"].tolist() == ["3 hari", "belum pernah", "1.234 hari"]
    assert out["Skor caption"].tolist() == ["belum dinilai", "88", "100"]
    for value in (12345, 0.5, 1234567.891):
        assert display_table(pd.DataFrame({"score": [value]}), ["score"])["Indeks aktivitas"][
            0
        ] == fmt.number(value, 1)
