"""Every page through AppTest, started from app.py, on an empty and on a filled database."""

from __future__ import annotations

from datetime import datetime

from streamlit.testing.v1 import AppTest

from db.engine import make_engine, make_session_factory
from tests.app_support import (
    ROOT,
    choose_month,
    migrated,
    run_page,
    shown_cells,
    table_with,
    texts,
)
from tests.sample_world import build_sample_world

PAGES = ["pages/ringkasan.py", "pages/peringkat.py"]


def test_unmigrated_database_gets_a_clear_instruction(app_db: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert "python cli.py init" in at.error[0].value


def test_ringkasan_on_empty_database(app_db: str) -> None:
    migrated(app_db)
    at = run_page(PAGES[0])
    assert at.title[0].value == "Ringkasan"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Akun dipantau"] == "0" and metrics["Dorman"] == "0"
    assert "Belum ada data untuk ditampilkan." in texts(at)
    assert "DATA DEMO" not in texts(at)


def test_ringkasan_on_sample_world(app_db: str, fixed_now: datetime) -> None:
    migrated(app_db)
    with make_session_factory(make_engine(app_db))() as session:
        build_sample_world(session, now=fixed_now)
    at = choose_month(run_page(PAGES[0]), "2026-11")  # the running month: the world's now
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Akun dipantau"] == "5"
    assert (metrics["Aktif"], metrics["Perlu perhatian"], metrics["Dorman"]) == ("1", "1", "2")
    assert metrics["Belum ada data"] == "1"
    attention = shown_cells(at.dataframe[0])
    # the dormant account that never posted leads, then the longest silence
    assert attention["Akun"].tolist()[:2] == ["demo.dedai", "demo.dpupr"]
    assert attention["Tanpa unggahan"].tolist()[:2] == ["belum pernah", "60 hari"]
    assert len(at.get("plotly_chart")) == 3


def test_peringkat_on_empty_database(app_db: str) -> None:
    migrated(app_db)
    at = run_page(PAGES[1])
    assert at.title[0].value == "Peringkat"
    assert "Belum ada data untuk ditampilkan." in texts(at)


def test_peringkat_ranks_and_filters(app_db: str, fixed_now: datetime) -> None:
    migrated(app_db)
    with make_session_factory(make_engine(app_db))() as session:
        build_sample_world(session, now=fixed_now)
    at = choose_month(run_page(PAGES[1]), "2026-11")  # the running month: the world's now
    table = at.dataframe[0].value
    assert table["Akun"].tolist()[0] == "demo.dinkes"
    assert table["Peringkat"].tolist()[0] == 1
    assert {"Indeks Kinerja Akun", "Tingkat interaksi", "Status"} <= set(table.columns)
    at.multiselect(key="peringkat_platform").set_value(["facebook"]).run()
    filtered = at.dataframe[0].value
    assert filtered["Platform"].tolist() == ["Facebook"]
    at.radio(key="peringkat_by").set_value("opd").run()
    by_opd = at.dataframe[0].value
    assert "Dinas Kesehatan" in by_opd["OPD"].tolist()
    assert by_opd["Platform"].unique().tolist() == ["Semua"]


def test_ringkasan_on_the_demo_world(demo_app: str) -> None:
    at = choose_month(run_page(PAGES[0]), "2026-11")  # the running month: the world's now
    assert "DATA DEMO" in texts(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Akun dipantau"] == "129"
    statuses = ("Aktif", "Perlu perhatian", "Dorman", "Tidak terbaca", "Belum ada data")
    assert sum(int(metrics[k]) for k in statuses) == 129
    assert metrics["Tidak terbaca"] == "3"  # the demo's personal, missing and token-less ones
    assert int(metrics["Dorman"]) >= 5  # the demo world has dormant habits on purpose
    assert "." in metrics["Total pengikut"]  # Indonesian thousands separator
    attention = shown_cells(at.dataframe[0])
    assert len(attention) == 5 and attention["Status"].iloc[0] == "Dorman"
    assert all(handle.startswith("demo") for handle in attention["Akun"])
    assert attention.columns.tolist()[:5] == [
        "OPD", "Akun", "Tanpa unggahan", "Admin", "Telepon admin",
    ]  # fmt: skip
    assert "OPD yang belum punya akun" in [h.value for h in at.subheader]
    no_account = shown_cells(at.dataframe[1])
    assert len(no_account) == 2 and set(no_account["Akun"]) == {"belum punya akun"}


def test_peringkat_on_the_demo_world(demo_app: str) -> None:
    at = choose_month(run_page(PAGES[1]), "2026-11")  # the running month: the world's now
    assert "DATA DEMO" in texts(at)
    table = shown_cells(at.dataframe[0])
    assert len(table) == 126  # the three accounts Pantau cannot read are listed apart
    # the key columns and the full table; the three are listed with their reasons, not in one
    assert len(at.dataframe) == 2
    assert table.columns.tolist()[:5] == ["Peringkat", "Perubahan", "OPD", "Platform", "Akun"]
    assert len(table.columns) <= 11 and len(shown_cells(at.dataframe[1]).columns) > 15
    assert "Tidak diberi peringkat" in [h.value for h in at.subheader]
    assert sum(texts(at).count(h) for h in ("demo.diskominfo", "demo.kectempunak")) == 2
    assert at.dataframe[0].value["Peringkat"].is_monotonic_increasing  # numbers, not texts
    assert set(table["Status"]) <= {"Aktif", "Perlu perhatian", "Dorman", "Belum ada data"}
    assert table["Tingkat interaksi"].str.endswith("%").any()
    websites = table[table["Platform"] == "Situs web"]
    assert (websites["Tingkat interaksi"] == "–").all()
    assert "OPD yang belum punya akun" not in [h.value for h in at.subheader]
    at.radio(key="peringkat_by").set_value("opd").run()
    assert "OPD yang belum punya akun" in [h.value for h in at.subheader]
    assert len(table_with(at, "Kategori")) == 2


def test_caption_checker_and_guide_open_without_a_database(app_db: str) -> None:
    for page, title in (("pages/cek_caption.py", "Cek Caption"), ("pages/panduan.py", "Panduan")):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
        at.switch_page(page)
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        assert not at.error, [e.value for e in at.error]
        assert at.title[0].value == title
