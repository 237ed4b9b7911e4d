"""The briefing as a 16:9 PowerPoint deck (python-pptx): a cover, the executive summary, then
one section per slide, each chart beside its table.

Every slide carries the letterhead (the office's logo and name) on top, a title, the section's
Indonesian takeaway, for demo data a red "DATA DEMO" label, and a footer. No text is smaller
than 14 pt: a table's rows are measured (wrapped lines at 14 pt) and split over as many slides
as they need, so nothing runs past the slide's bottom.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import PP_ALIGN
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide
from pptx.util import Emu, Inches, Length, Pt

from reports.chart_slots import Slot
from reports.columns import RANKING_COLUMNS
from reports.content import RANKING_BOTTOM, RANKING_TOP, Briefing
from reports.tables import Table

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
BLUE = RGBColor(0x0B, 0x53, 0x94)
RED = RGBColor(0xC6, 0x28, 0x28)
GREY = RGBColor(0x55, 0x55, 0x55)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
DEMO_LABEL = "DATA DEMO"
TITLE_ONLY, BLANK = 5, 6  # layout indexes in python-pptx's default template
TEXT_PT = 14  # the smallest text on any slide
BODY_TOP = Inches(2.05)
BODY_BOTTOM = HEIGHT - Inches(0.6)
GAP = Inches(0.3)
CHART_SHARE = 0.55  # of the body's width, when a chart stands beside its table
EMU_PT = 12700
CHART_TEXT_PT = 12  # a chart's 13 px text shown at 12 pt
# a ranking's two-line bar names keep apart in the slide's short box with at most 8 bars
SLIDE_BARS = 8
BESIDE = Slot((WIDTH - 2 * MARGIN) * CHART_SHARE / EMU_PT, (BODY_BOTTOM - BODY_TOP) / EMU_PT,
              CHART_TEXT_PT, SLIDE_BARS)  # fmt: skip
FULL = Slot((WIDTH - 2 * MARGIN) / EMU_PT, (BODY_BOTTOM - BODY_TOP) / EMU_PT, CHART_TEXT_PT)
# every chart's box on its slide (reports.chart_slots draws it for that box)
CHART_SLOTS = {
    "opd_ranking": BESIDE, "ranking": BESIDE, "dormant_trend": BESIDE, "compliance": BESIDE,
    "posts": FULL, "followers": FULL, "status": FULL,
}  # fmt: skip
SCORE = RANKING_COLUMNS["score"][0]  # the score's header, as the content model names it
# measuring a 14 pt row: an average character's width, a line's height, the cell's padding
CHAR_W, LINE_H = Inches(0.105), Inches(0.24)
PAD_X, PAD_Y = Inches(0.2), Inches(0.12)


def emu(value: float) -> Length:
    """Lengths computed with arithmetic (plain numbers) back as a python-pptx length."""
    return Emu(int(value))


def _text_box(slide: Slide, left: float, top: float, width: float, height: float, text: str,
              size: int = TEXT_PT, color: RGBColor = GREY, bold: bool = False,
              align: PP_ALIGN = PP_ALIGN.LEFT) -> None:  # fmt: skip
    frame = slide.shapes.add_textbox(emu(left), emu(top), emu(width), emu(height)).text_frame
    frame.word_wrap = True
    for i, line in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = align
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(max(size, TEXT_PT))
        run.font.bold = bold
        run.font.color.rgb = color


def _decorate(slide: Slide, briefing: Briefing, page: int) -> None:
    """The letterhead (logo and office) on top, the demo label and the footer."""
    left: float = MARGIN
    if briefing.logo:
        logo = slide.shapes.add_picture(io.BytesIO(briefing.logo), MARGIN, Inches(0.1))
        ratio = min(Inches(0.38) / logo.height, Inches(1.2) / logo.width)
        logo.height, logo.width = emu(logo.height * ratio), emu(logo.width * ratio)
        left = MARGIN + logo.width + Inches(0.12)
    _text_box(slide, left, Inches(0.08), Inches(9), Inches(0.4), briefing.office)
    if briefing.is_demo:
        _text_box(slide, WIDTH - Inches(2.6), Inches(0.08), Inches(2.1), Inches(0.4),
                  DEMO_LABEL, size=16, color=RED, bold=True, align=PP_ALIGN.RIGHT)  # fmt: skip
    footer = f"Pantau · {briefing.regency} · {briefing.period_label} · {page}"
    _text_box(slide, MARGIN, HEIGHT - Inches(0.5), WIDTH - 2 * MARGIN, Inches(0.4), footer)


def _slide(deck: Deck, briefing: Briefing, title: str, takeaway: str) -> Slide:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    heading = slide.shapes.title
    if heading is None:  # the Title Only layout has a title placeholder
        raise RuntimeError("the slide layout has no title")
    heading.left, heading.top = MARGIN, Inches(0.5)
    heading.width, heading.height = WIDTH - 2 * MARGIN, Inches(0.75)
    heading.text = title
    para = heading.text_frame.paragraphs[0]
    para.alignment = PP_ALIGN.LEFT
    para.runs[0].font.size = Pt(28)
    para.runs[0].font.color.rgb = BLUE
    if takeaway:
        _text_box(slide, MARGIN, Inches(1.25), WIDTH - 2 * MARGIN, Inches(0.75), takeaway, 16)
    _decorate(slide, briefing, len(deck.slides))
    return slide


def _row_height(values: Sequence[str], widths: Sequence[float]) -> float:
    lines = max(
        math.ceil(len(text) * CHAR_W / max(width - PAD_X, CHAR_W)) or 1
        for text, width in zip(values, widths, strict=True)
    )
    return lines * LINE_H + PAD_Y


def _chunks(frame: pd.DataFrame, widths: Sequence[float], room: float) -> list[pd.DataFrame]:
    """The rows split into pieces that fit ``room`` each (the header repeated on each)."""
    header = _row_height([str(c) for c in frame.columns], widths)
    pieces, start, used = [], 0, header
    for i, values in enumerate(frame.itertuples(index=False)):
        height = _row_height([str(v) for v in values], widths)
        if used + height > room and i > start:
            pieces.append(frame.iloc[start:i])
            start, used = i, header
        used += height
    pieces.append(frame.iloc[start:])
    return pieces


def _table(slide: Slide, frame: pd.DataFrame, left: float, top: float,
           widths: Sequence[float]) -> None:  # fmt: skip
    """A display table (strings) at 14 pt: blue header, each row as high as its text."""
    rows, cols = len(frame) + 1, len(frame.columns)
    heights = [_row_height([str(c) for c in frame.columns], widths)]
    heights += [_row_height([str(v) for v in r], widths) for r in frame.itertuples(index=False)]
    shape = slide.shapes.add_table(rows, cols, emu(left), emu(top), emu(sum(widths)),
                                   emu(sum(heights)))  # fmt: skip
    grid = shape.table
    for c, width in enumerate(widths):
        grid.columns[c].width = emu(width)
    for r, height in enumerate(heights):
        grid.rows[r].height = emu(height)
    cells = [
        list(map(str, frame.columns)),
        *[list(map(str, r)) for r in frame.itertuples(index=False)],
    ]
    for r, values in enumerate(cells):
        for c, value in enumerate(values):
            cell = grid.cell(r, c)
            cell.text = value
            if r == 0:
                cell.fill.solid()
                cell.fill.fore_color.rgb = BLUE
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(TEXT_PT)
                    if r == 0:
                        run.font.bold, run.font.color.rgb = True, WHITE


def _widths(total: float, shares: Sequence[float]) -> list[float]:
    return [total * s / sum(shares) for s in shares]


def table_slides(deck: Deck, briefing: Briefing, title: str, takeaway: str,
                 frame: pd.DataFrame, shares: Sequence[float],
                 image: bytes | None = None) -> None:  # fmt: skip
    """The table over as many slides as it needs; with ``image``, the chart stands on the
    left of the first slide and the table beside it."""
    body_w = WIDTH - 2 * MARGIN
    if frame.empty:
        slide = _slide(deck, briefing, title, takeaway)
        _text_box(slide, MARGIN, BODY_TOP, body_w, Inches(0.6), "Tidak ada data.", 18)
        if image is not None:
            _picture(slide, image, MARGIN, BODY_TOP + Inches(0.7), body_w, BODY_BOTTOM)
        return
    table_left = MARGIN + (body_w * CHART_SHARE + GAP if image is not None else 0)
    widths = _widths(WIDTH - MARGIN - table_left, shares)
    for n, piece in enumerate(_chunks(frame, widths, BODY_BOTTOM - BODY_TOP)):
        slide = _slide(deck, briefing, title if n == 0 else f"{title} (lanjutan)",
                       takeaway if n == 0 else "")  # fmt: skip
        if image is not None and n == 0:
            _picture(slide, image, MARGIN, BODY_TOP, body_w * CHART_SHARE, BODY_BOTTOM)
        _table(slide, piece, table_left, BODY_TOP, widths)


def _picture(slide: Slide, image: bytes, left: float, top: float, box_w: float,
             bottom: float) -> None:  # fmt: skip
    """The image scaled to fit the box (never past the slide), centred in it."""
    picture = slide.shapes.add_picture(io.BytesIO(image), emu(left), emu(top))
    ratio = min(box_w / picture.width, (bottom - top) / picture.height)
    picture.width, picture.height = emu(picture.width * ratio), emu(picture.height * ratio)
    picture.left = emu(left + (box_w - picture.width) / 2)


def _cover(deck: Deck, briefing: Briefing) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[BLANK])
    _decorate(slide, briefing, 1)
    if briefing.logo:
        logo = slide.shapes.add_picture(io.BytesIO(briefing.logo), 0, Inches(1.2))
        ratio = min(Inches(1.3) / logo.height, Inches(4) / logo.width)
        logo.height, logo.width = emu(logo.height * ratio), emu(logo.width * ratio)
        logo.left = emu((WIDTH - logo.width) / 2)
    body_w = WIDTH - 2 * MARGIN
    _text_box(slide, MARGIN, Inches(2.8), body_w, Inches(0.6), briefing.office, 22, GREY, True,
              PP_ALIGN.CENTER)  # fmt: skip
    _text_box(slide, MARGIN, Inches(3.5), body_w, Inches(1.5), briefing.title, 34, BLUE, True,
              PP_ALIGN.CENTER)  # fmt: skip
    _text_box(slide, MARGIN, Inches(5.3), body_w, Inches(0.9),
              f"Bidang Komunikasi Publik\nKeadaan per {briefing.as_of_text}", 18,
              align=PP_ALIGN.CENTER)  # fmt: skip


def _key_figures(slide: Slide, briefing: Briefing, top: float) -> float:
    """A row of boxes: each key figure, its label and its change; returns the row's bottom."""
    body_w = WIDTH - 2 * MARGIN
    _text_box(slide, MARGIN, top, body_w, Inches(0.35),
              f"Angka utama; perubahan dibanding {briefing.compared_with}")  # fmt: skip
    top += Inches(0.4)
    gap, count = Inches(0.12), len(briefing.headline)
    box_w = (body_w - gap * (count - 1)) / count
    for i, kpi in enumerate(briefing.headline):
        left = MARGIN + i * (box_w + gap)
        box = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, emu(left), emu(top), emu(box_w), Inches(1.45)
        )
        box.fill.background()
        box.line.color.rgb = BLUE
        _text_box(slide, left, top, box_w, Inches(0.5), kpi.text(), 28, BLUE, True,
                  PP_ALIGN.CENTER)  # fmt: skip
        _text_box(slide, left, top + Inches(0.55), box_w, Inches(0.55), kpi.label,
                  align=PP_ALIGN.CENTER)  # fmt: skip
        _text_box(slide, left, top + Inches(1.08), box_w, Inches(0.35), kpi.delta_text(),
                  align=PP_ALIGN.CENTER)  # fmt: skip
    return top + Inches(1.45)


