"""The two routes that set and clear the session cookie from the server, so it is HttpOnly.

Streamlit's script cannot send a response header. After a sign-in the page posts the one-time
hand-over code (services.web_sessions.hand_over) to :data:`SESSION_PATH`; the answer sets the
signed token as an HttpOnly, SameSite=Lax cookie (Secure over https). A sign-out posts to
:data:`SIGN_OUT_PATH`, which ends that cookie's session and clears it. A request from another
site's page (its Origin is not this dashboard) is refused.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from core.settings import Settings
from core.timeutil import utcnow
from db.engine import make_engine, make_session_factory
from services.web_sessions import (
    COOKIE_NAME,
    SESSION_PATH,
    SIGN_OUT_PATH,
    close_web_session,
    cookie_key,
    signed_cookie,
    take_hand_over,
    token_of_cookie,
)

log = logging.getLogger("pantau.auth")
MAX_CODE_BYTES = 200  # a code is 43 characters; anything longer is not one
NO_STORE = {"Cache-Control": "no-store"}


class SessionCookies:
    """The routes' handlers, with the settings and database they need."""

    def __init__(
        self,
        settings: Settings,
        engine: Callable[[], Engine] | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.settings = settings
        self.key = cookie_key(settings.secret_key)
        self.engine = engine or functools.cache(
            lambda: make_engine(settings.database_url, sqlite_sync=settings.sqlite_sync)
        )
        self.clock = clock

    def routes(self) -> list[BaseRoute]:
        return [
            Route(SESSION_PATH, self.set_cookie, methods=["POST"]),
            Route(SIGN_OUT_PATH, self.clear_cookie, methods=["POST"]),
        ]

    async def set_cookie(self, request: Request) -> Response:
        body = await short_body(request)
        if not self.same_site(request) or body is None:
            return Response(status_code=403, headers=NO_STORE)
        handed = take_hand_over(body.decode(errors="replace").strip(), self.clock())
        if handed is None:
            return Response(status_code=403, headers=NO_STORE)
        response = Response(status_code=204, headers=NO_STORE)
        response.set_cookie(
            COOKIE_NAME, signed_cookie(self.key, handed.token), max_age=handed.max_age,
            path="/", secure=self.secure(request), httponly=True, samesite="lax",
        )  # fmt: skip
        return response

    async def clear_cookie(self, request: Request) -> Response:
        if not self.same_site(request):
            return Response(status_code=403, headers=NO_STORE)
        token = token_of_cookie(self.key, request.cookies.get(COOKIE_NAME, ""))
        if token is not None:
            await run_in_threadpool(self.end_session, token)
        response = Response(status_code=204, headers=NO_STORE)
        response.delete_cookie(
            COOKIE_NAME, path="/", secure=self.secure(request), httponly=True, samesite="lax"
        )
        return response

    def end_session(self, token: str) -> None:
        with make_session_factory(self.engine())() as session:
            close_web_session(session, token, self.clock())

    def secure(self, request: Request) -> bool:
        """Secure when this request came over https or the public address is https."""
        return request.url.scheme == "https" or self.settings.public_url.startswith("https://")

    def same_site(self, request: Request) -> bool:
        """False when a page of another site sent the request: its Origin names a host that is
        neither this request's (as the browser or a proxy in front saw it) nor the public one.
        A browser cannot set X-Forwarded-Host on a cross-site request, so trusting it is safe."""
        origin = request.headers.get("origin")
        if origin is None:
            return True  # not sent by a cross-site page (browsers send Origin with every POST)
        ours = {
            request.headers.get("host", ""),
            request.headers.get("x-forwarded-host", ""),
            urlsplit(self.settings.public_url).netloc,
        }
        host = urlsplit(origin).netloc.lower()
        if host and host in {h.strip().lower() for h in ours if h}:
            return True
        log.warning("session cookie refused: origin %r is not this dashboard", origin[:100])
        return False


async def short_body(request: Request) -> bytes | None:
    """The request's body, or None as soon as it is longer than any code (never read whole)."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_CODE_BYTES:
            return None
    return body
