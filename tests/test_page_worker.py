"""The scheduler worker in the dashboard, through AppTest from app.py: the stopped-worker
banner, the job table in Status Pengambilan Data, the reminder queue in Akun Dorman and the saved
briefings in Tinjauan Bulanan."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import streamlit as st
from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from core import fmt
from core.settings import Settings
from db import audit, worker_store
from db import repository as repo
from db.engine import make_engine, make_session_factory
from db.models import Account, Reminder
from db.worker_store import LeaseInfo
from tests.app_support import ADMIN_USER, DEFAULT_PAGE, run_page, shown_cells, table_with, texts
from tests.sample_world import build_sample_world

STALE_TEXT = "Proses otomatis terjadwal tidak berjalan sejak"
NEVER_TEXT = "Proses otomatis terjadwal belum pernah berjalan"
HOLDER = "pekerja-uji"
TZ = Settings().tz


def session_on(url: str) -> Session:
    return make_session_factory(make_engine(url))()


def beat(url: str, heartbeat: datetime) -> None:
    """A worker lease whose last heartbeat is ``heartbeat`` (taken, or renewed when held)."""
    with session_on(url) as session:
        if worker_store.read_lease(session) is None:
            me = LeaseInfo(HOLDER, "server-uji", 4242, heartbeat, heartbeat)
            assert worker_store.try_acquire(session, me, timedelta(minutes=1))
        else:
            assert worker_store.renew(session, HOLDER, heartbeat)


def banners(at: AppTest) -> list[str]:
    return [str(w.value) for w in at.warning if "Proses otomatis terjadwal" in str(w.value)]


def rerun(page: str) -> AppTest:
    st.cache_data.clear()  # the banner's loader keeps its answer for a minute
    return run_page(page)


@pytest.fixture
def real_url(demo_db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The demo world relabelled as real data: the worker is then expected to run."""
    from tests.app_support import serve_from

    with session_on(demo_db_url) as session:
        repo.set_meta(session, "data_source", "collect")
        session.commit()
    yield from serve_from(demo_db_url, monkeypatch)


@pytest.fixture
def sample_url(empty_app: str, fixed_now: datetime) -> str:
    with session_on(empty_app) as session:
        build_sample_world(session, now=fixed_now)
    return empty_app


# --- the banner ---------------------------------------------------------------------------
# AppTest's switch_page runs a page file alone, so the banner (drawn by app.py) is checked on
# the default page, and the path of the pages that need no database through a small script.


def test_banner_when_the_heartbeat_is_older_than_two_intervals(real_url: str) -> None:
    old = datetime.now(UTC) - timedelta(hours=13)  # default interval: 6 hours
    beat(real_url, old)
    at = run_page(DEFAULT_PAGE)
    shown = banners(at)
    assert len(shown) == 1
    assert shown[0].startswith(STALE_TEXT)
    assert fmt.date_time(old, TZ) in shown[0]
    assert "DATA DEMO" not in texts(at)

    beat(real_url, datetime.now(UTC) - timedelta(hours=11))  # still within two intervals
    assert banners(rerun(DEFAULT_PAGE)) == []
    beat(real_url, datetime.now(UTC))
    assert banners(rerun(DEFAULT_PAGE)) == []


def test_banner_when_the_worker_never_ran_on_real_data(real_url: str) -> None:
    shown = banners(run_page(DEFAULT_PAGE))
    assert len(shown) == 1 and shown[0].startswith(NEVER_TEXT)


def test_no_banner_on_the_demo_world(demo_app: str) -> None:
    assert banners(run_page(DEFAULT_PAGE)) == []


# --- Status Pengambilan Data ---------------------------------------------------------------------


