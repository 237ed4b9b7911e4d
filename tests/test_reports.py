"""The monthly briefing: built from the demo world as PPTX, PDF and XLSX, then opened again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.slide import Slide
from pypdf import PdfReader
from typer.testing import CliRunner

from cli import app
from core.period import current_month, previous_month
from core.settings import load_settings
from db.engine import make_engine, make_session_factory
from present import export
from reports import build_report
from reports import takeaways as say
from reports.content import Briefing, briefing_content
from reports.formats import BRIEFING_FORMATS
from reports.xlsx_writer import cell_value
from tests.clock import fixed_clock
from tests.test_report_formats import sniffed_mime

needs_chromium = pytest.mark.skipif(not export.export_available(), reason="no Chromium")
# the charts beside their tables first, then the ones on a slide or page of their own
CHART_TITLES = ["OPD teratas", "Akun teratas", "Tren akun dorman", "Kepatuhan caption",
                "Tren unggahan", "Tren pengikut", "Status akun"]  # fmt: skip
# the slides' titles in order, each once (a long table goes on over "(lanjutan)" slides)
SLIDE_TITLES = ["Ringkasan eksekutif · Oktober 2026", "Angka utama Oktober 2026",
                "Peringkat OPD", "OPD yang belum punya akun", "Peringkat akun",
                "Tren akun dorman", "Akun dorman", "Naik peringkat", "Turun peringkat",
                "Unggahan terbaik", "Kepatuhan caption per OPD", "Balasan komentar",
                "Tren unggahan", "Tren pengikut", "Status akun"]  # fmt: skip
SHEETS = ["Ringkasan", "Peringkat OPD", "Belum punya akun", "Peringkat akun", "Tren dorman",
          "Dorman", "Naik", "Turun", "Unggahan terbaik", "Caption", "Balasan"]  # fmt: skip
# the sections (slides and pages) that carry a chart, in the charts' order
CHARTED = ["Peringkat OPD", "Peringkat akun", "Tren akun dorman", "Kepatuhan caption per OPD",
           "Tren unggahan", "Tren pengikut", "Status akun"]  # fmt: skip
NO_ACCOUNT_OPDS = ["Kecamatan Ambalau", "Kecamatan Kayan Hulu"]  # the demo registry's two


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
    assert briefing.period_label == "Oktober 2026"  # a whole month: no "berjalan"
    assert briefing.title.endswith("— Oktober 2026")
    assert len(briefing.findings) == 3 and all(f.endswith(".") for f in briefing.findings)
    assert briefing.followup  # the follow-up says something, even with no reminder sent
    assert briefing.no_account.frame["OPD"].tolist() == NO_ACCOUNT_OPDS
    assert set(briefing.no_account.frame["Keadaan"]) == {"belum punya akun"}
    opds = briefing.opd_ranking.frame
    assert opds["Peringkat"].tolist() == sorted(opds["Peringkat"].dropna().tolist())
    assert not set(NO_ACCOUNT_OPDS) & set(opds["OPD"])  # no account: not ranked, listed apart
    for table in (briefing.ranking, briefing.dormant, briefing.best_posts, briefing.compliance):
        assert table.takeaway.endswith("."), table.key
    assert "peringkat" in briefing.movers_takeaway
    up, down = briefing.movers_up.takeaway, briefing.movers_down.takeaway
    assert " naik " in up and "turun" not in up  # each slide its own sentence
    assert " turun " in down and "naik" not in down


def test_takeaways_name_the_finished_month(briefing: Briefing) -> None:
    """Oktober 2026 is over: no sentence calls it 'bulan ini'."""
    texts = [
        briefing.kpi_takeaway,
        *briefing.findings,
        *briefing.followup,
        *(t.takeaway for t in briefing.tables()),
        *(c.takeaway for c in briefing.charts),
    ]
    assert not [t for t in texts if "bulan ini" in t]
    assert "di Oktober 2026" in briefing.kpi_takeaway
    assert "(September 2026: " in briefing.kpi_takeaway  # the compared month, by name
    assert [k.label for k in briefing.headline] == [
        "Akun dipantau", "Aktif", "Dorman", "Tidak terbaca", "Unggahan",
        "Median tingkat interaksi",
    ]  # fmt: skip
    rate = briefing.headline[-1]
    assert rate.text().endswith("%") and len(rate.text().split(",")[1]) == 3  # 2 decimals: 2,79%
    assert rate.delta_text().endswith(" poin")


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


def _header_row(sheet: Worksheet) -> tuple[int, list[object]]:
    """The header's row number (where the auto filter starts) and its values."""
    row = int(str(sheet.auto_filter.ref).split(":")[0][1:])
    return row, [c.value for c in sheet[row]]


