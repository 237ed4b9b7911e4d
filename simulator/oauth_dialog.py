"""The authorize dialog every simulated platform shares: check the request, show the consent
page, and on a decision answer ``302`` back to the app with a code or the platform's refusal.

A decision is the authorize URL plus ``sim_decision=allow|deny`` and ``sim_accounts=<handle>``
(repeated or comma-separated). The consent page's form sends exactly that, and a test without a
browser may add them itself to get the ``302`` at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

import httpx

from simulator.context import Ctx
from simulator.http import SimRequest, SimResponse
from simulator.ids import digits
from simulator.oauth_book import Grant
from simulator.oauth_pages import Choice, Consent, consent_page, error_page
from simulator.world import SimWorld

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
SIM_PARAMS = ("sim_decision", "sim_accounts")


@dataclass(frozen=True)
class Dialog:
    """What differs between the platforms' authorize dialogs."""

    provider: str  # meta | tiktok | google
    brand: str  # the name on the page
    path: str
    client_param: str  # client_id, or TikTok's client_key
    client_id: str
    multiple: bool  # several accounts (Meta Pages) or exactly one
    prompt: str
    scopes_of: Callable[[SimRequest], tuple[str, ...]]
    choices: Callable[[SimWorld], tuple[Choice, ...]]
    denied: tuple[tuple[str, str], ...]  # the query the app gets on "Tolak", before state
    granted_param: str | None  # TikTok "scopes", Google "scope": what was granted
    scope_separator: str  # how ``granted_param`` joins scopes
    code_prefix: str


def inputs(req: SimRequest) -> dict[str, str]:
    """A token request's fields: the query, then the form body (which wins), first values."""
    out = dict(req.params.multi_items()[::-1])
    body = req.body.decode("utf-8", "replace")
    if body and "json" not in req.headers.get("content-type", ""):
        out.update(dict(parse_qsl(body, keep_blank_values=True)[::-1]))
    return out


def redirect_uri_ok(uri: str) -> bool:
    """An app's redirect address: any https URL, or http on a loopback host (any port)."""
    try:
        url = httpx.URL(uri)
    except httpx.InvalidURL:
        return False
    if not url.host or url.fragment:
        return False
    return url.scheme == "https" or (url.scheme == "http" and url.host in LOOPBACK_HOSTS)


def redirect(uri: str, params: list[tuple[str, str]]) -> SimResponse:
    separator = "&" if "?" in uri else "?"
    return SimResponse(302, b"", {"location": uri + separator + urlencode(params)})


def chosen_handles(req: SimRequest) -> list[str]:
    raw = req.params.get_list("sim_accounts")
    return [h.strip() for value in raw for h in value.split(",") if h.strip()]


def dialog_answer(ctx: Ctx, req: SimRequest, dialog: Dialog) -> SimResponse:
    """The consent page, a ``302`` with the decision, or an error page for a bad request."""
    problem = _request_problem(req, dialog)
    if problem is not None:
        return error_page(dialog.brand, problem)
    redirect_uri = req.param("redirect_uri") or ""
    state = [("state", s)] if (s := req.param("state")) is not None else []
    decision = req.param("sim_decision")
    if decision is None:
        return consent_page(_consent(ctx, req, dialog))
    if decision == "deny":
        return redirect(redirect_uri, [*dialog.denied, *state])
    if decision != "allow":
        return error_page(dialog.brand, "sim_decision harus allow atau deny.")
    handles, problem = _accounts(ctx.world, req, dialog)
    if problem is not None:
        return error_page(dialog.brand, problem)
    scopes = dialog.scopes_of(req)
    grant = Grant(
        dialog.provider,
        dialog.client_id,
        redirect_uri,
        tuple(handles),
        scopes,
        user_id="10" + digits(f"sim-user:{dialog.provider}:{','.join(handles)}", 14),
        challenge=req.param("code_challenge"),
        challenge_method=req.param("code_challenge_method") or "plain",
    )
    code = ctx.state.oauth.issue_code(grant, ctx.world.now.timestamp(), dialog.code_prefix)
    answer = [("code", code)]
    if dialog.granted_param:
        answer.append((dialog.granted_param, dialog.scope_separator.join(scopes)))
    return redirect(redirect_uri, [*answer, *state])


def _request_problem(req: SimRequest, dialog: Dialog) -> str | None:
    if req.param(dialog.client_param) != dialog.client_id:
        return f"Aplikasi tidak dikenal: {dialog.client_param} tidak valid."
    if not redirect_uri_ok(req.param("redirect_uri") or ""):
        return "Alamat pengalihan (redirect_uri) tidak diizinkan untuk aplikasi ini."
    if req.param("response_type") != "code":
        return "response_type harus code."
    if not dialog.scopes_of(req):
        return "Izin (scope) yang diminta tidak ada."
    if req.param("code_challenge_method") not in (None, "S256", "plain"):
        return "code_challenge_method harus S256 atau plain."
    return None


def _accounts(world: SimWorld, req: SimRequest, dialog: Dialog) -> tuple[list[str], str | None]:
    known = {c.handle.lower(): c.handle for c in dialog.choices(world)}
    wanted = chosen_handles(req)
    unknown = [h for h in wanted if h.lower() not in known]
    if unknown:
        return [], f"Akun tidak dikenal: {', '.join(unknown)}."
    if not dialog.multiple and len(wanted) != 1:
        return [], "Pilih tepat satu akun."
    return list(dict.fromkeys(known[h.lower()] for h in wanted)), None


def _consent(ctx: Ctx, req: SimRequest, dialog: Dialog) -> Consent:
    hidden = tuple((k, v) for k, v in req.params.multi_items() if k not in SIM_PARAMS)
    return Consent(
        brand=dialog.brand,
        path=dialog.path,
        hidden=hidden,
        scopes=dialog.scopes_of(req),
        choices=dialog.choices(ctx.world),
        multiple=dialog.multiple,
        prompt=dialog.prompt,
    )
