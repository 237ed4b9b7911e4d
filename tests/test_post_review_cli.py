"""`cli.py review` on the hand-made month: its columns, formats, local times and filters."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest
from typer.testing import CliRunner

from cli import app
from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from services.post_review import REVIEW_COLUMNS
from testkit.db_support import NewDatabase
from tests.post_review_world import MONTH, build

runner = CliRunner()


@pytest.fixture
def review_db(new_db_url: NewDatabase, monkeypatch: pytest.MonkeyPatch, fixed_now: datetime) -> str:
    url = new_db_url("review-cli")
    engine = make_engine(url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        build(session)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def run(*args: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["review", "--month", MONTH, "--format", "json", *args])
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def test_json_columns_times_and_counts(review_db: str) -> None:
    rows = run()
    assert len(rows) == 11 and all(list(r) == REVIEW_COLUMNS for r in rows)
    first = {r["post_id"]: r for r in rows}
    # 00.30 WIB on 1 November, the day's first post, printed in WIB with its offset
    assert first["first-hour"]["posted_at"] == "2026-11-01T00:30:00+07:00"
    assert first["staff"]["posted_at"] == "2026-11-11T08:00:00+07:00"
    assert first["staff"]["outside_rule"] is True and first["complete"]["outside_rule"] is False
    assert first["lack-time"]["time"] is False and first["lack-time"]["official"] is True
    assert first["no-caption"]["score"] is None and first["complete"]["score"] == 100
    assert isinstance(first["typo"]["typos"], int) and isinstance(first["typo"]["jargon"], int)
    assert first["typo"]["jargon"] == 1 and first["complete"]["typos"] == 0
    assert first["lack-official"]["official_level"] == "head"
    assert first["staff"]["handle"] == "distan.sintang" and first["staff"]["platform"] == "facebook"


def test_csv_booleans_and_only_problems(review_db: str) -> None:
    result = runner.invoke(app, ["review", "--month", MONTH, "--format", "csv", "--only-problems"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and list(rows[0]) == REVIEW_COLUMNS
    ids = {r["post_id"] for r in rows}
    assert ids == {"lack-official", "lack-activity", "lack-location", "lack-time",
                   "lack-attendees", "staff", "no-caption", "typo"}  # fmt: skip
    staff = next(r for r in rows if r["post_id"] == "staff")
    assert staff["outside_rule"] == "true" and staff["activity"] == "true"
    assert staff["official"] == "false" and staff["posted_at"].endswith("+07:00")
    no_caption = next(r for r in rows if r["post_id"] == "no-caption")
    assert no_caption["score"] == "" and no_caption["typos"] == "0"


def test_one_opd_by_its_code(review_db: str) -> None:
    rows = run("--opd", "disdik")
    assert [r["post_id"] for r in rows] == ["school"] and rows[0]["opd_code"] == "DISDIK"
    assert {r["opd_code"] for r in run("--opd", "DISTAN")} == {"DISTAN"}


def test_table_output(review_db: str) -> None:
    result = runner.invoke(app, ["review", "--month", MONTH, "--opd", "DISDIK"])
    assert result.exit_code == 0, result.output
    assert "Posts of 2026-11 (DISDIK)" in result.stdout and "disdik.sintang" in result.stdout
    assert "distan.sintang" not in result.stdout


def test_unknown_opd_and_bad_input(review_db: str) -> None:
    result = runner.invoke(app, ["review", "--month", MONTH, "--opd", "DISHUTBUN"])
    assert result.exit_code == 1 and "unknown OPD code 'DISHUTBUN'" in result.output
    bad_month = runner.invoke(app, ["review", "--month", "November"])
    assert bad_month.exit_code == 1 and "2026-11" in bad_month.output
    bad_format = runner.invoke(app, ["review", "--month", MONTH, "--format", "xml"])
    assert bad_format.exit_code == 1


def test_an_empty_month_is_an_empty_list(review_db: str) -> None:
    result = runner.invoke(app, ["review", "--month", "2026-09", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout) == []
