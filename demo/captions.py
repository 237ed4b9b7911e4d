"""Deterministic Indonesian captions in the style of a regency government's social media.

A GOOD caption follows the Diskominfo guidance: it names the official (title and name), the
activity, the place, the time and who attended, with one to three hashtags. A PARTIAL caption
drops some of these. A POOR one is bare, full of typos or unexplained jargon, about staff
outings, very short or written in capitals.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from demo import caption_data as cd
from demo.voice import Official, OpdVoice

POOR_KINDS = ("bare", "jargon", "staff", "typo", "caps", "short")
POOR_WEIGHTS = (25, 20, 12, 18, 12, 13)


@dataclass(frozen=True)
class Caption:
    text: str
    quality: float  # 0 (tells nothing) .. 1 (every element the guidance asks for)
    kind: str  # good | partial | one of POOR_KINDS


def date_short(when: datetime) -> str:
    """``Senin (12/5/2025)``."""
    return f"{cd.DAY_NAMES[when.weekday()]} ({when.day}/{when.month}/{when.year})"


def date_long(when: datetime) -> str:
    """``Rabu, 4 Desember 2024``."""
    day = cd.DAY_NAMES[when.weekday()]
    return f"{day}, {when.day} {cd.MONTH_NAMES[when.month - 1]} {when.year}"


def activity_clock(rng: random.Random, when: datetime) -> str:
    """A start time (``09.00``) on the post's day, not after the post itself."""
    hour = rng.randint(max(7, when.hour - 3), max(7, when.hour - 1))
    minute = rng.choice((0, 0, 30)) if hour < when.hour else 0
    return f"{hour:02d}.{minute:02d}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _pick_official(rng: random.Random, voice: OpdVoice) -> Official:
    people = [o for o, _ in voice.officials]
    return rng.choices(people, weights=[w for _, w in voice.officials])[0]


def _hashtags(rng: random.Random, voice: OpdVoice) -> str:
    extra = rng.sample(cd.TAG_POOL, rng.randint(0, 2))
    return " ".join([voice.tag, *extra])


def _context(rng: random.Random, voice: OpdVoice) -> dict[str, str]:
    kec = voice.kecamatan or rng.choice(cd.KECAMATAN)
    return {
        "kec": kec,
        "desa": rng.choice(cd.VILLAGES[kec]),
        "opd": voice.label,
        "n": str(rng.choice((15, 20, 25, 30, 40, 50, 60, 75, 100, 120, 150))),
        "sd": str(rng.randint(1, 40)),
        "smp": str(rng.randint(1, 12)),
        "sma": str(rng.randint(1, 4)),
    }


@dataclass(frozen=True)
class _Parts:
    who: Official
    act: str
    place: str
    att: str
    closing: str
    tags: str
    n: str
    escort: str  # "" or a sentence naming the OPD head beside a regency leader


def _parts(rng: random.Random, voice: OpdVoice) -> _Parts:
    ctx, topic = _context(rng, voice), voice.topic
    who, escort = _pick_official(rng, voice), ""
    act = rng.choice(topic.activities).format(**ctx)
    if rng.random() < 0.12 and "Bupati" not in act:
        head = voice.officials[0][0]
        who = rng.choice(voice.leaders)
        escort = f" Kegiatan ini didampingi oleh {head.title}, {head.name}."
    return _Parts(
        who=who,
        act=act,
        place=rng.choice(topic.places).format(**ctx),
        att=rng.choice(topic.attendees).format(**ctx),
        closing=rng.choice(topic.closings).format(**ctx),
        tags=_hashtags(rng, voice),
        n=ctx["n"],
        escort=escort,
    )


def good_caption(rng: random.Random, voice: OpdVoice, when: datetime) -> Caption:
    """Who, what, where, when and who attended, plus hashtags."""
    p = _parts(rng, voice)
    style = rng.randrange(4) if when.hour >= 8 else rng.choice((0, 2))
    if style == 0:
        body = (
            f"{p.who.who} {p.act} {p.place}, pada {date_short(when)}. "
            f"Kegiatan ini dihadiri oleh {p.att}.{p.escort} {p.closing}"
        )
    elif style == 1:
        body = (
            f"Sintang – {p.who.title} {p.who.name} {p.act} {p.place}, {date_long(when)} pukul "
            f"{activity_clock(rng, when)} WIB. Turut hadir dalam kegiatan tersebut {p.att}."
            f"{p.escort} {p.closing}"
        )
    elif style == 2:
        body = (
            f"{date_long(when)} – {p.who.who} {p.act} yang diikuti oleh {p.n} peserta, "
            f"bertempat {p.place}. Turut hadir {p.att}.{p.escort} {p.closing}"
        )
    else:
        lead, message = rng.choice(cd.QUOTE_LEADS), rng.choice(cd.QUOTE_MESSAGES)
        body = (
            f"{p.who.who} {p.act} {p.place} pada {date_long(when)} pukul "
            f"{activity_clock(rng, when)} WIB. Kegiatan tersebut dihadiri oleh {p.att}."
            f"{p.escort}\n\n{lead}, {p.who.name} menyampaikan bahwa {message}. {p.closing}"
        )
    quality = 1.0 if style == 3 else rng.uniform(0.85, 0.95)
    return Caption(f"{body}\n\n{p.tags}", round(quality, 2), "good")


def partial_caption(rng: random.Random, voice: OpdVoice, when: datetime) -> Caption:
    """Some elements of the guidance are missing (the place, the time or the people)."""
    p = _parts(rng, voice)
    texts = (
        f"{p.who.who} {p.act}. {p.tags}",
        f"{_cap(p.act)} {p.place}. {p.tags}",
        f"{_cap(p.act)} {p.place}, {date_long(when)}.",
        f"{p.who.title} {p.who.name} {p.act} {p.place}.",
    )
    return Caption(rng.choice(texts), round(rng.uniform(0.5, 0.65), 2), "partial")


def poor_caption(rng: random.Random, voice: OpdVoice, when: datetime) -> Caption:
    """One of the habits the guidance warns against."""
    kind = rng.choices(POOR_KINDS, weights=POOR_WEIGHTS)[0]
    if kind == "bare":
        text = rng.choice(cd.BARE_CAPTIONS)
    elif kind == "jargon":
        text = rng.choice(cd.JARGON_CAPTIONS)
    elif kind == "staff":
        text = rng.choice(cd.STAFF_CAPTIONS).format(abbr=voice.abbr)
    elif kind == "typo":
        text = add_typos(good_caption(rng, voice, when).text)
    elif kind == "caps":
        text = partial_caption(rng, voice, when).text.upper()
    else:
        text = _cap(rng.choice(voice.topic.activities).split(" ")[0]) + " " + "kegiatan."
    quality = {"typo": 0.35, "caps": 0.3, "short": 0.2, "jargon": 0.15}.get(kind, 0.1)
    return Caption(text, quality, kind)


def add_typos(text: str) -> str:
    """The slips the guidance warns about: ``kegiatn``, ``pelaksanan``, ``dihadri``..."""
    for right, wrong in cd.TYPOS.items():
        text = text.replace(right, wrong)
    return text


def write_caption(
    rng: random.Random, voice: OpdVoice, when: datetime, propensity: float
) -> Caption:
    """A caption for a post at local time ``when``; ``propensity`` is the chance it is good."""
    roll = rng.random()
    if roll < propensity:
        return good_caption(rng, voice, when)
    if roll < propensity + (1 - propensity) * 0.35:
        return partial_caption(rng, voice, when)
    return poor_caption(rng, voice, when)
