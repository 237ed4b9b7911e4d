"""Transport-neutral requests and responses, shared by the in-process transport and the server."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import httpx

JSON_TYPE = "application/json; charset=UTF-8"


@dataclass(frozen=True)
class SimRequest:
    method: str
    url: httpx.URL
    headers: httpx.Headers = field(default_factory=httpx.Headers)
    body: bytes = b""

    @cached_property
    def params(self) -> httpx.QueryParams:
        return self.url.params

    def param(self, name: str) -> str | None:
        return self.params.get(name)

    def bearer(self) -> str | None:
        scheme, _, token = self.headers.get("authorization", "").partition(" ")
        return token.strip() if scheme.lower() == "bearer" and token.strip() else None

    def json_body(self) -> object:
        """The JSON body, or None when it is missing or not JSON."""
        try:
            return json.loads(self.body) if self.body else None
        except ValueError:
            return None


@dataclass
class SimResponse:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    timeout: float | None = None  # set: the client gets no answer (in the server, after this)


@dataclass
class Plan:
    """What a platform module decided about one request, before faults are applied.

    ``serve(empty)`` produces the normal answer (``empty``: the empty-page fault, which keeps
    the paging link). ``error`` is an answer given as is (bad credentials, unknown route).
    ``headers`` go on whatever the answer is, unless the answer sets them itself.
    """

    endpoint: str
    handles: tuple[str, ...] = ()
    serve: Callable[[bool], SimResponse] | None = None
    error: SimResponse | None = None
    listing: bool = False
    headers: dict[str, str] = field(default_factory=dict)  # added to every answer (X rate limits)


def dumps(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def json_response(
    data: object, status: int = 200, headers: dict[str, str] | None = None
) -> SimResponse:
    return SimResponse(status, dumps(data), {"content-type": JSON_TYPE, **(headers or {})})


def html_response(status: int, title: str, headers: dict[str, str] | None = None) -> SimResponse:
    head = f"<!DOCTYPE html><html><head><title>{title}</title></head>"
    page = f"{head}<body><h1>{title}</h1></body></html>"
    return SimResponse(
        status,
        page.encode("utf-8"),
        {"content-type": "text/html; charset=UTF-8", **(headers or {})},
    )


def truncate(response: SimResponse) -> SimResponse:
    """The same answer cut in the middle: JSON (or XML) that no parser accepts."""
    cut = max(1, len(response.body) // 2)
    return SimResponse(response.status, response.body[:cut], dict(response.headers))


START = "start"


def encode_cursor(key: int | str) -> str:
    """An opaque page cursor for a post key (or ``START``)."""
    return base64.urlsafe_b64encode(f"QVFI:{key}".encode()).decode().rstrip("=")


def decode_cursor(token: str) -> int | None:
    """The key a cursor points below; None for the start. ValueError if not ours."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"bad cursor {token!r}") from exc
    prefix, _, value = raw.partition(":")
    if prefix != "QVFI" or not value:
        raise ValueError(f"bad cursor {token!r}")
    return None if value == START else int(value)


def int_param(raw: str | None, default: int) -> int:
    """A whole-number parameter; ValueError when it is present but not a number."""
    if raw is None or raw == "":
        return default
    return int(raw)
