"""Meta's consent (Facebook Login) on the simulated Graph API: the dialog, the code exchange,
the long-lived exchange, ``me``, ``me/accounts``, ``me/permissions`` and ``debug_token``.

A Page's Instagram professional account is the world's Instagram account with the same
handle, else the only one with the same name (the OPD): the demo world gives an OPD's Facebook
Page and Instagram account one handle and one name. Page tokens are the simulator's usual
per-Page tokens (``credentials.facebook_page_token``), so the Page endpoints accept them; a
revoke withdraws them until a new consent for that Page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from simulator import graph
from simulator.context import Ctx
from simulator.credentials import (
    META_AUTHORIZE_PATH,
    SIM_META_APP_ID,
    SIM_META_APP_SECRET,
    SIM_META_TOKEN,
    facebook_page_token,
)
from simulator.graph import FieldSpec, graph_error, parse_fields
from simulator.http import SimRequest, SimResponse, decode_cursor, encode_cursor, json_response
from simulator.oauth_book import EXPIRED, REDIRECT, REVOKED, USED, Grant
from simulator.oauth_dialog import Dialog, dialog_answer, inputs
from simulator.oauth_pages import APP_NAME, Choice
from simulator.world import SimAccount, SimWorld

Json = dict[str, Any]
SHORT_SECONDS, LONG_SECONDS = 3600, 5_183_944
DATA_ACCESS_SECONDS = 90 * 86_400
# what a Facebook Login for Business configuration (``config_id``) grants in the simulator
CONFIG_SCOPES = (
    "pages_show_list",
    "pages_read_engagement",
    "pages_read_user_content",
    "instagram_basic",
    "instagram_manage_comments",
    "public_profile",
)
TASKS = ["ANALYZE", "ADVERTISE", "MESSAGING", "MODERATE", "CREATE_CONTENT", "MANAGE"]
SYSTEM_USER_ID = "10440000000000099"  # the person behind SIM_META_TOKEN
ACCOUNT_FIELDS = "access_token,category,category_list,name,id,tasks"
PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX = 25, 100
REDIRECT_MISMATCH = (
    "Error validating verification code. Please make sure your redirect_uri is identical to "
    "the one you used in the OAuth dialog request"
)


def linked_instagram(world: SimWorld, page: SimAccount) -> SimAccount | None:
    """The Page's Instagram professional account: same handle, else the one with its name."""
    same = world.find("instagram", page.handle)
    if same is not None:
        return same
    named = [a for a in world.accounts("instagram") if a.name == page.name]
    return named[0] if len(named) == 1 else None


def _choices(world: SimWorld) -> tuple[Choice, ...]:
    out = []
    for page in world.accounts("facebook"):
        ig = linked_instagram(world, page)
        detail = f"@{page.handle}" + (f" · Instagram: @{ig.handle}" if ig else "")
        out.append(Choice(page.handle, page.name, detail))
    return tuple(out)


def _scopes(req: SimRequest) -> tuple[str, ...]:
    if req.param("config_id"):
        return CONFIG_SCOPES
    asked = tuple(s.strip() for s in (req.param("scope") or "").split(",") if s.strip())
    return asked or ("public_profile",)


DIALOG = Dialog(
    provider="meta",
    brand="Facebook",
    path=META_AUTHORIZE_PATH,
    client_param="client_id",
    client_id=SIM_META_APP_ID,
    multiple=True,
    prompt="Pilih Halaman yang boleh diakses Pantau:",
    scopes_of=_scopes,
    choices=_choices,
    denied=(
        ("error", "access_denied"),
        ("error_code", "200"),
        ("error_description", "Permissions error"),
        ("error_reason", "user_denied"),
    ),
    granted_param=None,
    scope_separator=",",
    code_prefix="AQD",
)


def serve_dialog(ctx: Ctx, req: SimRequest) -> SimResponse:
    return dialog_answer(ctx, req, DIALOG)


# ---------------------------------------------------------------- tokens


@dataclass(frozen=True)
class MetaToken:
    """What a Graph token is: a person's (USER) or a Page's, and whether it still works."""

    kind: str  # USER | PAGE
    grant: Grant | None  # None: the fixed SIM_META_TOKEN, or a Page token never consented
    page: SimAccount | None = None
    expires_at: int = 0
    problem: str | None = None  # revoked | expired

    @property
    def user_id(self) -> str:
        return self.grant.user_id if self.grant else SYSTEM_USER_ID

    @property
    def scopes(self) -> tuple[str, ...]:
        return self.grant.scopes if self.grant else CONFIG_SCOPES


