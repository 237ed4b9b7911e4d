"""The caption checker's word lists, read once from ``metrics/captions/data``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
LEVELS = ("regent", "head", "secretary", "division_head", "functional", "other")


@dataclass(frozen=True)
class Jargon:
    """One term the public cannot follow, its plain alternative and its long form."""

    term: str
    suggestion: str
    spelled: str


@dataclass(frozen=True, eq=False)  # hashed by identity: one lexicon per process
class Lexicon:
    """Everything the checker looks words up in."""

    titles: dict[str, str]  # title -> level
    not_before_title: frozenset[str]
    on_behalf: tuple[str, ...]
    honorifics: frozenset[str]
    staff: tuple[str, ...]
    places: tuple[str, ...]  # kecamatan (but Sintang), villages and landmarks
    venues: tuple[str, ...]
    not_places: tuple[str, ...]
    activity: tuple[str, ...]
    attendees: tuple[str, ...]
    crowd: tuple[str, ...]
    corrections: dict[str, str]  # informal or non-standard form -> standard form
    jargon: tuple[Jargon, ...]
    names: frozenset[str]  # personal names
    allowed: frozenset[str]  # lower-case words never reported as typos
    common: tuple[str, ...]  # frequent caption words, preferred as suggestions
    place_words: frozenset[str]  # every word of a place or venue name


def _read_toml(name: str) -> dict[str, Any]:
    return tomllib.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def read_list(name: str) -> list[str]:
    """Lines of a ``.txt`` data file without blanks and ``#`` comments."""
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [s.strip() for s in lines if s.strip() and not s.lstrip().startswith("#")]


def _titles(raw: dict[str, Any]) -> dict[str, str]:
    return {title: level for level in LEVELS for title in raw[level]}


def _allowed(places: list[str], titles: dict[str, str], names: list[str]) -> frozenset[str]:
    words = {w.lower() for w in read_list("words.txt")}
    for phrase in [*places, *titles, *names]:
        words.update(part.lower().strip(".") for part in phrase.split())
    return frozenset(words)


@cache
def lexicon() -> Lexicon:
    """The checker's lexicon (read once per process)."""
    titles_raw, places_raw, cues = (
        _read_toml(n) for n in ("titles.toml", "places.toml", "cues.toml")
    )
    places = [k for k in places_raw["kecamatan"] if k != "Sintang"] + places_raw["villages"]
    spelling_places = [*places, *places_raw["regions"], *places_raw["spelling_only"]]
    titles = _titles(titles_raw)
    names = read_list("names.txt")
    jargon = tuple(
        Jargon(t, v["suggestion"], v["spelled"]) for t, v in _read_toml("jargon.toml").items()
    )
    return Lexicon(
        titles=titles,
        not_before_title=frozenset(titles_raw["not_before"]),
        on_behalf=tuple(titles_raw["on_behalf"]),
        honorifics=frozenset(titles_raw["honorifics"]),
        staff=tuple(titles_raw["staff"]),
        places=tuple(sorted(places, key=len, reverse=True)),
        venues=tuple(sorted(places_raw["venues"], key=len, reverse=True)),
        not_places=tuple(places_raw["not_places"]),
        activity=tuple(cues["activity"]),
        attendees=tuple(cues["attendees"]),
        crowd=tuple(cues["crowd"]),
        corrections=dict(cues["corrections"]),
        jargon=jargon,
        names=frozenset(names),
        allowed=_allowed(spelling_places, titles, names),
        common=tuple(read_list("common.txt")),
        place_words=frozenset(
            w for p in (*spelling_places, *places_raw["venues"]) for w in p.split()
        ),
    )
