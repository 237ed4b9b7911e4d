"""The briefing as the head of office gets it: the PDF's pages rendered to images show no
chart label cut and nothing off the page (tests/briefing_pdf_ink.py), each chart drawn for its
box so that its text prints at 9 pt or more on a page and 12 pt or more on a slide, every page
a section of its own (no table spilling onto a page without a title), slides readable (no
text under 14 pt, everything inside the slide), a workbook that filters and sorts.

The charts are drawn by present/export.py with Chromium (skipped only without it)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import plotly.graph_objects as go
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from playwright.sync_api import sync_playwright
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Pt
from pypdf import PdfReader

from core.period import current_month, previous_month
from core.settings import load_settings
from db.engine import make_engine, make_session_factory
from present import export
from reports import BRIEFING_FORMATS, briefing_with_charts
from reports.chart_slots import FONT_PX, SHARPNESS, for_slot
from reports.content import Briefing
from reports.pdf_writer import write_pdf
from reports.pptx_writer import TEXT_PT, write_pptx
from reports.xlsx_writer import write_xlsx
from tests.briefing_pdf_ink import MIN_CHART_PT, check_pdf
from tests.chart_fit import measure_svg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from screenshots import launch

from tests.clock import fixed_clock

needs_chromium = pytest.mark.skipif(not export.export_available(), reason="no Chromium")


@pytest.fixture(scope="module", autouse=True)
def _at_the_demo_now() -> Iterator[None]:
    with fixed_clock():
        yield


@pytest.fixture(scope="module")
def made(
    demo_copy: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Briefing, dict[str, Path]]:
    """The last complete month's briefing in the three formats, the charts drawn once."""
    settings = load_settings({"DATABASE_URL": demo_copy("briefing_layout")})
    out = tmp_path_factory.mktemp("layout")
    month = previous_month(current_month())
    browser = export.export_available()
    kinds = [BRIEFING_FORMATS["pdf"], BRIEFING_FORMATS["pptx"]] if browser else []
    with make_session_factory(make_engine(settings.database_url))() as session:
        briefing, images = briefing_with_charts(session, month, settings, kinds)
    paths = {"xlsx": write_xlsx(briefing, out / "b.xlsx")}
    if browser:
        paths["pdf"] = write_pdf(briefing, images["pdf"], out / "b.pdf")
        paths["pptx"] = write_pptx(briefing, images["pptx"], out / "b.pptx")
    return briefing, paths


def cropped_figure() -> go.Figure:
    """A ranking drawn the way the charts were before issue #17: a 10 px left margin and no
    automatic margins, so long OPD names run past the image's left edge."""
    names = [
        "Dinas Pemberdayaan Perempuan dan Perlindungan Anak · Instagram",
        "Dinas Perumahan Rakyat, Kawasan Permukiman dan Pertanahan · Facebook",
        "Badan Pengelola Perbatasan Daerah · YouTube",
    ]
    fig = go.Figure(go.Bar(x=[82.5, 64.0, 41.3], y=names, orientation="h"))
    fig.update_layout(margin={"l": 10, "r": 10, "t": 40, "b": 30}, template="plotly_white")
    fig.update_yaxes(automargin=False)
    fig.update_xaxes(automargin=False)
    return fig


@needs_chromium
def test_pdf_pages_rendered_show_no_cut_label_and_nothing_off_the_page(
    made: tuple[Briefing, dict[str, Path]],
) -> None:
    briefing, paths = made
    found = check_pdf(paths["pdf"])
    assert found.faults == []
    assert found.charts == len(briefing.charts)  # every chart was looked at


@needs_chromium
def test_the_rendered_check_finds_a_cropped_chart(
    made: tuple[Briefing, dict[str, Path]], tmp_path: Path
) -> None:
    briefing, _ = made
    wide = export.ImageSpec(width=1200, scale=2)
    cropped = export.export_images([cropped_figure()], "png", wide)[0]
    pdf = write_pdf(briefing, [cropped] * len(briefing.charts), tmp_path / "cropped.pdf")
    found = check_pdf(pdf)
    cut = [f for f in found.faults if "label is cut" in f]
    assert len(cut) == len(briefing.charts), found.faults


def printed_pt(placed_width_pt: float, image_width_px: int) -> float:
    """The size a chart's 13 px text prints at: the image holds SHARPNESS pixels per figure
    pixel, and its figure width is placed over ``placed_width_pt``."""
    return FONT_PX * placed_width_pt / (image_width_px / SHARPNESS)


@needs_chromium
def test_pdf_charts_print_their_text_at_9_pt_or_more(
    made: tuple[Briefing, dict[str, Path]],
) -> None:
    briefing, paths = made
    sizes = []
    document = pdfium.PdfDocument(paths["pdf"])
    try:
        for page in document:
            for image in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):
                left, _, right, _ = image.get_bounds()
                if right - left >= MIN_CHART_PT:
                    sizes.append(printed_pt(right - left, image.get_px_size()[0]))
    finally:
        document.close()
    assert len(sizes) == len(briefing.charts)
    assert min(sizes) >= 9, sizes
    assert max(sizes) < 14, sizes  # drawn for its box, not a small figure blown up


@needs_chromium
def test_slide_charts_show_their_text_at_12_pt_or_more(
    made: tuple[Briefing, dict[str, Path]],
) -> None:
    briefing, paths = made
    deck = Presentation(str(paths["pptx"]))
    sizes = [
        printed_pt(shape.width / Pt(1), shape.image.size[0])
        for slide in deck.slides
        for shape in slide.shapes
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE and shape.width > Pt(MIN_CHART_PT)
    ]
    assert len(sizes) == len(briefing.charts)
    assert min(sizes) >= 12, sizes


