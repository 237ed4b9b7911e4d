"""Leaving the demo (issue #15): `cli.py demo --remove`, Pengaturan's button, and `make run`
never mixing the demo world with real accounts."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import core.supervisor
from cli import app
from commands.collect import announce_logins
from core.settings import load_settings
from core.timeutil import utcnow
from db.audit import audit_frame
from db.demo_store import REMOVED_KEY
from db.engine import make_engine, make_session_factory
from db.models import (
    Account,
    AccountResult,
    Base,
    CollectionRun,
    FollowerSnapshot,
    MonthScore,
    Opd,
    Post,
    Reminder,
    User,
    WebSession,
)
from db.queries import is_demo
from db.repository import (
    PostRow,
    ResultRow,
    SnapshotRow,
    finish_run,
    get_meta,
    record_account_results,
    record_reminder,
    start_run,
    upsert_account,
    upsert_posts,
    upsert_snapshots,
)
from demo.contacts import demo_contacts
from demo.load import demo_needed
from refresh import after_write
from services.audit import cli_actor
from services.demo_removal import (
    DEMO_REMOVED,
    MIXED_DATABASE,
    NoOtherAdmin,
    demo_state,
    mixed_database_problem,
    remove_demo,
)
from services.users import ADMIN, DEMO_USERS, Principal, add_user, ensure_demo_users
from testkit.db_support import NewDatabase
from tests.app_support import ADMIN_USER, run_page, serve_from, texts

runner = CliRunner()
PAGE = "pages/pengaturan.py"
OFFICE_PASSWORD = "sandi-kantor-sintang-77"  # nosec B105 - test users only
OFFICE_PHONE = "+62 811-5678-9012"  # what the office typed over the demo's made-up number


def _session(url: str) -> Session:
    return make_session_factory(make_engine(url))()


def _invoke(url: str, *args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=stdin, env={"DATABASE_URL": url})


def _dump(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in a stable order."""
    with _session(url) as session:
        return {
            table.name: sorted(map(tuple, session.execute(table.select()).all()), key=repr)
            for table in Base.metadata.sorted_tables
        }


def _registry(session: Session) -> list[tuple[object, ...]]:
    stmt = select(
        Opd.code, Opd.name, Opd.category, Opd.admin_name, Opd.admin_phone, Opd.admin_email
    ).order_by(Opd.code)
    return [tuple(row) for row in session.execute(stmt)]


def _rows_about(session: Session, account_ids: set[int], user_ids: set[int]) -> dict[str, int]:
    """Rows of any table naming one of these accounts or users (by a column named so)."""
    found: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            ids = account_ids if column.name == "account_id" else None
            if column.name in ("user_id", "created_by", "used_by") and column.foreign_keys:
                ids = user_ids
            if table.name == "accounts" and column.name == "id":
                ids = account_ids
            if table.name == "users" and column.name == "id":
                ids = user_ids
            if ids:
                stmt = select(func.count()).select_from(table).where(column.in_(sorted(ids)))
                if count := int(session.scalar(stmt) or 0):
                    found[f"{table.name}.{column.name}"] = count
    return found


def _demo_logins_with_a_session(session: Session) -> set[int]:
    """The demo's logins, as `make run` creates them, each signed in once."""
    ensure_demo_users(session)
    users = session.scalars(select(User).where(User.username.in_([u for u, _r, _o in DEMO_USERS])))
    now = utcnow()
    ids = set()
    for user in users:
        ids.add(user.id)
        session.add(
            WebSession(token_hash=f"{user.id:064d}", user_id=user.id, created_at=now,
                       expires_at=now + timedelta(hours=8))
        )  # fmt: skip
    session.commit()
    return ids


@pytest.fixture
def shipped_registry(new_db_url: NewDatabase) -> list[tuple[object, ...]]:
    """The OPD registry as `cli.py init` loads it into a new database."""
    url = new_db_url("shipped")
    assert _invoke(url, "init").exit_code == 0
    with _session(url) as session:
        return _registry(session)


