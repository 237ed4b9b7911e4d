"""The credential check (issue #15) against the simulator: each verdict, its Indonesian words,
the exit status, and no secret in anything it returns."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlalchemy.orm import Session

from collectors.check import CheckResult, quota_reset
from collectors.http import HttpOptions
from core.settings import Settings, load_settings
from db import tokens as token_store
from services.credential_check import RECORD_KEYS, as_records, exit_status, run_check
from simulator import Fault, Simulator
from tests.check_support import PAGE_WITH_TOKEN, check_world, office_env, register, secret_values
from tests.clock import FIXED_NOW, WIB

IG = "PANTAU_META_TOKEN, PANTAU_IG_USER_ID"
FB = "PANTAU_META_TOKEN"
YT = "PANTAU_YOUTUBE_API_KEY"
X = "PANTAU_X_BEARER_TOKEN"
META_APP = "PANTAU_META_APP_ID, PANTAU_META_APP_SECRET"
GOOGLE_APP = "PANTAU_GOOGLE_CLIENT_ID, PANTAU_GOOGLE_CLIENT_SECRET"
TIKTOK_APP = "PANTAU_TIKTOK_CLIENT_KEY, PANTAU_TIKTOK_CLIENT_SECRET"


def no_wait(_seconds: float) -> None:
    """Retries cost no time in tests."""


Checked = tuple[Simulator, Settings, dict[tuple[str, str], int]]


@pytest.fixture
def checked(session: Session) -> Checked:
    world = check_world()
    key = Fernet.generate_key().decode()
    sim = Simulator(world, sleep=no_wait)
    ids = register(session, world, key)
    return sim, load_settings(environ=office_env(sim, key)), ids


def check(
    session: Session, settings: Settings, transport: httpx.BaseTransport
) -> list[CheckResult]:
    options = HttpOptions(sleep=no_wait, clock=lambda: 0.0)
    return run_check(session, settings, transport, options, now=FIXED_NOW)


def office(results: list[CheckResult], credential: str) -> CheckResult:
    (found,) = [r for r in results if r.account is None and r.credential == credential]
    return found


def token_rows(results: list[CheckResult]) -> dict[tuple[str, str], CheckResult]:
    return {(r.platform, r.account): r for r in results if r.account is not None}


def with_env(settings: Settings, **values: str) -> Settings:
    return replace(settings, **values)


def test_all_good(session: Session, checked: Checked) -> None:
    sim, settings, _ = checked
    results = check(session, settings, sim.transport())
    assert exit_status(results) == 0
    assert [r for r in results if r.ok is False] == []

    ig = office(results, IG)
    assert ig.ok and ig.fix == ""
    assert ig.detail == (
        "Business Discovery aktif: akun dinkes.sintang terbaca. Pemakaian batas panggilan Meta: 5%."
    )
    fb = office(results, FB)
    assert fb.ok and "Page Public Content Access aktif" in fb.detail
    assert "Halaman dinkessintang terbaca" in fb.detail  # the Page without its own token
    youtube = office(results, YT)
    assert youtube.ok and "9.999 dari 10.000 unit" in youtube.detail
    assert "26 November 2026 15.00 WIB" in youtube.detail  # midnight in California, in WIB
    x = office(results, X)
    assert x.ok and x.detail.startswith("Token X berlaku dan dapat membaca akun.")
    assert office(results, TIKTOK_APP).ok

    tokens = token_rows(results)
    assert set(tokens) == {
        ("tiktok", "dinkes.sintang"), ("tiktok", "dishub.sintang"), ("facebook", PAGE_WITH_TOKEN)
    }  # fmt: skip
    assert all(r.ok for r in tokens.values())
    # the apps are not configured here: listed, with how to set them, and no verdict
    unset = [r for r in results if r.ok is None]
    assert {r.credential for r in unset} == {META_APP, GOOGLE_APP}
    assert all(r.fix.startswith(("Buat", "Untuk")) for r in unset)
    # one cheap call per credential or token: no listing of posts
    assert sim.stats.total == 7
    assert sim.stats.count(endpoint="posts") == sim.stats.count(endpoint="video_list") == 0


def test_invalid_credentials_fail_with_their_fix(session: Session, checked: Checked) -> None:
    sim, settings, ids = checked
    wrong_page = token_store.TokenPair("EAAPbukanTokenHalaman")
    token_store.save_token(
        session, ids[("facebook", PAGE_WITH_TOKEN)], wrong_page, settings.secret_key
    )
    session.commit()
    wrong = with_env(
        settings, meta_token="EAAGbukanTokenYangBenar1", youtube_api_key="AIzaSalahSalah000",
        x_bearer_token="AAAAbukanBearerYangBenar",
    )  # fmt: skip
    results = check(session, wrong, sim.transport())
    assert exit_status(results) == 1
    for row in (office(results, IG), office(results, FB)):
        assert row.ok is False
        assert row.detail.startswith("Token Meta (PANTAU_META_TOKEN) tidak berlaku")
        assert "ganti PANTAU_META_TOKEN" in row.fix
    youtube, x = office(results, YT), office(results, X)
    assert youtube.ok is False and "tidak valid" in youtube.detail
    assert "ganti PANTAU_YOUTUBE_API_KEY" in youtube.fix
    assert x.ok is False and x.detail.startswith("Token X (PANTAU_X_BEARER_TOKEN) tidak valid")
    tokens = token_rows(results)
    page = tokens.pop(("facebook", PAGE_WITH_TOKEN))
    assert page.ok is False and page.detail.startswith("Meta menolak token Halaman ini")
    assert all(r.ok for r in tokens.values())  # TikTok's tokens are not the office's


def test_an_expired_meta_token(session: Session, checked: Checked) -> None:
    sim, settings, _ = checked
    for platform in ("instagram", "facebook"):  # one Meta token serves both
        sim.faults.add(Fault("expired_token", platform=platform))
    results = check(session, settings, sim.transport())
    assert exit_status(results) == 1
    for row in (office(results, IG), office(results, FB)):
        assert (row.ok, row.detail) == (False, "Token Meta (PANTAU_META_TOKEN) kedaluwarsa.")
        assert row.fix.startswith("Buat token Meta jangka panjang yang baru")
    page = token_rows(results)[("facebook", PAGE_WITH_TOKEN)]  # its read meets the fault too
    assert (page.ok, page.detail) == (False, "Token Halaman kedaluwarsa.")
    assert "Sambungkan Akun" in page.fix


def test_a_personal_instagram_account_is_a_note_not_a_failure(
    session: Session, checked: Checked
) -> None:
    sim, settings, _ = checked
    sim.faults.add(Fault("not_found", platform="instagram", handle="dinkes.sintang"))
    results = check(session, settings, sim.transport())
    assert exit_status(results) == 0
    ig = office(results, IG)
    assert ig.ok is True
    assert ig.detail.startswith("Business Discovery aktif: akun dishub.sintang terbaca.")
    assert "Catatan: akun dinkes.sintang bukan akun profesional (Bisnis/Kreator)" in ig.detail
    assert ig.fix.startswith("Minta admin OPD mengubah akun dinkes.sintang menjadi akun Bisnis")

    sim.faults.add(Fault("not_found", platform="instagram", handle="dishub.sintang"))
    ig = office(check(session, settings, sim.transport()), IG)
    assert ig.ok is True and "Token Meta berlaku, tetapi akun yang dicoba" in ig.detail
    assert "akun dinkes.sintang, dishub.sintang bukan akun profesional" in ig.detail


def test_pages_without_page_public_content_access(session: Session, checked: Checked) -> None:
    sim, settings, _ = checked
    sim.faults.add(Fault("not_found", platform="facebook", handle="dinkessintang"))
    results = check(session, settings, sim.transport())
    fb = office(results, FB)
    assert fb.ok is True and exit_status(results) == 0
    assert fb.detail.startswith(
        "Token Meta berlaku, tetapi tanpa Page Public Content Access: hanya Halaman yang memberi "
        "token yang terbaca (1 Halaman tersambung)."
    )
    assert "Page Public Content Access lewat App Review" in fb.fix


def test_youtube_quota_exhausted(session: Session, checked: Checked) -> None:
    sim, settings, _ = checked
    sim.faults.add(Fault("quota_exceeded", platform="youtube"))
    results = check(session, settings, sim.transport())
    youtube = office(results, YT)
    assert youtube.ok is False and exit_status(results) == 1
    assert youtube.detail.startswith("Kuota YouTube habis")
    assert youtube.fix.startswith(
        "Tunggu kuota diatur ulang pada 26 November 2026 15.00 WIB (tengah malam waktu Pasifik)"
    )


def test_the_youtube_quota_resets_at_midnight_in_california() -> None:
    winter = datetime(2026, 11, 26, 13, 0, tzinfo=WIB)
    assert quota_reset(winter).astimezone(WIB) == datetime(2026, 11, 26, 15, 0, tzinfo=WIB)
    after = datetime(2026, 11, 26, 15, 30, tzinfo=WIB)
    assert quota_reset(after).astimezone(WIB) == datetime(2026, 11, 27, 15, 0, tzinfo=WIB)
    summer = datetime(2026, 7, 1, 9, 0, tzinfo=WIB)  # daylight saving time in California
    assert quota_reset(summer).astimezone(WIB) == datetime(2026, 7, 1, 14, 0, tzinfo=WIB)


def test_x_without_read_access(session: Session, checked: Checked) -> None:
    sim, settings, _ = checked
    sim.faults.add(Fault("no_read_access", platform="x"))
    results = check(session, settings, sim.transport())
    x = office(results, X)
    assert x.ok is False and exit_status(results) == 1
    assert x.detail.startswith("X tanpa akses baca pada paket gratis")
    assert "beli kredit" in x.fix


def test_a_rejected_or_expired_tiktok_token(
    session: Session, checked: Checked, fixed_now: datetime
) -> None:
    sim, settings, ids = checked
    stale = token_store.TokenPair("act.bukanTokenYangBenar", None, fixed_now - timedelta(hours=3))
    token_store.save_token(session, ids[("tiktok", "dishub.sintang")], stale, settings.secret_key)
    session.commit()
    sim.faults.add(Fault("invalid_token", platform="tiktok", handle="dinkes.sintang"))
    tokens = token_rows(check(session, settings, sim.transport()))
    rejected, expired = tokens[("tiktok", "dinkes.sintang")], tokens[("tiktok", "dishub.sintang")]
    assert rejected.ok is False and rejected.detail.startswith("TikTok menolak token akun ini")
    assert expired.ok is False
    assert expired.detail == (
        "Token akun kedaluwarsa sejak 26 November 2026 10.00 WIB dan tidak dapat diperbarui "
        "otomatis."
    )
    assert expired.expires_at == fixed_now - timedelta(hours=3)
    for row in (rejected, expired):
        assert row.fix == "Minta admin OPD menyambungkan ulang akun ini di halaman Sambungkan Akun."


def test_a_due_tiktok_token_is_renewed_first(
    session: Session, checked: Checked, fixed_now: datetime
) -> None:
    from simulator.credentials import tiktok_refresh_token

    sim, settings, ids = checked
    account = ids[("tiktok", "dishub.sintang")]
    due = token_store.TokenPair(
        "act.kedaluwarsa", tiktok_refresh_token("dishub.sintang"), fixed_now - timedelta(hours=1)
    )
    token_store.save_token(session, account, due, settings.secret_key)
    session.commit()
    row = token_rows(check(session, settings, sim.transport()))[("tiktok", "dishub.sintang")]
    assert row.ok is True
    assert row.detail == "Token akun berlaku. Pantau memperbaruinya otomatis sebelum kedaluwarsa."
    assert row.expires_at is not None and row.expires_at > fixed_now + timedelta(days=300)
    renewed = token_store.load_tokens(session, settings.secret_key)[account]
    assert renewed.access_token == sim.world.tiktok_token("dishub.sintang")


def test_tokens_that_cannot_be_decrypted(session: Session, checked: Checked) -> None:
    sim, settings, _ = checked
    other_key = with_env(settings, secret_key=Fernet.generate_key().decode())
    rows = token_rows(check(session, other_key, sim.transport()))
    assert len(rows) == 3 and all(r.ok is False for r in rows.values())
    assert all("tidak dapat dibuka dengan PANTAU_SECRET_KEY" in r.detail for r in rows.values())
    assert all(r.fix.startswith("Pasang lagi PANTAU_SECRET_KEY") for r in rows.values())
    no_key = token_rows(check(session, with_env(settings, secret_key=""), sim.transport()))
    assert all("PANTAU_SECRET_KEY kosong" in r.detail for r in no_key.values())


def test_nothing_configured_calls_nothing(session: Session) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"no call expected, got {request.url.path}")

    results = check(session, load_settings(environ={}), httpx.MockTransport(refuse))
    assert {r.ok for r in results} == {None}  # every credential: "belum diatur"
    assert all(r.detail.startswith("Belum diatur") and r.fix for r in results)
    assert exit_status(results) == 0


def test_records_have_the_documented_keys_and_no_secret(session: Session, checked: Checked) -> None:
    sim, settings, _ = checked
    sim.faults.add(Fault("expired_token", platform="instagram"))
    sim.faults.add(Fault("no_read_access", platform="x"))
    results = check(session, settings, sim.transport())
    records = as_records(results, settings.tz)
    assert all(tuple(r) == RECORD_KEYS for r in records)
    text = json.dumps(records, ensure_ascii=False) + repr(results)
    secrets = secret_values(office_env(sim, settings.secret_key), sim.world)
    assert len(secrets) >= 8
    for secret in secrets:
        assert secret not in text


def test_expiry_is_iso_in_wib() -> None:
    moment = datetime(2026, 12, 26, 6, 0, tzinfo=UTC)
    row = CheckResult("tiktok", True, "Token akun berlaku.", expires_at=moment, account="a")
    (record,) = as_records([row], WIB)
    assert record == {
        "platform": "tiktok", "account": "a", "ok": True, "detail": "Token akun berlaku.",
        "fix": None, "expires_at": "2026-12-26T13:00:00+07:00",
    }  # fmt: skip


# --- debug_token (owner-access.md §1.7) and a channel connected through Google ---------------

APP_ID, APP_SECRET = "1044000000000077", "rahasia-aplikasi-meta-uji"
DEBUGGED_UNTIL = FIXED_NOW + timedelta(days=50)


def debug_body(token: str | None) -> dict[str, object]:
    from simulator.credentials import SIM_META_TOKEN, facebook_page_token

    if token == SIM_META_TOKEN:
        return {"data": {
            "app_id": APP_ID, "type": "USER", "is_valid": True,
            "expires_at": int(DEBUGGED_UNTIL.timestamp()),
            "scopes": ["pages_show_list", "instagram_basic"], "user_id": "10215241773831025",
        }}  # fmt: skip
    expired = {"code": 190, "subcode": 463, "message": "Error validating access token: ..."}
    if token == facebook_page_token(PAGE_WITH_TOKEN):
        return {"data": {"type": "PAGE", "is_valid": False, "expires_at": 1764000000,
                         "error": expired, "scopes": []}}  # fmt: skip
    return {"data": {"is_valid": False, "error": {"code": 190, "message": "Invalid"}}}


def meta_app(sim: Simulator, calls: list[str]) -> httpx.MockTransport:
    """The simulator, with Graph's debug_token answered as Meta documents it."""

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path.rsplit("/", 1)[-1])
        if not request.url.path.endswith("/debug_token"):
            return sim.handle(request)
        if request.url.params.get("access_token") != f"{APP_ID}|{APP_SECRET}":
            error = {"message": "Invalid OAuth access token signature.", "code": 190}
            return httpx.Response(400, json={"error": {**error, "type": "OAuthException"}})
        return httpx.Response(200, json=debug_body(request.url.params.get("input_token")))

    return httpx.MockTransport(handle)


