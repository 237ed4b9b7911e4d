"""The cookie route's same-site check (web/session_routes.py) behind a proxy: hosts compare
without case, the host a proxy in front saw counts as this dashboard's, and a refusal is logged.
A page of another site is still refused."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import httpx
import pytest
from starlette.applications import Starlette

from core.settings import Settings
from services.web_sessions import SESSION_PATH, hand_over
from web.session_routes import SessionCookies

NOW = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)


def _post(settings: Settings, headers: dict[str, str], host: str = "127.0.0.1:8501") -> int:
    """POST a fresh hand-over code as a browser would, through ``host``; the status code."""
    cookies = SessionCookies(settings, engine=lambda: None, clock=lambda: NOW)  # type: ignore[return-value]
    code = hand_over("jeton-uji", 60, NOW)

    async def send() -> int:
        transport = httpx.ASGITransport(app=Starlette(routes=cookies.routes()))
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{host}") as client:
            return (await client.post(SESSION_PATH, content=code, headers=headers)).status_code

    return asyncio.run(send())


def test_hosts_compare_without_case() -> None:
    answer = _post(Settings(), {"Origin": "https://Pantau.Sintang.test"}, "pantau.sintang.test")
    assert answer == 204


def test_behind_a_proxy_the_forwarded_host_or_the_public_address_counts_as_ours() -> None:
    origin = {"Origin": "https://pantau.sintang.test"}
    assert _post(Settings(), {**origin, "X-Forwarded-Host": "pantau.sintang.test"}) == 204
    public = Settings(public_url="https://pantau.sintang.test")
    assert _post(public, origin) == 204


def test_another_sites_page_is_refused_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="pantau.auth"):
        answer = _post(Settings(public_url="https://pantau.sintang.test"),
                       {"Origin": "https://jahat.test"})  # fmt: skip
    assert answer == 403
    assert "origin 'https://jahat.test' is not this dashboard" in caplog.text
