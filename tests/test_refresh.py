"""Derived data has one home: writers only write, and each pass of writes is followed by
exactly one ``refresh.after_write`` (caption scores, dirty monthly aggregates, stored month
rankings), whoever ran it: the worker, the CLI, an import, the demo loader."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

import refresh
from cli import app
from collectors.http import HttpOptions
from collectors.service import pass_options, run_collection
from core.settings import Settings, load_settings
from db import repository as repo
from db.aggregates import VERSION_KEY
from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from db.models import AccountMonth, AggregateDirty, MonthScore, Post
from demo.load import load_demo
from demo.world import build_world
from refresh import RefreshReport, after_write
from refresh.scores import months_to_store
from simulator import Simulator, sim_settings_env
from simulator.server import SimServer, start_server
from tests.test_simulator_support import small_world
from tests.worker_support import runtime, worker_settings
from worker import jobs

STEPS = ("score_new_captions", "rebuild_months", "store_month_scores")
HEADER = "opd_code,opd_name,category,platform,handle\n"
SERVED = ("instagram", "youtube", "x")  # no per-account token, no own domain, a valid handle


@pytest.fixture
def steps(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Every call of an ``after_write`` step, counted (the steps still run)."""
    calls: Counter[str] = Counter()

    def counted(name: str, step: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return step(*args, **kwargs)

        return wrapper

    for name in STEPS:
        monkeypatch.setattr(refresh, name, counted(name, getattr(refresh, name)))
    return calls


def once() -> Counter[str]:
    return Counter(dict.fromkeys(STEPS, 1))


def register(path: Path, *accounts: tuple[str, str]) -> None:
    """Accounts added as an admin does: `cli.py registry import FILE`."""
    rows = [f"DISKOMINFO,Dinas Kominfo,dinas,{platform},{handle}" for platform, handle in accounts]
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["registry", "import", str(path)])
    assert result.exit_code == 0, result.output


def derived(session: Session) -> dict[str, Any]:
    """The derived data as stored (a stored ranking's computing time left out)."""
    session.expire_all()
    scores = pd.read_sql(select(MonthScore), session.connection()).drop(columns="computed_at")
    months = pd.read_sql(select(AccountMonth), session.connection())
    captions = session.execute(
        select(Post.id, Post.caption_score, Post.caption_level, Post.caption_flags).order_by(
            Post.id
        )
    ).all()
    return {
        "scores": scores.sort_values(["month", "account_id"]).reset_index(drop=True),
        "months": months.sort_values(["month", "account_id"]).reset_index(drop=True),
        "captions": captions,
        "version": repo.get_meta(session, VERSION_KEY),
    }


