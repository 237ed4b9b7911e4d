"""Akun Dorman through AppTest from app.py: empty, sample and demo worlds, reminders recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import streamlit as st
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core import fmt
from core.settings import Settings
from db.engine import make_engine, make_session_factory
from db.models import Account, Reminder
from tests.app_support import metrics, run_page, shown_cells, texts
from tests.sample_world import build_sample_world

PAGE = "pages/akun_dorman.py"
STATUSES = {"Dorman", "Perlu perhatian", "Belum ada data"}


@pytest.fixture
def sample_url(empty_app: str, fixed_now: datetime) -> str:
    with make_session_factory(make_engine(empty_app))() as session:
        build_sample_world(session, now=fixed_now)
    return empty_app


def links(at: AppTest) -> dict[str, str]:
    return {b.proto.label: b.proto.url for b in at.get("link_button")}


def add_reminder(url: str, handle: str, days_ago: int, platform: str | None = None) -> int:
    """A reminder sent ``days_ago`` days ago to the admin of an account."""
    with make_session_factory(make_engine(url))() as session:
        stmt = select(Account.id).where(Account.handle == handle)
        if platform is not None:
            stmt = stmt.where(Account.platform == platform)
        account_id = session.scalars(stmt).first()
        assert account_id is not None
        when = datetime.now(UTC) - timedelta(days=days_ago)
        session.add(Reminder(account_id=account_id, created_at=when, channel="email"))
        session.commit()
        return account_id


def test_empty_database(empty_app: str) -> None:
    at = run_page(PAGE)
    assert at.title[0].value == "Akun Dorman"
    assert set(metrics(at).values()) == {"0"}
    assert "Tidak ada akun yang perlu diingatkan untuk pilihan ini." in texts(at)
    assert "DATA DEMO" not in texts(at)
    assert not at.dataframe


def test_sample_world_lists_quiet_accounts_with_contacts(sample_url: str) -> None:
    at = run_page(PAGE)
    assert metrics(at) == {
        "Dorman": "2", "Perlu perhatian": "1", "Belum ada data": "1", "Tidak terbaca": "0",
        "Perlu eskalasi": "0",
    }  # fmt: skip
    table = shown_cells(at.dataframe[0])
    # dormant first, never-posted before the longest silence; never observed after at risk
    assert table["Akun"].tolist() == ["demo.dedai", "demo.dpupr", "demo.dishub", "demo.dedai"]
    assert table["Tanpa unggahan"].tolist()[:3] == ["belum pernah", "60 hari", "20 hari"]
    assert table["Status"].tolist()[-1] == "Belum ada data"
    assert set(table["Status"]) == STATUSES
    assert set(table["Terakhir diingatkan"]) == {"belum pernah"}
    at.toggle(key="dorman_active").set_value(True).run()
    assert len(shown_cells(at.dataframe[0])) == 5
    assert "Aktif" in set(shown_cells(at.dataframe[0])["Status"])


def choose(at: AppTest, opd_name: str) -> AppTest:
    """Choose the admin of ``opd_name``'s accounts ("Admin · OPD · n akun")."""
    box = at.selectbox(key="dorman_account")
    label = next(label for label in box.options if f" · {opd_name} · " in label)
    box.set_value(label).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_account_without_contacts_gets_an_explanation(sample_url: str) -> None:
    at = choose(run_page(PAGE), "Dinas Perhubungan")
    assert links(at) == {}
    info = texts(at)
    assert "Nomor telepon admin belum tercatat" in info
    assert "Alamat surel admin belum tercatat" in info
    message = at.text_area[0].value
    assert message.startswith("Yth. Bapak/Ibu Admin Media Sosial Dinas Perhubungan,")
    assert "demo.dishub" in message and "Kabupaten Sintang" in message


