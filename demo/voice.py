"""The voice of one OPD in the demo captions: its fictional officials and subject matter."""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from demo import caption_data as cd

TOPICS_FILE = Path(__file__).resolve().parent / "topics.toml"
TOPIC_FIELDS = ("activities", "places", "attendees", "bidang", "fungsional", "closings")


@dataclass(frozen=True)
class Topic:
    activities: tuple[str, ...]
    places: tuple[str, ...]
    attendees: tuple[str, ...]
    bidang: tuple[str, ...]
    fungsional: tuple[str, ...]
    closings: tuple[str, ...]


@dataclass(frozen=True)
class Official:
    title: str
    name: str

    @property
    def who(self) -> str:
        """``Kepala Dinas Kesehatan Kabupaten Sintang, Yohanes Setiawan,``."""
        return f"{self.title}, {self.name},"


@cache
def _topics() -> dict[str, Topic]:
    raw = tomllib.loads(TOPICS_FILE.read_text(encoding="utf-8"))
    return {key: Topic(*(tuple(raw[key][f]) for f in TOPIC_FIELDS)) for key in raw}


def topic_for(code: str, category: str) -> Topic:
    """The OPD's own subject matter, else its category's, else the generic one."""
    topics = _topics()
    return topics.get(code) or topics.get(category) or topics["generic"]


def opd_label(name: str, category: str) -> str:
    """How captions name the OPD: ``Dinas Kesehatan Kabupaten Sintang``."""
    if category in ("kecamatan", "rsud") or name.endswith("Sintang"):
        return name
    return f"{name} Sintang" if name.endswith("Setda") else f"{name} Kabupaten Sintang"


def opd_abbr(code: str) -> str:
    """Everyday short form: ``Dinkes``, ``DPUPR``, ``Satpol PP``, ``Kecamatan Sepauk``."""
    if code.startswith("KEC-"):
        return "Kecamatan " + code.removeprefix("KEC-").title()
    if code in cd.SHORT_FORMS:
        return cd.SHORT_FORMS[code]
    return code if code in cd.ACRONYMS else code.capitalize()


def fictional_name(rng: random.Random) -> str:
    """A generic Indonesian name that belongs to no real official."""
    if rng.random() < 0.5:
        return f"{rng.choice(cd.MALE_FIRST)} {rng.choice(cd.MALE_LAST + cd.SHARED_LAST)}"
    return f"{rng.choice(cd.FEMALE_FIRST)} {rng.choice(cd.FEMALE_LAST + cd.SHARED_LAST)}"


def home_kecamatan(name: str, category: str) -> str | None:
    if category != "kecamatan":
        return None
    kec = name.removeprefix("Kecamatan ").strip()
    return kec if kec in cd.VILLAGES else None


def _titles(code: str, category: str, label: str, kec: str | None) -> tuple[str, str, str]:
    """Title formats of the head, the secretary and a division head (``{b}`` = division)."""
    if kec is not None:
        return f"Camat {kec}", f"Sekretaris Camat {kec}", f"Kepala Seksi {{b}} Kecamatan {kec}"
    special = {
        "SETDA": ("Sekda Sintang", "Asisten Pemerintahan Setda Sintang", "Kepala Bagian {b}"),
        "PROKOPIM": (f"Kepala {label}", "Kepala Subbagian Protokol", "Kepala Subbagian {b}"),
        "SETWAN": ("Sekretaris DPRD Kabupaten Sintang", "Kepala Bagian Umum Setwan", "Kabag {b}"),
        "INSPEKTORAT": ("Inspektur Daerah Kabupaten Sintang", f"Sekretaris {label}", "{b}"),
        "RSUD": (
            f"Direktur {label}",
            f"Wakil Direktur Umum {label}",
            f"Kepala Bidang {{b}} {label}",
        ),
    }
    if code in special:
        return special[code]
    return f"Kepala {label}", f"Sekretaris {label}", f"Kepala Bidang {{b}} {label}"


@dataclass(frozen=True)
class OpdVoice:
    """Everything a caption needs to know about one OPD: names, officials, subject matter."""

    code: str
    label: str
    abbr: str
    kecamatan: str | None
    topic: Topic
    officials: tuple[tuple[Official, float], ...]  # (official, weight)
    leaders: tuple[Official, ...]  # Bupati, Wakil Bupati, Sekda

    @property
    def tag(self) -> str:
        return "#" + self.abbr.replace(" ", "") + ("" if self.kecamatan else "Sintang")


def make_voice(code: str, name: str, category: str, seed: int) -> OpdVoice:
    """The OPD's fictional officials; the same for every platform of the OPD."""
    rng = random.Random(f"{seed}:roster:{code}")
    label, kec = opd_label(name, category), home_kecamatan(name, category)
    topic = topic_for(code, category)
    head, sec, kabid = _titles(code, category, label, kec)
    if code not in ("SETDA", "PROKOPIM") and category == "dinas" and rng.random() < 0.5:
        head = f"Kadis {opd_abbr(code)} Sintang"
    officials = [
        (Official(head, fictional_name(rng)), 0.4),
        (Official(sec, fictional_name(rng)), 0.15),
    ]
    for b in topic.bidang[:3]:
        officials.append((Official(kabid.format(b=b), fictional_name(rng)), 0.3 / 3))
    for f in topic.fungsional[:2]:
        officials.append((Official(f"{f} {label}", fictional_name(rng)), 0.15 / 2))
    lead_rng = random.Random(f"{seed}:regency")
    leaders = tuple(Official(t, fictional_name(lead_rng)) for t in cd.REGENCY_TITLES)
    return OpdVoice(code, label, opd_abbr(code), kec, topic, tuple(officials), leaders)
