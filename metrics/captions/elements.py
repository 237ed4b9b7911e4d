"""The activity, the place, the time and the attendees of a caption (regular expressions).

Decisions (the office asks "kapan" and "lokasi dimana"):

- time needs a weekday, a date or a clock time. Relative words alone ("hari ini", "kemarin",
  "pagi ini", "minggu ini") do not count: a reader of the post a week later cannot tell when.
  "setiap Jumat" (a habit) does not count either.
- location needs a named place: "di <Nama>", a venue with its name ("Aula Kantor Bupati",
  "Balai Desa Gandis", "SD Negeri 3 Sepauk"), a kecamatan other than Sintang itself, or a known
  village or landmark. "di aula" or "di lapangan" without a name, the bare regency name
  ("Kabupaten Sintang") and the place in an official's title ("Camat Dedai") do not count.
"""

from __future__ import annotations

import re
from functools import cache

from metrics.captions.lexicon import Lexicon
from metrics.captions.text import DAYS, MONTHS

_SHORT_MONTHS = "Jan Feb Mar Apr Jun Jul Agu Agt Agst Ags Sep Sept Okt Nov Nop Des"
_MONTHS = "|".join((*MONTHS, *_SHORT_MONTHS.split()))
_DATE = re.compile(
    rf"\b\d{{1,2}}\s+(?:{_MONTHS})\b\.?"
    r"|\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b|\b\d{4}-\d{2}-\d{2}\b"
    r"|\(\s*\d{1,2}/\d{1,2}\s*\)|\btanggal\s+\d{1,2}\b",
    re.IGNORECASE,
)
_CLOCK = re.compile(
    r"\b(?:pukul|pkl\.?|jam)\s*\d{1,2}(?:[.:]\d{2})?\b|\b\d{1,2}[.:]\d{2}\s*(?:WIB|WITA|WIT)\b",
    re.IGNORECASE,
)
_DAY = re.compile(r"\b(?:" + "|".join(d for d in DAYS if d != "Minggu") + r")\b", re.IGNORECASE)
_SUNDAY = re.compile(
    r"\b(?:Minggu|MINGGU)\b(?!\s+(?:ini|lalu|depan|kemarin|berikutnya|ke|pertama|kedua|"
    r"ketiga|keempat|terakhir|sebelumnya)\b)"
)
_HABIT = re.compile(r"\b(?:setiap|tiap|saban|per)\s*$", re.IGNORECASE)
_PLATFORMS = frozenset(
    [
        "Instagram",
        "Facebook",
        "YouTube",
        "Youtube",
        "TikTok",
        "Tiktok",
        "Twitter",
        "X",
        "WhatsApp",
        "Media",
        "Akun",
        "Kanal",
        "Website",
        "Laman",
        "Era",
        "Tengah",
        "Masa",
        "Bidang",
        "Tingkat",
        "Bawah",
        "Atas",
        "Sisi",
        "Antara",
    ]
)
_DI_PLACE = re.compile(r"\b[Dd]i\s+(?:sekitar\s+|wilayah\s+|kawasan\s+)?([A-Z][\w'’-]*|\d)")
_FROM_ALL = re.compile(r"\bse-[A-Z][\w'’]*(?:[ \t]+[A-Z][\w'’]*)*")
_GENERIC_ACTIVITY = re.compile(
    r"\bkegiatan\s+(?!ini\b|tersebut\b|hari\b|kami\b|kita\b|di\b|pada\b|yang\b|rutin\b|"
    r"minggu\b|bulan\b|dan\b)[a-z]{4,}",
    re.IGNORECASE,
)


@cache
def _patterns(lex: Lexicon) -> dict[str, re.Pattern[str]]:
    def alt(words: tuple[str, ...]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    return {
        "activity": re.compile(r"\b(?:" + alt(lex.activity) + r")", re.IGNORECASE),
        "attendees": re.compile(r"\b(?:" + alt(lex.attendees) + r")(?:nya)?\b", re.IGNORECASE),
        "crowd": re.compile(
            r"\b\d+\s+(?:orang\s+)?(?:" + alt(lex.crowd) + r")\b|\bsebanyak\s+\d+|"
            r"\bbersama\s+(?!-)[\w\"“]",
            re.IGNORECASE,
        ),
        "venue": re.compile(r"(?<![\w-])(?:" + alt(lex.venues) + r")\s+(?:[A-Z0-9])"),
        "place": re.compile(r"(?<![\w-])(?:" + alt(lex.places) + r")(?![\w])"),
        "not_place": re.compile(r"(?:" + alt(lex.not_places) + r")(?![\w])"),
    }


def has_activity(text: str, lex: Lexicon) -> bool:
    """Something took place: a verb or noun of an activity, or "kegiatan <what>"."""
    return bool(_patterns(lex)["activity"].search(text) or _GENERIC_ACTIVITY.search(text))


def has_attendees(text: str, lex: Lexicon) -> bool:
    """Who attended: "dihadiri", "turut hadir", "diikuti", "40 peserta", "bersama ..."."""
    p = _patterns(lex)
    return bool(p["attendees"].search(text) or p["crowd"].search(text))


def has_time(text: str) -> bool:
    """A weekday, a date or a clock time (see the module docstring)."""
    if _DATE.search(text) or _CLOCK.search(text):
        return True
    for match in (*_DAY.finditer(text), *_SUNDAY.finditer(text)):
        if not _HABIT.search(text[max(0, match.start() - 12) : match.start()]):
            return True
    return False


def has_location(masked: str, lex: Lexicon) -> bool:
    """A named place (``masked`` has the officials' titles blanked out)."""
    masked = _FROM_ALL.sub(lambda m: " " * len(m.group(0)), masked)  # "se-Kecamatan Dedai"
    p = _patterns(lex)
    for match in _DI_PLACE.finditer(masked):
        word = match.group(1)
        if word in _PLATFORMS or word in DAYS + MONTHS:
            continue
        if word not in lex.venues or p["venue"].match(masked, match.start(1)):
            return True  # "di Gandis", "di Aula Kantor ..." but not a bare "di Posyandu"
    for match in p["venue"].finditer(masked):
        if not p["not_place"].match(masked, match.start()):
            return True
    return bool(p["place"].search(masked))
