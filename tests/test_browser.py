"""Browser test: the dashboard started as `make run` does (tests/browser_support.py), driven in
Debian's Chromium: markup in captions, every role's pages, an OPD's PDF, a reviewer's mark and
recap, sorting a number column. Every admin page at two widths: tests/test_screens.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page
from pypdf import PdfReader
from sqlalchemy import text

from db.engine import make_engine
from services.users import DEMO_PASSWORD
from tests.browser_support import (
    CHROMIUM,
    VIEWPORT,
    AppPage,
    Dashboard,
    app_pages,
    assert_page_shown,
    cell_number,
    chromium_browser,
    open_page,
    running_dashboard,
    sorted_column,
)

PAGES = app_pages("admin")  # the admin's menu: every page but the opd home
DEMO_LOGIN = ("admin", DEMO_PASSWORD)  # `serve` creates it on the demo world and prints it

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} not found: install Debian's chromium (scripts/apt-install.sh run)",
    ),
]


@pytest.fixture(scope="module")
def dashboard(
    todays_demo_copy: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Dashboard]:
    yield from running_dashboard(todays_demo_copy, tmp_path_factory)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium_browser()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


def assert_not_pwned(page: Page) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined", "caption markup was executed"


def test_caption_markup_is_not_executed(dashboard: Dashboard, page: Page) -> None:
    detail = next(p for p in PAGES if p.file == "pages/detail_akun.py")
    url = dashboard.url(f"{detail.url_path}?akun={dashboard.xss_account_id}")
    open_page(page, url, detail.title, DEMO_LOGIN)
    assert_page_shown(page, detail.title)
    # the account named in the URL is the one shown, not the first of the list
    chosen = page.locator('[data-testid="stSelectbox"] input').first.input_value()
    assert dashboard.xss_handle in chosen
    assert_not_pwned(page)


@pytest.fixture
def restarted_dashboard(
    todays_demo_copy: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Dashboard]:
    """A dashboard of its own that no session has opened yet (as right after a restart)."""
    yield from running_dashboard(todays_demo_copy, tmp_path_factory)


def menu_titles(page: Page) -> list[str]:
    """The sidebar menu's entries as read (each link's last line: the first is its icon)."""
    links = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
    return [link.strip().splitlines()[-1] for link in links]


def test_a_bookmarked_page_opened_first_gets_the_product_menu(
    restarted_dashboard: Dashboard, page: Page
) -> None:
    """Before any app.py run, Streamlit takes pages/ for its old multipage layout: a bookmark
    opened first ran its page alone, under a menu of file names ("app, akun dorman, kesehatan
    koleksi, ..."), for the whole session. The page hands over to app.py (ui.navigation)."""
    detail = next(p for p in PAGES if p.file == "pages/detail_akun.py")
    account = restarted_dashboard.xss_account_id
    url = restarted_dashboard.url(f"{detail.url_path}?akun={account}")
    open_page(page, url, detail.title, DEMO_LOGIN)
    assert_page_shown(page, detail.title)
    assert menu_titles(page) == [p.title for p in PAGES]
    assert page.url.endswith(f"/{detail.url_path}?akun={account}")  # the bookmark survives
    chosen = page.locator('[data-testid="stSelectbox"] input').first.input_value()
    assert restarted_dashboard.xss_handle in chosen


ROLE_LOGINS = {"reviewer": ("peninjau", DEMO_PASSWORD), "opd": ("diskominfo", DEMO_PASSWORD)}


@pytest.mark.parametrize(
    ("role", "app_page"),
    [(role, p) for role in ROLE_LOGINS for p in app_pages(role)],
    ids=[f"{role}-{p.name}" for role in ROLE_LOGINS for p in app_pages(role)],
)
def test_page_opens_for_every_role(
    dashboard: Dashboard, page: Page, role: str, app_page: AppPage
) -> None:
    open_page(page, dashboard.url(app_page.url_path), app_page.title, ROLE_LOGINS[role])
    assert_page_shown(page, app_page.title)


def test_an_unreadable_account_shows_its_reason_to_its_opd(
    dashboard: Dashboard, page: Page
) -> None:
    """The demo's DISKOMINFO TikTok account never got a token: its OPD sees why, not Dorman."""
    engine = make_engine(dashboard.db_url)
    with engine.connect() as conn:
        account_id = conn.scalar(text(
            "SELECT a.id FROM accounts a JOIN opds o ON o.id = a.opd_id "
            "WHERE o.code = 'DISKOMINFO' AND a.platform = 'tiktok'"
        ))  # fmt: skip
    engine.dispose()
    detail = next(p for p in app_pages("opd") if p.file == "pages/detail_akun.py")
    url = dashboard.url(f"{detail.url_path}?akun={account_id}")
    open_page(page, url, detail.title, ROLE_LOGINS["opd"])
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "Tidak terbaca" in main and "tidak dapat membaca akun ini" in main
    assert "TikTok" in main and "Dorman" not in main


def test_an_opd_admin_lands_on_its_own_opd_and_gets_the_pdf(
    dashboard: Dashboard, page: Page
) -> None:
    """The opd role's home is Kinerja OPD Saya about its own OPD only; the one-page PDF is made
    when the button is clicked."""
    engine = make_engine(dashboard.db_url)
    with engine.connect() as conn:
        names = {str(c): str(n) for c, n in conn.execute(text("SELECT code, name FROM opds"))}
    engine.dispose()
    own = names.pop("DISKOMINFO")
    open_page(page, dashboard.url(""), "Kinerja OPD Saya", ROLE_LOGINS["opd"])
    assert_page_shown(page, "Kinerja OPD Saya")
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert own in main and "Pengingat dari Diskominfo" in main
    assert not [name for name in names.values() if name in main]
    with page.expect_download() as download:
        page.get_by_role("button", name="Unduh PDF satu halaman").click()
    pdf = PdfReader(download.value.path())
    assert len(pdf.pages) == 1 and own in pdf.pages[0].extract_text()


def test_a_reviewer_marks_a_post_and_copies_the_recap(
    dashboard: Dashboard, browser: Browser
) -> None:
    """Tinjauan Unggahan as a reviewer: the chosen post is marked with a note (who and when
    stored); Ringkasan's Salin rekap puts the WhatsApp recap on the clipboard."""
    context = browser.new_context(
        viewport=VIEWPORT, permissions=["clipboard-read", "clipboard-write"]
    )
    tab = context.new_page()
    try:
        review = next(p for p in app_pages("reviewer") if p.file == "pages/tinjauan_unggahan.py")
        open_page(tab, dashboard.url(review.url_path), review.title, ROLE_LOGINS["reviewer"])
        assert_page_shown(tab, review.title)
        note = "Admin OPD sudah dihubungi lewat WhatsApp untuk melengkapi keterangan."
        tab.get_by_label("Catatan tindak lanjut").fill(note)
        tab.get_by_role("button", name="Tandai ditindaklanjuti").click()
        tab.get_by_text("Sudah ditindaklanjuti oleh peninjau").first.wait_for()
        engine = make_engine(dashboard.db_url)
        with engine.connect() as conn:
            marks = conn.execute(text("SELECT marked_by, note FROM post_marks")).all()
        engine.dispose()
        assert [(str(by), str(text_)) for by, text_ in marks] == [("peninjau", note)]

        home = app_pages("reviewer")[0]
        open_page(tab, dashboard.url(home.url_path), home.title, ROLE_LOGINS["reviewer"])
        tab.get_by_role("button", name="Salin rekap").first.click()
        tab.get_by_text("Rekap tersalin").first.wait_for()
        copied = str(tab.evaluate("navigator.clipboard.readText()"))
        assert copied.startswith("*DATA DEMO*") or copied.startswith("*Rekap")
        assert "Rekap" in copied and len(copied) <= 3500
    finally:
        context.close()


DAYS_HEADER = "Tanpa unggahan"  # Akun Dorman: days since the last post, "belum pernah" if never


def test_a_number_column_sorts_by_value(dashboard: Dashboard, page: Page) -> None:
    """Clicking Akun Dorman's days-without-posts header sorts the rows by the number of days,
    ascending, then descending; as text "88 hari" would come after "239 hari"."""
    dormant = next(p for p in PAGES if p.file == "pages/akun_dorman.py")
    open_page(page, dashboard.url(dormant.url_path), dormant.title, DEMO_LOGIN)
    header = page.locator('th[role="columnheader"]', has_text=DAYS_HEADER)
    grid = page.locator('[data-testid="stDataFrame"]').filter(has=header).first
    ascending = [cell_number(cell) for cell in sorted_column(page, grid, DAYS_HEADER)]
    descending = [cell_number(cell) for cell in sorted_column(page, grid, DAYS_HEADER)]
    assert ascending == sorted(ascending), ascending
    assert descending == sorted(descending, reverse=True), descending
    assert sorted(ascending) == sorted(descending)  # the same rows, all of them
    # the column's values sort differently as text, so the order seen is the values' order
    assert ascending != sorted(ascending, key=str)


def test_a_table_offers_no_csv_of_its_sort_values(dashboard: Dashboard, page: Page) -> None:
    """The table's own CSV would write the values it sorts by (Infinity for "belum pernah"),
    so its button is hidden; the other toolbar buttons stay and read in Indonesian."""
    dormant = next(p for p in PAGES if p.file == "pages/akun_dorman.py")
    open_page(page, dashboard.url(dormant.url_path), dormant.title, DEMO_LOGIN)
    page.locator('[data-testid="stDataFrame"]').first.hover()
    buttons = page.locator('[data-testid="stElementToolbarButton"] button')
    buttons.first.wait_for(state="attached")
    shown = {
        str(buttons.nth(i).get_attribute("aria-label")): buttons.nth(i).is_visible()
        for i in range(buttons.count())
    }
    csv = [label for label in shown if "CSV" in label]
    assert csv, shown  # the button is there (Streamlit draws it), so hiding it is what is tested
    assert not any(shown[label] for label in csv), shown
    assert shown.get("Cari") is True, shown