def test_xlsx_has_typed_tables(built: dict[str, Path], briefing: Briefing) -> None:
    book = load_workbook(built["xlsx"])
    assert book.sheetnames == SHEETS
    replies = book["Balasan"]
    row, reply_headers = _header_row(replies)
    assert reply_headers[-2:] == ["Tingkat balasan", "Waktu balasan pertama (median)"]
    rate = replies.cell(row + 1, reply_headers.index("Tingkat balasan") + 1)
    assert rate.number_format == "0.0%" and 0 <= rate.value <= 1
    ranking = book["Peringkat akun"]
    assert ranking["A1"].value == briefing.title and ranking["A1"].font.bold
    row, headers = _header_row(ranking)
    assert headers[:4] == ["Peringkat", "Perubahan", "OPD", "Kode OPD"]
    assert ranking.freeze_panes == f"A{row + 1}"
    assert ranking.max_row - row == 129  # every account, one row each
    assert isinstance(ranking.cell(row + 1, 1).value, int)
    rate = ranking.cell(row + 1, headers.index("Tingkat interaksi") + 1)
    assert isinstance(rate.value, float) and rate.number_format == "0.0%"
    assert ranking.column_dimensions["C"].width > 10  # OPD names are long
    best = book["Unggahan terbaik"]
    row, headers = _header_row(best)
    assert isinstance(best.cell(row + 1, 1).value, dt.datetime)
    assert isinstance(best.cell(row + 1, headers.index("Interaksi") + 1).value, int)
    dormant = book["Dorman"]
    row, headers = _header_row(dormant)
    assert headers[:2] == ["OPD", "Kode OPD"] and dormant.max_row - row >= 5
    missing = book["Belum punya akun"]
    row, _ = _header_row(missing)
    assert [missing.cell(r, 1).value for r in range(row + 1, missing.max_row + 1)] == (
        NO_ACCOUNT_OPDS
    )
    summary = book["Ringkasan"]
    row, _ = _header_row(summary)
    assert summary.cell(row + 1, 1).value == "Akun dipantau"
    assert summary.cell(row + 1, 2).value == 129
    assert any("DATA DEMO" in str(c.value) for c in summary["A"][:row])  # above the table


def _slide_title(slide: Slide) -> str:
    return slide.shapes.title.text if slide.shapes.title is not None else ""


@needs_chromium
def test_pptx_has_titled_slides_with_charts(built: dict[str, Path], briefing: Briefing) -> None:
    deck = Presentation(str(built["pptx"]))
    assert deck.slide_width / deck.slide_height == pytest.approx(16 / 9, rel=0.01)
    slides = list(deck.slides)
    cover = [s.text_frame.text for s in slides[0].shapes if s.has_text_frame]
    assert _slide_title(slides[0]) == "" and briefing.title in cover and briefing.office in cover
    titles = [_slide_title(s).removesuffix(" (lanjutan)") for s in slides[1:]]
    assert list(dict.fromkeys(titles)) == SLIDE_TITLES
    assert titles == sorted(titles, key=SLIDE_TITLES.index)  # continued slides follow theirs
    for slide in slides:
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert "DATA DEMO" in texts and briefing.office in texts  # the letterhead, everywhere
    for title in CHARTED:  # the first slide of each: its chart (the logo is unset here)
        slide = next(s for s in slides if _slide_title(s) == title)
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1, title
    opd_slide = next(s for s in slides if _slide_title(s) == "Peringkat OPD")
    tables = [s for s in opd_slide.shapes if s.has_table]
    assert tables[0].table.cell(0, 0).text == "Peringkat"
    assert tables[0].table.cell(0, 1).text == "OPD"


PDF_SECTIONS = ["Ringkasan eksekutif", "Angka utama", "Peringkat OPD", "Peringkat akun",
                "Tren akun dorman", "Akun dorman", "Naik dan turun peringkat",
                "Unggahan terbaik", "Kepatuhan caption per OPD", "Balasan komentar",
                "Tren unggahan", "Tren pengikut", "Status akun"]  # fmt: skip