def _summary_slide(deck: Deck, briefing: Briefing) -> None:
    slide = _slide(deck, briefing, f"Ringkasan eksekutif · {briefing.period_label}", "")
    body_w = WIDTH - 2 * MARGIN
    top: float = _key_figures(slide, briefing, Inches(1.3)) + Inches(0.1)
    for heading, lines in (("Temuan utama", briefing.findings),
                           ("Tindak lanjut", briefing.followup)):  # fmt: skip
        _text_box(slide, MARGIN, top, body_w, Inches(0.4), heading, 18, BLUE, True)
        top += Inches(0.42)
        for i, line in enumerate(lines, start=1):
            height = Inches(0.3) * math.ceil(len(line) * Inches(0.11) / body_w)
            _text_box(slide, MARGIN, top, body_w, height, f"{i}. {line}", 16, GREY)
            top += height + Inches(0.04)
        top += Inches(0.08)


def _kpi_slide(deck: Deck, briefing: Briefing) -> None:
    frame = pd.DataFrame(
        [(k.label, k.text(), k.previous_text(), k.delta_text()) for k in briefing.kpis],
        columns=["Indikator", briefing.month_label, briefing.compared_with, "Perubahan"],
    )
    table_slides(deck, briefing, f"Angka utama {briefing.period_label}", briefing.kpi_takeaway,
                 frame, [3, 2, 2, 2])  # fmt: skip


