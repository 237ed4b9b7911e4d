"""Keep tokens and keys out of messages and logs.

Graph ``paging.next`` URLs carry ``access_token=…`` and YouTube URLs carry ``key=…``; every URL
or text that may reach a log line or an exception goes through :func:`redact_url` or
:func:`redact_text` first, and :func:`scrub` removes known secret values wherever they appear.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

REDACTED = "REDACTED"
SECRET_PARAMS = frozenset(
    {
        "access_token",
        "key",
        "api_key",
        "client_secret",
        "client_key",
        "refresh_token",
        "code",
        "appsecret_proof",
        "input_token",
        "fb_exchange_token",
    }
)
_PARAM_RE = re.compile(
    r"(?i)\b(" + "|".join(sorted(SECRET_PARAMS, key=len, reverse=True)) + r")=([^&\s\"'<>]+)"
)
_AUTH_RE = re.compile(r"(?i)\b(authorization\s*[:=]\s*(?:bearer\s+)?|bearer\s+)([^\s,\"'}]+)")


def redact_url(url: str | httpx.URL) -> str:
    """The URL with the values of secret query parameters replaced by ``REDACTED``."""
    text = str(url)
    try:
        parts = urlsplit(text)
    except ValueError:
        return redact_text(text)
    if not parts.query:
        return text
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    cleaned = [(k, REDACTED if k.lower() in SECRET_PARAMS else v) for k, v in pairs]
    return urlunsplit(parts._replace(query=urlencode(cleaned, safe="(){},.@:")))


def redact_text(text: str) -> str:
    """Free text with ``access_token=…``, ``key=…``, ``Authorization``/``Bearer`` values masked."""
    text = _PARAM_RE.sub(lambda m: f"{m.group(1)}={REDACTED}", text)
    return _AUTH_RE.sub(lambda m: f"{m.group(1)}{REDACTED}", text)


def redact_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Headers safe to log: ``Authorization`` and cookies masked."""
    hidden = {"authorization", "cookie", "set-cookie", "x-goog-api-key"}
    return {k: (REDACTED if k.lower() in hidden else v) for k, v in headers}


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every known secret value (at least 4 characters long) replaced."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    return redact_text(text)


def request_secrets(request: httpx.Request) -> set[str]:
    """The secret values a request carries: secret query/form parameters and bearer tokens."""
    found = {v for k, v in request.url.params.multi_items() if k.lower() in SECRET_PARAMS}
    auth = request.headers.get("authorization", "")
    if auth:
        found.add(auth.split(" ", 1)[-1].strip())
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        body = request.content.decode("utf-8", "replace")
        found.update(v for k, v in parse_qsl(body) if k.lower() in SECRET_PARAMS)
    return {s for s in found if s}


class _RedactingFilter(logging.Filter):
    """httpx logs every request URL at INFO; mask secret parameters before it is emitted."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_url(a) if isinstance(a, str | httpx.URL) else a for a in record.args
            )
        record.msg = redact_text(str(record.msg))
        return True


_FILTER = _RedactingFilter()


def install_log_filter() -> None:
    """Attach the redacting filter to httpx's loggers (idempotent)."""
    for name in ("httpx", "httpcore"):
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
