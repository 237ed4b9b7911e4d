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


# Margins (px) that hold even when plotly's automatic margins have nothing to push: the title
# needs room above the plot, and a number at the plot's edge half a label's width at the side.
MIN_MARGIN = {"l": 16, "r": 24, "t": 64, "b": 16, "pad": 4}
# The title sits in the top margin, which is sized to its lines (plotly's automatic margin
# misplaces a title of two lines): space above, one 16 px line each, space to the plot.
TITLE_TOP, TITLE_LINE, TITLE_GAP = 14, 22, 22
TITLE_WIDTH = 40  # characters per title line: a 390 px phone shows about 42 at 16 px
LABEL_WIDTH = 26  # characters per line of a bar's name
LABEL_LINES = 2
ROW_HEIGHT = 34  # px per bar with a two-line name


def wrap_text(text: str | list[str], width: int) -> list[str]:
    """Words (``text`` split at spaces, or a list of words that may hold spaces of their own)
    on lines of at most ``width`` characters; a longer word keeps its own line."""
    lines: list[str] = []
    for word in text.split() if isinstance(text, str) else text:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def bar_label(name: str, suffix: str = "") -> str:
    """A bar's name on at most two lines of ``LABEL_WIDTH`` characters with ``suffix`` (the
    platform) always shown and never alone at a line's start; a longer name is cut at a word
    with an ellipsis (the hover shows it whole)."""
    words = name.split()
    for keep in range(len(words), 0, -1):
        shown = words[:keep]
        if keep < len(words):
            shown[-1] += "…"
        if suffix:
            shown[-1] += f" · {suffix}"
        lines = wrap_text(shown, LABEL_WIDTH)
        if len(lines) <= LABEL_LINES and all(len(line) <= LABEL_WIDTH for line in lines):
            return "<br>".join(lines)
    return name[: LABEL_WIDTH - 1] + "…" + (f"<br>{suffix}" if suffix else "")


def house_layout(
    fig: go.Figure, title: str, height: int = 360, empty_text: str = EMPTY_TEXT
) -> go.Figure:
    """The house theme; a figure without data gets the empty state (``empty_text``).

    Every margin grows to fit its labels (automatic margins on both axes, the legend and
    colour bars), above a minimum, so nothing is cut in a kaleido image of any width nor on a
    390 px phone; the title wraps at ``TITLE_WIDTH`` characters and the top margin fits it."""
    lines = wrap_text(title, TITLE_WIDTH)
    fig.update_layout(
        title={
            "text": "<br>".join(lines), "x": 0, "xref": "container", "xanchor": "left",
            "y": 1 - (TITLE_TOP + TITLE_LINE * len(lines) / 2) / height, "yref": "container",
            "yanchor": "middle",
            "pad": {"l": MIN_MARGIN["l"]}, "font": {"size": 16},
        },
        font={"family": FONT, "size": 13, "color": "#222"},
        colorway=PALETTE,
        separators=",.",  # Indonesian: decimal comma, thousands dot
        height=height,
        margin={**MIN_MARGIN, "t": TITLE_TOP + TITLE_LINE * len(lines) + TITLE_GAP},
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend={
            "orientation": "h", "x": 0, "xref": "container", "y": 0, "yref": "container",
            "yanchor": "bottom", "title": None,
        },
    )  # fmt: skip
    fig.update_xaxes(showgrid=False, linecolor="#bbb", automargin=True)
    fig.update_yaxes(gridcolor="#eee", zeroline=False, tickformat=",d", automargin=True)
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


def _name_bars(
    names: list[str], values: pd.Series, colour: str, text: list[str], hover: str
) -> go.Figure:
    """Horizontal bars, the first on top, named with :func:`bar_label` names (``names`` are
    the full ones, for the hover). Bars sit at positions 0..n-1 so that two equal short
    names stay two bars."""
    positions = list(range(len(names)))
    fig = go.Figure(
        go.Bar(
            x=values, y=positions, orientation="h", marker_color=colour, text=text,
            textposition="auto", customdata=names, hovertemplate=hover,
        )
    )  # fmt: skip
    fig.update_yaxes(
        autorange="reversed", tickmode="array", tickvals=positions,
        ticktext=[bar_label(*name.split(" · ", 1)) for name in names], showgrid=False,
    )  # fmt: skip
    return fig


def _account_names(rows: pd.DataFrame) -> list[str]:
    """'Dinas Kependudukan dan Pencatatan Sipil · Instagram'; an OPD's row (platform
    'semua') is the OPD's name alone."""
    return [
        str(name) if platform == "semua" else f"{name} · {PLATFORM_LABELS.get(platform, platform)}"
        for name, platform in zip(rows["opd_name"], rows["platform"], strict=True)
    ]


def _bars_height(rows: int) -> int:
    return max(300, ROW_HEIGHT * rows + 120)


def ranking_chart(ranked: pd.DataFrame, top: int = 15) -> go.Figure:
    rows = ranked.dropna(subset=["score"]).head(top)
    fig = _name_bars(
        _account_names(rows), rows["score"], PALETTE[0],
        [fmt.number(float(s), 1) for s in rows["score"]],
        "%{customdata}: indeks %{x:,.1f}<extra></extra>",
    )  # fmt: skip
    fig.update_xaxes(range=[0, 102], dtick=20, tickformat=",d")
    return house_layout(
        fig, f"{top} teratas menurut Indeks Kinerja Akun", height=_bars_height(len(rows))
    )


COMPLIANCE_CHART_ROWS = 15


def compliance_chart(compliance: pd.DataFrame) -> go.Figure:
    """Share of captions with all five elements, per OPD (named, the first 15 rows)."""
    rows = compliance.head(COMPLIANCE_CHART_ROWS)
    fig = _name_bars(
        [str(n) for n in rows["opd_name"]], rows["complete_pct"], PALETTE[2],
        [fmt.percent(float(v), 0) for v in rows["complete_pct"]],
        "%{customdata}: %{x:,.1f}%<extra></extra>",
    )  # fmt: skip
    fig.update_xaxes(range=[0, 101], ticksuffix="%", tickformat=",d")
    title = "Caption dengan kelima unsur, per OPD"
    return house_layout(fig, title, height=_bars_height(len(rows)))
