"""OPD website collector: WordPress REST, then the RSS/Atom fallback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest

from collectors.base import AccountRef, NotFound, TransientError
from collectors.paging import MAX_STALLS
from collectors.website import WebsiteCollector, parse_feed, parse_posts
from tests.collector_support import FIXTURES, FakeApi, FakeClock, load, options, settings

ACCOUNT = AccountRef(
    6, "website", "diskominfo.sintang.go.id", url="https://diskominfo.sintang.go.id"
)
SINCE = datetime(2024, 1, 1, tzinfo=UTC)
REST = "/wp-json/wp/v2/posts"


def collector(api: FakeApi) -> WebsiteCollector:
    return WebsiteCollector(api.client(), settings(), options=options(FakeClock()))


def page(number: int) -> Callable[[httpx.Request], bool]:
    return lambda request: request.url.params.get("page") == str(number)


def test_parse_posts_unescapes_titles_and_uses_gmt() -> None:
    posts, _ = parse_posts(load("website/wp_posts_p1")["json"])
    assert posts[0].post_id == "4821" and posts[0].caption == "Bupati Resmikan “Taman Kota” Baru"
    assert posts[1].caption == "Rapat Pleno"
    assert posts[0].posted_at == datetime(2024, 1, 15, 2, 30, tzinfo=UTC)
    assert (posts[0].likes, posts[0].comments, posts[0].shares, posts[0].views) == (None,) * 4
    local_only, _ = parse_posts(load("website/wp_posts_p2")["json"])
    assert local_only[1].posted_at == datetime(2024, 1, 5, 2, 30, tzinfo=UTC)  # WIB -> UTC


def test_parse_feed_reads_slash_comments_and_skips_undated() -> None:
    posts = parse_feed((FIXTURES / "website" / "feed.xml").read_bytes())
    assert [p.post_id for p in posts] == ["4821", "4810"]  # the REST API's ids
    assert posts[0].posted_at == datetime(2024, 1, 15, 2, 30, tzinfo=UTC) and posts[0].comments == 3
    assert posts[1].comments is None


def test_profile_has_no_followers_and_costs_no_request() -> None:
    api = FakeApi()
    assert collector(api).fetch_profile(ACCOUNT).followers is None
    assert api.requests == []


def test_rest_pages_follow_total_pages() -> None:
    api = FakeApi().on(REST, "website/wp_posts_p2", when=page(2)).on(REST, "website/wp_posts_p1")
    posts = list(collector(api).fetch_posts(ACCOUNT, SINCE))
    assert [p.post_id for p in posts] == ["4821", "4820", "4810", "4800"]
    assert len(api.requests) == 2
    params = api.params(0)
    assert params["per_page"] == "100" and params["after"] == "2023-12-31T00:00:00"


def test_since_cut_off() -> None:
    api = FakeApi().on(REST, "website/wp_posts_p2", when=page(2)).on(REST, "website/wp_posts_p1")
    posts = list(collector(api).fetch_posts(ACCOUNT, datetime(2024, 1, 13, tzinfo=UTC)))
    assert [p.post_id for p in posts] == ["4821", "4820"] and len(api.requests) == 2


def test_page_out_of_range_ends_paging() -> None:
    p1 = load("website/wp_posts_p1")
    del p1["headers"]["X-WP-TotalPages"]
    p1["json"] = p1["json"] * 50  # a full page of 100 without paging headers: ask for more
    for i, item in enumerate(p1["json"]):
        p1["json"][i] = {**item, "id": 5000 + i}
    api = FakeApi().on(REST, "website/wp_invalid_page", when=page(2)).on(REST, p1)
    assert len(list(collector(api).fetch_posts(ACCOUNT, SINCE))) == 100
    assert len(api.requests) == 2


@pytest.mark.parametrize("rest_reply", ["website/html_home", "website/rest_no_route"])
def test_falls_back_to_rss_when_there_is_no_rest_api(rest_reply: str) -> None:
    api = FakeApi().on(REST, rest_reply).on("/feed/", "website/feed")
    posts = list(collector(api).fetch_posts(ACCOUNT, datetime(2024, 1, 13, tzinfo=UTC)))
    assert [p.caption for p in posts] == ["Bupati Resmikan Taman Kota"]
    assert api.requests[1].url.path == "/feed/"


def test_feed_paging_stops_when_a_page_repeats() -> None:
    api = FakeApi().on(REST, "website/rest_no_route").on("/feed/", "website/feed")
    posts = list(collector(api).fetch_posts(ACCOUNT, SINCE))
    assert len(posts) == 2
    # REST, /feed/, then /feed/?paged=2.. bring the same items: stop after the bounded stalls
    assert len(api.requests) == 3 + MAX_STALLS


def test_atom_feed_url_is_read_directly() -> None:
    api = FakeApi().on("/feed.xml", "website/feed_atom")
    account = AccountRef(
        7,
        "website",
        "kecamatan.sintang.go.id/feed.xml",
        url="https://kecamatan.sintang.go.id/feed.xml",
    )
    posts = list(collector(api).fetch_posts(account, datetime(2024, 1, 10, tzinfo=UTC)))
    assert [p.caption for p in posts] == ["Pelayanan Administrasi Kependudukan"]


def test_no_rest_and_no_feed_is_not_found() -> None:
    api = FakeApi().on(REST, "website/html_home").on("/feed/", "website/html_home")
    with pytest.raises(NotFound) as info:
        list(collector(api).fetch_posts(ACCOUNT, SINCE))
    assert "RSS" in info.value.message_id


def test_waf_503_is_retried_then_transient() -> None:
    api = FakeApi().on(REST, "website/waf_503")
    with pytest.raises(TransientError):
        list(collector(api).fetch_posts(ACCOUNT, SINCE))
    assert len(api.requests) == 4


def test_timeout_is_retried() -> None:
    api = FakeApi().on(REST, httpx.ReadTimeout("t"), "website/wp_posts_p2")
    assert len(list(collector(api).fetch_posts(ACCOUNT, SINCE))) == 2


def test_wordpress_feed_guids_keep_the_rest_post_id() -> None:
    from collectors.website import feed_post_id

    assert feed_post_id("https://dinkes.sintang.go.id/?p=4821") == "4821"
    assert feed_post_id("https://x.go.id/?lang=id&p=77&foo=1") == "77"
    assert feed_post_id("tag:blogger.com,1999:post-1") == "tag:blogger.com,1999:post-1"
    assert feed_post_id(None) is None
