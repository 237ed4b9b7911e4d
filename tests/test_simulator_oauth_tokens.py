"""The simulator's TikTok and Google consents: dialog, code exchange, PKCE, refresh, revoke,
and the data calls the issued tokens open (or no longer open)."""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta

import httpx
import pytest

from simulator import Simulator
from simulator.credentials import (
    SIM_GOOGLE_CLIENT_ID,
    SIM_GOOGLE_CLIENT_SECRET,
    SIM_TIKTOK_CLIENT_KEY,
    SIM_TIKTOK_CLIENT_SECRET,
    tiktok_refresh_token,
    tiktok_token,
)
from tests.oauth_sim_support import REDIRECT, STATE, oauth_sim, query_of
from tests.test_simulator_support import NOW


@pytest.fixture
def sim() -> Simulator:
    return oauth_sim()


@pytest.fixture
def client(sim: Simulator) -> httpx.Client:
    return httpx.Client(transport=sim.transport())


# ---------------------------------------------------------------- TikTok


def tiktok_authorize(client: httpx.Client, sim: Simulator, **extra: str) -> httpx.Response:
    params = {
        "client_key": SIM_TIKTOK_CLIENT_KEY,
        "scope": "user.info.basic,user.info.stats,video.list",
        "redirect_uri": REDIRECT,
        "state": STATE,
        "response_type": "code",
        **extra,
    }
    return client.get(f"{sim.root}/tiktok/v2/auth/authorize/", params=params)


def tiktok_exchange(
    client: httpx.Client, sim: Simulator, code: str, **extra: str
) -> httpx.Response:
    form = {
        "client_key": SIM_TIKTOK_CLIENT_KEY,
        "client_secret": SIM_TIKTOK_CLIENT_SECRET,
        "code": code,
        "grant_type": "authorization_code",
        "redirect_uri": REDIRECT,
        **extra,
    }
    return client.post(f"{sim.base_url('tiktok')}/oauth/token/", data=form)


def tiktok_code(client: httpx.Client, sim: Simulator) -> str:
    answer = query_of(
        tiktok_authorize(client, sim, sim_decision="allow", sim_accounts="humas_sintang")
    )
    assert answer["scopes"] == "user.info.basic,user.info.stats,video.list"
    assert answer["state"] == STATE
    return answer["code"]


def tiktok_user(client: httpx.Client, sim: Simulator, token: str) -> httpx.Response:
    return client.get(
        f"{sim.base_url('tiktok')}/user/info/",
        params={"fields": "open_id,display_name"},
        headers={"Authorization": f"Bearer {token}"},
    )


def tiktok_refresh(client: httpx.Client, sim: Simulator, token: str) -> httpx.Response:
    form = {
        "client_key": SIM_TIKTOK_CLIENT_KEY,
        "client_secret": SIM_TIKTOK_CLIENT_SECRET,
        "grant_type": "refresh_token",
        "refresh_token": token,
    }
    return client.post(f"{sim.base_url('tiktok')}/oauth/token/", data=form)


def test_tiktok_consent_gives_tokens_the_display_api_accepts(
    sim: Simulator, client: httpx.Client
) -> None:
    token = tiktok_exchange(client, sim, tiktok_code(client, sim))
    body = token.json()
    account = sim.world.account("tiktok", "humas_sintang")
    assert token.status_code == 200 and body["token_type"] == "Bearer"
    assert (body["access_token"], body["refresh_token"]) == (
        tiktok_token("humas_sintang"),
        tiktok_refresh_token("humas_sintang"),
    )
    assert (body["open_id"], body["expires_in"], body["refresh_expires_in"]) == (
        account.platform_id,
        86400,
        31536000,
    )
    assert body["scope"] == "user.info.basic,user.info.stats,video.list"
    user = tiktok_user(client, sim, body["access_token"]).json()["data"]["user"]
    assert user["open_id"] == account.platform_id
    assert tiktok_refresh(client, sim, body["refresh_token"]).status_code == 200
    assert sim.stats.count("tiktok", "oauth_code") == 1
    assert sim.stats.count("tiktok", "oauth_token") == 1  # the refresh grant: simulator.tiktok


