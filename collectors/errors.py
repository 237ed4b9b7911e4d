"""Turn each platform's error responses into :mod:`collectors.base` errors.

One classifier per platform family, all with the signature ``(response, body) -> error | None``
(``body`` is the decoded JSON, or :data:`NOT_JSON`). The request helper decides what to retry:
:class:`~collectors.base.TransientError` and :class:`Throttled` are retried inside the pass,
everything else is raised at once. Details are English and secret-free after the helper scrubs
them; ``message_id`` comes from :mod:`collectors.messages`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

import httpx

from collectors.base import (
    AuthError,
    CollectorError,
    ConfigError,
    MalformedResponse,
    NotFound,
    QuotaExceeded,
    RateLimited,
    TransientError,
)
from collectors.messages import message
from collectors.parsing import as_dict, as_list, to_int
from collectors.redact import redact_text, redact_url
from collectors.usage import buc_entries


class _NotJson:
    def __repr__(self) -> str:
        return "NOT_JSON"


NOT_JSON: Final = _NotJson()
Classifier = Callable[[httpx.Response, Any], CollectorError | None]

GRAPH_THROTTLE_CODES = frozenset({4, 17, 32, 613, 80001, 80002, 341, 368})
GRAPH_NOT_FOUND_CODES = frozenset({100, 803, 110})
GRAPH_PROFESSIONAL_SUBCODE = 2207013


class AccountAuthError(CollectorError):
    """A per-account token (TikTok, a Facebook Page token) is invalid: only that account fails."""

    error_class = "auth"
    platform_wide = False


class AccountConfigError(ConfigError):
    """An office setting is missing, but only this account suffers from it (a TikTok account
    without a usable token while the app's client key/secret are not set): the account fails
    with the configuration message, and the accounts that can still be read go on."""

    platform_wide = False


class Throttled(RateLimited):
    """A short throttle (HTTP 429, YouTube ``rateLimitExceeded``) worth waiting for in the pass."""


def describe(platform: str, response: httpx.Response, text: str = "") -> str:
    """``platform: HTTP 400 GET <redacted url>: text`` for an exception's English detail."""
    request = response.request
    url = redact_url(request.url)
    if len(url) > 240:
        url = url[:237] + "..."
    tail = f": {redact_text(text)[:300]}" if text else ""
    return f"{platform}: HTTP {response.status_code} {request.method} {url}{tail}"


def make(
    kind: type[CollectorError],
    platform: str,
    response: httpx.Response,
    text: str = "",
    message_kind: str | None = None,
    retry_after: float | None = None,
) -> CollectorError:
    kind_name = message_kind or kind.error_class
    return kind(describe(platform, response, text), message(platform, kind_name), retry_after)


def generic_error(platform: str, response: httpx.Response, body: Any) -> CollectorError | None:
    """What an unrecognised error status means, for every platform."""
    status = response.status_code
    if status == 429:
        return make(Throttled, platform, response, "too many requests")
    if status >= 500:
        return make(TransientError, platform, response, "server error")
    if status == 404:
        return make(NotFound, platform, response, "not found")
    if status >= 400:
        return make(MalformedResponse, platform, response, "unexpected error status")
    if body is NOT_JSON:
        return make(MalformedResponse, platform, response, "response is not JSON")
    return None


# --- Meta Graph (Instagram, Facebook) -------------------------------------------------------


def graph_classifier(platform: str, *, account_token: bool = False) -> Classifier:
    """Classifier for Graph API responses; ``account_token`` when a per-Page token is used."""

    def classify(response: httpx.Response, body: Any) -> CollectorError | None:
        error = as_dict(body).get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            code = _www_authenticate_code(response)
            if code is None:
                return None
            error = {"code": code, "message": response.headers.get("www-authenticate", "")}
        return _graph_error(platform, response, error, account_token)

    return classify


def _www_authenticate_code(response: httpx.Response) -> int | None:
    """``WWW-Authenticate: OAuth "Facebook Platform" "invalid_request" "(#4) …"`` -> 4."""
    match = re.search(r"\(#(\d+)\)", response.headers.get("www-authenticate", ""))
    return int(match.group(1)) if match and response.status_code >= 400 else None


def _graph_error(
    platform: str, response: httpx.Response, error: dict[str, Any], account_token: bool
) -> CollectorError:
    code, sub = to_int(error.get("code")), to_int(error.get("error_subcode"))
    text = f"(code {code}, subcode {sub}) {error.get('message', '')}"
    if code in GRAPH_THROTTLE_CODES:
        # An explicit 429 / Retry-After is a short wait worth retrying within the pass; a plain
        # throttle code means "slow down for a while": the pass moves on to other accounts.
        if response.status_code == 429 or "retry-after" in response.headers:
            return make(Throttled, platform, response, text)
        return make(RateLimited, platform, response, text, retry_after=regain_seconds(response))
    if code == 190 or code == 102:
        kind: type[CollectorError] = AccountAuthError if account_token else AuthError
        return make(kind, platform, response, text, "account_auth" if account_token else "auth")
    if code in GRAPH_NOT_FOUND_CODES or sub == GRAPH_PROFESSIONAL_SUBCODE:
        return make(NotFound, platform, response, text)
    if code == 10 or (code is not None and 200 <= code <= 299):
        return make(NotFound, platform, response, text, "permission")
    if code in (1, 2) or error.get("is_transient") is True or response.status_code >= 500:
        return make(TransientError, platform, response, text)
    return make(MalformedResponse, platform, response, f"unexpected Graph error {text}")


def regain_seconds(response: httpx.Response) -> float | None:
    """Largest ``estimated_time_to_regain_access`` in the BUC header, read as minutes [U]."""
    minutes = [to_int(e.get("estimated_time_to_regain_access")) or 0 for e in buc_entries(response)]
    worst = max(minutes, default=0)
    return float(worst * 60) if worst > 0 else None


# --- YouTube --------------------------------------------------------------------------------

_YT_AUTH = {"keyInvalid", "API_KEY_INVALID", "keyExpired", "API_KEY_EXPIRED"}
_YT_NOT_FOUND = {"playlistNotFound", "channelNotFound", "videoNotFound", "notFound"}
_YT_THROTTLE = {"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED"}


def classify_youtube(response: httpx.Response, body: Any) -> CollectorError | None:
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return None
    reasons = {str(e.get("reason")) for e in as_list(error.get("errors")) if isinstance(e, dict)}
    reasons |= {str(d.get("reason")) for d in as_list(error.get("details")) if isinstance(d, dict)}
    text = f"{sorted(reasons)} {error.get('message', '')}"
    if reasons & {"quotaExceeded", "dailyLimitExceeded"}:
        return make(QuotaExceeded, "youtube", response, text)
    if reasons & _YT_AUTH or "API key not valid" in str(error.get("message", "")):
        return make(AuthError, "youtube", response, text)
    if reasons & _YT_THROTTLE or response.status_code == 429:
        return make(Throttled, "youtube", response, text)
    if "accessNotConfigured" in reasons or "SERVICE_DISABLED" in reasons:
        return make(ConfigError, "youtube", response, text)
    if reasons & _YT_NOT_FOUND or response.status_code == 404:
        return make(NotFound, "youtube", response, text)
    if response.status_code >= 500 or "backendError" in reasons:
        return make(TransientError, "youtube", response, text)
    if "forbidden" in reasons:
        return make(NotFound, "youtube", response, text, "permission")
    return make(MalformedResponse, "youtube", response, f"unexpected YouTube error {text}")


# --- TikTok ---------------------------------------------------------------------------------

_TT_ACCOUNT_AUTH = {"access_token_invalid", "scope_not_authorized", "scope_permission_missed"}


def classify_tiktok(response: httpx.Response, body: Any) -> CollectorError | None:
    if isinstance(body, dict) and isinstance(body.get("error"), str):  # OAuth endpoint errors
        text = f"{body['error']}: {body.get('error_description', '')}"
        if body["error"] in ("invalid_client", "unauthorized_client"):
            return make(ConfigError, "tiktok", response, text)
        return make(AccountAuthError, "tiktok", response, text, "account_auth")
    error = as_dict(body.get("error")) if isinstance(body, dict) else {}
    code = str(error.get("code", "")) if error else ""
    if code in ("", "ok") and response.status_code < 400:
        return None
    text = f"{code or 'no error code'}: {error.get('message', '')}"
    if code in _TT_ACCOUNT_AUTH or (not code and response.status_code == 401):
        return make(AccountAuthError, "tiktok", response, text, "account_auth")
    if code == "rate_limit_exceeded" or response.status_code == 429:
        return make(Throttled, "tiktok", response, text)
    if "not_found" in code or response.status_code == 404:
        return make(NotFound, "tiktok", response, text)
    if code == "internal_error" or response.status_code >= 500:
        return make(TransientError, "tiktok", response, text)
    return make(MalformedResponse, "tiktok", response, f"unexpected TikTok error {text}")


# --- X --------------------------------------------------------------------------------------


def classify_x(response: httpx.Response, body: Any) -> CollectorError | None:
    problem = body if isinstance(body, dict) else {}
    kind = f"{problem.get('type', '')} {problem.get('title', '')}"
    legacy = {to_int(e.get("code")) for e in as_list(problem.get("errors")) if isinstance(e, dict)}
    text = f"{kind.strip()} {problem.get('detail', '')}".strip()
    status = response.status_code
    if "usage-capped" in kind or "UsageCapExceeded" in kind:
        return make(QuotaExceeded, "x", response, text)
    if status == 401 or legacy & {32, 89}:
        return make(AuthError, "x", response, text or "unauthorized")
    if status == 429 or 88 in legacy:
        return make(Throttled, "x", response, text or "too many requests")
    if status == 403 and ("client-forbidden" in kind or "unsupported-authentication" in kind):
        return make(AuthError, "x", response, text)
    if status in (403, 404):
        return make(NotFound, "x", response, text)
    if status >= 500:
        return make(TransientError, "x", response, text)
    if status < 400 and "data" not in problem and as_list(problem.get("errors")):
        first = as_dict(as_list(problem.get("errors"))[0])
        detail = f"{first.get('title', '')} {first.get('type', '')} {first.get('detail', '')}"
        return make(NotFound, "x", response, detail)
    return None


# --- Websites -------------------------------------------------------------------------------


def classify_website(response: httpx.Response, body: Any) -> CollectorError | None:
    """Only throttling and server errors; the website collector reads everything else itself."""
    if response.status_code == 429:
        return make(Throttled, "website", response, "too many requests")
    if response.status_code >= 500:
        return make(TransientError, "website", response, "server error")
    return None
