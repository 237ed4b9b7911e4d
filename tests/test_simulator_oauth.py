"""The simulator's Meta consent: dialog, code and long-lived exchange, me/accounts, revoke,
debug_token; the settings that point Pantau at it; the consent over the loopback server."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest

from simulator import Simulator, sim_settings_env
from simulator.credentials import (
    SIM_GOOGLE_CLIENT_ID,
    SIM_GOOGLE_CLIENT_SECRET,
    SIM_META_APP_ID,
    SIM_META_APP_SECRET,
    SIM_META_TOKEN,
    facebook_page_token,
)
from simulator.server import start_server
from tests.oauth_sim_support import REDIRECT, STATE, oauth_sim, query_of
from tests.test_simulator_support import NOW

META_SCOPES = "pages_show_list,pages_read_engagement,instagram_basic"
PAGE_FIELDS = "id,name,username,access_token,instagram_business_account{id,username,name}"


@pytest.fixture
def sim() -> Simulator:
    return oauth_sim()


@pytest.fixture
def client(sim: Simulator) -> httpx.Client:
    return httpx.Client(transport=sim.transport())


def graph_error(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["type"] == "OAuthException" and error["fbtrace_id"]
    return error


def meta_authorize(client: httpx.Client, sim: Simulator, **extra: str) -> httpx.Response:
    params = {
        "client_id": SIM_META_APP_ID,
        "redirect_uri": REDIRECT,
        "state": STATE,
        "response_type": "code",
        "scope": META_SCOPES,
        **extra,
    }
    return client.get(f"{sim.root}/facebook/v25.0/dialog/oauth", params=params)


def meta_code(client: httpx.Client, sim: Simulator, pages: str) -> str:
    answer = query_of(meta_authorize(client, sim, sim_decision="allow", sim_accounts=pages))
    assert answer["state"] == STATE
    return answer["code"]


def meta_exchange(client: httpx.Client, sim: Simulator, code: str, **extra: str) -> httpx.Response:
    params = {
        "client_id": SIM_META_APP_ID,
        "client_secret": SIM_META_APP_SECRET,
        "redirect_uri": REDIRECT,
        "code": code,
        **extra,
    }
    return client.get(f"{sim.base_url('facebook')}/oauth/access_token", params=params)


def meta_user_token(client: httpx.Client, sim: Simulator, pages: str) -> str:
    short = meta_exchange(client, sim, meta_code(client, sim, pages))
    assert short.status_code == 200
    assert short.json()["token_type"] == "bearer" and short.json()["expires_in"] == 3600
    long_lived = client.get(
        f"{sim.base_url('facebook')}/oauth/access_token",
        params={
            "grant_type": "fb_exchange_token",
            "client_id": SIM_META_APP_ID,
            "client_secret": SIM_META_APP_SECRET,
            "fb_exchange_token": short.json()["access_token"],
        },
    )
    assert long_lived.json()["expires_in"] == 5183944
    assert long_lived.json()["access_token"] != short.json()["access_token"]
    return str(long_lived.json()["access_token"])


def debug(client: httpx.Client, sim: Simulator, token: str) -> dict[str, Any]:
    params = {"input_token": token, "access_token": f"{SIM_META_APP_ID}|{SIM_META_APP_SECRET}"}
    response = client.get(f"{sim.base_url('facebook')}/debug_token", params=params)
    assert response.status_code == 200
    data: dict[str, Any] = response.json()["data"]
    return data


def test_meta_consent_gives_page_tokens_the_page_endpoints_accept(
    sim: Simulator, client: httpx.Client
) -> None:
    user_token = meta_user_token(client, sim, "humas_sintang,dinkes_sintang")
    base = sim.base_url("facebook")
    accounts = client.get(
        f"{base}/me/accounts", params={"fields": PAGE_FIELDS, "access_token": user_token}
    ).json()
    pages = {item["username"]: item for item in accounts["data"]}
    assert set(pages) == {"humas_sintang", "dinkes_sintang"}  # only the Pages chosen
    world = sim.world
    for handle, ig_handle in (
        ("humas_sintang", "humas_sintang"),
        ("dinkes_sintang", "dinkes.sintang"),
    ):
        page = pages[handle]
        assert page["id"] == world.account("facebook", handle).platform_id
        assert page["access_token"] == facebook_page_token(handle)
        ig = world.account("instagram", ig_handle)
        assert page["instagram_business_account"] == {
            "id": ig.platform_id,
            "username": ig.handle,
            "name": ig.name,
        }
        posts = client.get(
            f"{base}/{page['id']}/posts", params={"access_token": page["access_token"]}
        )
        assert posts.status_code == 200 and posts.json()["data"]
    me = client.get(f"{base}/me", params={"fields": "id,name", "access_token": user_token}).json()
    assert set(me) == {"id", "name"} and me["id"].isdigit()
    assert sim.stats.count("facebook", "me_accounts") == 1
    assert sim.stats.count("facebook", "oauth_access_token") == 2


def test_meta_me_accounts_pages_through_the_pages(sim: Simulator, client: httpx.Client) -> None:
    user_token = meta_user_token(client, sim, "humas_sintang,dinkes_sintang,pasar_sintang")
    url: str | None = f"{sim.base_url('facebook')}/me/accounts"
    params: dict[str, str] | None = {"limit": "2", "access_token": user_token}
    names = []
    while url:
        body = client.get(url, params=params).json()
        names += [item["name"] for item in body["data"]]
        assert "instagram_business_account" not in body["data"][0]  # not asked for
        url, params = body["paging"].get("next"), None
    assert names == ["humas_sintang", "Dinas Kesehatan", "UPT Pasar <Sintang> & Co"]


def test_meta_denied_consent_redirects_with_the_error(sim: Simulator, client: httpx.Client) -> None:
    response = meta_authorize(client, sim, sim_decision="deny")
    assert response.headers["location"] == (
        f"{REDIRECT}?error=access_denied&error_code=200&error_description=Permissions+error"
        f"&error_reason=user_denied&state={STATE}"
    )


def test_meta_code_errors(sim: Simulator, client: httpx.Client) -> None:
    code = meta_code(client, sim, "humas_sintang")
    wrong_uri = graph_error(meta_exchange(client, sim, code, redirect_uri="http://localhost:9/"))
    assert wrong_uri["code"] == 100 and "identical to the one you used" in wrong_uri["message"]
    wrong_secret = graph_error(meta_exchange(client, sim, code, client_secret="salah"))
    assert wrong_secret["code"] == 1
    assert meta_exchange(client, sim, code).status_code == 200  # still unspent after those
    reused = graph_error(meta_exchange(client, sim, code))
    assert (reused["code"], reused["error_subcode"]) == (100, 36009)
    assert graph_error(meta_exchange(client, sim, "AQDbukankode"))["code"] == 100
    stale = meta_code(client, sim, "humas_sintang")
    sim.state.oauth.expire_codes()
    expired = graph_error(meta_exchange(client, sim, stale))
    assert (expired["error_subcode"], expired["message"]) == (
        36007,
        "This authorization code has expired.",
    )


def test_meta_code_expires_ten_minutes_after_issue_on_the_world_clock(
    sim: Simulator, client: httpx.Client
) -> None:
    fresh, late = meta_code(client, sim, "humas_sintang"), meta_code(client, sim, "humas_sintang")
    sim.world.now = NOW + timedelta(minutes=9)
    assert meta_exchange(client, sim, fresh).status_code == 200
    sim.world.now = NOW + timedelta(minutes=10, seconds=1)
    assert graph_error(meta_exchange(client, sim, late))["error_subcode"] == 36007


def test_meta_revoke_kills_the_user_and_page_tokens(sim: Simulator, client: httpx.Client) -> None:
    base = sim.base_url("facebook")
    user_token = meta_user_token(client, sim, "dinkes_sintang")
    page_token = facebook_page_token("dinkes_sintang")
    page_id = sim.world.account("facebook", "dinkes_sintang").platform_id
    revoked = client.delete(f"{base}/me/permissions", params={"access_token": page_token})
    assert revoked.json() == {"success": True}
    for url, token in (
        (f"{base}/{page_id}/posts", page_token),
        (f"{base}/me/accounts", user_token),
    ):
        error = graph_error(client.get(url, params={"access_token": token}))
        assert (error["code"], error["error_subcode"]) == (190, 458)
        assert SIM_META_APP_ID in error["message"]
    assert debug(client, sim, page_token)["error"]["subcode"] == 458
    # the fixed token and other Pages are untouched; a new consent brings the Page back
    other = sim.world.account("facebook", "humas_sintang").platform_id
    assert client.get(f"{base}/{other}", params={"access_token": SIM_META_TOKEN}).status_code == 200
    meta_user_token(client, sim, "dinkes_sintang")
    assert client.get(f"{base}/{page_id}", params={"access_token": page_token}).status_code == 200


def test_meta_debug_token(sim: Simulator, client: httpx.Client) -> None:
    user_token = meta_user_token(client, sim, "humas_sintang")
    user = debug(client, sim, user_token)
    assert user["is_valid"] and user["type"] == "USER" and user["app_id"] == SIM_META_APP_ID
    assert user["expires_at"] == int(NOW.timestamp()) + 5183944
    assert user["scopes"] == META_SCOPES.split(",")
    page_id = sim.world.account("facebook", "humas_sintang").platform_id
    assert {"scope": "pages_show_list", "target_ids": [page_id]} in user["granular_scopes"]
    page = debug(client, sim, facebook_page_token("humas_sintang"))
    assert (page["type"], page["expires_at"], page["profile_id"]) == ("PAGE", 0, page_id)
    assert page["user_id"] == user["user_id"]
    fixed = debug(client, sim, SIM_META_TOKEN)
    assert fixed["is_valid"] and fixed["expires_at"] == 0
    unknown = debug(client, sim, "EAAbukantoken")
    assert unknown["is_valid"] is False and unknown["error"]["code"] == 190
    sim.world.now = NOW + timedelta(days=61)
    expired = debug(client, sim, user_token)
    assert expired["is_valid"] is False and expired["error"]["subcode"] == 463
    bad_app = client.get(
        f"{sim.base_url('facebook')}/debug_token",
        params={"input_token": user_token, "access_token": f"{SIM_META_APP_ID}|salah"},
    )
    assert graph_error(bad_app)["code"] == 190


def test_meta_config_id_grants_the_configured_read_scopes(
    sim: Simulator, client: httpx.Client
) -> None:
    params = {"scope": "", "config_id": "1234567890"}
    answer = query_of(meta_authorize(client, sim, sim_decision="allow", **params))
    token = meta_exchange(client, sim, answer["code"]).json()["access_token"]
    scopes = debug(client, sim, token)["scopes"]
    assert "instagram_manage_comments" in scopes and "pages_read_user_content" in scopes


def test_meta_consent_page_lists_pages_with_their_instagram(
    sim: Simulator, client: httpx.Client
) -> None:
    page = meta_authorize(client, sim)
    html = page.text
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<title>Simulator Facebook: Masuk dan izinkan Pantau</title>" in html
    assert 'type="checkbox" name="sim_accounts" id="sim-account-1" value="dinkes_sintang"' in html
    assert "Instagram: @dinkes.sintang" in html
    assert "UPT Pasar &lt;Sintang&gt; &amp; Co" in html and "<Sintang>" not in html
    assert '<input type="hidden" name="state" value="Zx81kq-acak">' in html
    assert ">Izinkan</button>" in html and ">Tolak</button>" in html
    assert "<li>instagram_basic</li>" in html
    assert sim.stats.count("facebook", "oauth_dialog") == 1


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"client_id": "999"}, "client_id tidak valid"),
        ({"redirect_uri": "http://pantau.example/"}, "redirect_uri"),
        ({"redirect_uri": "https://pantau.example/#x"}, "redirect_uri"),
        ({"response_type": "token"}, "response_type"),
        ({"sim_decision": "allow", "sim_accounts": "tidak_ada"}, "tidak dikenal"),
    ],
)
def test_meta_dialog_refuses_a_bad_request_with_a_page(
    sim: Simulator, client: httpx.Client, extra: dict[str, str], words: str
) -> None:
    response = meta_authorize(client, sim, **extra)
    assert response.status_code == 400 and words in response.text
    assert "location" not in response.headers


# ---------------------------------------------------------------- settings and the real server


def test_settings_env_points_pantau_at_the_oauth_endpoints(sim: Simulator) -> None:
    env = sim_settings_env(sim)
    assert env["PANTAU_META_AUTHORIZE_URL"] == "http://simulator.pantau/facebook/v25.0/dialog/oauth"
    assert env["PANTAU_TIKTOK_AUTHORIZE_URL"] == "http://simulator.pantau/tiktok/v2/auth/authorize/"
    assert env["PANTAU_GOOGLE_TOKEN_URL"] == "http://simulator.pantau/google/token"
    assert env["PANTAU_GOOGLE_REVOKE_URL"] == "http://simulator.pantau/google/revoke"
    assert env["PANTAU_GOOGLE_AUTHORIZE_URL"].endswith("/google/o/oauth2/v2/auth")
    assert (env["PANTAU_META_APP_ID"], env["PANTAU_META_APP_SECRET"]) == (
        SIM_META_APP_ID,
        SIM_META_APP_SECRET,
    )
    assert env["PANTAU_GOOGLE_CLIENT_ID"] == SIM_GOOGLE_CLIENT_ID
    assert env["PANTAU_GOOGLE_CLIENT_SECRET"] == SIM_GOOGLE_CLIENT_SECRET


def test_consent_over_the_loopback_server(sim: Simulator) -> None:
    """The page a browser gets, its form submitted as a browser would, the 302, a DELETE."""
    with start_server(sim, port=0) as server, httpx.Client(timeout=5) as web:
        page = meta_authorize(web, sim)
        assert page.status_code == 200 and "Simulator Facebook" in page.text
        form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.text))
        action = re.search(r'<form id="sim-consent" method="get" action="([^"]+)"', page.text)
        assert action is not None and form["state"] == STATE
        submitted = [
            *form.items(),
            ("sim_accounts", "humas_sintang"),
            ("sim_accounts", "dinkes_sintang"),
        ]
        decision = web.get(
            server.url + action.group(1), params=[*submitted, ("sim_decision", "allow")]
        )
        user_token = meta_exchange(web, sim, query_of(decision)["code"]).json()["access_token"]
        names = web.get(
            f"{sim.base_url('facebook')}/me/accounts", params={"access_token": user_token}
        )
        assert [p["name"] for p in names.json()["data"]] == ["humas_sintang", "Dinas Kesehatan"]
        revoked = web.delete(
            f"{sim.base_url('facebook')}/me/permissions", params={"access_token": user_token}
        )
        assert revoked.json() == {"success": True}
    assert sim.stats.count("facebook", "oauth_decision") == 1