def test_tiktok_denied_and_bad_codes(sim: Simulator, client: httpx.Client) -> None:
    denied = query_of(tiktok_authorize(client, sim, sim_decision="deny"))
    assert denied["error"] == "access_denied" and denied["state"] == STATE
    assert denied["error_description"]
    code = tiktok_code(client, sim)
    mismatch = tiktok_exchange(client, sim, code, redirect_uri="https://pantau.example/cb")
    assert mismatch.status_code == 400 and mismatch.json()["error"] == "invalid_request"
    assert mismatch.json()["error_description"].startswith("Redirect_uri is not matched")
    assert mismatch.json()["log_id"]
    wrong_client = tiktok_exchange(client, sim, code, client_secret="salah")
    assert wrong_client.status_code == 401 and wrong_client.json()["error"] == "invalid_client"
    assert tiktok_exchange(client, sim, code).status_code == 200
    reused = tiktok_exchange(client, sim, code).json()
    assert reused["error_description"] == "Authorization code has been used."
    stale = tiktok_code(client, sim)
    sim.state.oauth.expire_codes()
    expired = tiktok_exchange(client, sim, stale).json()
    assert (expired["error"], expired["error_description"]) == (
        "invalid_grant",
        "Authorization code is expired.",
    )


def test_tiktok_consent_is_for_exactly_one_account(sim: Simulator, client: httpx.Client) -> None:
    sim.world.add_account("tiktok", "dinkes_sintang")
    both = tiktok_authorize(
        client, sim, sim_decision="allow", sim_accounts="humas_sintang,dinkes_sintang"
    )
    assert both.status_code == 400 and "tepat satu" in both.text
    page = tiktok_authorize(client, sim).text
    assert (
        'type="radio" name="sim_accounts" id="sim-account-0" value="humas_sintang" checked' in page
    )
    assert 'value="dinkes_sintang">' in page
    assert "<title>Simulator TikTok: Masuk dan izinkan Pantau</title>" in page


def test_tiktok_revoke_kills_access_and_refresh_until_a_new_consent(
    sim: Simulator, client: httpx.Client
) -> None:
    tokens = tiktok_exchange(client, sim, tiktok_code(client, sim)).json()
    form = {
        "client_key": SIM_TIKTOK_CLIENT_KEY,
        "client_secret": SIM_TIKTOK_CLIENT_SECRET,
        "token": tokens["access_token"],
    }
    revoked = client.post(f"{sim.base_url('tiktok')}/oauth/revoke/", data=form)
    assert revoked.status_code == 200 and revoked.json() == {}
    dead = tiktok_user(client, sim, tokens["access_token"])
    assert dead.status_code == 401 and dead.json()["error"]["code"] == "access_token_invalid"
    refresh = tiktok_refresh(client, sim, tokens["refresh_token"])
    assert refresh.status_code == 400 and refresh.json()["error"] == "invalid_grant"
    tiktok_exchange(client, sim, tiktok_code(client, sim))
    assert tiktok_user(client, sim, tokens["access_token"]).status_code == 200


# ---------------------------------------------------------------- Google


VERIFIER = "verifier-" + "x" * 50
CHALLENGE = (
    base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).decode().rstrip("=")
)
YT_SCOPE = "https://www.googleapis.com/auth/youtube.readonly"


def google_authorize(client: httpx.Client, sim: Simulator, **extra: str) -> httpx.Response:
    params = {
        "client_id": SIM_GOOGLE_CLIENT_ID,
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": YT_SCOPE,
        "state": STATE,
        "access_type": "offline",
        "prompt": "consent",
        "code_challenge": CHALLENGE,
        "code_challenge_method": "S256",
        **extra,
    }
    return client.get(f"{sim.root}/google/o/oauth2/v2/auth", params=params)


def google_code(client: httpx.Client, sim: Simulator) -> str:
    response = google_authorize(client, sim, sim_decision="allow", sim_accounts="humas_sintang")
    answer = query_of(response)
    assert (answer["scope"], answer["state"]) == (YT_SCOPE, STATE)
    return answer["code"]


def google_token(client: httpx.Client, sim: Simulator, **form: str) -> httpx.Response:
    base = {"client_id": SIM_GOOGLE_CLIENT_ID, "client_secret": SIM_GOOGLE_CLIENT_SECRET}
    return client.post(f"{sim.root}/google/token", data={**base, **form})


def google_exchange(
    client: httpx.Client, sim: Simulator, code: str, **extra: str
) -> httpx.Response:
    form = {
        "code": code,
        "redirect_uri": REDIRECT,
        "grant_type": "authorization_code",
        "code_verifier": VERIFIER,
    }
    return google_token(client, sim, **{**form, **extra})


