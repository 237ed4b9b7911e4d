"""Bureaucratic terms the public cannot follow (``data/jargon.toml``).

A term is not reported when the caption explains it: its long form appears anywhere
("Musyawarah Perencanaan Pembangunan"), or it stands in brackets after words starting with
its first letter ("Monitoring dan Evaluasi (Monev)"), or a long form in brackets follows it
("Bimtek (Bimbingan Teknis)"). Hashtags and links are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from metrics.captions.lexicon import Jargon, Lexicon
from metrics.captions.text import strip_unchecked


@dataclass(frozen=True)
class JargonHit:
    term: str
    suggestion: str


@cache
def _patterns(lex: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str], dict[str, Jargon]]:
    """One pattern for the short terms (exact case), one for the long ones (any case)."""

    def alt(terms: list[str]) -> str:
        body = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
        return r"(?<![\w-])(?:" + body + r")(?![\w])"

    short = [j.term for j in lex.jargon if len(j.term) <= 3]
    long = [j.term for j in lex.jargon if len(j.term) > 3]
    by_key = {j.term.lower(): j for j in lex.jargon}
    return re.compile(alt(short)), re.compile(alt(long), re.IGNORECASE), by_key


def _explained(term: Jargon, text: str) -> bool:
    if term.spelled.lower() in text.lower():
        return True
    escaped = re.escape(term.term)
    after = re.search(escaped + r"\s*\(\s*([^()]{6,})\)", text, re.IGNORECASE)
    if after and after.group(1).strip().lower().startswith(term.term[0].lower()):
        return True
    for match in re.finditer(r"\(\s*" + escaped + r"\s*\)", text, re.IGNORECASE):
        before = re.split(r"[.,;:!?()]", text[: match.start()])[-1].split()[-8:]
        initials = [w[0].lower() for w in before]
        if len(before) >= 2 and term.term[0].lower() in initials:
            return True
    return False


def find_jargon(text: str, lex: Lexicon) -> list[JargonHit]:
    """Unexplained terms of ``text`` as written, in order of appearance, each once."""
    cleaned = strip_unchecked(text)
    short, long, by_key = _patterns(lex)
    found: dict[str, tuple[int, str]] = {}  # term -> first position, as written
    for pattern in (short, long):
        for match in pattern.finditer(cleaned):
            found.setdefault(match.group(0).lower(), (match.start(), match.group(0)))
    hits = []
    for key, (_, written) in sorted(found.items(), key=lambda pair: pair[1][0]):
        term = by_key[key]
        if not _explained(term, cleaned):
            hits.append(JargonHit(written, term.suggestion))
    return hits
