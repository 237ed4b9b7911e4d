"""Arrows that mean something: one sign, no arrow on no change (present.metric_delta), and
one minus sign and one rounding per measure (core.fmt)."""

from __future__ import annotations

import pytest

from core import fmt
from present.metric_delta import NO_DELTA, change_args, delta_args


def test_zero_change_has_no_arrow_and_no_colour() -> None:
    args = delta_args(0, suffix="dari Oktober 2026")
    assert args == {
        "delta": "tidak berubah dari Oktober 2026",
        "delta_color": "gray",
        "delta_arrow": "off",
    }
    # what rounds to zero at the measure's decimals is no change either
    assert delta_args(0.004, 2, "%")["delta_arrow"] == "off"
    assert delta_args(-0.004, 2, "%")["delta"] == "tidak berubah"


@pytest.mark.parametrize("unknown", [None, float("nan")])
def test_unknown_change_shows_nothing(unknown: float | None) -> None:
    assert delta_args(unknown) == NO_DELTA
    assert NO_DELTA["delta"] is None and NO_DELTA["delta_arrow"] == "off"
    assert change_args(12, unknown) == NO_DELTA
    assert change_args(unknown, 12) == NO_DELTA


def test_a_fall_carries_one_sign_the_arrow() -> None:
    args = delta_args(-1040, suffix="dari bulan lalu")
    assert args["delta"] == "1.040 dari bulan lalu"
    assert args["delta_arrow"] == "down"
    assert args["delta_color"] == "red"
    assert "-" not in str(args["delta"]) and fmt.MINUS not in str(args["delta"])


def test_a_rise_is_green_unless_more_is_worse() -> None:
    assert delta_args(3)["delta_color"] == "green"
    assert delta_args(3, better="down") == {
        "delta": "3",
        "delta_color": "red",
        "delta_arrow": "up",
    }
    assert delta_args(-3, better="down")["delta_color"] == "green"
    neither = delta_args(5, suffix="dalam periode", better="neither")
    assert (neither["delta_color"], neither["delta_arrow"]) == ("gray", "up")


def test_change_args_rounds_the_difference_with_its_unit() -> None:
    args = change_args(2.314, 2.0, 2, " poin", "dari bulan lalu")
    assert args["delta"] == "0,31 poin dari bulan lalu"
    assert args["delta_arrow"] == "up"
    assert change_args(41.0, 41.0, 1)["delta"] == "tidak berubah"


def test_one_minus_sign_everywhere() -> None:
    assert fmt.number(-1500) == f"{fmt.MINUS}1.500"
    assert fmt.signed(-1040) == "−1.040"
    assert fmt.signed(1040) == "+1.040"
    assert fmt.signed_percent(-0.25, 2) == "−0,25%"
    # rounding a tiny negative away leaves a plain zero, not '-0' or '+0'
    assert fmt.number(-0.001, 2) == "0,00"
    assert fmt.signed(-0.001, 1) == "0,0"
    assert fmt.signed_percent(0.0, 2) == "0,00%"
    assert fmt.signed(None) == fmt.MISSING


def test_one_rounding_rule_per_measure() -> None:
    rate = 2.3149
    assert fmt.percent(rate, fmt.DECIMALS["engagement_rate"]) == "2,31%"
    assert fmt.number(47.26, fmt.DECIMALS["score"]) == "47,3"
    assert fmt.DECIMALS["engagement_rate"] == fmt.DECIMALS["engagement_rate_views"] == 2
