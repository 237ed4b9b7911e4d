"""Status Pengambilan Data through AppTest from app.py: empty, crafted and demo worlds."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from cryptography.fernet import Fernet
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from core.timeutil import DEFAULT_TZ
from db import repository as repo
from db import tokens as token_store
from db.engine import make_engine, make_session_factory
from tests.app_support import metrics, run_page, shown_cells, texts

PAGE = "pages/kesehatan_koleksi.py"
KEY = Fernet.generate_key().decode()
SECRET = "tok.RAHASIA-akses-123"
REFRESH = "rft.RAHASIA-penyegar-456"


def everything(at: AppTest) -> str:
    """All text on the page, the tables' cells included."""
    tables = [d.value.to_csv() for d in at.dataframe]
    return "\n".join([texts(at), *tables, *(s.value for s in at.success)])


def craft(session: Session, now: datetime) -> None:
    """A TikTok account failing twice since its last success (a skip in between), a Facebook
    Page never collected successfully, an Instagram account that is fine, a YouTube channel
    never collected; the TikTok token expires in three days."""
    opd = repo.upsert_opd(session, "DINKES", "Dinas Kesehatan", "dinas")
    ids = {
        platform: repo.upsert_account(session, opd, platform, f"demo.{platform}").id
        for platform in ("tiktok", "facebook", "instagram", "youtube")
    }
    steps: list[dict[str, tuple[str, str | None, str | None]]] = [
        {"tiktok": ("ok", None, None), "instagram": ("failed", "transient", "Koneksi putus.")},
        {"tiktok": ("failed", "auth", "Token TikTok ditolak."), "instagram": ("ok", None, None)},
        {"tiktok": ("skipped", None, None), "facebook": ("failed", "not_found", "Halaman hilang.")},
        {"tiktok": ("failed", "auth", "Token TikTok ditolak lagi.")},
    ]
    for n, step in enumerate(steps):
        run = repo.start_run(session, "collect", "all" if n < 3 else "platform=tiktok")
        when = now - timedelta(days=4 - n)
        rows = [repo.ResultRow(ids[p], when, s, e, m) for p, (s, e, m) in step.items()]
        repo.record_account_results(session, run.id, rows)
        repo.finish_run(session, run, "partial", f"{len(rows)} akun diproses.")
    # noon WIB three days on: "dalam 3 hari" whatever the hour the test runs at
    today = now.astimezone(DEFAULT_TZ).date()
    expiry = datetime.combine(today + timedelta(days=3), time(12), tzinfo=DEFAULT_TZ)
    pair = token_store.TokenPair(SECRET, REFRESH, expiry, now + timedelta(days=200))
    token_store.save_token(session, ids["tiktok"], pair, KEY)
    session.commit()


def test_empty_database(empty_app: str) -> None:
    at = run_page(PAGE)
    assert at.title[0].value == "Status Pengambilan Data"
    assert set(metrics(at).values()) == {"0"}
    assert "Belum ada riwayat pengambilan data" in texts(at)
    assert "DATA DEMO" not in texts(at)
    assert "Belum ada data untuk ditampilkan." in texts(at)


def test_crafted_failures_labels_and_tokens(empty_app: str, fixed_now: datetime) -> None:
    with make_session_factory(make_engine(empty_app))() as session:
        craft(session, fixed_now)  # "in 3 days" then and when the page draws: the same today
    at = run_page(PAGE)
    assert metrics(at) == {
        "Pengambilan data terakhir gagal": "2",
        "Belum pernah diambil": "1",
        "Token segera kedaluwarsa": "1",
    }
    accounts = shown_cells(at.dataframe[0]).set_index("Akun")
    streaks = at.dataframe[0].value["Gagal berturut-turut"]  # numbers: sorted by value
    assert streaks.dtype == "float64" and streaks.max() == 2
    tiktok = accounts.loc["demo.tiktok"]
    assert tiktok["Gagal berturut-turut"] == "2"
    assert tiktok["Pengambilan terakhir"] == "Gagal"
    assert tiktok["Jenis kesalahan"] == "Token/kunci tidak valid"
    assert tiktok["Kesalahan terakhir"] == "Token TikTok ditolak lagi."
    assert tiktok["Berhasil terakhir"].endswith(" WIB")
    facebook = accounts.loc["demo.facebook"]
    assert facebook["Jenis kesalahan"] == "Akun tidak ditemukan / bukan akun profesional"
    assert facebook["Berhasil terakhir"] == "Belum pernah"
    assert accounts.loc["demo.instagram", "Gagal berturut-turut"] == "0"
    assert accounts.loc["demo.instagram", "Kesalahan terakhir"] == "–"
    assert accounts.loc["demo.youtube", "Pengambilan terakhir"] == "Belum pernah diambil"
    assert shown_cells(at.dataframe[0])["Akun"].tolist()[0] == "demo.tiktok"  # longest streak
    tokens = shown_cells(at.dataframe[1])
    assert tokens[["Akun", "Kredensial", "Keadaan"]].values.tolist() == [
        ["demo.tiktok", "Token akses", "Kedaluwarsa dalam 3 hari"]
    ]
    assert tokens["Berlaku sampai"].iloc[0].endswith(" WIB")
    runs = at.dataframe[2].value
    assert len(runs) == 4 and set(runs["Status"]) == {"Sebagian berhasil"}
    assert set(runs["Jenis"]) == {"Pengambilan data"}
    assert runs["Platform"].tolist() == ["TikTok", "Semua platform", "Semua platform",
                                         "Semua platform"]  # newest first  # fmt: skip
    page = everything(at)
    assert SECRET not in page and REFRESH not in page and "RAHASIA" not in page
    assert "gAAAA" not in page  # no Fernet ciphertext either


def test_demo_world(demo_app: str) -> None:
    at = run_page(PAGE)
    assert "DATA DEMO" in texts(at)
    assert "Belum ada riwayat pengambilan data" not in texts(at)
    accounts = shown_cells(at.dataframe[0])
    assert len(accounts) == 129
    never = accounts["Berhasil terakhir"] == "Belum pernah"  # the demo's unreadable three
    assert never.sum() == 3 and accounts.loc[~never, "Berhasil terakhir"].str.endswith(" WIB").all()
    assert metrics(at)["Belum pernah diambil"] == "0"
    runs = at.dataframe[-1].value
    assert "Pengambilan data" in set(runs["Jenis"])
    assert "gAAAA" not in everything(at)