def test_cli_removes_every_demo_row_keeps_the_registry_and_a_second_run_changes_nothing(
    demo_db_url: str, shipped_registry: list[tuple[object, ...]], tmp_path: Path
) -> None:
    with _session(demo_db_url) as session:
        user_ids = _demo_logins_with_a_session(session)
        account_ids = set(session.scalars(select(Account.id)))
        record_reminder(session, min(account_ids), "whatsapp", "+62 812-0000-1001",
                        "Mohon unggah kegiatan minggu ini.", created_by="admin")  # fmt: skip
        session.commit()
        registry_before = _registry(session)
        assert len(account_ids) == 129 and is_demo(session)
        assert _rows_about(session, account_ids, user_ids)["posts.account_id"] > 20_000
    assert [row[:3] for row in registry_before] == [row[:3] for row in shipped_registry]
    assert registry_before != shipped_registry  # the demo made up admin contacts

    asked = _invoke(demo_db_url, "demo", "--remove", stdin="n\n")
    assert asked.exit_code == 1 and "Remove the demo world (129 demo accounts" in asked.output
    assert _invoke(demo_db_url, "status").exit_code == 0
    with _session(demo_db_url) as session:
        assert is_demo(session)  # answered no: nothing happened

    removed = _invoke(demo_db_url, "demo", "--remove", "--yes")
    assert removed.exit_code == 0, removed.output
    assert "Removed the demo world: 129 accounts" in removed.output
    assert "demo logins: admin, peninjau, diskominfo" in removed.output
    assert "No dashboard user left: python cli.py user add NAME --role admin" in removed.output
    with _session(demo_db_url) as session:
        assert _rows_about(session, account_ids, user_ids) == {}
        assert _registry(session) == shipped_registry  # kept, without the made-up contacts
        assert not is_demo(session) and get_meta(session, "demo_as_of") is None
        assert get_meta(session, REMOVED_KEY) is not None
        assert not demo_needed(session)  # `make run` does not bring it back
        trail = audit_frame(session, ["registry"])
    removed_by = trail[trail["action"] == "registry.demo_removed"]["actor"].tolist()
    assert removed_by == [cli_actor()]  # who removed it: the CLI's user
    left = {name: rows for name, rows in _dump(demo_db_url).items() if rows}
    assert set(left) == {"opds", "app_meta", "audit_log"}  # the rest held only demo rows
    status = json.loads(_invoke(demo_db_url, "status", "--format", "json").stdout)
    assert {r["key"]: r["value"] for r in status["summary"]}["data_source"] == "real"
    assert "DATA DEMO" not in _invoke(demo_db_url, "ranking", "--format", "json").stderr

    before = _dump(demo_db_url)
    again = _invoke(demo_db_url, "demo", "--remove")  # nothing to remove: no question asked
    assert again.exit_code == 0
    assert again.output.strip() == "This database holds no demo world; nothing was removed."
    assert _dump(demo_db_url) == before
    if_empty = _invoke(demo_db_url, "demo", "--if-empty")
    assert if_empty.exit_code == 0 and "not loaded" in if_empty.output
    assert _dump(demo_db_url) == before


def _add_real_account(session: Session) -> Account:
    """An account the office registered next to the demo, with a little history."""
    dinkes = session.scalars(select(Opd).where(Opd.code == "DINKES")).one()
    dinkes.admin_phone = OFFICE_PHONE
    # starts with "demo" but not "demo." / "demo_" / "demo-": the office's, not the demo's
    real = upsert_account(session, dinkes, "instagram", "demokrasi_sintang")
    posted = utcnow() - timedelta(days=2)
    upsert_posts(
        session,
        [
            PostRow(
                real.id,
                "17900000000000001",
                posted,
                "Posyandu Desa Tanjung Puri dibuka pukul 08.00 WIB.",
                likes=12,
            )
        ],
    )
    upsert_snapshots(session, [SnapshotRow(real.id, posted, followers=830)])  # fmt: skip
    record_reminder(session, real.id, "email", "humas@dinkes.example", "Pengingat.", "admin")
    return real


def _run_over(session: Session, account_ids: list[int]) -> int:
    run = start_run(session, "collect", "all")
    now = utcnow()
    record_account_results(session, run.id, [ResultRow(a, now, "ok") for a in account_ids])
    finish_run(session, run, "ok")
    return run.id