def _section_of(page_text: str) -> str:
    """A page's section title: the line under the letterhead."""
    lines = [line.strip() for line in page_text.splitlines() if line.strip()]
    return lines[1] if len(lines) > 1 else ""


@needs_chromium
def test_pdf_carries_the_same_content(built: dict[str, Path], briefing: Briefing) -> None:
    reader = PdfReader(built["pdf"])
    pages = [page.extract_text() for page in reader.pages]
    assert briefing.title.split(" — ")[0] in pages[0] and briefing.office in pages[0]
    for number, text in enumerate(pages, start=1):
        assert "DATA DEMO" in text and f"halaman {number}" in text
        assert text.startswith(briefing.office)  # the letterhead on every page
    firsts: dict[str, int] = {}
    for index, text in enumerate(pages):
        for section in PDF_SECTIONS:
            if _section_of(text).startswith(section):
                firsts.setdefault(section, index)
    assert list(firsts) == PDF_SECTIONS  # every section, in this order
    for section in CHARTED:  # its chart on its first page
        assert len(reader.pages[firsts[section]].images) == 1, section
    words = " ".join(" ".join(pages).split())  # the PDF's justified lines pad words
    assert "OPD yang belum punya akun" in words and "Kecamatan Ambalau" in words
    assert "pesan langsung (DM) tidak dapat dibaca" in words


def test_cli_writes_xlsx(demo_env: dict[str, str], month: str, tmp_path: Path) -> None:
    out = tmp_path / "briefing.xlsx"
    result = CliRunner().invoke(
        app, ["report", "--month", month, "--format", "xlsx", "--out", str(out)], env=demo_env
    )
    assert result.exit_code == 0, result.output
    assert out.is_file() and "Wrote the" in result.output


def test_cli_defaults_to_the_last_complete_month(demo_env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "default.xlsx"
    result = CliRunner().invoke(
        app, ["report", "--format", "xlsx", "--out", str(out)], env=demo_env
    )
    assert result.exit_code == 0, result.output
    assert "Wrote the 2026-10 briefing to" in result.output  # at 26 November: October
    assert load_workbook(out)["Ringkasan"]["A1"].value.endswith("— Oktober 2026")


def test_cli_writes_the_running_month_labelled_as_running(
    demo_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "running.xlsx"
    args = ["report", "--month", "2026-11", "--format", "xlsx", "--out", str(out)]
    result = CliRunner().invoke(app, args, env=demo_env)
    assert result.exit_code == 0, result.output
    assert "2026-11 briefing (the running month, so far)" in result.output
    title = load_workbook(out)["Ringkasan"]["A1"].value
    assert title.endswith("— November 2026 (berjalan, s.d. 26 Nov)")


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--month", "2026-13"], "expected a month"),
     (["--month", "2026-10", "--format", "docx"], "unknown --format"),
     (["--month", "2026-10", "--format", "pptx"], "needs Chromium"),
     (["--month", "2026-12"], "2026-12 has not started yet")],
)  # fmt: skip
def test_cli_errors_are_clear(
    demo_env: dict[str, str], args: list[str], message: str, tmp_path: Path
) -> None:
    env = {**demo_env, "BROWSER_PATH": "/nonexistent/chromium"}
    result = CliRunner().invoke(app, ["report", *args, "--out", str(tmp_path / "x")], env=env)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_known_missing_values_read_the_same_in_every_format() -> None:
    """A new account's rank change reads 'baru' and a never-posting account's days 'belum
    pernah' in the workbook too (as on the page and in the PDF), never an empty cell."""
    assert cell_value(float("nan"), "change") == "baru"
    assert cell_value(None, "days") == "belum pernah"
    assert cell_value(float("nan"), "int") is None  # unknown: blank, not a made-up word
    assert cell_value(3.0, "change") == 3


def test_a_running_month_trend_is_counted_as_of_today_not_at_its_end() -> None:
    trend = pd.DataFrame({"month": ["2026-10", "2026-11", "2026-12"], "dormant": [43, 32, 29]})
    assert say.trend_takeaway(trend).startswith("Akun dorman di akhir Desember 2026: 29")
    running = say.trend_takeaway(trend, "6 Desember 2026")
    assert running.startswith("Akun dorman per 6 Desember 2026: 29 (di akhir Oktober 2026: 43)")
