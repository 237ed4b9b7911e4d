"""The credential check (issue #15): `cli.py check` and Pengaturan's "Uji koneksi".

Every office credential in the settings and every stored account token gets one cheap live call
(:mod:`collectors.check`, :mod:`collectors.check_meta`, :mod:`collectors.check_tokens`), run in
parallel; each gives one row: ``platform, account, ok, detail, fix, expires_at``.

Decisions:

- A credential that is not set is listed with ``ok`` None ("belum diatur", with how to set it)
  and left out of the exit status: :func:`exit_status` is 0 when every configured credential and
  every stored token works (also when nothing is configured at all), 1 when one fails. A note on
  a registry account (an Instagram account that is not professional, Pages unreadable without
  Page Public Content Access) is said in ``detail`` and ``fix`` of a working row: not a failure.
- ``account`` is the handle of a per-account token, None for the office's credentials (whose
  settings' names the row's ``credential`` holds). ``expires_at`` is ISO 8601 in local time
  (WIB), None when unknown or never; for a renewable token it is when renewing ends.
- A stored token that cannot be decrypted is a failed row with its fix, never a crash. The demo
  world's tokens (the simulator's, sealed with a throw-away key) are listed, not tested.
- The only write: TikTok access tokens that are due are renewed first through the collection's
  own path (TikTok refresh tokens rotate, so a renewal must be stored at once); the check then
  tests the renewed token. Nothing else is stored: not even the YouTube unit a check spends.
- No row carries a token, a key or a platform's error text (the collectors never put one there).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from collectors.base import CollectorError
from collectors.check import (
    CheckResult,
    Probe,
    StoredToken,
    check_x,
    check_youtube,
    google_app_result,
    tiktok_app_result,
)
from collectors.check_meta import (
    AppOutcome,
    TokenDebug,
    app_configured,
    check_facebook,
    check_instagram,
    check_meta_token,
    debug_token,
    meta_app_result,
)
from collectors.check_tokens import check_tiktok_token, check_youtube_token, unreadable_token
from collectors.http import HttpOptions, build_client
from collectors.service import load_youtube_budget, refresh_expiring_tokens
from core.crypto import SecretKeyError, decrypt
from core.settings import Settings
from core.timeutil import utcnow
from db import queries
from db.models import Account, AccountToken

RECORD_KEYS = ("platform", "account", "ok", "detail", "fix", "expires_at")
WORKERS = 8  # checks in flight at once: each is one or two short calls
META_TOKENS = ("facebook", "instagram")


def quick_options() -> HttpOptions:
    """A check answers within seconds: one retry at most, no long waits for rate limits."""
    return HttpOptions(max_attempts=2, max_wait=5.0, backoff_initial=0.5, backoff_max=2.0)


@dataclass(frozen=True)
class Registry:
    """The registry's active accounts per platform, ``(handle, platform id)``: accounts Pantau
    has read before (their id is known) first, so a check tries a readable one."""

    accounts: dict[str, list[tuple[str, str | None]]]

    def handles(self, platform: str) -> list[str]:
        return [handle for handle, _ in self.accounts.get(platform, [])]

    def first(self, platform: str) -> tuple[str, str | None] | None:
        return next(iter(self.accounts.get(platform, [])), None)


def registry(session: Session) -> Registry:
    frame = queries.accounts_frame(session, active_only=True)
    frame = frame[frame["handle"].astype(str) != ""]
    accounts: dict[str, list[tuple[str, str | None]]] = {}
    known_first = frame.assign(unknown=frame["platform_id"].isna()).sort_values(
        ["unknown", "opd_code", "handle"], kind="stable"
    )
    for row in known_first.itertuples():
        pid = None if row.unknown else str(row.platform_id)
        accounts.setdefault(str(row.platform), []).append((str(row.handle), pid))
    return Registry(accounts)


DEMO_TOKEN = (
    "Akun data demo: tokennya dibuat oleh simulator Pantau untuk demo, jadi tidak diuji.",
    "Hapus data demo di Pengaturan, lalu minta admin OPD menyambungkan akun sungguhan di "
    "halaman Sambungkan Akun.",
)


def stored_tokens(
    session: Session, secret_key: str, demo: bool = False
) -> list[StoredToken | CheckResult]:
    """Every stored token, decrypted; one that cannot be is already its (failed) result. The
    demo world's tokens are the simulator's, sealed with a throw-away key: listed, not tested."""
    rows = session.execute(
        select(AccountToken, Account.platform, Account.handle, Account.platform_id)
        .join(Account, Account.id == AccountToken.account_id)
        .order_by(Account.platform, Account.handle)
    ).all()
    out: list[StoredToken | CheckResult] = []
    for row, platform, handle, platform_id in rows:
        if demo:
            out.append(CheckResult(platform, None, *DEMO_TOKEN, account=handle))
            continue
        try:
            refresh = decrypt(secret_key, row.refresh_token_enc) if row.refresh_token_enc else None
            access = decrypt(secret_key, row.access_token_enc)
        except SecretKeyError:
            out.append(unreadable_token(platform, handle, not secret_key.strip()))
            continue
        out.append(StoredToken(
            platform, handle, platform_id, access, refresh,
            row.access_expires_at, row.refresh_expires_at,
        ))  # fmt: skip
    return out


def run_check(
    session: Session,
    settings: Settings,
    transport: httpx.BaseTransport | None = None,
    http_options: HttpOptions | None = None,
    now: datetime | None = None,
) -> list[CheckResult]:
    """Check everything; the office's credentials first, then the tokens by platform and
    account. ``transport`` None: the real platforms."""
    options = http_options or quick_options()
    accounts = registry(session)
    used_today = load_youtube_budget(session, settings).used
    demo = queries.is_demo(session)
    with build_client(settings, transport) as client:
        if not demo:
            refresh_expiring_tokens(session, client, settings, options)
        tokens = stored_tokens(session, settings.secret_key, demo)
        probe = Probe(client, options, now or utcnow())
        jobs = _jobs(probe, settings, accounts, tokens, used_today)
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            return list(pool.map(lambda job: job(), jobs))


def _jobs(
    probe: Probe,
    settings: Settings,
    accounts: Registry,
    tokens: Sequence[StoredToken | CheckResult],
    used_today: int,
) -> list[Callable[[], CheckResult]]:
    meta_tokens = [t for t in tokens if isinstance(t, StoredToken) and t.platform in META_TOKENS]
    office, app = _office_debug(probe, settings, meta_tokens)
    debug = app.tested and app.error is None
    with_token = {_holder(t) for t in tokens if t.platform == "facebook"}
    page = next(((h, pid or h) for h, pid in accounts.accounts.get("facebook", [])
                 if h not in with_token), None)  # fmt: skip
    connected = sum(1 for h, _ in accounts.accounts.get("facebook", []) if h in with_token)
    jobs: list[Callable[[], CheckResult]] = [
        lambda: check_instagram(probe, settings, accounts.handles("instagram"), office),
        lambda: check_facebook(probe, settings, page, connected, office),
        lambda: meta_app_result(settings, app),
        lambda: check_youtube(probe, settings, accounts.first("youtube"), used_today),
        lambda: google_app_result(settings),
        lambda: check_x(probe, settings, next(iter(accounts.handles("x")), None)),
        lambda: tiktok_app_result(settings),
    ]
    for token in tokens:
        jobs.append(_token_job(probe, settings, token, debug))
    return jobs


def _holder(token: StoredToken | CheckResult) -> str | None:
    return token.handle if isinstance(token, StoredToken) else token.account


def _token_job(
    probe: Probe, settings: Settings, token: StoredToken | CheckResult, debug: bool
) -> Callable[[], CheckResult]:
    if isinstance(token, CheckResult):
        return lambda: token
    if token.platform in META_TOKENS:
        return lambda: check_meta_token(probe, settings, token, debug)
    if token.platform == "youtube":
        return lambda: check_youtube_token(probe, settings, token)
    if token.platform == "tiktok":
        return lambda: check_tiktok_token(probe, settings, token)
    return lambda: CheckResult(
        token.platform, None, "Token akun ini tersimpan, tetapi Pantau tidak memakainya.",
        account=token.handle,
    )  # fmt: skip


def _office_debug(
    probe: Probe, settings: Settings, meta_tokens: Iterable[StoredToken]
) -> tuple[TokenDebug | None, AppOutcome]:
    """``debug_token`` once before the rest: for the office token (or, without one, the first
    connected Meta token), which also tells whether the app's id and secret work."""
    if not app_configured(settings):
        return None, AppOutcome()
    office = settings.meta_token.strip()
    token = office or next((t.access_token for t in meta_tokens), "")
    if not token:
        return None, AppOutcome()
    try:
        found = debug_token(probe, settings, token)
    except CollectorError as exc:
        return None, AppOutcome(tested=True, error=exc)
    return (found if office else None), AppOutcome(tested=True)


def exit_status(results: Iterable[CheckResult]) -> int:
    """0 when no configured credential failed, 1 otherwise."""
    return 1 if any(r.ok is False for r in results) else 0


def local_iso(moment: datetime | None, tz: ZoneInfo) -> str | None:
    return None if moment is None else moment.astimezone(tz).isoformat(timespec="seconds")


def as_records(results: Iterable[CheckResult], tz: ZoneInfo) -> list[dict[str, object]]:
    """The rows for JSON: :data:`RECORD_KEYS`, an empty ``fix`` as None."""
    return [
        dict(zip(RECORD_KEYS, (
            r.platform, r.account, r.ok, r.detail, r.fix or None, local_iso(r.expires_at, tz)
        ), strict=True))
        for r in results
    ]  # fmt: skip
