"""Sambungkan Akun: an account's owner consents on the platform, Pantau keeps the token.

``start_consent`` makes a random ``state`` (stored as a digest, single use, ten minutes, bound
to the user and the browser's web session; with the PKCE verifier, encrypted, where the
platform supports it) and returns the platform's consent address. ``finish_consent`` takes the
query the platform sends back (``code``, ``state`` or ``error``), checks the state, exchanges
the code, matches what was granted to the registry and stores the tokens encrypted.
``disconnect`` revokes at the platform and deletes the token. Both go to the audit trail (who,
which account, the scopes): nothing here logs or records a token.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
import pandas as pd
from authlib.common.security import generate_token
from sqlalchemy.orm import Session

from core.crypto import SecretKeyError, decrypt, encrypt
from core.settings import Settings
from db import access, audit
from db import repository as repo
from db import tokens as token_store
from db.models import Account, OAuthState
from oauth import PROVIDER_OF_PLATFORM, PROVIDERS, ConsentError, GrantedAccount, Provider
from services.connection_words import REASON_TEXT, consent_text, platform_name
from services.users import Principal
from services.web_sessions import user_id_of

log = logging.getLogger(__name__)
STATE_TTL = timedelta(minutes=10)
CALLBACK_PAGE = "sambungkan_akun"  # the dashboard page the platforms send the owner back to


class ConnectError(Exception):
    """A consent cannot start (not configured, not allowed); the message is Indonesian."""


@dataclass
class ConsentOutcome:
    ok: bool
    message: str  # Indonesian, for the page
    connected: list[str] = field(default_factory=list)  # "Facebook @handle"
    unmatched: list[str] = field(default_factory=list)  # granted but not in the registry


def redirect_uri(settings: Settings) -> str:
    return f"{settings.public_base_url()}/{CALLBACK_PAGE}"


def available_providers(settings: Settings) -> dict[str, bool]:
    """Provider name → whether its app is configured (and tokens can be sealed)."""
    sealable = bool(settings.secret_key)
    return {name: sealable and p.configured(settings) for name, p in PROVIDERS.items()}


def start_consent(
    session: Session,
    settings: Settings,
    user: Principal,
    web_token: str,
    provider_name: str,
    account_id: int | None,
    now: datetime,
) -> str:
    """Record a consent in progress and return the platform's consent address."""
    provider = PROVIDERS[provider_name]
    if not available_providers(settings)[provider_name]:
        raise ConnectError(REASON_TEXT["not_configured"].format(platform=provider.label))
    opd_id = _allowed_opd(session, user, account_id)
    if provider_name == "meta":
        account_id = None  # Meta returns every Page the person manages: match within the OPD
    state = secrets.token_urlsafe(32)
    verifier = generate_token(64) if provider.uses_pkce else None
    user_id = user_id_of(session, user.username)
    if user_id is None or not web_token:
        raise ConnectError(REASON_TEXT["wrong_session"])
    access.forget_old_states(session, now - STATE_TTL)
    access.add_oauth_state(session, OAuthState(
        state_hash=access.digest(state), provider=provider_name, user_id=user_id,
        session_hash=access.digest(web_token), opd_id=opd_id, account_id=account_id,
        code_verifier_enc=encrypt(settings.secret_key, verifier) if verifier else None,
        created_at=now, expires_at=now + STATE_TTL,
    ))  # fmt: skip
    session.commit()
    return provider.authorize_url(settings, redirect_uri(settings), state, verifier)


def _allowed_opd(session: Session, user: Principal, account_id: int | None) -> int | None:
    if not user.sees_everything and user.opd_id is None:
        raise ConnectError(REASON_TEXT["not_yours"])  # its OPD was removed: None means all
    if account_id is None:
        return None if user.sees_everything else user.opd_id
    account = session.get(Account, account_id)
    if account is None or (not user.sees_everything and account.opd_id != user.opd_id):
        raise ConnectError(REASON_TEXT["not_yours"])
    return account.opd_id


def finish_consent(
    session: Session,
    settings: Settings,
    user: Principal,
    web_token: str,
    params: Mapping[str, str],
    now: datetime,
    transport: httpx.BaseTransport | None = None,
) -> ConsentOutcome:
    """Check the returned ``state``, exchange the ``code``, store what matches the registry."""
    row = access.oauth_state(session, params.get("state") or "") if params.get("state") else None
    problem = _state_problem(session, row, user, web_token, now)
    if problem is not None or row is None:
        return ConsentOutcome(False, REASON_TEXT[problem or "unknown_state"])
    row.used_at = now  # single use, even when what follows fails
    session.commit()
    provider = PROVIDERS[row.provider]
    if params.get("error") or not params.get("code"):
        reason = "denied" if params.get("error") else "incomplete"
        return ConsentOutcome(False, consent_text(reason, provider.label))
    verifier = (
        decrypt(settings.secret_key, row.code_verifier_enc) if row.code_verifier_enc else None
    )
    try:
        granted = provider.exchange(
            settings, redirect_uri(settings), params["code"], verifier, transport
        )
    except ConsentError as exc:
        log.warning("consent with %s failed: %s", provider.name, exc)
        return ConsentOutcome(False, consent_text(exc.reason, provider.label))
    return _store(session, settings, user, provider, row, granted, now)


