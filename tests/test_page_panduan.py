"""Panduan through AppTest: the guide shows the live thresholds and weights from settings."""

from __future__ import annotations

import pytest

from core.settings import Settings
from tests.app_support import migrated, run_page, texts
from ui.loaders_account import guide_text

PAGE = "pages/panduan.py"


def test_guide_with_default_settings(app_db: str) -> None:
    migrated(app_db)
    at = run_page(PAGE)
    assert at.title[0].value == "Panduan"
    shown = texts(at)
    assert "paling lama 14 hari yang lalu" in shown
    assert "15–30 hari yang lalu" in shown
    assert "lebih dari 30 hari" in shown
    assert "| Konsistensi | 35% |" in shown and "| Caption | 15% |" in shown
    assert "**1,14%**" in shown and "**100% per minggu**" in shown
    assert "tidak tersedia" in shown
    assert "Bidang Komunikasi Publik, Diskominfo Kabupaten Sintang" in shown
    assert "Postingan harus menampilkan nama pejabatnya" in shown
    for level in ("Bupati/Wakil Bupati", "Kepala OPD/Camat", "Lainnya (di luar arahan)"):
        assert level in shown
    assert "DATA DEMO" not in shown


def test_guide_follows_the_thresholds_in_settings(
    app_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PANTAU_ACTIVE_DAYS", "10")
    monkeypatch.setenv("PANTAU_INDEX_WEIGHTS", "consistency=1,engagement=1,growth=1,caption=1")
    migrated(app_db)
    shown = texts(run_page(PAGE))
    assert "paling lama 10 hari yang lalu" in shown
    assert "11–30 hari yang lalu" in shown
    assert "14 hari yang lalu" not in shown
    assert "| Konsistensi | 25% |" in shown


def test_guide_names_per_platform_thresholds() -> None:
    text = guide_text(Settings(thresholds="youtube=30:60"))
    assert "YouTube: aktif sampai 30 hari, dorman lebih dari 60 hari" in text
    assert "semua platform" not in guide_text(Settings(thresholds="youtube=30:60"))
    assert "Ambang yang sama berlaku untuk semua platform." in guide_text(Settings())


def test_guide_shows_no_demo_label_even_on_the_demo_world(demo_app: str) -> None:
    at = run_page(PAGE)  # the guide shows no data, so the demo label would only mislead
    assert "DATA DEMO" not in texts(at) and "Panduan" in at.title[0].value
