"""The monthly briefing: built from the demo world as PPTX, PDF and XLSX, then opened again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader
from typer.testing import CliRunner

from cli import app
from core.period import current_month, previous_month
from core.settings import load_settings
from db.engine import make_engine, make_session_factory
from present import export
from reports import build_report
from reports.content import Briefing, briefing_content
from reports.formats import BRIEFING_FORMATS
from tests.clock import fixed_clock
from tests.test_report_formats import sniffed_mime

needs_chromium = pytest.mark.skipif(not export.export_available(), reason="no Chromium")
CHART_TITLES = ["Tren unggahan", "Tren pengikut", "Status akun", "15 akun teratas",
                "Kepatuhan caption"]  # fmt: skip


@pytest.fixture(scope="module", autouse=True)
def _at_the_demo_now() -> Iterator[None]:
    """This module's fixtures and tests run at the demo world's now (tests/clock.py)."""
    with fixed_clock():
        yield


@pytest.fixture(scope="module")
def month() -> str:
    return previous_month(current_month())  # the last complete month of the demo world


@pytest.fixture(scope="module")
def demo_env(demo_copy: Callable[[str], str]) -> dict[str, str]:
    return {"DATABASE_URL": demo_copy("reports")}


@pytest.fixture(scope="module")
def briefing(demo_env: dict[str, str], month: str) -> Briefing:
    settings = load_settings(demo_env)
    with make_session_factory(make_engine(settings.database_url))() as session:
        return briefing_content(session, month, settings)


@pytest.fixture(scope="module")
def built(
    demo_env: dict[str, str], month: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """Each format of the table built once through build_report (the browser ones when
    Chromium exists)."""
    settings = load_settings(demo_env)
    out = tmp_path_factory.mktemp("briefing")
    browser = export.export_available()
    formats = [n for n, kind in BRIEFING_FORMATS.items() if browser or not kind.needs_browser]
    with make_session_factory(make_engine(settings.database_url))() as session:
        return {f: build_report(session, month, f, out / f"b.{f}", settings) for f in formats}


def test_briefing_content_has_every_section(briefing: Briefing, month: str) -> None:
    assert briefing.is_demo
    assert briefing.title.startswith("Evaluasi Media Sosial OPD — Kabupaten Sintang — ")
    assert [k.label for k in briefing.kpis][:2] == ["Akun dipantau", "Aktif"]
    assert briefing.kpis[0].value == 129
    assert len(briefing.ranking.frame) == 129
    assert len(briefing.dormant.frame) >= 5
    assert len(briefing.best_posts.frame) == 10
    assert [c.title for c in briefing.charts] == CHART_TITLES
    for table in (briefing.ranking, briefing.dormant, briefing.best_posts, briefing.compliance):
        assert table.takeaway.endswith("."), table.key
    assert "peringkat" in briefing.movers_takeaway


def test_takeaways_use_indonesian_numbers(briefing: Briefing) -> None:
    assert "dari 129 akun" in briefing.kpi_takeaway
    best = briefing.best_posts.display(1).iloc[0]
    assert best["Interaksi"].replace(".", "").isdigit()
    posts = next(k for k in briefing.kpis if k.label == "Unggahan")
    assert posts.text() == f"{int(posts.value or 0):,}".replace(",", ".")


def test_every_format_writes_a_file_of_its_mime_type(built: dict[str, Path]) -> None:
    if export.export_available():
        assert set(built) == set(BRIEFING_FORMATS)
    for name, path in built.items():
        assert path.suffix == f".{BRIEFING_FORMATS[name].extension}"
        assert sniffed_mime(path.read_bytes()) == BRIEFING_FORMATS[name].mime_type, name


def test_xlsx_has_typed_tables(built: dict[str, Path]) -> None:
    book = load_workbook(built["xlsx"])
    assert book.sheetnames == ["Ringkasan", "Peringkat", "Dorman", "Naik", "Turun",
                               "Unggahan terbaik", "Caption", "Balasan"]  # fmt: skip
    replies = book["Balasan"]
    reply_headers = [c.value for c in replies[1]]
    assert reply_headers[-2:] == ["Tingkat balasan", "Waktu balasan pertama (median)"]
    assert replies.cell(2, 5).number_format == "0.0%" and 0 <= replies.cell(2, 5).value <= 1
    ranking = book["Peringkat"]
    headers = [c.value for c in ranking[1]]
    assert headers[:3] == ["Peringkat", "Perubahan", "Kode OPD"]
    assert ranking.freeze_panes == "A2"
    assert ranking["A1"].font.bold
    assert ranking.max_row == 130
    assert isinstance(ranking["A2"].value, int)
    rate = ranking.cell(2, headers.index("Tingkat interaksi") + 1)
    assert isinstance(rate.value, float) and rate.number_format == "0.0%"
    assert ranking.column_dimensions["D"].width > 10  # OPD names are long
    best = book["Unggahan terbaik"]
    assert isinstance(best["A2"].value, dt.datetime)
    assert isinstance(best["E2"].value, int)
    dormant = book["Dorman"]
    assert dormant["A1"].value == "Kode OPD" and dormant.max_row >= 6
    summary = book["Ringkasan"]
    assert summary["A2"].value == "Akun dipantau" and summary["B2"].value == 129
    assert any("DATA DEMO" in str(c.value) for c in summary["A"])


@needs_chromium
def test_pptx_has_titled_slides_with_charts(built: dict[str, Path], month: str) -> None:
    deck = Presentation(str(built["pptx"]))
    assert deck.slide_width / deck.slide_height == pytest.approx(16 / 9, rel=0.01)
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles[0].startswith("Evaluasi Media Sosial OPD — Kabupaten Sintang")
    assert titles[1].startswith("Angka utama")
    assert titles[2:8] == ["Peringkat indeks aktivitas", "Akun dorman", "Naik dan turun peringkat",
                           "Unggahan terbaik", "Kepatuhan caption per OPD",
                           "Balasan komentar"]  # fmt: skip
    assert titles[8:] == CHART_TITLES
    for slide in deck.slides:
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert "DATA DEMO" in texts
    for slide in list(deck.slides)[8:]:
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
    tables = [s for s in deck.slides[2].shapes if s.has_table]
    assert tables[0].table.cell(0, 0).text == "Peringkat"


@needs_chromium
def test_pdf_carries_the_same_content(built: dict[str, Path]) -> None:
    reader = PdfReader(built["pdf"])
    assert len(reader.pages) == 13  # title, 7 sections (replies: known in the demo), 5 charts
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Evaluasi Media Sosial OPD" in text and "DATA DEMO" in text
    assert "Akun dorman" in text and "Kepatuhan caption per OPD" in text
    words = " ".join(text.split())  # the PDF's justified lines pad words with spaces
    assert "Balasan komentar" in words and "pesan langsung (DM) tidak dapat dibaca" in words
    chart_pages = reader.pages[8:]
    assert all(page.images for page in chart_pages)


def test_cli_writes_xlsx(demo_env: dict[str, str], month: str, tmp_path: Path) -> None:
    out = tmp_path / "briefing.xlsx"
    result = CliRunner().invoke(
        app, ["report", "--month", month, "--format", "xlsx", "--out", str(out)], env=demo_env
    )
    assert result.exit_code == 0, result.output
    assert out.is_file() and "Wrote the" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--month", "2026-13"], "expected a month"),
     (["--month", "2026-10", "--format", "docx"], "unknown --format"),
     (["--month", "2026-10", "--format", "pptx"], "needs Chromium")],
)  # fmt: skip
def test_cli_errors_are_clear(
    demo_env: dict[str, str], args: list[str], message: str, tmp_path: Path
) -> None:
    env = {**demo_env, "BROWSER_PATH": "/nonexistent/chromium"}
    result = CliRunner().invoke(app, ["report", *args, "--out", str(tmp_path / "x")], env=env)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