def test_meta_tokens_are_checked_with_debug_token(session: Session, checked: Checked) -> None:
    sim, settings, _ = checked
    app = with_env(settings, meta_app_id=APP_ID, meta_app_secret=APP_SECRET)
    calls: list[str] = []
    results = check(session, app, meta_app(sim, calls))
    assert office(results, META_APP).detail.startswith("Aplikasi Meta dikenali")
    for row in (office(results, IG), office(results, FB)):  # still read: what can it see?
        assert row.ok is True and row.expires_at == DEBUGGED_UNTIL
    page = token_rows(results)[("facebook", PAGE_WITH_TOKEN)]
    assert (page.ok, page.detail) == (False, "Token Halaman kedaluwarsa.")
    assert calls.count("debug_token") == 2  # the office token, the Page token: no Page read
    assert calls.count(PAGE_WITH_TOKEN) == 0

    calls.clear()
    refused = check(session, with_env(app, meta_token="EAAGtokenYangDicabut"), meta_app(sim, calls))
    for row in (office(refused, IG), office(refused, FB)):
        assert row.ok is False and "tidak berlaku" in row.detail
    assert calls.count("debug_token") == 2 and len(calls) == 2 + 4  # IG and FB not read

    wrong_secret = with_env(app, meta_app_secret="rahasia-yang-keliru")
    results = check(session, wrong_secret, meta_app(sim, []))
    meta = office(results, META_APP)
    assert meta.ok is False and meta.detail.startswith("Meta menolak pasangan PANTAU_META_APP_ID")
    assert office(results, IG).ok and office(results, FB).ok  # read with Graph calls instead
    assert token_rows(results)[("facebook", PAGE_WITH_TOKEN)].ok is True


