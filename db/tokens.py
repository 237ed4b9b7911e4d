"""Platform tokens of the accounts (TikTok's per-account tokens, Facebook Page tokens), stored
encrypted with ``PANTAU_SECRET_KEY``: never in clear in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.crypto import decrypt, encrypt
from core.timeutil import utcnow
from db.models import AccountToken


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str | None = None
    access_expires_at: datetime | None = None
    refresh_expires_at: datetime | None = None


@dataclass(frozen=True)
class Grant:
    """Who connected a token, how, and with which scopes (Sambungkan Akun)."""

    source: str  # oauth | cli
    connected_by: str | None = None
    scopes: str | None = None


def save_token(
    session: Session,
    account_id: int,
    tokens: TokenPair,
    secret_key: str,
    grant: Grant | None = None,
) -> None:
    """Store an account's tokens encrypted with ``secret_key`` (never in clear). A refresh
    keeps the grant; a new connection (``grant``) records who made it and when."""
    row = session.get(AccountToken, account_id)
    if row is None:
        row = AccountToken(account_id=account_id)
        session.add(row)
    row.access_token_enc = encrypt(secret_key, tokens.access_token)
    row.refresh_token_enc = (
        encrypt(secret_key, tokens.refresh_token) if tokens.refresh_token else None
    )
    row.access_expires_at = tokens.access_expires_at
    row.refresh_expires_at = tokens.refresh_expires_at
    row.updated_at = utcnow()
    if grant is not None:
        row.source, row.connected_by, row.scopes = grant.source, grant.connected_by, grant.scopes
        row.connected_at = row.updated_at
    session.flush()


def load_tokens(session: Session, secret_key: str) -> dict[int, TokenPair]:
    """Every stored token pair, decrypted, by account id."""
    out: dict[int, TokenPair] = {}
    for row in session.scalars(select(AccountToken)):
        refresh = decrypt(secret_key, row.refresh_token_enc) if row.refresh_token_enc else None
        out[row.account_id] = TokenPair(
            decrypt(secret_key, row.access_token_enc),
            refresh,
            row.access_expires_at,
            row.refresh_expires_at,
        )
    return out