def test_a_mixed_database_is_refused_by_serve_and_keeps_the_office_data_when_removed(
    demo_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _session(demo_db_url) as session:
        demo_ids = _demo_logins_with_a_session(session)
        add_user(session, "kominfo", OFFICE_PASSWORD, ADMIN)
        taken_over = session.scalars(select(User).where(User.username == "peninjau")).one()
        taken_over.password_hash = session.scalars(  # a person now uses this login
            select(User.password_hash).where(User.username == "kominfo")
        ).one()
        real = _add_real_account(session)
        a_demo_account = session.scalars(
            select(Account.id).where(Account.id != real.id).limit(1)
        ).one()
        shared_run = _run_over(session, [real.id, a_demo_account])
        demo_only_run = _run_over(session, [a_demo_account])
        after_write(session, load_settings(environ={}))
        session.commit()
        assert mixed_database_problem(session) == MIXED_DATABASE
        assert not demo_needed(session)

    def no_server(_cfg: object) -> int:
        raise AssertionError("serve started on a database holding the demo and real accounts")

    monkeypatch.setattr(core.supervisor, "supervise", no_server)
    refused = _invoke(demo_db_url, "serve")
    assert refused.exit_code == 1
    assert refused.stderr.strip().splitlines() == [f"error: {MIXED_DATABASE}"]
    loaded = _invoke(demo_db_url, "demo")  # nor is the demo loaded (again) next to them
    assert loaded.exit_code == 1 and "1 real accounts" in loaded.stderr

    with _session(demo_db_url) as session:
        removal = remove_demo(session, demo_contacts(), actor="kominfo")
        after_write(session, load_settings(environ={}))
        session.commit()
        trail = audit_frame(session, ["registry", "user"])
    assert removal.logins == ("admin", "diskominfo") and removal.real_accounts_kept == 1
    audited = trail[trail["actor"] == "kominfo"]  # one summary, one entry per login removed
    assert sorted(zip(audited["action"], audited["target"], strict=True)) == [
        ("registry.demo_removed", "data demo"),
        ("user.removed", "admin"),
        ("user.removed", "diskominfo"),
    ]
    summary = json.loads(audited["after"].iloc[list(audited["action"]).index(DEMO_REMOVED)])
    assert summary["Akun dihapus"] == 129 and summary["OPD diubah"] >= 1
    assert removal.rows["accounts"] == 129 and removal.rows["web_sessions"] == 2
    with _session(demo_db_url) as session:
        assert mixed_database_problem(session) is None
        assert session.scalars(select(Account.handle)).all() == ["demokrasi_sintang"]
        for model in (Post, FollowerSnapshot, Reminder):
            rows = session.scalars(select(model.account_id)).all()
            assert rows == [real.id], model
        assert set(session.scalars(select(MonthScore.account_id))) == {real.id}
        assert session.scalars(select(CollectionRun.id)).all() == [shared_run]
        assert session.scalars(select(AccountResult.account_id)).all() == [real.id]
        assert demo_only_run != shared_run
        users = set(session.scalars(select(User.username)))
        assert users == {"kominfo", "peninjau"}
        assert session.scalar(select(func.count()).select_from(WebSession)) == 1  # peninjau's
        dinkes = session.scalars(select(Opd).where(Opd.code == "DINKES")).one()
        assert (dinkes.admin_name, dinkes.admin_phone, dinkes.admin_email) == (
            None, OFFICE_PHONE, None,
        )  # fmt: skip
        assert _rows_about(session, set(), demo_ids - {taken_over.id}) == {}


def test_the_demo_logins_serve_creates_are_audited_once(demo_db_url: str) -> None:
    with _session(demo_db_url) as session:
        announce_logins(session, "127.0.0.1")
        announce_logins(session, "127.0.0.1")  # a second start creates none
        trail = audit_frame(session, ["user"])
    assert sorted(trail["target"]) == sorted(name for name, _role, _opd in DEMO_USERS)
    assert set(trail["action"]) == {"user.added"} and set(trail["actor"]) == {cli_actor()}


def test_the_dashboard_removal_needs_another_admin_and_changes_nothing_without(
    demo_db_url: str,
) -> None:
    with _session(demo_db_url) as session:
        _demo_logins_with_a_session(session)
        before = demo_state(session)
        with pytest.raises(NoOtherAdmin):
            remove_demo(session, demo_contacts(), keep_an_admin=True)
        session.rollback()
        assert demo_state(session) == before and before.demo_accounts == 129


def test_briefings_made_on_the_demo_go_and_older_ones_stay(
    demo_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PANTAU_REPORTS_DIR", str(tmp_path))
    with _session(demo_db_url) as session:
        loaded_at = session.scalar(select(func.min(CollectionRun.started_at)))
    assert loaded_at is not None
    older, on_demo = (
        tmp_path / "pantau-briefing-2025-01.pdf",
        tmp_path / "pantau-briefing-2026-10.pdf",
    )
    for path, when in (
        (older, loaded_at - timedelta(days=30)),
        (on_demo, loaded_at + timedelta(hours=1)),
    ):
        path.write_bytes(b"%PDF-1.7\n")
        os.utime(path, (when.timestamp(), when.timestamp()))
    result = _invoke(demo_db_url, "demo", "--remove", "--yes")
    assert result.exit_code == 0, result.output
    assert "1 saved briefings made from the demo deleted." in result.output
    assert older.exists() and not on_demo.exists()


# --- Pengaturan: the admin types HAPUS DEMO, then the button removes the demo world


@pytest.fixture
def demo_page(demo_db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with _session(demo_db_url) as session:
        _demo_logins_with_a_session(session)
    yield from serve_from(demo_db_url, monkeypatch)


def _section(at):
    return [e for e in at.expander if e.label == "Hapus data demo"]


def test_pengaturan_removes_the_demo_only_after_the_typed_confirmation(demo_page: str) -> None:
    at = run_page(PAGE)  # a real admin of the office ("penguji")
    assert "DATA DEMO" in texts(at) and _section(at)
    assert "129 akun demo" in texts(at) and "login demo (admin, peninjau, dan diskominfo)" in texts(
        at
    )
    assert at.button(key="hapus_demo").disabled
    at.text_input(key="hapus_demo_ketik").set_value("hapus demo").run()
    assert at.button(key="hapus_demo").disabled  # lower case is not the confirmation
    with _session(demo_page) as session:
        assert demo_state(session).demo_accounts == 129 and is_demo(session)

    at.text_input(key="hapus_demo_ketik").set_value("HAPUS DEMO").run()
    assert not at.button(key="hapus_demo").disabled
    at.button(key="hapus_demo").click().run()
    assert not at.exception
    done = at.success[-1].value
    assert done.startswith("Data demo sudah dihapus: 129 akun, ")
    assert "Login demo yang dihapus: admin, peninjau, dan diskominfo." in done
    assert "Daftar 46 OPD tetap tersimpan." in done
    assert "DATA DEMO" not in texts(at) and not _section(at)
    with _session(demo_page) as session:
        assert demo_state(session).demo_accounts == 0 and not is_demo(session)
        trail = audit_frame(session, ["registry"])
    removed_by = trail[trail["action"] == "registry.demo_removed"]["actor"].tolist()
    assert removed_by == [ADMIN_USER.username]  # the signed-in admin, not "tidak diketahui"
    assert "DATA DEMO" not in texts(run_page("pages/ringkasan.py"))


def test_pengaturan_refuses_while_only_demo_logins_are_admins(demo_page: str) -> None:
    at = run_page(PAGE, user=Principal("admin", ADMIN))  # the demo's own admin login
    assert "Belum ada admin selain login demo" in texts(at)
    assert at.button(key="hapus_demo").disabled
    at.text_input(key="hapus_demo_ketik").set_value("HAPUS DEMO").run()
    assert at.button(key="hapus_demo").disabled
    with _session(demo_page) as session:
        assert is_demo(session)


def test_a_demo_login_that_removes_the_demo_signs_in_again(demo_page: str) -> None:
    with _session(demo_page) as session:
        add_user(session, "kominfo", OFFICE_PASSWORD, ADMIN)
        session.commit()
    at = run_page(PAGE, user=Principal("admin", ADMIN))
    assert "Anda akan keluar dan perlu masuk lagi" in texts(at)
    at.text_input(key="hapus_demo_ketik").set_value("HAPUS DEMO").run()
    at.button(key="hapus_demo").click().run()
    assert not at.exception
    assert at.title[0].value == "Masuk ke Pantau"  # the login went with the demo
    assert "Silakan masuk lagi" in texts(at)
    with _session(demo_page) as session:
        assert session.scalars(select(User.username)).all() == ["kominfo"]
        assert not is_demo(session)
        assert session.execute(text("SELECT count(*) FROM accounts")).scalar() == 0
