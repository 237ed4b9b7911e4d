"""Meta's part of the credential check: the office token (``PANTAU_META_TOKEN``) on Instagram
Business Discovery and on Facebook Pages, the Meta app, and the tokens owners connected.

With ``PANTAU_META_APP_ID`` and ``PANTAU_META_APP_SECRET`` set, ``debug_token`` tells a token's
validity, expiry and scopes without touching any account (owner-access.md §1.7); without them one
cheap Graph read tells whether Meta accepts it. What the office token can see always needs a
read: Business Discovery of one registry Instagram account (an account that is not professional
is a note, not a failure: the token worked) and one registry Page that has no token of its own
(refused: no Page Public Content Access, so only Pages that gave a token are read).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from collectors.base import AuthError, CollectorError, ConfigError, NotFound
from collectors.check import CheckResult, Probe, StoredToken, app_keys_result, failed
from collectors.errors import (
    GRAPH_PROFESSIONAL_SUBCODE,
    GRAPH_THROTTLE_CODES,
    AccountAuthError,
    Classifier,
    graph_classifier,
    make,
)
from collectors.http import RequestHelper
from collectors.parsing import as_dict, as_list, to_int
from collectors.usage import APP_USAGE_HEADERS, BUC_HEADER, meta_usage_percent
from core import fmt
from core.settings import Settings

EXPIRED_SUBCODES = frozenset({463})  # 190/463: "Session has expired"
IG_TRIES = 3  # registry Instagram accounts tried before Business Discovery is given up on
META_CREDENTIAL = "PANTAU_META_TOKEN"
IG_CREDENTIAL = "PANTAU_META_TOKEN, PANTAU_IG_USER_ID"
RECONNECT = "Minta admin OPD menyambungkan ulang akun ini di halaman Sambungkan Akun."


class TokenExpired(AuthError):
    """Graph 190/463: the token's time ran out."""


class NotProfessional(NotFound):
    """Business Discovery 110/2207013: a personal account, or no account by that name."""


class AppRejected(ConfigError):
    """``debug_token`` refused the app's id and secret."""


@dataclass(frozen=True)
class TokenDebug:
    """What ``debug_token`` says of a token."""

    valid: bool
    expired: bool
    expires_at: datetime | None  # None: no expiry (``expires_at: 0``) or not given
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class AppOutcome:
    """How the app's id and secret fared: ``tested`` once a ``debug_token`` call was made."""

    tested: bool = False
    error: CollectorError | None = None


def check_classifier(platform: str, *, account_token: bool = False) -> Classifier:
    """The Graph classifier, telling an expired token and a non-professional account apart."""
    base = graph_classifier(platform, account_token=account_token)

    def classify(response: httpx.Response, body: Any) -> CollectorError | None:
        error = as_dict(body.get("error")) if isinstance(body, dict) else {}
        code, sub = to_int(error.get("code")), to_int(error.get("error_subcode"))
        if code == 190 and sub in EXPIRED_SUBCODES:
            return make(TokenExpired, platform, response, "token expired", "auth")
        if code == 110 or sub == GRAPH_PROFESSIONAL_SUBCODE:
            return make(NotProfessional, platform, response, "not professional", "not_found")
        return base(response, body)

    return classify


def _debug_classifier(response: httpx.Response, body: Any) -> CollectorError | None:
    """An error answer to ``debug_token`` is about the app (a bad token is ``is_valid: false``),
    unless Meta is throttling or failing."""
    error = as_dict(body.get("error")) if isinstance(body, dict) else {}
    if not error:
        return None
    code = to_int(error.get("code"))
    busy = code in GRAPH_THROTTLE_CODES or code == 2 or error.get("is_transient") is True
    if busy or response.status_code >= 500:
        return graph_classifier("facebook")(response, body)
    return make(AppRejected, "facebook", response, f"debug_token refused (code {code})", "config")


def app_configured(settings: Settings) -> bool:
    return bool(settings.meta_app_id.strip() and settings.meta_app_secret.strip())


