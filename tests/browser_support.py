"""The browser tests' dashboard and helpers (tests/test_browser.py, tests/test_screens.py).

The demo database is a copy of conftest's demo world as of today (``cli.py init`` then
``cli.py demo`` on the real clock, as `make run` does, for the dashboard and its worker run on it;
built once per test session; a SQLite file, or a PostgreSQL database on that run); a post whose
caption carries script markup is added through ``cli.py import``; then ``cli.py serve`` starts
the worker and Streamlit. Tables are read through glide data grid's accessible table (the grid
itself is a canvas).
"""

from __future__ import annotations

import contextlib
import csv
import http.client
import math
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Cookie, Locator, Page, sync_playwright
from sqlalchemy import text

from core.settings import load_settings
from core.supervisor import dashboard_command
from db.engine import make_engine

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# scripts/ is no package (mypy knows scripts/screenshots.py as `screenshots`): import it by path
sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
from screenshots import (  # noqa: E402  (re-exported for the browser tests)
    CHROMIUM,
    DESKTOP,
    ERROR_SELECTOR,
    PHONE,
    VIEWPORT,
    AppPage,
    app_pages,
    doc_screenshot,
    launch,
    layout_defects,
    new_tab,
    open_page,
    screenshot,
)

__all__ = [
    "CHROMIUM", "DESKTOP", "PHONE", "VIEWPORT", "AppPage", "Dashboard", "app_pages",
    "assert_page_shown", "cell_number", "chromium_browser", "doc_screenshot", "layout_defects",
    "new_tab", "open_page", "running_dashboard", "screenshot", "session_cookie",
    "sorted_column",
]  # fmt: skip

HEALTH_TIMEOUT_S = 120
COOKIE_TIMEOUT_S = 15
SESSION_COOKIE = "pantau_sesi"
STOP_TIMEOUT_S = 15
XSS_CAPTION = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'


@dataclass(frozen=True)
class Dashboard:
    base_url: str
    xss_account_id: int
    xss_handle: str
    db_url: str

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path}"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def child_environ(db_url: str, port: int) -> dict[str, str]:
    """The developer's environment without Pantau settings, plus this test's database and port."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("PANTAU_")
        and name not in ("DATABASE_URL", "HTTP_PROXY", "HTTPS_PROXY")
    }
    env.update(DATABASE_URL=db_url, PANTAU_HOST="127.0.0.1", PANTAU_PORT=str(port))
    return env


def add_xss_post(csv_file: Path, env: dict[str, str]) -> tuple[int, str]:
    """Import one post with script markup in its caption for a demo Instagram account."""
    engine = make_engine(env["DATABASE_URL"])
    with engine.connect() as conn:
        # not the first account, so the page must honour ?akun= to show it
        account = conn.execute(
            text("SELECT id, handle FROM accounts WHERE platform = 'instagram' ORDER BY id DESC")
        ).first()
    assert account is not None, "the demo world has no Instagram account"
    account_id, handle = account
    posted = (datetime.now() - timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    with csv_file.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["platform", "handle", "post_id", "posted_at", "caption", "likes"])
        writer.writerow(["instagram", handle, "xss-check-1", posted, XSS_CAPTION, "5"])
    result = subprocess.run(
        [sys.executable, "cli.py", "import", str(csv_file)],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    try:
        with engine.connect() as conn:
            query = text("SELECT caption FROM posts WHERE platform_post_id = 'xss-check-1'")
            stored = conn.scalar(query)
    finally:
        engine.dispose()
    assert stored == XSS_CAPTION
    return int(account_id), str(handle)


def wait_healthy(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"`cli.py serve` exited with {proc.returncode}:\n{log.read_text()}")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", "/_stcore/health")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.5)
    pytest.fail(f"dashboard not healthy after {HEALTH_TIMEOUT_S} s:\n{log.read_text()}")


def stop_group(proc: subprocess.Popen[bytes]) -> None:
    """Ctrl-C to the whole process group (supervisor, worker, Streamlit); kill if it lingers."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    # children the supervisor failed to reap still carry the group id
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


