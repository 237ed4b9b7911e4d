"""Who the caption features: officials by title and name, and the highest level among them.

A title is matched case-sensitively ("Kepala Dinas", "Camat", "Pranata Humas"), longest
first. It names someone when the run of capitalised words right after it (or right before
it: "Syukur Saleh, Kepala Bidang ...") holds a personal name: a word of the names list, a
capitalised word the dictionary does not know (and that is no place, title or calendar
word), a word after an honorific ("dr.", "Ibu") or an academic degree ("S.Sos").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from metrics.captions.lexicon import LEVELS, Lexicon
from metrics.captions.text import CALENDAR, DEGREE, sentences

Known = Callable[[str], bool]  # does the dictionary know this (lower-case) word?
RANK = {level: rank for rank, level in enumerate(reversed(LEVELS), start=1)}  # other=1
CONNECTORS = frozenset({"dan", "&", "serta", "pada"})
CLAUSE_CUES = re.compile(
    r"\b(?:dihadiri|turut hadir|hadir pula|hadir juga|yang hadir|diikuti|didampingi|"
    r"disaksikan|beserta|tamu undangan)\b",
    re.IGNORECASE,
)
_RUN_TOKEN = re.compile(
    r"[ \t]*,?[ \t]*("
    + DEGREE.pattern
    + r"|[A-Z][\w'’]*(?:-[\w'’]+)*\.?|[a-z]{1,4}\.|\d{1,3}|dan|&|serta|pada)"
    r"(?=[\s,;:!?)(\]]|$)"
)
_BEFORE = re.compile(r"((?:[A-Z][\w'’]*\.?[ \t]*,?[ \t]*){1,4})$")


@dataclass(frozen=True)
class People:
    """The officials found in a caption."""

    official: bool  # someone is named with title and name
    level: str  # one of LEVELS or "none"
    names: frozenset[str]  # words recognised as personal names
    spans: tuple[tuple[int, int], ...]  # title + organisation + name, hidden from `location`


@cache
def _title_pattern(titles: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(titles, key=len, reverse=True)
    body = "|".join(re.escape(t) for t in ordered)
    return re.compile(r"(?<![\w.])(?:" + body + r"|Kepala(?= [A-Z]))(?![\w])")


def name_like(word: str, lex: Lexicon, known: Known) -> bool:
    """Does this capitalised word look like part of a personal name?"""
    w = word.rstrip(".")
    if w in lex.names:
        return True
    if len(w) < 2 or not w[0].isupper() or w.isupper() or "-" in w:
        return False
    if w in lex.place_words or w in CALENDAR or w.lower() in lex.allowed:
        return False
    return not known(w.lower())


def _run_after(text: str, pos: int, honorifics: frozenset[str]) -> tuple[list[str], int]:
    """Capitalised words, honorifics, degrees and connectors after ``pos``."""
    words: list[str] = []
    end = pos
    while match := _RUN_TOKEN.match(text, end):
        token = match.group(1)
        words.append(token)
        end = match.end()
        if token.endswith(".") and len(token) > 3 and token not in honorifics:
            if DEGREE.fullmatch(token):
                continue
            break  # the end of a sentence
    while words and words[-1] in CONNECTORS:
        words.pop()
    return words, end


def _has_name(words: list[str], lex: Lexicon, known: Known) -> tuple[bool, set[str]]:
    names: set[str] = set()
    found = False
    for i, word in enumerate(words):
        if DEGREE.fullmatch(word) or (
            word in lex.honorifics and i + 1 < len(words) and words[i + 1][:1].isupper()
        ):
            found = True
        elif name_like(word, lex, known):
            found = True
            names.add(word.rstrip("."))
    return found, names


def _clause_spans(text: str) -> list[tuple[int, int]]:
    """Where attendee clauses ("Turut hadir ...", "didampingi ...") run to the sentence end."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for sentence in sentences(text):
        start = text.find(sentence, offset)
        offset = start + len(sentence)
        cue = CLAUSE_CUES.search(sentence)
        if cue:
            spans.append((start + cue.start(), offset))
    return spans


def _skipped(text: str, start: int, lex: Lexicon) -> bool:
    """A title inside a place ("Kantor Bupati") or after "mewakili" is no actor."""
    before = text[max(0, start - 40) : start].rstrip(" ,")
    last = before.split()[-1] if before.split() else ""
    if last in lex.not_before_title:
        return True
    return any(before.endswith(word) for word in lex.on_behalf)


def find_people(text: str, lex: Lexicon, known: Known) -> People:
    """Officials named in ``text`` (already re-cased if it was written in capitals)."""
    clauses = _clause_spans(text)
    actor, guest, official = 0, 0, False
    names: set[str] = set()
    spans: list[tuple[int, int]] = []
    for match in _title_pattern(tuple(lex.titles)).finditer(text):
        title = match.group(0)
        after, end = _run_after(text, match.end(), lex.honorifics)
        before = _BEFORE.search(text[: match.start()])
        words = after + (before.group(1).replace(",", " ").split() if before else [])
        named, found = _has_name(words, lex, known)
        names |= found
        if _skipped(text, match.start(), lex):
            continue
        spans.append((match.start(), end))
        official = official or named
        rank = RANK[lex.titles.get(title, "head")]
        if any(a <= match.start() < b for a, b in clauses):
            guest = max(guest, rank)
        else:
            actor = max(actor, rank)
    return People(official, _level(actor or guest, text, lex), frozenset(names), tuple(spans))


def _level(rank: int, text: str, lex: Lexicon) -> str:
    if rank:
        return next(level for level, r in RANK.items() if r == rank)
    return "other" if _staff_pattern(lex).search(text) else "none"


@cache
def _staff_pattern(lex: Lexicon) -> re.Pattern[str]:
    body = "|".join(re.escape(w) for w in sorted(lex.staff, key=len, reverse=True))
    return re.compile(r"(?<![\w-])(?:" + body + r")(?![\w-])", re.IGNORECASE)
