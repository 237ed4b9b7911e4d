"""A hand-made regency for Kinerja OPD Saya: five OPDs with known habits, captions, follower
counts and reminders, at tests/clock.py's FIXED_NOW (26 November 2026, 13:00 WIB).

- DINKES posts on Instagram every day and on Facebook every third day, both only since 40
  days ago (so it climbs in November);
- DISDIK posts on Instagram every second day, and on YouTube weekly until 20 days ago;
- KEC-KETUNGAU's Instagram went quiet 45 days ago (dormant);
- DISPORA's only account cannot be read (not found); BAPPEDA has no account at all.

Every fourth post of an account has a weak caption (a post to fix); the others are complete.
The posts and counts are returned, so tests compute what they expect from the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from core.settings import Settings
from db import repository as repo
from db.models import Reminder
from refresh import after_write
from tests.clock import FIXED_NOW, WIB

GOOD = {
    "DINKES": "Kepala Dinas Kesehatan Kabupaten Sintang, dr. Maria Sulastri, membuka pelatihan "
    "kader posyandu di Aula Dinas Kesehatan Sintang pada Senin (16/11/2026) pukul 09.00 WIB. "
    "Turut hadir para bidan desa se-Kecamatan Sintang.",
    "DISDIK": "Kepala Dinas Pendidikan Kabupaten Sintang, Drs. Benediktus Ali, meninjau ujian "
    "sekolah di SD Negeri 3 Sintang pada Selasa (10/11/2026) pukul 08.00 WIB, didampingi para "
    "pengawas sekolah.",
    "KEC-KETUNGAU": "Camat Ketungau Hulu, Yohanes Bosco, menghadiri musyawarah desa di Balai "
    "Desa Sungai Seria pada Kamis (8/10/2026) pukul 10.00 WIB bersama para kepala dusun.",
}
WEAK = {
    "DINKES": "Foto bersama staf puskesmas hari ini.",
    "DISDIK": "Suasana sekolah pagi ini.",
    "KEC-KETUNGAU": "Kegiatan di kecamatan hari ini.",
}
NAMES = {
    "DINKES": "Dinas Kesehatan",
    "DISDIK": "Dinas Pendidikan",
    "KEC-KETUNGAU": "Kecamatan Ketungau Hulu",
    "DISPORA": "Dinas Pemuda dan Olahraga",
    "BAPPEDA": "Badan Perencanaan Pembangunan Daerah",
}
# account key: (OPD code, platform, handle, days quiet, post every N days, posting since)
ACCOUNTS = {
    "dinkes_ig": ("DINKES", "instagram", "dinkes.sintang", 0, 1, 40),
    "dinkes_fb": ("DINKES", "facebook", "dinkes.sintang", 1, 3, 40),
    "disdik_ig": ("DISDIK", "instagram", "disdik.kalbar", 0, 2, 200),
    "disdik_yt": ("DISDIK", "youtube", "disdik.tv", 20, 7, 200),
    "ketungau_ig": ("KEC-KETUNGAU", "instagram", "kec.ketungauhulu", 45, 5, 200),
}
UNREADABLE_HANDLE = "dispora.stg"
NOT_FOUND = "Akun tidak ditemukan. Periksa nama akunnya di daftar akun."


def wib(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB).astimezone(UTC)


@dataclass
class World:
    opds: dict[str, int] = field(default_factory=dict)  # code -> id
    accounts: dict[str, int] = field(default_factory=dict)  # key -> id
    posts: list[repo.PostRow] = field(default_factory=list)
    snapshots: list[repo.SnapshotRow] = field(default_factory=list)

    def accounts_of(self, code: str) -> set[int]:
        keys = [k for k, (owner, *_rest) in ACCOUNTS.items() if owner == code]
        return {self.accounts[k] for k in keys} | (
            {self.accounts["dispora_ig"]} if code == "DISPORA" else set()
        )


def _posts(world: World, key: str, now: datetime) -> None:
    code, platform, _handle, quiet, every, since = ACCOUNTS[key]
    account_id = world.accounts[key]
    for n, age in enumerate(range(quiet, since, every)):
        caption = WEAK[code] if n % 4 == 0 else GOOD[code]
        world.posts.append(
            repo.PostRow(
                account_id, f"{key}-{n}", now - timedelta(days=age, hours=2), caption,
                url=f"https://example.org/{key}/{n}", likes=20 + n % 5, comments=n % 3,
                shares=2 if platform == "facebook" else None,
                views=300 + n if platform == "youtube" else None,
            )
        )  # fmt: skip


def _snapshots(world: World, now: datetime) -> None:
    for i, (key, account_id) in enumerate(world.accounts.items()):
        if key == "dispora_ig":
            continue
        base = 1_000 * (i + 1)
        world.snapshots += [
            repo.SnapshotRow(account_id, now - timedelta(days=d, hours=1), base + 3 * (150 - d))
            for d in range(0, 150)
        ]


def _reminder(session: Session, account_id: int, channel: str, status: str, at: datetime) -> None:
    """A reminder recorded ``at``; a sent one went out five minutes later."""
    rid = repo.record_reminder(session, account_id, channel, "uji", "Mohon akun diperbarui.")
    row = session.get(Reminder, rid)
    assert row is not None
    row.status, row.created_at = status, at
    row.sent_at = at + timedelta(minutes=5) if status == "sent" else None


# account key, channel, status, when (a cancelled one never went out)
REMINDERS = [
    ("dinkes_fb", "whatsapp", "sent", wib(11, 3, 9, 10)),
    ("dinkes_fb", "email", "sent", wib(10, 20, 8)),
    ("dinkes_ig", "queue", "cancelled", wib(11, 5, 7)),
    ("ketungau_ig", "email", "sent", wib(11, 10, 8)),
    ("ketungau_ig", "queue", "queued", wib(11, 25, 7)),
    ("disdik_yt", "whatsapp", "sent", wib(11, 12, 14)),
]


def _reminders(session: Session, world: World) -> None:
    for key, channel, status, at in REMINDERS:
        _reminder(session, world.accounts[key], channel, status, at)


def build(session: Session, settings: Settings, now: datetime = FIXED_NOW) -> World:
    world = World()
    opds = {
        code: repo.upsert_opd(session, code, name, "kecamatan" if "KEC" in code else "dinas")
        for code, name in NAMES.items()
    }
    world.opds = {code: opd.id for code, opd in opds.items()}
    for key, (code, platform, handle, *_habits) in ACCOUNTS.items():
        world.accounts[key] = repo.upsert_account(session, opds[code], platform, handle).id
        _posts(world, key, now)
    world.accounts["dispora_ig"] = repo.upsert_account(
        session, opds["DISPORA"], "instagram", UNREADABLE_HANDLE
    ).id
    _snapshots(world, now)
    repo.upsert_posts(session, world.posts)
    repo.upsert_snapshots(session, world.snapshots)
    run = repo.start_run(session, "collect")
    failed = repo.ResultRow(
        world.accounts["dispora_ig"], now - timedelta(days=1), "failed", "not_found", NOT_FOUND
    )
    repo.record_account_results(session, run.id, [failed])
    repo.finish_run(session, run, "ok")
    _reminders(session, world)
    after_write(session, settings)
    session.commit()
    return world
