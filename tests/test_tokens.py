"""Stored tokens are encrypted: a planted token never appears in the database file."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography.fernet import Fernet
from sqlalchemy.orm import Session

from core.crypto import SecretKeyError, decrypt, encrypt
from db import repository as repo
from tests.db_support import stored_bytes

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
    repo.save_token(
        session, account.id, repo.TokenPair(PLANTED, "rft.PLANTED-refresh", expiry), KEY
    )
    session.commit()
    loaded = repo.load_tokens(session, KEY)[account.id]
    assert loaded.access_token == PLANTED and loaded.refresh_token == "rft.PLANTED-refresh"
    assert loaded.access_expires_at == expiry
    session.get_bind().dispose()
    assert b"PLANTED" not in stored_bytes(db_url)
