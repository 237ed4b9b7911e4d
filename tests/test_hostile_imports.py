"""Hostile import files (issue #18 item 5), small versions of bench/proof_hostile_imports.py's,
through the real paths: ``cli.py import`` and the upload of Pengaturan (services.admin)."""

from __future__ import annotations

import signal
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import FrameType
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from bench.proof_hostile_imports import (
    POST_HEADER,
    control_characters_csv,
    empty_rows_csv,
    empty_rows_xlsx,
    formula_without_value,
    header_and_posts,
    lying_dimension,
    row_xml,
    shared_strings_bomb,
    sheet_xml,
    wide_row_csv,
    workbook,
)
from cli import app
from db.models import Post
from ingest import tabular
from ingest.registry import import_registry
from ingest.safe_read import MAX_FILE_BYTES as LIMIT
from ingest.safe_read import too_many_rows
from services.admin import import_upload
from testkit.db_support import NewDatabase

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
WIB = ZoneInfo("Asia/Pontianak")
MAX_FILE_BYTES = 20 * 1024 * 1024  # as .streamlit/config.toml's maxUploadSize
runner = CliRunner()


@contextmanager
def within(seconds: int) -> Iterator[None]:
    """Fails instead of hanging: the old reader spent minutes on some of these files."""

    def too_slow(_signum: int, _frame: FrameType | None) -> None:
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def registered(session: Session, fixed_now: datetime) -> Session:
    """The fixture registry: instagram dinkes.sintang is among its accounts."""
    import_registry(session, FIXTURES / "registry.csv")
    session.commit()
    return session


@pytest.fixture
def cli_db(new_db_url: NewDatabase, monkeypatch: pytest.MonkeyPatch, fixed_now: datetime) -> str:
    url = new_db_url("cli")
    monkeypatch.setenv("DATABASE_URL", url)
    assert runner.invoke(app, ["init"]).exit_code == 0
    return url


def upload(session: Session, data: bytes, filename: str, kind: str = "data") -> list[str]:
    with within(10):
        outcome = import_upload(session, data, filename, kind, WIB)
    session.commit()
    return outcome.problems


