"""The credential check's live calls (`cli.py check`, Pengaturan's "Uji koneksi"): one cheap call
per office credential, read into a plain :class:`CheckResult`.

Fetching only: every function takes the injected ``httpx.Client`` and sends through
:class:`~collectors.http.RequestHelper` with the caller's short policy; nothing is stored.
``detail`` and ``fix`` are plain Indonesian for the office. No result ever carries a token, a key,
a request URL or a platform's own error text (which may echo a token). Meta's calls are in
:mod:`collectors.check_meta`, the per-account tokens' in :mod:`collectors.check_tokens`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from collectors.base import AuthError, CollectorError, ConfigError, QuotaExceeded
from collectors.errors import classify_x, classify_youtube, make
from collectors.http import HttpOptions, RequestHelper
from collectors.messages import NAMES
from collectors.parsing import as_dict, as_list, to_int
from collectors.youtube import CHANNEL_ID
from core import fmt
from core.settings import Settings

PACIFIC = ZoneInfo("America/Los_Angeles")  # YouTube's quota day ends at midnight here
X_NO_READ_REASON = "client-not-enrolled"
X_LEGACY_NO_ACCESS = 453  # "You currently have access to a subset of X API V2 endpoints"
X_PROBE_USER = "X"  # looked up when the registry has no X account

_GENERIC = {
    "transient": (
        "{name} tidak menjawab atau sedang bermasalah saat diuji.",
        "Uji lagi beberapa menit lagi. Jika tetap gagal, periksa sambungan internet server Pantau.",
    ),
    "rate_limited": (
        "{name} sedang membatasi permintaan dari Pantau, jadi uji ini belum dapat selesai.",
        "Uji lagi nanti. Pengambilan data tetap berjalan dan menunggu sendiri bila dibatasi.",
    ),
    "malformed": (
        "Jawaban {name} tidak dapat dibaca (formatnya tidak seperti biasanya).",
        "Uji lagi nanti. Jika tetap gagal, laporkan kepada pengelola server Pantau.",
    ),
    "not_found": (
        "{name} tidak menemukan akun yang dipakai untuk uji ini.",
        "Periksa nama akun di daftar OPD, lalu uji lagi.",
    ),
    "auth": (
        "{name} menolak kredensial ini.",
        "Periksa kredensial {name} di berkas pengaturan server Pantau.",
    ),
    "config": (
        "Pengaturan {name} belum lengkap atau ditolak.",
        "Periksa pengaturan {name} di berkas pengaturan server Pantau.",
    ),
    "quota": (
        "Kuota {name} sudah habis.",
        "Tunggu kuota diatur ulang; pengambilan data dilanjutkan otomatis.",
    ),
}


@dataclass(frozen=True)
class CheckResult:
    """One row of the check: does the credential (or an account's token) work, and if not,
    what to do. ``ok`` is None for a credential that is not configured, so not checked."""

    platform: str
    ok: bool | None
    detail: str
    fix: str = ""
    expires_at: datetime | None = None  # aware; None: no known end
    account: str | None = None  # the account's handle, for a per-account token
    credential: str = ""  # the settings an office credential is read from


@dataclass(frozen=True)
class StoredToken:
    """An account's stored token, decrypted by the caller; never shown, never in a result."""

    platform: str
    handle: str
    node: str | None  # the account's platform id, when Pantau has learnt it
    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    access_expires_at: datetime | None = None
    refresh_expires_at: datetime | None = None


@dataclass(frozen=True)
class Probe:
    """What an office check needs besides the settings: the client, the policy, the time."""

    client: httpx.Client = field(repr=False)
    options: HttpOptions
    now: datetime  # aware


def failed(
    platform: str,
    error: CollectorError,
    *,
    credential: str = "",
    account: str | None = None,
    expires_at: datetime | None = None,
) -> CheckResult:
    """A failure the check has no specific words for, by its error class."""
    detail, fix = _GENERIC.get(error.error_class, _GENERIC["transient"])
    name = NAMES.get(platform, platform)
    return CheckResult(
        platform, False, detail.format(name=name), fix.format(name=name),
        expires_at, account, credential,
    )  # fmt: skip


def app_keys_result(
    platform: str, values: dict[str, str], unset: tuple[str, str], works: str
) -> CheckResult:
    """An app's id and secret (``values``: env name -> value): not set (``unset``: detail and
    fix), half set, or set (``works``)."""
    credential = ", ".join(values)
    missing = [name for name, value in values.items() if not value.strip()]
    if len(missing) == len(values):
        return CheckResult(platform, None, unset[0], unset[1], credential=credential)
    if missing:
        empty = " dan ".join(missing)
        return CheckResult(
            platform, False, f"Pengaturan aplikasi belum lengkap: {empty} kosong.",
            f"Isi {empty} dari halaman aplikasi di situs pengembang platformnya, lalu uji lagi.",
            credential=credential,
        )  # fmt: skip
    return CheckResult(platform, True, works, credential=credential)


# --- YouTube: one channels.list call (1 quota unit) ------------------------------------------

YOUTUBE_KEY = "PANTAU_YOUTUBE_API_KEY"


def quota_reset(now: datetime) -> datetime:
    """The next midnight in Pacific time after ``now``: when Google renews YouTube's quota
    (14.00 WIB while California keeps summer time, 15.00 WIB otherwise)."""
    day = now.astimezone(PACIFIC).date() + timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=PACIFIC)


