"""Sambungkan Akun's use case against the simulator's consent: Meta's Pages (and their
Instagram accounts), a TikTok account, a YouTube channel; state bound to the browser, single
use and ten minutes; denied consent, an expired code; tokens sealed, revoked and deleted."""

from __future__ import annotations

import logging
from dataclasses import fields, replace
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.settings import Settings
from db import repository as repo
from db import tokens as token_store
from db.models import AccountToken, OAuthState
from services import connections
from services.connection_states import CONNECTED, PUBLIC, REVOKED, connection_states
from services.connections import ConnectError, finish_consent, start_consent
from services.users import ADMIN, OPD, Principal, add_user
from services.web_sessions import open_web_session
from simulator import Simulator, sim_settings_env
from simulator.credentials import facebook_page_token
from tests.clock import FIXED_NOW
from tests.oauth_sim_support import oauth_sim

pytestmark = pytest.mark.usefixtures("fixed_now")  # the tokens' times are stored with "now"

NOW = FIXED_NOW
KEY = Fernet.generate_key().decode()
PUBLIC_URL = "http://127.0.0.1:8501"


@pytest.fixture
def sim() -> Simulator:
    return oauth_sim()


@pytest.fixture
def cfg(sim: Simulator) -> Settings:
    env = sim_settings_env(sim) | {"PANTAU_SECRET_KEY": KEY, "PANTAU_PUBLIC_URL": PUBLIC_URL}
    by_env = {f.metadata["env"]: f.name for f in fields(Settings)}
    return replace(Settings(), **{by_env[k]: v for k, v in env.items() if k in by_env})


@pytest.fixture
def world(session: Session) -> dict[str, int]:
    """Two OPDs: Humas (Facebook, Instagram, TikTok, YouTube) and Dinkes (Facebook)."""
    humas = repo.upsert_opd(session, "HUMAS", "Bagian Humas", "setda")
    dinkes = repo.upsert_opd(session, "DINKES", "Dinas Kesehatan", "dinas")
    ids = {p: repo.upsert_account(session, humas, p, "humas_sintang").id
           for p in ("facebook", "instagram", "tiktok", "youtube")}  # fmt: skip
    ids["dinkes_fb"] = repo.upsert_account(session, dinkes, "facebook", "dinkes_sintang").id
    add_user(session, "admin-uji", "kata-sandi-uji-123", ADMIN)
    add_user(session, "humas-uji", "kata-sandi-uji-123", OPD, "HUMAS")
    session.commit()
    ids["humas_opd"] = humas.id
    return ids


ADMIN_USER = Principal("admin-uji", ADMIN)


def opd_user(world: dict[str, int]) -> Principal:
    return Principal("humas-uji", OPD, world["humas_opd"], "Bagian Humas")


