"""One module per platform behind one small contract, registered in one explicit list.

``REGISTRY`` maps a platform name (as in ``db.models.PLATFORMS``) to its collector class; adding
a platform means one module, one line here and one fixture test (``tests/test_collectors_*``).
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from collectors.base import Collector
from collectors.facebook import FacebookCollector
from collectors.http import HttpOptions
from collectors.instagram import InstagramCollector
from collectors.tiktok import TikTokCollector
from collectors.website import WebsiteCollector
from collectors.x import XCollector
from collectors.youtube import QuotaBudget, YouTubeCollector
from core.settings import Settings

REGISTRY: dict[str, type[Collector]] = {
    "instagram": InstagramCollector,
    "facebook": FacebookCollector,
    "youtube": YouTubeCollector,
    "tiktok": TikTokCollector,
    "x": XCollector,
    "website": WebsiteCollector,
}


def collector_for(
    platform: str,
    client: httpx.Client,
    settings: Settings,
    *,
    options: HttpOptions | None = None,
    youtube_budget: QuotaBudget | None = None,
) -> Collector:
    """A collector for ``platform`` (KeyError for an unknown name).

    ``options`` (sleep, clock, retry policy, a pass-wide request counter) is shared by every
    platform; ``youtube_budget`` lets the runner share one quota budget across passes.
    """
    factory: Callable[..., Collector] = REGISTRY[platform]
    if platform == "youtube":
        return factory(client, settings, options=options, budget=youtube_budget)
    return factory(client, settings, options=options)
