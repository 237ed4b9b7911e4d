"""Google OAuth for an owner's own YouTube channel (optional: the API key reads public data).

Authorization code with PKCE (S256), ``access_type=offline`` and ``prompt=consent`` so every
consent returns a refresh token; scope ``youtube.readonly``. After the exchange one
``channels?mine=true`` call (1 quota unit) names the channel the owner consented for.
"""

from __future__ import annotations

from typing import Any, ClassVar

import httpx

from collectors.parsing import as_dict, as_list, to_int, to_str
from core.settings import Settings
from oauth.base import GrantedAccount, fetch_token, oauth_client, request_json

SCOPE = "https://www.googleapis.com/auth/youtube.readonly"


class GoogleProvider:
    name: ClassVar[str] = "google"
    label: ClassVar[str] = "YouTube"
    platforms: ClassVar[tuple[str, ...]] = ("youtube",)
    uses_pkce: ClassVar[bool] = True

    def configured(self, settings: Settings) -> bool:
        return bool(settings.google_client_id.strip() and settings.google_client_secret.strip())

    def authorize_url(
        self, settings: Settings, redirect_uri: str, state: str, code_verifier: str | None
    ) -> str:
        client = self._client(settings, redirect_uri, None)
        url, _state = client.create_authorization_url(
            settings.google_authorize_url, state=state, code_verifier=code_verifier,
            access_type="offline", prompt="consent", include_granted_scopes="true",
        )  # fmt: skip
        return str(url)

    def exchange(
        self,
        settings: Settings,
        redirect_uri: str,
        code: str,
        code_verifier: str | None,
        transport: httpx.BaseTransport | None = None,
    ) -> list[GrantedAccount]:
        with self._client(settings, redirect_uri, transport) as client:
            token = fetch_token(
                client, settings.google_token_url, "google", code=code,
                code_verifier=code_verifier,
            )  # fmt: skip
            access = str(token.get("access_token") or "")
            channels = request_json(
                client, "GET", f"{settings.youtube_base_url.rstrip('/')}/channels",
                "google: channels?mine=true",
                params={"part": "id,snippet", "mine": "true"},
                headers={"Authorization": f"Bearer {access}"},
            )  # fmt: skip
        out = []
        for item in as_list(channels.get("items")):
            channel = as_dict(item)
            snippet = as_dict(channel.get("snippet"))
            out.append(GrantedAccount(
                "youtube", to_str(channel.get("id")),
                (to_str(snippet.get("customUrl")) or "").lstrip("@") or None,
                to_str(snippet.get("title")), access, to_str(token.get("refresh_token")),
                to_int(token.get("expires_in")), None, to_str(token.get("scope")),
            ))  # fmt: skip
        return out

    def revoke(
        self, settings: Settings, token: str, transport: httpx.BaseTransport | None = None
    ) -> None:
        with self._client(settings, None, transport) as client:
            request_json(
                client, "POST", settings.google_revoke_url, "google: revoke",
                data={"token": token},
            )  # fmt: skip

    @staticmethod
    def _client(settings: Settings, redirect_uri: str | None, transport: Any) -> Any:
        return oauth_client(
            settings.google_client_id.strip(),
            settings.google_client_secret.strip(),
            scope=SCOPE,
            redirect_uri=redirect_uri,
            transport=transport,
            pkce=True,
        )
