"""Plotly figures of Detail Akun, in the house theme with Indonesian labels.

No Streamlit here. Axes never rely on plotly's own month or weekday names (English): every
date label is written by :mod:`core.fmt`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core import fmt
from core.timeutil import DEFAULT_TZ
from present.charts import PALETTE, empty_state, house_layout, month_label

# Posts per day: 0 is the lightest colour (an empty day), any post at least light blue. The
# scale is anchored at 0 (zmin) and at least 1 (zmax), so a quiet calendar never turns blue.
HEAT_SCALE = [[0.0, "#f4f6f9"], [0.001, "#cfe0f1"], [1.0, PALETTE[0]]]
NO_POSTS_TEXT = "Belum ada unggahan dalam periode ini"


def _numbers(values: pd.Series) -> np.ndarray:
    """Floats with NaN for anything unknown (None, NaN, pd.NA, text)."""
    numeric = pd.to_numeric(values, errors="coerce").astype("Float64")
    return numeric.to_numpy(dtype="float64", na_value=np.nan)


WEEKDAYS_SHORT = ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min")  # seven columns on a phone
# Colour bars lie under the heatmap, their title above their ticks: the width stays the
# heatmap's on a phone, and the title never touches a tick.
COLOUR_BAR = {
    "orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yref": "container",
    "yanchor": "bottom", "len": 0.6, "thickness": 12, "title": {"side": "top"},
}  # fmt: skip


def whole_step(values: np.ndarray) -> float:
    """A tick step of a whole number (1, 2, 5, 10, 20, ...) giving about five ticks, so a
    count's axis never repeats a label (120, 120, 121)."""
    known = values[~np.isnan(values)]
    spread = float(known.max() - known.min()) if known.size else 0.0
    step = 1.0
    while spread / step > 6:
        for factor in (2, 2.5, 2):
            step *= factor
            if spread / step <= 6:
                break
    return step


def _count_history(
    frame: pd.DataFrame, column: str, unit: str, title: str, mode: str, colour: str
) -> go.Figure:
    """A count over time (one point per snapshot), month ticks as 'Nov 2026'."""
    local = pd.to_datetime(frame["observed_at"], utc=True).dt.tz_convert(DEFAULT_TZ)
    local = local.dt.tz_localize(None)
    fig = go.Figure(
        go.Scatter(
            x=local,
            y=_numbers(frame[column]),
            mode=mode,
            line={"color": colour, "width": 2},
            customdata=[fmt.long_date(d.date()) for d in local],
            hovertemplate=f"%{{customdata}}: %{{y:,d}} {unit}<extra></extra>",
        )
    )
    if len(local):
        starts = pd.date_range(local.min().normalize(), local.max(), freq="MS")
        fig.update_xaxes(
            tickmode="array",
            tickvals=list(starts),
            ticktext=[month_label(s.strftime("%Y-%m")) for s in starts],
        )
    fig.update_yaxes(title=unit.capitalize(), dtick=whole_step(_numbers(frame[column])))
    return house_layout(fig, title)


def followers_chart(followers: pd.DataFrame) -> go.Figure:
    """Follower count over time (one point per snapshot)."""
    return _count_history(
        followers, "followers", "pengikut", "Riwayat jumlah pengikut", "lines", PALETTE[0]
    )


def following_chart(following: pd.DataFrame) -> go.Figure:
    """How many accounts it follows over time; markers, since the counts are few."""
    return _count_history(
        following, "following", "akun diikuti", "Riwayat jumlah akun yang diikuti",
        "lines+markers", PALETTE[1],
    )  # fmt: skip


