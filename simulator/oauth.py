"""Routes the platforms' OAuth endpoints (Meta, TikTok, Google) before the data APIs.

Paths (under the simulator's root; ``credentials.sim_settings_env`` names them for Pantau):

=============================================  ========  ==================================
``/facebook/v25.0/dialog/oauth``               GET       consent page / decision (302)
``/facebook/v25.0/oauth/access_token``         GET       code → user token; fb_exchange_token
``/facebook/v25.0/me``, ``…/me/accounts``      GET       the person; their Pages + Page tokens
``/facebook/v25.0/me/permissions``             GET/DEL   granted scopes / revoke
``/facebook/v25.0/debug_token``                GET       token introspection (app token)
``/tiktok/v2/auth/authorize/``                 GET       consent page / decision (302)
``/tiktok/v2/oauth/token/``                    POST      ``authorization_code`` (refresh: tiktok.py)
``/tiktok/v2/oauth/revoke/``                   POST      revoke
``/google/o/oauth2/v2/auth``                   GET       consent page / decision (302)
``/google/token``, ``/google/revoke``          POST      tokens (code, refresh) / revoke
``/youtube/v3/channels?mine=true``             GET       the owner's channel (Bearer token)
=============================================  ========  ==================================

Faults (``Simulator.faults``) do not apply here: the error cases come from the flow itself
(deny, reused or expired code, wrong redirect_uri or verifier, revoked tokens). Requests are
counted in ``Simulator.stats`` under facebook / tiktok / google / youtube.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import NamedTuple

from simulator import oauth_google, oauth_meta, oauth_tiktok
from simulator.context import Ctx, SimState
from simulator.http import Plan, SimRequest, SimResponse
from simulator.oauth_dialog import inputs
from simulator.world import SimWorld

Handler = Callable[[Ctx, SimRequest], SimResponse]
GET, POST, DELETE = frozenset({"GET", "HEAD"}), frozenset({"POST"}), frozenset({"DELETE"})
META, TIKTOK, GOOGLE = "/facebook/v25.0", "/tiktok/v2", "/google"


class Route(NamedTuple):
    platform: str
    prefix: str
    endpoint: str
    methods: frozenset[str]
    handler: Handler


ROUTES: dict[str, Route] = {
    META + "/dialog/oauth": Route("facebook", META, "oauth_dialog", GET, oauth_meta.serve_dialog),
    META + "/oauth/access_token": Route(
        "facebook", META, "oauth_access_token", GET | POST, oauth_meta.serve_access_token
    ),
    META + "/me": Route("facebook", META, "me", GET, oauth_meta.serve_me),
    META + "/me/accounts": Route("facebook", META, "me_accounts", GET, oauth_meta.serve_accounts),
    META + "/me/permissions": Route(
        "facebook", META, "me_permissions", GET | DELETE, oauth_meta.serve_permissions
    ),
    META + "/debug_token": Route(
        "facebook", META, "debug_token", GET, oauth_meta.serve_debug_token
    ),
    TIKTOK + "/auth/authorize": Route(
        "tiktok", TIKTOK, "oauth_authorize", GET, oauth_tiktok.serve_dialog
    ),
    TIKTOK + "/oauth/token": Route("tiktok", TIKTOK, "oauth_code", POST, oauth_tiktok.serve_token),
    TIKTOK + "/oauth/revoke": Route(
        "tiktok", TIKTOK, "oauth_revoke", POST, oauth_tiktok.serve_revoke
    ),
    GOOGLE + "/o/oauth2/v2/auth": Route(
        "google", GOOGLE, "oauth_authorize", GET, oauth_google.serve_dialog
    ),
    GOOGLE + "/token": Route("google", GOOGLE, "oauth_token", POST, oauth_google.serve_token),
    GOOGLE + "/revoke": Route("google", GOOGLE, "oauth_revoke", POST, oauth_google.serve_revoke),
}
YOUTUBE = "/youtube/v3"


def route(world: SimWorld, state: SimState, req: SimRequest) -> tuple[str, Plan] | None:
    """``(platform for the stats, plan)`` for an OAuth request; None for everything else."""
    path = req.url.path.rstrip("/") or "/"
    found = ROUTES.get(path)
    if found is not None and not _for_data_api(found, req):
        endpoint = found.endpoint
        if endpoint in ("oauth_dialog", "oauth_authorize") and req.param("sim_decision"):
            endpoint = "oauth_decision"
        ctx = Ctx(world, found.platform, _origin(req) + found.prefix, state)
        return found.platform, Plan(endpoint, serve=partial(_serve, found.handler, ctx, req))
    return _youtube_bearer(world, state, req, path)


def _for_data_api(found: Route, req: SimRequest) -> bool:
    """A request the platform module serves: another method, or TikTok's refresh grant."""
    if req.method not in found.methods:
        return True
    return found.endpoint == "oauth_code" and inputs(req).get("grant_type") != "authorization_code"


def _youtube_bearer(
    world: SimWorld, state: SimState, req: SimRequest, path: str
) -> tuple[str, Plan] | None:
    """``channels?mine=true``, and any YouTube call whose Google token is dead; a live token
    without an API key goes on to ``simulator.youtube``, which accepts it."""
    if not path.startswith(YOUTUBE + "/") or req.param("key") or not req.bearer():
        return None
    ctx = Ctx(world, "youtube", _origin(req) + YOUTUBE, state)
    if path == YOUTUBE + "/channels" and req.param("mine") == "true":
        return "youtube", Plan(
            "channels_mine", serve=partial(_serve, oauth_google.serve_mine, ctx, req)
        )
    if state.oauth.live_grant(req.bearer(), "google", world.now.timestamp()) is not None:
        return None
    endpoint = path[len(YOUTUBE) + 1 :]
    return "youtube", Plan(endpoint, error=oauth_google.unauthenticated())


def _origin(req: SimRequest) -> str:
    return f"{req.url.scheme}://{req.url.netloc.decode('ascii')}"


def _serve(handler: Handler, ctx: Ctx, req: SimRequest, _: bool) -> SimResponse:
    return handler(ctx, req)
