"""Issue #7 item 5, third proof: fuzzed registry and data imports (hypothesis).

A case is one CSV or .xlsx file built row by row with its expected outcome:

- good rows: platforms by any alias in any case, handles as ``@name``, a name or a profile URL,
  padding, every date format of the README (and Excel dates), plain or grouped counts, empty
  counts (unknown), unicode and huge captions with quotes, delimiters and line breaks, numeric
  post ids as Excel numbers, keys repeated within the file;
- bad rows, each with one defect and the issue it must raise on its line: unreadable,
  impossible, ancient or future dates, negative, fractional, garbled or huge counts, missing or
  too-long values, unknown or missing platforms, malformed or unregistered handles, bad e-mail
  addresses, surplus cells, an account claimed by two OPDs;
- garbage rows: arbitrary text in one column (a count, a date, a handle): an error in that
  column, or the row is kept.

Files vary in column order, missing optional columns, an unused column, short rows, blank and
delimiter-only rows (before the header too), BOM, comma or semicolon, quoting and line ends;
a few lack a required column (the whole file is refused, nothing stored). The file goes
through ``import_registry`` or ``import_file`` on a fresh copy of a database and is committed.

``check``: no exception; every bad row has exactly its expected error (column and code) on its
line, in messages that name the line in both languages; no good row has an error; a repeated
key is warned about; the database holds exactly the distinct keys of the kept rows, with the
last row's values (registry: every OPD and account, with its OPD and first name in the file).
``bench/proof_fuzz.py`` runs the same properties with 10,000 cases.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, Phase, find, settings
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Account, Opd
from ingest import data_import, registry, tabular
from ingest.issues import IssueError
from ingest.values import parse_count, parse_datetime
from testkit.db_support import ON_POSTGRES, TemplateCopies
from testkit.fuzz_check import (
    Cases,
    prove,
)
from testkit.fuzz_files import (
    WIB,
    Row,
    Sample,
    files,
)


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Cases:
    cluster = request.getfixturevalue("pg_cluster") if ON_POSTGRES else None
    return Cases(TemplateCopies(tmp_path_factory.mktemp("fuzz"), cluster))


@pytest.mark.parametrize(("kind", "examples"), [("registry", 70), ("posts", 70), ("followers", 60)])
def test_fuzzed_imports_keep_good_rows_and_report_bad_ones(
    kind: str, examples: int, cases: Cases
) -> None:
    prove(kind, examples, cases, derandomize=True)  # a test fails only for a change
    assert cases.counts[kind] >= examples


def test_the_bugs_the_fuzzing_found_stay_fixed(cases: Cases) -> None:
    """A huge count crashed the import ("Python int too large to convert to SQLite INTEGER"),
    and so did a date in year 1 ("date value out of range"); a date in 1899 was stored."""
    text = (
        "platform,handle,post_id,posted_at,likes\n"
        "ig,dinkes.sintang,P1,2026-01-02 08:00,99999999999999999999\n"
        "ig,dinkes.sintang,P2,0001-01-01 00:00,5\n"
        "ig,dinkes.sintang,P3,0001-01-01T00:00Z,5\n"
        "ig,dinkes.sintang,P4,1899-12-31 23:59,5\n"
        f"ig,dinkes.sintang,P5,2026-01-02 08:00,{'9' * 5000}\n"
        "ig,dinkes.sintang,P6,2026-01-02 08:00,7\n"
    )
    kept = Row(
        {},
        key=("instagram", "dinkes.sintang", "P6"),
        values=(datetime(2026, 1, 2, 1, tzinfo=UTC), None, None, 7, None, None, None),
    )
    rows = (
        [Row({}, expect=("likes", "count_too_large"))]
        + [Row({}, expect=("posted_at", "past_date")) for _ in range(3)]
        + [Row({}, expect=("likes", "count_too_large")), kept]
    )
    sample = Sample("posts", "bugs.csv", text.encode(), list(enumerate(rows, start=2)))
    assert cases.run(sample) == []


def test_ancient_and_huge_values_are_issues_not_crashes() -> None:
    for value in ("0001-01-01 00:00", datetime(1, 1, 1), "01/01/0001", "1899-12-31"):
        with pytest.raises(IssueError) as found:
            parse_datetime(value, WIB)
        assert found.value.code == "past_date"
    for count in ("9223372036854775808", "9" * 5000, 1e300, 2**63, "1.000.000.000.000.000.000.000"):
        with pytest.raises(IssueError) as found:
            parse_count(count)
        assert found.value.code == "count_too_large"
    assert parse_count("9223372036854775807") == 2**63 - 1  # the largest BIGINT still fits


def some(kind: str, wanted: Callable[[Sample], bool]) -> Sample:
    """The simplest generated file of ``kind`` that is accepted and satisfies ``wanted``."""
    quick = settings(  # the first one found: shrinking it would take long
        database=None,
        max_examples=5000,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    return find(files(kind), lambda s: not s.missing and wanted(s), settings=quick)


def test_the_check_sees_a_good_row_that_was_not_stored(
    cases: Cases, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = some("posts", lambda s: any(not (r.expect or r.garbage) for _, r in s.rows))
    assert cases.run(sample) == []
    original = data_import.upsert_posts
    monkeypatch.setattr(
        data_import, "upsert_posts", lambda session, rows, **kw: original(session, rows[:-1], **kw)
    )
    assert [p for p in cases.run(sample) if p.startswith("missing (")]


def test_the_check_sees_a_bad_row_kept_without_an_issue(
    cases: Cases, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = some(
        "followers", lambda s: any(r.expect and r.expect[0] == "followers" for _, r in s.rows)
    )
    assert cases.run(sample) == []
    monkeypatch.setattr(data_import, "parse_count", lambda value: None)  # "unknown", silently
    problems = cases.run(sample)
    assert any(
        re.fullmatch(r"line \d+: expected \('followers', '\w+'\), got nothing", p) for p in problems
    )
    # ...and the database holds a row it should not (a new key, or another row's value)
    assert any(p.startswith(("unexpected (", "report says")) or ": stored " in p for p in problems)


def test_the_check_sees_wrong_line_numbers(cases: Cases, monkeypatch: pytest.MonkeyPatch) -> None:
    # a row whose defect is checked by its line ("expected ..."): an unregistered account's is
    # checked through the report's list of unknown handles, which a line shift does not move
    sample = some(
        "posts",
        lambda s: (
            s.name.endswith("csv")
            and any(r.expect and r.expect[1] != "unknown_handle" for _, r in s.rows)
        ),
    )
    assert cases.run(sample) == []
    original = tabular._csv_records
    monkeypatch.setattr(
        tabular,
        "_csv_records",
        lambda text, delimiter: ((n + 1, c) for n, c in original(text, delimiter)),
    )
    assert any(re.match(r"line \d+: expected", p) for p in cases.run(sample))


def test_the_check_sees_an_account_left_under_its_old_opd(
    cases: Cases, monkeypatch: pytest.MonkeyPatch
) -> None:
    moved = ("instagram", "akun.lama")
    sample = some(
        "registry",
        lambda s: any(
            r.key == moved and r.opd[0] != "LAMA" and not (r.expect or r.garbage) for _, r in s.rows
        ),
    )
    assert cases.run(sample) == []
    original = registry.upsert_account

    def keep_old_owner(
        session: Session, opd: Opd, platform: str, handle: str, url: str | None = None
    ) -> Account:
        if (platform, handle) == moved:
            opd = session.scalars(select(Opd).where(Opd.code == "LAMA")).one()
        return original(session, opd, platform, handle, url)

    monkeypatch.setattr(registry, "upsert_account", keep_old_owner)
    assert any(p.startswith(f"{moved}: stored ('LAMA',)") for p in cases.run(sample))
