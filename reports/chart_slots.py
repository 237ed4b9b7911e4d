"""Each briefing chart drawn for the box it fills on a page or a slide.

A figure drawn 1200 px wide and shrunk into half a page prints its 13 px text at 5 pt. Here a
:class:`Slot` is the box (in points) a writer places a chart in, and the smallest size its
text may print at; the figure is drawn with the box's aspect ratio at a pixel size where
13 px print at that size (printed pt = 13 × box width in pt / figure width in px), then
rendered ``SHARPNESS`` times denser so the print stays sharp. A slot may also show fewer bars
than the dashboard does, so that the bars' two-line names keep apart in a short box.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from present import charts
from present.export import BrowserSession, ImageSpec
from reports.content import Chart

FONT_PX = 13  # the house theme's text size (present.charts.house_layout)
SHARPNESS = 3  # device pixels per figure pixel in the PNG


@dataclass(frozen=True)
class Slot:
    """Where a writer places one chart: its box in points, the smallest printed text size,
    and at most how many bars a bar chart shows there (None: as drawn)."""

    width_pt: float
    height_pt: float
    text_pt: float
    bars: int | None = None

    def pixels(self) -> tuple[int, int]:
        """The figure's size in px: the box's aspect ratio, 13 px printing at ``text_pt``."""
        per_pt = FONT_PX / self.text_pt
        return math.floor(self.width_pt * per_pt), math.floor(self.height_pt * per_pt)


def at_height(fig: go.Figure, height: int) -> go.Figure:
    """A copy of a house-theme figure at ``height`` px, its title kept in the top margin
    (house_layout places the title as a fraction of the height it was drawn for)."""
    out = go.Figure(fig)
    lines = str(out.layout.title.text or "").count("<br>") + 1
    title_y = 1 - (charts.TITLE_TOP + charts.TITLE_LINE * lines / 2) / height
    out.update_layout(height=height, title_y=title_y)
    return out


def for_slot(chart: Chart, slot: Slot) -> tuple[go.Figure, ImageSpec]:
    """The chart's figure drawn for ``slot`` and the image spec that renders it."""
    figure = chart.figure
    if slot.bars is not None and chart.redraw is not None:
        figure = chart.redraw(slot.bars)
    width, height = slot.pixels()
    return at_height(figure, height), ImageSpec(width=width, height=height, scale=SHARPNESS)


def render(browser: BrowserSession, chart_list: Sequence[Chart],
           slots: Mapping[str, Slot]) -> list[bytes]:  # fmt: skip
    """Every chart as a PNG drawn for its slot (each writer has a slot for every chart)."""
    drawn = [for_slot(chart, slots[chart.key]) for chart in chart_list]
    return browser.export([f for f, _ in drawn], "png", [spec for _, spec in drawn])