def debug_token(probe: Probe, settings: Settings, token: str) -> TokenDebug:
    """``GET debug_token`` with the app token ``{app-id}|{app-secret}``."""
    helper = RequestHelper(probe.client, "facebook", _debug_classifier, probe.options)
    app_token = f"{settings.meta_app_id.strip()}|{settings.meta_app_secret.strip()}"
    url = f"{settings.facebook_base_url.rstrip('/')}/debug_token"
    params = {"input_token": token, "access_token": app_token}
    data = as_dict(as_dict(helper.request_json("GET", url, params=params)).get("data"))
    stamp = to_int(data.get("expires_at"))
    expires = datetime.fromtimestamp(stamp, UTC) if stamp else None
    error = as_dict(data.get("error"))
    sub = to_int(error.get("subcode", error.get("error_subcode")))
    valid = data.get("is_valid") is True
    lapsed = expires is not None and expires <= probe.now
    scopes = tuple(str(s) for s in as_list(data.get("scopes")))
    return TokenDebug(valid, not valid and (sub in EXPIRED_SUBCODES or lapsed), expires, scopes)


def meta_app_result(settings: Settings, outcome: AppOutcome) -> CheckResult:
    """The app's id and secret, as the first ``debug_token`` call found them."""
    unset = (
        "Belum diatur: tanpa aplikasi Meta, pemilik Halaman dan akun Instagram tidak dapat "
        "menyambungkannya ke Pantau, dan masa berlaku token Meta tidak dapat diperiksa.",
        "Buat aplikasi di Meta for Developers (Facebook Login for Business), lalu isi "
        "PANTAU_META_APP_ID dan PANTAU_META_APP_SECRET.",
    )
    works = (
        "Aplikasi Meta dikenali: masa berlaku dan izin setiap token Meta diperiksa lewat "
        "debug_token."
        if outcome.tested
        else "ID dan secret aplikasi terisi; belum ada token Meta untuk diperiksa dengannya."
    )
    values = {
        "PANTAU_META_APP_ID": settings.meta_app_id,
        "PANTAU_META_APP_SECRET": settings.meta_app_secret,
    }
    result = app_keys_result("facebook", values, unset, works)
    if not result.ok or outcome.error is None:
        return result
    if not isinstance(outcome.error, AppRejected):
        return failed("facebook", outcome.error, credential=result.credential)
    return CheckResult(
        "facebook", False, "Meta menolak pasangan PANTAU_META_APP_ID dan PANTAU_META_APP_SECRET.",
        "Salin ulang App ID dan App Secret dari Meta for Developers (App settings > Basic), "
        "lalu uji lagi.",
        credential=result.credential,
    )  # fmt: skip


# --- the office token ---------------------------------------------------------------------


def office_token_failure(
    platform: str, expired: bool, credential: str, expires_at: datetime | None
) -> CheckResult:
    if expired:
        detail = "Token Meta (PANTAU_META_TOKEN) kedaluwarsa."
        fix = (
            "Buat token Meta jangka panjang yang baru di Meta for Developers, lalu ganti "
            "PANTAU_META_TOKEN."
        )
    else:
        detail = (
            "Token Meta (PANTAU_META_TOKEN) tidak berlaku: Meta menolaknya (dicabut, salah "
            "salin, atau kata sandi pemiliknya berganti)."
        )
        fix = "Buat token Meta baru di Meta for Developers, lalu ganti PANTAU_META_TOKEN."
    return CheckResult(platform, False, detail, fix, expires_at, credential=credential)


def _office_failure(
    platform: str, error: CollectorError, credential: str, expires_at: datetime | None
) -> CheckResult:
    if isinstance(error, AuthError):
        return office_token_failure(
            platform, isinstance(error, TokenExpired), credential, expires_at
        )
    if platform == "instagram" and isinstance(error, NotFound):
        return CheckResult(
            platform, False,
            "Meta tidak mengenali PANTAU_IG_USER_ID, atau token tidak berhak atas akun itu.",
            "Isi PANTAU_IG_USER_ID dengan ID (angka, bukan nama) akun Instagram profesional "
            "milik Diskominfo yang terhubung ke Halaman Facebook pemilik token.",
            expires_at, credential=credential,
        )  # fmt: skip
    return failed(platform, error, credential=credential, expires_at=expires_at)


def _usage(response: httpx.Response) -> str:
    if not any(name in response.headers for name in (*APP_USAGE_HEADERS, BUC_HEADER)):
        return ""
    return f" Pemakaian batas panggilan Meta: {fmt.percent(meta_usage_percent(response), 0)}."


