"""Tinjauan Bulanan through AppTest from app.py: empty database, demo world, exports."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from present import export
from tests.app_support import run_page, shown_cells, table_with, texts

PAGE = "pages/tinjauan_bulanan.py"


def downloads(at: AppTest) -> list[str]:
    return [el.proto.label for el in at.get("download_button")]


def click(at: AppTest, kind: str) -> AppTest:
    at.button(key=f"tinjauan_build_{kind}").click()
    at.run(timeout=120)
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_empty_database(empty_app: str, fixed_now: object) -> None:
    at = run_page(PAGE)
    assert at.title[0].value == "Tinjauan Bulanan"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Akun dipantau"] == "0"
    shown = texts(at)
    # at FIXED_NOW (26 November) the page opens on October, the last complete month
    assert "Oktober 2026 dibandingkan dengan September 2026" in shown
    assert "Belum ada data untuk ditampilkan." in shown
    assert "Belum ada unggahan dengan data interaksi di Oktober 2026." in shown
    assert "DATA DEMO" not in shown
    assert len(at.button) == 3


def test_demo_world(demo_app: str) -> None:
    at = run_page(PAGE)
    shown = texts(at)
    assert "DATA DEMO" in shown
    metrics = {m.label: m for m in at.metric}
    assert metrics["Akun dipantau"].value == "129"
    # it opens on October, the last complete month at FIXED_NOW, against all of September
    assert str(metrics["Unggahan"].proto.delta).endswith(" dari September 2026")
    assert "caption di Oktober 2026 memuat kelima unsur" in shown


def test_tables_keep_values_and_read_in_indonesian(demo_app: str) -> None:
    at = run_page(PAGE)
    up, down = at.dataframe[0], at.dataframe[1]
    for element, arrow, sign in ((up, "▲", 1), (down, "▼", -1)):
        values = element.value
        assert list(values.columns[:3]) == ["OPD", "Akun", "Platform"]  # names, not codes
        assert "Kode OPD" not in values.columns
        assert values["Perubahan"].dtype == "float64" and (values["Perubahan"] * sign > 0).all()
        assert shown_cells(element)["Perubahan"].str.fullmatch(arrow + r" \d+").all()

    best = table_with(at, "Dibanding biasanya")
    values = next(e.value for e in at.dataframe if "Dibanding biasanya" in e.value.columns)
    assert len(best) == 10 and values["Interaksi"].dtype == "float64"
    assert best["Interaksi"].str.fullmatch(r"\d{1,3}(\.\d{3})*").all()  # 12.345, as numbers
    assert best["Waktu"].str.contains(r" 2026 \d\d\.\d\d$", regex=True).all()

    compliance = table_with(at, "Lima unsur lengkap")
    values = next(e.value for e in at.dataframe if "Lima unsur lengkap" in e.value.columns)
    assert list(compliance.columns[:2]) == ["OPD", "Skor caption"]
    assert values["Lima unsur lengkap"].dtype == "float64"
    assert compliance["Lima unsur lengkap"].str.fullmatch(r"\d+(,\d)?%|–").all()


def test_svg_download_is_lazy_and_png_stays_in_the_toolbar(demo_app: str) -> None:
    at = run_page(PAGE)
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    config = charts[0].proto.config
    assert '"format": "png"' in config or '"format":"png"' in config
    assert "Unduh SVG" in downloads(at)


def test_xlsx_export_on_click(demo_app: str) -> None:
    at = run_page(PAGE)
    assert not downloads(at) or "Unduh XLSX (tabel)" not in downloads(at)
    click(at, "xlsx")
    assert "Unduh XLSX (tabel)" in downloads(at)
    month = at.selectbox(key="tinjauan_month").value
    assert at.session_state[f"tinjauan_file_{month}_xlsx"][:2] == b"PK"  # the xlsx container
    assert f"tinjauan_file_{month}_pdf" not in at.session_state


def test_missing_chromium_is_explained(demo_app: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    at = click(run_page(PAGE), "pptx")
    assert export.MESSAGE_ID in [e.value for e in at.error]
    assert "Unduh PPTX (paparan)" not in downloads(at)
    svg = next(el for el in at.get("download_button") if el.proto.label == "Unduh SVG")
    assert svg.proto.disabled


@pytest.mark.skipif(not export.export_available(), reason="no Chromium")
def test_pptx_export_on_click(demo_app: str) -> None:
    at = click(run_page(PAGE), "pptx")
    assert not at.error
    assert "Unduh PPTX (paparan)" in downloads(at)
