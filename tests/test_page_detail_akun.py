"""Detail Akun through AppTest from app.py: empty database, sample world and demo world."""

from __future__ import annotations

from datetime import datetime

import pytest
from streamlit.testing.v1 import AppTest

from db.engine import make_engine, make_session_factory
from services.account_detail import account_list
from tests.app_support import ADMIN_USER, ROOT, migrated, run_page, shown_cells, signed_in, texts
from tests.sample_world import build_sample_world

PAGE = "pages/detail_akun.py"
POST_COLUMNS = [
    "Waktu unggah", "Caption", "Suka", "Komentar", "Dibagikan", "Tayangan", "Interaksi",
    "Tingkat interaksi", "Skor menonjol", "Tautan",
]  # fmt: skip


@pytest.fixture
def sample_app(app_db: str, fixed_now: datetime) -> dict[str, int]:
    migrated(app_db)
    with make_session_factory(make_engine(app_db))() as session:
        return build_sample_world(session, now=fixed_now)


def demo_account(url: str, platform: str, handle: str | None = None) -> int:
    with make_session_factory(make_engine(url))() as session:
        accounts = account_list(session)
    rows = accounts[accounts["platform"] == platform]
    if handle is not None:
        rows = rows[rows["handle"] == handle]
    return int(rows["account_id"].iloc[0])


def header(at: AppTest) -> str:
    return at.markdown[0].value


def test_empty_database_says_there_is_no_account(app_db: str) -> None:
    migrated(app_db)
    at = run_page(PAGE)
    assert at.title[0].value == "Detail Akun"
    assert "Belum ada akun yang dipantau" in texts(at)
    assert len(at.get("plotly_chart")) == 0


def test_sample_world_first_account(sample_app: dict[str, int]) -> None:
    at = run_page(PAGE)
    assert at.subheader[0].value == "Dinas Kesehatan"
    assert "**Instagram** · demo.dinkes · Status: **Aktif**" in header(at)
    assert "DATA DEMO" not in texts(at)
    metrics = {m.label: m.value for m in at.metric}
    assert 89 <= int(metrics["Unggahan dalam periode"]) <= 93  # a post a day for 3 months
    assert metrics["Tingkat balasan"] == "–"  # the caption below says why
    posts = shown_cells(at.dataframe[0])
    assert posts.columns.tolist() == POST_COLUMNS
    assert len(posts) == int(metrics["Unggahan dalam periode"])
    assert posts["Waktu unggah"].str.endswith(" WIB").all()
    assert posts["Tingkat interaksi"].str.endswith("%").all()
    # followers, posting calendar, caption quality, best time
    assert len(at.get("plotly_chart")) == 4


def test_sample_world_pick_a_quiet_account_and_period(sample_app: dict[str, int]) -> None:
    at = run_page(PAGE)
    at.selectbox(key="detail_akun").set_value(sample_app["dpupr_ig"]).run()
    assert "demo.dpupr" in header(at) and "**Dorman**" in header(at)
    # 60 days and 2 hours ago: 60 WIB calendar days back, or 61 just after midnight WIB
    assert "60 hari yang lalu" in header(at) or "61 hari yang lalu" in header(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Unggahan dalam periode"] == "5"
    at.selectbox(key="detail_periode").set_value(12).run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Unggahan dalam periode"] == "18"
    assert at.query_params["akun"] == str(sample_app["dpupr_ig"])


def test_sample_world_never_collected_account(sample_app: dict[str, int]) -> None:
    at = run_page(PAGE)
    at.selectbox(key="detail_akun").set_value(sample_app["dedai_yt"]).run()
    assert not at.exception
    assert "**Belum ada data**" in header(at) and "belum ada unggahan yang terbaca" in header(at)
    assert "Belum ada unggahan dalam periode ini." in texts(at)


def test_demo_world_hidden_counts(demo_app: str) -> None:
    at = run_page(PAGE)
    assert "DATA DEMO" in texts(at)
    at.selectbox(key="detail_akun").set_value(demo_account(demo_app, "instagram", "demo.dispusip"))
    at.selectbox(key="detail_periode").set_value(12).run()
    assert not at.exception
    assert at.subheader[0].value == "Dinas Perpustakaan dan Kearsipan"
    posts = shown_cells(at.dataframe[0])
    assert (posts["Suka"] == "tersembunyi").any()
    assert (posts["Interaksi"] == "tersembunyi").any()
    best, worst = at.dataframe[1].value, at.dataframe[2].value
    assert len(best) == len(worst) == 3
    assert best.columns.tolist() == POST_COLUMNS
    tags = next(d.value for d in at.dataframe if "Tagar" in d.value.columns)
    assert tags["Tagar"].str.startswith("#").all()
    charts = [chart.key for chart in at.get("plotly_chart")]
    assert len(charts) == 5 and "detail_following" in charts  # the demo's history has it
    following = next(m for m in at.metric if m.label == "Mengikuti")
    assert following.value.replace(".", "").isdigit()


def test_demo_world_website_hides_follower_sections(demo_app: str) -> None:
    at = run_page(PAGE)
    at.selectbox(key="detail_akun").set_value(demo_account(demo_app, "website")).run()
    assert "**Situs web**" in header(at)
    assert "Situs web tidak memiliki pengikut" in texts(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tingkat interaksi"] == "–" and "Pengikut sekarang" not in metrics
    posts = shown_cells(at.dataframe[0])
    assert set(posts["Interaksi"]) == {"tidak berlaku"}
    assert len(at.get("plotly_chart")) == 2  # posting calendar and caption quality only


def test_account_from_the_url(sample_app: dict[str, int]) -> None:
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), ADMIN_USER)
    at.query_params["akun"] = str(sample_app["dishub_fb"])
    at.switch_page(PAGE).run()
    assert not at.exception
    assert "demo.dishub" in header(at) and "**Facebook**" in header(at)