def my_channel(client: httpx.Client, sim: Simulator, token: str) -> httpx.Response:
    return client.get(
        f"{sim.base_url('youtube')}/channels",
        params={"part": "id,snippet", "mine": "true"},
        headers={"Authorization": f"Bearer {token}"},
    )


def test_google_consent_with_pkce_reads_the_owners_channel(
    sim: Simulator, client: httpx.Client
) -> None:
    code = google_code(client, sim)
    wrong = google_exchange(client, sim, code, code_verifier="bukan-verifier-yang-benar")
    assert wrong.status_code == 400
    assert wrong.json() == {"error": "invalid_grant", "error_description": "Invalid code verifier."}
    missing = google_token(
        client, sim, code=code, redirect_uri=REDIRECT, grant_type="authorization_code"
    )
    assert missing.json()["error_description"] == "Invalid code verifier."
    tokens = google_exchange(client, sim, code).json()
    assert (tokens["expires_in"], tokens["token_type"], tokens["scope"]) == (
        3599,
        "Bearer",
        YT_SCOPE,
    )
    channel = sim.world.account("youtube", "humas_sintang")
    items = my_channel(client, sim, tokens["access_token"]).json()["items"]
    assert [item["id"] for item in items] == [channel.platform_id]
    assert items[0]["snippet"]["title"] == channel.name
    uploads = client.get(
        f"{sim.base_url('youtube')}/playlistItems",
        params={"part": "snippet", "playlistId": "UU" + channel.platform_id[2:]},
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    assert uploads.status_code == 200 and uploads.json()["items"]
    reused = google_exchange(client, sim, code).json()
    assert reused == {"error": "invalid_grant", "error_description": "Malformed auth code."}
    assert sim.stats.count("youtube", "channels_mine") == 1


def test_google_access_token_expires_and_the_refresh_token_renews_it(
    sim: Simulator, client: httpx.Client
) -> None:
    tokens = google_exchange(client, sim, google_code(client, sim)).json()
    sim.world.now = NOW + timedelta(hours=1)
    stale = my_channel(client, sim, tokens["access_token"])
    assert stale.status_code == 401 and stale.json()["error"]["status"] == "UNAUTHENTICATED"
    renewed = google_token(
        client, sim, grant_type="refresh_token", refresh_token=tokens["refresh_token"]
    )
    assert "refresh_token" not in renewed.json()
    assert my_channel(client, sim, renewed.json()["access_token"]).status_code == 200


def test_google_revoke_withdraws_the_whole_consent(sim: Simulator, client: httpx.Client) -> None:
    tokens = google_exchange(client, sim, google_code(client, sim)).json()
    revoke = client.post(f"{sim.root}/google/revoke", params={"token": tokens["refresh_token"]})
    assert revoke.status_code == 200 and revoke.json() == {}
    assert my_channel(client, sim, tokens["access_token"]).status_code == 401
    videos = client.get(
        f"{sim.base_url('youtube')}/videos",
        params={"part": "id", "id": "yo-1"},
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    assert videos.status_code == 401
    refresh = google_token(
        client, sim, grant_type="refresh_token", refresh_token=tokens["refresh_token"]
    )
    assert refresh.json() == {
        "error": "invalid_grant",
        "error_description": "Token has been expired or revoked.",
    }
    again = client.post(f"{sim.root}/google/revoke", data={"token": tokens["access_token"]})
    assert again.status_code == 400
    assert again.json() == {
        "error": "invalid_token",
        "error_description": "Token expired or revoked",
    }


def test_google_denied_expired_and_mismatched(sim: Simulator, client: httpx.Client) -> None:
    denied = google_authorize(client, sim, sim_decision="deny")
    assert denied.headers["location"] == f"{REDIRECT}?error=access_denied&state={STATE}"
    code = google_code(client, sim)
    mismatch = google_exchange(client, sim, code, redirect_uri="http://localhost:8501/")
    assert mismatch.json()["error"] == "redirect_uri_mismatch"
    sim.state.oauth.expire_codes()
    assert google_exchange(client, sim, code).json()["error_description"] == "Malformed auth code."
    wrong_client = google_exchange(client, sim, code, client_secret="salah")
    assert wrong_client.status_code == 401 and wrong_client.json()["error"] == "invalid_client"
    assert google_authorize(client, sim, scope="").status_code == 400
    page = google_authorize(client, sim).text
    assert "<title>Simulator Google: Masuk dan izinkan Pantau</title>" in page
    assert 'name="code_challenge" value="' + CHALLENGE + '"' in page