def calendar_chart(calendar: pd.DataFrame) -> go.Figure:
    """Posts per day as a heatmap: weekdays across (Sen…Min), weeks down with a tick at each
    month's first week ("Nov 2026"), so it reads on a phone as on a screen.

    A day without posts has the lightest colour; a period without any post shows the empty
    state instead of a calendar."""
    title = "Kalender unggahan (jumlah unggahan per hari)"
    posts_per_day = pd.to_numeric(calendar["posts"], errors="coerce").fillna(0)
    if posts_per_day.sum() <= 0:
        return house_layout(empty_state(go.Figure(), NO_POSTS_TEXT), title, 300, NO_POSTS_TEXT)
    weeks = sorted(set(calendar["week_start"]))
    z = np.full((len(weeks), 7), np.nan)
    text = [["" for _ in range(7)] for _ in weeks]
    row = {week: i for i, week in enumerate(weeks)}
    rows = calendar[["day", "weekday", "week_start"]].assign(posts=posts_per_day)
    for day, weekday, week, posts in rows.itertuples(index=False):
        z[row[week]][weekday] = posts
        text[row[week]][weekday] = f"{fmt.WEEKDAYS[weekday]}, {fmt.long_date(day)}"
    fig = go.Figure(
        go.Heatmap(
            z=z, x=list(WEEKDAYS_SHORT), y=list(range(len(weeks))), text=text,
            colorscale=HEAT_SCALE, zmin=0, zmax=max(1.0, float(posts_per_day.max())),
            xgap=2, ygap=2, colorbar={
                **COLOUR_BAR, "title": {"text": "Unggahan per hari", "side": "top"},
                "tickformat": ",d", "dtick": whole_step(z.ravel()),
            },
            hovertemplate="%{text}: %{z:,d} unggahan<extra></extra>",
        )
    )  # fmt: skip
    firsts = [i for i, week in enumerate(weeks) if i == 0 or week.month != weeks[i - 1].month]
    fig.update_yaxes(
        autorange="reversed", tickmode="array", tickvals=firsts, showgrid=False,
        ticktext=[month_label(weeks[i].strftime("%Y-%m")) for i in firsts],
    )  # fmt: skip
    fig.update_xaxes(type="category")
    return house_layout(fig, title, height=max(320, 16 * len(weeks) + 190))


def caption_trend_chart(monthly: pd.DataFrame) -> go.Figure:
    """Mean caption score per month (0–100)."""
    known = monthly.dropna(subset=["caption_score"])
    fig = go.Figure(
        go.Scatter(
            x=[month_label(m) for m in known["month"]],
            y=_numbers(known["caption_score"]),
            mode="lines+markers",
            line={"color": PALETTE[2], "width": 2},
            customdata=known["scored_posts"],
            hovertemplate="%{x}: skor rata-rata %{y:,.1f} dari %{customdata:,d} unggahan"
            "<extra></extra>",
        )
    )
    fig.update_yaxes(range=[0, 102], dtick=20, title="Skor caption (0–100)")
    fig.update_xaxes(type="category")
    return house_layout(fig, "Kualitas caption per bulan")


def _hour_label(hour: int) -> str:
    return f"{hour:02d}.00"


def _colour_cap(z: np.ndarray) -> float | None:
    """The 95th percentile, so one lucky slot does not wash out every other colour."""
    known = z[~np.isnan(z)]
    return float(np.percentile(known, 95)) if known.size >= 5 else None


def time_heatmap(slots: pd.DataFrame) -> go.Figure:
    """Mean post engagement rate per weekday × hour (WIB); empty slots stay blank."""
    z = np.full((7, 24), np.nan)
    counts = np.zeros((7, 24), dtype=int)
    for weekday, hour, posts, rate in slots[
        ["weekday", "hour", "posts", "engagement_rate"]
    ].itertuples(index=False):
        z[int(weekday)][int(hour)] = float(rate)
        counts[int(weekday)][int(hour)] = int(posts)
    text = [
        [
            f"{fmt.WEEKDAYS[d]} {_hour_label(h)} WIB: {fmt.number(int(counts[d][h]))} unggahan, "
            f"rata-rata {fmt.percent(None if math.isnan(z[d][h]) else float(z[d][h]))}"
            for h in range(24)
        ]
        for d in range(7)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z.T, x=list(WEEKDAYS_SHORT), y=list(range(24)),
            text=[list(hours) for hours in zip(*text, strict=True)],
            colorscale="Blues", zmin=0, zmax=_colour_cap(z), xgap=1, ygap=1,
            colorbar={**COLOUR_BAR, "title": {"text": "Tingkat interaksi (%)", "side": "top"},
                      "tickformat": ",.1f"},
            hovertemplate="%{text}<extra></extra>",
        )
    )  # fmt: skip
    every_third = list(range(0, 24, 3))
    fig.update_yaxes(
        autorange="reversed", tickmode="array", tickvals=every_third, showgrid=False,
        ticktext=[_hour_label(h) for h in every_third], title="Jam unggah (WIB)",
    )  # fmt: skip
    fig.update_xaxes(type="category")
    return house_layout(fig, "Waktu terbaik untuk mengunggah (hari × jam, WIB)", height=640)
