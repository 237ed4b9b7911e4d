"""Every chart the product draws keeps its labels inside the figure and apart (issue #17).

Each figure is built from small hand-made frames with long Indonesian OPD names, then measured
in Debian's Chromium (tests/chart_fit.py): as the static SVG of present.export (the briefing's
images and the "Unduh" buttons, kaleido) and as the live plotly.js chart on a 390 px phone and
a 1366 px screen. A text reaching beyond the figure's edge, or two texts drawn over one
another, fails the test.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from playwright.sync_api import Page, sync_playwright

from present import charts, charts_account, export
from present.opd_performance import trend_chart
from reports.content import dormant_trend_chart
from tests.chart_fit import Measured, measure_live, measure_svg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from screenshots import launch

pytestmark = pytest.mark.skipif(not export.export_available(), reason="Chromium is not installed")

LONG_NAMES = [
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "Satuan Polisi Pamong Praja dan Pemadam Kebakaran",
    "Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
    "Badan Pengelolaan Keuangan dan Aset Daerah",
    "Bagian Protokol dan Komunikasi Pimpinan Setda",
    "Kecamatan Ketungau Tengah",
]
PLATFORMS = ["instagram", "facebook", "youtube", "tiktok", "x", "website"]
MONTHS = [f"{y}-{m:02d}" for y, m in [(2025, 12)] + [(2026, m) for m in range(1, 12)]]
WIDTHS = (390, 1366)  # a phone and an office screen
IMAGE_WIDTHS = (1200, 1000)  # the briefing's PNGs (reports.CHART_IMAGE) and the SVG download


def ranked(rows: int = 15, platform: str | None = None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "opd_code": [f"OPD{i}" for i in range(rows)],
            "opd_name": [LONG_NAMES[i % len(LONG_NAMES)] for i in range(rows)],
            "platform": [platform or PLATFORMS[i % len(PLATFORMS)] for i in range(rows)],
            "score": [98.7 - 4.1 * i for i in range(rows)],
        }
    )


def monthly() -> pd.DataFrame:
    rows = [
        {"month": m, "platform": p, "posts": 40 + 7 * i + j, "followers": 120_000.0 + 900 * i}
        for i, m in enumerate(MONTHS)
        for j, p in enumerate(PLATFORMS)
    ]
    return pd.DataFrame(rows)


def calendar(days: int = 180) -> pd.DataFrame:
    first = date(2026, 6, 1)  # a Monday
    rows = []
    for n in range(days):
        day = first + timedelta(days=n)
        week = day - timedelta(days=day.weekday())
        rows.append({"day": day, "weekday": day.weekday(), "week_start": week, "posts": n % 4})
    return pd.DataFrame(rows)


def snapshots(column: str, start: int) -> pd.DataFrame:
    at = pd.date_range("2026-06-01T01:00Z", periods=180, freq="D")
    return pd.DataFrame({"observed_at": at, column: [start + 37 * i for i in range(180)]})


def slots() -> pd.DataFrame:
    rows = [
        {"weekday": d, "hour": h, "posts": 2 + (d + h) % 3, "engagement_rate": 0.5 + (h % 7) / 3}
        for d in range(7)
        for h in range(5, 23)
    ]
    return pd.DataFrame(rows)


def figures() -> dict[str, go.Figure]:
    compliance = ranked().assign(complete_pct=np.linspace(96.0, 12.5, 15))
    captions = pd.DataFrame(
        {
            "month": MONTHS[-6:],
            "scored_posts": [30] * 6,
            "caption_score": [61.0, 65, 70, 68, 72, 75],
        }
    )
    statuses = pd.Series(["active"] * 60 + ["low_activity"] * 20 + ["dormant"] * 9 + ["no_data"])
    trend = pd.DataFrame({"month": MONTHS[-6:], "posts": [41, 38, 52, 47, 60, 55],
                          "score": [71.5, 68.0, 74.2, 70.1, 77.9, 80.3]})  # fmt: skip
    return {
        "ranking": charts.ranking_chart(ranked()),
        "ranking_opd": charts.ranking_chart(ranked(10, "semua"), top=10),
        "compliance": charts.compliance_chart(compliance),
        "posts": charts.monthly_posts_chart(monthly()),
        "followers": charts.monthly_followers_chart(monthly()),
        "status": charts.status_chart(statuses),
        "opd_trend": trend_chart(trend),
        "dormant_trend": dormant_trend_chart(
            pd.DataFrame(
                {"month": MONTHS[-6:], "dormant": [1_204, 1_187, 1_310, 1_296, 1_342, 1_275]}
            )
        ),
        "account_followers": charts_account.followers_chart(snapshots("followers", 1_234_567)),
        "account_following": charts_account.following_chart(snapshots("following", 120)),
        "account_calendar": charts_account.calendar_chart(calendar()),
        "account_captions": charts_account.caption_trend_chart(captions),
        "account_times": charts_account.time_heatmap(slots()),
    }


FIGURES = figures()


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    with sync_playwright() as pw:
        browser = launch(pw)
        yield browser.new_page()
        browser.close()


@pytest.fixture(scope="module")
def images() -> dict[tuple[str, int], bytes]:
    """Every figure as SVG at each image width, in one kaleido session."""
    keys = [(name, width) for width in IMAGE_WIDTHS for name in FIGURES]
    specs = [export.ImageSpec(width=width, scale=1) for _, width in keys]
    svgs = export.export_images([FIGURES[name] for name, _ in keys], "svg", specs)
    return dict(zip(keys, svgs, strict=True))


def assert_fits(measured: Measured) -> None:
    assert measured.boxes, "no text measured"
    assert measured.cut() == []
    assert measured.overlapping() == []


@pytest.mark.parametrize("name", FIGURES)
@pytest.mark.parametrize("width", IMAGE_WIDTHS)
def test_exported_image_keeps_every_label(
    page: Page, images: dict[tuple[str, int], bytes], name: str, width: int
) -> None:
    assert_fits(measure_svg(page, images[(name, width)]))


@pytest.mark.parametrize("name", FIGURES)
@pytest.mark.parametrize("width", WIDTHS)
def test_screen_chart_keeps_every_label(page: Page, name: str, width: int) -> None:
    assert_fits(measure_live(page, FIGURES[name], width))


def test_the_check_finds_a_cut_label(page: Page) -> None:
    """The old layout (10 px left margin, no automatic margin) with a long name is caught."""
    fig = go.Figure(
        go.Bar(x=[80, 40], y=[f"{LONG_NAMES[1]} · Instagram", "Dinkes"], orientation="h")
    )
    fig.update_layout(margin={"l": 10, "r": 10, "t": 50, "b": 10}, height=300)
    fig.update_yaxes(automargin=False)
    svg = export.export_images([fig], "svg", export.ImageSpec(width=1000, scale=1))[0]
    assert any("Badan Kepegawaian" in cut for cut in measure_svg(page, svg).cut())


def test_the_check_finds_overlapping_labels(page: Page) -> None:
    fig = go.Figure(go.Bar(x=[f"Bulan ke-{i} tahun 2026" for i in range(24)], y=list(range(24))))
    fig.update_xaxes(tickangle=0)
    assert measure_live(page, fig, 390).overlapping()


def test_bars_are_named_not_coded() -> None:
    fig = FIGURES["ranking"]
    labels = list(fig.layout.yaxis.ticktext)
    assert labels[0] == "Dinas Kependudukan dan<br>Pencatatan… · Instagram"
    assert not any("OPD" in label for label in labels)
    assert fig.data[0].customdata[1] == (
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia · Facebook"
    )
    assert all(len(line) <= charts.LABEL_WIDTH for label in labels for line in label.split("<br>"))
