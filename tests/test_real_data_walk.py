"""The fresh-clone walk of issue #13, against the simulator: a new office registers accounts
with each of real data's faults, collects, and opens every page as the admin and as the OPD's
own user. No traceback, no "Dorman" for an account Pantau cannot read, no reminder queued for
one, and the reason wherever the account is shown."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from cli import app
from collectors.http import HttpOptions
from collectors.service import pass_options, run_collection
from core.settings import Settings, load_settings
from core.timeutil import local_today
from db import repository as repo
from db.engine import make_engine, make_session_factory
from db.models import Opd, Reminder
from present.labels import PLATFORM_LABELS
from refresh import after_write
from services.reminders import queue_dormant_reminders
from services.users import ADMIN, OPD, Principal
from simulator import Fault, SimPost, Simulator, SimWorld, sim_settings_env
from testkit.db_support import NewDatabase
from tests.app_support import choose_month, ensure_user, run_page, serve_from, texts
from ui.navigation import page_files

OPD_CODE = "DINKES"
HTTP_SITE = "dinkes.sintangkab.example"
# (platform, registry handle, what the simulator does with it)
ACCOUNTS = [
    ("facebook", "dinkes.sintang", "a Page with a post without text and hidden counts"),
    ("instagram", "dinkes_sintang", "read once with old posts, then turned personal"),
    ("youtube", "@dinkessintangtv", "never found"),
    ("tiktok", "dinkes_sintang", "no token stored"),
    ("x", "dinkes_stg", "readable, quiet for weeks: the one to remind"),
    ("website", f"http://{HTTP_SITE}", "plain http only"),
]
UNREADABLE = {"instagram", "youtube", "tiktok"}


def no_wait(_seconds: float) -> None:
    """Retries cost no time in tests."""


def world(now: datetime) -> SimWorld:
    sim_world = SimWorld(now)

    def posts(platform: str, captions: list[str | None], age: int = 1) -> list[SimPost]:
        return [
            SimPost(
                post_id=f"{platform[:2]}-{n}", posted_at=now - timedelta(days=n + age, hours=3),
                caption=caption, likes=None if n == 0 else 12 * n, comments=n, shares=None,
                views=None, url=f"https://example.invalid/{platform}/{n}",
            )
            for n, caption in enumerate(captions)
        ]  # fmt: skip

    text = "Kepala Dinas Kesehatan membuka rapat koordinasi posyandu di aula kantor, Senin pagi."
    sim_world.add_account("facebook", "dinkes.sintang", followers=900, posts=posts(
        "facebook", [None, "", text, "   "]))  # fmt: skip
    sim_world.add_account("instagram", "dinkes_sintang", followers=400, posts=posts(
        "instagram", [text], age=50))  # fmt: skip
    sim_world.add_account("tiktok", "dinkes_sintang", followers=50, posts=posts("tiktok", [text]))
    sim_world.add_account("x", "dinkes_stg", followers=30, posts=posts("x", [text, None], age=45))
    sim_world.add_account("website", HTTP_SITE, posts=posts("website", [text]))
    return sim_world


def only_plain_http(sim: Simulator) -> httpx.MockTransport:
    """The OPD's site answers on port 80 only, as many regency sites do."""

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.host == HTTP_SITE and request.url.scheme == "https":
            raise httpx.ConnectError("connection refused", request=request)
        return sim.handle(request)

    return httpx.MockTransport(handle)


def register(url: str, folder: Path) -> None:
    """As an office does it: `cli.py init`, then `cli.py registry import` of its own sheet."""
    sheet = folder / "akun-dinkes.csv"
    rows = ["opd_code,opd_name,category,platform,handle"]
    rows += [f"{OPD_CODE},Dinas Kesehatan,dinas,{p},{h}" for p, h, _why in ACCOUNTS]
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    for args in (["init"], ["registry", "import", str(sheet)]):
        result = CliRunner().invoke(app, args, env={"DATABASE_URL": url})
        assert result.exit_code == 0, result.output


@pytest.fixture
def walked(
    new_db_url: NewDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixed_now: datetime
) -> Iterator[tuple[str, Settings]]:
    """The walk's world, read twice; the test runs at FIXED_NOW (the world is built around it)."""
    url = new_db_url("walk")
    register(url, tmp_path)
    now = fixed_now
    sim = Simulator(world(now), sleep=no_wait)
    env = sim_settings_env(sim) | {"PANTAU_SECRET_KEY": Fernet.generate_key().decode()}
    settings = load_settings(environ=env | {"DATABASE_URL": url})
    factory = make_session_factory(make_engine(url))
    options = pass_options(settings)
    for turned_personal in (False, True):  # read once, then the Instagram account turns personal
        if turned_personal:
            sim.faults.add(Fault("not_found", platform="instagram", handle="dinkes_sintang"))
        transport = only_plain_http(sim)
        run_collection(factory, settings, options, transport, HttpOptions(sleep=no_wait))
        with factory() as session:
            after_write(session, settings)
            session.commit()
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    yield from ((u, settings) for u in serve_from(url, monkeypatch))


def tables_text(at: AppTest) -> str:
    return "\n".join(d.value.to_csv() for d in at.dataframe)


