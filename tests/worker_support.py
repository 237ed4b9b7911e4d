"""Shared pieces of the worker tests: settings on a temp folder and a set-up runtime."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import httpx
from sqlalchemy.orm import Session, sessionmaker

from collectors.http import HttpOptions
from core.mailer import Mailer
from core.settings import Settings, load_settings
from db.engine import make_engine, make_session_factory
from worker import jobs


def worker_settings(db_url: str, tmp: Path, **env: str) -> Settings:
    base = {
        "DATABASE_URL": db_url,
        "PANTAU_LOG_DIR": str(tmp / "logs"),
        "PANTAU_REPORTS_DIR": str(tmp / "reports"),
    }
    return load_settings(environ=base | env, root=tmp)


@dataclass
class FakeSmtp:
    """Stands in for the office's mail server: keeps what it was given, or refuses."""

    refuse: bool = False
    sent: list[EmailMessage] = field(default_factory=list)

    def __call__(self, _settings: Settings) -> FakeSmtp:
        if self.refuse:
            raise ConnectionRefusedError("mail server down")
        return self

    def send_message(self, msg: EmailMessage) -> None:
        self.sent.append(msg)

    def quit(self) -> None:
        return None


@contextmanager
def runtime(
    settings: Settings, smtp: FakeSmtp | None = None, transport: httpx.BaseTransport | None = None
) -> Iterator[sessionmaker[Session]]:
    """Install a worker runtime for job functions called directly; yields its session factory."""
    engine = make_engine(settings.database_url)
    factory = make_session_factory(engine)
    mailer = Mailer(settings, smtp) if smtp is not None else Mailer(settings)
    no_wait = HttpOptions(sleep=lambda _s: None)
    jobs.RUNTIME = jobs.Runtime(settings, factory, mailer, transport=transport,
                                http_options=no_wait)  # fmt: skip
    try:
        yield factory
    finally:
        jobs.RUNTIME = None
        engine.dispose()
