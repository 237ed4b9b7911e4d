"""Serve recorded-style fixtures to the collectors through ``httpx.MockTransport``.

A fixture is ``tests/fixtures/collectors/<platform>/<name>.json`` holding ``{status, headers,
json}`` (or ``text``, or ``file`` naming a sibling body file such as an RSS document).
:class:`FakeApi` routes requests by path to a queue of replies; :class:`FakeClock` stands in for
both ``sleep`` and the clock so no test ever waits.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from collectors.http import HttpOptions, build_client
from core.settings import Settings

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "collectors"
NOW = 1_705_300_000.0  # 2024-01-15T06:26:40Z

META_TOKEN = "EAAGsecretMETAtoken1234567890"
YT_KEY = "AIzaSyFAKEsecretKEY0987654321"
X_TOKEN = "AAAAAAAAAAAAAAAAAAAAAsecretBEARERxyz"
TT_TOKEN = "act.secretTIKTOKaccess112233"
TT_SECRET = "tiktokCLIENTsecret445566"

Reply = str | dict[str, Any] | httpx.Response | Exception


def load(name: str) -> dict[str, Any]:
    """``platform/name`` -> the fixture dict."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def response(spec: dict[str, Any]) -> httpx.Response:
    headers = dict(spec.get("headers", {}))
    status = int(spec.get("status", 200))
    if "json" in spec:
        return httpx.Response(status, headers=headers, content=json.dumps(spec["json"]).encode())
    if "file" in spec:
        platform_dir = spec.get("_dir", "")
        content = (FIXTURES / platform_dir / spec["file"]).read_bytes()
        return httpx.Response(status, headers=headers, content=content)
    return httpx.Response(status, headers=headers, content=spec.get("text", "").encode())


def fixture_response(name: str) -> httpx.Response:
    spec = load(name)
    spec["_dir"] = name.split("/")[0]
    return response(spec)


def graph_error(code: int, status: int = 400, subcode: int | None = None) -> httpx.Response:
    error: dict[str, Any] = {"message": f"(#{code}) limit", "type": "OAuthException", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    return httpx.Response(status, json={"error": error})


@dataclass
class Route:
    path: str
    replies: list[Reply]
    method: str | None = None
    when: Callable[[httpx.Request], bool] | None = None
    served: int = 0

    def matches(self, request: httpx.Request) -> bool:
        if self.method and request.method != self.method:
            return False
        if not request.url.path.endswith(self.path):
            return False
        return self.when is None or self.when(request)

    def next_reply(self) -> Reply:
        reply = self.replies[min(self.served, len(self.replies) - 1)]
        self.served += 1
        return reply


@dataclass
class FakeApi:
    """Routes by path suffix (first match wins); the last reply of a route repeats."""

    routes: list[Route] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)

    def on(
        self,
        path: str,
        *replies: Reply,
        method: str | None = None,
        when: Callable[[httpx.Request], bool] | None = None,
    ) -> FakeApi:
        self.routes.append(Route(path, list(replies), method, when))
        return self

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        for route in self.routes:
            if route.matches(request):
                reply = route.next_reply()
                if isinstance(reply, Exception):
                    raise reply
                if isinstance(reply, httpx.Response):
                    return httpx.Response(
                        reply.status_code, headers=reply.headers, content=reply.content
                    )
                if isinstance(reply, str):
                    return fixture_response(reply)
                return response(reply)
        return httpx.Response(599, text=f"no route for {request.method} {request.url.path}")

    def client(self, settings: Settings | None = None) -> httpx.Client:
        return build_client(settings or Settings(), httpx.MockTransport(self.handler))

    def params(self, index: int = -1) -> dict[str, str]:
        return dict(self.requests[index].url.params)


@dataclass
class FakeClock:
    now: float = NOW
    sleeps: list[float] = field(default_factory=list)

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def options(clock: FakeClock, **overrides: Any) -> HttpOptions:
    """Deterministic options: the fake clock, no jitter."""
    return HttpOptions(sleep=clock.sleep, clock=clock.time, jitter=0.0, **overrides)


def settings(**overrides: str) -> Settings:
    values = {
        "meta_token": META_TOKEN,
        "ig_user_id": "17841405309211844",
        "youtube_api_key": YT_KEY,
        "x_bearer_token": X_TOKEN,
        "tiktok_client_key": "aw1234clientkey",
        "tiktok_client_secret": TT_SECRET,
    }
    values.update(overrides)
    return Settings(**values)


def secret_free(*texts: object) -> bool:
    """True when none of the planted secrets appears in any of ``texts``."""
    joined = " ".join(str(t) for t in texts)
    return not any(s in joined for s in (META_TOKEN, YT_KEY, X_TOKEN, TT_TOKEN, TT_SECRET))
