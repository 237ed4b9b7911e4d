"""Browser test of the session cookie (issue #18 item 4), on the dashboard as production starts
it (core.supervisor.dashboard_command: serve_app.py's st.App): a reload and a second tab stay
signed in; the cookie is HttpOnly, out of every script's and the URL's reach; a sign-out, a
password change and ``user disable`` end the user's sessions in every tab at once.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from testkit.db_support import NewDatabase
from tests.browser_support import (
    CHROMIUM,
    VIEWPORT,
    chromium_browser,
    clean_environ,
    free_port,
    open_page,
    production_entry,
    session_cookie,
)

ROOT = Path(__file__).resolve().parent.parent
USER = ("kasubbag-ikp", "Tepian-Kapuas-Senja-4817")  # nosec B105 - test user
NEW_PASSWORD = "Bukit-Kelam-Pagi-6093"  # nosec B105 - test user
HOME = "Ringkasan"  # an admin's first page
SIGN_IN = "Masuk ke Pantau"
RUN_TIMEOUT_MS = 60_000
CLICK_TIMEOUT_MS = 15_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.wall_clock,  # the dashboard and the CLI are child processes on the real clock
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} not found"),
]


@dataclass(frozen=True)
class Setup:
    base_url: str
    env: dict[str, str]

    def cli(self, *args: str, stdin: str | None = None) -> None:
        result = subprocess.run(
            [sys.executable, "cli.py", *args], cwd=ROOT, env=self.env, input=stdin,
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def setup(tmp_path: Path, new_db_url: NewDatabase) -> Iterator[Setup]:
    """The production entry on a new database (SQLite, or PostgreSQL on that run) with one
    admin; no PANTAU_SECRET_KEY, so the cookie is signed with the process's own key."""
    port = free_port()
    env = clean_environ(DATABASE_URL=new_db_url("sessions"), PANTAU_HOST="127.0.0.1",
                        PANTAU_PORT=str(port), PANTAU_ENV_FILE="")  # fmt: skip
    ready = Setup(f"http://127.0.0.1:{port}", env)
    ready.cli("init")
    ready.cli("user", "add", USER[0], "--role", "admin", "--password-stdin", stdin=USER[1])
    with production_entry(env, tmp_path / "streamlit.log"):
        yield ready


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium_browser()


def signed_in_tab(browser: Browser, setup: Setup, password: str = USER[1]) -> Page:
    """A new browser (its own cookies) signed in as the test's admin, its cookie fetched."""
    page = browser.new_context(viewport=VIEWPORT).new_page()
    open_page(page, setup.base_url, HOME, (USER[0], password))
    session_cookie(page.context)
    return page


def title_after_run(page: Page) -> str:
    """The page's title once its run has ended: the home page's, or the sign-in form's."""
    shown = page.locator("h1", has_text=HOME).or_(page.locator("h1", has_text=SIGN_IN))
    shown.first.wait_for(timeout=RUN_TIMEOUT_MS)
    page.locator(
        '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
        '[data-test-script-state="notRunning"]'
    ).wait_for(timeout=RUN_TIMEOUT_MS)
    return shown.first.inner_text()


def click_then_sign_in_form(page: Page, target: Locator) -> None:
    """Click ``target``; the run it starts ends on the sign-in form. Clicked once more if
    nothing came of it (a click landing while Streamlit redraws the sidebar can be lost); the
    old 60 s cache of the session check would still fail both."""
    sign_in = page.locator("h1", has_text=SIGN_IN)
    target.click()
    try:
        sign_in.wait_for(timeout=CLICK_TIMEOUT_MS)
    except PlaywrightTimeout:
        target.click()
        expect(sign_in).to_be_visible(timeout=RUN_TIMEOUT_MS)


def sidebar_button(page: Page, name: str) -> Locator:
    return page.locator('[data-testid="stSidebar"]').get_by_role("button", name=name)


def menu_link(page: Page, title: str) -> Locator:
    return page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title)


def reloaded(page: Page) -> str:
    page.reload()
    return title_after_run(page)


def in_new_tab(context: BrowserContext, url: str) -> str:
    tab = context.new_page()
    tab.goto(url)
    return title_after_run(tab)


def test_a_session_survives_a_reload_and_a_second_tab_until_sign_out(
    setup: Setup, browser: Browser
) -> None:
    page = signed_in_tab(browser, setup)
    cookie = session_cookie(page.context)
    assert cookie is not None
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
    assert "pantau_sesi" not in page.evaluate("document.cookie")  # no script can read it
    token = cookie["value"].rpartition(".")[0]
    assert len(token) >= 43 and token not in page.url and token not in page.content()
    assert "?" not in page.url

    assert reloaded(page) == HOME
    assert in_new_tab(page.context, setup.base_url) == HOME
    assert page.url.rstrip("/") == setup.base_url  # still no secret in the address

    click_then_sign_in_form(page, sidebar_button(page, "Keluar"))
    assert session_cookie(page.context, present=False) is None
    assert reloaded(page) == SIGN_IN
    assert in_new_tab(page.context, setup.base_url) == SIGN_IN
    page.context.close()


def test_a_password_change_or_disable_ends_every_session_at_once(
    setup: Setup, browser: Browser
) -> None:
    here, there = signed_in_tab(browser, setup), signed_in_tab(browser, setup)
    setup.cli("user", "passwd", USER[0], "--password-stdin", stdin=NEW_PASSWORD)
    # the other browser's next click (no reload; not "Muat ulang data", which empties every
    # cache) already finds its session ended
    click_then_sign_in_form(there, menu_link(there, "Peringkat"))
    assert reloaded(here) == SIGN_IN

    again = signed_in_tab(browser, setup, NEW_PASSWORD)
    setup.cli("user", "disable", USER[0])
    assert reloaded(again) == SIGN_IN
    for page in (here, there, again):
        page.context.close()
