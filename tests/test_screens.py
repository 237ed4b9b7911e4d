"""Every page at an office laptop's width (1366 px) and a phone's (390 px), in Debian's Chromium
on the dashboard `make run` starts (tests/browser_support.py): opened without an error, then
checked for cut or overlapping labels, metrics too narrow for their text, tables wider than the
screen and a page that scrolls sideways (scripts/layout_check.js), and photographed in full.

PANTAU_SAVE_SCREENSHOTS=1 also writes the first screen of the README's pages (``README_SHOTS``)
to docs/screenshots/ as ``<page>-<width>.png`` in 256 colours.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import plotly
import pytest
from playwright.sync_api import Browser, Page

from services.users import DEMO_PASSWORD
from tests.browser_support import (
    CHROMIUM,
    AppPage,
    Dashboard,
    app_pages,
    assert_page_shown,
    chromium_browser,
    doc_screenshot,
    layout_defects,
    new_tab,
    open_page,
    running_dashboard,
    screenshot,
)

# read at import: the autouse clean_environ fixture removes PANTAU_* before each test
SAVE_SCREENSHOTS = os.environ.get("PANTAU_SAVE_SCREENSHOTS") == "1"
SCREENSHOT_DIR = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
WIDTHS = ("1366", "390")
LOGINS = {"admin": ("admin", DEMO_PASSWORD), "opd": ("diskominfo", DEMO_PASSWORD)}
# the admin's menu (every page but the opd home), then the opd user's home
SCREENS = [("admin", p) for p in app_pages("admin")] + [("opd", app_pages("opd")[0])]
MUST_SHOW_DEMO_LABEL = {"Ringkasan", "Peringkat"}
# the handful the README shows (its "Screenshots" section)
README_SHOTS = {
    "ringkasan-1366", "ringkasan-390", "peringkat-1366", "akun_dorman-390", "detail_akun-1366",
    "kinerja_opd-390",
}  # fmt: skip
LAYOUT_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "layout"
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} not found: install Debian's chromium (scripts/apt-install.sh run)",
    ),
]

Tabs = Callable[[str, str], tuple[Page, list[str]]]


@pytest.fixture(scope="module")
def dashboard(
    todays_demo_copy: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Dashboard]:
    yield from running_dashboard(todays_demo_copy, tmp_path_factory)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium_browser()


@pytest.fixture(scope="module")
def tabs(browser: Browser, dashboard: Dashboard) -> Iterator[Tabs]:
    """One tab per width and role, signed in on the role's home page (as a user arrives; a
    session whose first page is another page's address gets Streamlit's own file-name menu) and
    reused for the next pages (a sign-in per page would double the time); each with the
    JavaScript errors it raised."""
    made: dict[tuple[str, str], tuple[Page, list[str]]] = {}

    def tab(width: str, role: str) -> tuple[Page, list[str]]:
        if (width, role) not in made:
            page = new_tab(browser, width)
            open_page(page, dashboard.url(""), app_pages(role)[0].title, LOGINS[role])
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            made[width, role] = (page, errors)
        return made[width, role]

    yield tab
    for page, _errors in made.values():
        page.context.close()


def assert_sidebar_titles(page: Page) -> None:
    """The navigation lists every page by its Indonesian title, never by its file name."""
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    for _role, app_page in SCREENS[:-1]:
        assert app_page.title in nav
        if app_page.name != app_page.title.lower():
            assert app_page.name not in nav


def described(defects: list[dict[str, str]]) -> str:
    return "\n".join(
        f"{d['kind']} {d['element']}: {d['text']!r} (under {d['where']!r})" for d in defects
    )


@pytest.mark.parametrize(
    ("width", "role", "app_page"),
    [(width, role, p) for width in WIDTHS for role, p in SCREENS],
    ids=[f"{p.name}-{width}" for width in WIDTHS for _role, p in SCREENS],
)
def test_page_reads_right(
    dashboard: Dashboard, tabs: Tabs, tmp_path: Path, width: str, role: str, app_page: AppPage
) -> None:
    page, errors = tabs(width, role)
    errors.clear()
    open_page(page, dashboard.url(app_page.url_path), app_page.title, LOGINS[role])
    assert_page_shown(page, app_page.title)
    if width == "1366" and role == "admin":  # on a phone the menu is folded away
        assert_sidebar_titles(page)
    assert page.evaluate("typeof window.__pwned") == "undefined", "caption markup was executed"
    if app_page.title in MUST_SHOW_DEMO_LABEL:
        assert page.get_by_text("DATA DEMO").first.is_visible()
    defects = layout_defects(page)  # at the screen's own size, before the full-page photo
    name = f"{app_page.name}-{width}"
    if SAVE_SCREENSHOTS and name in README_SHOTS:
        doc_screenshot(page, SCREENSHOT_DIR / f"{name}.png")
    screenshot(page, tmp_path / f"{name}.png")
    assert not defects, f"{app_page.title} at {width} px:\n{described(defects)}"
    assert not errors, f"JavaScript errors in the page: {errors}"


def fixture_defects(browser: Browser, name: str) -> list[dict[str, str]]:
    """The layout check on a static page of tests/fixtures/layout/ at a phone's width, its
    charts drawn by the plotly.js that the plotly package carries (no network)."""
    page = new_tab(browser, "390")
    try:
        page.set_content((LAYOUT_FIXTURES / name).read_text(encoding="utf-8"))
        page.add_script_tag(path=str(PLOTLY_JS))
        page.evaluate("drawCharts()")
        return layout_defects(page)
    finally:
        page.context.close()


def test_the_layout_check_finds_cut_and_overlapping_labels(browser: Browser) -> None:
    defects = fixture_defects(browser, "defective.html")
    found = {(d["kind"], d["element"], d["text"]) for d in defects}
    # the chart with a 10 px margin: every long OPD name cut at the left edge
    for opd in ("Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas Komunikasi dan Informatika"):
        assert ("cut", "y-axis label", opd) in found, described(defects)
    # long names side by side: neighbouring x-axis labels overlap
    overlapping = [d["text"] for d in defects if d["element"] == "x-axis label"]
    assert "Badan Perencanaan Pembangunan Daerah / Dinas Komunikasi dan Informatika" in overlapping
    assert ("cut", "metric value", "1.234.567.890") in found
    assert ("overlap", "metric", "Pengikut 98.765.432 / Akun aktif 87") in found
    assert (
        "cut",
        "heading",
        "Akun yang paling lama tidak mengunggah di seluruh kabupaten",
    ) in found
    assert ("wide", "table", "tabel 800 px") in found
    assert ("wide", "page (div stDataFrame)", "sampai 800 px") in found  # scrolls sideways
    assert {d["kind"] for d in defects} == {"cut", "overlap", "wide"}
    # the chart that fits its labels is not accused, nor the metric that fits
    assert not [d for d in defects if d["text"].startswith("Unggahan")], described(defects)


def test_the_layout_check_passes_a_page_that_reads_right(browser: Browser) -> None:
    defects = fixture_defects(browser, "clean.html")
    assert defects == [], described(defects)
