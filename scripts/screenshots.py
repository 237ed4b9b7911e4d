"""Screenshots of every page of a running dashboard, with Debian's Chromium (no download).

Usage: python scripts/screenshots.py [BASE_URL] [OUT_DIR]

The pages are read from ``PAGES`` in app.py, so a new page is photographed without editing
this script; tests/test_browser.py drives the same pages through the same helpers.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, Page, Playwright, ViewportSize, sync_playwright

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium, offline: without these flags it tries to reach Google's services
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
RUN_TIMEOUT_MS = 60_000
SETTLE_MS = 500  # plotly draws its charts just after the script run ends
# what Streamlit 1.67 shows for an uncaught exception and for st.error
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


def _page_call(node: ast.expr) -> AppPage:
    if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
        raise ValueError(f"app.py line {node.lineno}: expected st.Page('pages/...', title=...)")
    file = str(node.args[0].value)
    keywords = {
        kw.arg: kw.value.value for kw in node.keywords if isinstance(kw.value, ast.Constant)
    }
    url_path = "" if keywords.get("default") else str(keywords.get("url_path") or Path(file).stem)
    return AppPage(
        title=str(keywords.get("title") or Path(file).stem), file=file, url_path=url_path
    )


def app_pages(app_file: Path = PROJECT_ROOT / "app.py") -> list[AppPage]:
    """The pages of app.py's ``PAGES = [st.Page(...), ...]``, read from its source."""
    for node in ast.parse(app_file.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "PAGES" for t in node.targets
        ):
            # a list of pages, or sections as st.navigation takes them: {"Section": [...]}
            if isinstance(node.value, ast.Dict):
                elements = [e for v in node.value.values if isinstance(v, ast.List) for e in v.elts]
            elif isinstance(node.value, ast.List):
                elements = node.value.elts
            else:
                break
            return [_page_call(element) for element in elements]
    raise ValueError(f"{app_file}: no PAGES = [st.Page(...), ...] found")


def launch(pw: Playwright) -> Browser:
    return pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def open_page(page: Page, url: str, title: str) -> None:
    """Go to ``url`` and wait until the page titled ``title`` (or an error) has finished its run."""
    page.goto(url)
    shown = page.locator("h1", has_text=title).or_(page.locator(ERROR_SELECTOR))
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


def main(base: str = "http://127.0.0.1:8501", out: str = "docs/screenshots") -> None:
    Path(out).mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page(viewport=VIEWPORT)
        for app_page in app_pages():
            open_page(page, f"{base.rstrip('/')}/{app_page.url_path}", app_page.title)
            screenshot(page, Path(out) / f"{app_page.name}.png")
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:3])
