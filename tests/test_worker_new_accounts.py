"""First data at once: an account added to the registry while the worker runs is read by the
`new_accounts` job within a minute, not at its platform's next 6-hourly pass; nothing happens
when nothing is new, a failed first attempt is not repeated, a running pass is not collided
with. The platforms are the simulator's (no network); "now" is fixed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from cli import app
from collectors import REGISTRY
from core.settings import Settings
from db import worker_store
from db.migrate import upgrade
from db.models import Account, AccountResult, CollectionRun, FollowerSnapshot, MonthScore, Post
from services.worker_state import job_label
from simulator import Simulator, sim_settings_env
from tests.test_simulator_support import small_world
from tests.worker_support import runtime, worker_settings
from worker import jobs
from worker.schedule import NEW_ACCOUNTS_EVERY, job_specs

STARTED = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)  # the worker started; regular passes ran
NOTHING = "Tidak ada akun baru yang menunggu data pertamanya."
HEADER = "opd_code,opd_name,category,platform,handle\n"


class Counting(httpx.BaseTransport):
    """The simulator's transport, counting the requests that reach it."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner, self.requests = inner, 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        return self.inner.handle_request(request)


@pytest.fixture
def world(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Settings, sessionmaker[Session], Counting]]:
    """A running deployment: one Instagram account, collected by its regular pass."""
    sim = Simulator(small_world(), sleep=lambda _s: None)
    env = sim_settings_env(sim) | {"PANTAU_SECRET_KEY": Fernet.generate_key().decode()}
    settings = worker_settings(db_url, tmp_path, **env)
    monkeypatch.setenv("DATABASE_URL", db_url)  # for `cli.py registry import`
    transport = Counting(sim.transport())
    with runtime(settings, transport=transport) as factory:
        upgrade(factory.kw["bind"])
        register(tmp_path, "DISKOMINFO,Dinas Kominfo,dinas,instagram,humas_sintang")
        jobs.collect_platform("instagram")
        with factory() as session:  # what the scheduler's recorder writes after each pass
            for platform in REGISTRY:
                worker_store.save_job(session, f"collect:{platform}", last_finished_at=STARTED,
                                      next_run_at=STARTED + timedelta(hours=6))  # fmt: skip
            session.commit()
        transport.requests = 0
        yield settings, factory, transport


def register(tmp_path: Path, *rows: str) -> None:
    """Add accounts the way an admin does: `cli.py registry import FILE`."""
    path = tmp_path / "registry.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["registry", "import", str(path)])
    assert result.exit_code == 0, result.output


def _account(session: Session, platform: str, handle: str) -> int:
    stmt = select(Account.id).where(Account.platform == platform, Account.handle == handle)
    return int(session.scalars(stmt).one())


