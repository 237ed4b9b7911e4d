"""YouTube Data API collector and its quota budget, against recorded-style fixtures."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from collectors.base import AccountRef, AuthError, ConfigError, NotFound, QuotaExceeded
from collectors.youtube import (
    QuotaBudget,
    YouTubeCollector,
    parse_playlist,
    parse_posts,
    parse_profile,
)
from tests.collector_support import YT_KEY, FakeApi, FakeClock, load, options, secret_free, settings

ACCOUNT = AccountRef(3, "youtube", "pemkabsintang")
SINCE = datetime(2024, 1, 10, tzinfo=UTC)
CHANNEL_ID = "UCq1w2e3r4t5y6u7i8o9p0aQ"


def collector(
    api: FakeApi, budget: QuotaBudget | None = None, **overrides: str
) -> YouTubeCollector:
    return YouTubeCollector(
        api.client(), settings(**overrides), options=options(FakeClock()), budget=budget
    )


def with_token(request: httpx.Request) -> bool:
    return "pageToken" in request.url.params


def first_ids(request: httpx.Request) -> bool:
    return request.url.params.get("id", "").startswith("AbCd")


def full_api() -> FakeApi:
    return (
        FakeApi()
        .on("/channels", "youtube/channel")
        .on("/playlistItems", "youtube/playlist_p2", when=with_token)
        .on("/playlistItems", "youtube/playlist_p1")
        .on("/videos", "youtube/videos_p1", when=first_ids)
        .on("/videos", "youtube/videos_p2")
    )


def test_parse_profile_counts_are_strings() -> None:
    profile = parse_profile(load("youtube/channel")["json"])
    assert (profile.followers, profile.post_count) == (48200, 1320)
    assert profile.platform_id == CHANNEL_ID and profile.name == "Pemkab Sintang Official"


def test_hidden_subscriber_count_is_unknown() -> None:
    assert parse_profile(load("youtube/channel_hidden")["json"]).followers is None


def test_parse_posts_missing_counts_are_unknown() -> None:
    posts, _ = parse_posts(load("youtube/videos_p1")["json"])
    assert (posts[0].views, posts[0].likes, posts[0].comments) == (3120, 88, 9)
    assert (posts[1].views, posts[1].likes, posts[1].comments) == (51, None, None)
    assert posts[0].shares is None


def test_parse_playlist_uses_video_published_at() -> None:
    uploads, token = parse_playlist(load("youtube/playlist_p1")["json"])
    assert token == "CDIQAA" and uploads[1].posted_at == datetime(2024, 1, 14, 5, tzinfo=UTC)


def test_unknown_handle_is_not_found() -> None:
    api = FakeApi().on("/channels", "youtube/channel_unknown")
    with pytest.raises(NotFound):
        collector(api).fetch_profile(ACCOUNT)
    assert api.params()["forHandle"] == "@pemkabsintang"


def test_fetch_posts_pages_batches_and_stops_at_since() -> None:
    api = full_api()
    c = collector(api)
    posts = list(c.fetch_posts(ACCOUNT, SINCE))
    assert [p.post_id for p in posts] == ["AbCdEfGhIjk", "BbCdEfGhIjk", "CbCdEfGhIjk"]
    videos = [r for r in api.requests if r.url.path.endswith("/videos")]
    assert [r.url.params["id"] for r in videos] == ["AbCdEfGhIjk,BbCdEfGhIjk", "CbCdEfGhIjk"]
    assert c.budget.used == c.request_count == 5  # channels + 2 playlist pages + 2 batches


def test_profile_then_posts_reuses_the_uploads_playlist() -> None:
    api = full_api()
    c = collector(api)
    c.fetch_profile(ACCOUNT)
    list(c.fetch_posts(ACCOUNT, datetime(2024, 1, 14, 12, tzinfo=UTC)))
    paths = [r.url.path.rsplit("/", 1)[-1] for r in api.requests]
    assert paths == ["channels", "playlistItems", "videos"]


def test_channel_id_is_used_when_known() -> None:
    api = FakeApi().on("/channels", "youtube/channel")
    account = AccountRef(3, "youtube", "pemkabsintang", platform_id=CHANNEL_ID)
    collector(api).fetch_profile(account)
    assert api.params()["id"] == CHANNEL_ID and "forHandle" not in api.params()


def test_budget_stops_before_it_would_be_exceeded() -> None:
    api, budget = full_api(), QuotaBudget(daily_limit=3)
    c = collector(api, budget)
    got: list[object] = []
    with pytest.raises(QuotaExceeded) as info:
        got.extend(c.fetch_posts(ACCOUNT, SINCE))
    assert len(api.requests) == 3 and budget.used == 3 and budget.remaining == 0
    assert info.value.platform_wide and "besok" in info.value.message_id


def test_budget_is_shared_and_refuses_further_accounts() -> None:
    budget = QuotaBudget(daily_limit=1)
    api = FakeApi().on("/channels", "youtube/channel")
    collector(api, budget).fetch_profile(ACCOUNT)
    with pytest.raises(QuotaExceeded):
        collector(api, budget).fetch_profile(ACCOUNT)
    assert len(api.requests) == 1


def test_quota_exceeded_response_exhausts_the_budget() -> None:
    api, budget = FakeApi().on("/channels", "youtube/error_quota"), QuotaBudget()
    with pytest.raises(QuotaExceeded):
        collector(api, budget).fetch_profile(ACCOUNT)
    assert budget.remaining == 0 and len(api.requests) == 1


@pytest.mark.parametrize("name", ["youtube/error_key_new", "youtube/error_key_old"])
def test_invalid_key_is_an_auth_error(name: str) -> None:
    api = FakeApi().on("/channels", name)
    with pytest.raises(AuthError) as info:
        collector(api).fetch_profile(ACCOUNT)
    assert info.value.platform_wide and secret_free(info.value)
    assert api.params()["key"] == YT_KEY


def test_rate_limit_is_retried() -> None:
    api = FakeApi().on("/channels", "youtube/error_rate_limit", "youtube/channel")
    assert collector(api).fetch_profile(ACCOUNT).followers == 48200


def test_timeout_and_5xx_are_retried_and_each_attempt_costs_a_unit() -> None:
    error = httpx.Response(
        503, json={"error": {"code": 503, "errors": [{"reason": "backendError"}]}}
    )
    api = FakeApi().on("/channels", httpx.ReadTimeout("slow"), error, "youtube/channel")
    c = collector(api)
    assert c.fetch_profile(ACCOUNT).followers == 48200
    assert c.budget.used == 3


def test_playlist_not_found() -> None:
    api = (
        FakeApi()
        .on("/channels", "youtube/channel")
        .on("/playlistItems", "youtube/error_playlist_not_found")
    )
    with pytest.raises(NotFound):
        list(collector(api).fetch_posts(ACCOUNT, SINCE))


def test_malformed_body_is_malformed() -> None:
    api = FakeApi().on("/channels", httpx.Response(200, content=b"{not json"))
    with pytest.raises(Exception) as info:
        collector(api).fetch_profile(ACCOUNT)
    assert info.value.error_class == "malformed"  # type: ignore[attr-defined]


def test_missing_key_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        collector(FakeApi(), youtube_api_key="").fetch_profile(ACCOUNT)


def test_comment_threads_count_the_channels_own_replies() -> None:
    from collectors.youtube import parse_comment_threads

    channel = "UCowner000000000000000"
    payload = {
        "kind": "youtube#commentThreadListResponse",
        "items": [
            {"id": "t1", "snippet": {"totalReplyCount": 1},
             "replies": {"comments": [{"snippet": {"authorChannelId": {"value": channel}}}]}},
            {"id": "t2", "snippet": {"totalReplyCount": 1},
             "replies": {"comments": [{"snippet": {"authorChannelId": {"value": "UCfan"}}}]}},
            {"id": "t3", "snippet": {"totalReplyCount": 0}},
            "not an object",
        ],
    }  # fmt: skip
    assert parse_comment_threads(payload, channel) == (3, 1)
    assert parse_comment_threads({"items": []}, channel) == (0, 0)
