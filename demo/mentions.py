"""@mentions in the demo captions: the regency's main account and other OPDs' accounts.

Some admins end a caption by tagging the regency's account, the offices that spread the news
(Diskominfo, Prokopim) or a partner office, so the mention leaderboard has something to show.
Only a minority of captions do, and only well-written or partial ones on the platforms where
people tag each other (a careless caption tags no one). Each account draws from its own random
stream, applied after the caption is written, so adding mentions moves nothing else.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from demo.accounts import AccountPlan
from demo.captions import Caption

REGENCY = "pemkabsintang"  # the regency's main account: not an OPD, so not in the registry
HUBS = ("DISKOMINFO", "PROKOPIM")  # the offices that publish the regency's news
MENTION_PLATFORMS = frozenset({"instagram", "facebook", "tiktok", "x"})
MENTION_CHANCE = {"good": 0.22, "partial": 0.1}  # by caption kind; the others tag no one
SECOND_CHANCE = 0.3  # a caption that tags two accounts rather than one

Book = dict[tuple[str, str], tuple[str, ...]]  # (platform, OPD code) -> handles it tags


def mention_book(plans: Sequence[AccountPlan], seed: int) -> Book:
    """Who each OPD's admin tags on each platform: the regency's account, then the hubs' and
    one partner office's accounts on that platform (those that have one there)."""
    handles: dict[str, dict[str, str]] = {}
    for plan in plans:
        if plan.platform in MENTION_PLATFORMS:
            handles.setdefault(plan.platform, {})[plan.opd.code] = plan.handle
    book: Book = {}
    for platform, by_code in handles.items():
        for code in sorted(by_code):
            hubs = [by_code[hub] for hub in HUBS if hub in by_code and hub != code]
            others = [c for c in sorted(by_code) if c != code and c not in HUBS]
            rng = random.Random(f"{seed}:mentions:{platform}:{code}")
            partner = [by_code[rng.choice(others)]] if others else []
            book[(platform, code)] = (REGENCY, *hubs, *partner)
    return book


@dataclass
class Mentions:
    """Adds mentions to one account's captions, in posting order."""

    handles: tuple[str, ...]
    rng: random.Random

    def add(self, caption: Caption) -> str:
        """The caption's text, now and then ending with one or two @mentions."""
        chance = MENTION_CHANCE.get(caption.kind, 0.0)
        if not self.handles or self.rng.random() >= chance:
            return caption.text
        # half of the tagging captions name the regency's account first
        first = self.handles[0] if self.rng.random() < 0.5 else self.rng.choice(self.handles)
        picked = [first]
        rest = [h for h in self.handles if h != first]
        if rest and self.rng.random() < SECOND_CHANCE:
            picked.append(self.rng.choice(rest))
        return caption.text + " " + " ".join(f"@{handle}" for handle in picked)


def mentions_for(book: Book, plan: AccountPlan, seed: int) -> Mentions:
    handles = book.get((plan.platform, plan.opd.code), ())
    return Mentions(handles, random.Random(f"{seed}:tagging:{plan.platform}:{plan.handle}"))