def count(session: Session, model: type[Any]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def worker_world(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixed_now: datetime
) -> Iterator[tuple[Settings, sessionmaker[Session]]]:
    """The worker's runtime on a registered database; the platforms are the simulator's."""
    sim = Simulator(small_world(), sleep=lambda _s: None)
    env = sim_settings_env(sim) | {"PANTAU_SECRET_KEY": Fernet.generate_key().decode()}
    settings = worker_settings(db_url, tmp_path, **env)
    monkeypatch.setenv("DATABASE_URL", db_url)
    with runtime(settings, transport=sim.transport()) as factory:
        upgrade(factory.kw["bind"])
        register(tmp_path / "registry.csv", ("instagram", "humas_sintang"))
        yield settings, factory


def test_a_worker_collection_pass_refreshes_once(
    worker_world: tuple[Settings, sessionmaker[Session]], steps: Counter[str]
) -> None:
    _settings, factory = worker_world
    steps.clear()  # the registry import that set the world up refreshed too

    jobs.collect_platform("instagram")

    assert steps == once()
    with factory() as session:
        assert count(session, Post) > 0
        unscored = select(func.count()).where(
            Post.caption_score.is_(None), Post.caption.is_not(None)
        )
        assert session.scalar(unscored) == 0  # every caption scored
        assert count(session, AccountMonth) > 0 and count(session, AggregateDirty) == 0
        assert count(session, MonthScore) > 0


def test_the_writers_only_write(
    worker_world: tuple[Settings, sessionmaker[Session]], steps: Counter[str]
) -> None:
    """A collection pass on its own (collectors, no caller's refresh) leaves its months
    marked dirty and its captions unscored: keeping derived data fresh is not its job."""
    settings, factory = worker_world
    rt = jobs.runtime()
    steps.clear()
    with factory() as session:
        before = derived(session)
    run_collection(factory, settings, pass_options(settings), rt.transport, HttpOptions())
    assert steps == Counter()
    with factory() as session:
        assert count(session, AggregateDirty) > 0
        assert session.scalar(select(func.count()).where(Post.caption_score.is_not(None))) == 0
        after = derived(session)
    pd.testing.assert_frame_equal(after["months"], before["months"])
    with factory() as session:
        report = after_write(session, settings)
        session.commit()
    assert report.captions_scored > 0 and report.month_rows > 0 and report.month_scores > 0


def test_a_second_after_write_changes_nothing(
    worker_world: tuple[Settings, sessionmaker[Session]],
) -> None:
    settings, factory = worker_world
    jobs.collect_platform("instagram")
    with factory() as session:
        before = derived(session)
        report = after_write(session, settings)
        session.commit()
        after = derived(session)
    assert report == RefreshReport(0, 0, len(before["scores"]))
    pd.testing.assert_frame_equal(after["scores"], before["scores"])
    pd.testing.assert_frame_equal(after["months"], before["months"])
    assert after["captions"] == before["captions"]
    assert after["version"] == before["version"]


def test_after_write_scores_new_captions_and_rebuilds_the_month(
    session: Session, fixed_now: datetime
) -> None:
    settings = load_settings(environ={})
    opd = repo.upsert_opd(session, "DINKES", "Dinas Kesehatan", "dinas")
    account = repo.upsert_account(session, opd, "instagram", "demo.dinkes").id
    when = fixed_now - timedelta(hours=2)
    caption = "Kepala Dinas Kesehatan membuka pelatihan kader di Aula Dedai, Senin pukul 09.00 WIB."
    repo.upsert_posts(session, [repo.PostRow(account, "p1", when, caption, likes=5, comments=1)])
    assert count(session, AccountMonth) == 0

    report = after_write(session, settings)
    session.commit()

    assert report.captions_scored == 1 and report.month_rows == 1
    assert report.month_scores == 3  # the one account, in each kept month
    post = session.scalars(select(Post)).one()
    assert post.caption_score is not None and post.caption_flags is not None
    row = session.scalars(select(AccountMonth)).one()
    assert (row.posts, row.interactions, row.caption_scored) == (1, 6, 1)
    assert row.caption_score_sum == post.caption_score
    assert count(session, AggregateDirty) == 0
    stored = session.scalars(select(MonthScore).where(MonthScore.account_id == account)).all()
    assert {s.month for s in stored} == set(months_to_store(settings))


@pytest.fixture
def served(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[SimServer, sessionmaker[Session]]]:
    """`cli.py` pointed at a migrated, registered database and the simulator on 127.0.0.1."""
    server = start_server(small_world())
    for name, value in (sim_settings_env(server.sim) | {"DATABASE_URL": db_url}).items():
        monkeypatch.setenv(name, value)
    engine = make_engine(db_url)
    upgrade(engine)
    register(tmp_path / "registry.csv", *((p, "humas_sintang") for p in SERVED))
    yield server, make_session_factory(engine)
    server.shutdown()
    engine.dispose()


def test_cli_collect_refreshes_once(
    served: tuple[SimServer, sessionmaker[Session]], steps: Counter[str]
) -> None:
    _server, factory = served
    steps.clear()
    result = CliRunner().invoke(app, ["collect"])
    assert result.exit_code == 0, result.output
    assert steps == once()
    with factory() as session:
        assert count(session, AggregateDirty) == 0 and count(session, AccountMonth) > 0
        captions = session.scalar(select(func.count()).where(Post.caption.is_not(None)))
    scored = int(result.stdout.split(" new captions scored")[0].rsplit(" ", 1)[-1])
    assert scored == captions > 0  # every caption collected, scored in the one refresh


def test_cli_imports_refresh_once(
    served: tuple[SimServer, sessionmaker[Session]], tmp_path: Path, steps: Counter[str]
) -> None:
    _server, factory = served
    steps.clear()
    posts = tmp_path / "posts.csv"
    posts.write_text(
        "platform,handle,post_id,posted_at,caption,likes,comments\n"
        "instagram,humas_sintang,a1,2026-11-02 09:00,Rapat koordinasi di Aula Kantor Bupati,5,1\n"
        "instagram,humas_sintang,a2,2026-11-03 09:00,Senam pagi bersama,7,0\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["import", str(posts)])
    assert result.exit_code == 0, result.output
    assert steps == once()
    with factory() as session:
        assert count(session, AggregateDirty) == 0
        assert session.scalar(select(func.count()).where(Post.caption_score.is_not(None))) == 2

    register(tmp_path / "more.csv", ("instagram", "humas_sintang"), ("x", "sepi_sintang"))
    assert steps == Counter(dict.fromkeys(STEPS, 2))  # the registry import: once more


def test_the_demo_load_refreshes_once(session: Session, steps: Counter[str]) -> None:
    load_demo(session, world=build_world(date(2026, 11, 30), months=1))
    assert steps == once()
    assert count(session, AggregateDirty) == 0 and count(session, MonthScore) > 0


def test_a_caption_without_text_is_checked_once(session: Session) -> None:
    """Its score stays NULL, yet the next refresh neither checks it again nor redoes its month."""
    settings = load_settings(environ={})
    opd = repo.upsert_opd(session, "DISHUB", "Dinas Perhubungan", "dinas")
    account = repo.upsert_account(session, opd, "instagram", "demo.dishub").id
    when = datetime(2026, 11, 20, 3, tzinfo=UTC)
    repo.upsert_posts(session, [repo.PostRow(account, "blank", when, "  \n ", likes=2, comments=0)])
    first = after_write(session, settings)
    session.commit()
    post = session.scalars(select(Post)).one()
    assert first.captions_scored == 1 and post.caption_score is None
    assert post.caption_flags is not None

    again = after_write(session, settings)
    assert (again.captions_scored, again.month_rows) == (0, 0)

    repo.upsert_posts(session, [repo.PostRow(account, "blank", when, "Bupati Sintang meninjau")])
    assert after_write(session, settings).captions_scored == 1  # a changed caption: again
