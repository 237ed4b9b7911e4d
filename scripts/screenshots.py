"""Screenshots of every page of a running dashboard at 1366 and 390 px, with Debian's Chromium
(no download), and the layout check (scripts/layout_check.js) on each.

Usage: python scripts/screenshots.py [BASE_URL] [OUT_DIR]

The pages are read from ``PAGES`` in ui/navigation.py, so a new page is photographed without
editing this script; tests/test_screens.py and tests/test_browser.py drive the same pages
through the same helpers.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, Page, Playwright, ViewportSize, sync_playwright

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium, offline: without these flags it tries to reach Google's services
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
# issue #17: every page is checked on an office laptop and on a phone
DESKTOP: ViewportSize = {"width": 1366, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
LAYOUT_CHECK = Path(__file__).with_name("layout_check.js")
RUN_TIMEOUT_MS = 60_000
SETTLE_MS = 500  # plotly draws its charts just after the script run ends
RECHECK_MS = 1500
# what Streamlit 1.67 shows for an uncaught exception and for st.error
SIGN_IN_TITLE = "Masuk ke Pantau"
ERROR_SELECTOR = '[data-testid="stException"], [data-testid="stAlertContentError"]'


@dataclass(frozen=True)
class AppPage:
    """One entry of app.py's PAGES: what the sidebar shows and where the page lives."""

    title: str
    file: str  # "pages/akun_dorman.py"
    url_path: str  # "" for the default page, else "akun_dorman" as Streamlit derives it

    @property
    def name(self) -> str:
        """File stem, used for screenshot names: ``akun_dorman``."""
        return Path(self.file).stem


def app_pages(role: str | None = None) -> list[AppPage]:
    """The pages of the menu (ui/navigation.py), as a role sees them; None: every page."""
    sys.path.insert(0, str(PROJECT_ROOT))
    from ui.navigation import PAGES, page_files

    files = page_files(role)
    return [
        AppPage(title=title, file=path, url_path="" if path == files[0] else Path(path).stem)
        for path, title, _icon, _roles in PAGES
        if path in files
    ]


def sign_in_if_asked(page: Page, login: tuple[str, str] | None) -> None:
    """Each new browser tab is a new Streamlit session: sign in when the form shows."""
    if login is None or page.locator("h1", has_text=SIGN_IN_TITLE).count() == 0:
        return
    form = page.get_by_label("Nama pengguna")
    form.wait_for(timeout=RUN_TIMEOUT_MS)
    form.fill(login[0])
    page.get_by_label("Kata sandi").fill(login[1])
    page.get_by_role("button", name="Masuk").click()


def launch(pw: Playwright) -> Browser:
    return pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def open_page(page: Page, url: str, title: str, login: tuple[str, str] | None = None) -> None:
    """Go to ``url`` (signing in with ``login`` when asked) and wait until the page titled
    ``title`` (or an error) has finished its run."""
    page.goto(url)
    shown = page.locator("h1", has_text=title).or_(page.locator(ERROR_SELECTOR))
    if login is not None:
        shown.or_(page.locator("h1", has_text=SIGN_IN_TITLE)).first.wait_for(timeout=RUN_TIMEOUT_MS)
        sign_in_if_asked(page, login)
    shown.first.wait_for(timeout=RUN_TIMEOUT_MS)
    page.locator(
        '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
        '[data-test-script-state="notRunning"]'
    ).wait_for(timeout=RUN_TIMEOUT_MS)
    page.locator('[data-testid="stSkeleton"]').first.wait_for(
        state="detached", timeout=RUN_TIMEOUT_MS
    )
    page.wait_for_timeout(SETTLE_MS)


def screenshot(page: Page, path: Path | str) -> None:
    """The whole page: Streamlit scrolls inside its main block, so grow the viewport to fit."""
    height = page.evaluate(
        """() => Math.max(...['stMain', 'stSidebarContent'].map(id =>
            document.querySelector(`[data-testid="${id}"]`)?.scrollHeight ?? 0))"""
    )
    size = page.viewport_size or VIEWPORT
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], int(height))})
    page.wait_for_timeout(SETTLE_MS)  # charts and tables redraw for the new size
    page.screenshot(path=path, full_page=True)
    page.set_viewport_size(size)


def layout_defects(page: Page) -> list[dict[str, str]]:
    """Cut or overlapping labels and boxes too narrow for their text on the page as shown
    (scripts/layout_check.js): each defect's kind, element, text and nearest heading."""
    check = LAYOUT_CHECK.read_text(encoding="utf-8")
    found = page.evaluate(check)
    if found:  # once more after a while: a chart may still be redrawing for its final width
        page.wait_for_timeout(RECHECK_MS)
        found = page.evaluate(check)
    return [{key: str(value) for key, value in defect.items()} for defect in found]


def doc_screenshot(page: Page, path: Path | str) -> None:
    """The first screen only, in 256 colours: small enough for the README (about 100-300 KB)."""
    page.screenshot(path=path)
    with Image.open(path) as shot:
        small = shot.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def new_tab(browser: Browser, width: str) -> Page:
    """A tab at an office laptop's width ("1366") or a phone's ("390", touch, 2x pixels)."""
    phone = width == "390"
    context = browser.new_context(
        viewport=PHONE if phone else DESKTOP, is_mobile=phone, has_touch=phone,
        device_scale_factor=2 if phone else 1,
    )  # fmt: skip
    return context.new_page()


def main(base: str = "http://127.0.0.1:8501", out: str = "docs/screenshots") -> None:
    """Every page of the admin's menu at 1366 and 390 px: the first screen of each saved as
    ``<page>-<width>.png``, and the layout check's defects printed (exit status 1 if any).
    Signs in with $PANTAU_SCREENSHOT_USER / $PANTAU_SCREENSHOT_PASSWORD, by default the demo
    world's admin."""
    from services.users import DEMO_PASSWORD

    login = (os.environ.get("PANTAU_SCREENSHOT_USER", "admin"),
             os.environ.get("PANTAU_SCREENSHOT_PASSWORD", DEMO_PASSWORD))  # fmt: skip
    Path(out).mkdir(parents=True, exist_ok=True)
    defects = 0
    with sync_playwright() as pw:
        browser = launch(pw)
        for width in ("1366", "390"):
            page = new_tab(browser, width)
            for app_page in app_pages("admin"):  # as the admin's menu lists them
                url = f"{base.rstrip('/')}/{app_page.url_path}"
                open_page(page, url, app_page.title, login)
                for defect in layout_defects(page):
                    defects += 1
                    print(app_page.title, width, *defect.values(), sep=" | ")
                doc_screenshot(page, Path(out) / f"{app_page.name}-{width}.png")
            page.context.close()
        browser.close()
    sys.exit(1 if defects else 0)


if __name__ == "__main__":
    main(*sys.argv[1:3])