def top_and_bottom(table: Table, columns: list[str]) -> pd.DataFrame:
    """The top rows and the bottom ones (each once when the table is short)."""
    shown = table.display()[columns]
    if len(shown) <= RANKING_TOP + RANKING_BOTTOM:
        return shown
    return pd.concat([shown.head(RANKING_TOP), shown.tail(RANKING_BOTTOM)])


def _images(briefing: Briefing, images: Sequence[bytes]) -> dict[str, bytes]:
    return {c.key: image for c, image in zip(briefing.charts, images, strict=True)}


def _ranking_slides(deck: Deck, briefing: Briefing, shown: dict[str, bytes]) -> None:
    opds = briefing.opd_ranking
    table_slides(deck, briefing, "Peringkat OPD", opds.takeaway,
                 top_and_bottom(opds, ["Peringkat", "OPD", SCORE]), [1.2, 4, 1.4],
                 shown.get("opd_ranking"))  # fmt: skip
    if not briefing.no_account.frame.empty:
        table_slides(deck, briefing, briefing.no_account.title, briefing.no_account.takeaway,
                     briefing.no_account.display()[["OPD", "Keadaan"]], [3, 2])  # fmt: skip
    accounts = briefing.ranking
    table_slides(deck, briefing, "Peringkat akun", accounts.takeaway,
                 top_and_bottom(accounts, ["Peringkat", "OPD", "Platform", SCORE]),
                 [1.2, 3.2, 1.6, 1.4], shown.get("ranking"))  # fmt: skip


