"""One reminder per admin: the message names all of the admin's quiet accounts, and sending it
is recorded once per account it names (same message)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest
from sqlalchemy import select

from db.engine import make_engine, make_session_factory
from db.models import Opd, Reminder
from metrics.reminders import ReminderTarget, reminder_message, reminder_subject
from services import reminders
from tests.app_support import run_page
from tests.sample_world import build_sample_world

REGENCY = "Kabupaten Sintang"


def target(opd: str, platform: str, handle: str, days: float | None) -> ReminderTarget:
    return ReminderTarget(opd, platform, handle, REGENCY, days, admin_name="Sri Wahyuni")


def test_an_admin_of_three_accounts_gets_one_message_listing_them() -> None:
    three = [
        target("Dinas Pertanian", "Instagram", "@distan.stg", 45.0),
        target("Dinas Pertanian", "Facebook", "Distan Sintang", 120.0),
        target("Dinas Pertanian", "YouTube", "distan-sintang", None),
    ]
    text = reminder_message(three)
    first, second = text.split("\n\n")[:2]
    assert first == "Yth. Bapak/Ibu Sri Wahyuni, Admin Media Sosial Dinas Pertanian,"
    assert "3 akun media sosial milik Dinas Pertanian berikut:" in second
    lines = [line for line in second.splitlines() if line.startswith("- ")]
    assert lines == [
        "- Instagram @distan.stg: belum memperbarui unggahan selama 45 hari",
        "- Facebook Distan Sintang: belum memperbarui unggahan selama 120 hari",
        "- YouTube distan-sintang: belum memiliki unggahan yang tercatat di pantauan kami",
    ]
    assert "akun-akun tersebut" in text and text.count("Yth.") == 1
    assert reminder_subject(three) == (
        "Pengingat: 3 akun media sosial Dinas Pertanian perlu diperbarui"
    )


def test_an_admin_of_two_opds_is_addressed_as_the_admin_of_both() -> None:
    two = [
        target("Dinas Pertanian", "Instagram", "@distan.stg", 45.0),
        target("Kecamatan Ketungau Hilir", "Facebook", "Kec. Ketungau Hilir", 1234.0),
    ]
    text = reminder_message(two)
    assert text.startswith(
        "Yth. Bapak/Ibu Sri Wahyuni, Admin Media Sosial Dinas Pertanian dan "
        "Kecamatan Ketungau Hilir,"
    )
    assert (
        "- Facebook Kec. Ketungau Hilir (Kecamatan Ketungau Hilir): belum memperbarui "
        "unggahan selama 1.234 hari" in text
    )
    with pytest.raises(ValueError):
        reminder_message([])


def frame() -> pd.DataFrame:
    rows = [  # two admins: Sri (three accounts, one active) and an unnamed one (one account)
        (1, "Dinas Pertanian", "instagram", "@distan.stg", "dormant", 45.0, "Sri Wahyuni"),
        (2, "Dinas Pertanian", "facebook", "distan", "at_risk", 20.0, "Sri Wahyuni"),
        (3, "Dinas Pertanian", "youtube", "distan-yt", "active", 2.0, "Sri Wahyuni"),
        (4, "Kecamatan Dedai", "instagram", "kec.dedai", "dormant", None, None),
    ]
    out = pd.DataFrame(rows, columns=["account_id", "opd_name", "platform", "handle", "status",
                                      "days_since_last_post", "admin_name"])  # fmt: skip
    out["admin_phone"] = ["0812-1111-2222"] * 3 + [None]
    out["admin_email"] = None
    out["last_reminded_at"] = pd.to_datetime([None, "2026-11-02", None, None], utc=True)
    return out


def test_the_view_has_one_message_and_one_choice_per_admin() -> None:
    view = reminders.with_messages(frame(), REGENCY, {"instagram": "Instagram"})
    sri = view[view["admin_name"] == "Sri Wahyuni"]
    assert sri["message"].nunique() == 1 and sri["admin_key"].nunique() == 1
    assert set(sri["reminded_ids"]) == {(1, 2)}  # the quiet ones, not the active one
    message = str(sri["message"].iloc[0])
    assert "@distan.stg" in message and "distan-yt" not in message
    options = reminders.choices(view)
    assert list(options) == ["Sri Wahyuni · Dinas Pertanian · 3 akun",
                             "Admin (nama belum tercatat) · Kecamatan Dedai · 1 akun"]  # fmt: skip
    chosen = reminders.admin_row(view, options["Sri Wahyuni · Dinas Pertanian · 3 akun"])
    assert chosen.account_ids == (1, 2) and chosen.phone == "6281211112222"
    assert chosen.last_reminded_at is not None and chosen.last_reminded_at.day == 2
    dedai = reminders.admin_row(
        view, options["Admin (nama belum tercatat) · Kecamatan Dedai · 1 akun"]
    )
    assert dedai.account_ids == (4,) and dedai.last_reminded_at is None
    assert dedai.message.startswith("Yth. Bapak/Ibu Admin Media Sosial Kecamatan Dedai,")


@pytest.fixture
def one_admin_of_two_opds(empty_app: str, fixed_now: datetime) -> str:
    """The sample world with Dinas Perhubungan and Dinas Pekerjaan Umum looked after by one
    admin (one name, one number)."""
    with make_session_factory(make_engine(empty_app))() as session:
        build_sample_world(session, now=fixed_now)
        for opd in session.scalars(select(Opd).where(Opd.code.in_(["DISHUB", "DPUPR"]))):
            opd.admin_name, opd.admin_phone = "Yohanes Ading", "0812-5555-6666"
        session.commit()
    return empty_app


@pytest.mark.parametrize("role", ["admin", "reviewer"])
def test_sending_to_an_admin_is_recorded_for_each_account_named(
    one_admin_of_two_opds: str, role: str
) -> None:
    from services.users import Principal

    at = run_page("pages/akun_dorman.py", Principal(f"staf-{role}", role))
    box = at.selectbox(key="dorman_account")
    labels = [label for label in box.options if label.startswith("Yohanes Ading")]
    assert labels == ["Yohanes Ading · Dinas Pekerjaan Umum, Dinas Perhubungan · 2 akun"]
    box.set_value(labels[0]).run()
    message = at.text_area[0].value
    assert message.startswith("Yth. Bapak/Ibu Yohanes Ading, Admin Media Sosial Dinas ")
    assert "demo.dishub" in message and "demo.dpupr" in message
    at.radio(key="dorman_channel").set_value("whatsapp").run()
    at.button(key="dorman_mark").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert "untuk 2 akun" in at.success[0].value
    with make_session_factory(make_engine(one_admin_of_two_opds))() as session:
        rows = session.scalars(select(Reminder)).all()
    assert len(rows) == 2 and {r.message for r in rows} == {message}
    assert {r.recipient for r in rows} == {"6281255556666"}
    assert {r.created_by for r in rows} == {f"staf-{role}"}
