"""Spelling with Debian's Indonesian Hunspell dictionary (``hunspell-id``) through spylls.

Never checked: links, e-mail addresses, hashtags, mentions, words with digits, acronyms
(all capitals), words with inner capitals ("BerAKHLAK"), academic degrees and initials,
words of one or two letters, and the allow-list (names, places, loanwords, short forms of
agencies; ``data/*.txt`` and ``data/*.toml``). A capitalised word the dictionary does not
know is a name, not a typo, when it is in a run of such words ("Yustina Simanjuntak"),
follows an honorific, a title, "oleh" or a venue ("Desa Nanga Mau"), or precedes a degree.
Informal short forms ("dlm", "yg"), common non-standard spellings ("dimana", "dihimbau";
``data/cues.toml``) and a split passive prefix ("di harapkan") are typos. Suggestions: the
standard form for those; else close frequent caption words (``data/common.txt``, edit
distance up to 2), else Hunspell's own suggestions; at most three.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spylls.hunspell import Dictionary

from metrics.captions.lexicon import Lexicon
from metrics.captions.text import DEGREE, INITIAL, strip_unchecked

DEFAULT_DICTIONARY = Path("/usr/share/hunspell/id_ID")
MAX_SUGGESTIONS = 3
CLITICS = ("nya", "lah", "kah", "pun", "ku", "mu")
PREFIXES = frozenset({"se", "ke", "non", "pra", "antar", "pasca", "multi", "sub"})
NAME_CUES = frozenset(
    [
        "oleh",
        "Bapak",
        "Ibu",
        "Pak",
        "Bu",
        "Sdr",
        "Sdri",
        "Saudara",
        "Saudari",
        "bernama",
        "Camat",
        "Bupati",
        "Lurah",
        "Kades",
    ]
)
_HONORIFIC = re.compile(r"(?<![\w.])(?:dr|drg|Dr|Drs|Dra|Ir|Hj|H|Ny|Prof|Sdr|Sdri|Bpk)\.")
_TOKEN = re.compile(r"[\w'’]+(?:-[\w'’]+)*")
_DIGIT = re.compile(r"[\d_]")


def _blank(pattern: re.Pattern[str], text: str) -> str:
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


class Speller:
    """A Hunspell dictionary with caches. ``available`` is False when its files are missing."""

    def __init__(self, path: str | Path = DEFAULT_DICTIONARY) -> None:
        self.path = Path(path)
        self._dictionary = _load(self.path)
        self._known: dict[str, bool] = {}
        self._suggested: dict[str, tuple[str, ...]] = {}

    @property
    def available(self) -> bool:
        return self._dictionary is not None

    def lookup(self, word: str) -> bool:
        """Is ``word`` correct? (False when the dictionary is not available.)"""
        if word not in self._known:
            d = self._dictionary
            self._known[word] = d is not None and bool(d.lookup(word))
        return self._known[word]

    def suggest(self, word: str) -> tuple[str, ...]:
        """Up to three Hunspell suggestions (0.2-5 s for an uncached word)."""
        if word not in self._suggested:
            found: list[str] = []
            if self._dictionary is not None:
                for suggestion in self._dictionary.suggest(word):
                    found.append(suggestion)
                    if len(found) == MAX_SUGGESTIONS:
                        break
            self._suggested[word] = tuple(found)
        return self._suggested[word]


def _load(path: Path) -> Dictionary | None:
    if not (Path(f"{path}.dic").is_file() and Path(f"{path}.aff").is_file()):
        return None
    try:
        return Dictionary.from_files(str(path))
    except (OSError, ValueError, UnicodeDecodeError):
        return None


@cache
def shared_speller(path: str = str(DEFAULT_DICTIONARY)) -> Speller:
    """One speller per dictionary path and process (the dictionary is read-only)."""
    return Speller(path)


@cache
def checker_for(speller: Speller, lex: Lexicon) -> Checker:
    """One checker (and its word cache) per speller."""
    return Checker(speller, lex)


@dataclass(frozen=True)
class Token:
    word: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """The words to check, with their positions in ``text``."""
    cleaned = strip_unchecked(text)
    for pattern in (DEGREE, INITIAL, _HONORIFIC):
        cleaned = _blank(pattern, cleaned)
    found = []
    for m in _TOKEN.finditer(cleaned):
        word = m.group(0).strip("'’")
        if word and not _DIGIT.search(word):
            found.append(Token(word, m.start(), m.end()))
    return found


class Checker:
    """Spelling against the dictionary and the allow-list; results cached per word."""

    def __init__(self, speller: Speller, lex: Lexicon) -> None:
        self.speller, self.lex = speller, lex
        self.common = frozenset(lex.common)
        self._ok: dict[str, bool] = {}

    def known(self, word: str) -> bool:
        """Known to the allow-list, the frequent words or the dictionary (any case)."""
        lower = word.lower()
        if lower in self.lex.allowed or lower in self.common:
            return True
        if self.speller.lookup(word) or (lower != word and self.speller.lookup(lower)):
            return True
        for clitic in CLITICS:
            base = lower.removesuffix(clitic)
            if base != lower and len(base) > 2 and self._known_base(base):
                return True
        return False

    def _known_base(self, base: str) -> bool:
        return base in self.lex.allowed or base in self.common or self.speller.lookup(base)

    def word_ok(self, word: str) -> bool:
        """A word that is not a typo by itself (names are handled by ``typos``)."""
        if word not in self._ok:
            self._ok[word] = self._word_ok(word)
        return self._ok[word]

    def _word_ok(self, word: str) -> bool:
        if len(word) < 3 or word.isupper() or any(c.isupper() for c in word[1:]):
            return word.lower() not in self.lex.corrections
        if word.lower() in self.lex.corrections:
            return False
        if "-" in word and not self.known(word):
            parts = word.split("-")
            if parts[0].lower() in PREFIXES:
                parts = parts[1:]
            return all(len(p) < 3 or p.isupper() or self.known(p) for p in parts)
        return "-" in word or self.known(word)

    def typos(self, text: str, names: frozenset[str] = frozenset()) -> list[str]:
        """Misspelt words of ``text`` in order, each once; ``names`` are never typos."""
        if not self.speller.available:
            return []
        toks = tokens(text)
        bad = [not self.word_ok(t.word) for t in toks]
        found: list[str] = []
        for i, tok in enumerate(toks):
            split = self._split_prefix(toks, i)
            if split:
                found.append(split)
            elif bad[i] and tok.word not in names and not self._is_name(text, toks, bad, i):
                found.append(tok.word)
        return list(dict.fromkeys(found))

    def _split_prefix(self, toks: list[Token], i: int) -> str | None:
        """ "di harapkan" for "diharapkan": the passive prefix written apart."""
        if toks[i].word not in ("di", "Di") or i + 1 >= len(toks):
            return None
        nxt = toks[i + 1].word
        if nxt.islower() and nxt.endswith("kan") and self.speller.lookup("di" + nxt):
            return f"{toks[i].word} {nxt}"
        return None

    def _is_name(self, text: str, toks: list[Token], bad: list[bool], i: int) -> bool:
        word = toks[i].word
        if not word[:1].isupper() or word.lower() in self.lex.corrections:
            return False
        if word in self.lex.names:
            return True
        if _DEGREE_AFTER.match(text, toks[i].end):
            return True
        for j in range(i - 1, max(-1, i - 4), -1):  # back through a run of capitalised words
            if not (toks[j].word[:1].isupper() and _adjacent(text, toks[j], toks[j + 1])):
                break
            if toks[j].word in NAME_CUES or toks[j].word in self.lex.place_words:
                return True
        if i > 0 and toks[i - 1].word in NAME_CUES:
            return True
        return any(
            self._name_neighbour(text, toks, bad, i, j)
            for j in (i - 1, i + 1)
            if 0 <= j < len(toks)
        )

    def _name_neighbour(
        self, text: str, toks: list[Token], bad: list[bool], i: int, j: int
    ) -> bool:
        """Is the word next to ``toks[i]`` (no punctuation between) part of a name?"""
        a, b = (toks[j], toks[i]) if j < i else (toks[i], toks[j])
        word = toks[j].word
        return _adjacent(text, a, b) and word[:1].isupper() and (bad[j] or word in self.lex.names)

    def suggestions(self, word: str) -> list[str]:
        """Close frequent caption words first (edit distance), else Hunspell's suggestions."""
        lower = word.lower()
        if " " in word:  # "di harapkan"
            return [word.replace(" ", "")]
        if lower in self.lex.corrections:
            return [self.lex.corrections[lower]]
        limit = 1 if len(lower) <= 4 else 2
        close = sorted((d, w) for w in self.common if (d := _distance(lower, w, limit)) <= limit)
        found = [w for _, w in close] or list(self.speller.suggest(word))
        if word[:1].isupper():
            found = [w[:1].upper() + w[1:] for w in found]
        return list(dict.fromkeys(found))[:MAX_SUGGESTIONS]


_DEGREE_AFTER = re.compile(r"\s*,?\s*(?:" + DEGREE.pattern + ")")


def _adjacent(text: str, a: Token, b: Token) -> bool:
    return text[a.end : b.start].strip(" \t") == ""


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance, or ``limit + 1`` once it is certainly larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]
