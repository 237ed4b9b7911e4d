"""TikTok Display API collector and the token refresh flow, against recorded-style fixtures."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import parse_qsl

import httpx
import pytest

from collectors.base import AccountRef, ConfigError, NotFound, RateLimited, TransientError
from collectors.messages import message
from collectors.paging import MAX_STALLS
from collectors.tiktok import (
    AccountAuthError,
    TikTokCollector,
    parse_posts,
    parse_profile,
    refresh_access_token,
)
from tests.collector_support import (
    TT_SECRET,
    TT_TOKEN,
    FakeApi,
    FakeClock,
    load,
    options,
    secret_free,
    settings,
)

ACCOUNT = AccountRef(4, "tiktok", "diskominfosintang", token=TT_TOKEN)
SINCE = datetime(2024, 1, 1, tzinfo=UTC)


def collector(api: FakeApi, clock: FakeClock | None = None, **overrides: str) -> TikTokCollector:
    return TikTokCollector(
        api.client(), settings(**overrides), options=options(clock or FakeClock())
    )


def has_cursor(request: httpx.Request) -> bool:
    return "cursor" in json.loads(request.content or b"{}")


def test_parse_profile() -> None:
    profile = parse_profile(load("tiktok/user_info")["json"])
    assert (profile.followers, profile.following, profile.post_count) == (20450, 18, 412)
    assert profile.name == "Diskominfo Sintang"


def test_parse_posts_counts_views_and_cursor() -> None:
    posts, cursor = parse_posts(load("tiktok/videos_p1")["json"])
    assert cursor == 1705199400000
    assert (posts[0].views, posts[0].likes, posts[0].comments, posts[0].shares) == (
        40110,
        1520,
        34,
        21,
    )
    assert posts[0].posted_at == datetime(2024, 1, 15, 2, 30, tzinfo=UTC)
    last, cursor = parse_posts(load("tiktok/videos_p2")["json"])
    assert cursor is None and last[1].likes is None and last[1].views == 77


def test_fetch_profile_uses_the_account_token() -> None:
    api = FakeApi().on("/user/info/", "tiktok/user_info")
    assert collector(api).fetch_profile(ACCOUNT).followers == 20450
    assert api.requests[0].headers["authorization"] == f"Bearer {TT_TOKEN}"
    assert "follower_count" in api.params()["fields"]


def test_fetch_posts_pages_with_cursor_and_has_more() -> None:
    api = (
        FakeApi()
        .on("/video/list/", "tiktok/videos_p2", when=has_cursor)
        .on("/video/list/", "tiktok/videos_p1")
    )
    posts = list(collector(api).fetch_posts(ACCOUNT, SINCE))
    assert len(posts) == 4
    first, second = (json.loads(r.content) for r in api.requests)
    assert first == {"max_count": 20} and second == {"max_count": 20, "cursor": 1705199400000}
    assert all(r.method == "POST" for r in api.requests)


def test_since_cut_off() -> None:
    api = (
        FakeApi()
        .on("/video/list/", "tiktok/videos_p2", when=has_cursor)
        .on("/video/list/", "tiktok/videos_p1")
    )
    posts = list(collector(api).fetch_posts(ACCOUNT, datetime(2024, 1, 10, tzinfo=UTC)))
    assert [p.post_id[-1] for p in posts] == ["1", "2", "3"]


def test_empty_page_with_has_more_terminates() -> None:
    api = FakeApi().on("/video/list/", "tiktok/videos_empty_more")
    assert list(collector(api).fetch_posts(ACCOUNT, SINCE)) == []
    assert len(api.requests) == 1 + MAX_STALLS


@pytest.mark.parametrize("name", ["tiktok/error_token", "tiktok/error_scope"])
def test_invalid_token_fails_only_that_account(name: str) -> None:
    api = FakeApi().on("/user/info/", name)
    with pytest.raises(AccountAuthError) as info:
        collector(api).fetch_profile(ACCOUNT)
    error = info.value
    assert error.error_class == "auth" and not error.platform_wide
    assert "admin OPD" in error.message_id and secret_free(error, error.message_id)


def test_account_without_token_is_the_opd_admins_to_authorise() -> None:
    """The app is configured: only the account's owner can fix a missing token."""
    api = FakeApi()
    with pytest.raises(AccountAuthError) as info:
        collector(api).fetch_profile(AccountRef(5, "tiktok", "baru"))
    assert api.requests == []
    assert info.value.message_id == message("tiktok", "account_auth")