def check_youtube(
    probe: Probe, settings: Settings, channel: tuple[str, str | None] | None, used_today: int
) -> CheckResult:
    """The API key with one ``channels.list`` (a registry channel when there is one), and the
    units left today by the budget Pantau keeps (``used_today``)."""
    key = settings.youtube_api_key.strip()
    if not key:
        return CheckResult(
            "youtube", None,
            "Belum diatur: PANTAU_YOUTUBE_API_KEY kosong, jadi data YouTube tidak diambil.",
            "Buat kunci API di Google Cloud Console (aktifkan YouTube Data API v3), lalu isi "
            "PANTAU_YOUTUBE_API_KEY.",
            credential=YOUTUBE_KEY,
        )  # fmt: skip
    params = {"part": "id", "key": key, **_channel_param(channel)}
    helper = RequestHelper(probe.client, "youtube", classify_youtube, probe.options)
    reset = fmt.date_time(quota_reset(probe.now), settings.tz)
    url = f"{settings.youtube_base_url.rstrip('/')}/channels"
    try:
        helper.request_json("GET", url, params=params)
    except QuotaExceeded:
        return CheckResult(
            "youtube", False,
            "Kuota YouTube habis: Google menolak permintaan karena kuota harian proyek sudah "
            "terpakai.",
            f"Tunggu kuota diatur ulang pada {reset} (tengah malam waktu Pasifik); pengambilan "
            "data YouTube dilanjutkan otomatis. Jika kuota sering habis, ajukan tambahan kuota "
            "di Google Cloud Console.",
            credential=YOUTUBE_KEY,
        )  # fmt: skip
    except AuthError:
        return CheckResult(
            "youtube", False,
            "Kunci API YouTube (PANTAU_YOUTUBE_API_KEY) tidak valid atau sudah tidak berlaku.",
            "Periksa atau buat ulang kunci API di Google Cloud Console (APIs & Services > "
            "Credentials), lalu ganti PANTAU_YOUTUBE_API_KEY.",
            credential=YOUTUBE_KEY,
        )  # fmt: skip
    except ConfigError:
        return CheckResult(
            "youtube", False,
            "YouTube Data API v3 belum diaktifkan di proyek Google Cloud pemilik kunci ini.",
            "Aktifkan YouTube Data API v3 di Google Cloud Console (APIs & Services > Library), "
            "lalu uji lagi.",
            credential=YOUTUBE_KEY,
        )  # fmt: skip
    except CollectorError as exc:
        return failed("youtube", exc, credential=YOUTUBE_KEY)
    limit = int(settings.youtube_daily_quota)
    left = max(0, limit - used_today - 1)
    return CheckResult(
        "youtube", True,
        f"Kunci API berlaku. Sisa kuota hari ini menurut catatan Pantau: {fmt.number(left)} "
        f"dari {fmt.number(limit)} unit (uji ini memakai 1 unit); kuota diatur ulang pada "
        f"{reset}.",
        credential=YOUTUBE_KEY,
    )  # fmt: skip


def _channel_param(channel: tuple[str, str | None] | None) -> dict[str, str]:
    if channel is None:
        return {"id": "UCBR8-60-B28hp2BmDPdntcQ"}  # YouTube's own channel
    handle, channel_id = channel
    if channel_id and CHANNEL_ID.fullmatch(channel_id):
        return {"id": channel_id}
    return {"forHandle": "@" + handle.lstrip("@")}


# --- X: one user lookup -----------------------------------------------------------------------

X_CREDENTIAL = "PANTAU_X_BEARER_TOKEN"


class NoReadAccess(AuthError):
    """X accepted the token, but the app's plan may not read (the free plan is write-only)."""


def classify_x_check(response: httpx.Response, body: Any) -> CollectorError | None:
    """X's own classifier, plus the 403 of an app whose plan has no read access."""
    if response.status_code == 403 and isinstance(body, dict):
        legacy = {to_int(as_dict(e).get("code")) for e in as_list(body.get("errors"))}
        if body.get("reason") == X_NO_READ_REASON or X_LEGACY_NO_ACCESS in legacy:
            return make(NoReadAccess, "x", response, "the app's plan has no read access", "auth")
    return classify_x(response, body)


