"""Check one caption, or score many, against the office's guidance."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from metrics.captions.elements import has_activity, has_attendees, has_location, has_time
from metrics.captions.jargon import find_jargon
from metrics.captions.lexicon import lexicon
from metrics.captions.people import find_people
from metrics.captions.report import (
    CaptionReport,
    JargonTerm,
    Typo,
    advice_for,
    caption_score,
)
from metrics.captions.spelling import Speller, checker_for, shared_speller
from metrics.captions.text import as_text, has_text, is_shouting, recase_shouting


def _mask(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _analyse(text: str, speller: Speller, *, suggest: bool) -> CaptionReport:
    lex = lexicon()
    checker = checker_for(speller, lex)
    shouting = is_shouting(text)
    view = recase_shouting(text)
    people = find_people(view, lex, checker.known)
    found = {
        "official": people.official,
        "activity": has_activity(view, lex),
        "location": has_location(_mask(view, people.spans), lex),
        "time": has_time(view),
        "attendees": has_attendees(view, lex),
    }
    words = checker.typos(view, people.names)
    typos = tuple(Typo(w, tuple(checker.suggestions(w)) if suggest else ()) for w in words)
    jargon = tuple(JargonTerm(h.term, h.suggestion) for h in find_jargon(text, lex))
    length = len(text.strip())
    score = caption_score(sum(found.values()), len(typos), len(jargon), length, all_caps=shouting)
    report = CaptionReport(
        **found,
        official_level=people.level,
        length=length,
        typos=typos,
        jargon=jargon,
        score=score,
        advice=(),
        all_caps=shouting,
        spelling_checked=speller.available,
    )
    return dataclasses.replace(report, advice=advice_for(report))


def check_caption(text: str | None, *, speller: Speller | None = None) -> CaptionReport:
    """Check one caption: the five elements, level, length, spelling, jargon, score, advice.

    A missing caption (None, NaN, pd.NA) is checked as the empty text."""
    return _analyse(as_text(text), speller or shared_speller(), suggest=True)


def caption_scores(captions: pd.Series) -> pd.Series:
    """0-100 score per caption, same index as ``captions``; NaN for a caption without text
    (see :func:`metrics.captions.text.has_text`): it is left out of every mean score.

    Each distinct caption is scored once and spelling suggestions are skipped, so 25,000
    captions take seconds, not minutes.
    """
    speller = shared_speller()
    scores: dict[str, float] = {}
    for caption in captions.dropna().unique():
        if has_text(caption):
            scores[caption] = float(_analyse(caption, speller, suggest=False).score)
    values = [scores.get(c, np.nan) if isinstance(c, str) else np.nan for c in captions]
    return pd.Series(values, index=captions.index, dtype="float64", name="caption_score")


REPORT_COLUMNS = [
    "caption_score", "official_level", "official", "activity", "location", "time", "attendees",
    "typos", "jargon", "length",
]  # fmt: skip


def caption_reports(captions: pd.Series) -> pd.DataFrame:
    """The checklist of many captions as a table (no spelling suggestions, for speed).

    Columns: REPORT_COLUMNS; ``typos`` and ``jargon`` are counts. Same index as ``captions``;
    a caption without text (None, NaN, pd.NA, blank, only emoji, links or hashtags) gets the
    empty row: none of the five elements, level ``none``, no typo or jargon, score NaN.
    """
    speller = shared_speller()
    rows: dict[str, list[object]] = {}
    for caption in captions.dropna().unique():
        if has_text(caption):
            r = _analyse(caption, speller, suggest=False)
            rows[caption] = [float(r.score), r.official_level, r.official, r.activity,
                             r.location, r.time, r.attendees, len(r.typos), len(r.jargon),
                             r.length]  # fmt: skip
    empty = [np.nan, "none", False, False, False, False, False, 0, 0, 0]
    values = [rows.get(c, empty) if isinstance(c, str) else empty for c in captions]
    return pd.DataFrame(values, index=captions.index, columns=REPORT_COLUMNS)


# bits of a caption's checklist, stored with the post (one integer per post)
FLAG_BITS = {"official": 1, "activity": 2, "location": 4, "time": 8, "attendees": 16}
NO_TYPOS, NO_JARGON = 32, 64
COMPLETE_MASK, CLEAN_MASK = 31, NO_TYPOS | NO_JARGON


def checklist_flags(reports: pd.DataFrame) -> pd.Series:
    """One integer per caption from :func:`caption_reports`'s columns (see FLAG_BITS)."""
    flags = pd.Series(0, index=reports.index, dtype="int64")
    for name, bit in FLAG_BITS.items():
        flags += reports[name].astype(bool).astype("int64") * bit
    flags += (reports["typos"] == 0).astype("int64") * NO_TYPOS
    flags += (reports["jargon"] == 0).astype("int64") * NO_JARGON
    return flags
