"""Google OAuth for the YouTube Data API: the dialog (PKCE S256 or plain), the token endpoint
(``authorization_code`` and ``refresh_token``), revoke, and ``channels?mine=true``.

Access tokens live ``ACCESS_SECONDS`` on the world's clock; refresh tokens do not expire. A
revoke of either token withdraws the whole consent. A live access token also stands in for the
API key on the other YouTube endpoints (``simulator.youtube``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable

from simulator.context import Ctx
from simulator.credentials import (
    GOOGLE_AUTHORIZE_PATH,
    SIM_GOOGLE_CLIENT_ID,
    SIM_GOOGLE_CLIENT_SECRET,
)
from simulator.http import SimRequest, SimResponse, json_response
from simulator.oauth_book import REDIRECT, Grant
from simulator.oauth_dialog import Dialog, dialog_answer, inputs
from simulator.oauth_pages import Choice
from simulator.world import SimWorld
from simulator.youtube import channel_resource, yt_error

ACCESS_SECONDS = 3599
BAD_VERIFIER = "pkce"
UNAUTHENTICATED = (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
    "cookie or other valid authentication credential. See "
    "https://developers.google.com/identity/sign-in/web/devconsole-project."
)


def _choices(world: SimWorld) -> tuple[Choice, ...]:
    return tuple(Choice(a.handle, a.name, f"@{a.handle}") for a in world.accounts("youtube"))


def _scopes(req: SimRequest) -> tuple[str, ...]:
    return tuple((req.param("scope") or "").split())


DIALOG = Dialog(
    provider="google",
    brand="Google",
    path=GOOGLE_AUTHORIZE_PATH,
    client_param="client_id",
    client_id=SIM_GOOGLE_CLIENT_ID,
    multiple=False,
    prompt="Pilih kanal YouTube Anda:",
    scopes_of=_scopes,
    choices=_choices,
    denied=(("error", "access_denied"),),
    granted_param="scope",
    scope_separator=" ",
    code_prefix="4/0Asim",
)


def serve_dialog(ctx: Ctx, req: SimRequest) -> SimResponse:
    return dialog_answer(ctx, req, DIALOG)


def _error(error: str, description: str, status: int = 400) -> SimResponse:
    return json_response({"error": error, "error_description": description}, status)


def _verifier_check(verifier: str | None) -> Callable[[Grant], str | None]:
    """PKCE: the verifier must match the authorize request's challenge (S256 or plain)."""

    def check(grant: Grant) -> str | None:
        if grant.challenge is None:
            return None
        if not verifier:
            return BAD_VERIFIER
        if grant.challenge_method == "S256":
            digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
            expected = base64.urlsafe_b64encode(digest).decode().rstrip("=")
        else:
            expected = verifier
        return None if hmac.compare_digest(expected, grant.challenge) else BAD_VERIFIER

    return check


def serve_token(ctx: Ctx, req: SimRequest) -> SimResponse:
    form = inputs(req)
    pair = (form.get("client_id"), form.get("client_secret"))
    if pair != (SIM_GOOGLE_CLIENT_ID, SIM_GOOGLE_CLIENT_SECRET):
        return _error("invalid_client", "Unauthorized", 401)
    grant_type = form.get("grant_type")
    if grant_type == "refresh_token":
        return _refresh(ctx, form.get("refresh_token", ""))
    if grant_type != "authorization_code":
        return _error("unsupported_grant_type", f"Invalid grant_type: {grant_type or ''}")
    book, now = ctx.state.oauth, ctx.world.now.timestamp()
    check = _verifier_check(form.get("code_verifier"))
    grant, why = book.redeem(form.get("code", ""), form.get("redirect_uri", ""), now, check)
    if grant is None:
        if why == REDIRECT:
            return _error("redirect_uri_mismatch", "Bad Request")
        if why == BAD_VERIFIER:
            return _error("invalid_grant", "Invalid code verifier.")
        return _error("invalid_grant", "Malformed auth code.")
    access = book.issue_token(grant, "access", now, ACCESS_SECONDS, "ya29.sim")
    refresh = book.issue_token(grant, "refresh", now, None, "1//sim")
    return json_response(
        {
            "access_token": access,
            "expires_in": ACCESS_SECONDS,
            "token_type": "Bearer",  # nosec B105 - the OAuth token type
            "scope": " ".join(grant.scopes),
            "refresh_token": refresh,
        }
    )


def _refresh(ctx: Ctx, token: str) -> SimResponse:
    book, now = ctx.state.oauth, ctx.world.now.timestamp()
    found, problem = book.lookup(token, now)
    if found is None or problem is not None or found.kind != "refresh":
        return _error("invalid_grant", "Token has been expired or revoked.")
    if found.grant.provider != "google":
        return _error("invalid_grant", "Token has been expired or revoked.")
    access = book.issue_token(found.grant, "access", now, ACCESS_SECONDS, "ya29.sim")
    return json_response(
        {
            "access_token": access,
            "expires_in": ACCESS_SECONDS,
            "token_type": "Bearer",  # nosec B105 - the OAuth token type
            "scope": " ".join(found.grant.scopes),
        }
    )


def serve_revoke(ctx: Ctx, req: SimRequest) -> SimResponse:
    token = inputs(req).get("token", "")
    book = ctx.state.oauth
    found, problem = book.lookup(token, ctx.world.now.timestamp())
    if found is None or problem is not None or found.grant.provider != "google":
        return _error("invalid_token", "Token expired or revoked")
    book.revoke(found.grant)
    return json_response({})


def unauthenticated() -> SimResponse:
    """YouTube's answer to a dead or unknown OAuth access token."""
    error = {
        "code": 401,
        "message": UNAUTHENTICATED,
        "errors": [
            {
                "message": "Invalid Credentials",
                "domain": "global",
                "reason": "authError",
                "location": "Authorization",
                "locationType": "header",
            }
        ],
        "status": "UNAUTHENTICATED",
    }
    return json_response({"error": error}, 401, {"www-authenticate": 'Bearer realm="youtube"'})


def serve_mine(ctx: Ctx, req: SimRequest) -> SimResponse:
    """``channels?mine=true``: the channel the owner chose on the consent page."""
    grant = ctx.state.oauth.live_grant(req.bearer(), "google", ctx.world.now.timestamp())
    if grant is None:
        return unauthenticated()
    if not req.param("part"):
        return yt_error(400, "No filter selected. Expected one of: part", "required")
    parts = set((req.param("part") or "").split(","))
    accounts = [a for h in grant.handles if (a := ctx.world.find("youtube", h))]
    body = {
        "kind": "youtube#channelListResponse",
        "etag": "sim-mine",
        "pageInfo": {"totalResults": len(accounts), "resultsPerPage": 5},
        "items": [channel_resource(ctx, a, parts) for a in accounts],
    }
    return json_response(body)
