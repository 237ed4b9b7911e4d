"""TikTok Login Kit (web, no PKCE): the dialog, the ``authorization_code`` grant and revoke.

The tokens a consent issues are the simulator's usual per-account ones
(``credentials.tiktok_token`` / ``tiktok_refresh_token``), so the Display API endpoints and
the refresh grant in ``simulator.tiktok`` accept them. A revoke withdraws both until the
account's owner consents again.
"""

from __future__ import annotations

from simulator.context import Ctx
from simulator.credentials import (
    SIM_TIKTOK_CLIENT_KEY,
    SIM_TIKTOK_CLIENT_SECRET,
    TIKTOK_AUTHORIZE_PATH,
    tiktok_refresh_token,
    tiktok_token,
)
from simulator.http import SimRequest, SimResponse, json_response
from simulator.oauth_book import EXPIRED, REDIRECT, USED
from simulator.oauth_dialog import Dialog, dialog_answer, inputs
from simulator.oauth_pages import Choice
from simulator.tiktok import ACCESS_SECONDS, REFRESH_SECONDS
from simulator.world import SimWorld

CODE_ERRORS = {
    EXPIRED: ("invalid_grant", "Authorization code is expired."),
    USED: ("invalid_grant", "Authorization code has been used."),
    REDIRECT: ("invalid_request", "Redirect_uri is not matched with the uri when requesting code."),
}


def _choices(world: SimWorld) -> tuple[Choice, ...]:
    return tuple(Choice(a.handle, a.name, f"@{a.handle}") for a in world.accounts("tiktok"))


def _scopes(req: SimRequest) -> tuple[str, ...]:
    return tuple(s.strip() for s in (req.param("scope") or "").split(",") if s.strip())


DIALOG = Dialog(
    provider="tiktok",
    brand="TikTok",
    path=TIKTOK_AUTHORIZE_PATH,
    client_param="client_key",
    client_id=SIM_TIKTOK_CLIENT_KEY,
    multiple=False,
    prompt="Pilih akun TikTok Anda:",
    scopes_of=_scopes,
    choices=_choices,
    denied=(
        ("error", "access_denied"),
        ("error_description", "The user denied the authorization request."),
    ),
    granted_param="scopes",
    scope_separator=",",
    code_prefix="sim_tt_",
)


def serve_dialog(ctx: Ctx, req: SimRequest) -> SimResponse:
    return dialog_answer(ctx, req, DIALOG)


def _error(ctx: Ctx, error: str, description: str, status: int = 400) -> SimResponse:
    body = {"error": error, "error_description": description, "log_id": ctx.state.log_id()}
    return json_response(body, status)


def _client_ok(form: dict[str, str]) -> bool:
    pair = (form.get("client_key"), form.get("client_secret"))
    return pair == (SIM_TIKTOK_CLIENT_KEY, SIM_TIKTOK_CLIENT_SECRET)


def serve_token(ctx: Ctx, req: SimRequest) -> SimResponse:
    """``grant_type=authorization_code`` (the refresh grant stays in ``simulator.tiktok``)."""
    form = inputs(req)
    if not _client_ok(form):
        return _error(ctx, "invalid_client", "Client key or secret is incorrect.", 401)
    book = ctx.state.oauth
    grant, why = book.redeem(
        form.get("code", ""), form.get("redirect_uri", ""), ctx.world.now.timestamp()
    )
    if grant is None:
        error, description = CODE_ERRORS.get(
            why or "", ("invalid_grant", "Authorization code is invalid.")
        )
        return _error(ctx, error, description)
    handle = grant.handles[0]
    account = ctx.world.account("tiktok", handle)
    access, refresh = tiktok_token(handle), tiktok_refresh_token(handle)
    book.restore((access, refresh))
    return json_response(
        {
            "access_token": access,
            "expires_in": ACCESS_SECONDS,
            "open_id": account.platform_id,
            "refresh_expires_in": REFRESH_SECONDS,
            "refresh_token": refresh,
            "scope": ",".join(grant.scopes),
            "token_type": "Bearer",  # nosec B105 - the OAuth token type
        }
    )


def serve_revoke(ctx: Ctx, req: SimRequest) -> SimResponse:
    """Withdraw the account's access: its access and refresh tokens stop working."""
    form = inputs(req)
    if not _client_ok(form):
        return _error(ctx, "invalid_client", "Client key or secret is incorrect.", 401)
    token = form.get("token", "")
    account = ctx.world.by_tiktok_token(token)
    if account is not None:
        refresh = tiktok_refresh_token(account.handle)
        ctx.state.oauth.revoke(None, (token, refresh))
    return json_response({})  # RFC 7009: an unknown token is not an error either