GOOGLE = {
    "google_client_id": "1044-uji.apps.googleusercontent.com",
    "google_client_secret": "GOCSPX-rahasiaUji",
    "google_token_url": "http://g.test/token",
}


def google(sim: Simulator) -> httpx.MockTransport:
    """The simulator, with Google's token endpoint and ``channels?mine=true``."""

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.host == "g.test":
            form = dict(httpx.QueryParams(request.content.decode()))
            if form.get("refresh_token") != "1//refresh-kanal-uji":
                return httpx.Response(400, json={"error": "invalid_grant"})
            return httpx.Response(200, json={"access_token": "ya29.baru", "expires_in": 3599})
        if request.url.params.get("mine") == "true":
            if request.headers.get("authorization") != "Bearer ya29.baru":
                return httpx.Response(401, json={"error": {"code": 401, "errors": []}})
            return httpx.Response(200, json={"items": [{"id": "UCa1B2c3D4e5F6g7H8i9J0kL"}]})
        return sim.handle(request)

    return httpx.MockTransport(handle)


def test_a_channel_token_is_renewed_in_memory_and_tested(
    session: Session, checked: Checked, fixed_now: datetime
) -> None:
    sim, settings, ids = checked
    account = ids[("youtube", "dinkessintang")]
    lapsed = fixed_now - timedelta(minutes=5)
    pair = token_store.TokenPair("ya29.lama", "1//refresh-kanal-uji", lapsed)
    token_store.save_token(session, account, pair, settings.secret_key)
    session.commit()
    app = with_env(settings, **GOOGLE)
    row = token_rows(check(session, app, google(sim)))[("youtube", "dinkessintang")]
    assert row.ok is True and row.detail.startswith("Token kanal berlaku.")
    kept = token_store.load_tokens(session, settings.secret_key)[account]
    assert kept.access_token == "ya29.lama"  # the check stores nothing for Google

    revoked = token_store.TokenPair("ya29.lama", "1//dicabut", lapsed)
    token_store.save_token(session, account, revoked, settings.secret_key)
    session.commit()
    row = token_rows(check(session, app, google(sim)))[("youtube", "dinkessintang")]
    assert row.ok is False and row.detail.startswith("Google menolak token kanal ini")
    row = token_rows(check(session, settings, google(sim)))[("youtube", "dinkessintang")]
    assert row.ok is False and "PANTAU_GOOGLE_CLIENT_ID" in row.detail  # no app: no renewal
