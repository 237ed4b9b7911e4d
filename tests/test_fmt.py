from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core import fmt


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(12345, 0, "12.345"), (1234567.891, 2, "1.234.567,89"), (0, 0, "0"), (-1500, 0, "−1.500"),
     (None, 0, "–"), (float("nan"), 1, "–")],
)  # fmt: skip
def test_number(value: float | None, decimals: int, expected: str) -> None:
    assert fmt.number(value, decimals) == expected


def test_percent_and_signed() -> None:
    assert fmt.percent(1.142857) == "1,14%"
    assert fmt.signed_percent(2.5) == "+2,5%"
    assert fmt.signed_percent(-0.25, 2) == "−0,25%"
    assert fmt.signed_percent(None) == "–"


def test_dates_in_indonesian_and_wib() -> None:
    assert fmt.long_date(date(2026, 11, 26)) == "26 November 2026"
    # 20:30 UTC on the 25th is already the 26th in WIB (UTC+7)
    late = datetime(2026, 11, 25, 20, 30, tzinfo=UTC)
    assert fmt.long_date(late) == "26 November 2026"
    assert fmt.date_time(late) == "26 November 2026 03.30 WIB"
    assert fmt.month_name("2026-08") == "Agustus 2026"


def test_column_formatting_matches_cell_formatting() -> None:
    import pandas as pd

    from present.tables import display_table
    from tests.app_support import table_texts

    frame = pd.DataFrame(
        {"followers": [12345, None, 0], "engagement_rate": [1.14285, None, 0.0],
         "growth_weekly": [2.5, -0.25, None], "score": [97.84, None, 3.0],
         "days_since_last_post": [3.0, None, 1234.0], "caption_score": [None, 88.0, 100.0]}
    )  # fmt: skip
    out = table_texts(display_table(frame, list(frame.columns)))
    assert out["Pengikut"].tolist() == ["12.345", "–", "0"]
    assert out["Tingkat interaksi"].tolist() == ["1,14%", "–", "0,00%"]
    assert out["Pertumbuhan/minggu"].tolist() == ["+2,50%", fmt.signed_percent(-0.25, 2), "–"]
    assert out["Indeks Kinerja Akun"].tolist() == ["97,8", "–", "3,0"]
    assert out["Tanpa unggahan"].tolist() == ["3 hari", "belum pernah", "1.234 hari"]
    assert out["Skor caption"].tolist() == ["belum dinilai", "88", "100"]
    for value in (12345, 0.5, 1234567.891):
        shown = table_texts(display_table(pd.DataFrame({"score": [value]}), ["score"]))
        assert shown["Indeks Kinerja Akun"][0] == fmt.number(value, 1)


@pytest.mark.parametrize("value", [None, float("nan"), "pd.NA", "pd.NaT"])
def test_every_missing_value_reads_as_a_dash(value: object) -> None:
    import pandas as pd

    missing = {"pd.NA": pd.NA, "pd.NaT": pd.NaT}.get(str(value), value)
    assert fmt.number(missing) == fmt.percent(missing) == fmt.signed_percent(missing) == "–"
    if value in ("pd.NaT", None):
        assert fmt.long_date(missing) == fmt.date_time(missing) == "–"


def _wib(day: int, month: int, hour: int, minute: int, year: int = 2026) -> datetime:
    """A moment given in WIB (UTC+7), as the UTC instant the database stores."""
    from datetime import timedelta

    return datetime(year, month, day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


@pytest.mark.parametrize(
    ("posted", "now", "expected"),
    [
        # the report: a post from 17.15 WIB yesterday, read at 00.29 WIB (7 hours later)
        (_wib(25, 11, 17, 15), _wib(26, 11, 0, 29), "kemarin"),
        (_wib(26, 11, 0, 1), _wib(26, 11, 0, 29), "hari ini"),
        (_wib(26, 11, 0, 0), _wib(26, 11, 23, 59), "hari ini"),  # 23 h 59 min: same date
        (_wib(25, 11, 23, 59), _wib(26, 11, 0, 0), "kemarin"),  # one minute: another date
        (_wib(25, 11, 0, 1), _wib(26, 11, 23, 59), "kemarin"),  # almost 48 hours
        (_wib(24, 11, 23, 59), _wib(26, 11, 0, 29), "2 hari yang lalu"),  # 24 h 30 min
        # month and year ends
        (_wib(31, 10, 22, 0), _wib(1, 11, 0, 29), "kemarin"),
        (_wib(30, 11, 17, 15), _wib(1, 12, 0, 29), "kemarin"),
        (_wib(31, 12, 23, 0, 2025), _wib(1, 1, 0, 5), "kemarin"),
        (_wib(28, 2, 12, 0), _wib(1, 3, 0, 29), "kemarin"),  # 2026 is no leap year
        (_wib(1, 11, 0, 29), _wib(1, 12, 0, 29), "30 hari yang lalu"),
        (_wib(26, 11, 10, 0), _wib(26, 11, 9, 0), "hari ini"),  # a clock ahead: not the future
    ],
)
def test_days_ago_counts_wib_calendar_dates(posted: datetime, now: datetime, expected: str) -> None:
    assert fmt.days_ago(posted, now) == expected


def test_utc_dates_are_not_wib_dates() -> None:
    # 16.59 UTC and 17.01 UTC are one UTC date but two WIB dates (23.59 and 00.01 WIB)
    before = datetime(2026, 11, 30, 16, 59, tzinfo=UTC)
    after = datetime(2026, 11, 30, 17, 1, tzinfo=UTC)
    assert fmt.calendar_days(before, after) == 1 and fmt.days_ago(before, after) == "kemarin"
    # and 23.00 UTC on the 30th with 01.00 UTC on 1 December share the WIB date 1 December
    assert (
        fmt.days_ago(datetime(2026, 11, 30, 23, tzinfo=UTC), datetime(2026, 12, 1, 1, tzinfo=UTC))
        == "hari ini"
    )
