"""Looks at a PDF as its reader sees it: every page rendered to a bitmap (pypdfium2), then
checked for charts whose labels are cut and for anything drawn outside the page's margins.

A chart is an image placed on the page (pypdfium2 gives each image object's bounds in
points). A label cut at the chart's edge leaves ink in the chart's border strip, where an
uncut chart has only its white background; the strip is read from the rendered page, so it
is what the head of office sees, whatever the image's own resolution.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

RENDER_SCALE = 3.0  # 216 dpi: a cut glyph's stroke is a few pixels wide
STRIP_PX = 3  # the chart's border strip that must carry no ink
INSET_PX = 1  # the chart's outermost row of pixels blends with the page: not read
INK = 200  # a pixel darker than this in any channel is ink, not the white background
PAGE_EDGE_PT = 4 * 72 / 25.4  # nothing is drawn in the outer 4 mm of a page
MIN_CHART_PT = 200  # a narrower image is the letterhead's logo, not a chart


@dataclass
class PdfInk:
    charts: int = 0  # chart images checked
    faults: list[str] = field(default_factory=list)


def _has_ink(bitmap: Image.Image, box: tuple[int, int, int, int]) -> bool:
    left, top, right, bottom = box
    if right <= left or bottom <= top:
        return False
    return min(low for low, _ in bitmap.crop(box).getextrema()) < INK


def _border_strips(box: tuple[float, float, float, float], page_h: float) -> list[
    tuple[int, int, int, int]
]:  # fmt: skip
    """The chart's four border strips in bitmap pixels (PDF y runs upwards, the bitmap's down)."""
    left, bottom, right, top = box
    x0 = math.ceil(left * RENDER_SCALE) + INSET_PX
    x1 = math.floor(right * RENDER_SCALE) - INSET_PX
    y0 = math.ceil((page_h - top) * RENDER_SCALE) + INSET_PX
    y1 = math.floor((page_h - bottom) * RENDER_SCALE) - INSET_PX
    return [(x0, y0, x1, y0 + STRIP_PX), (x0, y1 - STRIP_PX, x1, y1),
            (x0, y0, x0 + STRIP_PX, y1), (x1 - STRIP_PX, y0, x1, y1)]  # fmt: skip


def _outer_band(bitmap: Image.Image) -> list[tuple[int, int, int, int]]:
    width, height = bitmap.size
    edge = math.ceil(PAGE_EDGE_PT * RENDER_SCALE)
    return [(0, 0, width, edge), (0, height - edge, width, height),
            (0, 0, edge, height), (width - edge, 0, width, height)]  # fmt: skip


def check_pdf(path: Path) -> PdfInk:
    """Every page rendered: each chart inside the page with a clear border strip, and no ink
    in the page's outer band."""
    found = PdfInk()
    document = pdfium.PdfDocument(path)
    try:
        for number, page in enumerate(document, start=1):
            page_w, page_h = page.get_size()
            bitmap = page.render(scale=RENDER_SCALE).to_pil().convert("RGB")
            if any(_has_ink(bitmap, band) for band in _outer_band(bitmap)):
                found.faults.append(f"page {number}: something is drawn outside the margins")
            for image in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):
                left, bottom, right, top = image.get_bounds()
                if right - left < MIN_CHART_PT:
                    continue
                found.charts += 1
                if left < 0 or bottom < 0 or right > page_w or top > page_h:
                    found.faults.append(f"page {number}: a chart runs off the page")
                strips = _border_strips((left, bottom, right, top), page_h)
                if any(_has_ink(bitmap, strip) for strip in strips):
                    found.faults.append(f"page {number}: a chart's label is cut at its edge")
    finally:
        document.close()
    return found