def _movers_slides(deck: Deck, briefing: Briefing) -> None:
    columns = ["Perubahan", "Peringkat", "OPD", "Platform"]
    for table in (briefing.movers_up, briefing.movers_down):
        frame = table.display(5)[columns] if not table.frame.empty else table.frame
        table_slides(deck, briefing, table.title, table.takeaway, frame, [1.3, 1.3, 5, 1.6])


def write_pptx(briefing: Briefing, images: Sequence[bytes], out: Path) -> Path:
    """The deck: cover, summary, KPIs, rankings, dormant trend and accounts, movers, best
    posts, captions, the owners' replies (where known), the remaining charts."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    shown = _images(briefing, images)
    _cover(deck, briefing)
    _summary_slide(deck, briefing)
    _kpi_slide(deck, briefing)
    _ranking_slides(deck, briefing, shown)
    trend = briefing.dormant_trend
    table_slides(deck, briefing, trend.title, trend.takeaway, trend.display(), [2, 2],
                 shown.get("dormant_trend"))  # fmt: skip
    dormant = briefing.dormant
    table_slides(deck, briefing, dormant.title, dormant.takeaway,
                 dormant.display(12)[["OPD", "Platform", "Tanpa unggahan", "Admin",
                                      "Telepon admin"]] if not dormant.frame.empty
                 else dormant.frame, [4, 1.6, 1.8, 2.4, 2])  # fmt: skip
    _movers_slides(deck, briefing)
    best = briefing.best_posts
    table_slides(deck, briefing, best.title, best.takeaway,
                 best.display(8)[["OPD", "Platform", "Interaksi", "Caption"]]
                 if not best.frame.empty else best.frame, [3, 1.5, 1.4, 6])  # fmt: skip
    compliance = briefing.compliance
    table_slides(deck, briefing, compliance.title, compliance.takeaway,
                 top_and_bottom(compliance, ["OPD", "Lima unsur lengkap"])
                 if not compliance.frame.empty else compliance.frame, [3.5, 1.6],
                 shown.get("compliance"))  # fmt: skip
    replies = briefing.replies
    if not replies.frame.empty:  # only where the owner's replies are known
        table_slides(deck, briefing, replies.title, replies.takeaway,
                     replies.display(12)[["OPD", "Platform", "Akun", "Tingkat balasan"]],
                     [4, 1.6, 3, 1.8])  # fmt: skip
    for key in ("posts", "followers", "status"):
        chart = briefing.chart(key)
        if chart is not None and key in shown:
            slide = _slide(deck, briefing, chart.title, chart.takeaway)
            _picture(slide, shown[key], MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, BODY_BOTTOM)
    out.parent.mkdir(parents=True, exist_ok=True)
    deck.save(str(out))
    return out
