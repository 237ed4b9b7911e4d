"""Tinjauan Bulanan through AppTest from app.py: empty database, demo world, exports."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from present import export
from tests.app_support import run_page, texts

PAGE = "pages/tinjauan_bulanan.py"


def downloads(at: AppTest) -> list[str]:
    return [el.proto.label for el in at.get("download_button")]


def click(at: AppTest, kind: str) -> AppTest:
    at.button(key=f"tinjauan_build_{kind}").click()
    at.run(timeout=120)
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_empty_database(empty_app: str) -> None:
    at = run_page(PAGE)
    assert at.title[0].value == "Tinjauan Bulanan"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Akun dipantau"] == "0"
    shown = texts(at)
    assert "Belum ada data untuk ditampilkan." in shown
    assert "Belum ada unggahan dengan data interaksi bulan ini." in shown
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
    movers_up = at.dataframe[0].value
    assert movers_up["Perubahan"].str.startswith("▲").all()
    assert at.dataframe[1].value["Perubahan"].str.startswith("▼").all()
    best = at.dataframe[2].value
    assert len(best) == 10 and best["Interaksi"].str.contains(r"^\d", regex=True).all()
    assert "Lima unsur lengkap" in at.dataframe[3].value.columns
    assert "caption bulan ini memuat kelima unsur" in shown


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
