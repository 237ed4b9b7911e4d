"""Browser test of Sambungkan Akun, end to end on the simulator's consent pages.

An admin creates an invite; the OPD admin opens it in another browser, sets a password,
connects TikTok and a Facebook Page on the simulator's consent pages, comes back to Pantau and
sees both connected; after one collection Detail Akun shows the Page's reply rate. A denied
consent, a replayed ``state`` and an expired code each show a clear Indonesian message and
store nothing. The dashboard is Streamlit itself (as `make run` starts it) on a fresh database
with a small registry; the simulator listens on loopback in this process.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from playwright.sync_api import Browser, Locator, Page, Route, expect, sync_playwright
from sqlalchemy import text

from db.engine import make_engine
from simulator import SimPost, Simulator, SimWorld, sim_settings_env
from simulator.server import SimServer, start_server
from testkit.db_support import NewDatabase
from tests.browser_support import clean_environ, free_port, production_entry, session_cookie

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from screenshots import CHROMIUM, ERROR_SELECTOR, VIEWPORT, launch, open_page

ROOT = Path(__file__).resolve().parent.parent
ADMIN = ("kabid-ikp", "sandi-admin-uji-2026")
OPD_ADMIN = ("admin-humas", "sandi-humas-uji-2026")
TITLE = "Sambungkan Akun"
HUMAS = "HUMAS,Bagian Humas dan Protokol,sekretariat"
CONTACT = "Rina,0812-3456-7890,humas@example.go.id"
REGISTRY = f"""opd_code,opd_name,category,platform,handle,admin_name,admin_phone,admin_email
{HUMAS},facebook,humas.sintang,{CONTACT}
{HUMAS},tiktok,humas_sintang,{CONTACT}
DINKES,Dinas Kesehatan,dinas,facebook,dinkes.sintang,,,
"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.wall_clock,  # child processes (Streamlit, the CLI) read the real clock
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} not found"),
]


def consent_world(now: datetime) -> SimWorld:
    """HUMAS's Page and TikTok account with recent posts (comments come with the Page posts)."""
    world = SimWorld(now)
    for platform, handle in (("facebook", "humas.sintang"), ("tiktok", "humas_sintang")):
        posts = [
            SimPost(f"{platform[:2]}-{i}", now - timedelta(hours=5 * i + 3),
                    caption=f"Bupati Sintang membuka rapat koordinasi ke-{i} di Balai Praja",
                    likes=20 + i, comments=6, shares=2, views=300 if platform == "tiktok" else None)
            for i in range(8)
        ]  # fmt: skip
        world.add_account(platform, handle, name="Humas Sintang", posts=posts, followers=900)
    world.add_account("facebook", "dinkes.sintang", name="Dinas Kesehatan Sintang", followers=300)
    return world


@dataclass(frozen=True)
class Setup:
    base_url: str
    env: dict[str, str]
    sim: Simulator

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path}"

    def tokens(self) -> int:
        engine = make_engine(self.env["DATABASE_URL"])
        with engine.connect() as conn:
            count = int(conn.scalar(text("SELECT COUNT(*) FROM account_tokens")) or 0)
        engine.dispose()
        return count

    def account_id(self, platform: str, handle: str) -> int:
        engine = make_engine(self.env["DATABASE_URL"])
        with engine.connect() as conn:
            found = conn.scalar(text("SELECT id FROM accounts WHERE platform = :p AND handle = :h"),
                                {"p": platform, "h": handle})  # fmt: skip
        engine.dispose()
        return int(found)


def cli(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "cli.py", *args], cwd=ROOT, env=env, input=stdin,
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def setup(tmp_path: Path, new_db_url: NewDatabase) -> Iterator[Setup]:
    """Streamlit on a new database (SQLite, or PostgreSQL on that run) and the simulator."""
    workdir = tmp_path
    server: SimServer = start_server(Simulator(consent_world(datetime.now(UTC))))
    port = free_port()
    env = clean_environ(**sim_settings_env(server.sim))
    env.update(
        DATABASE_URL=new_db_url("connect"), PANTAU_HOST="127.0.0.1",
        PANTAU_PORT=str(port), PANTAU_PUBLIC_URL=f"http://127.0.0.1:{port}",
        PANTAU_SECRET_KEY=Fernet.generate_key().decode(), PANTAU_ENV_FILE="",
    )  # fmt: skip
    registry = workdir / "daftar.csv"
    registry.write_text(REGISTRY, encoding="utf-8")
    cli(env, "init", "--registry", str(registry))
    cli(env, "user", "add", ADMIN[0], "--role", "admin", "--password-stdin", stdin=ADMIN[1])
    try:
        with production_entry(env, workdir / "streamlit.log"):
            yield Setup(f"http://127.0.0.1:{port}", env, server.sim)
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = launch(pw)
        yield chromium
        chromium.close()


