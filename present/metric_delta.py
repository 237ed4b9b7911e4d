"""A headline figure's change, as the arguments of Streamlit's ``st.metric`` (pure).

One rule for every page: the arrow carries the direction and the text only the size
('↓ 1.040 dari Oktober 2026', never '↓ -1.040'); a change that rounds to zero, or a figure
whose change is unknown, gets no arrow and no colour. Green and red say better and worse,
so a measure where more is worse (dormant accounts) is coloured the other way round, and a
measure that is neither (following more accounts) stays grey.
"""

from __future__ import annotations

from typing import Literal, TypedDict

from core import fmt

Better = Literal["up", "down", "neither"]
Colour = Literal["green", "red", "gray"]
Arrow = Literal["up", "down", "off"]

UNCHANGED = "tidak berubah"
# a briefing KPI's kind (reports.tables.Kind) -> decimals and unit of its change: percentages
# change by percentage points
KIND_STEPS = {"pct": (fmt.DECIMALS["engagement_rate"], " poin"), "float": (1, "")}


# st.metric's keyword arguments (the functional form: the keys are read by Streamlit)
DeltaArgs = TypedDict(  # noqa: UP013
    "DeltaArgs", {"delta": str | None, "delta_color": Colour, "delta_arrow": Arrow}
)


NO_DELTA: DeltaArgs = {"delta": None, "delta_color": "gray", "delta_arrow": "off"}


def delta_args(
    change: float | None,
    decimals: int = 0,
    unit: str = "",
    suffix: str = "",
    better: Better = "up",
) -> DeltaArgs:
    """``st.metric(label, value, **delta_args(...))``: the size of ``change`` rounded to
    ``decimals`` (with ``unit``, then ``suffix`` such as 'dari Oktober 2026'), its arrow and
    colour. Unknown: no delta at all; zero after rounding: 'tidak berubah', grey, no arrow."""
    if change is None or fmt.is_missing(change):
        return NO_DELTA
    tail = f" {suffix}" if suffix else ""
    if round(abs(float(change)), decimals) == 0:
        return {"delta": UNCHANGED + tail, "delta_color": "gray", "delta_arrow": "off"}
    rising = float(change) > 0
    text = fmt.number(abs(float(change)), decimals) + unit + tail
    colour: Colour = "gray"
    if better != "neither":
        colour = "green" if rising == (better == "up") else "red"
    return {"delta": text, "delta_color": colour, "delta_arrow": "up" if rising else "down"}


def change_args(
    now: float | None,
    before: float | None,
    decimals: int = 0,
    unit: str = "",
    suffix: str = "",
    better: Better = "up",
) -> DeltaArgs:
    """:func:`delta_args` of ``now - before``; no delta when either is unknown."""
    if now is None or before is None or fmt.is_missing(now) or fmt.is_missing(before):
        return NO_DELTA
    return delta_args(float(now) - float(before), decimals, unit, suffix, better)
