"""The contract every consent provider implements, and the Authlib client they share."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

import httpx

with warnings.catch_warnings():
    # Authlib 1.9 would rather use the httpx2 fork; Pantau pins httpx, which it still supports.
    # authlib.deprecate installs its own "always" filter on import: ours goes in front of it.
    import authlib.deprecate  # noqa: F401

    warnings.filterwarnings("ignore", message="The httpx module is deprecated")
    from authlib.integrations.base_client.errors import OAuthError
    from authlib.integrations.httpx_client import OAuth2Client

from core.settings import Settings

USER_AGENT = "Pantau/0.1 (+Diskominfo)"
TIMEOUT = 20.0

# why a consent did not connect anything; services.connections words each for the user
DENIED = "denied"  # the owner pressed "cancel" on the platform's page
CODE_INVALID = "code_invalid"  # the code expired or was used already
APP_CONFIG = "app_config"  # the app's id/secret or redirect address is wrong
PLATFORM = "platform"  # the platform answered with an error we cannot act on
NETWORK = "network"  # the platform could not be reached


class ConsentError(Exception):
    """A consent that connected nothing. ``reason`` is one of the constants above; ``str()``
    is the English detail for logs (never a token)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


@dataclass(frozen=True)
class GrantedAccount:
    """One account the owner's consent opened, with its token (kept out of ``repr``)."""

    platform: str  # facebook | instagram | tiktok | youtube
    platform_id: str | None
    username: str | None
    name: str | None
    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    access_expires_in: int | None = None  # seconds; None: no expiry (Page tokens)
    refresh_expires_in: int | None = None
    scopes: str | None = None


class Provider(Protocol):
    """One platform's consent: the address to send the owner to, the code exchange, revoke."""

    name: ClassVar[str]
    label: ClassVar[str]
    platforms: ClassVar[tuple[str, ...]]
    uses_pkce: ClassVar[bool]

    def configured(self, settings: Settings) -> bool: ...

    def authorize_url(
        self, settings: Settings, redirect_uri: str, state: str, code_verifier: str | None
    ) -> str: ...

    def exchange(
        self,
        settings: Settings,
        redirect_uri: str,
        code: str,
        code_verifier: str | None,
        transport: httpx.BaseTransport | None = None,
    ) -> list[GrantedAccount]: ...

    def revoke(
        self, settings: Settings, token: str, transport: httpx.BaseTransport | None = None
    ) -> None: ...


def oauth_client(
    client_id: str,
    client_secret: str,
    *,
    scope: str | None,
    redirect_uri: str | None = None,
    transport: httpx.BaseTransport | None = None,
    pkce: bool = False,
) -> OAuth2Client:
    """Authlib's OAuth 2 client over httpx; the transport is injected (tests, simulator)."""
    return OAuth2Client(
        client_id,
        client_secret,
        scope=scope,
        redirect_uri=redirect_uri,
        token_endpoint_auth_method="client_secret_post",  # noqa: S106  # nosec B106 - a name
        code_challenge_method="S256" if pkce else None,
        transport=transport,
        timeout=TIMEOUT,
        headers={"User-Agent": USER_AGENT},
    )


def json_of(response: httpx.Response, what: str) -> dict[str, Any]:
    """The JSON object of a platform answer; ConsentError for an error status or a non-object."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code >= 400 or not isinstance(body, dict):
        raise ConsentError(PLATFORM, f"{what}: HTTP {response.status_code}")
    return body


def token_error(exc: OAuthError, platform: str) -> ConsentError:
    """Authlib's OAuthError from a token endpoint, as a ConsentError with a reason."""
    error, text = exc.error, str(exc.description or "")
    if isinstance(error, dict):  # Meta nests the Graph error object under "error"
        return _graph_error(error, platform)
    if error == "invalid_grant":
        return ConsentError(CODE_INVALID, f"{platform}: invalid_grant: {text}")
    if error in ("invalid_client", "unauthorized_client", "redirect_uri_mismatch"):
        return ConsentError(APP_CONFIG, f"{platform}: {error}: {text}")
    if error == "invalid_request" and "redirect" in text.lower():
        return ConsentError(APP_CONFIG, f"{platform}: {error}: {text}")
    return ConsentError(PLATFORM, f"{platform}: {error}: {text}")


def _graph_error(error: dict[str, Any], platform: str) -> ConsentError:
    code, subcode = error.get("code"), error.get("error_subcode")
    text = str(error.get("message") or "")
    detail = f"{platform}: Graph error {code}/{subcode}: {text}"
    if code == 100 and subcode in (36007, 36009):
        return ConsentError(CODE_INVALID, detail)
    if code in (1, 101) or "redirect_uri" in text:
        return ConsentError(APP_CONFIG, detail)
    return ConsentError(PLATFORM, detail)


def request_json(
    client: httpx.Client, method: str, url: str, what: str, **kwargs: Any
) -> dict[str, Any]:
    """One call to a platform during a consent; network failures become ConsentError. The
    token of these calls is in their own parameters or headers: Authlib's is withheld."""
    if isinstance(client, OAuth2Client):
        kwargs["withhold_token"] = True
    try:
        response = client.request(method, url, **kwargs)
    except httpx.HTTPError as exc:
        raise ConsentError(NETWORK, f"{what}: {type(exc).__name__}") from exc
    body = json_of_any(response)
    if response.status_code >= 400 and isinstance(body.get("error"), dict):
        raise _graph_error(body["error"], what)
    return json_of(response, what)


def json_of_any(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def fetch_token(client: OAuth2Client, url: str, platform: str, **kwargs: Any) -> dict[str, Any]:
    """Authlib's token request, with every failure as a ConsentError."""
    try:
        return dict(client.fetch_token(url, **kwargs))
    except OAuthError as exc:
        raise token_error(exc, platform) from exc
    except httpx.HTTPStatusError as exc:
        raise ConsentError(PLATFORM, f"{platform}: HTTP {exc.response.status_code}") from exc
    except httpx.HTTPError as exc:
        raise ConsentError(NETWORK, f"{platform}: {type(exc).__name__}") from exc
