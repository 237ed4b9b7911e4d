"""A planted secret never reaches the database file, the logs, a page or an export.

The secrets are set as a deployment sets them (environment), a TikTok token is stored as
`cli.py token set` stores it, and a collection runs against a platform that echoes the request,
token and all, in its error bodies. Then every place a secret could leak is searched.
"""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from collectors.service import store_account_token
from core.period import current_month
from core.settings import Settings
from db.engine import make_engine, make_session_factory
from db.models import Account
from reports import report_bytes
from testkit.db_support import stored_bytes
from tests.app_support import run_page, texts
from tests.worker_support import runtime, worker_settings
from ui.navigation import page_files
from worker import jobs
from worker.logs import setup_logging

PLANTED = {
    "PANTAU_META_TOKEN": "EAAGplantedMetaSecret4417",
    "PANTAU_X_BEARER_TOKEN": "AAAAplantedBearerSecret9902",
    "PANTAU_YOUTUBE_API_KEY": "AIzaPlantedYoutubeSecret3318",
    "PANTAU_TIKTOK_CLIENT_SECRET": "plantedTiktokClientSecret77",
    "PANTAU_SMTP_PASSWORD": "plantedMailPassword!5521",
}
TIKTOK_ACCESS = "act.plantedTiktokAccessToken6610"
TIKTOK_REFRESH = "rft.plantedTiktokRefreshToken2284"
ALL_SECRETS = [*PLANTED.values(), TIKTOK_ACCESS, TIKTOK_REFRESH]


def _echo(request: httpx.Request) -> httpx.Response:
    """A platform in trouble that repeats the whole request in its error."""
    return httpx.Response(400, text=f"bad request {request.url} {dict(request.headers)}")


def _collect_with_planted_secrets(db_url: str, tmp: Path) -> Settings:
    key = Fernet.generate_key().decode()
    settings = worker_settings(db_url, tmp, **PLANTED, PANTAU_SECRET_KEY=key,
                               PANTAU_TIKTOK_CLIENT_KEY="sim-client-key")  # fmt: skip
    setup_logging(settings, stream=False)
    with runtime(settings, transport=httpx.MockTransport(_echo)) as factory:
        with factory() as session:
            handle = session.scalar(select(Account.handle).where(Account.platform == "tiktok"))
            assert handle is not None
            tokens = [TIKTOK_ACCESS, TIKTOK_REFRESH]
            store_account_token(session, settings, "tiktok", handle, tokens, expires_in=60)
            session.commit()
        for platform in ("facebook", "instagram", "youtube", "x", "tiktok"):
            jobs.collect_platform(platform)
    logging.shutdown()
    return settings


def test_planted_secrets_stay_out_of_database_logs_pages_and_exports(
    demo_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _collect_with_planted_secrets(demo_db_url, tmp_path)

    stored = stored_bytes(demo_db_url)
    logs = b"".join(p.read_bytes() for p in (tmp_path / "logs").glob("worker.log*"))
    assert logs, "the collection should have logged something"
    for secret in ALL_SECRETS:
        assert secret.encode() not in stored, f"{secret[:8]}… in the database file"
        assert secret.encode() not in logs, f"{secret[:8]}… in the worker log"

    with make_session_factory(make_engine(demo_db_url))() as session:
        xlsx = report_bytes(session, current_month(settings.tz), "xlsx", settings)
    for secret in ALL_SECRETS:
        assert secret.encode() not in xlsx

    for name, value in PLANTED.items():
        monkeypatch.setenv(name, value)
    from tests.app_support import serve_from

    for _ in serve_from(demo_db_url, monkeypatch):
        for page in page_files("admin"):
            at = run_page(page)
            shown = texts(at) + " ".join(str(d.value.to_dict()) for d in at.dataframe)
            shown += " ".join(str(t.value) for t in at.text_input)
            for secret in ALL_SECRETS:
                assert secret not in shown, (page, secret[:8])