def test_health_page_shows_the_worker_and_its_jobs(demo_app: str) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    soon = now + timedelta(hours=2)
    beat(demo_app, now)
    with session_on(demo_app) as session:
        worker_store.save_job(
            session,
            "collect:instagram",
            next_run_at=soon,
            last_started_at=now - timedelta(hours=4),
            last_finished_at=now - timedelta(hours=3),
            last_success_at=now - timedelta(hours=3),
            last_status="ok",
            last_message="instagram: 40/40 accounts read, status ok",
        )
        worker_store.save_job(
            session,
            "dormancy",
            next_run_at=now + timedelta(hours=20),
            last_status="failed",
            last_message="OperationalError: locked",
        )
        worker_store.save_job(
            session, "briefing", last_status="missed", last_message="missed its time"
        )
        session.commit()
    at = run_page("pages/kesehatan_koleksi.py")
    shown = texts(at)
    assert "Keadaan: **Berjalan**" in shown
    assert f"detak terakhir {fmt.date_time(now, TZ)}" in shown and "server-uji" in shown
    jobs = table_with(at, "Tugas").set_index("Tugas")  # the cells as they read
    assert set(jobs.index) == {
        "Pengambilan data Instagram", "Cek akun dorman dan antrean pengingat",
        "Bahan paparan bulanan",
    }  # fmt: skip
    instagram = jobs.loc["Pengambilan data Instagram"]
    assert instagram["Berikutnya"] == fmt.date_time(soon, TZ)
    assert instagram["Hasil"] == "Berhasil"
    assert instagram["Terakhir selesai"].endswith(" WIB")
    assert jobs.loc["Cek akun dorman dan antrean pengingat", "Hasil"] == "Gagal"
    briefing = jobs.loc["Bahan paparan bulanan"]
    assert (briefing["Hasil"], briefing["Berikutnya"]) == ("Terlewat", "Tidak terjadwal")
    assert briefing["Keterangan"].startswith("Terlewat dari jadwalnya")
    accounts = table_with(at, "Pengambilan berikutnya")
    by_platform = accounts.groupby("Platform")["Pengambilan berikutnya"].agg(set)
    assert by_platform["Instagram"] == {fmt.date_time(soon, TZ)}
    assert by_platform["YouTube"] == {"–"}  # no collection job for it


def test_health_page_without_a_worker(demo_app: str) -> None:
    at = run_page("pages/kesehatan_koleksi.py")
    shown = texts(at)
    assert "Keadaan: **Belum pernah berjalan**." in shown
    assert "Belum ada jadwal tugas yang tercatat." in shown
    assert not any("Tugas" in d.value.columns for d in at.dataframe)
    accounts = table_with(at, "Pengambilan berikutnya")
    assert (accounts["Pengambilan berikutnya"] == "–").all()
    moments = at.dataframe[0].value["Pengambilan berikutnya"]
    assert pd.api.types.is_datetime64_any_dtype(moments)  # a moment, sorted by time


def test_a_job_cut_off_by_a_stopped_worker(demo_app: str) -> None:
    beat(demo_app, datetime.now(UTC) - timedelta(hours=1))
    with session_on(demo_app) as session:
        worker_store.save_job(
            session,
            "snapshots",
            last_status="running",
            last_started_at=datetime.now(UTC) - timedelta(hours=1),
        )
        session.commit()
    at = run_page("pages/kesehatan_koleksi.py")
    assert "Keadaan: **Berhenti**" in texts(at)
    jobs = next(d.value for d in at.dataframe if "Tugas" in d.value.columns)
    assert jobs["Hasil"].tolist() == ["Terputus"]


# --- Akun Dorman: the reminder queue -------------------------------------------------------


def queue_reminder(url: str, handle: str, **extra: str) -> int:
    """A reminder the worker queued for the admin of ``handle`` (optionally failed)."""
    with session_on(url) as session:
        account = session.scalars(select(Account).where(Account.handle == handle)).first()
        assert account is not None
        account.opd.admin_phone, account.opd.admin_email = "0812-3456-7890", "pu@demo.example"
        rid = repo.record_reminder(
            session, account.id, "queue", "pu@demo.example", f"Yth. Admin {handle}, mohon…",
            created_by="pekerja", status="queued", subject=f"Pengingat: {handle}",
        )  # fmt: skip
        if "error" in extra:
            worker_store.finish_reminder(session, rid, "failed", error=extra["error"])
        session.commit()
        return rid


def reminder(url: str, rid: int) -> Reminder:
    with session_on(url) as session:
        row = session.get(Reminder, rid)
        assert row is not None
        return row


def queue_links(at: AppTest) -> list[str]:
    return [b.proto.url for b in at.get("link_button") if "mohon" in b.proto.url]


def test_queue_lists_a_reminder_and_marks_it_sent(sample_url: str) -> None:
    rid = queue_reminder(sample_url, "demo.dpupr")
    at = run_page("pages/akun_dorman.py")
    assert "1 pengingat dari pemeriksaan harian menunggu dikirim" in texts(at)
    titles = [e.label for e in at.expander]
    assert titles == ["Dinas Pekerjaan Umum · Instagram · demo.dpupr"]
    assert "Menunggu dikirim" in texts(at)
    urls = queue_links(at)
    assert any(u.startswith("https://wa.me/6281234567890?text=Yth.%20Admin") for u in urls)
    assert any(
        u.startswith("mailto:pu@demo.example?subject=Pengingat%3A%20demo.dpupr") for u in urls
    )
    assert at.radio(key=f"antrean_channel_{rid}").value == "whatsapp"

    at.text_area(key=f"antrean_message_{rid}").set_value("Yth. Admin, mohon diperbarui.").run()
    at.button(key=f"antrean_sent_{rid}").click().run()
    assert not at.exception, [e.message for e in at.exception]
    row = reminder(sample_url, rid)
    assert (row.status, row.channel, row.recipient) == ("sent", "whatsapp", "6281234567890")
    assert row.sent_at is not None and row.message == "Yth. Admin, mohon diperbarui."
    assert any("ditandai terkirim" in s.value for s in at.success)
    with session_on(sample_url) as session:  # the audit trail names who marked it
        trail = audit.audit_frame(session)
    sent = trail[trail["action"] == "reminder.sent"]
    assert sent["actor"].tolist() == [ADMIN_USER.username]
    assert not at.expander
    assert "Tidak ada pengingat yang menunggu dikirim." in texts(at)
    # the hand-sent reminder now counts as the account's last reminder
    table = shown_cells(at.dataframe[0]).set_index("Akun")
    assert table.loc["demo.dpupr", "Terakhir diingatkan"] == fmt.long_date(datetime.now(TZ))


