"""A hand-made month for the post-by-post review: two OPDs, captions that each lack one known
thing, a post without caption, one outside the office's rule, one with a typo and a jargon
term, and posts that must stay out (another month, an inactive account)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from db import repository as repo
from tests.clock import WIB

MONTH = "2026-11"
PLACE = "di Aula Kantor Camat Kelam Permai"
WHO = "Kepala Dinas Pertanian Kabupaten Sintang, Ir. Markus Lenggang,"
WHEN = "pada Rabu (4/11/2026) pukul 08.30 WIB"
GUESTS = "Turut hadir para ketua kelompok tani se-Kecamatan Kelam Permai."
# each caption lacks exactly the element it is named after (and nothing else)
LACKING = {
    "official": f"Kepala Dinas Pertanian Kabupaten Sintang membuka pelatihan penangkar benih "
    f"padi {PLACE} {WHEN}. {GUESTS}",
    "activity": f"{WHO} {PLACE} {WHEN}. {GUESTS}",
    "location": f"{WHO} membuka pelatihan penangkar benih padi {WHEN}. Turut hadir para ketua "
    "kelompok tani.",
    "time": f"{WHO} membuka pelatihan penangkar benih padi {PLACE}. {GUESTS}",
    "attendees": f"{WHO} membuka pelatihan penangkar benih padi {PLACE} {WHEN}.",
}
COMPLETE = f"{WHO} membuka pelatihan penangkar benih padi {PLACE} {WHEN}. {GUESTS}"
STAFF = "Senam pagi bersama staf Dinas Pertanian pada Jumat (6/11/2026) pukul 07.00 WIB."
TYPO_AND_JARGON = (
    f"{WHO} membuka rakor penangkar benih padi {PLACE} {WHEN}. Turut hadir para ketau "
    "kelompok tani se-Kecamatan Kelam Permai."
)
EDUCATION = (
    "Kepala Dinas Pendidikan Kabupaten Sintang, Dra. Yosefina Ani, meninjau ujian sekolah di "
    "SD Negeri 5 Sintang pada Senin (9/11/2026) pukul 09.00 WIB, didampingi para pengawas."
)


def wib(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB).astimezone(UTC)


@dataclass(frozen=True)
class World:
    farm_opd: int  # DISTAN: every hand-made caption
    school_opd: int  # DISDIK: one complete post
    farm_ig: int
    farm_fb: int
    school_ig: int


def build(session: Session) -> World:
    farm = repo.upsert_opd(session, "DISTAN", "Dinas Pertanian", "dinas")
    school = repo.upsert_opd(session, "DISDIK", "Dinas Pendidikan", "dinas")
    farm_ig = repo.upsert_account(session, farm, "instagram", "distan.sintang").id
    farm_fb = repo.upsert_account(session, farm, "facebook", "distan.sintang").id
    school_ig = repo.upsert_account(session, school, "instagram", "disdik.sintang").id
    retired = repo.upsert_account(session, farm, "tiktok", "distan.lama")
    retired.active = False
    url = "https://www.instagram.com/p/{}/"
    posts = [
        repo.PostRow(farm_ig, f"lack-{name}", wib(2 + i, 10), caption, url.format(name))
        for i, (name, caption) in enumerate(LACKING.items())
    ]
    posts += [
        repo.PostRow(farm_ig, "complete", wib(10, 9), COMPLETE, url.format("complete")),
        repo.PostRow(farm_fb, "staff", wib(11, 8), STAFF, "javascript:alert(1)"),
        repo.PostRow(farm_fb, "no-caption", wib(12, 8), None, None),
        repo.PostRow(farm_ig, "typo", wib(13, 8), TYPO_AND_JARGON, url.format("typo")),
        repo.PostRow(farm_ig, "first-hour", wib(1, 0, 30), COMPLETE, url.format("first")),
        repo.PostRow(farm_ig, "october", wib(31, 23, 30, month=10), STAFF),
        repo.PostRow(retired.id, "retired", wib(14, 8), STAFF),
        repo.PostRow(school_ig, "school", wib(9, 11), EDUCATION, url.format("school")),
    ]
    repo.upsert_posts(session, posts)
    session.commit()
    return World(farm.id, school.id, farm_ig, farm_fb, school_ig)
