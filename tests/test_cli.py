from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from core.settings import REDACTED
from db.engine import make_engine, make_session_factory
from testkit.db_support import NewDatabase, stored_bytes
from tests.clock import FIXED_NOW
from tests.sample_world import build_sample_world

runner = CliRunner()


@pytest.fixture
def cli_db(new_db_url: NewDatabase, monkeypatch: pytest.MonkeyPatch, fixed_now: datetime) -> str:
    """A database for the commands; the test runs at FIXED_NOW (the sample world's now)."""
    url = new_db_url("cli")
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def invoke(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=stdin)


def test_every_command_has_help() -> None:
    for args in (
        [], ["init"], ["demo"], ["registry"], ["registry", "import"], ["registry", "export"],
        ["import"], ["collect"], ["schedule"], ["status"], ["ranking"], ["dormant"],
        ["caption-check"], ["report"], ["user"], ["user", "add"], ["user", "passwd"],
        ["user", "disable"], ["serve"], ["audit"],
    ):  # fmt: skip
        result = invoke(*args, "--help")
        assert result.exit_code == 0, (args, result.output)
        assert "Usage" in result.output


def test_init_creates_database_and_loads_the_shipped_registry(cli_db: str) -> None:
    result = invoke("init")
    assert result.exit_code == 0, result.output
    exported = invoke("registry", "export")
    rows = list(csv.DictReader(io.StringIO(exported.output)))
    assert len({r["opd_code"] for r in rows}) == 46
    assert "KEC-TEMPUNAK" in {r["opd_code"] for r in rows}
    again = invoke("init")
    assert again.exit_code == 0 and "already loaded" in again.output


def test_commands_refuse_an_uninitialised_database(cli_db: str) -> None:
    result = invoke("ranking")
    assert result.exit_code == 1
    assert "python cli.py init" in result.output


def _seed(url: str) -> dict[str, int]:
    invoke("init")
    with make_session_factory(make_engine(url))() as session:
        return build_sample_world(session, now=FIXED_NOW)


