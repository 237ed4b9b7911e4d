"""Finds chart labels that are cut at the figure's edge or drawn over one another.

Two renderings of one plotly figure are measured in Debian's Chromium (Playwright, offline):
the static SVG that ``present.export`` writes (kaleido: the briefing's images and the
"Unduh" buttons), and the live plotly.js chart at a given width (the dashboard, 390 px phone
or 1366 px desktop). Each visible ``<text>`` element's box is compared with the figure's box.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import plotly
import plotly.graph_objects as go
from playwright.sync_api import Page

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
TOLERANCE_PX = 1.0

# Every text's box relative to the outermost <svg>, with what kind of text it is.
MEASURE_JS = """(root) => {
  const svg = root.querySelector('svg');
  const frame = svg.getBoundingClientRect();
  const boxes = [];
  for (const node of root.querySelectorAll('text')) {
    const text = node.textContent.trim();
    const style = getComputedStyle(node);
    if (!text || style.visibility === 'hidden' || style.display === 'none' ||
        Number(style.opacity) === 0 || node.closest('[display="none"]')) continue;
    const b = node.getBBox();
    if (b.width === 0 || b.height === 0) continue;
    const m = node.getScreenCTM();
    const corners = [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height],
                     [b.x, b.y + b.height]].map(([x, y]) => [
      m.a * x + m.c * y + m.e - frame.left, m.b * x + m.d * y + m.f - frame.top]);
    const group = node.closest('g[class]');
    boxes.push({text, corners, kind: (node.getAttribute('class') || '') + ' ' +
                (group ? group.getAttribute('class') : '')});
  }
  return {width: frame.width, height: frame.height, boxes};
}"""


Point = tuple[float, float]


def _separated(a: list[Point], b: list[Point]) -> bool:
    """Whether an edge of ``a`` separates the two convex quadrilaterals (by more than the
    tolerance's overlap)."""
    for i in range(4):
        (x1, y1), (x2, y2) = a[i], a[(i + 1) % 4]
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        normal = ((y1 - y2) / length, (x2 - x1) / length)

        def along(p: Point, n: Point = normal) -> float:
            return p[0] * n[0] + p[1] * n[1]

        a_side = [along(p) for p in a]
        b_side = [along(p) for p in b]
        if min(max(a_side), max(b_side)) - max(min(a_side), min(b_side)) <= TOLERANCE_PX:
            return True
    return False


@dataclass(frozen=True)
class Box:
    """A text's four corners as drawn (a rotated tick label is a rotated box)."""

    text: str
    kind: str
    corners: list[Point]

    @property
    def left(self) -> float:
        return min(x for x, _ in self.corners)

    @property
    def right(self) -> float:
        return max(x for x, _ in self.corners)

    @property
    def top(self) -> float:
        return min(y for _, y in self.corners)

    @property
    def bottom(self) -> float:
        return max(y for _, y in self.corners)

    def overlaps(self, other: Box) -> bool:
        return not (
            _separated(self.corners, other.corners) or _separated(other.corners, self.corners)
        )


@dataclass(frozen=True)
class Measured:
    width: float
    height: float
    boxes: list[Box]

    def cut(self) -> list[str]:
        """Texts reaching beyond the figure's edge."""
        t = TOLERANCE_PX
        return [
            f"{b.text!r} [{b.left:.0f},{b.top:.0f},{b.right:.0f},{b.bottom:.0f}]"
            for b in self.boxes
            if b.left < -t or b.top < -t or b.right > self.width + t or b.bottom > self.height + t
        ]

    def overlapping(self) -> list[str]:
        """Pairs of texts drawn over one another (bar values inside their bar excepted)."""
        labels = [b for b in self.boxes if "bartext" not in b.kind]
        return [
            f"{a.text!r} / {b.text!r}"
            for i, a in enumerate(labels)
            for b in labels[i + 1 :]
            if a.overlaps(b)
        ]


def _measured(page: Page) -> Measured:
    raw = page.evaluate(MEASURE_JS, page.locator("#root").element_handle())
    return Measured(
        raw["width"],
        raw["height"],
        [Box(b["text"], b["kind"], [tuple(c) for c in b["corners"]]) for b in raw["boxes"]],
    )


def measure_svg(page: Page, svg: bytes) -> Measured:
    """The exported SVG, shown at its own size."""
    page.set_content(f'<div id="root">{svg.decode("utf-8")}</div>')
    return _measured(page)


def measure_live(page: Page, fig: go.Figure, width: int) -> Measured:
    """The figure drawn by plotly.js into a ``width`` px wide box, as on a dashboard."""
    page.set_viewport_size({"width": width, "height": 900})
    page.set_content('<body style="margin:0"><div id="root" style="width:100%"></div></body>')
    page.add_script_tag(path=str(PLOTLY_JS))
    spec = json.loads(fig.to_json())
    page.evaluate(
        "([data, layout]) => Plotly.newPlot('root', data, layout, {responsive: true})",
        [spec.get("data", []), spec.get("layout", {})],
    )
    page.wait_for_timeout(50)
    return _measured(page)