def classify(ctx: Ctx, token: str | None) -> MetaToken | None:
    """The token as the simulator knows it; None for a token it never issued."""
    if not token:
        return None
    book, now = ctx.state.oauth, ctx.world.now.timestamp()
    revoked = REVOKED if book.is_revoked(token) else None
    if token == SIM_META_TOKEN:
        return MetaToken("USER", None, problem=revoked)
    issued, problem = book.lookup(token, now)
    if issued is not None and issued.grant.provider == "meta":
        return MetaToken("USER", issued.grant, expires_at=issued.expires_at, problem=problem)
    page = next(
        (p for p in ctx.world.accounts("facebook") if facebook_page_token(p.handle) == token), None
    )
    if page is None:
        return None
    return MetaToken("PAGE", book.latest_grant("meta", page.handle), page, problem=revoked)


def token_error(ctx: Ctx, found: MetaToken | None) -> SimResponse | None:
    if found is None:
        return graph_error(ctx, 190, graph.INVALID_TOKEN)
    if found.problem == REVOKED:
        return graph.revoked_error(ctx)
    if found.problem == EXPIRED:
        return graph.expired_error(ctx)
    return None


def serve_access_token(ctx: Ctx, req: SimRequest) -> SimResponse:
    form = inputs(req)
    if form.get("client_id") != SIM_META_APP_ID:
        return graph_error(ctx, 101, "Error validating application. Invalid application ID.")
    if form.get("client_secret") != SIM_META_APP_SECRET:
        return graph_error(ctx, 1, "Error validating client secret.")
    book, now = ctx.state.oauth, ctx.world.now.timestamp()
    if form.get("grant_type") == "fb_exchange_token":
        found = classify(ctx, form.get("fb_exchange_token"))
        if found is None or found.kind != "USER" or found.grant is None:
            return graph_error(ctx, 190, graph.INVALID_TOKEN)
        refused = token_error(ctx, found)
        if refused is not None:
            return refused
        token = book.issue_token(found.grant, "user", now, LONG_SECONDS, "EAAL")
        return _bearer(token, LONG_SECONDS)
    code = form.get("code")
    if not code:
        return graph_error(ctx, 100, "(#100) The parameter code is required")
    grant, why = book.redeem(code, form.get("redirect_uri", ""), now)
    if grant is None:
        return _code_error(ctx, why)
    book.restore(facebook_page_token(h) for h in grant.handles)
    return _bearer(book.issue_token(grant, "user", now, SHORT_SECONDS, "EAAU"), SHORT_SECONDS)


def _bearer(token: str, seconds: int) -> SimResponse:
    kind = "bearer"  # nosec B105 - the OAuth token type
    return json_response({"access_token": token, "token_type": kind, "expires_in": seconds})


def _code_error(ctx: Ctx, why: str | None) -> SimResponse:
    if why == USED:
        return graph_error(ctx, 100, "This authorization code has been used.", subcode=36009)
    if why == EXPIRED:
        return graph_error(ctx, 100, "This authorization code has expired.", subcode=36007)
    if why == REDIRECT:
        return graph_error(ctx, 100, REDIRECT_MISMATCH, subcode=36008)
    return graph_error(ctx, 100, "Invalid verification code format.")


# ---------------------------------------------------------------- me, me/accounts, permissions


def _user_token(ctx: Ctx, req: SimRequest) -> tuple[MetaToken | None, SimResponse | None]:
    found = classify(ctx, graph.token_of(req))
    return found, token_error(ctx, found)


def serve_me(ctx: Ctx, req: SimRequest) -> SimResponse:
    found, refused = _user_token(ctx, req)
    if refused is not None or found is None:
        return refused or graph_error(ctx, 190, graph.INVALID_TOKEN)
    if found.page is not None:
        values = {"id": found.page.platform_id, "name": found.page.name}
    else:
        pages = _pages(ctx, found)
        name = f"Pengelola {pages[0].name}" if pages else "Pengelola Simulator"
        values = {"id": found.user_id, "name": name}
    wanted = [f.name for f in parse_fields(req.param("fields") or "id,name")]
    return json_response({k: values[k] for k in wanted if k in values})


def _pages(ctx: Ctx, found: MetaToken) -> list[SimAccount]:
    if found.grant is None:  # SIM_META_TOKEN stands for a person who manages every Page
        return ctx.world.accounts("facebook")
    pages = (ctx.world.find("facebook", h) for h in found.grant.handles)
    return [p for p in pages if p is not None]


