"""Which stored counts are a platform's interactions: a fact about the platforms that storage
(each post's ``interactions`` column, kept in SQL) and the metrics share."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

# Which stored counts are interactions on each platform. Our ``likes`` column holds
# Facebook reactions; ``comments`` holds X replies; ``shares`` holds X reposts + quotes.
INTERACTION_FIELDS: dict[str, tuple[str, ...]] = {
    "instagram": ("likes", "comments"),
    "facebook": ("likes", "comments", "shares"),
    "youtube": ("likes", "comments"),
    "tiktok": ("likes", "comments", "shares"),
    "x": ("likes", "comments", "shares"),
    "website": (),
}


VIDEO_PLATFORMS = frozenset({"youtube", "tiktok"})


def interaction_count(platform: str, counts: Mapping[str, object]) -> int | None:
    """One post's interactions; None when the platform has none or a needed count is hidden."""
    fields = INTERACTION_FIELDS.get(platform, ())
    values = [counts.get(f) for f in fields]
    if not fields or any(not isinstance(v, int | np.integer) for v in values):
        return None  # None, NaN and pd.NA are hidden counts, never 0
    return sum(int(v) for v in values)  # type: ignore[call-overload]
