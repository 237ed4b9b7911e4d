"""The month picker opens on the last complete month (issue #17, item 3): Tinjauan Bulanan on
the demo world at FIXED_NOW (26 November 2026 13.00 WIB, so November is running)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Selectbox

from tests.app_support import choose_month, run_page, texts

PAGE = "pages/tinjauan_bulanan.py"


def _picker(at: AppTest) -> Selectbox[str]:
    pickers = [s for s in at.selectbox if s.label == "Bulan"]
    assert len(pickers) == 1
    return pickers[0]


def _delta(at: AppTest, label: str) -> str:
    found = [m for m in at.metric if m.label == label]
    assert len(found) == 1, label
    return str(found[0].proto.delta)


def test_opens_on_the_last_complete_month_and_offers_the_running_one(demo_app: str) -> None:
    at = run_page(PAGE)
    picker = _picker(at)
    assert picker.value == "2026-10"  # not the 26 days of November
    assert picker.options[:3] == [
        "November 2026 (berjalan, s.d. 26 Nov)",
        "Oktober 2026",
        "September 2026",
    ]
    assert "Oktober 2026 dibandingkan dengan September 2026" in texts(at)
    assert _delta(at, "Unggahan").endswith("dari September 2026")


def test_the_running_month_is_compared_with_the_same_days(demo_app: str) -> None:
    at = choose_month(run_page(PAGE), "2026-11")
    assert "November 2026 dibandingkan dengan 1–26 Oktober 2026" in texts(at)
    assert _delta(at, "Unggahan").endswith("dari 1–26 Oktober 2026")
