"""The credential check for tokens that account owners connected: TikTok (``user/info/``),
YouTube channels (``channels?mine=true``), and a stored token that cannot be decrypted.

Meta's (Page and Instagram) tokens are in :mod:`collectors.check_meta`. A Google access token
lives an hour; when it has run out the check asks Google for a fresh one with the refresh token
(Google keeps the refresh token, so nothing needs storing) and tests that. TikTok's refresh
tokens rotate, so the check never renews one itself: the caller renews due tokens through the
collection's own path first, which stores them.
"""

from __future__ import annotations

from typing import Any

import httpx

from collectors.base import CollectorError, ConfigError, QuotaExceeded
from collectors.check import CheckResult, Probe, StoredToken, failed
from collectors.errors import AccountAuthError, classify_tiktok, classify_youtube, make
from collectors.http import RequestHelper
from collectors.parsing import as_dict, to_str
from collectors.tiktok import app_configured
from core import fmt
from core.settings import Settings

RECONNECT = "Minta admin OPD menyambungkan ulang akun ini di halaman Sambungkan Akun."


def unreadable_token(platform: str, handle: str, key_missing: bool) -> CheckResult:
    """A stored token that ``PANTAU_SECRET_KEY`` cannot open."""
    if key_missing:
        detail = (
            "Token akun ini tersimpan terenkripsi, tetapi PANTAU_SECRET_KEY kosong sehingga "
            "token tidak dapat dibuka."
        )
        fix = "Isi PANTAU_SECRET_KEY dengan kunci yang dipakai saat token disimpan, atau "
    else:
        detail = (
            "Token akun ini tidak dapat dibuka dengan PANTAU_SECRET_KEY yang sekarang (kuncinya "
            "berbeda dengan saat token disimpan)."
        )
        fix = "Pasang lagi PANTAU_SECRET_KEY yang lama, atau "
    fix += "minta admin OPD menyambungkan ulang akun ini di halaman Sambungkan Akun."
    return CheckResult(platform, False, detail, fix, account=handle)


def _lapsed(token: StoredToken, probe: Probe) -> bool:
    return token.access_expires_at is not None and token.access_expires_at <= probe.now


# --- TikTok -----------------------------------------------------------------------------------


def check_tiktok_token(probe: Probe, settings: Settings, token: StoredToken) -> CheckResult:
    """One ``user/info/`` with the account's access token."""
    renewable = app_configured(settings) and bool(token.refresh_token)
    ends = token.refresh_expires_at if renewable else token.access_expires_at
    helper = RequestHelper(probe.client, "tiktok", classify_tiktok, probe.options)
    url = f"{settings.tiktok_base_url.rstrip('/')}/user/info/"
    headers = {"Authorization": f"Bearer {token.access_token}"}
    try:
        helper.request_json("GET", url, params={"fields": "open_id"}, headers=headers)
    except AccountAuthError:
        if _lapsed(token, probe):
            since = fmt.date_time(token.access_expires_at, settings.tz)
            detail = f"Token akun kedaluwarsa sejak {since} dan tidak dapat diperbarui otomatis."
        else:
            detail = "TikTok menolak token akun ini: izinnya dicabut atau tidak berlaku lagi."
        fix = RECONNECT
        if not app_configured(settings):
            fix += (
                " Isi juga PANTAU_TIKTOK_CLIENT_KEY dan PANTAU_TIKTOK_CLIENT_SECRET agar token "
                "diperbarui otomatis."
            )
        return CheckResult("tiktok", False, detail, fix, ends, token.handle)
    except CollectorError as exc:
        return failed("tiktok", exc, account=token.handle, expires_at=ends)
    detail = "Token akun berlaku."
    if renewable:
        detail += " Pantau memperbaruinya otomatis sebelum kedaluwarsa."
    return CheckResult("tiktok", True, detail, "", ends, token.handle)


# --- YouTube (Google OAuth) -------------------------------------------------------------------


