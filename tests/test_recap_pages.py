"""Salin rekap on Ringkasan and Tinjauan Bulanan (AppTest on the demo world): the recap text,
the copy button's script, and the per-OPD recap with its WhatsApp link and its record (only
of the accounts it names as dormant or needing attention, once, and never without a number)."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from core.settings import load_settings
from db import queries
from db.engine import make_engine, make_session_factory
from db.models import Opd
from services.review import month_review
from services.users import ADMIN, REVIEWER, Principal
from tests.app_support import run_page, texts
from ui.recap_view import NO_PHONE, NONE_REMINDED, ONLY_STAFF

REVIEWER_USER = Principal("peninjau-rekap", REVIEWER)
ADMIN_USER = Principal("kabid-rekap", ADMIN)
TINJAUAN = "pages/tinjauan_bulanan.py"
RINGKASAN = "pages/ringkasan.py"


def copy_scripts(at: AppTest) -> list[str]:
    """The bodies of the copy buttons the page drew (ui.browser_script.copy_button)."""
    bodies = [str(el.proto.body) for el in at.get("html")]
    return [body for body in bodies if "pantau-copy-" in body]


def copied_text(body: str) -> str:
    """The text the button puts on the clipboard: the JSON literal in its script."""
    literal = re.search(r"const text = (\".*?(?<!\\)\"), done", body, re.S)
    assert literal is not None, body
    return str(json.loads(literal.group(1)))


def recap_codes(at: AppTest) -> list[str]:
    return [str(c.value) for c in at.code]


def assert_salin_rekap(at: AppTest) -> str:
    """The section is there: heading, a 'Salin rekap' button that copies the text shown."""
    assert "Rekap WhatsApp" in [h.value for h in at.subheader]
    scripts = copy_scripts(at)
    assert scripts, "no copy button"
    body = scripts[0]
    assert '<button type="button" id="pantau-copy-' in body and ">Salin rekap</button>" in body
    assert 'role="status"' in body and "Rekap tersalin" in body
    text = copied_text(body)
    assert text in recap_codes(at)  # the same text, selectable in the code block (fallback)
    assert text.startswith("*DATA DEMO*") and "*Rekap " in text and len(text) <= 3_500
    return text


def test_tinjauan_bulanan_shows_salin_rekap_to_a_reviewer(demo_app: str) -> None:
    at = run_page(TINJAUAN, REVIEWER_USER)
    text = assert_salin_rekap(at)
    assert "*Lima besar*" in text and "*Kepatuhan caption*" in text
    assert "Pilih OPD untuk menyusun rekap" in texts(at)


def test_ringkasan_shows_salin_rekap_to_a_reviewer(demo_app: str) -> None:
    at = run_page(RINGKASAN, REVIEWER_USER)
    assert_salin_rekap(at)


def choose_opd(at: AppTest, code: str) -> AppTest:
    at.selectbox(key="rekap_opd_choice").set_value(code)
    at.run(timeout=120)
    assert not at.exception, [e.message for e in at.exception]
    return at


def link_buttons(at: AppTest) -> dict[str, str]:
    return {b.proto.label: b.proto.url for b in at.get("link_button")}


def test_one_opd_s_recap_for_its_admin(demo_app: str) -> None:
    at = choose_opd(run_page(TINJAUAN, REVIEWER_USER), "DINKES")
    scripts = copy_scripts(at)
    assert len(scripts) == 2  # the whole regency's, then the OPD's
    text = copied_text(scripts[1])
    assert "Yth. Admin Dinas Kesehatan," in text and "Dinas Pertanian" not in text
    link = link_buttons(at)["Kirim ke admin lewat WhatsApp"]
    assert link.startswith("https://wa.me/62") and unquote(link.split("?text=")[1]) == text
    sent = next(b for b in at.button if b.key == "rekap_opd_sent")
    assert sent.disabled  # every account of Dinas Kesehatan is active: nothing to record
    assert NONE_REMINDED in texts(at) and ONLY_STAFF not in texts(at)


def reminders_and_accounts(url: str, opd_code: str) -> tuple[int, set[int], set[int]]:
    """How many reminders there are, and the OPD's accounts the month's ranking calls dormant
    or needing attention, and the rest."""
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        count = len(queries.reminders_frame(session))
        ranked = month_review(session, "2026-11", load_settings(environ={})).ranking
    engine.dispose()
    mine = ranked[ranked["opd_code"] == opd_code]
    attention = mine["status"].isin(["dormant", "at_risk"])
    return count, set(mine.loc[attention, "account_id"]), set(mine.loc[~attention, "account_id"])


def click_sent(at: AppTest) -> AppTest:
    at.button(key="rekap_opd_sent").click()
    at.run(timeout=120)
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("user", [ADMIN_USER, REVIEWER_USER], ids=["admin", "reviewer"])
def test_staff_record_the_recap_for_the_accounts_it_names(demo_app: str, user: Principal) -> None:
    """Whoever may send the recap (admin and reviewer) records it, so it is not sent twice."""
    before, attention, others = reminders_and_accounts(demo_app, "BAPPEDA")
    assert attention and others  # the OPD has accounts to remind and others
    at = choose_opd(run_page(TINJAUAN, user), "BAPPEDA")
    assert "yang disebut dorman atau perlu perhatian" in texts(at)
    click_sent(at)
    told = f"sebagai pengingat untuk {len(attention)} akun"
    assert any(told in str(s.value) for s in at.success)
    engine = make_engine(demo_app)
    with make_session_factory(engine)() as session:
        reminders = queries.reminders_frame(session)
    new = reminders.head(len(reminders) - before)
    assert set(new["account_id"]) == attention and len(new) == len(attention)
    assert set(new["channel"]) == {"whatsapp"} and set(new["created_by"]) == {user.username}
    assert new["message"].str.startswith("*DATA DEMO*").all()
    click_sent(at)  # again, straight away: nothing more is recorded
    assert any("tidak dicatat dua kali" in str(s.value) for s in at.success)
    with make_session_factory(engine)() as session:
        assert len(queries.reminders_frame(session)) == len(reminders)
    engine.dispose()


def test_nothing_to_record_without_an_account_to_remind_or_a_number(demo_app: str) -> None:
    _, attention, _ = reminders_and_accounts(demo_app, "DINKES")
    assert not attention  # every account of Dinas Kesehatan is active
    engine = make_engine(demo_app)
    with make_session_factory(engine)() as session:
        session.execute(update(Opd).where(Opd.code == "DPUPR").values(admin_phone=None))
        session.commit()
    engine.dispose()
    at = choose_opd(run_page(TINJAUAN, ADMIN_USER), "DINKES")
    assert next(b for b in at.button if b.key == "rekap_opd_sent").disabled
    assert NONE_REMINDED in texts(at)
    at = choose_opd(at, "DPUPR")
    assert next(b for b in at.button if b.key == "rekap_opd_sent").disabled
    assert NO_PHONE in texts(at) and "Kirim ke admin lewat WhatsApp" not in link_buttons(at)


def test_the_recap_speaks_of_the_chosen_month(demo_app: str) -> None:
    at = run_page(TINJAUAN, REVIEWER_USER)
    note = next(str(c.value) for c in at.caption if "dalam format WhatsApp" in str(c.value))
    # the month the page opens on: October, the last complete one at FIXED_NOW
    assert note.startswith("Ringkasan Oktober 2026 dalam format WhatsApp")
    assert "bulan ini" not in note