def account_ids(url: str) -> dict[str, int]:
    with make_session_factory(make_engine(url))() as session:
        by_handle = repo.account_ids_by_handle(session)
    return {platform: account_id for (platform, _h), account_id in by_handle.items()}


def opd_user(url: str) -> Principal:
    with make_session_factory(make_engine(url))() as session:
        opd = session.scalar(select(Opd).where(Opd.code == OPD_CODE))
        assert opd is not None
        principal = Principal("admin-dinkes", OPD, opd.id, opd.name)
    ensure_user(principal, OPD_CODE)
    return principal


@pytest.mark.usefixtures("walked")
def test_the_website_keeps_plain_http_and_is_read() -> None:
    result = CliRunner().invoke(app, ["status", "--accounts", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {row["platform"]: row for row in json.loads(result.output)["accounts"]}
    assert rows["website"]["last_status"] == "ok" and rows["website"]["status"] == "active"
    assert rows["facebook"]["status"] == "active"


def test_status_names_each_unreadable_account_and_its_reason(walked: tuple[str, Settings]) -> None:
    for fmt in ("json", "csv", "table"):
        result = CliRunner().invoke(app, ["status", "--accounts", "--format", fmt])
        assert result.exit_code == 0, result.output
        if fmt == "json":
            rows = {r["platform"]: r for r in json.loads(result.output)["accounts"]}
            assert {p for p, r in rows.items() if r["status"] == "unreadable"} == UNREADABLE
            assert all(rows[p]["reason"] for p in UNREADABLE)
            assert "profesional" in rows["instagram"]["reason"]
        else:  # each unreadable account with its reason, in the office's words
            assert result.output.count("unreadable") >= len(UNREADABLE), result.output
            assert "profesional" in result.output and "tidak ditemukan" in result.output
        assert "pengembang" not in result.output


def test_no_reminder_is_queued_for_an_unreadable_account(walked: tuple[str, Settings]) -> None:
    url, settings = walked
    with make_session_factory(make_engine(url))() as session:
        queue_dormant_reminders(session, settings, local_today(settings.tz), PLATFORM_LABELS)
        queued = set(session.scalars(select(Reminder.account_id)).all())
    ids = account_ids(url)
    assert not queued & {ids[p] for p in UNREADABLE}
    assert queued == {ids["x"]}  # the readable quiet one is reminded


def test_every_page_as_admin_shows_the_reason_not_dormant(walked: tuple[str, Settings]) -> None:
    admin = Principal("kabid", ADMIN)
    for page in page_files(ADMIN):
        at = run_page(page, admin)
        assert at.title, page
    ringkasan = run_page("pages/ringkasan.py", admin)  # October: read only on 26 November
    assert {m.label: m.value for m in ringkasan.metric}["Tidak terbaca"] == "0"
    choose_month(ringkasan, "2026-11")  # the running month, as of the reads
    counts = {m.label: m.value for m in ringkasan.metric}
    assert counts["Tidak terbaca"] == str(len(UNREADABLE)) and counts["Dorman"] == "1"
    assert "bukan akun profesional" in texts(ringkasan)
    peringkat = choose_month(run_page("pages/peringkat.py", admin), "2026-11")
    assert "Tidak diberi peringkat" in [h.value for h in peringkat.subheader]
    assert len(peringkat.dataframe[0].value) == len(ACCOUNTS) - len(UNREADABLE)
    assert "bukan akun profesional" in texts(peringkat)
    dorman = run_page("pages/akun_dorman.py", admin)
    reasons = [line for line in texts(dorman).splitlines() if "tidak ditemukan" in line
               or "TikTok" in line or "profesional" in line]  # fmt: skip
    mentions = [str(m.value) for m in dorman.markdown if "dinkes" in str(m.value)]
    listed = [m for m in mentions if "profesional" in m]  # the unreadable ones, with reasons
    cards = [m for m in mentions if m not in listed]  # the phone's cards of the dormant ones
    assert len(listed) == 1 and len(cards) == 1, mentions
    assert "dinkes\\_stg" in cards[0] and "Dorman" in cards[0] and "profesional" not in cards[0]
    assert len(reasons) >= len(UNREADABLE), texts(dorman)
    # the quiet X account may be reminded; no unreadable one is offered
    offered = dorman.selectbox(key="dorman_account").options
    assert len(offered) == 1 and " · Dinas Kesehatan · " in offered[0], offered  # one admin
    message = dorman.text_area[0].value
    assert "dinkes_stg" in message  # the quiet X account, and no unreadable one
    assert not [h for p, h, _why in ACCOUNTS if p in UNREADABLE and h in message], message


def test_detail_akun_shows_each_reason_to_admin_and_opd_user(walked: tuple[str, Settings]) -> None:
    url, _settings = walked
    ids = account_ids(url)
    for user in (Principal("kabid", ADMIN), opd_user(url)):
        for platform in page_files(user.role):
            at = run_page(platform, user)
            assert at.title
        for platform, account_id in ids.items():
            at = run_page("pages/detail_akun.py", user)
            at.selectbox(key="detail_akun").set_value(account_id).run()
            assert not at.exception
            shown = texts(at)
            if platform in UNREADABLE:
                assert "Tidak terbaca" in shown and "Dorman" not in shown, (platform, shown)
                assert "tidak dapat membaca akun ini" in shown
            else:
                assert "Tidak terbaca" not in shown, (platform, shown)
