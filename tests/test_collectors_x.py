"""X API v2 collector against recorded-style fixtures."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from collectors.base import AccountRef, AuthError, ConfigError, NotFound, QuotaExceeded, RateLimited
from collectors.paging import MAX_STALLS
from collectors.x import XCollector, parse_posts, parse_profile
from tests.collector_support import (
    NOW,
    X_TOKEN,
    FakeApi,
    FakeClock,
    load,
    options,
    secret_free,
    settings,
)

USER_ID = "1234567890123456789"
ACCOUNT = AccountRef(5, "x", "diskominfosintang")
SINCE = datetime(2024, 1, 1, tzinfo=UTC)


def collector(api: FakeApi, clock: FakeClock | None = None, **overrides: str) -> XCollector:
    return XCollector(api.client(), settings(**overrides), options=options(clock or FakeClock()))


def paged(request: httpx.Request) -> bool:
    return "pagination_token" in request.url.params


def timeline() -> FakeApi:
    return (
        FakeApi()
        .on("/users/by/username/diskominfosintang", "x/user")
        .on(f"/users/{USER_ID}/tweets", "x/tweets_p2", when=paged)
        .on(f"/users/{USER_ID}/tweets", "x/tweets_p1")
    )


def test_parse_profile() -> None:
    profile = parse_profile(load("x/user")["json"])
    assert (profile.followers, profile.following, profile.post_count) == (80412, 310, 25190)
    assert profile.platform_id == USER_ID


def test_parse_posts_metrics_mapping() -> None:
    posts, token = parse_posts(load("x/tweets_p1")["json"], "diskominfosintang")
    first = posts[0]
    assert (first.likes, first.comments, first.shares, first.views) == (140, 5, 13, 9120)
    assert first.url == "https://x.com/diskominfosintang/status/1747012345678901234"
    assert token == "7140dibdnow9c7btw3z2vnbyk5xuxnz8obt5ymxtmhcrx"
    partial, token = parse_posts(load("x/tweets_p2")["json"])
    assert token is None and (partial[0].shares, partial[0].views, partial[0].likes) == (
        None,
        None,
        7,
    )


def test_fetch_posts_pages_with_pagination_token() -> None:
    api = timeline()
    c = collector(api)
    posts = list(c.fetch_posts(ACCOUNT, SINCE))
    assert len(posts) == 4 and c.request_count == 3  # lookup + 2 pages
    _lookup, first, second = api.requests
    assert first.headers["authorization"] == f"Bearer {X_TOKEN}"
    assert first.url.params["start_time"] == "2024-01-01T00:00:00Z"
    assert first.url.params["max_results"] == "100"
    assert second.url.params["pagination_token"] == "7140dibdnow9c7btw3z2vnbyk5xuxnz8obt5ymxtmhcrx"


def test_profile_lookup_is_reused_for_posts() -> None:
    api = timeline()
    c = collector(api)
    c.fetch_profile(ACCOUNT)
    list(c.fetch_posts(ACCOUNT, datetime(2024, 1, 14, 12, tzinfo=UTC)))
    assert len(api.requests) == 2  # one lookup, one timeline page


def test_since_cut_off() -> None:
    posts = list(collector(timeline()).fetch_posts(ACCOUNT, datetime(2024, 1, 10, tzinfo=UTC)))
    assert [p.posted_at.day for p in posts] == [15, 14, 12]


def test_no_start_time_before_x_existed() -> None:
    api = timeline()
    list(collector(api).fetch_posts(ACCOUNT, datetime(1970, 1, 1, tzinfo=UTC)))
    assert "start_time" not in api.requests[1].url.params


def test_empty_timeline_and_empty_page_with_next_token_terminate() -> None:
    for name in ("x/tweets_empty", "x/tweets_empty_next"):
        api = FakeApi().on(f"/users/{USER_ID}/tweets", name)
        account = AccountRef(5, "x", "diskominfosintang", platform_id=USER_ID)
        assert list(collector(api).fetch_posts(account, SINCE)) == []
        assert len(api.requests) <= 1 + MAX_STALLS


def test_unknown_user_is_not_found() -> None:
    api = FakeApi().on("/users/by/username/humasxyz", "x/user_not_found")
    with pytest.raises(NotFound) as info:
        collector(api).fetch_profile(AccountRef(6, "x", "humasxyz"))
    assert "Not Found Error" in str(info.value)


def test_rate_limit_reset_is_waited_for() -> None:
    api, clock = (
        FakeApi().on("/users/by/username/diskominfosintang", "x/error_429", "x/user"),
        FakeClock(),
    )
    assert collector(api, clock).fetch_profile(ACCOUNT).followers == 80412
    assert clock.sleeps == [1705300030 - NOW]


def test_rate_limit_reset_beyond_the_cap_moves_on() -> None:
    late = load("x/error_429")
    late["headers"]["x-rate-limit-reset"] = str(int(NOW) + 900)
    api, clock = FakeApi().on("/users/by/username/diskominfosintang", late), FakeClock()
    with pytest.raises(RateLimited) as info:
        collector(api, clock).fetch_profile(ACCOUNT)
    assert info.value.retry_after == 900 and clock.sleeps == []


def test_remaining_zero_on_success_pauses_until_reset() -> None:
    ok = load("x/user")
    ok["headers"].update({"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(int(NOW) + 20)})
    api, clock = FakeApi().on("/users/by/username/diskominfosintang", ok), FakeClock()
    c = collector(api, clock)
    c.fetch_profile(ACCOUNT)
    c.fetch_profile(ACCOUNT)
    assert clock.sleeps == [20.0]


def test_legacy_rate_limit_body_is_retried() -> None:
    api = FakeApi().on("/users/by/username/diskominfosintang", "x/error_legacy_88", "x/user")
    assert collector(api).fetch_profile(ACCOUNT).followers == 80412


def test_unauthorized_stops_the_platform_without_leaking_the_token() -> None:
    api = FakeApi().on("/users/by/username/diskominfosintang", "x/error_401")
    with pytest.raises(AuthError) as info:
        collector(api).fetch_profile(ACCOUNT)
    assert info.value.platform_wide and secret_free(info.value, info.value.message_id)


def test_usage_cap_is_quota() -> None:
    api = FakeApi().on("/users/by/username/diskominfosintang", "x/error_usage_cap")
    with pytest.raises(QuotaExceeded):
        collector(api).fetch_profile(ACCOUNT)
    assert len(api.requests) == 1


def test_server_errors_and_timeouts_are_retried() -> None:
    api = FakeApi().on(
        "/users/by/username/diskominfosintang",
        httpx.Response(502),
        httpx.ReadTimeout("t"),
        "x/user",
    )
    assert collector(api).fetch_profile(ACCOUNT).followers == 80412


def test_malformed_json() -> None:
    api = FakeApi().on("/users/by/username/diskominfosintang", httpx.Response(200, content=b"]["))
    with pytest.raises(Exception) as info:
        collector(api).fetch_profile(ACCOUNT)
    assert info.value.error_class == "malformed"  # type: ignore[attr-defined]


def test_missing_bearer_token_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        collector(FakeApi(), x_bearer_token="").fetch_profile(ACCOUNT)
