"""Briefing tables on a page (reports.table_view): values stay values, cells read as in the PDF."""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd

from present.tables import TableView
from reports.table_view import table_view
from reports.tables import Table, format_cell


def _dormant() -> Table:
    frame = pd.DataFrame(
        {
            "OPD": ["Dinas Perikanan", "Kecamatan Ketungau Hulu", "Dinas Pariwisata"],
            "Kode OPD": ["DISKAN", "KEC-KH", "DISPAR"],
            "Tanpa unggahan": [88.0, math.nan, 239.0],
            "Unggahan terakhir": [date(2026, 9, 9), None, date(2026, 3, 30)],
            "Perubahan": [2.0, math.nan, -1.0],
            "Waktu": [datetime(2026, 10, 3, 19, 5), datetime(2026, 10, 21, 7, 30), None],
            "Caption": ["Gotong royong membersihkan pasar ikan " * 5, "", "Festival budaya"],
            "Tautan": ["https://example.org/p/1", None, "https://example.org/p/3"],
        }
    )
    kinds = {
        "Tanpa unggahan": "days", "Unggahan terakhir": "date", "Perubahan": "change",
        "Waktu": "datetime", "Caption": "caption",
    }  # fmt: skip
    return Table("Dorman", "Akun dorman", frame, kinds)


def _view() -> TableView:
    headers = ["OPD", "Tanpa unggahan", "Unggahan terakhir", "Perubahan", "Waktu", "Caption"]
    return table_view(_dormant(), [*headers, "Tautan"])


def test_numbers_and_dates_stay_values_and_codes_stay_out() -> None:
    view = _view()
    assert "Kode OPD" not in view.frame.columns
    assert view.frame["Tanpa unggahan"].dtype == "float64"
    assert isinstance(view.frame["Unggahan terakhir"].dtype, pd.DatetimeTZDtype)
    assert view.columns["Tautan"].kind == "link"


def test_a_days_column_sorts_by_value_with_never_posted_as_the_longest() -> None:
    sortable = _view().sortable()
    order = sortable.sort_values("Tanpa unggahan", ascending=False)["OPD"].tolist()
    assert order == ["Kecamatan Ketungau Hulu", "Dinas Pariwisata", "Dinas Perikanan"]
    by_date = sortable.sort_values("Unggahan terakhir")["OPD"].tolist()
    assert by_date[0] == "Kecamatan Ketungau Hulu"  # no last post: the oldest end
    assert by_date[1:] == ["Dinas Pariwisata", "Dinas Perikanan"]


def test_cells_read_as_in_the_pdf() -> None:
    part, texts = _dormant(), _view().texts()
    assert texts["Tanpa unggahan"].tolist() == ["88 hari", "belum pernah", "239 hari"]
    assert texts["Unggahan terakhir"].tolist() == ["9 September 2026", "–", "30 Maret 2026"]
    assert texts["Perubahan"].tolist() == ["▲ 2", "baru", "▼ 1"]
    assert texts["Waktu"].tolist()[:2] == ["3 Oktober 2026 19.05", "21 Oktober 2026 07.30"]
    assert texts["Waktu"].tolist()[2] == "–"
    for header in ("Tanpa unggahan", "Perubahan", "Caption"):  # as Table.display reads them
        expected = [format_cell(v, part.kind(header)) for v in part.frame[header]]
        assert texts[header].tolist() == expected
    assert texts["Caption"][0].endswith("…") and texts["Caption"][1] == "(tanpa caption)"