def test_ranking_formats(cli_db: str) -> None:
    _seed(cli_db)
    as_json = invoke("ranking", "--month", "2026-11", "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    rows = json.loads(as_json.output)
    expected = ["opd_code", "opd_name", "platform", "handle", "followers", "posts",
                "engagement_rate", "growth_weekly", "caption_score", "days_since_last_post",
                "status", "score", "rank"]  # fmt: skip
    assert list(rows[0]) == expected
    assert rows[0]["handle"] == "demo.dinkes" and rows[0]["rank"] == 1
    as_csv = invoke("ranking", "--format", "csv", "--by", "opd")
    header = as_csv.output.splitlines()[0].split(",")
    assert header == expected
    table = invoke("ranking", "--month", "2026-11", "--format", "table")
    assert "demo.dinkes" in table.output and "rank" in table.output


def test_ranking_defaults_to_the_last_complete_month(cli_db: str) -> None:
    """At FIXED_NOW (26 November) the default is October, when DISHUB still posted every third
    day with shares and led; in November it went quiet and DINKES leads."""
    _seed(cli_db)
    table = invoke("ranking", "--format", "table")
    assert "Ranking 2026-10" in table.output
    october = json.loads(invoke("ranking", "--format", "json").output)
    assert october[0]["handle"] == "demo.dishub" and october[0]["rank"] == 1
    assert october == json.loads(invoke("ranking", "--month", "2026-10", "--format", "json").output)


def test_dormant_lists_accounts_by_status(cli_db: str) -> None:
    _seed(cli_db)
    rows = json.loads(invoke("dormant", "--format", "json").output)
    status = {(r["platform"], r["handle"]): r["status"] for r in rows}
    assert status == {
        ("instagram", "demo.dpupr"): "dormant",
        ("instagram", "demo.dedai"): "dormant",  # collected, never posted
        ("facebook", "demo.dishub"): "at_risk",
        ("youtube", "demo.dedai"): "no_data",
    }
    assert rows[0]["handle"] == "demo.dpupr" and rows[0]["days_since_last_post"] == 60
    everyone = json.loads(invoke("dormant", "--include-active", "--format", "json").output)
    assert {r["handle"] for r in everyone} >= {"demo.dinkes"}


def test_bad_options_get_clear_errors(cli_db: str) -> None:
    _seed(cli_db)
    assert "2026-11" in invoke("ranking", "--month", "November").output
    assert invoke("ranking", "--format", "xml").exit_code == 1
    assert "2026-11-26" in invoke("dormant", "--as-of", "26/11/2026").output


def test_users_are_added_changed_and_disabled(cli_db: str) -> None:
    from sqlalchemy import select

    from db.models import User
    from services.users import authenticate

    _seed(cli_db)
    added = invoke("user", "add", "budi.s", "--role", "admin", stdin="rahasia-panjang-1\n")
    assert added.exit_code == 0, added.output
    assert "rahasia-panjang-1" not in added.output
    opd = invoke("user", "add", "admin-dinkes", "--role", "opd", "--opd", "dinkes",
                 stdin="rahasia-panjang-2\n")  # fmt: skip
    assert opd.exit_code == 0, opd.output
    assert invoke("user", "add", "budi.s", stdin="rahasia-panjang-1\n").exit_code == 1
    assert "at least 10" in invoke("user", "add", "siti", stdin="pendek\n").output
    assert "needs --opd" in invoke("user", "add", "siti", "--role", "opd", stdin="x" * 12).output
    assert "no OPD" in invoke("user", "add", "siti", "--role", "opd", "--opd", "NOPE",
                              stdin="x" * 12).output  # fmt: skip
    engine = make_engine(cli_db)
    with make_session_factory(engine)() as session:
        stored = session.scalar(select(User.password_hash).where(User.username == "budi.s"))
        assert stored and stored.startswith("$argon2id$") and "rahasia" not in stored
        who = authenticate(session, "admin-dinkes", "rahasia-panjang-2")
        assert who is not None and who.role == "opd" and who.opd_name
    assert invoke("user", "passwd", "budi.s", stdin="kata-sandi-baru-9\n").exit_code == 0
    with make_session_factory(engine)() as session:
        assert authenticate(session, "budi.s", "rahasia-panjang-1") is None
        assert authenticate(session, "budi.s", "kata-sandi-baru-9") is not None
    assert invoke("user", "disable", "budi.s").exit_code == 0
    with make_session_factory(engine)() as session:
        assert authenticate(session, "budi.s", "kata-sandi-baru-9") is None
    assert invoke("user", "disable", "nobody").exit_code == 1


def test_five_wrong_passwords_lock_a_user_for_a_while(cli_db: str) -> None:
    from datetime import timedelta

    from core.timeutil import utcnow
    from services.users import authenticate

    _seed(cli_db)
    invoke("user", "add", "rina", "--role", "reviewer", stdin="benar-sekali-77\n")
    now = utcnow()
    with make_session_factory(make_engine(cli_db))() as session:
        for _ in range(5):
            assert authenticate(session, "rina", "salah-salah-00", now) is None
        assert authenticate(session, "rina", "benar-sekali-77", now) is None  # locked
        later = now + timedelta(minutes=16)
        assert authenticate(session, "rina", "benar-sekali-77", later) is not None


def test_status_masks_secrets(cli_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PANTAU_META_TOKEN", "EAAB-planted-token")
    _seed(cli_db)
    result = invoke("status", "--format", "json")
    assert result.exit_code == 0, result.output
    values = {r["key"]: r["value"] for r in json.loads(result.output)["summary"]}
    assert values["PANTAU_META_TOKEN"] == REDACTED
    assert values["accounts"] == "5"
    assert "planted" not in result.output


def test_settings_errors_are_reported(cli_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PANTAU_TIMEZONE", "Nowhere/Land")
    result = invoke("status")
    assert result.exit_code == 1 and "PANTAU_TIMEZONE" in result.output


def test_import_reports_bad_rows_and_keeps_good_ones(cli_db: str, tmp_path: Path) -> None:
    _seed(cli_db)
    data = tmp_path / "followers.csv"
    data.write_text(
        "platform;handle;observed_at;followers\n"
        "instagram;@demo.dinkes;26/11/2026 06.00;1.234\n"
        "instagram;demo.dinkes;31/02/2026;10\n"
        "instagram;demo.unknown;2026-11-20;10\n",
        encoding="utf-8-sig",
    )
    result = invoke("import", str(data))
    assert result.exit_code == 1
    assert "1 stored" in result.output
    assert "line 3" in result.output.lower() and "31/02/2026" in result.output
    assert "demo.unknown" in result.output
    again = invoke("import", str(data))
    assert "(0 new)" in again.output


def test_import_of_a_file_with_a_wrong_header_explains_the_formats(
    cli_db: str, tmp_path: Path
) -> None:
    _seed(cli_db)
    data = tmp_path / "x.csv"
    data.write_text("nama,tanggal\nA,B\n", encoding="utf-8")
    result = invoke("import", str(data))
    assert result.exit_code == 1
    assert "platform,handle,observed_at,followers" in result.output.replace(" ", "")


def test_demo_if_empty_does_not_touch_a_filled_database(
    demo_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", demo_db_url)
    result = invoke("demo", "--if-empty")
    assert result.exit_code == 0 and "not loaded" in result.output
    document = json.loads(invoke("status", "--format", "json").output)
    status = {r["key"]: r["value"] for r in document["summary"]}
    assert status["data_source"] == "demo" and status["accounts"] == "129"
    result = runner.invoke(app, ["ranking", "--format", "json"])
    assert "DATA DEMO" in result.stderr
    assert len(json.loads(result.stdout)) == 129


def test_caption_check_json_has_exactly_the_public_keys() -> None:
    caption = (
        "Kepala Dinas Kesehatan Kabupaten Sintang, dr. Harjono Salim, membuka Sosialisasi "
        "Pencegahan Stunting di Aula Kantor Camat Dedai pada Senin (12/5/2025) pukul 09.00 WIB. "
        "Kegiatan dihadiri oleh 50 kader posyandu."
    )
    result = invoke("caption-check", "--format", "json", stdin=caption)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == [
        "official", "activity", "location", "time", "attendees",
        "official_level", "length", "typos", "jargon", "score", "advice",
    ]  # fmt: skip
    assert data["official"] and data["location"] and data["time"] and data["attendees"]
    assert data["official_level"] == "head" and data["length"] == len(caption)


def test_caption_check_text_and_empty_input() -> None:
    result = invoke("caption-check", stdin="Rakor hari ini. #sintang")
    assert result.exit_code == 0 and "Rakor" in result.output
    assert invoke("caption-check", stdin="  ").exit_code == 1
    assert invoke("caption-check", "--format", "xml", stdin="x").exit_code == 1


def test_token_set_stores_the_token_encrypted(cli_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from cryptography.fernet import Fernet

    _seed(cli_db)
    missing_key = invoke("token", "set", "facebook", "demo.dishub", stdin="act.SECRET1")
    assert missing_key.exit_code == 1 and "PANTAU_SECRET_KEY" in missing_key.output
    monkeypatch.setenv("PANTAU_SECRET_KEY", Fernet.generate_key().decode())
    unknown = invoke("token", "set", "tiktok", "demo.nobody", stdin="act.SECRET1")
    assert unknown.exit_code == 1 and "demo.nobody" in unknown.output
    ok = invoke("token", "set", "fb", "@demo.dishub", "--expires-in", "3600",
                stdin="act.SECRET1 rft.SECRET2\n")  # fmt: skip
    assert ok.exit_code == 0, ok.output
    raw = stored_bytes(cli_db)
    assert b"SECRET1" not in raw and b"SECRET2" not in raw


def test_status_shows_the_worker_its_jobs_and_failing_accounts(cli_db: str) -> None:
    from datetime import timedelta

    from core.timeutil import utcnow
    from db import repository, worker_store
    from db.worker_store import LeaseInfo

    ids = _seed(cli_db)
    engine = make_engine(cli_db)
    now = utcnow()
    with make_session_factory(engine)() as session:
        lease = LeaseInfo("h1", "server-1", 4242, now, now)
        assert worker_store.try_acquire(session, lease, timedelta(seconds=90))
        worker_store.save_job(session, "collect:instagram", next_run_at=now + timedelta(hours=2),
                              last_status="ok", last_finished_at=now)  # fmt: skip
        run = repository.start_run(session, "collect")
        failing = repository.ResultRow(ids["dpupr_ig"], now, "failed", "auth", "Token salah", 0)
        fine = repository.ResultRow(ids["dishub_fb"], now, "ok")
        repository.record_account_results(session, run.id, [failing, fine])
        session.commit()
    engine.dispose()
    result = invoke("status")
    assert result.exit_code == 0, result.output
    assert "running" in result.output and "server-1 pid 4242" in result.output
    assert "job:collect:instagram" in result.output and "last ok" in result.output
    failing_table = result.output.split("Accounts failing")[1]
    assert "demo.dpupr" in failing_table and "auth" in failing_table
    assert "demo.dishub" not in failing_table
    everyone = invoke("status", "--accounts").output.split("Accounts")[-1]
    assert "demo.dishub" in everyone


@pytest.mark.sqlite_only  # PostgreSQL is backed up with pg_dump (docs/deploy.md)
def test_backup_copies_a_consistent_database(cli_db: str, tmp_path: Path) -> None:
    import sqlite3

    _seed(cli_db)
    dest = tmp_path / "backups" / "pantau-2026-11-26.db"
    result = invoke("backup", str(dest))
    assert result.exit_code == 0, result.output
    assert "integrity check ok" in result.output
    source = sqlite3.connect(cli_db.removeprefix("sqlite:///"))
    copy = sqlite3.connect(dest)
    for table in ("posts", "accounts", "follower_snapshots", "opds"):
        query = f"SELECT count(*) FROM {table}"  # noqa: S608  # nosec B608 - fixed names
        assert copy.execute(query).fetchone() == source.execute(query).fetchone()
    assert copy.execute("SELECT count(*) FROM posts").fetchone()[0] > 0
    assert invoke("backup", cli_db.removeprefix("sqlite:///")).exit_code == 1


def test_backup_of_postgresql_points_to_pg_dump(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # nothing listens on the discard port: no network beyond this machine, a quick refusal
    monkeypatch.setenv("DATABASE_URL", "postgresql://pantau@127.0.0.1:9/pantau")
    result = invoke("backup", str(tmp_path / "x.db"))
    assert result.exit_code == 1 and "pg_dump" in result.output
    assert not (tmp_path / "x.db").exists()
