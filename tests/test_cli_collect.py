"""`cli.py collect` end to end against the simulator served on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from cryptography.fernet import Fernet
from typer.testing import CliRunner

from cli import app
from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from demo.collect import store_demo_tokens
from demo.simworld import world_from_demo
from demo.world import build_world
from ingest.registry import import_registry_records
from simulator import sim_settings_env
from simulator.server import SimServer, start_server
from testkit.db_support import NewDatabase


@pytest.fixture
def served(new_db_url: NewDatabase, monkeypatch: pytest.MonkeyPatch) -> Iterator[SimServer]:
    world = build_world(date(2025, 12, 1), months=1)
    # websites live on their own (fake) domains, which only the in-process simulator answers
    world.registry[:] = [r for r in world.registry if r[1]["platform"] != "website"]
    server = start_server(world_from_demo(world))
    url = new_db_url("collect")
    key = Fernet.generate_key().decode()
    env = sim_settings_env(server.sim) | {"DATABASE_URL": url, "PANTAU_SECRET_KEY": key}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    engine = make_engine(url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        import_registry_records(session, world.registry)
        session.commit()
        store_demo_tokens(session, server.sim, key)
    engine.dispose()
    yield server
    server.shutdown()


def test_collect_reads_every_account_and_prints_a_summary(served: SimServer) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["collect"])
    assert result.exit_code == 0, result.output
    for platform in ("instagram", "facebook", "youtube", "tiktok", "x"):
        assert platform in result.stdout
    # the demo's missing YouTube channel fails (not_found); every other account is read
    assert "status partial" in result.stdout and "new captions scored" in result.stdout
    assert "not_found" in result.stdout
    again = runner.invoke(app, ["collect", "--platform", "youtube"])
    assert again.exit_code == 0 and "instagram" not in again.stdout
    ranking = runner.invoke(app, ["ranking", "--format", "csv"])
    assert ranking.exit_code == 0 and ranking.stdout.count("\n") > 60


def test_collect_rejects_an_unknown_platform(served: SimServer) -> None:
    result = CliRunner().invoke(app, ["collect", "--platform", "myspace"])
    assert result.exit_code == 1 and "myspace" in result.output