def consent(
    sim: Simulator, url: str, decision: str = "allow", accounts: str = ""
) -> dict[str, str]:
    """What the platform sends back after the owner decided on its page (the 302's query)."""
    extra = urlencode({"sim_decision": decision, "sim_accounts": accounts})
    with httpx.Client(transport=sim.transport()) as client:
        answer = client.get(f"{url}&{extra}")
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    assert location.startswith(f"{PUBLIC_URL}/sambungkan_akun?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def browser(session: Session, user: Principal) -> str:
    return open_web_session(session, user.username, 8, NOW)


def stored(session: Session) -> dict[int, AccountToken]:
    return {row.account_id: row for row in session.scalars(select(AccountToken))}


def test_meta_consent_connects_the_pages_and_their_instagram(
    session: Session, cfg: Settings, sim: Simulator, world: dict[str, int]
) -> None:
    user = opd_user(world)
    web = browser(session, user)
    url = start_consent(session, cfg, user, web, "meta", world["facebook"], NOW)
    query = urlsplit(url).query
    assert "pages_read_user_content" in query and "instagram_manage_comments" in query
    back = consent(sim, url, accounts="humas_sintang,dinkes_sintang")
    outcome = finish_consent(session, cfg, user, web, back, NOW, sim.transport())
    assert outcome.ok, outcome.message
    assert sorted(outcome.connected) == ["Facebook @humas_sintang", "Instagram @humas_sintang"]
    assert outcome.unmatched == ["Facebook Dinas Kesehatan", "Instagram Dinas Kesehatan"]
    rows = stored(session)
    assert set(rows) == {world["facebook"], world["instagram"]}  # not Dinkes: another OPD
    assert rows[world["facebook"]].source == "oauth"
    assert rows[world["facebook"]].connected_by == "humas-uji"
    page_token = facebook_page_token("humas_sintang")
    assert page_token not in rows[world["facebook"]].access_token_enc  # sealed
    tokens = token_store.load_tokens(session, KEY)
    assert tokens[world["facebook"]].access_token == page_token
    assert tokens[world["facebook"]].access_expires_at is None  # Page tokens do not expire
    states = connection_states(session, world["humas_opd"], NOW).set_index("account_id")
    assert states.loc[world["facebook"], "state"] == CONNECTED
    assert states.loc[world["tiktok"], "state"] == PUBLIC


def test_an_admin_connects_every_registered_page(
    session: Session, cfg: Settings, sim: Simulator, world: dict[str, int]
) -> None:
    web = browser(session, ADMIN_USER)
    url = start_consent(session, cfg, ADMIN_USER, web, "meta", None, NOW)
    back = consent(sim, url, accounts="humas_sintang,dinkes_sintang,pasar_sintang")
    outcome = finish_consent(session, cfg, ADMIN_USER, web, back, NOW, sim.transport())
    assert outcome.ok
    assert world["dinkes_fb"] in stored(session)
    # not in the registry: the Pasar Page, and Dinkes' Instagram account
    assert set(outcome.unmatched) == {"Facebook UPT Pasar <Sintang> & Co",
                                      "Instagram Dinas Kesehatan"}  # fmt: skip


def test_tiktok_consent_is_for_the_account_it_started_from(
    session: Session, cfg: Settings, sim: Simulator, world: dict[str, int]
) -> None:
    user = opd_user(world)
    web = browser(session, user)
    url = start_consent(session, cfg, user, web, "tiktok", world["tiktok"], NOW)
    assert "client_key=" in url and "client_id=" not in url
    back = consent(sim, url, accounts="humas_sintang")
    outcome = finish_consent(session, cfg, user, web, back, NOW, sim.transport())
    assert outcome.ok, outcome.message
    pair = token_store.load_tokens(session, KEY)[world["tiktok"]]
    assert pair.refresh_token and pair.access_expires_at == NOW + timedelta(seconds=86400)
    assert pair.refresh_expires_at is not None


def test_youtube_consent_uses_pkce_and_stores_a_refresh_token(
    session: Session, cfg: Settings, sim: Simulator, world: dict[str, int]
) -> None:
    web = browser(session, ADMIN_USER)
    url = start_consent(session, cfg, ADMIN_USER, web, "google", world["youtube"], NOW)
    assert "code_challenge=" in url and "code_challenge_method=S256" in url
    verifier = session.scalar(select(OAuthState.code_verifier_enc))
    assert verifier and "code_challenge" not in verifier  # the verifier is stored sealed
    back = consent(sim, url, accounts="humas_sintang")
    outcome = finish_consent(session, cfg, ADMIN_USER, web, back, NOW, sim.transport())
    assert outcome.ok, outcome.message
    assert token_store.load_tokens(session, KEY)[world["youtube"]].refresh_token


def test_denied_consent_stores_nothing(
    session: Session, cfg: Settings, sim: Simulator, world: dict[str, int]
) -> None:
    user = opd_user(world)
    web = browser(session, user)
    url = start_consent(session, cfg, user, web, "tiktok", world["tiktok"], NOW)
    back = consent(sim, url, decision="deny", accounts="humas_sintang")
    outcome = finish_consent(session, cfg, user, web, back, NOW, sim.transport())
    assert not outcome.ok and "dibatalkan" in outcome.message
    assert stored(session) == {}


def test_a_state_is_single_use_bound_to_its_browser_and_short_lived(
    session: Session, cfg: Settings, sim: Simulator, world: dict[str, int]
) -> None:
    user = opd_user(world)
    web = browser(session, user)
    url = start_consent(session, cfg, user, web, "meta", None, NOW)
    back = consent(sim, url, accounts="humas_sintang")
    other_browser = browser(session, user)
    wrong = finish_consent(session, cfg, user, other_browser, back, NOW, sim.transport())
    assert not wrong.ok and "sesi masuk lain" in wrong.message
    late = finish_consent(session, cfg, user, web, back, NOW + timedelta(minutes=11))
    assert not late.ok and "lewat 10 menit" in late.message
    assert stored(session) == {}
    first = finish_consent(session, cfg, user, web, back, NOW, sim.transport())
    assert first.ok
    replay = finish_consent(session, cfg, user, web, back, NOW, sim.transport())
    assert not replay.ok and "sudah pernah dipakai" in replay.message
    forged = finish_consent(session, cfg, user, web, {**back, "state": "tebakan"}, NOW)
    assert not forged.ok and "tidak dikenal" in forged.message


def test_an_expired_code_stores_nothing(
    session: Session, cfg: Settings, sim: Simulator, world: dict[str, int]
) -> None:
    user = opd_user(world)
    web = browser(session, user)
    url = start_consent(session, cfg, user, web, "meta", None, NOW)
    back = consent(sim, url, accounts="humas_sintang")
    sim.state.oauth.expire_codes()
    outcome = finish_consent(session, cfg, user, web, back, NOW, sim.transport())
    assert not outcome.ok and "kedaluwarsa atau sudah dipakai" in outcome.message
    assert stored(session) == {}


def test_an_opd_user_cannot_start_a_consent_for_another_opd(
    session: Session, cfg: Settings, world: dict[str, int]
) -> None:
    user = opd_user(world)
    with pytest.raises(ConnectError, match="bukan milik OPD Anda"):
        start_consent(session, cfg, user, browser(session, user), "meta", world["dinkes_fb"], NOW)


def test_an_opd_user_whose_opd_was_removed_cannot_start_a_consent(
    session: Session, cfg: Settings, world: dict[str, int]
) -> None:
    """users.opd_id is SET NULL when its OPD goes; None must not mean "every OPD's Pages"."""
    user = replace(opd_user(world), opd_id=None)
    with pytest.raises(ConnectError, match="bukan milik OPD Anda"):
        start_consent(session, cfg, user, browser(session, opd_user(world)), "meta", None, NOW)


def test_an_app_not_configured_cannot_start(
    session: Session, cfg: Settings, world: dict[str, int]
) -> None:
    bare = replace(cfg, meta_app_secret="")
    assert connections.available_providers(bare)["meta"] is False
    with pytest.raises(ConnectError, match="belum diatur"):
        start_consent(session, bare, ADMIN_USER, browser(session, ADMIN_USER), "meta", None, NOW)


def test_disconnect_revokes_at_the_platform_and_deletes_every_copy(
    session: Session, cfg: Settings, sim: Simulator, world: dict[str, int]
) -> None:
    user = opd_user(world)
    web = browser(session, user)
    url = start_consent(session, cfg, user, web, "meta", None, NOW)
    finish_consent(session, cfg, user, web, consent(sim, url, accounts="humas_sintang"),
                   NOW, sim.transport())  # fmt: skip
    assert len(stored(session)) == 2
    message = connections.disconnect(session, cfg, user, world["facebook"], sim.transport())
    assert "izin dicabut" in message
    assert stored(session) == {}  # the Instagram copy of the Page token went too
    page = f"{sim.base_url('facebook')}/{sim.world.find('facebook', 'humas_sintang').platform_id}"
    with httpx.Client(transport=sim.transport()) as client:
        answer = client.get(page, params={"access_token": facebook_page_token("humas_sintang")})
    assert answer.json()["error"]["code"] == 190  # the platform no longer accepts it


def test_a_token_the_platform_rejected_shows_as_revoked(
    session: Session, world: dict[str, int]
) -> None:
    token_store.save_token(session, world["tiktok"], token_store.TokenPair("t"), KEY,
                           token_store.Grant("oauth", "humas-uji"))  # fmt: skip
    run = repo.start_run(session, "collect")
    later = NOW + timedelta(minutes=5)
    repo.record_account_results(session, run.id, [repo.ResultRow(
        world["tiktok"], later, "failed", "auth", "token rejected",
    )])  # fmt: skip
    session.commit()
    states = connection_states(session, None, later).set_index("account_id")
    assert states.loc[world["tiktok"], "state"] == REVOKED


def test_no_token_or_secret_reaches_the_log(
    session: Session,
    cfg: Settings,
    sim: Simulator,
    world: dict[str, int],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    user = opd_user(world)
    web = browser(session, user)
    url = start_consent(session, cfg, user, web, "meta", None, NOW)
    back = consent(sim, url, accounts="humas_sintang")
    assert finish_consent(session, cfg, user, web, back, NOW, sim.transport()).ok
    replay = finish_consent(session, cfg, user, web, back, NOW, sim.transport())
    assert not replay.ok
    connections.disconnect(session, cfg, user, world["facebook"], sim.transport())
    secrets = [facebook_page_token("humas_sintang"), cfg.meta_app_secret, KEY, web, back["code"]]
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    assert "me/accounts" in logged and "access_token=REDACTED" in logged  # logged, masked ...
    assert not [s for s in secrets if s and s in logged]  # ... without a secret


def test_without_the_app_the_token_is_deleted_and_the_message_says_so(
    session: Session, cfg: Settings, world: dict[str, int]
) -> None:
    token_store.save_token(session, world["tiktok"], token_store.TokenPair("t"), KEY,
                           token_store.Grant("cli"))  # fmt: skip
    session.commit()
    bare = replace(cfg, tiktok_client_secret="")
    message = connections.disconnect(session, bare, ADMIN_USER, world["tiktok"])
    assert "tidak berhasil" in message  # never claims a revocation that did not happen
    assert stored(session) == {}
