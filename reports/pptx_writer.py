"""The briefing as a 16:9 PowerPoint deck (python-pptx): one section per slide.

Every slide has a title, the section's Indonesian takeaway under it and, for demo data, a red
"DATA DEMO" label. Chart slides carry PNG images rendered in one batch (``present.export``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide
from pptx.util import Emu, Inches, Length, Pt

from reports.content import RANKING_BOTTOM, RANKING_TOP, Briefing
from reports.tables import Table

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
BLUE = RGBColor(0x0B, 0x53, 0x94)
RED = RGBColor(0xC6, 0x28, 0x28)
GREY = RGBColor(0x55, 0x55, 0x55)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
DEMO_LABEL = "DATA DEMO"
TITLE_ONLY = 5  # layout index in python-pptx's default template
TITLE_SLIDE = 0
BODY_TOP = Inches(1.9)
SLIDE_ROWS = 12  # table rows that fit under a title and a takeaway


def emu(value: float) -> Length:
    """Lengths computed with arithmetic (plain numbers) back as a python-pptx length."""
    return Emu(int(value))


def _text_box(slide: Slide, left: float, top: float, width: float, height: float, text: str,
              size: int = 14, color: RGBColor = GREY, bold: bool = False,
              align: PP_ALIGN = PP_ALIGN.LEFT) -> None:  # fmt: skip
    frame = slide.shapes.add_textbox(emu(left), emu(top), emu(width), emu(height)).text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.alignment = align
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = color


def _decorate(slide: Slide, briefing: Briefing) -> None:
    """The demo label (top right) and the footer, on every slide."""
    if briefing.is_demo:
        _text_box(slide, WIDTH - Inches(2.6), Inches(0.15), Inches(2.3), Inches(0.4),
                  DEMO_LABEL, size=16, color=RED, bold=True, align=PP_ALIGN.RIGHT)  # fmt: skip
    footer = f"Pantau · {briefing.regency} · {briefing.month_label}"
    _text_box(slide, MARGIN, HEIGHT - Inches(0.45), Inches(8), Inches(0.3), footer, size=10)


def _slide(deck: Deck, briefing: Briefing, title: str, takeaway: str) -> Slide:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    heading = slide.shapes.title
    if heading is None:  # the Title Only layout has a title placeholder
        raise RuntimeError("the slide layout has no title")
    heading.left, heading.top = MARGIN, Inches(0.35)
    heading.width, heading.height = WIDTH - 2 * MARGIN - Inches(2.2), Inches(0.8)
    heading.text = title
    para = heading.text_frame.paragraphs[0]
    para.alignment = PP_ALIGN.LEFT
    para.runs[0].font.size = Pt(28)
    para.runs[0].font.color.rgb = BLUE
    if takeaway:
        _text_box(slide, MARGIN, Inches(1.15), WIDTH - 2 * MARGIN, Inches(0.7), takeaway, 16)
    _decorate(slide, briefing)
    return slide


def _table(slide: Slide, frame: pd.DataFrame, left: float, width: float, top: float = BODY_TOP,
           size: int = 11) -> None:  # fmt: skip
    """A display table (strings): blue header row, rows of equal height."""
    rows, cols = len(frame) + 1, max(len(frame.columns), 1)
    height = Inches(0.32) * rows
    shape = slide.shapes.add_table(rows, cols, emu(left), emu(top), emu(width), emu(height))
    grid = shape.table
    for c, header in enumerate(frame.columns):
        cell = grid.cell(0, c)
        cell.text = str(header)
        cell.fill.solid()
        cell.fill.fore_color.rgb = BLUE
    for r, values in enumerate(frame.itertuples(index=False), start=1):
        for c, value in enumerate(values):
            grid.cell(r, c).text = str(value)
    for r in range(rows):
        for c in range(cols):
            for paragraph in grid.cell(r, c).text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(size)
                    if r == 0:
                        run.font.bold, run.font.color.rgb = True, WHITE


def _empty(slide: Slide, text: str = "Tidak ada data untuk bulan ini.") -> None:
    _text_box(slide, MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, Inches(0.6), text, 18)


def _table_slide(deck: Deck, briefing: Briefing, table: Table, columns: Sequence[str],
                 title: str | None = None, limit: int = SLIDE_ROWS) -> Slide:  # fmt: skip
    slide = _slide(deck, briefing, title or table.title, table.takeaway)
    if table.frame.empty:
        _empty(slide)
        return slide
    _table(slide, table.display(limit)[list(columns)], MARGIN, WIDTH - 2 * MARGIN)
    if len(table.frame) > limit:
        more = f"… dan {len(table.frame) - limit} baris lainnya (lengkap di berkas XLSX)."
        top = BODY_TOP + Inches(0.32) * (limit + 1) + Inches(0.1)
        _text_box(slide, MARGIN, top, Inches(9), Inches(0.3), more, 11)
    return slide


def _title_slide(deck: Deck, briefing: Briefing) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_SLIDE])
    heading, subtitle = slide.shapes.title, slide.placeholders[1]
    if heading is None:
        raise RuntimeError("the slide layout has no title")
    heading.left, heading.top = MARGIN, Inches(2.0)
    heading.width, heading.height = WIDTH - 2 * MARGIN, Inches(1.8)
    heading.text = briefing.title
    heading.text_frame.paragraphs[0].runs[0].font.color.rgb = BLUE
    heading.text_frame.paragraphs[0].runs[0].font.size = Pt(36)
    subtitle.left, subtitle.top = MARGIN, Inches(4.0)
    subtitle.width, subtitle.height = WIDTH - 2 * MARGIN, Inches(1.2)
    subtitle.text = (
        "Bidang Komunikasi Publik, Dinas Komunikasi dan Informatika\n"
        f"Keadaan per {briefing.as_of_text}"
    )
    _decorate(slide, briefing)


def _kpi_slide(deck: Deck, briefing: Briefing) -> None:
    slide = _slide(deck, briefing, f"Angka utama {briefing.month_label}", briefing.kpi_takeaway)
    frame = pd.DataFrame(
        [(k.label, k.text(), k.previous_text(), k.delta_text()) for k in briefing.kpis],
        columns=["Indikator", "Bulan ini", "Bulan lalu", "Perubahan"],
    )
    _table(slide, frame, MARGIN, Inches(9), size=14)


def _ranking_slide(deck: Deck, briefing: Briefing) -> None:
    table = briefing.ranking
    slide = _slide(deck, briefing, "Peringkat indeks aktivitas", table.takeaway)
    if table.frame.empty:
        _empty(slide)
        return
    columns = ["Peringkat", "Perubahan", "Kode OPD", "Platform", "Akun", "Indeks aktivitas"]
    shown = table.display()[columns]
    half = (WIDTH - 2 * MARGIN - Inches(0.3)) / 2
    _text_box(slide, MARGIN, BODY_TOP - Inches(0.05), half, Inches(0.3),
              f"{RANKING_TOP} teratas", 13, BLUE, True)  # fmt: skip
    _table(slide, shown.head(RANKING_TOP), MARGIN, half, BODY_TOP + Inches(0.3), 10)
    right = MARGIN + half + Inches(0.3)
    _text_box(slide, right, BODY_TOP - Inches(0.05), half, Inches(0.3),
              f"{RANKING_BOTTOM} terbawah", 13, BLUE, True)  # fmt: skip
    _table(slide, shown.tail(RANKING_BOTTOM), right, half, BODY_TOP + Inches(0.3), 10)


def _movers_slide(deck: Deck, briefing: Briefing) -> None:
    slide = _slide(deck, briefing, "Naik dan turun peringkat", briefing.movers_takeaway)
    columns = ["Perubahan", "Peringkat", "Kode OPD", "Platform", "Akun"]
    half = (WIDTH - 2 * MARGIN - Inches(0.3)) / 2
    for i, table in enumerate((briefing.movers_up, briefing.movers_down)):
        left = MARGIN + i * (half + Inches(0.3))
        _text_box(slide, left, BODY_TOP - Inches(0.05), half, Inches(0.3), table.title, 13,
                  BLUE, True)  # fmt: skip
        if table.frame.empty:
            _text_box(slide, left, BODY_TOP + Inches(0.4), half, Inches(0.4), "Tidak ada.", 14)
        else:
            _table(slide, table.display(8)[columns], left, half, BODY_TOP + Inches(0.3), 11)


def _chart_slides(deck: Deck, briefing: Briefing, images: Sequence[bytes]) -> None:
    for chart, image in zip(briefing.charts, images, strict=True):
        slide = _slide(deck, briefing, chart.title, chart.takeaway)
        box_w, box_h = WIDTH - 2 * MARGIN, HEIGHT - BODY_TOP - Inches(0.6)
        picture = slide.shapes.add_picture(io.BytesIO(image), MARGIN, BODY_TOP)
        ratio = min(box_w / picture.width, box_h / picture.height)
        picture.width, picture.height = emu(picture.width * ratio), emu(picture.height * ratio)
        picture.left = emu(MARGIN + (box_w - picture.width) / 2)


REPLY_SHOWN = ["Kode OPD", "Platform", "Akun", "Tingkat balasan", "Waktu balasan pertama (median)"]


def write_pptx(briefing: Briefing, images: Sequence[bytes], out: Path) -> Path:
    """The deck: title, KPIs, ranking, dormant, movers, best posts, captions, the owners'
    replies (where known), charts."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    _title_slide(deck, briefing)
    _kpi_slide(deck, briefing)
    _ranking_slide(deck, briefing)
    _table_slide(
        deck,
        briefing,
        briefing.dormant,
        ["Kode OPD", "Platform", "Akun", "Tanpa unggahan", "Admin", "Telepon admin"],
    )
    _movers_slide(deck, briefing)
    _table_slide(
        deck,
        briefing,
        briefing.best_posts,
        ["Waktu", "Kode OPD", "Platform", "Interaksi", "Dibanding biasanya", "Caption"],
        limit=8,
    )
    _table_slide(deck, briefing, briefing.compliance,
                 ["Kode OPD", "Unggahan", "Skor caption", "Lima unsur lengkap",
                  "Sesuai arahan pejabat", "Tanpa salah ketik/jargon"])  # fmt: skip
    if not briefing.replies.frame.empty:  # only where the owner's replies are known
        _table_slide(deck, briefing, briefing.replies, REPLY_SHOWN)
    _chart_slides(deck, briefing, images)
    out.parent.mkdir(parents=True, exist_ok=True)
    deck.save(str(out))
    return out
