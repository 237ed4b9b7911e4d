"""Instagram Business Discovery collector against recorded-style fixtures."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from collectors.base import (
    AccountRef,
    AuthError,
    ConfigError,
    MalformedResponse,
    NotFound,
    RateLimited,
)
from collectors.instagram import InstagramCollector, parse_posts, parse_profile
from collectors.paging import MAX_STALLS
from tests.collector_support import (
    META_TOKEN,
    FakeApi,
    FakeClock,
    load,
    options,
    secret_free,
    settings,
)

ACCOUNT = AccountRef(1, "instagram", "diskominfo_sintang")
SINCE = datetime(2024, 1, 1, tzinfo=UTC)
PATH = "/17841405309211844"


def collector(api: FakeApi, clock: FakeClock | None = None, **overrides: str) -> InstagramCollector:
    return InstagramCollector(
        api.client(), settings(**overrides), options=options(clock or FakeClock())
    )


def is_media(request: httpx.Request) -> bool:
    return "media" in request.url.params.get("fields", "")


def after_cursor(request: httpx.Request) -> bool:
    return ".after(" in request.url.params.get("fields", "")


def test_parse_profile() -> None:
    profile = parse_profile(load("instagram/profile")["json"])
    assert (profile.followers, profile.following, profile.post_count) == (12543, 312, 482)
    assert profile.platform_id == "17841400000000001" and profile.name == "Diskominfo Sintang"


def test_parse_posts_hidden_likes_are_unknown_and_bad_items_skipped() -> None:
    posts, after = parse_posts(load("instagram/media_p1")["json"])
    assert after == "QVFIUnZAQbE9"
    first, reel = posts
    assert first.likes == 2310 and first.comments == 87 and first.media_type == "carousel_album"
    assert first.posted_at == datetime(2024, 1, 15, 2, 30, tzinfo=UTC)
    assert reel.likes is None and reel.media_type == "reels"
    assert reel.shares is None and reel.views is None
    last_page, after = parse_posts(load("instagram/media_p2")["json"])
    assert after is None and [p.post_id for p in last_page] == [
        "18011111111111111",
        "18033333333333333",
    ]


def test_fetch_profile_sends_business_discovery_query() -> None:
    api = FakeApi().on(PATH, "instagram/profile")
    assert collector(api).fetch_profile(ACCOUNT).followers == 12543
    params = api.params()
    assert params["fields"].startswith("business_discovery.username(diskominfo_sintang){")
    assert params["access_token"] == META_TOKEN


def test_fetch_posts_follows_nested_after_cursor_across_pages() -> None:
    api = FakeApi().on(PATH, "instagram/media_p2", when=after_cursor).on(PATH, "instagram/media_p1")
    posts = list(collector(api).fetch_posts(ACCOUNT, SINCE))
    assert [p.post_id for p in posts] == [
        "18012345678901234",
        "18098765432109876",
        "18011111111111111",
        "18033333333333333",
    ]
    assert "media.after(QVFIUnZAQbE9).limit(25)" in api.params()["fields"]
    assert len(api.requests) == 2


def test_fetch_posts_stops_at_since() -> None:
    api = FakeApi().on(PATH, "instagram/media_p2", when=after_cursor).on(PATH, "instagram/media_p1")
    c = collector(api)
    posts = list(c.fetch_posts(ACCOUNT, datetime(2024, 1, 14, 12, tzinfo=UTC)))
    assert [p.post_id for p in posts] == ["18012345678901234"]
    assert c.request_count == 1  # page 1 already reaches past `since`


def test_empty_page_with_cursor_terminates() -> None:
    api = FakeApi().on(PATH, "instagram/media_empty_with_after")
    assert list(collector(api).fetch_posts(ACCOUNT, SINCE)) == []
    assert len(api.requests) == 1


def test_repeated_page_terminates() -> None:
    api = FakeApi().on(PATH, "instagram/media_p1")  # every page is the same page
    posts = list(collector(api).fetch_posts(ACCOUNT, SINCE))
    assert len(posts) == 2 and len(api.requests) == 2 + MAX_STALLS


def test_not_professional_account_says_what_the_opd_should_do() -> None:
    api = FakeApi().on(PATH, "instagram/error_not_professional")
    with pytest.raises(NotFound) as info:
        collector(api).fetch_profile(ACCOUNT)
    assert info.value.message_id == (
        "Akun Instagram ini bukan akun profesional (Bisnis/Kreator) atau tidak ditemukan. Minta "
        "admin OPD mengubahnya menjadi akun Bisnis atau Kreator di pengaturan Instagram."
    )
    assert not info.value.platform_wide


def test_expired_token_stops_the_platform() -> None:
    api = FakeApi().on(PATH, "instagram/error_token")
    with pytest.raises(AuthError) as info:
        collector(api).fetch_profile(ACCOUNT)
    assert info.value.platform_wide and "PANTAU_META_TOKEN" in info.value.message_id
    assert secret_free(info.value, info.value.message_id)


def test_throttle_is_rate_limited() -> None:
    api = FakeApi().on(PATH, "instagram/error_throttle")
    with pytest.raises(RateLimited):
        collector(api).fetch_profile(ACCOUNT)
    assert len(api.requests) == 1


def test_usage_header_pauses_before_the_next_call() -> None:
    api, clock = FakeApi().on(PATH, "instagram/usage_high", "instagram/profile"), FakeClock()
    c = collector(api, clock)
    c.fetch_profile(ACCOUNT)
    c.fetch_profile(ACCOUNT)
    assert len(clock.sleeps) == 1 and clock.sleeps[0] >= 10


def test_server_error_is_retried() -> None:
    api, clock = FakeApi().on(PATH, "instagram/transient_500", "instagram/profile"), FakeClock()
    assert collector(api, clock).fetch_profile(ACCOUNT).followers == 12543
    assert clock.sleeps == [1.0]


def test_timeout_is_retried() -> None:
    api = FakeApi().on(PATH, httpx.ReadTimeout("slow"), "instagram/profile")
    assert collector(api).fetch_profile(ACCOUNT).followers == 12543


def test_malformed_response() -> None:
    api = FakeApi().on(PATH, "instagram/malformed")
    with pytest.raises(MalformedResponse):
        collector(api).fetch_profile(ACCOUNT)
    with pytest.raises(MalformedResponse):
        parse_profile({"id": "1"})


@pytest.mark.parametrize("missing", ["ig_user_id", "meta_token"])
def test_missing_settings_are_a_config_error(missing: str) -> None:
    api = FakeApi()
    with pytest.raises(ConfigError) as info:
        collector(api, **{missing: ""}).fetch_profile(ACCOUNT)
    assert info.value.platform_wide and api.requests == []
