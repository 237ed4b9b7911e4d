"""Issue #18 item 6, nothing leaks on error: database passwords are masked in every form and
everywhere they are printed."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from cli import app
from core.redact import REDACTED, Redactor, redact_url_password, secret_values
from core.settings import load_settings
from db.engine import make_engine, make_session_factory
from services.status_report import status_summary
from testkit.db_support import ON_POSTGRES, NewDatabase

PLANTED = "planted-pw"
runner = CliRunner()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://pantau:planted-pw@db.local/pantau", f"postgresql://pantau:{REDACTED}@db.local/pantau"),
        ("postgresql://db.local/pantau?password=planted-pw", f"postgresql://db.local/pantau?password={REDACTED}"),
        (
            "postgresql://db.local:5432/pantau?user=pantau&password=planted-pw&sslmode=require",
            f"postgresql://db.local:5432/pantau?user=pantau&password={REDACTED}&sslmode=require",
        ),
        ("postgresql://pantau:planted%40pw%2F1@db.local/pantau", f"postgresql://pantau:{REDACTED}@db.local/pantau"),
        ("postgresql://db.local/pantau?sslmode=require&PASSWORD=planted%26pw", f"postgresql://db.local/pantau?sslmode=require&PASSWORD={REDACTED}"),
        ("postgresql+psycopg://pantau:planted-pw@db.local/pantau?password=planted-pw", f"postgresql+psycopg://pantau:{REDACTED}@db.local/pantau?password={REDACTED}"),
        ("postgresql://pantau@db.local/pantau", "postgresql://pantau@db.local/pantau"),
        ("sqlite:///data/pantau.db", "sqlite:///data/pantau.db"),
        ("sqlite:////var/lib/pantau/pantau.db", "sqlite:////var/lib/pantau/pantau.db"),
    ],
)  # fmt: skip
def test_every_form_of_database_password_is_masked(url: str, shown: str, tmp_path: Path) -> None:
    assert redact_url_password(url) == shown
    settings = load_settings({"DATABASE_URL": url}, root=tmp_path)
    assert settings.redacted()["DATABASE_URL"] == shown
    assert "planted" not in repr(settings) and "planted" not in str(settings)
    # a log line or error that quotes the URL, even re-encoded, is masked by the log redactor
    mask = Redactor(secret_values(settings))
    for text in (url, url.replace("%40", "@").replace("%2F", "/"), f"could not open {url}: boom"):
        assert "planted" not in mask(text), text


def _with_password(url: str, form: str) -> str:
    """The test database's URL carrying a (planted, unused) password in ``form``."""
    parsed = make_url(url)
    if form == "query":
        parsed = parsed.update_query_dict({"password": PLANTED})
    elif form == "user-and-query":
        parsed = parsed.update_query_dict({"user": "pantau", "password": "planted&pw word"})
    else:  # user:password@ (only PostgreSQL URLs have a user part; its cluster trusts locally)
        parsed = parsed.set(password="planted@pw/1")
    return parsed.render_as_string(hide_password=False)


FORMS = ["query", "user-and-query", *(["userinfo"] if ON_POSTGRES else [])]


@pytest.fixture
def seeded_url(
    new_db_url: NewDatabase, monkeypatch: pytest.MonkeyPatch, fixed_now: datetime
) -> str:
    url = new_db_url("leaks")
    monkeypatch.setenv("DATABASE_URL", url)
    assert runner.invoke(app, ["init"]).exit_code == 0
    return url


@pytest.mark.filterwarnings("ignore:Query string argument")  # SQLite ignores ?password=
@pytest.mark.parametrize("form", FORMS)
def test_cli_and_status_rows_mask_the_database_password(
    seeded_url: str, form: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = _with_password(seeded_url, form)
    monkeypatch.setenv("DATABASE_URL", url)
    printed: list[str] = []
    for args in (
        ["init"],
        ["status"],
        ["status", "--format", "json"],
        ["status", "--format", "csv"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        printed.append(result.output)
    assert "Database ready" in printed[0] and REDACTED in printed[0]
    rows = {r["key"]: r["value"] for r in json.loads(printed[2])["summary"]}
    assert REDACTED in rows["database"] and REDACTED in rows["DATABASE_URL"]
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            frame = status_summary(session, load_settings(root=tmp_path))
    finally:
        engine.dispose()
    printed.append(frame.to_string())
    for text in printed:
        assert "planted" not in text
