"""The shared request helper: retries, waits, usage pauses, counting and redaction."""

from __future__ import annotations

import logging
from email.utils import formatdate

import httpx
import pytest

from collectors.base import MalformedResponse, RateLimited, TransientError
from collectors.errors import graph_classifier
from collectors.http import USER_AGENT, HttpOptions, RequestCounter, RequestHelper, build_client
from collectors.redact import redact_headers, redact_text, redact_url, scrub
from collectors.usage import meta_usage_pause, server_wait
from core.settings import Settings
from tests.collector_support import META_TOKEN, NOW, FakeApi, FakeClock, graph_error, options

URL = "https://graph.facebook.com/v25.0/17841405309211844"
OK = httpx.Response(200, json={"ok": True})


def helper(api: FakeApi, clock: FakeClock, **overrides: object) -> RequestHelper:
    return RequestHelper(
        api.client(), "instagram", graph_classifier("instagram"), options(clock, **overrides)
    )


def call(h: RequestHelper) -> object:
    return h.request_json("GET", URL, params={"fields": "id", "access_token": META_TOKEN})


def test_build_client_sets_timeout_agent_and_redirects() -> None:
    client = build_client(Settings())
    assert client.headers["User-Agent"] == USER_AGENT == "Pantau/0.1 (+Diskominfo)"
    assert client.timeout.read == 20.0
    assert client.follow_redirects is True


def test_redact_url_masks_secret_parameters_only() -> None:
    url = f"{URL}?fields=id%2Cname&access_token={META_TOKEN}&after=QVFI&key=AIzaSECRET"
    cleaned = redact_url(url)
    assert META_TOKEN not in cleaned and "AIzaSECRET" not in cleaned
    assert "access_token=REDACTED" in cleaned and "key=REDACTED" in cleaned
    assert "after=QVFI" in cleaned and "fields=id,name" in cleaned
    assert redact_url("https://example.org/path") == "https://example.org/path"
    assert redact_url(httpx.URL(URL, params={"key": "k123"})).endswith("key=REDACTED")


def test_redact_text_and_headers_mask_bearer_tokens() -> None:
    text = f"GET ?access_token={META_TOKEN} Authorization: Bearer abc.def and key=zzz"
    cleaned = redact_text(text)
    assert META_TOKEN not in cleaned and "abc.def" not in cleaned and "zzz" not in cleaned
    assert redact_headers([("Authorization", "Bearer x"), ("Accept", "a")]) == {
        "Authorization": "REDACTED",
        "Accept": "a",
    }
    assert scrub(f"token {META_TOKEN} leaked", [META_TOKEN]) == "token REDACTED leaked"


def test_5xx_is_retried_with_backoff_then_succeeds() -> None:
    api, clock = (
        FakeApi().on("/17841405309211844", graph_error(2, 500), graph_error(2, 503), OK),
        FakeClock(),
    )
    h = helper(api, clock)
    assert call(h) == {"ok": True}
    assert clock.sleeps == [1.0, 2.0]  # exponential, no jitter in tests
    assert h.requests == 3


def test_timeouts_are_retried_then_succeed() -> None:
    timeout = httpx.ReadTimeout("timed out")
    api, clock = (
        FakeApi().on("/17841405309211844", timeout, httpx.ConnectTimeout("x"), OK),
        FakeClock(),
    )
    h = helper(api, clock)
    assert call(h) == {"ok": True}
    assert len(clock.sleeps) == 2 and h.requests == 3


def test_retries_are_bounded_and_the_last_error_is_raised() -> None:
    api, clock = FakeApi().on("/17841405309211844", httpx.ReadTimeout("t")), FakeClock()
    h = helper(api, clock, max_attempts=3)
    with pytest.raises(TransientError) as info:
        call(h)
    assert h.requests == 3 and len(clock.sleeps) == 2
    assert info.value.error_class == "transient" and "sedang bermasalah" in info.value.message_id
    assert META_TOKEN not in str(info.value)


def test_429_retry_after_seconds_is_honoured() -> None:
    limited = httpx.Response(429, headers={"Retry-After": "7"}, json={})
    api, clock = FakeApi().on("/17841405309211844", limited, OK), FakeClock()
    assert call(helper(api, clock)) == {"ok": True}
    assert clock.sleeps == [7.0]


def test_429_retry_after_http_date_is_honoured() -> None:
    when = formatdate(NOW + 30, usegmt=True)
    limited = httpx.Response(429, headers={"Retry-After": when}, json={})
    api, clock = FakeApi().on("/17841405309211844", limited, OK), FakeClock()
    assert call(helper(api, clock)) == {"ok": True}
    assert clock.sleeps == [pytest.approx(30.0)]


def test_wait_beyond_the_cap_raises_rate_limited_with_retry_after() -> None:
    limited = httpx.Response(429, headers={"Retry-After": "3600"}, json={})
    api, clock = FakeApi().on("/17841405309211844", limited, OK), FakeClock()
    h = helper(api, clock, max_wait=60.0)
    with pytest.raises(RateLimited) as info:
        call(h)
    assert info.value.retry_after == 3600.0 and info.value.error_class == "rate_limited"
    assert clock.sleeps == [] and h.requests == 1


