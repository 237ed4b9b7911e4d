"""Facebook Pages collector against recorded-style fixtures."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from collectors.base import AccountRef, AuthError, ConfigError, NotFound, RateLimited
from collectors.errors import AccountAuthError
from collectors.facebook import FacebookCollector, parse_posts, parse_profile
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

PAGE = "104400000000001"
ACCOUNT = AccountRef(2, "facebook", "diskominfosintang", platform_id=PAGE)
PAGE_TOKEN = "EAAGpageSECRETtoken998877"
SINCE = datetime(2024, 1, 1, tzinfo=UTC)


def collector(api: FakeApi, clock: FakeClock | None = None, **overrides: str) -> FacebookCollector:
    return FacebookCollector(
        api.client(), settings(**overrides), options=options(clock or FakeClock())
    )


def paged(request: httpx.Request) -> bool:
    return "__paging_token" in request.url.params


def test_parse_profile_prefers_followers_then_page_likes() -> None:
    assert parse_profile(load("facebook/page")["json"]).followers == 51876
    assert parse_profile(load("facebook/page_likes_only")["json"]).followers == 2100


def test_parse_posts_reactions_comments_and_absent_shares() -> None:
    posts, next_url = parse_posts(load("facebook/posts_p1")["json"])
    photo, video = posts
    assert (photo.likes, photo.comments, photo.shares) == (356, 42, 14)
    assert video.shares == 0 and video.caption is None and video.views is None
    assert next_url is not None and "until=1705226400" in next_url


def test_fetch_posts_follows_time_based_paging() -> None:
    api = FakeApi().on("/posts", "facebook/posts_p2", when=paged).on("/posts", "facebook/posts_p1")
    posts = list(collector(api).fetch_posts(ACCOUNT, SINCE))
    assert len(posts) == 4 and posts[2].post_id == f"{PAGE}_912345678800001"
    first, second = api.requests
    assert first.url.params["since"] == str(int(SINCE.timestamp()))
    assert second.url.params["until"] == "1705226400"
    assert second.url.params["__paging_token"] == "enc_AdC123"
    assert second.url.params["access_token"] == META_TOKEN  # not the recorded "REDACTED"
    assert second.url.host == "graph.facebook.com" and second.url.path.endswith(f"/{PAGE}/posts")


def test_since_cut_off() -> None:
    api = FakeApi().on("/posts", "facebook/posts_p2", when=paged).on("/posts", "facebook/posts_p1")
    posts = list(collector(api).fetch_posts(ACCOUNT, datetime(2024, 1, 10, tzinfo=UTC)))
    assert [p.posted_at.day for p in posts] == [15, 14, 12]


def test_empty_page_with_next_link_terminates() -> None:
    api = FakeApi().on("/posts", "facebook/posts_empty_next")
    assert list(collector(api).fetch_posts(ACCOUNT, SINCE)) == []
    assert len(api.requests) == 1 + MAX_STALLS  # asked again a bounded number of times


def test_page_token_is_used_and_its_failure_is_per_account() -> None:
    api = FakeApi().on(f"/{PAGE}", "facebook/error_token")
    account = AccountRef(2, "facebook", "diskominfosintang", platform_id=PAGE, token=PAGE_TOKEN)
    with pytest.raises(AccountAuthError) as info:
        collector(api).fetch_profile(account)
    assert api.params()["access_token"] == PAGE_TOKEN
    assert not info.value.platform_wide and info.value.error_class == "auth"
    assert PAGE_TOKEN not in str(info.value)


def test_meta_token_failure_is_platform_wide() -> None:
    api = FakeApi().on(f"/{PAGE}", "facebook/error_token")
    with pytest.raises(AuthError) as info:
        collector(api).fetch_profile(ACCOUNT)
    assert info.value.platform_wide and secret_free(info.value)


def test_missing_permission_tells_the_opd_to_grant_access() -> None:
    api = FakeApi().on(f"/{PAGE}", "facebook/error_no_access")
    with pytest.raises(NotFound) as info:
        collector(api).fetch_profile(ACCOUNT)
    assert "admin OPD" in info.value.message_id


def test_buc_throttle_carries_the_regain_time() -> None:
    api = FakeApi().on("/posts", "facebook/error_buc_throttle")
    with pytest.raises(RateLimited) as info:
        list(collector(api).fetch_posts(ACCOUNT, SINCE))
    assert info.value.retry_after == 300.0  # 5 minutes [U: unit]


def test_buc_usage_header_pauses_the_next_call() -> None:
    api, clock = FakeApi().on(f"/{PAGE}", "facebook/usage_high_buc", "facebook/page"), FakeClock()
    c = collector(api, clock)
    c.fetch_profile(ACCOUNT)
    assert c.fetch_profile(ACCOUNT).followers == 51876
    assert clock.sleeps == [pytest.approx(35.0)]


def test_no_token_at_all_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        collector(FakeApi(), meta_token="").fetch_profile(ACCOUNT)


def test_handle_is_used_when_the_page_id_is_unknown() -> None:
    api = FakeApi().on("/diskominfosintang", "facebook/page")
    profile = collector(api).fetch_profile(AccountRef(3, "facebook", "diskominfosintang"))
    assert profile.platform_id == PAGE