def check_x(probe: Probe, settings: Settings, username: str | None) -> CheckResult:
    """The bearer token with one user lookup (a registry account when there is one)."""
    token = settings.x_bearer_token.strip()
    if not token:
        return CheckResult(
            "x", None, "Belum diatur: PANTAU_X_BEARER_TOKEN kosong, jadi data X tidak diambil.",
            "Buat aplikasi di X Developer Portal, salin Bearer Token-nya, lalu isi "
            "PANTAU_X_BEARER_TOKEN.",
            credential=X_CREDENTIAL,
        )  # fmt: skip
    helper = RequestHelper(probe.client, "x", classify_x_check, probe.options)
    url = f"{settings.x_base_url.rstrip('/')}/users/by/username/{username or X_PROBE_USER}"
    headers = {"Authorization": f"Bearer {token}"}
    try:
        response = helper.request("GET", url, params={"user.fields": "id"}, headers=headers)
    except NoReadAccess:
        return CheckResult(
            "x", False,
            "X tanpa akses baca pada paket gratis: token X diterima, tetapi paket aplikasinya "
            "tidak boleh membaca akun.",
            "Di X Developer Portal, beli kredit (bayar sesuai pemakaian) atau pilih paket yang "
            "memberi akses baca untuk aplikasi pemilik PANTAU_X_BEARER_TOKEN, lalu uji lagi.",
            credential=X_CREDENTIAL,
        )  # fmt: skip
    except QuotaExceeded:
        return CheckResult(
            "x", False, "Batas pemakaian X API (kredit atau batas bulanan) sudah tercapai.",
            "Tambah kredit di X Developer Portal, atau tunggu batas bulanan diatur ulang.",
            credential=X_CREDENTIAL,
        )  # fmt: skip
    except AuthError:
        return CheckResult(
            "x", False, "Token X (PANTAU_X_BEARER_TOKEN) tidak valid atau sudah dicabut.",
            "Buat ulang Bearer Token di X Developer Portal (Keys and tokens), lalu ganti "
            "PANTAU_X_BEARER_TOKEN.",
            credential=X_CREDENTIAL,
        )  # fmt: skip
    except CollectorError as exc:
        return failed("x", exc, credential=X_CREDENTIAL)
    return CheckResult(
        "x", True, "Token X berlaku dan dapat membaca akun." + _x_allowance(response),
        credential=X_CREDENTIAL,
    )  # fmt: skip


def _x_allowance(response: httpx.Response) -> str:
    left = to_int(response.headers.get("x-rate-limit-remaining", "").strip())
    limit = to_int(response.headers.get("x-rate-limit-limit", "").strip())
    if left is None or limit is None:
        return ""
    return f" Sisa batas permintaan 15 menit ini: {fmt.number(left)} dari {fmt.number(limit)}."


# --- apps whose keys are checked only when a token is renewed ---------------------------------


def tiktok_app_result(settings: Settings) -> CheckResult:
    """TikTok's client key and secret: TikTok checks them only when a token is issued or renewed."""
    values = {
        "PANTAU_TIKTOK_CLIENT_KEY": settings.tiktok_client_key,
        "PANTAU_TIKTOK_CLIENT_SECRET": settings.tiktok_client_secret,
    }
    unset = (
        "Belum diatur: tanpa aplikasi TikTok, token akun TikTok tidak dapat dibuat atau "
        "diperbarui.",
        "Daftarkan aplikasi di TikTok for Developers (Login Kit), lalu isi "
        "PANTAU_TIKTOK_CLIENT_KEY dan PANTAU_TIKTOK_CLIENT_SECRET.",
    )
    works = (
        "Client key dan client secret terisi. TikTok memeriksanya saat token akun diperbarui; "
        "hasilnya tampak pada baris token akun TikTok."
    )
    return app_keys_result("tiktok", values, unset, works)


def google_app_result(settings: Settings) -> CheckResult:
    """Google's OAuth client: optional, for channels their owners connect."""
    values = {
        "PANTAU_GOOGLE_CLIENT_ID": settings.google_client_id,
        "PANTAU_GOOGLE_CLIENT_SECRET": settings.google_client_secret,
    }
    unset = (
        "Belum diatur (tidak wajib): kanal YouTube dibaca sebagai data publik dengan kunci API.",
        "Untuk menyambungkan kanal milik OPD, buat OAuth client di Google Cloud Console, lalu "
        "isi PANTAU_GOOGLE_CLIENT_ID dan PANTAU_GOOGLE_CLIENT_SECRET.",
    )
    works = (
        "Client ID dan client secret Google terisi. Google memeriksanya saat kanal disambungkan "
        "atau tokennya diperbarui; hasilnya tampak pada baris token kanal YouTube."
    )
    return app_keys_result("youtube", values, unset, works)
