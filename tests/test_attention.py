"""Ringkasan's "Lima akun yang paling perlu perhatian" and the OPDs with no account at all."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from db.models import Account, Opd
from services.overview import attention_list, opds_without_account


def scored_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "handle": ["dinkes.aktif", "disdik.lama", "bappeda.sepi", "dukcapil.baru",
                       "kec.ketungau", "dpupr.rawan", "satpolpp.nol"],
            "status": ["active", "dormant", "dormant", "dormant", "at_risk", "at_risk",
                       "dormant"],
            "days_since_last_post": [2.0, 95.0, 240.0, None, 40.0, None, 61.0],
        }
    )  # fmt: skip


def test_never_posted_accounts_lead_the_attention_list() -> None:
    shown = attention_list(scored_frame(), limit=10)
    assert shown["handle"].tolist() == [
        "dukcapil.baru",  # dormant, never posted: silent longest
        "bappeda.sepi",
        "disdik.lama",
        "satpolpp.nol",
        "dpupr.rawan",  # at risk, never posted, before at risk with a day count
        "kec.ketungau",
    ]


def test_the_five_keep_a_never_posted_account() -> None:
    frame = pd.DataFrame(
        {
            "handle": [f"akun{i}" for i in range(6)] + ["belum.pernah"],
            "status": ["dormant"] * 7,
            "days_since_last_post": [100.0, 110.0, 120.0, 130.0, 140.0, 150.0, None],
        }
    )
    shown = attention_list(frame)
    assert len(shown) == 5 and shown["handle"].iloc[0] == "belum.pernah"
    assert "akun0" not in set(shown["handle"])  # the shortest silence makes room


def test_opds_without_a_watched_account(session: Session) -> None:
    with_account = Opd(code="DISKOMINFO", name="Dinas Komunikasi dan Informatika")
    only_old = Opd(code="KEC-SERAWAI", name="Kecamatan Serawai", category="kecamatan")
    nothing = Opd(code="KEC-AMBALAU", name="Kecamatan Ambalau", category="kecamatan",
                  admin_name="Yohanes Lumbun", admin_phone="0812-5550-1234")  # fmt: skip
    session.add_all([with_account, only_old, nothing])
    session.flush()
    session.add_all(
        [
            Account(opd_id=with_account.id, platform="instagram", handle="kominfo.sintang"),
            Account(opd_id=only_old.id, platform="facebook", handle="serawai.lama", active=False),
        ]
    )
    session.commit()
    missing = opds_without_account(session)
    assert missing["opd_name"].tolist() == ["Kecamatan Ambalau", "Kecamatan Serawai"]
    assert missing.iloc[0]["admin_phone"] == "0812-5550-1234"
    assert missing.iloc[1]["category"] == "kecamatan"
