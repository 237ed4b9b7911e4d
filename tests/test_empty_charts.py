"""Charts without data show a sentence, not plotly's axes from -1 to 4 (issue #13), and a
calendar without posts never looks active."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from present import charts, charts_account
from present.charts import EMPTY_TEXT, compliance_chart, has_data
from present.charts_account import NO_POSTS_TEXT


def is_empty_state(fig: go.Figure, text: str = EMPTY_TEXT) -> bool:
    notes = [a.text for a in fig.layout.annotations]
    return (
        notes == [text]
        and fig.layout.xaxis.visible is False
        and fig.layout.yaxis.visible is False
        and fig.layout.showlegend is False
        and not has_data(fig)
    )


def shows_data(fig: go.Figure) -> bool:
    return has_data(fig) and not fig.layout.annotations and fig.layout.xaxis.visible is not False


MONTHLY = pd.DataFrame(
    {"month": ["2026-10", "2026-11", "2026-11"], "platform": ["instagram", "instagram", "x"],
     "posts": [4, 7, 2], "followers": [1200.0, 1250.0, np.nan]}
)  # fmt: skip
RANKED = pd.DataFrame(
    {"opd_code": ["DINKES", "DISHUB"], "opd_name": ["Dinas Kesehatan", "Dinas Perhubungan"],
     "platform": ["instagram", "facebook"], "score": [80.5, 12.0]}
)  # fmt: skip
COMPLIANCE = pd.DataFrame(
    {"opd_code": ["DINKES"], "opd_name": ["Dinas Kesehatan"], "complete_pct": [62.5]}
)
FOLLOWERS = pd.DataFrame(
    {"observed_at": pd.to_datetime(["2026-10-01T01:00Z", "2026-11-01T01:00Z"]),
     "followers": pd.array([1000, 1100], dtype="Int64")}
)  # fmt: skip
CAPTIONS = pd.DataFrame({"month": ["2026-11"], "scored_posts": [3], "caption_score": [72.0]})
SLOTS = pd.DataFrame({"weekday": [0], "hour": [9], "posts": [2], "engagement_rate": [1.5]})

Builder = Callable[[pd.DataFrame], go.Figure]
CASES: list[tuple[str, Builder, pd.DataFrame]] = [
    ("posts", charts.monthly_posts_chart, MONTHLY),
    ("followers", charts.monthly_followers_chart, MONTHLY),
    ("status", lambda f: charts.status_chart(f["status"]), pd.DataFrame({"status": ["active"]})),
    ("ranking", charts.ranking_chart, RANKED),
    ("compliance", compliance_chart, COMPLIANCE),
    ("account followers", charts_account.followers_chart, FOLLOWERS),
    ("caption trend", charts_account.caption_trend_chart, CAPTIONS),
    ("best time", charts_account.time_heatmap, SLOTS),
]


@pytest.mark.parametrize(("name", "build", "frame"), CASES, ids=[c[0] for c in CASES])
def test_no_rows_give_the_empty_state(name: str, build: Builder, frame: pd.DataFrame) -> None:
    assert shows_data(build(frame))
    assert is_empty_state(build(frame.iloc[0:0]))


@pytest.mark.parametrize(
    ("build", "frame"),
    [
        (charts.monthly_followers_chart, MONTHLY.assign(followers=np.nan)),
        (charts.ranking_chart, RANKED.assign(score=np.nan)),
        (charts_account.caption_trend_chart, CAPTIONS.assign(caption_score=np.nan)),
        (charts_account.time_heatmap, SLOTS.assign(engagement_rate=np.nan)),
        (charts_account.followers_chart, FOLLOWERS.assign(followers=pd.NA)),
    ],
)
def test_only_unknown_values_give_the_empty_state(build: Builder, frame: pd.DataFrame) -> None:
    assert is_empty_state(build(frame))


def test_a_month_of_zero_posts_is_data_on_an_axis_from_zero() -> None:
    fig = charts.monthly_posts_chart(MONTHLY.assign(posts=0))
    assert shows_data(fig) and fig.layout.yaxis.rangemode == "tozero"


# ---- the posting calendar of Detail Akun ----------------------------------------------------


def calendar(posts: dict[int, int] | None = None, days: int = 92) -> pd.DataFrame:
    """Every day from 1 September 2026, with ``posts`` on the given day numbers."""
    dates = pd.date_range("2026-09-01", periods=days, freq="D")
    counts = [(posts or {}).get(i, 0) for i in range(days)]
    week = (dates - pd.to_timedelta(dates.day_of_week, unit="D")).date
    return pd.DataFrame(
        {"day": dates.date, "weekday": dates.day_of_week, "week_start": week, "posts": counts}
    )


def _luminance(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_a_calendar_without_posts_shows_the_empty_state() -> None:
    fig = charts_account.calendar_chart(calendar())
    assert is_empty_state(fig, NO_POSTS_TEXT)
    assert not fig.data  # no heatmap at all: nothing can look active


def test_a_quiet_calendar_is_light_and_anchored_at_zero() -> None:
    fig = charts_account.calendar_chart(calendar({5: 1}))
    heat = fig.data[0]
    assert heat.zmin == 0 and heat.zmax == 1  # one post: the darkest colour; zeros: lightest
    stops = [(float(at), colour) for at, colour in heat.colorscale]
    zero = next(colour for at, colour in stops if at == 0.0)
    assert _luminance(zero) == max(_luminance(c) for _, c in stops)
    assert _luminance(zero) > 240  # white-ish, not blue
    z = np.array(heat.z, dtype=float)
    assert np.nansum(z) == 1 and np.nanmin(z) == 0
    assert shows_data(fig)


def test_a_busy_calendar_scales_to_its_busiest_day() -> None:
    heat = charts_account.calendar_chart(calendar({0: 1, 10: 4, 20: 2})).data[0]
    assert heat.zmin == 0 and heat.zmax == 4
