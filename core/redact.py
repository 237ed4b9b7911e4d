"""Masking secrets in text that leaves Pantau (logs of the worker and the dashboard, the CLI).

Masking works on the finished text: the configured secret values are replaced, and so are the
usual shapes of credentials in URLs and headers, so no code path can leak a token by accident.
:func:`redact_url_password` is the one rule for database URLs: every place that prints one
(settings, ``cli.py status`` and ``init``, logs) goes through it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import Field
from typing import Any, ClassVar, Protocol
from urllib.parse import unquote

REDACTED = "***"
MIN_SECRET_LENGTH = 4
# query keys that carry a password in libpq and SQLAlchemy URLs
_CREDENTIAL_KEYS = r"password|passwd|pwd|sslpassword"
_QUERY_PASSWORD = re.compile(rf"(?i)([?&;](?:{_CREDENTIAL_KEYS})=)([^&#;]*)")
_PATTERNS = (
    (
        re.compile(
            r"(?i)\b(access_token|refresh_token|client_secret|client_key|key|"
            rf"{_CREDENTIAL_KEYS}|token|fb_exchange_token)=([^&\s\"']+)"
        ),
        rf"\1={REDACTED}",
    ),
    (re.compile(r"(?i)\bBearer\s+[A-Za-z0-9._~+/=-]+"), f"Bearer {REDACTED}"),
    (re.compile(r"://([^:/@\s]*):([^@\s]+)@"), rf"://\1:{REDACTED}@"),
)


# SQLAlchemy's rule for a URL's password (engine/url.py): after "user:", up to the first "@";
# it may hold "?", "/" or "#". Masking runs to the LAST "@" instead, so an "@" inside a
# password can never leave a piece of it shown (at worst a host is masked too).
_SQLALCHEMY_CREDENTIALS = re.compile(r"^(?P<user>[^:/]*):(?P<password>[^@]*)@", re.S)
_TO_LAST_AT = re.compile(r"^(?P<user>[^:/@]*):(?P<password>.*)@", re.S)


def redact_url_password(url: str) -> str:
    """Mask every password of a database URL: ``postgresql://u:pw@host/db``,
    ``postgresql://host/db?password=pw`` (also ``?user=…&password=…``, URL-encoded or not, or
    with ``?``, ``/`` or ``#`` inside it). A URL without a password (SQLite's) comes back
    unchanged."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    if creds := _TO_LAST_AT.match(rest):
        rest = f"{creds['user']}:{REDACTED}@{rest[creds.end() :]}"
    rest = _QUERY_PASSWORD.sub(rf"\1{REDACTED}", rest)
    return f"{scheme}://{rest}"


def url_passwords(url: str) -> list[str]:
    """The passwords a database URL carries, as written and decoded (for :class:`Redactor`)."""
    _, _, rest = url.partition("://")
    found = [m.group(2) for m in _QUERY_PASSWORD.finditer(rest)]
    found += [m["password"] for m in (_SQLALCHEMY_CREDENTIALS.match(rest), _TO_LAST_AT.match(rest))
              if m]  # fmt: skip
    return list(dict.fromkeys(p for raw in found for p in (raw, unquote(raw)) if p))


class Redactor:
    def __init__(self, secrets: Iterable[str]) -> None:
        values = {s for s in secrets if len(s) >= MIN_SECRET_LENGTH}
        self.secrets = sorted(values, key=len, reverse=True)  # longest first: no partial leak

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        return text


class _Settings(Protocol):
    """What :func:`secret_values` reads of ``core.settings.Settings`` (which imports this
    module, so it is described here rather than imported)."""

    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    @property
    def database_url(self) -> str: ...

    def redacted(self) -> dict[str, str]: ...


def secret_values(settings: _Settings) -> list[str]:
    """The values of every secret setting (tokens, keys, passwords, the database password)."""
    env_names = {k for k, v in settings.redacted().items() if v == REDACTED}
    values = [getattr(settings, f.name) for f in settings.__dataclass_fields__.values()
              if f.metadata["env"] in env_names]  # fmt: skip
    return values + url_passwords(settings.database_url)