def serve_accounts(ctx: Ctx, req: SimRequest) -> SimResponse:
    found, refused = _user_token(ctx, req)
    if refused is not None or found is None:
        return refused or graph_error(ctx, 190, graph.INVALID_TOKEN)
    if found.kind == "PAGE":
        message = "(#100) Tried accessing nonexisting field (accounts) on node type (Page)"
        return graph_error(ctx, 100, message)
    try:
        fields = parse_fields(req.param("fields") or ACCOUNT_FIELDS)
        limit = min(int(req.param("limit") or PAGE_LIMIT_DEFAULT), PAGE_LIMIT_MAX)
        after = req.param("after")
        start = (decode_cursor(after) or 0) + 1 if after else 0
    except ValueError as exc:
        return graph_error(ctx, 100, f"(#100) Invalid parameter: {exc}")
    pages = _pages(ctx, found)
    chunk = pages[start : start + limit]
    body: Json = {"data": [_account_item(ctx.world, page, fields) for page in chunk]}
    if chunk:
        end = start + len(chunk) - 1
        paging: Json = {"cursors": {"before": encode_cursor(start), "after": encode_cursor(end)}}
        if end + 1 < len(pages):
            query = {"access_token": graph.token_of(req) or "", "fields": req.param("fields")}
            query.update({"limit": str(limit), "after": encode_cursor(end)})
            paging["next"] = f"{ctx.base}/me/accounts?" + urlencode(
                {k: v for k, v in query.items() if v}
            )
        body["paging"] = paging
    return json_response(body)


def _account_item(world: SimWorld, page: SimAccount, fields: tuple[FieldSpec, ...]) -> Json:
    values: Json = {
        "id": page.platform_id,
        "name": page.name,
        "username": page.handle,
        "access_token": facebook_page_token(page.handle),
        "category": "Government organization",
        "category_list": [{"id": "2235", "name": "Government organization"}],
        "tasks": TASKS,
    }
    ig = linked_instagram(world, page)
    if ig is not None:
        ig_values = {"id": ig.platform_id, "username": ig.handle, "name": ig.name}
        spec = next((f for f in fields if f.name == "instagram_business_account"), None)
        wanted = [c.name for c in (spec.children or ()) if spec] if spec else []
        values["instagram_business_account"] = {
            k: v for k, v in ig_values.items() if k == "id" or k in wanted
        }
    return {f.key: values[f.name] for f in fields if f.name in values}


def serve_permissions(ctx: Ctx, req: SimRequest) -> SimResponse:
    """``GET``: the granted permissions; ``DELETE``: withdraw the app (the tokens die)."""
    found, refused = _user_token(ctx, req)
    if refused is not None or found is None:
        return refused or graph_error(ctx, 190, graph.INVALID_TOKEN)
    if req.method != "DELETE":
        data = [{"permission": s, "status": "granted"} for s in found.scopes]
        return json_response({"data": data})
    token = graph.token_of(req) or ""
    grant = found.grant
    handles = grant.handles if grant else ((found.page.handle,) if found.page else ())
    derived = [facebook_page_token(h) for h in handles]
    if grant is None:  # the fixed token, or a Page token without a consent behind it
        derived.append(token)
    ctx.state.oauth.revoke(grant, derived)
    return json_response({"success": True})


# ---------------------------------------------------------------- debug_token


def serve_debug_token(ctx: Ctx, req: SimRequest) -> SimResponse:
    if graph.token_of(req) != f"{SIM_META_APP_ID}|{SIM_META_APP_SECRET}":
        return graph_error(ctx, 190, "Invalid OAuth access token signature.")
    token = req.param("input_token")
    if not token:
        return graph_error(ctx, 100, "(#100) The parameter input_token is required")
    found = classify(ctx, token)
    if found is None:
        error = {"code": 190, "message": graph.INVALID_TOKEN}
        return json_response({"data": {"error": error, "is_valid": False, "scopes": []}})
    return json_response({"data": _debug_data(ctx, found)})


def _debug_data(ctx: Ctx, found: MetaToken) -> Json:
    now = int(ctx.world.now.timestamp())
    data: Json = {
        "app_id": SIM_META_APP_ID,
        "type": found.kind,
        "application": APP_NAME,
        "data_access_expires_at": now + DATA_ACCESS_SECONDS,
        "expires_at": found.expires_at,
        "is_valid": found.problem is None,
        "scopes": list(found.scopes),
        "granular_scopes": _granular(ctx, found),
        "user_id": found.user_id,
    }
    if found.page is not None:
        data["profile_id"] = found.page.platform_id
    if found.problem is not None:
        body = (graph.revoked_error if found.problem == REVOKED else graph.expired_error)(ctx)
        error = _json_error(body)
        data["error"] = {
            "code": 190,
            "message": error.get("message"),
            "subcode": error.get("error_subcode"),
        }
    return data


def _json_error(answer: SimResponse) -> Json:
    body = json.loads(answer.body)
    return dict(body["error"])


def _granular(ctx: Ctx, found: MetaToken) -> list[Json]:
    pages = [found.page] if found.page else _pages(ctx, found)
    page_ids = [p.platform_id for p in pages]
    ig_ids = [ig.platform_id for p in pages if (ig := linked_instagram(ctx.world, p))]
    out: list[Json] = []
    for scope in found.scopes:
        if scope.startswith("pages_"):
            out.append({"scope": scope, "target_ids": page_ids})
        elif scope.startswith("instagram_"):
            out.append({"scope": scope, "target_ids": ig_ids})
        else:
            out.append({"scope": scope})
    return out
