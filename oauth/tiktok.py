"""TikTok Login Kit for Web (OAuth v2): one creator account per consent.

The authorize address takes ``client_key`` (TikTok's name for the client id); so does the token
request (sent besides Authlib's ``client_id``). Web apps get no PKCE from TikTok (it is
for desktop and mobile kits), so ``state`` guards the flow. Access tokens last hours and are
renewed with the rotating refresh token by ``collectors.service.refresh_expiring_tokens``.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from collectors.parsing import as_dict, get_path, to_int, to_str
from core.settings import Settings
from oauth.base import GrantedAccount, fetch_token, oauth_client, request_json

SCOPES = "user.info.basic,user.info.stats,video.list"


class TikTokProvider:
    name: ClassVar[str] = "tiktok"
    label: ClassVar[str] = "TikTok"
    platforms: ClassVar[tuple[str, ...]] = ("tiktok",)
    uses_pkce: ClassVar[bool] = False

    def configured(self, settings: Settings) -> bool:
        return bool(settings.tiktok_client_key.strip() and settings.tiktok_client_secret.strip())

    def authorize_url(
        self, settings: Settings, redirect_uri: str, state: str, code_verifier: str | None
    ) -> str:
        del code_verifier
        client = self._client(settings, redirect_uri, None)
        url, _state = client.create_authorization_url(
            settings.tiktok_authorize_url, state=state, scope=SCOPES
        )
        return _client_id_as_key(str(url))

    def exchange(
        self,
        settings: Settings,
        redirect_uri: str,
        code: str,
        code_verifier: str | None,
        transport: httpx.BaseTransport | None = None,
    ) -> list[GrantedAccount]:
        del code_verifier
        base = settings.tiktok_base_url.rstrip("/")
        with self._client(settings, redirect_uri, transport) as client:
            token = fetch_token(
                client, f"{base}/oauth/token/", "tiktok", code=code,
                client_key=settings.tiktok_client_key.strip(),
            )  # fmt: skip
            access = str(token.get("access_token") or "")
            user = request_json(
                client, "GET", f"{base}/user/info/", "tiktok: user/info",
                params={"fields": "open_id,display_name"},
                headers={"Authorization": f"Bearer {access}"},
            )  # fmt: skip
        profile = as_dict(get_path(user, "data", "user"))
        return [
            GrantedAccount(
                "tiktok",
                to_str(profile.get("open_id")) or to_str(token.get("open_id")),
                None,  # user.info.basic has no username: the consent is for one chosen account
                to_str(profile.get("display_name")),
                access,
                to_str(token.get("refresh_token")),
                to_int(token.get("expires_in")),
                to_int(token.get("refresh_expires_in")),
                to_str(token.get("scope")),
            )
        ]

    def revoke(
        self, settings: Settings, token: str, transport: httpx.BaseTransport | None = None
    ) -> None:
        base = settings.tiktok_base_url.rstrip("/")
        with self._client(settings, None, transport) as client:
            request_json(
                client, "POST", f"{base}/oauth/revoke/", "tiktok: revoke",
                data={
                    "client_key": settings.tiktok_client_key.strip(),
                    "client_secret": settings.tiktok_client_secret.strip(),
                    "token": token,
                },
            )  # fmt: skip

    @staticmethod
    def _client(settings: Settings, redirect_uri: str | None, transport: Any) -> Any:
        return oauth_client(
            settings.tiktok_client_key.strip(),
            settings.tiktok_client_secret.strip(),
            scope=SCOPES,
            redirect_uri=redirect_uri,
            transport=transport,
        )


def _client_id_as_key(url: str) -> str:
    parts = urlsplit(url)
    query = [("client_key" if k == "client_id" else k, v) for k, v in parse_qsl(parts.query)]
    return urlunsplit(parts._replace(query=urlencode(query)))
