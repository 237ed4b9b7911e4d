"""Screenshots of every page of a running dashboard, with Debian's Chromium (no download).

Usage: python scripts/screenshots.py [BASE_URL] [OUT_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PAGES = {"ringkasan": "", "peringkat": "peringkat"}
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def main(base: str = "http://127.0.0.1:8501", out: str = "docs/screenshots") -> None:
    Path(out).mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for name, path in PAGES.items():
            page.goto(f"{base}/{path}")
            page.wait_for_selector("h1", timeout=60_000)
            page.wait_for_selector(".js-plotly-plot", timeout=60_000)
            page.wait_for_timeout(1500)
            page.screenshot(path=f"{out}/{name}.png", full_page=True)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:3])
