"""A tiny hand-made world for page and CLI tests: four accounts with known habits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from core.timeutil import DEFAULT_TZ
from db import repository as repo
from refresh.aggregates import rebuild_months
from refresh.captions import score_new_captions

NOW = datetime.now(UTC)


def build_sample_world(session: Session, now: datetime = NOW) -> dict[str, int]:
    """DINKES posts daily, DISHUB went quiet 20 days ago, DPUPR 60 days ago; KEC-DEDAI's
    Instagram is collected but never posted, its YouTube was never collected at all."""
    dinkes = repo.upsert_opd(
        session, "DINKES", "Dinas Kesehatan", "dinas", admin_name="Admin Dinkes"
    )
    dishub = repo.upsert_opd(session, "DISHUB", "Dinas Perhubungan", "dinas")
    dpupr = repo.upsert_opd(session, "DPUPR", "Dinas Pekerjaan Umum", "dinas")
    dedai = repo.upsert_opd(session, "KEC-DEDAI", "Kecamatan Dedai", "kecamatan")
    ids = {
        "dinkes_ig": repo.upsert_account(session, dinkes, "instagram", "demo.dinkes").id,
        "dishub_fb": repo.upsert_account(session, dishub, "facebook", "demo.dishub").id,
        "dpupr_ig": repo.upsert_account(session, dpupr, "instagram", "demo.dpupr").id,
        "dedai_ig": repo.upsert_account(session, dedai, "instagram", "demo.dedai").id,
    }
    never_collected = repo.upsert_account(session, dedai, "youtube", "demo.dedai").id
    habits = {"dinkes_ig": (0, 1), "dishub_fb": (20, 3), "dpupr_ig": (60, 7)}
    posts = []
    for key, (quiet_days, every) in habits.items():
        for n, age in enumerate(range(quiet_days, quiet_days + 120, every)):
            posts.append(
                repo.PostRow(
                    ids[key],
                    f"{key}-{n}",
                    now - timedelta(days=age, hours=2),
                    caption=f"Kegiatan {n}",
                    likes=10 + n % 7,
                    comments=n % 3,
                    shares=1 if key == "dishub_fb" else None,
                )
            )
    repo.upsert_posts(session, posts)
    snaps = [
        repo.SnapshotRow(acc, now - timedelta(days=d, hours=1), 1000 + 5 * (150 - d) * (i + 1))
        for i, acc in enumerate(ids.values())
        for d in range(0, 150, 1)
    ]
    repo.upsert_snapshots(session, snaps)
    score_new_captions(session)  # as refresh.after_write does after every pass of writes
    rebuild_months(session, DEFAULT_TZ)
    session.commit()
    return {**ids, "dedai_yt": never_collected}