def check_instagram(
    probe: Probe, settings: Settings, handles: Sequence[str], debug: TokenDebug | None
) -> CheckResult:
    """Business Discovery for the first registry account that is professional (up to
    :data:`IG_TRIES`); the ones that are not are noted on the result."""
    names = {"PANTAU_META_TOKEN": settings.meta_token, "PANTAU_IG_USER_ID": settings.ig_user_id}
    if missing := [env for env, value in names.items() if not value.strip()]:
        return CheckResult(
            "instagram", None,
            f"Belum diatur: {' dan '.join(missing)} kosong, jadi data Instagram tidak diambil.",
            "Isi PANTAU_META_TOKEN dan PANTAU_IG_USER_ID (ID akun Instagram profesional milik "
            "Diskominfo yang terhubung ke Halaman Facebook-nya).",
            credential=IG_CREDENTIAL,
        )  # fmt: skip
    expires = debug.expires_at if debug else None
    if debug is not None and not debug.valid:
        return office_token_failure("instagram", debug.expired, IG_CREDENTIAL, expires)
    helper = RequestHelper(probe.client, "instagram", check_classifier("instagram"), probe.options)
    url = f"{settings.instagram_base_url.rstrip('/')}/{settings.ig_user_id.strip()}"

    def works(detail: str) -> CheckResult:
        return CheckResult("instagram", True, detail, "", expires, credential=IG_CREDENTIAL)

    skipped: list[str] = []
    for handle in handles[:IG_TRIES]:
        try:
            response = _read(helper, url, settings, f"business_discovery.username({handle}){{id}}")
        except NotProfessional:
            skipped.append(handle)
            continue
        except CollectorError as exc:
            return _office_failure("instagram", exc, IG_CREDENTIAL, expires)
        detail = f"Business Discovery aktif: akun {handle} terbaca." + _usage(response)
        return _noted(works(detail), skipped)
    if skipped:
        detail = (
            "Token Meta berlaku, tetapi akun yang dicoba tidak terbaca lewat Business Discovery."
        )
        return _noted(works(detail), skipped)
    try:
        response = _read(helper, url, settings, "id")  # Diskominfo's own account
    except CollectorError as exc:
        return _office_failure("instagram", exc, IG_CREDENTIAL, expires)
    return works(
        "Token Meta dan PANTAU_IG_USER_ID berlaku; belum ada akun Instagram di daftar untuk "
        "mencoba Business Discovery." + _usage(response)
    )


def _read(helper: RequestHelper, url: str, settings: Settings, fields: str) -> httpx.Response:
    params = {"fields": fields, "access_token": settings.meta_token.strip()}
    return helper.request("GET", url, params=params)


def _noted(result: CheckResult, skipped: list[str]) -> CheckResult:
    """The result with a note on the registry accounts that are not professional."""
    if not skipped:
        return result
    names = ", ".join(skipped)
    note = (
        f" Catatan: akun {names} bukan akun profesional (Bisnis/Kreator) atau tidak ditemukan, "
        "jadi tidak dapat dibaca."
    )
    fix = (
        f"Minta admin OPD mengubah akun {names} menjadi akun Bisnis atau Kreator di pengaturan "
        "Instagram, dan periksa nama akunnya di daftar OPD."
    )
    return CheckResult(result.platform, result.ok, result.detail + note, fix, result.expires_at,
                       credential=result.credential)  # fmt: skip


