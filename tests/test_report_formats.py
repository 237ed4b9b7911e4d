"""The briefing's format table (reports.formats): one line per format, read by the CLI, the
dashboard and the worker. The files each format writes are checked in tests/test_reports.py."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from core.settings import load_settings
from db.engine import make_engine, make_session_factory
from reports import MIME_TYPES, build_report
from reports.briefings import PREFIX, briefing_file_name, list_briefings, make_monthly_briefing
from reports.formats import (
    BRIEFING_FORMATS,
    CANNOT_WRITE,
    briefing_format,
    format_of_extension,
)


def sniffed_mime(data: bytes) -> str:
    """The MIME type a file's bytes show: a PDF header, or an Office Open XML package whose main
    part is declared as ``<MIME type>.main+xml`` in ``[Content_Types].xml``."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        types = package.read("[Content_Types].xml").decode()
    mains = [t.removesuffix(".main+xml") for t in types.split('"') if t.endswith(".main+xml")]
    assert len(mains) == 1, mains
    return mains[0]


def test_every_format_is_one_complete_line() -> None:
    assert list(BRIEFING_FORMATS) == ["pptx", "pdf", "xlsx"]
    for name, kind in BRIEFING_FORMATS.items():
        assert kind.name == name
        assert kind.label and kind.mime_type.startswith("application/")
        assert kind.file_name(f"{PREFIX}2026-10") == f"pantau-briefing-2026-10.{kind.extension}"
        assert format_of_extension(kind.extension) is kind
        assert briefing_format(name) is kind
        assert callable(kind.write) and callable(kind.preflight)
    assert {n: k.mime_type for n, k in BRIEFING_FORMATS.items()} == MIME_TYPES
    assert [n for n, k in BRIEFING_FORMATS.items() if not k.needs_browser] == ["xlsx"]


@pytest.mark.parametrize("name", ["docx", "PPTX", "", "pptx.partial"])
def test_an_unknown_format_is_a_clear_error(name: str) -> None:
    with pytest.raises(ValueError, match=r"unknown format .*; choose one of pptx, pdf, xlsx$"):
        briefing_format(name)
    assert format_of_extension(name) is None


def test_build_report_refuses_an_unknown_format_before_reading(tmp_path: Path) -> None:
    out = tmp_path / "briefing.docx"
    with pytest.raises(ValueError, match="unknown format 'docx'"):
        build_report(None, "2026-10", "docx", out, load_settings({}))
    assert not out.exists()


def test_what_a_server_may_lack_is_one_tuple() -> None:
    from present.export import ExportUnavailable
    from reports.pdf_writer import FontMissing

    assert issubclass(ExportUnavailable, CANNOT_WRITE)
    assert issubclass(FontMissing, CANNOT_WRITE)


def test_saved_briefings_are_listed_by_the_table(tmp_path: Path) -> None:
    settings = load_settings({"PANTAU_REPORTS_DIR": str(tmp_path)})
    for name in ("pptx", "xlsx"):
        (tmp_path / briefing_file_name("2026-10", BRIEFING_FORMATS[name])).write_bytes(b"x")
    (tmp_path / "pantau-briefing-2026-11.docx").write_bytes(b"x")  # not a briefing format
    (tmp_path / ".pantau-briefing-2026-11.pdf.partial").write_bytes(b"x")  # still being written
    listed = list_briefings(settings)
    assert list(zip(listed["month"], listed["format"], strict=True)) == [
        ("2026-10", "pptx"),
        ("2026-10", "xlsx"),
    ]


def test_a_format_without_charts_needs_no_browser(
    demo_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker's use case reads needs_browser from the table: an XLSX alone is written on a
    server without Chromium, as a file of the table's MIME type."""
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    settings = load_settings({"DATABASE_URL": demo_db_url, "PANTAU_REPORTS_DIR": str(tmp_path)})
    factory = make_session_factory(make_engine(settings.database_url))
    with factory() as session:
        made = make_monthly_briefing(session, settings, "2026-10", formats=("xlsx",))
    assert made.created and [p.name for p in made.paths] == ["pantau-briefing-2026-10.xlsx"]
    assert sniffed_mime(made.paths[0].read_bytes()) == BRIEFING_FORMATS["xlsx"].mime_type
    assert not list(tmp_path.glob(".*.partial"))
    with factory() as session:
        again = make_monthly_briefing(session, settings, "2026-10", formats=("xlsx",))
    assert not again.created
