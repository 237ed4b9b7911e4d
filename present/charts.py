"""Plotly figures in one house theme with Indonesian labels and number format.

No Streamlit here: the same figures go into the pages and, later, the briefing exports.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from core import fmt
from present.labels import PLATFORM_LABELS, STATUS_COLORS, STATUS_LABELS

PALETTE = ["#0b5394", "#e69138", "#6aa84f", "#cc0000", "#674ea7", "#45818e", "#999999"]
FONT = "Inter, 'Segoe UI', Roboto, Arial, sans-serif"

# Download buttons on every chart: PNG by default, SVG through the second config below.
CHART_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "pantau-grafik"},
    "locale": "id",
}


EMPTY_TEXT = "Belum ada data untuk periode ini"


def _values(trace: Any) -> Any:
    """The numbers a trace shows: z of a heatmap, x of a horizontal bar, y otherwise."""
    if getattr(trace, "type", None) == "heatmap":
        return trace.z
    return trace.x if getattr(trace, "orientation", None) == "h" else trace.y


def has_data(fig: go.Figure) -> bool:
    """Whether any trace of ``fig`` has at least one known number to show."""
    for trace in fig.data:
        values = _values(trace)
        if values is None:
            continue
        flat = pd.Series(pd.DataFrame(values).to_numpy().ravel(), dtype=object)
        if pd.to_numeric(flat, errors="coerce").notna().any():
            return True
    return False


def empty_state(fig: go.Figure, text: str = EMPTY_TEXT) -> go.Figure:
    """A chart without data: one sentence in the middle and no axes (plotly would otherwise
    draw meaningless axes from -1 to 4), no legend, no colour bar."""
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_traces(showscale=False, selector={"type": "heatmap"})
    fig.update_layout(
        showlegend=False,
        annotations=[
            {
                "text": text, "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper",
                "showarrow": False, "font": {"size": 15, "color": "#666"},
            }
        ],
    )  # fmt: skip
    return fig


def house_layout(
    fig: go.Figure, title: str, height: int = 360, empty_text: str = EMPTY_TEXT
) -> go.Figure:
    """The house theme; a figure without data gets the empty state (``empty_text``)."""
    fig.update_layout(
        title={"text": title, "x": 0, "font": {"size": 16}},
        font={"family": FONT, "size": 13, "color": "#222"},
        colorway=PALETTE,
        separators=",.",  # Indonesian: decimal comma, thousands dot
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend={"orientation": "h", "y": -0.2, "title": None},
    )
    fig.update_xaxes(showgrid=False, linecolor="#bbb", tickangle=0, automargin=True)
    fig.update_yaxes(gridcolor="#eee", zeroline=False, tickformat=",d")
    return fig if has_data(fig) else empty_state(fig, empty_text)


def month_label(month: str) -> str:
    """'2026-11' -> 'Nov 2026'."""
    year, mon = month.split("-")
    return f"{fmt.MONTHS_SHORT[int(mon) - 1]} {year}"


def monthly_posts_chart(monthly: pd.DataFrame) -> go.Figure:
    fig = go.Figure()
    for platform, rows in monthly.groupby("platform"):
        fig.add_bar(
            x=[month_label(m) for m in rows["month"]],
            y=rows["posts"],
            name=PLATFORM_LABELS.get(str(platform), str(platform)),
            hovertemplate="%{x}: %{y:,d} unggahan<extra>%{fullData.name}</extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(nticks=6)
    fig.update_yaxes(rangemode="tozero")  # counts: never an axis below 0
    return house_layout(fig, "Jumlah unggahan per bulan")


def monthly_followers_chart(monthly: pd.DataFrame) -> go.Figure:
    fig = go.Figure()
    known = monthly.dropna(subset=["followers"])
    for platform, rows in known.groupby("platform"):
        fig.add_scatter(
            x=[month_label(m) for m in rows["month"]],
            y=rows["followers"],
            mode="lines+markers",
            name=PLATFORM_LABELS.get(str(platform), str(platform)),
            hovertemplate="%{x}: %{y:,d} pengikut<extra>%{fullData.name}</extra>",
        )
    fig.update_xaxes(nticks=6)
    return house_layout(fig, "Total pengikut di akhir bulan")


def status_chart(statuses: pd.Series) -> go.Figure:
    counts = statuses.value_counts()
    order = [s for s in STATUS_LABELS if counts.get(s, 0) > 0]
    fig = go.Figure(
        go.Bar(
            x=[int(counts[s]) for s in order],
            y=[STATUS_LABELS[s] for s in order],
            orientation="h",
            marker_color=[STATUS_COLORS[s] for s in order],
            text=[fmt.number(int(counts[s])) for s in order],
            textposition="auto",
            hovertemplate="%{y}: %{x:,d} akun<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickformat=",d")
    return house_layout(fig, "Status akun", height=260)


def ranking_chart(ranked: pd.DataFrame, top: int = 15) -> go.Figure:
    rows = ranked.dropna(subset=["score"]).head(top)
    labels = [
        f"{code} · {PLATFORM_LABELS.get(p, p)}" if p != "semua" else str(code)
        for code, p in zip(rows["opd_code"], rows["platform"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=rows["score"],
            y=labels,
            orientation="h",
            marker_color=PALETTE[0],
            text=[fmt.number(float(s), 1) for s in rows["score"]],
            textposition="auto",
            hovertemplate="%{y}: indeks %{x:,.1f}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 102], dtick=20, tickformat=",d")
    return house_layout(fig, f"{top} teratas menurut indeks aktivitas", height=max(300, 28 * top))
