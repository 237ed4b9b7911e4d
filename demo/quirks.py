"""What real accounts do that a tidy demo would not: the demo world carries each of them, so
every page meets them on `make run` and in the tests.

Chosen by fixed rules from the account plans (no random draw), so adding a quirk never shifts
the rest of the world: posts without text (None, empty, only spaces), a month without a post,
a post deleted after Pantau read it (the worker's later passes meet it),
an Instagram account that turned personal, a YouTube channel that cannot be found, a TikTok
account whose owner never gave Pantau a token, and a website served over plain http. Hidden
like counts and OPDs without any account come from the world itself (demo/engagement.py and
the OPD list).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from demo.accounts import AccountPlan

Key = tuple[str, str]  # (platform, handle)
NO_TEXT_EVERY = 61  # about one post in 61 has no text at all
BLANK_TEXTS = ("", "   ", "\n")  # what some platforms send instead of nothing


@dataclass(frozen=True)
class Quirks:
    personal: Key | None = None  # answers as a personal account: not readable
    missing: Key | None = None  # registered, but the platform has no such account
    no_token: Key | None = None  # TikTok: the owner never authorised Pantau
    plain_http: str | None = None  # a website handle reachable over http only
    silent_month: Key | None = None  # an active account with one whole month without posts
    deletes_a_post: Key | None = None  # deletes its newest post once Pantau has read it

    @property
    def unreadable(self) -> set[Key]:
        return {k for k in (self.personal, self.missing, self.no_token) if k is not None}


def _stable(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")


def _pick(plans: Sequence[AccountPlan], platform: str, habits: tuple[str, ...]) -> Key | None:
    """The last account of ``platform`` with one of ``habits``, in plan order."""
    chosen = [p for p in plans if p.platform == platform and p.habit in habits]
    return (chosen[-1].platform, chosen[-1].handle) if chosen else None


def choose_quirks(plans: Sequence[AccountPlan]) -> Quirks:
    lively = ("daily", "frequent", "weekly")
    website = _pick(plans, "website", ("weekly", "frequent", "irregular", "fading"))
    return Quirks(
        personal=_pick(plans, "instagram", lively),
        missing=_pick(plans, "youtube", ("weekly", "irregular", "fading")),
        no_token=_pick(plans, "tiktok", lively),
        plain_http=website[1] if website else None,
        silent_month=_pick(plans, "facebook", ("daily", "frequent")),
        deletes_a_post=_pick(plans, "instagram", ("daily",)),
    )


def caption_text(post_id: str, caption: str) -> str | None:
    """The caption as the platform sends it: now and then nothing, or only blanks."""
    roll = _stable(post_id)
    if roll % NO_TEXT_EVERY:
        return caption
    choice = (roll // NO_TEXT_EVERY) % (len(BLANK_TEXTS) + 1)
    return None if choice == len(BLANK_TEXTS) else BLANK_TEXTS[choice]


def silent_month(as_of: date) -> str:
    """The month two months before ``as_of``'s (complete, and inside every history)."""
    month = as_of.month - 2
    year = as_of.year + (month - 1) // 12
    return f"{year:04d}-{(month - 1) % 12 + 1:02d}"


def registry_handle(quirks: Quirks, platform: str, handle: str) -> str:
    """The handle as the office typed it: the plain-http site with its scheme."""
    if platform == "website" and handle == quirks.plain_http:
        return f"http://{handle}"
    return handle
