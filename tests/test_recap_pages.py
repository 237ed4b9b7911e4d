"""Salin rekap on Ringkasan and Tinjauan Bulanan (AppTest on the demo world): the recap text,
the copy button's script, and the per-OPD recap with its WhatsApp link and its record."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

from streamlit.testing.v1 import AppTest

from db import queries
from db.engine import make_engine, make_session_factory
from services.users import ADMIN, REVIEWER, Principal
from tests.app_support import run_page, texts

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
    assert sent.disabled  # a reviewer reads; only an admin records reminders
    assert "Hanya admin yang dapat mencatat pengiriman rekap." in texts(at)


def test_an_admin_records_the_sending_among_the_reminders(demo_app: str) -> None:
    engine = make_engine(demo_app)
    with make_session_factory(engine)() as session:
        before = len(queries.reminders_frame(session))
        accounts = queries.accounts_frame(session, active_only=True)
    dinkes = set(accounts.loc[accounts["opd_code"] == "DINKES", "account_id"])
    at = choose_opd(run_page(TINJAUAN, ADMIN_USER), "DINKES")
    at.button(key="rekap_opd_sent").click()
    at.run(timeout=120)
    assert not at.exception, [e.message for e in at.exception]
    assert any("dicatat terkirim lewat WhatsApp" in str(s.value) for s in at.success)
    with make_session_factory(engine)() as session:
        reminders = queries.reminders_frame(session)
    engine.dispose()
    new = reminders.head(len(reminders) - before)
    assert set(new["account_id"]) == dinkes and len(new) == len(dinkes)
    assert set(new["channel"]) == {"whatsapp"} and set(new["created_by"]) == {"kabid-rekap"}
    assert new["message"].str.startswith("*DATA DEMO*").all()