def test_x_rate_limit_reset_is_an_absolute_epoch() -> None:
    headers = {"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(int(NOW) + 12)}
    limited = httpx.Response(429, headers=headers, json={"title": "Too Many Requests"})
    api, clock = FakeApi().on("/17841405309211844", limited, OK), FakeClock()
    assert call(helper(api, clock)) == {"ok": True}
    assert clock.sleeps == [12.0]
    assert server_wait(limited, lambda: NOW + 100) == 0.0


def test_429_without_headers_backs_off_then_gives_up_as_rate_limited() -> None:
    api, clock = FakeApi().on("/17841405309211844", httpx.Response(429, json={})), FakeClock()
    h = helper(api, clock, max_attempts=2)
    with pytest.raises(RateLimited):
        call(h)
    assert clock.sleeps == [1.0] and h.requests == 2


@pytest.mark.parametrize("code", [4, 17, 32, 613, 80001, 80002])
def test_graph_throttle_codes_are_rate_limited_and_not_retried(code: int) -> None:
    api, clock = FakeApi().on("/17841405309211844", graph_error(code), OK), FakeClock()
    h = helper(api, clock)
    with pytest.raises(RateLimited) as info:
        call(h)
    assert h.requests == 1 and clock.sleeps == []
    assert f"code {code}" in str(info.value)


def test_throttle_in_www_authenticate_header_only() -> None:
    header = 'OAuth "Facebook Platform" "invalid_request" "(#4) Application request limit reached"'
    throttled = httpx.Response(403, headers={"WWW-Authenticate": header}, content=b"")
    api, clock = FakeApi().on("/17841405309211844", throttled), FakeClock()
    with pytest.raises(RateLimited):
        call(helper(api, clock))


def test_meta_usage_at_80_percent_pauses_the_next_request() -> None:
    busy = httpx.Response(200, headers={"X-App-Usage": '{"call_count":85}'}, json={"n": 1})
    api, clock = FakeApi().on("/17841405309211844", busy, OK), FakeClock()
    h = helper(api, clock)
    call(h)
    assert clock.sleeps == []  # the pause applies before the *next* call
    assert h.paused_until > NOW
    call(h)
    assert clock.sleeps == [pytest.approx(meta_usage_pause(busy))]


@pytest.mark.parametrize(
    ("header", "value", "expected"),
    [
        ("X-App-Usage", '{"call_count":79,"total_cputime":10,"total_time":10}', 0.0),
        ("X-App-Usage", '{"call_count":10,"total_cputime":80,"total_time":10}', 10.0),
        ("X-App-Usage", '{"call_count":10,"total_cputime":10,"total_time":100}', 60.0),
        ("X-App-Usage", "not json", 0.0),
        (
            "X-Business-Use-Case-Usage",
            '{"1044":[{"type":"pages","call_count":90,"total_cputime":1,"total_time":1,'
            '"estimated_time_to_regain_access":0}]}',
            35.0,
        ),
        (
            "X-Business-Use-Case-Usage",
            '{"1044":[{"type":"pages","call_count":1,"estimated_time_to_regain_access":5}]}',
            60.0,  # 5 minutes, capped at the 60 s cap
        ),
    ],
)
def test_meta_usage_pause(header: str, value: str, expected: float) -> None:
    response = httpx.Response(200, headers={header: value})
    assert meta_usage_pause(response, 80.0, 60.0) == pytest.approx(expected)


def test_non_json_success_is_malformed() -> None:
    html = httpx.Response(200, headers={"Content-Type": "text/html"}, content=b"<html>")
    api, clock = FakeApi().on("/17841405309211844", html), FakeClock()
    with pytest.raises(MalformedResponse) as info:
        call(helper(api, clock))
    assert info.value.error_class == "malformed"


def test_counter_is_shared_across_helpers_of_a_pass() -> None:
    api, clock = FakeApi().on("/17841405309211844", OK), FakeClock()
    counter = RequestCounter()
    opts = HttpOptions(sleep=clock.sleep, clock=clock.time, counter=counter)
    first = RequestHelper(api.client(), "instagram", graph_classifier("instagram"), opts)
    second = RequestHelper(api.client(), "facebook", graph_classifier("facebook"), opts)
    call(first), call(second), call(second)
    assert (first.requests, second.requests, counter.count) == (1, 2, 3)


def test_secrets_echoed_by_the_platform_never_reach_the_error() -> None:
    echo = httpx.Response(400, json={"error": {"code": 190, "message": f"bad token {META_TOKEN}"}})
    api, clock = FakeApi().on("/17841405309211844", echo), FakeClock()
    with pytest.raises(Exception) as info:
        call(helper(api, clock))
    assert META_TOKEN not in str(info.value) and META_TOKEN not in info.value.message_id  # type: ignore[attr-defined]
    assert "access_token=REDACTED" in str(info.value)


def test_httpx_request_log_lines_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    api, clock = FakeApi().on("/17841405309211844", OK), FakeClock()
    with caplog.at_level(logging.INFO, logger="httpx"):
        call(helper(api, clock))
    assert caplog.records, "httpx should log the request"
    assert all(META_TOKEN not in r.getMessage() for r in caplog.records)
