"""Browser test: the dashboard started as `make run` does, every page opened in Debian's Chromium.

The demo database is a copy of conftest's demo world as of today (``cli.py init`` then
``cli.py demo`` on the real clock, as `make run` does, for the dashboard and its worker run on it;
built once per test session; a SQLite file, or a PostgreSQL database on that run); a post whose
caption carries script markup is added through ``cli.py import``; then ``cli.py serve`` starts
the worker and Streamlit. PANTAU_SAVE_SCREENSHOTS=1 writes the screenshots to docs/screenshots/.
"""

from __future__ import annotations

import contextlib
import csv
import http.client
import os
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
from playwright.sync_api import Browser, Page, sync_playwright
from pypdf import PdfReader
from sqlalchemy import text

from db.engine import make_engine
from services.users import DEMO_PASSWORD

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# scripts/ is no package (mypy knows scripts/screenshots.py as `screenshots`): import it by path
sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
from screenshots import (  # noqa: E402
    CHROMIUM,
    ERROR_SELECTOR,
    VIEWPORT,
    AppPage,
    app_pages,
    launch,
    open_page,
    screenshot,
)

# read at import: the autouse clean_environ fixture removes PANTAU_* before each test
SAVE_SCREENSHOTS = os.environ.get("PANTAU_SAVE_SCREENSHOTS") == "1"
SCREENSHOT_DIR = PROJECT_ROOT / "docs" / "screenshots"
HEALTH_TIMEOUT_S = 120
STOP_TIMEOUT_S = 15
PAGES = app_pages("admin")  # the admin's menu: every page but the opd home
DEMO_LOGIN = ("admin", DEMO_PASSWORD)  # `serve` creates it on the demo world and prints it
MUST_SHOW_DEMO_LABEL = {"Ringkasan", "Peringkat"}
XSS_CAPTION = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} not found: install Debian's chromium (scripts/apt-install.sh run)",
    ),
]


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


@pytest.fixture(scope="module")
def dashboard(
    todays_demo_copy: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Dashboard]:
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


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = launch(pw)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


def assert_page_shown(page: Page, title: str) -> None:
    """The page's own title, and no exception, error box or traceback anywhere."""
    errors = page.locator(ERROR_SELECTOR)
    assert errors.count() == 0, errors.all_inner_texts()
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "Traceback" not in main
    assert page.locator("h1").first.inner_text() == title, main[:1000]


def assert_sidebar_titles(page: Page) -> None:
    """The navigation lists every page by its Indonesian title, never by its file name."""
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    for app_page in PAGES:
        assert app_page.title in nav
        if app_page.name != app_page.title.lower():
            assert app_page.name not in nav


def assert_not_pwned(page: Page) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined", "caption markup was executed"


@pytest.mark.parametrize("app_page", PAGES, ids=[p.name for p in PAGES])
def test_page_opens_without_error(
    dashboard: Dashboard, page: Page, app_page: AppPage, tmp_path: Path
) -> None:
    open_page(page, dashboard.url(app_page.url_path), app_page.title, DEMO_LOGIN)
    assert_page_shown(page, app_page.title)
    assert_sidebar_titles(page)
    assert_not_pwned(page)
    if app_page.title in MUST_SHOW_DEMO_LABEL:
        assert page.get_by_text("DATA DEMO").first.is_visible()
    out_dir = SCREENSHOT_DIR if SAVE_SCREENSHOTS else tmp_path
    out_dir.mkdir(parents=True, exist_ok=True)
    screenshot(page, out_dir / f"{app_page.name}.png")


def test_caption_markup_is_not_executed(dashboard: Dashboard, page: Page) -> None:
    detail = next(p for p in PAGES if p.file == "pages/detail_akun.py")
    url = dashboard.url(f"{detail.url_path}?akun={dashboard.xss_account_id}")
    open_page(page, url, detail.title, DEMO_LOGIN)
    assert_page_shown(page, detail.title)
    # the account named in the URL is the one shown, not the first of the list
    chosen = page.locator('[data-testid="stSelectbox"] input').first.input_value()
    assert dashboard.xss_handle in chosen
    assert_not_pwned(page)


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
