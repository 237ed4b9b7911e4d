"""`cli.py check` and Pengaturan's "Uji koneksi" end to end, against the simulator served on
127.0.0.1 with every setting it offers (the Meta and Google apps included)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from typer.testing import CliRunner

from cli import app
from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from services.credential_check import RECORD_KEYS
from simulator import Fault, Simulator, sim_settings_env
from simulator.server import SimServer, start_server
from testkit.db_support import NewDatabase
from tests.app_support import run_page, serve_from
from tests.check_support import check_world, register, secret_values

PAGE = "pages/pengaturan.py"


def no_wait(_seconds: float) -> None:
    """Nothing in the simulator is worth waiting for."""


@pytest.fixture
def served(new_db_url: NewDatabase, monkeypatch: pytest.MonkeyPatch) -> Iterator[SimServer]:
    world = check_world()
    server = start_server(Simulator(world, sleep=no_wait))
    url = new_db_url("check")
    env = sim_settings_env(server.sim) | {
        "DATABASE_URL": url, "PANTAU_SECRET_KEY": Fernet.generate_key().decode(),
    }  # fmt: skip
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    engine = make_engine(url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        register(session, world, env["PANTAU_SECRET_KEY"])
    engine.dispose()
    yield server
    server.shutdown()


def secrets(server: SimServer) -> list[str]:
    env = sim_settings_env(server.sim) | {"PANTAU_SECRET_KEY": os.environ["PANTAU_SECRET_KEY"]}
    return secret_values(env, server.sim.world)


def test_check_json_when_everything_works(served: SimServer) -> None:
    result = CliRunner().invoke(app, ["check", "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert all(tuple(r) == RECORD_KEYS for r in records)
    assert [r for r in records if r["ok"] is not True] == []  # the apps are set here too
    meta_app = [r for r in records if r["detail"].startswith("Aplikasi Meta dikenali")]
    assert len(meta_app) == 1  # the simulator's debug_token accepted the app
    page = next(r for r in records if r["account"] == "dishubsintang")
    assert page["detail"].startswith("Token Halaman berlaku; izin yang diberikan: pages_")
    for secret in secrets(served):
        assert secret not in result.output


def test_check_table_and_exit_status_on_failures(served: SimServer) -> None:
    served.sim.faults.add(Fault("no_read_access", platform="x"))
    served.sim.faults.add(Fault("quota_exceeded", platform="youtube"))
    result = CliRunner().invoke(app, ["check"])
    assert result.exit_code == 1
    assert "Credential check" in result.stdout and result.stdout.count("FAILED") == 2
    assert "X tanpa akses baca pada paket gratis" in result.stdout
    assert "2 configured credential(s) or token(s) failed." in result.output
    for secret in secrets(served):
        assert secret not in result.output


def test_check_refuses_an_unknown_format(served: SimServer) -> None:
    result = CliRunner().invoke(app, ["check", "--format", "csv"])
    assert result.exit_code == 1 and "choose one of table, json" in result.output
    assert served.sim.stats.total == 0  # refused before any call


def test_the_pengaturan_tab_shows_the_check(
    served: SimServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    served.sim.faults.add(Fault("expired_token", platform="instagram"))
    gen = serve_from(os.environ["DATABASE_URL"], monkeypatch)
    next(gen)
    at = run_page(PAGE)
    assert "Koneksi platform" in [tab.label for tab in at.tabs]
    assert served.sim.stats.total == 0  # nothing is checked before the button is pressed
    at.button(key="check_connections").click().run()
    assert not at.exception, [e.message for e in at.exception]
    summary = at.error[0].value
    assert summary.startswith("1 dari ") and summary.endswith("gagal. Lihat kolom Perbaikan.")
    (table,) = [d.value for d in at.dataframe if "Perbaikan" in d.value.columns]
    assert list(table.columns) == [
        "Platform", "Akun", "Status", "Keterangan", "Perbaikan", "Berlaku sampai"
    ]  # fmt: skip
    instagram = table[table["Akun"] == "Diskominfo (PANTAU_META_TOKEN, PANTAU_IG_USER_ID)"]
    assert instagram["Status"].tolist() == ["Gagal"]
    assert instagram["Keterangan"].tolist() == ["Token Meta (PANTAU_META_TOKEN) kedaluwarsa."]
    assert set(table["Status"]) == {"Berfungsi", "Gagal"}
    assert "TikTok" in table["Platform"].tolist()
    shown = table.to_string()
    for secret in secrets(served):
        assert secret not in shown
    next(gen, None)


def test_the_demo_worlds_tokens_are_listed_not_tested(
    demo_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", demo_db_url)
    result = CliRunner().invoke(app, ["check", "--format", "json"])
    assert result.exit_code == 0, result.output  # nothing configured, nothing failed
    records = json.loads(result.stdout)
    tokens = [r for r in records if r["account"]]
    assert {r["platform"] for r in tokens} >= {"tiktok", "facebook"}
    assert {r["ok"] for r in records} == {None}
    assert all(r["detail"].startswith("Akun data demo: tokennya dibuat") for r in tokens)
    assert "No platform credential is configured." in result.output