def cli_import(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    with within(10):
        result = runner.invoke(app, ["import", str(path)])
    assert "Traceback" not in result.output
    return result.output


def test_a_workbook_claiming_the_whole_sheet_is_read_quickly(cli_db: str, tmp_path: Path) -> None:
    output = cli_import(tmp_path, "lying.xlsx", lying_dimension(rows=5))
    assert "5 rows read" in output  # the five posts, nothing of the claimed 17 billion cells
    assert "akun.tidak.ada" in output  # an unregistered account, told once


def test_a_registry_claiming_the_whole_sheet_is_read_quickly(session: Session) -> None:
    header = row_xml(1, ["opd_code", "opd_name", "category", "platform", "handle"])
    opd = row_xml(2, ["DINKES", "Dinas Kesehatan", "dinas", "instagram", "dinkes.sintang"])
    far = '<row r="1048576"><c r="XFD1048576" s="0"/></row>'
    data = workbook(sheet_xml([header, opd, far], dimension="A1:XFD1048576"))
    assert upload(session, data, "opd.xlsx", kind="registry") == []


def test_a_shared_strings_bomb_is_refused_before_it_is_unpacked(registered: Session) -> None:
    problems = upload(registered, shared_strings_bomb(megabytes=3), "bom.xlsx")
    assert problems == [
        "Berkas bom.xlsx tidak dapat dibaca: isi berkas Excel ini terlalu besar setelah dibuka. "
        "Mohon simpan hanya lembar yang diperlukan sebagai .xlsx atau CSV baru."
    ]


def test_a_file_over_20_mb_is_refused_unread(cli_db: str, tmp_path: Path) -> None:
    data = (POST_HEADER + "\n").encode() + b"x" * MAX_FILE_BYTES
    output = cli_import(tmp_path, "besar.csv", data)
    assert "larger than 20 MB" in output


def test_a_long_run_of_empty_csv_rows_ends_the_reading_with_a_warning(
    registered: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tabular, "MAX_BLANK_RUN", 50)  # the real limit is 10,000 rows
    problems = upload(registered, empty_rows_csv(count=60), "kosong.csv")
    assert problems == [
        "Baris 51: pembacaan berhenti setelah 50 baris kosong berturut-turut; "
        "isi di bawahnya (jika ada) tidak dibaca."
    ]
    assert registered.scalars(select(Post)).all() == []  # the post below the run is not read


def test_a_long_run_of_empty_sheet_rows_ends_the_reading(
    registered: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tabular, "MAX_BLANK_RUN", 50)
    problems = upload(registered, empty_rows_xlsx(count=60), "kosong.xlsx")
    assert problems[1] == (
        "Baris 52: pembacaan berhenti setelah 50 baris kosong berturut-turut; "
        "isi di bawahnya (jika ada) tidak dibaca."
    )
    assert "(1 baris: baris 2)" in problems[0]  # the post below the run (row 63) is unread


def test_a_binary_file_named_csv_is_refused_as_not_a_table(cli_db: str, tmp_path: Path) -> None:
    output = cli_import(tmp_path, "gambar.csv", control_characters_csv(megabytes=0.1))
    assert "it is neither a CSV file nor an Excel .xlsx workbook" in output
    assert "\x1b" not in output  # nothing of the file's content is echoed


def test_a_csv_row_with_a_million_cells_is_refused(registered: Session) -> None:
    problems = upload(registered, wide_row_csv(commas=1_000_000), "lebar.csv")
    assert problems == [
        "Berkas lebar.csv tidak dapat dibaca: baris 2 berisi nilai di luar kolom ke-200. "
        "Mohon hapus sel-sel yang jauh di sebelah kanan lalu coba lagi."
    ]


def test_a_value_far_to_the_right_in_a_sheet_is_refused(registered: Session) -> None:
    rows = [*header_and_posts(1), '<row r="3"><c r="KZ3"><v>1</v></c></row>']
    problems = upload(registered, workbook(sheet_xml(rows)), "lebar.xlsx")
    assert problems == [
        "Berkas lebar.xlsx tidak dapat dibaca: baris 3 berisi nilai di luar kolom ke-200. "
        "Mohon hapus sel-sel yang jauh di sebelah kanan lalu coba lagi."
    ]


def test_too_many_rows_are_refused(registered: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tabular, "MAX_DATA_ROWS", 10)
    problems = upload(registered, workbook(sheet_xml(header_and_posts(11))), "banyak.xlsx")
    assert problems == [
        "Berkas banyak.xlsx tidak dapat dibaca: jumlah barisnya lebih dari 10. "
        "Mohon bagi menjadi beberapa berkas yang lebih kecil."
    ]


def test_a_formula_without_its_value_is_reported_on_its_line(registered: Session) -> None:
    rows = header_and_posts(3)
    rows = [r.replace("akun.tidak.ada", "dinkes.sintang") for r in rows]
    formula = '<c r="F4"><f>SUM(F2:F3)</f></c>'
    rows[3] = rows[3].replace('<c r="F4" t="inlineStr"><is><t>5</t></is></c>', formula)
    problems = upload(registered, workbook(sheet_xml(rows)), "rumus.xlsx")
    assert problems == [
        "Baris 4: kolom likes berisi rumus tanpa nilai hasil hitungan. Mohon buka berkas di "
        "Excel, simpan ulang, lalu unggah kembali. Baris dilewati."
    ]
    stored = {p.platform_post_id: p.likes for p in registered.scalars(select(Post))}
    assert stored == {"p0": 5, "p1": 5}  # the good rows are kept; no post with "no likes"


def test_the_cli_tells_a_formula_without_its_value_in_english(cli_db: str, tmp_path: Path) -> None:
    output = cli_import(tmp_path, "rumus.xlsx", formula_without_value(rows=3))
    assert "Line 4: column likes holds a formula without a computed value" in output


def test_a_formula_with_its_value_and_a_formula_in_an_unused_column_are_fine(
    registered: Session,
) -> None:
    rows = [r.replace("akun.tidak.ada", "dinkes.sintang") for r in header_and_posts(2)]
    rows[1] = rows[1].replace(
        '<c r="F2" t="inlineStr"><is><t>5</t></is></c>', '<c r="F2"><f>2+5</f><v>7</v></c>'
    )
    rows[0] = rows[0].replace("</row>", text_cell_xml("K1", "catatan") + "</row>")
    rows[2] = rows[2].replace("</row>", '<c r="K3"><f>NOW()</f></c></row>')
    problems = upload(registered, workbook(sheet_xml(rows)), "rumus.xlsx")
    assert problems == ["Kolom catatan tidak digunakan dan diabaikan."]
    stored = {p.platform_post_id: p.likes for p in registered.scalars(select(Post))}
    assert stored == {"p0": 7, "p1": 5}


def text_cell_xml(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def test_the_upload_limit_matches_what_the_import_takes() -> None:
    config = tomllib.loads(
        (Path(__file__).resolve().parents[1] / ".streamlit/config.toml").read_text()
    )
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == LIMIT == MAX_FILE_BYTES


def test_a_sheet_declaring_entities_is_refused(registered: Session) -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "hahahahahahahahahaha">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    )
    sheet = "".join(sheet_xml(header_and_posts(1))).replace(
        '<?xml version="1.0" encoding="UTF-8"?>', laughs
    )
    problems = upload(registered, workbook([sheet]), "tawa.xlsx")
    assert problems == [
        "Berkas tawa.xlsx tidak dapat dibaca: berkas Excel rusak atau bukan .xlsx yang sah."
    ]


def test_a_first_line_longer_than_a_csv_cell_may_be_is_refused(cli_db: str, tmp_path: Path) -> None:
    output = cli_import(tmp_path, "panjang.csv", b'"' + b"a" * 200_000 + b"\n")
    assert "it is neither a CSV file nor an Excel .xlsx workbook" in output  # was a traceback


def test_limits_are_written_as_each_language_writes_numbers() -> None:
    refusal = too_many_rows("x.csv", 100_000)
    assert "more than 100,000 data rows" in refusal.message("en")
    assert "lebih dari 100.000." in refusal.message("id")


def test_a_stray_control_character_in_a_caption_is_kept_as_text(registered: Session) -> None:
    caption = "rapat\x1ckoordinasi\x0b"  # pasted from another program; the fuzz test found it
    data = f"{POST_HEADER}\ninstagram,dinkes.sintang,p1,2026-11-20 08:30,{caption},5,,,,\n"
    assert upload(registered, data.encode(), "teks.csv") == []
    assert [p.caption for p in registered.scalars(select(Post))] == [caption.strip()]