@pytest.mark.parametrize("missing", ["tiktok_client_key", "tiktok_client_secret"])
def test_account_without_token_and_without_client_key_is_the_offices_setting(
    missing: str,
) -> None:
    """No client key/secret: nobody can authorise, so the office must complete the settings;
    the account fails alone (accounts with a working token are still read)."""
    api = FakeApi()
    tiktok = collector(api, **{missing: ""})
    with pytest.raises(ConfigError) as info:
        tiktok.fetch_profile(AccountRef(5, "tiktok", "baru"))
    with pytest.raises(ConfigError):
        list(tiktok.fetch_posts(AccountRef(5, "tiktok", "baru"), SINCE))
    error = info.value
    assert api.requests == []
    assert error.error_class == "config" and not error.platform_wide
    assert error.message_id == message("tiktok", "config")
    assert "PANTAU_TIKTOK_CLIENT_KEY" in error.message_id


def test_rejected_token_without_client_key_is_the_offices_setting() -> None:
    """An expired token cannot be renewed without the app's credentials: not the OPD's fault."""
    api = FakeApi().on("/user/info/", "tiktok/error_token")
    with pytest.raises(ConfigError) as info:
        collector(api, tiktok_client_key="", tiktok_client_secret="").fetch_profile(ACCOUNT)
    assert info.value.message_id == message("tiktok", "config") and not info.value.platform_wide
    assert secret_free(info.value)


def test_a_working_token_needs_no_client_key() -> None:
    api = FakeApi().on("/user/info/", "tiktok/user_info")
    assert collector(api, tiktok_client_key="").fetch_profile(ACCOUNT).followers == 20450


def test_rate_limit_is_retried_then_reported() -> None:
    api, clock = FakeApi().on("/user/info/", "tiktok/error_rate_limit"), FakeClock()
    with pytest.raises(RateLimited):
        collector(api, clock).fetch_profile(ACCOUNT)
    assert len(api.requests) == 4 and clock.sleeps == [1.0, 2.0, 4.0]


def test_internal_error_is_retried_then_succeeds() -> None:
    api = FakeApi().on(
        "/user/info/", "tiktok/error_internal", httpx.ConnectError("x"), "tiktok/user_info"
    )
    assert collector(api).fetch_profile(ACCOUNT).followers == 20450


def test_persistent_internal_error_is_transient() -> None:
    api = FakeApi().on("/user/info/", "tiktok/error_internal")
    with pytest.raises(TransientError):
        collector(api).fetch_profile(ACCOUNT)


def test_error_envelope_with_200_is_still_an_error() -> None:
    body = {"data": {}, "error": {"code": "user_not_found", "message": "gone", "log_id": "1"}}
    api = FakeApi().on("/user/info/", httpx.Response(200, json=body))
    with pytest.raises(NotFound):
        collector(api).fetch_profile(ACCOUNT)


def test_malformed_json() -> None:
    api = FakeApi().on("/video/list/", httpx.Response(200, content=b"<html>oops"))
    with pytest.raises(Exception) as info:
        list(collector(api).fetch_posts(ACCOUNT, SINCE))
    assert info.value.error_class == "malformed"  # type: ignore[attr-defined]


def test_refresh_request_shape_and_token_pair() -> None:
    api = FakeApi().on("/oauth/token/", "tiktok/token", method="POST")
    pair = refresh_access_token(
        api.client(), settings(), "rft.OLDrefresh", options=options(FakeClock())
    )
    assert (
        pair.access_token == "act.NEWACCESS123456" and pair.refresh_token == "rft.NEWREFRESH654321"
    )
    assert pair.expires_in == 86400 and pair.refresh_expires_in == 31536000
    request = api.requests[0]
    assert request.url.path == "/v2/oauth/token/"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert dict(parse_qsl(request.content.decode())) == {
        "client_key": "aw1234clientkey",
        "client_secret": TT_SECRET,
        "grant_type": "refresh_token",
        "refresh_token": "rft.OLDrefresh",
    }
    assert "NEWACCESS" not in repr(pair)


def test_refresh_rejected_means_the_opd_must_authorize_again() -> None:
    api = FakeApi().on("/oauth/token/", "tiktok/token_invalid_grant")
    with pytest.raises(AccountAuthError) as info:
        refresh_access_token(
            api.client(), settings(), "rft.OLDrefresh", options=options(FakeClock())
        )
    assert secret_free(info.value) and "rft.OLDrefresh" not in str(info.value)


def test_refresh_without_client_credentials_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        refresh_access_token(FakeApi().client(), settings(tiktok_client_secret=""), "rft.x")
