"""Owner consent: the platforms' OAuth flows (Meta, TikTok, Google), one module each, behind
one small contract (:class:`oauth.base.Provider`), in one explicit registry.

These modules only talk to the platforms (Authlib's httpx client, the transport injected);
storing what they return is ``services.connections``'s job.
"""

from __future__ import annotations

from oauth.base import ConsentError, GrantedAccount, Provider
from oauth.google import GoogleProvider
from oauth.meta import MetaProvider
from oauth.tiktok import TikTokProvider

PROVIDERS: dict[str, Provider] = {
    "meta": MetaProvider(),
    "tiktok": TikTokProvider(),
    "google": GoogleProvider(),
}
# which consent connects a registry account of each platform
PROVIDER_OF_PLATFORM = {
    "facebook": "meta",
    "instagram": "meta",
    "tiktok": "tiktok",
    "youtube": "google",
}

__all__ = ["PROVIDERS", "PROVIDER_OF_PLATFORM", "ConsentError", "GrantedAccount", "Provider"]