def _state_problem(
    session: Session, row: OAuthState | None, user: Principal, web_token: str, now: datetime
) -> str | None:
    if row is None:
        return "unknown_state"
    if row.used_at is not None:
        return "used_state"
    if row.expires_at <= now:
        return "expired_state"
    same_user = row.user_id == user_id_of(session, user.username)
    if not same_user or row.session_hash != access.digest(web_token or ""):
        return "wrong_session"
    return None


def _store(
    session: Session,
    settings: Settings,
    user: Principal,
    provider: Provider,
    row: OAuthState,
    granted: list[GrantedAccount],
    now: datetime,
) -> ConsentOutcome:
    registry = _registry(session, provider.platforms, row.opd_id)
    outcome = ConsentOutcome(True, "")
    learnt: list[tuple[int, str]] = []
    for item in granted:
        account = _match(registry, item, row.account_id)
        label = f"{platform_name(item.platform)} {item.name or item.username or item.platform_id}"
        if account is None:
            outcome.unmatched.append(label)
            continue
        token_store.save_token(session, int(account["account_id"]), _pair(item, now),
                               settings.secret_key,
                               token_store.Grant("oauth", user.username, item.scopes))  # fmt: skip
        audit.record(session, user.username, "token.connected",
                     f"{item.platform} {account['handle']}", None,
                     {"sumber": "oauth", "izin": item.scopes}, now)  # fmt: skip
        if item.platform_id and not account["platform_id"]:
            learnt.append((int(account["account_id"]), item.platform_id))
        outcome.connected.append(f"{platform_name(item.platform)} @{account['handle']}")
    repo.set_platform_ids(session, learnt)
    session.commit()
    outcome.ok = bool(outcome.connected)
    outcome.message = consent_text("connected" if outcome.ok else "nothing_matched", provider.label)
    return outcome


def _pair(item: GrantedAccount, now: datetime) -> token_store.TokenPair:
    def after(seconds: int | None) -> datetime | None:
        return now + timedelta(seconds=seconds) if seconds else None

    return token_store.TokenPair(
        item.access_token, item.refresh_token,
        after(item.access_expires_in), after(item.refresh_expires_in),
    )  # fmt: skip


def _registry(session: Session, platforms: tuple[str, ...], opd_id: int | None) -> pd.DataFrame:
    frame = access.connection_frame(session, opd_id)
    return frame[frame["platform"].isin(platforms)]


def _match(
    registry: pd.DataFrame, item: GrantedAccount, account_id: int | None
) -> pd.Series | None:
    """The registry account a granted one is: the account the consent was started for, or
    (Meta, many Pages at once) the one with the same platform id or username."""
    same = registry[registry["platform"] == item.platform]
    if account_id is not None:
        chosen = same[same["account_id"] == account_id]
        if chosen.empty:
            return None
        known = chosen.iloc[0]["platform_id"]
        return None if known and item.platform_id and known != item.platform_id else chosen.iloc[0]
    by_id = same[same["platform_id"].astype("string") == (item.platform_id or "\0")]
    if not by_id.empty:
        return by_id.iloc[0]
    name = (item.username or "").lower()
    by_name = same[same["handle"].str.lower() == name] if name else same.iloc[0:0]
    return None if by_name.empty else by_name.iloc[0]


def disconnect(
    session: Session,
    settings: Settings,
    user: Principal,
    account_id: int,
    transport: httpx.BaseTransport | None = None,
) -> str:
    """Revoke the account's token at the platform and delete it (and every copy of the same
    token: a Page token also serves the Page's Instagram account). Returns the message."""
    account = session.get(Account, account_id)
    if account is None or (not user.sees_everything and account.opd_id != user.opd_id):
        raise ConnectError(REASON_TEXT["not_yours"])
    try:
        stored = token_store.load_tokens(session, settings.secret_key)
    except SecretKeyError:
        stored = {}
    token = stored.get(account_id)
    same = [
        acc for acc, pair in stored.items() if token and pair.access_token == token.access_token
    ]
    revoked = _revoke(settings, account.platform, token, transport)
    removed = sorted(set(same) | {account_id})
    access.delete_tokens(session, removed)
    for gone in removed:
        target = session.get(Account, gone)
        name = f"{target.platform} {target.handle}" if target else f"akun {gone}"
        audit.record(session, user.username, "token.disconnected", name,
                     {"tersambung": gone in stored}, {"dicabut_di_platform": revoked})  # fmt: skip
    session.commit()
    return consent_text("disconnected" if revoked else "disconnected_locally", "")


def _revoke(
    settings: Settings,
    platform: str,
    token: token_store.TokenPair | None,
    transport: httpx.BaseTransport | None,
) -> bool:
    provider = PROVIDERS.get(PROVIDER_OF_PLATFORM.get(platform, ""))
    if token is None or provider is None or not provider.configured(settings):
        return False  # nothing we could revoke: an unreadable token, or no consent there
    try:
        # Google revokes a grant by its refresh token; TikTok and Meta by the access token
        grant = token.refresh_token if provider.name == "google" else None
        provider.revoke(settings, grant or token.access_token, transport)
    except ConsentError as exc:
        log.warning("revoking a %s token failed: %s", platform, exc)
        return False
    return True