@needs_chromium
def test_charts_drawn_for_their_boxes_keep_every_label(
    made: tuple[Briefing, dict[str, Path]],
) -> None:
    """The short boxes beside the tables: fewer bars whose two-line names keep apart."""
    briefing, _ = made
    drawn = [
        for_slot(chart, BRIEFING_FORMATS[name].chart_slots[chart.key])
        for name in ("pdf", "pptx")
        for chart in briefing.charts
    ]
    specs = [export.ImageSpec(width=s.width, height=s.height, scale=1) for _, s in drawn]
    svgs = export.export_images([f for f, _ in drawn], "svg", specs)
    with sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page()
        for svg in svgs:
            measured = measure_svg(page, svg)
            assert measured.boxes and measured.cut() == [] and measured.overlapping() == []
        browser.close()


@needs_chromium
def test_every_pdf_page_opens_a_section(made: tuple[Briefing, dict[str, Path]]) -> None:
    """A table too long for its page is cut to fit (… and a note), never spilled onto a page
    without a title whose footer then sits under the table's column."""
    briefing, paths = made
    titles = ["Ringkasan eksekutif", "Angka utama", "Peringkat OPD", "Peringkat akun",
              "Naik dan turun peringkat", *(t.title for t in briefing.tables()),
              *(c.title for c in briefing.charts)]  # fmt: skip
    for number, page in enumerate(PdfReader(paths["pdf"]).pages[1:], start=2):
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        assert any(lines[1].startswith(t) for t in titles), (number, lines[:3])
        assert lines[-1].startswith("Pantau · "), number  # the footer, at the page's left


@needs_chromium
def test_pdf_has_the_cover_summary_and_opd_ranking(made: tuple[Briefing, dict[str, Path]]) -> None:
    briefing, paths = made
    text = "\n".join(p.extract_text() for p in PdfReader(paths["pdf"]).pages)
    assert briefing.office in text and "Ringkasan eksekutif" in text
    assert "Temuan utama" in text and "Tindak lanjut" in text
    assert "Peringkat OPD" in text and "Tren akun dorman" in text
    assert "Kecamatan Ambalau" in text  # an OPD without any account, by its full name


@needs_chromium
def test_slides_have_no_small_text_and_nothing_outside(
    made: tuple[Briefing, dict[str, Path]],
) -> None:
    _, paths = made
    deck = Presentation(str(paths["pptx"]))
    width, height = deck.slide_width, deck.slide_height
    runs = 0
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, f"slide {number}: {shape.name}"
            assert shape.left + shape.width <= width, f"slide {number}: {shape.name}"
            assert shape.top + shape.height <= height, f"slide {number}: {shape.name}"
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
            for frame in frames:
                for run in (r for p in frame.paragraphs for r in p.runs if r.text.strip()):
                    runs += 1
                    size = run.font.size  # every run carries its size: none left to the theme
                    assert size is not None and size >= Pt(TEXT_PT), f"slide {number}: {run.text!r}"
    assert runs > 100


@needs_chromium
def test_slides_put_each_ranking_chart_beside_its_table(
    made: tuple[Briefing, dict[str, Path]],
) -> None:
    _, paths = made
    deck = Presentation(str(paths["pptx"]))
    for title in ("Peringkat OPD", "Peringkat akun", "Tren akun dorman"):
        slide = next(s for s in deck.slides if s.shapes.title and s.shapes.title.text == title)
        pictures = [s for s in slide.shapes if s.shape_type == 13 and s.width > Pt(200)]
        tables = [s for s in slide.shapes if s.has_table]
        assert len(pictures) == 1 and len(tables) == 1, title
        assert pictures[0].left + pictures[0].width <= tables[0].left, title


def test_workbook_has_titles_filters_and_typed_cells(
    made: tuple[Briefing, dict[str, Path]],
) -> None:
    briefing, paths = made
    book = load_workbook(paths["xlsx"])
    for sheet in book.worksheets:
        assert sheet["A1"].value == briefing.title, sheet.title
        assert sheet.auto_filter.ref, sheet.title
        header_row = int(sheet.auto_filter.ref.split(":")[0][1:])
        assert sheet.freeze_panes == f"A{header_row + 1}", sheet.title
        assert sheet.cell(header_row, 1).font.bold
    ranking = book["Peringkat OPD"]
    header_row = int(ranking.auto_filter.ref.split(":")[0][1:])
    headers = [c.value for c in ranking[header_row]]
    assert headers[:3] == ["Peringkat", "Perubahan", "OPD"]
    score = ranking.cell(header_row + 1, headers.index("Indeks Kinerja Akun") + 1)
    assert isinstance(score.value, float) and score.number_format == "#,##0.0"
    dormant = book["Dorman"]
    row = int(dormant.auto_filter.ref.split(":")[0][1:])
    days = headers_of(dormant, row).index("Tanpa unggahan") + 1
    values = [dormant.cell(r, days).value for r in range(row + 1, dormant.max_row + 1)]
    assert "belum pernah" in values
    assert all(isinstance(v, int) for v in values if v != "belum pernah")
    best = book["Unggahan terbaik"]
    row = int(best.auto_filter.ref.split(":")[0][1:])
    caption = headers_of(best, row).index("Caption") + 1
    full = [best.cell(r, caption).value for r in range(row + 1, best.max_row + 1)]
    longest = max(len(c) for c in full)
    assert longest > 110 and not any(c.endswith("…") for c in full)  # never shortened


def headers_of(sheet: Worksheet, row: int) -> list[object]:
    return [c.value for c in sheet[row]]