def main_text(page: Page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def wait_for_text(page: Page, words: str) -> None:
    page.locator('[data-testid="stMain"]').get_by_text(words).first.wait_for(timeout=60_000)


def account_row(page: Page, platform: str) -> Locator:
    """The horizontal block of one account line (its platform's name in the first column)."""
    handle = "@humas_sintang" if platform == "TikTok" else "@humas.sintang"
    return (
        page.locator('[data-testid="stHorizontalBlock"]')
        .filter(has_text=platform)
        .filter(has_text=handle)
    )


def choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the Streamlit selectbox labelled ``label``."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label)
    page.wait_for_timeout(1000)  # the combobox (react-aria) opens only once it has settled
    box.get_by_role("button", name="Open").click()
    page.wait_for_timeout(500)
    page.get_by_role("option").filter(has_text=option).first.click()


def click_connect(page: Page, platform: str) -> None:
    row = account_row(page, platform)
    row.get_by_role("button", name="Sambungkan").click()
    page.locator("#sim-consent").wait_for(timeout=60_000)  # the platform's consent page


def test_invite_connect_collect_and_the_refusals(setup: Setup, browser: Browser) -> None:
    admin = browser.new_context(viewport=VIEWPORT).new_page()
    open_page(admin, setup.url("sambungkan_akun"), TITLE, ADMIN)
    assert session_cookie(admin.context) is not None
    admin.get_by_text("Undang admin OPD").click()
    choose(admin, "OPD yang diundang", "Bagian Humas dan Protokol")
    admin.get_by_role("button", name="Buat undangan").click()
    wait_for_text(admin, "berlaku sampai")
    link = admin.locator('[data-testid="stCode"] code').first.inner_text().strip()
    assert "?undangan=" in link
    assert admin.get_by_role("link", name="Kirim lewat WhatsApp").get_attribute(
        "href", timeout=5000
    )

    # the OPD admin, in a browser of their own
    page = browser.new_context(viewport=VIEWPORT).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(link)
    page.locator("h1", has_text="Undangan Pantau").wait_for(timeout=60_000)
    wait_for_text(page, "Bagian Humas dan Protokol")
    page.get_by_role("textbox", name="Nama pengguna").fill(OPD_ADMIN[0])
    page.get_by_role("textbox", name="Kata sandi", exact=True).fill(OPD_ADMIN[1])
    page.get_by_role("textbox", name="Ulangi kata sandi").fill(OPD_ADMIN[1])
    page.get_by_role("button", name="Buat akun dan lanjutkan").click()
    page.locator("h1", has_text=TITLE).wait_for(timeout=60_000)
    assert "dinkes.sintang" not in main_text(page)  # another OPD's account is not shown

    callbacks: list[str] = []  # the addresses the platforms send the browser back to
    page.on("request", lambda r: callbacks.append(r.url) if "state=" in r.url
            and r.url.startswith(setup.base_url) else None)  # fmt: skip

    # denied consent: a clear message, nothing stored
    click_connect(page, "TikTok")
    page.locator("#sim-deny").click()
    wait_for_text(page, "Persetujuan dibatalkan")
    assert setup.tokens() == 0

    # TikTok and the Facebook Page (ticked on Meta's page), allowed
    click_connect(page, "TikTok")
    page.locator("#sim-allow").click()
    wait_for_text(page, "Akun TikTok tersambung")
    click_connect(page, "Facebook")
    page.locator('input[name=sim_accounts][value="humas.sintang"]').check()
    page.locator("#sim-allow").click()
    wait_for_text(page, "Akun Facebook dan Instagram tersambung")
    assert setup.tokens() == 2
    connected = page.locator('[data-testid="stMain"]').get_by_text("Tersambung oleh pemilik")
    expect(connected).to_have_count(2, timeout=30_000)

    # the same return address again (a replayed state): refused, nothing more stored
    page.goto(callbacks[-1])
    wait_for_text(page, "sudah pernah dipakai")
    assert setup.tokens() == 2

    # an expired code: the platform's answer reaches Pantau only after the code expired
    account_row(page, "TikTok").get_by_role("button", name="Putuskan").click()
    wait_for_text(page, "Sambungan diputus")
    assert setup.tokens() == 1

    def expire_then_go(route: Route) -> None:
        answer = route.fetch(max_redirects=0)  # the platform issues the code and redirects
        setup.sim.state.oauth.expire_codes()  # ... and the code expires before Pantau uses it
        route.fulfill(response=answer)

    def decision(url: str) -> bool:
        return "sim_decision=allow" in url

    page.route(decision, expire_then_go)
    click_connect(page, "TikTok")
    page.locator("#sim-allow").click()
    wait_for_text(page, "kedaluwarsa atau sudah dipakai")
    assert setup.tokens() == 1
    page.unroute(decision)
    click_connect(page, "TikTok")
    page.locator("#sim-allow").click()
    wait_for_text(page, "Akun TikTok tersambung")
    assert setup.tokens() == 2

    # one collection, then the Page's reply rate in Detail Akun
    cli(setup.env, "collect")
    page_id = setup.account_id("facebook", "humas.sintang")
    open_page(page, setup.url(f"detail_akun?akun={page_id}"), "Detail Akun", OPD_ADMIN)
    assert page.locator(ERROR_SELECTOR).count() == 0
    rate = page.locator('[data-testid="stMetric"]').filter(has_text="Tingkat balasan")
    value = rate.locator('[data-testid="stMetricValue"]').inner_text()
    assert value.endswith("%"), value
    assert not errors, errors
