"""The simulator: routes a request to its platform, applies faults, counts, answers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

import httpx

from simulator import meta, oauth, tiktok, website, x, youtube
from simulator.context import Ctx, SimState
from simulator.faults import Fault, FaultBook
from simulator.http import Plan, SimRequest, SimResponse, html_response, json_response, truncate
from simulator.stats import RequestStats
from simulator.world import SimWorld

IN_PROCESS_ROOT = "http://simulator.pantau"
PREFIXES = {
    "instagram": "/instagram/v25.0",
    "facebook": "/facebook/v25.0",
    "youtube": "/youtube/v3",
    "tiktok": "/tiktok/v2",
    "x": "/x/2",
    "website": "/web",
}
ENV_NAMES = {
    "instagram": "PANTAU_INSTAGRAM_BASE_URL",
    "facebook": "PANTAU_FACEBOOK_BASE_URL",
    "youtube": "PANTAU_YOUTUBE_BASE_URL",
    "tiktok": "PANTAU_TIKTOK_BASE_URL",
    "x": "PANTAU_X_BASE_URL",
    "website": "PANTAU_WEBSITE_BASE_URL",
}
TIMEOUT_DEFAULT = 30.0
TIMEOUT_MAX = 120.0


class _Renderer(Protocol):
    def __call__(self, ctx: Ctx, req: SimRequest, plan: Plan, fault: Fault) -> SimResponse: ...


_HANDLERS: dict[str, tuple[Callable[[Ctx, SimRequest, str], Plan], _Renderer]] = {
    "instagram": (meta.plan_instagram, meta.fault_response),
    "facebook": (meta.plan_facebook, meta.fault_response),
    "youtube": (youtube.plan, youtube.fault_response),
    "tiktok": (tiktok.plan, tiktok.fault_response),
    "x": (x.plan, x.fault_response),
    "website": (website.plan, website.fault_response),
}


class Simulator:
    """Fake Instagram, Facebook, YouTube, TikTok, X and OPD websites over one ``SimWorld``."""

    def __init__(
        self,
        world: SimWorld,
        root: str = IN_PROCESS_ROOT,
        sleep: Callable[[float], None] = time.sleep,
        async_sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        state: SimState | None = None,
    ) -> None:
        self.world = world
        self.root = root.rstrip("/")
        self.sleep = sleep
        self.async_sleep = async_sleep
        self.state = state or SimState()
        self.faults = FaultBook()
        self.stats = RequestStats()

    def base_url(self, platform: str) -> str:
        return self.root + PREFIXES[platform]

    def base_urls(self) -> dict[str, str]:
        """Settings env name -> base URL (``PANTAU_WEBSITE_BASE_URL``: ``{base}/{domain}/…``)."""
        return {ENV_NAMES[p]: self.base_url(p) for p in PREFIXES}

    def website_root(self, domain: str) -> str:
        """The address a simulated OPD site answers at (``/wp-json/…``, ``/feed/``)."""
        return f"{self.base_url('website')}/{domain}"

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def async_transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle_async)

    def handle(self, request: httpx.Request) -> httpx.Response:
        """The in-process transport: real (injectable) sleep, ``httpx.ReadTimeout`` on timeout."""
        delay, answer = self.decide(_sim_request(request))
        if delay > 0:
            self.sleep(delay)
        return _httpx_response(answer(), request)

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        """As :meth:`handle` for ``httpx.AsyncClient``: latency does not block the event loop."""
        delay, answer = self.decide(_sim_request(request, await request.aread()))
        if delay > 0:
            await self.async_sleep(delay)
        return _httpx_response(answer(), request)

    def decide(self, req: SimRequest) -> tuple[float, Callable[[], SimResponse]]:
        """Count the request and pick faults: ``(extra latency, produce the answer)``."""
        consent = oauth.route(self.world, self.state, req)  # OAuth paths first, never faulted
        if consent is not None:
            platform, consent_plan = consent
            self.stats.record(platform, consent_plan.endpoint)
            return 0.0, lambda: consent_plan.error or _serve(consent_plan, False)
        routed = self._route(req)
        if routed is None:
            self.stats.record("unknown", "unknown")
            body = {"error": {"message": f"simulator: no route for {req.url.path}"}}
            return 0.0, lambda: json_response(body, 404)
        ctx, rel = routed
        planner, renderer = _HANDLERS[ctx.platform]
        plan = planner(ctx, req, rel)
        self.stats.record(ctx.platform, plan.endpoint)
        error = plan.error
        if error is not None or plan.serve is None:
            return 0.0, lambda: _with(plan, error or json_response({"error": "no route"}, 404))
        delay, fault = self.faults.take(ctx.platform, plan.handles, plan.endpoint, plan.listing)
        if fault is None:
            return delay, lambda: _with(plan, _serve(plan, False))
        return delay, lambda: _with(plan, self._faulty(ctx, req, plan, fault, renderer))

    def _faulty(
        self, ctx: Ctx, req: SimRequest, plan: Plan, fault: Fault, renderer: _Renderer
    ) -> SimResponse:
        kind = fault.kind
        if kind == "empty_page":
            return _serve(plan, True)
        if kind == "malformed":
            return truncate(_serve(plan, False))
        if kind == "timeout":
            seconds = TIMEOUT_DEFAULT if fault.seconds is None else fault.seconds
            return SimResponse(504, b"", {}, timeout=min(seconds, TIMEOUT_MAX))
        if kind == "html_error":
            status = fault.status or 403
            return html_response(status, f"{status} Forbidden - Request blocked")
        if kind == "app_usage":
            answer = _serve(plan, False)
            answer.headers["x-app-usage"] = meta.usage_header(fault.usage)
            return answer
        return renderer(ctx, req, plan, fault)

    def _route(self, req: SimRequest) -> tuple[Ctx, str] | None:
        url = req.url
        origin = f"{url.scheme}://{url.netloc.decode('ascii')}"
        host = url.host.lower()
        if self.world.find("website", host) is not None:
            return Ctx(self.world, "website", origin, self.state, host), url.path
        for platform, prefix in PREFIXES.items():
            if url.path != prefix and not url.path.startswith(prefix + "/"):
                continue
            rel = url.path[len(prefix) :] or "/"
            if platform != "website":
                return Ctx(self.world, platform, origin + prefix, self.state), rel
            domain, _, rest = rel.lstrip("/").partition("/")
            site_root = f"{origin}{prefix}/{domain}"
            return Ctx(self.world, "website", site_root, self.state, domain.lower()), "/" + rest
        return None


def _with(plan: Plan, answer: SimResponse) -> SimResponse:
    if plan.headers:
        answer.headers = {**plan.headers, **answer.headers}
    return answer


def _serve(plan: Plan, empty: bool) -> SimResponse:
    if plan.serve is None:
        raise RuntimeError("plan has nothing to serve")
    return plan.serve(empty)


def _sim_request(request: httpx.Request, body: bytes | None = None) -> SimRequest:
    content = request.read() if body is None else body
    return SimRequest(request.method, request.url, request.headers, content)


def _httpx_response(answer: SimResponse, request: httpx.Request) -> httpx.Response:
    if answer.timeout is not None:
        raise httpx.ReadTimeout("simulated timeout: the platform did not answer", request=request)
    return httpx.Response(answer.status, headers=answer.headers, content=answer.body)