def test_queue_marks_an_email_and_cancels_another(sample_url: str) -> None:
    mailed = queue_reminder(sample_url, "demo.dpupr")
    dropped = queue_reminder(sample_url, "demo.dishub", error="SMTP menolak: kotak surat penuh")
    at = run_page("pages/akun_dorman.py")
    assert len(at.expander) == 2
    assert "Kesalahan pengiriman terakhir: SMTP menolak: kotak surat penuh" in texts(at)
    assert "Gagal dikirim lewat surel" in texts(at)

    at.button(key=f"antrean_cancel_{dropped}").click().run()
    assert reminder(sample_url, dropped).status == "cancelled"
    assert [e.label.rsplit(" · ", 1)[-1] for e in at.expander] == ["demo.dpupr"]

    at.radio(key=f"antrean_channel_{mailed}").set_value("email").run()
    at.button(key=f"antrean_sent_{mailed}").click().run()
    row = reminder(sample_url, mailed)
    assert (row.status, row.channel, row.recipient) == ("sent", "email", "pu@demo.example")
    assert reminder(sample_url, dropped).status == "cancelled"  # untouched by the second click


def test_queue_says_when_a_reminder_was_closed_elsewhere(sample_url: str) -> None:
    rid = queue_reminder(sample_url, "demo.dpupr")
    at = run_page("pages/akun_dorman.py")
    with session_on(sample_url) as session:  # the worker mails it meanwhile
        assert worker_store.finish_reminder(session, rid, "sent", when=datetime.now(UTC))
        session.commit()
    at.button(key=f"antrean_cancel_{rid}").click().run()
    assert reminder(sample_url, rid).status == "sent"
    assert any("sudah ditutup sebelumnya" in w.value for w in at.warning)


# --- Tinjauan Bulanan: saved briefings -----------------------------------------------------


def test_saved_briefings_are_listed_with_a_download(
    empty_app: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = tmp_path / "laporan"
    reports.mkdir()
    monkeypatch.setenv("PANTAU_REPORTS_DIR", str(reports))
    (reports / "pantau-briefing-2026-03.pptx").write_bytes(b"P" * 2048)
    (reports / "pantau-briefing-2026-03.pdf").write_bytes(b"%PDF-1.7 uji")
    (reports / "pantau-briefing-2026-02.pdf").write_bytes(b"%PDF-1.7 lama")
    (reports / "catatan.txt").write_text("bukan bahan paparan")
    deferred: dict[str, Callable[[], object]] = {}  # file name → what a click would read
    original = MediaFileManager.add_deferred

    def spy(self: MediaFileManager, data: Callable[[], object], *args: Any, **kw: Any) -> str:
        deferred[str(kw.get("file_name"))] = data
        return original(self, data, *args, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    at = run_page("pages/tinjauan_bulanan.py")
    shown = texts(at)
    assert "Maret 2026" in shown and "Februari 2026" in shown
    assert "PPTX (paparan)" in shown and "2,0 KB" in shown
    assert "Belum ada bahan paparan otomatis" not in shown
    saved = {b.proto.help: b for b in at.get("download_button") if b.proto.label == "Unduh"}
    assert list(saved) == [  # newest month first
        "pantau-briefing-2026-03.pdf", "pantau-briefing-2026-03.pptx",
        "pantau-briefing-2026-02.pdf",
    ]  # fmt: skip
    assert all(b.proto.deferred_file_id for b in saved.values())  # read only when clicked
    assert deferred["pantau-briefing-2026-03.pdf"]() == b"%PDF-1.7 uji"
    assert deferred["pantau-briefing-2026-02.pdf"]() == b"%PDF-1.7 lama"


def test_no_saved_briefings_yet(
    empty_app: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PANTAU_REPORTS_DIR", str(tmp_path / "belum-ada"))
    at = run_page("pages/tinjauan_bulanan.py")
    assert "setiap tanggal 1 pukul 07.00 WIB" in texts(at)
    assert not [b for b in at.get("download_button") if b.proto.label == "Unduh"]
