"""Meta Graph API plumbing shared by Instagram and Facebook: field expressions, errors, headers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from simulator.context import Ctx
from simulator.credentials import SIM_META_APP_ID, SIM_META_TOKEN
from simulator.http import SimRequest, SimResponse, dumps, json_response

THROTTLE_MESSAGES = {
    4: "(#4) Application request limit reached",
    17: "(#17) User request limit reached",
    32: "(#32) Page request limit reached",
    613: "(#613) Calls to this api have exceeded the rate limit.",
    80001: "There have been too many calls to this Page account. Wait a bit and try again. "
    "For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
    80002: "There have been too many calls to this Instagram account. Wait a bit and try again.",
}
INVALID_TOKEN = "Invalid OAuth access token - Cannot parse access token"  # noqa: S105  # nosec B105 - an error text
NO_OBJECT = (
    "(#100) Object does not exist, cannot be loaded due to missing permission or reviewable "
    "feature, or does not support this operation. This endpoint requires the "
    "'pages_read_engagement' permission or the 'Page Public Content Access' feature or the "
    "'Page Public Metadata Access' feature. Refer to https://developers.facebook.com/docs/"
    "apps/review/login-permissions#manage-pages, https://developers.facebook.com/docs/apps/"
    "review/feature#reference-PAGES_ACCESS and https://developers.facebook.com/docs/apps/"
    "review/feature#page-public-metadata-access for details."
)


@dataclass(frozen=True)
class FieldSpec:
    """One item of a ``fields`` expression: ``name.mod(arg).mod2(arg){children}``."""

    name: str
    mods: dict[str, str]
    children: tuple[FieldSpec, ...] | None = None

    @property
    def key(self) -> str:
        return self.mods.get("as", self.name)


def parse_fields(text: str) -> tuple[FieldSpec, ...]:
    """Parse a Graph ``fields`` value; ValueError on a syntax error."""
    specs, end = _parse_list(text, 0)
    if end != len(text):
        raise ValueError(f"unexpected {text[end]!r} at {end}")
    return specs


def _parse_list(text: str, i: int) -> tuple[tuple[FieldSpec, ...], int]:
    out = []
    while i < len(text):
        spec, i = _parse_field(text, i)
        out.append(spec)
        if i < len(text) and text[i] == ",":
            i += 1
            continue
        break
    return tuple(out), i


def _scan(text: str, i: int, stops: str) -> int:
    while i < len(text) and text[i] not in stops:
        i += 1
    return i


def _parse_field(text: str, i: int) -> tuple[FieldSpec, int]:
    j = _scan(text, i, ".,{}()")
    name, mods = text[i:j].strip(), {}
    while j < len(text) and text[j] == ".":
        k = _scan(text, j + 1, "(,{}.")
        mod = text[j + 1 : k]
        if k < len(text) and text[k] == "(":
            end = text.index(")", k)
            mods[mod], j = text[k + 1 : end], end + 1
        else:
            mods[mod], j = "", k
    children = None
    if j < len(text) and text[j] == "{":
        children, j = _parse_list(text, j + 1)
        if j >= len(text) or text[j] != "}":
            raise ValueError("unclosed {")
        j += 1
    if not name:
        raise ValueError(f"empty field name at {i}")
    return FieldSpec(name, mods, children), j


def graph_time(moment: datetime) -> str:
    """``2024-01-15T02:30:00+0000``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def usage_header(percent: int) -> str:
    usage = {"call_count": percent, "total_cputime": max(1, percent // 2)}
    return dumps({**usage, "total_time": max(1, percent // 2)}).decode()


def buc_header(object_id: str, kind: str, percent: int, minutes: int) -> str:
    usage = {
        "type": kind,
        "call_count": percent,
        "total_cputime": max(1, percent // 2),
        "total_time": max(1, percent // 2),
        "estimated_time_to_regain_access": minutes,
    }
    return dumps({object_id: [usage]}).decode()


def graph_error(
    ctx: Ctx,
    code: int,
    message: str,
    status: int = 400,
    *,
    subcode: int | None = None,
    transient: bool | None = None,
    extra: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> SimResponse:
    error: dict[str, object] = {"message": message, "type": "OAuthException", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    if transient is not None:
        error["is_transient"] = transient
    error.update(extra or {})
    error["fbtrace_id"] = "ASim" + ctx.state.log_id()[-12:]
    out = {"x-app-usage": usage_header(ctx.state.graph_usage), **(headers or {})}
    return json_response({"error": error}, status, out)


def token_of(req: SimRequest) -> str | None:
    return req.param("access_token") or req.bearer()


def auth_error(ctx: Ctx, req: SimRequest, page_token: str | None = None) -> SimResponse | None:
    """The 190 answer when the request lacks the simulator's token (or the Page's own), or
    when its owner withdrew the app's permissions (``DELETE me/permissions``)."""
    token = token_of(req)
    if ctx.state.oauth.is_revoked(token):
        return revoked_error(ctx)
    if token in (SIM_META_TOKEN, page_token) and token:
        return None
    return graph_error(ctx, 190, INVALID_TOKEN)


def revoked_error(ctx: Ctx) -> SimResponse:
    message = (
        f"Error validating access token: The user has not authorized application {SIM_META_APP_ID}."
    )
    return graph_error(ctx, 190, message, subcode=458)


def throttle_error(ctx: Ctx, code: int, status: int, retry_after: int, obj: str) -> SimResponse:
    headers = {}
    if code in (4, 17, 613):
        headers["x-app-usage"] = usage_header(100)
    else:
        kind = "instagram" if code == 80002 else "pages"
        minutes = max(1, math.ceil(retry_after / 60))
        headers["x-business-use-case-usage"] = buc_header(obj, kind, 100, minutes)
    return graph_error(ctx, code, THROTTLE_MESSAGES[code], status, transient=True, headers=headers)


def expired_error(ctx: Ctx) -> SimResponse:
    stamp = ctx.world.now.strftime("%A, %d-%b-%y %H:%M:%S UTC")
    message = (
        f"Error validating access token: Session has expired on {stamp}. "
        f"The current time is {stamp}."
    )
    return graph_error(ctx, 190, message, subcode=463)