def running_dashboard(
    todays_demo_copy: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Dashboard]:
    """A browser test module's ``dashboard`` fixture: `cli.py serve` on a copy of today's demo
    world with one post whose caption carries script markup."""
    workdir = tmp_path_factory.mktemp("browser")
    port = free_port()
    env = child_environ(todays_demo_copy("browser"), port)
    account_id, handle = add_xss_post(workdir / "xss-posts.csv", env)
    log = workdir / "serve.log"
    with log.open("wb") as out:
        # `make run` is `python cli.py serve`; a new session makes the group easy to stop
        proc = subprocess.Popen(
            [sys.executable, "cli.py", "serve"],
            cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        wait_healthy(port, proc, log)
        yield Dashboard(f"http://127.0.0.1:{port}", account_id, handle, env["DATABASE_URL"])
    finally:
        stop_group(proc)
    assert "loading the demo world" not in log.read_text(), "serve reloaded the demo world"


def clean_environ(**settings: str) -> dict[str, str]:
    """This process's environment without any Pantau setting or proxy, plus ``settings``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PANTAU_") and k not in ("DATABASE_URL", "HTTP_PROXY", "HTTPS_PROXY")
    }
    env.update(settings)
    return env


@contextlib.contextmanager
def production_entry(env: dict[str, str], log: Path) -> Iterator[None]:
    """The dashboard as `make run` starts it (core.supervisor's command: serve_app.py with the
    session-cookie routes), healthy on ``PANTAU_PORT``; stopped with its group afterwards."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            dashboard_command(load_settings(env)), cwd=PROJECT_ROOT, env=env, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        wait_healthy(int(env["PANTAU_PORT"]), proc, log)
        yield
    finally:
        stop_group(proc)


def session_cookie(context: BrowserContext, present: bool = True) -> Cookie | None:
    """The browser's ``pantau_sesi`` cookie once the page has fetched it after a sign-in (or,
    with ``present=False``, None once a sign-out has cleared it)."""
    deadline = time.monotonic() + COOKIE_TIMEOUT_S
    while time.monotonic() < deadline:
        found = next((c for c in context.cookies() if c.get("name") == SESSION_COOKIE), None)
        if (found is not None) == present:
            return found
        time.sleep(0.2)
    pytest.fail(f"the session cookie was {'never set' if present else 'not cleared'}")


def chromium_browser() -> Iterator[Browser]:
    """A browser test module's ``browser`` fixture: Debian's Chromium."""
    with sync_playwright() as pw:
        chromium = launch(pw)
        yield chromium
        chromium.close()


def assert_page_shown(page: Page, title: str) -> None:
    """The page's own title, and no exception, error box or traceback anywhere."""
    errors = page.locator(ERROR_SELECTOR)
    assert errors.count() == 0, errors.all_inner_texts()
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "Traceback" not in main
    assert page.locator("h1").first.inner_text() == title, main[:1000]


# Where a column's header is drawn on the grid's canvas: glide data grid keeps its columns'
# widths only in its React component's props, so they are read from there.
HEADER_POINT_JS = """(grid, title) => {
  const canvas = grid.querySelector('[data-testid="data-grid-canvas"]');
  const fiberKey = Object.keys(canvas).find((key) => key.startsWith("__reactFiber"));
  let fiber = canvas[fiberKey];
  while (fiber && !(fiber.memoizedProps && fiber.memoizedProps.columns)) fiber = fiber.return;
  if (!fiber) return null;
  const { columns, headerHeight, cellXOffset, translateX } = fiber.memoizedProps;
  // a sorted column's title carries an arrow: "↑ Tanpa unggahan"
  const index = columns.findIndex((column) => column.title.replace(/^[↑↓] /, "") === title);
  if (index < cellXOffset) return null;
  const left = columns.slice(cellXOffset, index).reduce((sum, column) => sum + column.width, 0);
  const box = canvas.getBoundingClientRect();
  // the left quarter of the header: a header's menu button sits at its right end
  const x = box.left + (translateX || 0) + left + columns[index].width / 4;
  return x < box.right ? [x, box.top + headerHeight / 2] : null;
}"""
SORT_TIMEOUT_S = 10


def click_header(page: Page, grid: Locator, title: str) -> None:
    """Click a column's header on the grid's canvas (Streamlit sorts by that column)."""
    grid.scroll_into_view_if_needed()
    point = grid.evaluate(HEADER_POINT_JS, title)
    assert point is not None, f"column {title!r} not shown in the table"
    page.mouse.click(point[0], point[1])


ROWS_JS = """(rows, colindex) => rows.map((row) => [Number(row.getAttribute("aria-rowindex")),
    row.querySelector(`td[aria-colindex="${colindex}"]`)?.textContent ?? ""])"""
# half a screen down; true when already at the bottom
SCROLL_JS = """(node) => { const before = node.scrollTop;
    node.scrollTop += node.clientHeight / 2; return node.scrollTop === before; }"""
REDRAW_TIMEOUT_S = 5


def shown_rows(rows: Locator, colindex: str | None) -> dict[int, str]:
    """The accessible table's rows now: row index to the column's cell."""
    return {int(index): str(cell) for index, cell in rows.evaluate_all(ROWS_JS, colindex)}


def grid_column(grid: Locator, title: str) -> list[str]:
    """A column's cells in the order the grid shows them. Glide renders an accessible table of
    the rows in view only, a frame or more after a scroll, so the grid is scrolled through from
    the top half a screen at a time, waiting each time for the rows to follow."""
    header = grid.locator('th[role="columnheader"]', has_text=title).first
    colindex = header.get_attribute("aria-colindex")
    rowcount = int(grid.locator('table[role="grid"]').get_attribute("aria-rowcount") or 0) - 1
    rows = grid.locator('tbody tr[role="row"]')
    scroller = grid.locator(".dvn-scroller").first
    scroller.evaluate("node => { node.scrollTop = 0; }")
    grid.page.wait_for_timeout(200)
    cells: dict[int, str] = {}
    for _ in range(rowcount):
        shown = shown_rows(rows, colindex)
        cells.update(shown)
        if len(cells) >= rowcount or scroller.evaluate(SCROLL_JS):
            break
        deadline = time.monotonic() + REDRAW_TIMEOUT_S
        while time.monotonic() < deadline and shown_rows(rows, colindex).keys() <= shown.keys():
            grid.page.wait_for_timeout(50)
    assert len(cells) == rowcount, f"read {len(cells)} of {rowcount} rows"
    scroller.evaluate("node => { node.scrollTop = 0; }")
    return [cells[index] for index in sorted(cells)]


def sorted_column(page: Page, grid: Locator, title: str) -> list[str]:
    """Click the header, wait until the grid's order changes, and read the column."""
    before = grid_column(grid, title)
    click_header(page, grid, title)
    deadline = time.monotonic() + SORT_TIMEOUT_S
    while time.monotonic() < deadline:
        page.wait_for_timeout(200)
        after = grid_column(grid, title)
        if after != before:
            return after
    pytest.fail(f"clicking {title!r} did not change the table's order")


RAW_NUMBER = re.compile(r"-?\d+(\.\d+)?(e[+-]?\d+)?")
INDONESIAN_NUMBER = re.compile(r"-?\d{1,3}(\.\d{3})*(,\d+)?")


def cell_number(cell: str) -> float:
    """The value of a number cell as the accessible table gives it: the grid's raw number
    ("240", "10.5", "Infinity" for never) or else an Indonesian-formatted one ("1.234,5 hari")."""
    cell = cell.strip()
    if cell in ("Infinity", "belum pernah"):
        return math.inf
    if RAW_NUMBER.fullmatch(cell):
        return float(cell)
    found = INDONESIAN_NUMBER.search(cell)
    assert found is not None, f"not a number: {cell!r}"
    return float(found.group().replace(".", "").replace(",", "."))
