"""Meta (Facebook Login for Business): the Pages a person manages and their Instagram accounts.

Flow: dialog → ``code`` → short-lived user token (``GET oauth/access_token``) → long-lived user
token (``fb_exchange_token``) → ``me/accounts``: one Page token per Page, which does not expire
when it comes from a long-lived user token. The Page token also reads the Page's linked
Instagram professional account. Meta has no PKCE in this flow; ``state`` guards it.
"""

from __future__ import annotations

from typing import Any, ClassVar

import httpx

from collectors.parsing import as_dict, as_list, to_str
from core.settings import Settings
from oauth.base import GrantedAccount, fetch_token, oauth_client, request_json

READ_SCOPES = (
    "pages_show_list",
    "pages_read_engagement",
    "pages_read_user_content",
    "instagram_basic",
    "instagram_manage_comments",
)
PAGE_FIELDS = "id,name,username,access_token,instagram_business_account{id,username,name}"
MAX_PAGES = 20  # pages of me/accounts (25 Pages each): more than any OPD admin manages


class MetaProvider:
    name: ClassVar[str] = "meta"
    label: ClassVar[str] = "Facebook dan Instagram"
    platforms: ClassVar[tuple[str, ...]] = ("facebook", "instagram")
    uses_pkce: ClassVar[bool] = False

    def configured(self, settings: Settings) -> bool:
        return bool(settings.meta_app_id.strip() and settings.meta_app_secret.strip())

    def authorize_url(
        self, settings: Settings, redirect_uri: str, state: str, code_verifier: str | None
    ) -> str:
        del code_verifier  # no PKCE here
        config_id = settings.meta_config_id.strip()
        client = self._client(settings, redirect_uri, None)
        extra = {"config_id": config_id} if config_id else {"scope": ",".join(READ_SCOPES)}
        url, _state = client.create_authorization_url(
            settings.meta_authorize_url, state=state, **extra
        )
        return str(url)

    def exchange(
        self,
        settings: Settings,
        redirect_uri: str,
        code: str,
        code_verifier: str | None,
        transport: httpx.BaseTransport | None = None,
    ) -> list[GrantedAccount]:
        del code_verifier
        base = settings.facebook_base_url.rstrip("/")
        with self._client(settings, redirect_uri, transport) as client:
            short = fetch_token(
                client, f"{base}/oauth/access_token", "meta", code=code, method="GET"
            )
            long_lived = request_json(
                client, "GET", f"{base}/oauth/access_token", "meta: long-lived token",
                params={
                    "grant_type": "fb_exchange_token",
                    "client_id": settings.meta_app_id.strip(),
                    "client_secret": settings.meta_app_secret.strip(),
                    "fb_exchange_token": str(short.get("access_token") or ""),
                },
            )  # fmt: skip
            user_token = str(long_lived.get("access_token") or short.get("access_token") or "")
            scopes = str(short.get("scope") or ",".join(READ_SCOPES))
            return list(self._pages(client, base, user_token, scopes))

    def revoke(
        self, settings: Settings, token: str, transport: httpx.BaseTransport | None = None
    ) -> None:
        """Withdraw the app's permissions (``DELETE me/permissions``) with a Page token."""
        base = settings.facebook_base_url.rstrip("/")
        with self._client(settings, None, transport) as client:
            request_json(
                client, "DELETE", f"{base}/me/permissions", "meta: revoke",
                params={"access_token": token},
            )  # fmt: skip

    def _pages(
        self, client: httpx.Client, base: str, user_token: str, scopes: str
    ) -> list[GrantedAccount]:
        out: list[GrantedAccount] = []
        url: str | None = f"{base}/me/accounts"
        params: dict[str, str] | None = {
            "fields": PAGE_FIELDS, "limit": "25", "access_token": user_token,
        }  # fmt: skip
        for _ in range(MAX_PAGES):
            if url is None:
                break
            body = request_json(client, "GET", url, "meta: me/accounts", params=params)
            for item in as_list(body.get("data")):
                out.extend(_granted(as_dict(item), scopes))
            url, params = _next_page(body, user_token)
        return out

    @staticmethod
    def _client(settings: Settings, redirect_uri: str | None, transport: Any) -> Any:
        return oauth_client(
            settings.meta_app_id.strip(),
            settings.meta_app_secret.strip(),
            scope=None,
            redirect_uri=redirect_uri,
            transport=transport,
        )


def _granted(page: dict[str, Any], scopes: str) -> list[GrantedAccount]:
    token, page_id = to_str(page.get("access_token")), to_str(page.get("id"))
    if not token or not page_id:
        return []  # a Page the person cannot act on returns no token
    out = [GrantedAccount("facebook", page_id, to_str(page.get("username")),
                          to_str(page.get("name")), token, scopes=scopes)]  # fmt: skip
    instagram = as_dict(page.get("instagram_business_account"))
    if to_str(instagram.get("id")):
        out.append(GrantedAccount(
            "instagram", to_str(instagram.get("id")), to_str(instagram.get("username")),
            to_str(instagram.get("name")), token, scopes=scopes,
        ))  # fmt: skip
    return out


def _next_page(body: dict[str, Any], user_token: str) -> tuple[str | None, dict[str, str] | None]:
    """The next ``me/accounts`` page; the token is sent again, never read from the link."""
    next_url = to_str(as_dict(body.get("paging")).get("next"))
    if not next_url:
        return None, None
    after = to_str(as_dict(as_dict(body.get("paging")).get("cursors")).get("after"))
    base = next_url.split("?", 1)[0]
    params = {"fields": PAGE_FIELDS, "limit": "25", "access_token": user_token}
    if after:
        params["after"] = after
    return base, params
