"""Wire a collection pass together: client, collectors, shared retry policy and quotas.

The YouTube quota is per day (Google resets it at midnight Pacific time), so the units spent
are remembered in the database between passes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import httpx
from sqlalchemy.orm import Session, sessionmaker

from collectors import REGISTRY, collector_for
from collectors.base import Collector, CollectorError
from collectors.http import HttpOptions, build_client
from collectors.run import AccountOutcome, PassOptions, PassReport, collect_pass
from collectors.tiktok import refresh_access_token
from collectors.youtube import QuotaBudget
from core.crypto import SecretKeyError
from core.settings import Settings
from core.timeutil import utcnow
from db import repository as repo
from db import tokens as token_store
from ingest.handles import normalise_handle, normalise_platform

PACIFIC = timezone(timedelta(hours=-8))
REFRESH_MARGIN = timedelta(minutes=30)  # YouTube's quota day; close enough across DST


def quota_key(now: datetime | None = None) -> str:
    return f"youtube_quota_used:{(now or utcnow()).astimezone(PACIFIC).date().isoformat()}"


def load_youtube_budget(session: Session, settings: Settings) -> QuotaBudget:
    used = int(repo.get_meta(session, quota_key()) or 0)
    return QuotaBudget(daily_limit=int(settings.youtube_daily_quota), used=used)


def pass_options(
    settings: Settings,
    platforms: frozenset[str] | None = None,
    opd_code: str | None = None,
    account_ids: frozenset[int] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> PassOptions:
    conc = settings.concurrency_map()
    default = conc.pop("default")
    return PassOptions(
        platforms, opd_code, int(settings.refresh_days), conc, default, account_ids, should_stop
    )


def run_collection(
    factory: sessionmaker[Session],
    settings: Settings,
    options: PassOptions,
    transport: httpx.BaseTransport | None = None,
    http_options: HttpOptions | None = None,
    on_outcome: Callable[[AccountOutcome], None] | None = None,
) -> tuple[PassReport, int]:
    """One pass; returns its report and the number of HTTP requests it made."""
    http_options = http_options or HttpOptions()
    with factory() as session:
        budget = load_youtube_budget(session, settings)

    def make(platform: str) -> Callable[[httpx.Client, Settings], Collector]:
        def build(client: httpx.Client, cfg: Settings) -> Collector:
            return collector_for(platform, client, cfg, options=http_options, youtube_budget=budget)

        return build

    registry = {platform: make(platform) for platform in REGISTRY}
    with build_client(settings, transport) as client:
        if options.platforms is None or "tiktok" in options.platforms:
            with factory() as session:
                refresh_expiring_tokens(session, client, settings, http_options)
        report = collect_pass(factory, client, settings, registry, options, on_outcome)
    with factory() as session:
        repo.set_meta(session, quota_key(), str(budget.used))
        session.commit()
    return report, http_options.counter.count


TOKEN_PLATFORMS = ("tiktok", "facebook")  # `token set`; Sambungkan Akun also stores IG/YouTube


def token_platform(text: str) -> str:
    """``tiktok`` or ``facebook`` from their names or aliases (``tt``, ``fb``); ValueError else."""
    try:
        platform = normalise_platform(text)
    except ValueError:
        platform = text.strip()
    if platform not in TOKEN_PLATFORMS:
        raise ValueError(
            f"tokens are stored for tiktok and facebook accounts only, not {platform!r} "
            "(the other platforms use the credentials in the settings)."
        )
    return platform


def store_account_token(
    session: Session,
    settings: Settings,
    platform: str,
    handle: str,
    tokens: list[str],
    expires_in: int | None = None,
) -> str:
    """Seal an account's access (and refresh) token with ``PANTAU_SECRET_KEY``.

    ``platform`` and ``handle`` are read as the registry reads them (``fb``, ``@name``, a
    profile URL); returns the account's handle. ValueError for a platform without account
    tokens or an unusable handle, LookupError for an account not in the registry.
    """
    platform = token_platform(platform)
    ids = repo.account_ids_by_handle(session)
    key = handle.strip()  # a handle exactly as stored is found even if it reads as an address
    if (platform, key) not in ids:
        key, _url = normalise_handle(platform, handle)
    account_id = ids.get((platform, key))
    if account_id is None:
        named = repr(handle) if key == handle else f"{key!r} (from {handle!r})"
        raise LookupError(f"no {platform} account {named} in the registry")
    expiry = utcnow() + timedelta(seconds=expires_in) if expires_in else None
    refresh = tokens[1] if len(tokens) > 1 else None
    pair = token_store.TokenPair(tokens[0], refresh, expiry)
    token_store.save_token(session, account_id, pair, settings.secret_key, token_store.Grant("cli"))
    return key


def refresh_expiring_tokens(
    session: Session,
    client: httpx.Client,
    settings: Settings,
    http_options: HttpOptions | None = None,
    margin: timedelta = REFRESH_MARGIN,
) -> int:
    """Renew TikTok access tokens that expire within ``margin``; returns how many were renewed.

    A refresh that fails leaves the old token: that account's collection then reports the
    token problem in plain words on the health page, and the other accounts go on.
    """
    if not settings.secret_key:
        return 0
    try:
        stored = token_store.load_tokens(session, settings.secret_key)
    except SecretKeyError:
        return 0
    tiktok = {acc for (platform, _), acc in repo.account_ids_by_handle(session).items()
              if platform == "tiktok"}  # fmt: skip
    renewed, now = 0, utcnow()
    for account_id, pair in stored.items():
        expiring = pair.access_expires_at is not None and pair.access_expires_at - now < margin
        if account_id not in tiktok or not pair.refresh_token or not expiring:
            continue
        try:
            fresh = refresh_access_token(client, settings, pair.refresh_token, options=http_options)
        except CollectorError:
            continue
        token_store.save_token(session, account_id, token_store.TokenPair(
            fresh.access_token, fresh.refresh_token or pair.refresh_token,
            now + timedelta(seconds=fresh.expires_in) if fresh.expires_in else None,
            now + timedelta(seconds=fresh.refresh_expires_in) if fresh.refresh_expires_in else None,
        ), settings.secret_key)  # fmt: skip
        session.commit()
        renewed += 1
    return renewed