def test_marking_a_reminder_records_it_and_shows_today(sample_url: str) -> None:
    with make_session_factory(make_engine(sample_url))() as session:
        dpupr = session.get(Account, 3)
        assert dpupr is not None and dpupr.handle == "demo.dpupr"
        dpupr.opd.admin_phone, dpupr.opd.admin_email = "0812-3456-7890", "pu@demo.example"
        session.commit()
    at = choose(run_page(PAGE), "Dinas Pekerjaan Umum")
    found = links(at)
    assert found["Kirim lewat WhatsApp"].startswith("https://wa.me/6281234567890?text=Yth.%20")
    assert found["Kirim lewat surel"].startswith("mailto:pu@demo.example?subject=Pengingat")
    at.radio(key="dorman_channel").set_value("whatsapp").run()
    at.button(key="dorman_mark").click().run()
    assert not at.exception, [e.message for e in at.exception]
    with make_session_factory(make_engine(sample_url))() as session:
        rows = session.scalars(select(Reminder)).all()
    assert [(r.account_id, r.channel, r.recipient) for r in rows] == [
        (3, "whatsapp", "6281234567890")
    ]
    assert "Sesuai arahan Bidang Komunikasi Publik Diskominfo" in (rows[0].message or "")
    today = fmt.long_date(datetime.now(Settings().tz).date())
    table = shown_cells(at.dataframe[0]).set_index("Akun")
    assert table.loc["demo.dpupr", "Terakhir diingatkan"] == today
    assert "sudah dicatat pada" in at.success[0].value
    assert metrics(at)["Perlu eskalasi"] == "0"


def test_old_reminder_without_new_posts_is_escalated(sample_url: str) -> None:
    add_reminder(sample_url, "demo.dishub", days_ago=10)
    at = run_page(PAGE)
    assert metrics(at)["Perlu eskalasi"] == "1"
    table = shown_cells(at.dataframe[0])
    assert table["Akun"].tolist()[0] == "demo.dishub"
    assert table["Eskalasi"].tolist()[0] == "Perlu eskalasi"
    assert (table["Eskalasi"].iloc[1:] == "").all()
    reminded = fmt.long_date(datetime.now(UTC) - timedelta(days=10))
    assert table["Terakhir diingatkan"].tolist()[0] == reminded


def test_demo_world(demo_app: str) -> None:
    at = run_page(PAGE)
    assert "DATA DEMO" in texts(at)
    shown = metrics(at)
    table = shown_cells(at.dataframe[0])
    total = sum(int(shown[k]) for k in ("Dorman", "Perlu perhatian", "Belum ada data"))
    assert len(table) == total and int(shown["Dorman"]) >= 5
    assert set(table["Status"]) <= STATUSES
    assert table["Telepon admin"].str.startswith("+62").any()
    assert table["Profil"].str.startswith("https://").all()
    assert table["Tanpa unggahan"].str.endswith(("hari", "belum pernah")).all()
    days = at.dataframe[0].value["Tanpa unggahan"]  # values, so the browser sorts by value
    assert days.dtype == "float64" and (days > 0).all()
    columns = table.columns.tolist()  # the task is to remind: the admin and phone come early
    assert columns[:7] == [
        "OPD", "Akun", "Tanpa unggahan", "Admin", "Telepon admin", "Status", "Eskalasi",
    ]  # fmt: skip
    assert "OPD yang belum punya akun" in [h.value for h in at.subheader]
    no_account = shown_cells(at.dataframe[1])
    assert set(no_account["Akun"]) == {"belum punya akun"}
    assert no_account["OPD"].str.startswith("Kecamatan").sum() == 2
    whatsapp = links(at)["Kirim lewat WhatsApp"]
    assert whatsapp.startswith("https://wa.me/62") and " " not in whatsapp
    at.multiselect(key="dorman_platform").set_value(["instagram"]).run()
    assert set(shown_cells(at.dataframe[0])["Platform"]) == {"Instagram"}
    at.toggle(key="dorman_active").set_value(True).run()
    assert "Aktif" in set(shown_cells(at.dataframe[0])["Status"])


def test_demo_world_escalation(demo_app: str) -> None:
    first = shown_cells(run_page(PAGE).dataframe[0]).iloc[0]
    assert first["Status"] == "Dorman"
    add_reminder(demo_app, first["Akun"], days_ago=30, platform=first["Platform"].lower())
    st.cache_data.clear()  # as the page's own write does
    at = run_page(PAGE)
    assert metrics(at)["Perlu eskalasi"] == "1"
    top = shown_cells(at.dataframe[0]).iloc[0]
    assert (top["Akun"], top["Eskalasi"]) == (first["Akun"], "Perlu eskalasi")
