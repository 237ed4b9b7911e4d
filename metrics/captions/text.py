"""Text helpers: what is never checked (links, hashtags, degrees), shouting and sentences."""

from __future__ import annotations

import re

URL = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.]+", re.IGNORECASE)
TAG = re.compile(r"[#@][\w.]*\w")
# Academic degrees written with dots ("S.Sos", "M.Kes.", "S.H.", "A.Md.Kep", "Sp.OG") and
# the dotless ones after a comma (", SE", ", MM").
DEGREE = re.compile(
    r"(?<![\w.])(?:[SMD][1-3]?\.[A-Z][A-Za-z]{0,4}(?:\.[A-Z][A-Za-z]{0,4})*\.?"
    r"|A\.\s?Md(?:\.[A-Z][A-Za-z]{0,4})*\.?|Sp\.[A-Z]{1,4}\.?|Ph\.D\.?|M\.Sc\.?)(?![\w])"
    r"|(?<=,\s)(?:SE|SH|MM|MT|ST|SP|MH|MPd|SPd|SSos|MSi|SKM|MKes|MAP|MPH|MBA|Ners)\b"
)
INITIAL = re.compile(r"(?<![\w.])[A-Z]\.(?=\s*[A-Z])")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(])|\n+")
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Jum'at", "Sabtu", "Minggu", "Ahad")
MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Nopember", "Desember",
)  # fmt: skip
CALENDAR = frozenset(DAYS + MONTHS)
# Words kept in lower case when an all-caps caption is re-cased for analysis.
FUNCTION_WORDS = frozenset(
    [
        "di",
        "ke",
        "dari",
        "dan",
        "yang",
        "oleh",
        "pada",
        "untuk",
        "dengan",
        "bersama",
        "ini",
        "itu",
        "atau",
        "serta",
        "dalam",
        "kepada",
        "bagi",
        "tentang",
        "se",
        "para",
        "juga",
        "akan",
        "telah",
        "sudah",
        "sebagai",
        "agar",
        "supaya",
        "karena",
        "saat",
        "ketika",
        "hari",
        "pukul",
        "jam",
        "tersebut",
        "secara",
        "guna",
        "sebanyak",
        "hingga",
        "sampai",
        "adalah",
        "yaitu",
        "yakni",
        "setiap",
        "tiap",
        "turut",
        "hadir",
        "dihadiri",
        "diikuti",
        "didampingi",
        "kegiatan",
        "acara",
        "bertempat",
    ]
)
_UPPER = re.compile(r"[^\W\d_a-zß-öø-ÿ]")
_LOWER = re.compile(r"[a-zß-öø-ÿ]")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def as_text(value: object) -> str:
    """A caption as a string: '' when the platform sent none (None, NaN, pd.NA, a number)."""
    return value if isinstance(value, str) else ""


def has_text(value: object) -> bool:
    """Whether a caption has words to check: a letter or digit outside links, e-mail
    addresses, hashtags and mentions. None, NaN, pd.NA, '', whitespace and captions of only
    emoji, links or hashtags have none."""
    text = as_text(value)
    return bool(text.strip()) and bool(_LETTER_OR_DIGIT.search(strip_unchecked(text)))


def strip_unchecked(text: str) -> str:
    """The caption with links, e-mail addresses, hashtags and mentions blanked out.

    Blanked with as many spaces, so that positions in the result are positions in ``text``.
    """
    if "@" in text or "//" in text or "www." in text.lower():
        text = URL.sub(_spaces, text)
    return TAG.sub(_spaces, text) if ("#" in text or "@" in text) else text


def _spaces(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def is_shouting(text: str) -> bool:
    """True for a caption written in capitals (hashtags and links aside)."""
    if not _LOWER.search(text):
        upper = len(_UPPER.findall(strip_unchecked(text)))
        return upper >= 12
    cleaned = strip_unchecked(text)
    upper, lower = len(_UPPER.findall(cleaned)), len(_LOWER.findall(cleaned))
    return upper + lower >= 12 and upper >= 0.9 * (upper + lower)


def recase(text: str) -> str:
    """An all-caps caption in title case, function words in lower case, for analysis."""

    def fix(match: re.Match[str]) -> str:
        original = match.group(0)
        word = original.lower()
        if word in FUNCTION_WORDS:
            return word
        if len(word) <= 4 or not any(v in word for v in "aeiou"):
            return original  # probably an acronym: "RKPD", "OPD"
        return word[:1].upper() + word[1:]

    return _WORD.sub(fix, text)


def recase_shouting(text: str) -> str:
    """``text`` with each sentence or line written in capitals re-cased (same length)."""
    parts = re.split(r"((?<=[.!?])\s+|\n+)", text)
    out = []
    for part in parts:
        fixed = recase(part) if is_shouting(part) else part
        out.append(fixed if len(fixed) == len(part) else part)
    return "".join(out)


def sentences(text: str) -> list[str]:
    """The caption cut into sentences and lines."""
    return [s for s in SENTENCE_END.split(text) if s.strip()]