def _count(session: Session, model: type[CollectionRun] | type[AccountResult]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_the_job_is_in_the_timetable_and_runs_within_a_minute() -> None:
    specs = {s.job_id: s for s in job_specs(Settings(), now=STARTED)}
    new = specs["new_accounts"]
    assert new.func is jobs.collect_new_accounts
    assert NEW_ACCOUNTS_EVERY.total_seconds() <= 60
    added = STARTED + timedelta(minutes=10, seconds=7)  # an admin imports the registry
    fired = added - timedelta(seconds=1)  # the job's previous run
    assert new.trigger.get_next_fire_time(fired, added) <= added + timedelta(minutes=1)
    assert str(specs["collect:x"].trigger) == "interval[6:00:00]"  # the next pass: hours away
    assert job_label("new_accounts") == "Data pertama akun baru"


def test_an_account_added_while_the_worker_runs_is_read_at_once(
    world: tuple[Settings, sessionmaker[Session], Counting], tmp_path: Path
) -> None:
    _settings, factory, transport = world
    assert jobs.collect_new_accounts() == NOTHING
    assert transport.requests == 0

    register(tmp_path, "DISKOMINFO,Dinas Kominfo,dinas,instagram,humas_sintang",
             "DISKOMINFO,Dinas Kominfo,dinas,x,humas_sintang")  # fmt: skip
    with factory() as session:
        new_id = _account(session, "x", "humas_sintang")
        runs_before = _count(session, CollectionRun)

    summary = jobs.collect_new_accounts()

    assert summary == "Akun baru: 1 dari 1 akun berhasil dibaca."
    with factory() as session:
        assert _count(session, CollectionRun) == runs_before + 1
        last_run = session.scalar(select(func.max(CollectionRun.id)))
        read = select(AccountResult.account_id, AccountResult.status).where(
            AccountResult.run_id == last_run
        )
        assert session.execute(read).all() == [(new_id, "ok")]  # only the new account
        snapshot = select(FollowerSnapshot.followers).where(FollowerSnapshot.account_id == new_id)
        assert session.scalars(snapshot).all() == [4321]
        posts = session.scalars(select(Post).where(Post.account_id == new_id)).all()
        assert len(posts) == 23
        # the regular pass's derived-data refresh ran too: captions scored, months ranked
        assert all(p.caption_score is not None for p in posts if p.caption)
        ranked = select(func.count()).where(MonthScore.account_id == new_id)
        assert (session.scalar(ranked) or 0) > 0
    used = transport.requests
    assert used > 0

    assert jobs.collect_new_accounts() == NOTHING  # now it has data: nothing to do
    assert transport.requests == used


def test_an_account_that_cannot_be_read_is_tried_once(
    world: tuple[Settings, sessionmaker[Session], Counting], tmp_path: Path
) -> None:
    _settings, factory, transport = world
    register(tmp_path, "DISKOMINFO,Dinas Kominfo,dinas,x,tidak_ada_di_x")
    summary = jobs.collect_new_accounts()
    assert summary.startswith("Akun baru: 0 dari 1 akun berhasil dibaca.")
    with factory() as session:
        gone = _account(session, "x", "tidak_ada_di_x")
        stmt = select(AccountResult.status).where(AccountResult.account_id == gone)
        assert session.scalars(stmt).all() == ["failed"]
    used = transport.requests

    assert jobs.collect_new_accounts() == NOTHING  # the failure is recorded: not new anymore
    assert transport.requests == used


def test_a_running_pass_of_the_platform_is_not_collided_with(
    world: tuple[Settings, sessionmaker[Session], Counting], tmp_path: Path
) -> None:
    _settings, factory, transport = world
    register(tmp_path, "DISKOMINFO,Dinas Kominfo,dinas,x,humas_sintang",
             "DISKOMINFO,Dinas Kominfo,dinas,youtube,humas_sintang")  # fmt: skip
    rt = jobs.runtime()
    with rt.hold_platforms({"x"}) as held:  # collect:x is running its regular pass
        assert held == {"x"}
        summary = jobs.collect_new_accounts()
    assert summary == ("Akun baru: 1 dari 1 akun berhasil dibaca. 1 akun baru lainnya "
                       "menunggu pengambilan data yang sedang berjalan.")  # fmt: skip
    with factory() as session:
        waiting = worker_store.never_collected(session, REGISTRY)
        assert waiting == {"x": {_account(session, "x", "humas_sintang")}}
    with rt.hold_platforms({"x"}):
        assert jobs.collect_new_accounts().startswith("1 akun baru menunggu pengambilan data yang")
    assert jobs.collect_new_accounts() == "Akun baru: 1 dari 1 akun berhasil dibaca."
    assert transport.requests > 0


def test_before_the_first_regular_pass_new_accounts_wait_for_it(
    world: tuple[Settings, sessionmaker[Session], Counting], tmp_path: Path
) -> None:
    """A fresh install: every account is new, and collect:<platform> is about to read them
    all; reading them twice would spend the platforms' quota for nothing."""
    _settings, factory, transport = world
    with factory() as session:
        worker_store.save_job(session, "collect:x", last_finished_at=None)
        session.commit()
    register(tmp_path, "DISKOMINFO,Dinas Kominfo,dinas,x,humas_sintang")
    assert jobs.collect_new_accounts() == NOTHING
    assert transport.requests == 0