def check_facebook(
    probe: Probe,
    settings: Settings,
    page: tuple[str, str] | None,
    connected: int,
    debug: TokenDebug | None,
) -> CheckResult:
    """The office token on one registry Page without a token of its own (``page``: handle and
    Graph node), which tells whether the app has Page Public Content Access."""
    token = settings.meta_token.strip()
    if not token:
        return CheckResult(
            "facebook", None,
            "Belum diatur: PANTAU_META_TOKEN kosong. Halaman Facebook hanya terbaca lewat token "
            f"Halaman yang disambungkan pemiliknya ({fmt.number(connected)} Halaman).",
            "Isi PANTAU_META_TOKEN, atau minta admin OPD menyambungkan Halamannya di halaman "
            "Sambungkan Akun.",
            credential=META_CREDENTIAL,
        )  # fmt: skip
    expires = debug.expires_at if debug else None
    if debug is not None and not debug.valid:
        return office_token_failure("facebook", debug.expired, META_CREDENTIAL, expires)
    helper = RequestHelper(probe.client, "facebook", check_classifier("facebook"), probe.options)
    url = f"{settings.facebook_base_url.rstrip('/')}/{page[1] if page else 'me'}"
    usage = ""
    try:
        usage = _usage(helper.request("GET", url, params={"fields": "id", "access_token": token}))
    except NotFound:
        if page is not None:
            return _without_ppca(page[0], connected, expires)
    except CollectorError as exc:
        return _office_failure("facebook", exc, META_CREDENTIAL, expires)
    if page is not None:
        detail = (
            "Token Meta berlaku dan dapat membaca Halaman publik (Page Public Content Access "
            f"aktif): Halaman {page[0]} terbaca."
        )
    elif connected:
        detail = "Token Meta berlaku; semua Halaman di daftar memakai token Halaman."
    else:
        detail = "Token Meta berlaku; belum ada Halaman Facebook di daftar untuk dicoba."
    return CheckResult("facebook", True, detail + usage, "", expires, credential=META_CREDENTIAL)


def _without_ppca(handle: str, connected: int, expires: datetime | None) -> CheckResult:
    return CheckResult(
        "facebook", True,
        "Token Meta berlaku, tetapi tanpa Page Public Content Access: hanya Halaman yang memberi "
        f"token yang terbaca ({fmt.number(connected)} Halaman tersambung). Halaman {handle} "
        "tidak dapat dibaca dengan token Meta.",
        "Minta admin OPD menyambungkan Halamannya di halaman Sambungkan Akun, atau ajukan fitur "
        "Page Public Content Access lewat App Review di Meta for Developers.",
        expires, credential=META_CREDENTIAL,
    )  # fmt: skip


# --- tokens the owners connected (a Page token, also used for its Instagram account) ---------


def check_meta_token(
    probe: Probe, settings: Settings, token: StoredToken, debug: bool
) -> CheckResult:
    """One connected token: ``debug_token`` when the app is usable (``debug``), else one read
    of its own account."""
    if debug:
        try:
            found = debug_token(probe, settings, token.access_token)
        except CollectorError as exc:
            return failed(token.platform, exc, account=token.handle)
        expires = found.expires_at or token.access_expires_at
        if not found.valid:
            return _account_refused(token, found.expired, expires)
        scopes = ", ".join(found.scopes) or "tidak disebutkan"
        detail = f"{_what(token)} berlaku; izin yang diberikan: {scopes}."
        return CheckResult(token.platform, True, detail, "", expires, token.handle)
    facebook = token.platform == "facebook"
    base = settings.facebook_base_url if facebook else settings.instagram_base_url
    node = token.node or (token.handle if facebook else "me")
    classify = check_classifier(token.platform, account_token=True)
    helper = RequestHelper(probe.client, token.platform, classify, probe.options)
    params = {"fields": "id", "access_token": token.access_token}
    try:
        helper.request_json("GET", f"{base.rstrip('/')}/{node}", params=params)
    except (AuthError, AccountAuthError) as exc:
        lapsed = token.access_expires_at is not None and token.access_expires_at <= probe.now
        return _account_refused(token, isinstance(exc, TokenExpired) or lapsed, None)
    except NotFound:
        detail = f"{_what(token)} diterima Meta, tetapi tidak dapat membaca akunnya sendiri."
        return CheckResult(token.platform, False, detail, RECONNECT, account=token.handle)
    except CollectorError as exc:
        return failed(token.platform, exc, account=token.handle)
    detail = f"{_what(token)} berlaku; akunnya terbaca."
    return CheckResult(token.platform, True, detail, "", token.access_expires_at, token.handle)


def _what(token: StoredToken) -> str:
    return "Token Halaman" if token.platform == "facebook" else "Token akun Instagram"


def _account_refused(token: StoredToken, expired: bool, expires: datetime | None) -> CheckResult:
    if expired:
        detail = f"{_what(token)} kedaluwarsa."
    else:
        detail = (
            f"Meta menolak t{_what(token)[1:]} ini: izinnya dicabut, kata sandi pemiliknya "
            "berganti, atau peran pemiliknya di Halaman dicabut."
        )
    return CheckResult(token.platform, False, detail, RECONNECT, expires, token.handle)