def _classify_google_token(response: httpx.Response, body: Any) -> CollectorError | None:
    """Google's token endpoint: ``{"error": "invalid_grant", ...}`` and friends."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, str):
        return None
    if error in ("invalid_client", "unauthorized_client"):
        return make(ConfigError, "youtube", response, f"token endpoint: {error}")
    return make(AccountAuthError, "youtube", response, f"token endpoint: {error}", "account_auth")


def _classify_owner_call(response: httpx.Response, body: Any) -> CollectorError | None:
    """The Data API with an owner's token: a 401 is that token's problem, not the API key's."""
    if response.status_code == 401:
        return make(AccountAuthError, "youtube", response, "owner token refused", "account_auth")
    return classify_youtube(response, body)


def _fresh_access(probe: Probe, settings: Settings, refresh_token: str) -> str:
    """A new access token for the refresh token (not stored: the check only tests it)."""
    helper = RequestHelper(probe.client, "youtube", _classify_google_token, probe.options)
    form = {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "client_id": settings.google_client_id.strip(),
        "client_secret": settings.google_client_secret.strip(),
    }
    body = helper.request_json("POST", settings.google_token_url, data=form)
    access = to_str(as_dict(body).get("access_token"))
    if not access:
        raise AccountAuthError("youtube: no access token in the refresh answer", RECONNECT)
    return access


def check_youtube_token(probe: Probe, settings: Settings, token: StoredToken) -> CheckResult:
    """``channels?mine=true`` (1 quota unit) with the owner's token, renewed first when the
    stored access token has run out."""
    access = token.access_token
    google_app = bool(settings.google_client_id.strip() and settings.google_client_secret.strip())
    try:
        if _lapsed(token, probe) and token.refresh_token:
            if not google_app:
                return CheckResult(
                    "youtube", False,
                    "Token akses kanal ini kedaluwarsa dan tidak dapat diperbarui: "
                    "PANTAU_GOOGLE_CLIENT_ID dan PANTAU_GOOGLE_CLIENT_SECRET kosong.",
                    "Isi PANTAU_GOOGLE_CLIENT_ID dan PANTAU_GOOGLE_CLIENT_SECRET dari OAuth client "
                    "di Google Cloud Console.",
                    account=token.handle,
                )  # fmt: skip
            access = _fresh_access(probe, settings, token.refresh_token)
        helper = RequestHelper(probe.client, "youtube", _classify_owner_call, probe.options)
        url = f"{settings.youtube_base_url.rstrip('/')}/channels"
        headers = {"Authorization": f"Bearer {access}"}
        helper.request_json("GET", url, params={"part": "id", "mine": "true"}, headers=headers)
    except AccountAuthError:
        detail = "Google menolak token kanal ini: izinnya dicabut atau sudah kedaluwarsa."
        return CheckResult("youtube", False, detail, RECONNECT, account=token.handle)
    except ConfigError:
        return CheckResult(
            "youtube", False,
            "Google menolak PANTAU_GOOGLE_CLIENT_ID dan PANTAU_GOOGLE_CLIENT_SECRET saat "
            "memperbarui token kanal ini.",
            "Salin ulang client ID dan client secret OAuth dari Google Cloud Console, lalu uji "
            "lagi.",
            account=token.handle,
        )  # fmt: skip
    except QuotaExceeded:
        detail = "Kuota YouTube habis, jadi token kanal ini belum dapat diuji."
        fix = "Uji lagi setelah kuota diatur ulang (tengah malam waktu Pasifik)."
        return CheckResult("youtube", False, detail, fix, account=token.handle)
    except CollectorError as exc:
        return failed("youtube", exc, account=token.handle)
    detail = "Token kanal berlaku."
    if token.refresh_token:
        detail += " Pantau memperbaruinya dengan refresh token saat diperlukan."
    return CheckResult("youtube", True, detail, account=token.handle)
