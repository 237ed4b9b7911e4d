"""Stored tokens are encrypted: a planted token never appears in the database file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from click.testing import Result
from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.crypto import SecretKeyError, decrypt, encrypt
from db import repository as repo
from db import tokens as token_store
from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from db.models import Account
from ingest.handles import normalise_platform
from testkit.db_support import stored_bytes

PLANTED = "act.PLANTED-tiktok-access-token-4f2a"
KEY = Fernet.generate_key().decode()


def test_round_trip_with_a_fernet_key_and_a_passphrase() -> None:
    assert decrypt(KEY, encrypt(KEY, PLANTED)) == PLANTED
    phrase = "a long passphrase of at least thirty-two characters"
    assert decrypt(phrase, encrypt(phrase, PLANTED)) == PLANTED


@pytest.mark.parametrize("key", ["", "short"])
def test_weak_or_missing_keys_are_refused(key: str) -> None:
    with pytest.raises(SecretKeyError, match="PANTAU_SECRET_KEY"):
        encrypt(key, PLANTED)


def test_wrong_key_is_a_clear_error() -> None:
    sealed = encrypt(KEY, PLANTED)
    with pytest.raises(SecretKeyError, match="cannot be decrypted"):
        decrypt(Fernet.generate_key().decode(), sealed)


def test_tokens_never_reach_the_database_file_in_clear(session: Session, db_url: str) -> None:
    opd = repo.upsert_opd(session, "DINKES", "Dinas Kesehatan", "dinas")
    account = repo.upsert_account(session, opd, "tiktok", "demo.dinkes")
    expiry = datetime(2026, 12, 1, tzinfo=UTC)
    token_store.save_token(
        session, account.id, token_store.TokenPair(PLANTED, "rft.PLANTED-refresh", expiry), KEY
    )
    session.commit()
    loaded = token_store.load_tokens(session, KEY)[account.id]
    assert loaded.access_token == PLANTED and loaded.refresh_token == "rft.PLANTED-refresh"
    assert loaded.access_expires_at == expiry
    session.get_bind().dispose()
    assert b"PLANTED" not in stored_bytes(db_url)


# --- `cli.py token set` reads the account as the registry does (issue #13) ---------------------

REGISTRY = (
    "opd_code,opd_name,category,platform,handle,admin_name,admin_phone,admin_email\n"
    "DINKES,Dinas Kesehatan,dinas,facebook,https://www.facebook.com/SomePage,,,\n"
    "DINKES,Dinas Kesehatan,dinas,facebook,100064123456789,,,\n"
    "DINKES,Dinas Kesehatan,dinas,tiktok,@Dinkes.Sintang,,,\n"
    "DINKES,Dinas Kesehatan,dinas,tiktok,https://www.tiktok.com/@x.com,,,\n"
    "DINKES,Dinas Kesehatan,dinas,instagram,dinkes.sintang,,,\n"
    "DINKES,Dinas Kesehatan,dinas,website,http://dinkes.sintangkab.go.id,,,\n"
)


@pytest.fixture
def token_cli(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Result]]:
    """The CLI on a database holding REGISTRY, with a secret key; calls return the result."""
    from typer.testing import CliRunner

    from cli import app
    from ingest.registry import import_registry

    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("PANTAU_SECRET_KEY", KEY)
    runner = CliRunner()
    engine = make_engine(db_url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        assert import_registry(session, REGISTRY.encode(), "registry.csv").issues == []
        session.commit()
    yield lambda *args: runner.invoke(app, ["token", "set", *args], input=f"{PLANTED}\n")
    engine.dispose()


def _stored_handles(db_url: str) -> set[tuple[str, str]]:
    engine = make_engine(db_url)
    try:
        with make_session_factory(engine)() as session:
            tokens = token_store.load_tokens(session, KEY)
            rows = session.execute(select(Account.id, Account.platform, Account.handle)).all()
    finally:
        engine.dispose()
    return {(platform, handle) for acc, platform, handle in rows if acc in tokens}


@pytest.mark.parametrize(
    ("platform", "handle", "stored"),
    [
        ("facebook", "https://www.facebook.com/somepage", "somepage"),
        ("facebook", "m.facebook.com/SomePage/?ref=bookmarks", "somepage"),
        ("fb", "@SomePage", "somepage"),
        ("Facebook", "https://www.facebook.com/profile.php?id=100064123456789", "100064123456789"),
        ("tiktok", "https://www.tiktok.com/@Dinkes.Sintang?lang=id-ID", "dinkes.sintang"),
        ("tt", "@dinkes.sintang", "dinkes.sintang"),
        ("tiktok", "x.com", "x.com"),  # exactly as stored, though it reads as an address
    ],
)
def test_token_set_finds_the_account_from_any_form_the_registry_accepts(
    token_cli: Callable[..., Result], db_url: str, platform: str, handle: str, stored: str
) -> None:
    result = token_cli(platform, handle)
    assert result.exit_code == 0, result.output
    name = normalise_platform(platform)
    assert f"Token stored encrypted for {name} {stored}." in result.output
    assert _stored_handles(db_url) == {(name, stored)}


@pytest.mark.parametrize(
    ("platform", "handle", "message"),
    [
        ("instagram", "dinkes.sintang", "tiktok and facebook accounts only, not 'instagram'"),
        ("ig", "dinkes.sintang", "tiktok and facebook accounts only, not 'instagram'"),
        ("website", "dinkes.sintangkab.go.id", "accounts only, not 'website'"),
        ("youtube", "@pemkab", "accounts only, not 'youtube'"),
        ("x", "@pemkab", "accounts only, not 'x'"),
        ("myspace", "someone", "accounts only, not 'myspace'"),
        ("facebook", "https://www.instagram.com/somepage/", "is not a facebook address"),
        ("facebook", "https://www.facebook.com/groups/warga", "is not the address of a facebook"),
        ("tiktok", "@nobody.here", "no tiktok account 'nobody.here' (from '@nobody.here')"),
    ],
)
def test_token_set_refuses_other_platforms_and_unusable_handles(
    token_cli: Callable[..., Result], db_url: str, platform: str, handle: str, message: str
) -> None:
    result = token_cli(platform, handle)
    assert result.exit_code == 1
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert _stored_handles(db_url) == set()
