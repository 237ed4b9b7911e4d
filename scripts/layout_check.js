// Layout check, evaluated in a page by Playwright (scripts/screenshots.py `layout_defects`).
// Returns a list of defects {kind, element, text, where}: labels cut at the edge of their
// chart, labels of one axis or group overlapping, metric or text boxes too narrow for their
// text, and a page wider than the viewport. Boxes are compared with a 1 px tolerance.
() => {
  const TOLERANCE = 1;
  const defects = [];
  const viewportWidth = document.documentElement.clientWidth;
  const root = document.querySelector('[data-testid="stMain"]') || document.body;
  const headings = Array.from(root.querySelectorAll("h1, h2, h3, h4"));

  const clean = (text) => (text || "").replace(/\s+/g, " ").trim().slice(0, 80);
  // the nearest heading before an element: says which part of the page a defect is in
  const where = (element) => {
    let found = "";
    for (const heading of headings) {
      if (heading.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING) {
        found = heading.textContent;
      }
    }
    return clean(found);
  };
  const report = (kind, element, node, text) =>
    defects.push({ kind, element, text: clean(text ?? node.textContent), where: where(node) });
  const shown = (node) => {
    const box = node.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(node).visibility !== "hidden";
  };

  // --- plotly charts: every label as the quadrilateral it covers on screen (rotation included)
  const corners = (text) => {
    const box = text.getBBox();
    const matrix = text.getScreenCTM();
    return [
      [box.x, box.y], [box.x + box.width, box.y],
      [box.x + box.width, box.y + box.height], [box.x, box.y + box.height],
    ].map(([x, y]) => [matrix.a * x + matrix.c * y + matrix.e, matrix.b * x + matrix.d * y + matrix.f]);
  };
  // separating-axis test of two convex quadrilaterals, overlapping by more than the tolerance
  const overlaps = (first, second) => {
    for (const polygon of [first, second]) {
      for (let i = 0; i < polygon.length; i += 1) {
        const [x1, y1] = polygon[i];
        const [x2, y2] = polygon[(i + 1) % polygon.length];
        const length = Math.hypot(x2 - x1, y2 - y1) || 1;
        const axis = [(y1 - y2) / length, (x2 - x1) / length];
        const project = (points) => points.map(([x, y]) => x * axis[0] + y * axis[1]);
        const a = project(first);
        const b = project(second);
        const depth = Math.min(Math.max(...a), Math.max(...b)) - Math.max(Math.min(...a), Math.min(...b));
        if (depth <= TOLERANCE) return false;
      }
    }
    return true;
  };
  // which labels must stay clear of each other: one axis (its ticks and title), one colour
  // bar, the legend, the bar texts, the annotations
  const groupOf = (text) => {
    const tick = text.closest(".xtick, .ytick");
    if (tick) {
      const layer = tick.closest("[class*='axislayer']");
      const subplot = tick.closest(".subplot");
      const axis = tick.classList.contains("xtick") ? "x" : "y";
      const id = subplot ? subplot.getAttribute("class").replace("subplot", "").trim() : "";
      return `axis ${axis} ${id} ${layer ? layer.getAttribute("class") : ""}`;
    }
    const title = text.closest("[class^='g-x'], [class^='g-y']");
    if (title) {
      const axis = title.getAttribute("class").match(/^g-([xy]\d*)title/);
      return axis ? `axis title ${axis[1]}` : "title";
    }
    const colorbar = text.closest(".colorbar");
    if (colorbar) return "colour bar";
    if (text.closest(".legend")) return "legend";
    if (text.closest(".annotation")) return "annotation";
    if (text.closest(".gtitle, .g-gtitle")) return "chart title";
    return "bar text";
  };
  const labelName = {
    "axis x": "x-axis label", "axis y": "y-axis label", "axis title": "axis title",
    "colour bar": "colour-bar label", legend: "legend item", annotation: "annotation",
    "chart title": "chart title", "bar text": "bar text",
  };
  const nameOf = (group) =>
    labelName[Object.keys(labelName).find((key) => group.startsWith(key))] || group;

  for (const plot of root.querySelectorAll(".js-plotly-plot")) {
    const svg = plot.querySelector("svg.main-svg");
    if (!svg || !shown(svg)) continue;
    const frame = svg.getBoundingClientRect();
    const title = clean(plot.querySelector(".gtitle")?.textContent);
    if (frame.right > viewportWidth + TOLERANCE) report("wide", "chart", plot, title || "grafik");
    const labels = Array.from(plot.querySelectorAll("svg text"))
      .filter((text) => clean(text.textContent) && getComputedStyle(text).display !== "none"
        && getComputedStyle(text).opacity !== "0" && text.getBBox().width > 0)
      .map((text) => ({ text, group: groupOf(text), quad: corners(text) }));
    for (const label of labels) {
      const outside = label.quad.some(([x, y]) =>
        x < frame.left - TOLERANCE || x > frame.right + TOLERANCE
        || y < frame.top - TOLERANCE || y > frame.bottom + TOLERANCE);
      if (outside) report("cut", nameOf(label.group), label.text);
    }
    for (let i = 0; i < labels.length; i += 1) {
      for (let j = i + 1; j < labels.length; j += 1) {
        const [a, b] = [labels[i], labels[j]];
        const sameGroup = a.group === b.group
          || (a.group.startsWith("axis title") && b.group.startsWith("axis"))
          || (b.group.startsWith("axis title") && a.group.startsWith("axis"));
        if (sameGroup && overlaps(a.quad, b.quad)) {
          report("overlap", nameOf(a.group), a.text,
            `${clean(a.text.textContent)} / ${clean(b.text.textContent)}`);
        }
      }
    }
  }

  // --- boxes too narrow for their text (cut with an ellipsis, or spilling out)
  const tooNarrow = (node) => node.clientWidth > 0 && node.scrollWidth > node.clientWidth + TOLERANCE;
  const metrics = Array.from(root.querySelectorAll('[data-testid="stMetric"]')).filter(shown);
  const metricParts = {
    stMetricLabel: "metric label", stMetricValue: "metric value", stMetricDelta: "metric delta",
  };
  for (const metric of metrics) {
    for (const [testid, name] of Object.entries(metricParts)) {
      const part = metric.querySelector(`[data-testid="${testid}"]`);
      if (!part) continue;
      const cut = [part, ...part.querySelectorAll("*")].some(tooNarrow);
      if (cut) report("cut", name, part);
    }
  }
  // a metric's text as drawn (a Range covers text spilling out of its box), less what a box
  // that hides its overflow clips away, against its neighbours
  const clipped = (rect, node, stop) => {
    let box = { left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom };
    for (let at = node.parentElement; at && at !== stop.parentElement; at = at.parentElement) {
      if (getComputedStyle(at).overflowX === "visible") continue;
      const frame = at.getBoundingClientRect();
      box = {
        left: Math.max(box.left, frame.left), right: Math.min(box.right, frame.right),
        top: Math.max(box.top, frame.top), bottom: Math.min(box.bottom, frame.bottom),
      };
    }
    return box;
  };
  const inked = (metric) => {
    const boxes = [];
    const walker = document.createTreeWalker(metric, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(text);
      for (const rect of range.getClientRects()) {
        const box = clipped(rect, text, metric);
        if (box.right - box.left > 0 && box.bottom - box.top > 0) boxes.push(box);
      }
    }
    return boxes;
  };
  const intersects = (a, b) =>
    Math.min(a.right, b.right) - Math.max(a.left, b.left) > TOLERANCE
    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > TOLERANCE;
  for (const metric of metrics) {
    const ink = inked(metric);
    for (const other of metrics) {
      if (other === metric) continue;
      const box = other.getBoundingClientRect();
      if (ink.some((rect) => intersects(rect, box))) {
        report("overlap", "metric", metric, `${clean(metric.textContent)} / ${clean(other.textContent)}`);
      }
    }
  }
  const textBoxes = {
    "h1, h2, h3, h4, h5, h6": "heading",
    '[data-testid="stBaseButton-primary"], [data-testid="stBaseButton-secondary"], button[kind], [data-testid="stDownloadButton"] button': "button",
    '[data-testid="stCaptionContainer"]': "caption",
    '[data-testid="stMarkdownContainer"]': "text",
    '[data-testid="stWidgetLabel"]': "field label",
    'button[role="tab"]': "tab",
    '[data-testid="stExpander"] summary': "expander",
  };
  for (const [selector, name] of Object.entries(textBoxes)) {
    for (const node of root.querySelectorAll(selector)) {
      if (!shown(node) || node.closest('[data-testid="stMetric"]')) continue;
      const cut = [node, ...node.querySelectorAll("p, span, div")].some(
        (inner) => tooNarrow(inner) && getComputedStyle(inner).overflowX !== "auto"
          && getComputedStyle(inner).overflowX !== "scroll" && !inner.closest("pre, table"));
      if (cut) report("cut", name, node);
    }
  }

  // --- tables (glide data grid draws on a canvas): the frame must fit the viewport
  for (const table of root.querySelectorAll('[data-testid="stDataFrame"]')) {
    if (!shown(table)) continue;
    const box = table.getBoundingClientRect();
    if (box.right > viewportWidth + TOLERANCE || box.left < -TOLERANCE) {
      report("wide", "table", table, `tabel ${Math.round(box.width)} px`);
    }
  }

  // --- the page itself must not scroll sideways; name the widest elements that make it so
  const scrollers = [document.documentElement, document.body, root,
    document.querySelector('[data-testid="stAppViewContainer"]')].filter(Boolean);
  if (scrollers.some((node) => node.scrollWidth > node.clientWidth + TOLERANCE)) {
    // HTML boxes only: an SVG group's box counts the labels its chart clips away
    const culprits = Array.from(root.querySelectorAll("*")).filter((node) => {
      if (!(node instanceof HTMLElement) || !shown(node)) return false;
      const parent = node.parentElement;
      const right = node.getBoundingClientRect().right;
      return right > viewportWidth + TOLERANCE
        && (!parent || parent.getBoundingClientRect().right <= viewportWidth + TOLERANCE);
    });
    const width = Math.max(...scrollers.map((node) => node.scrollWidth));
    if (culprits.length === 0) report("wide", "page", root, `halaman ${width} px`);
    for (const node of culprits.slice(0, 5)) {
      const testid = node.getAttribute("data-testid");
      const name = testid ? `${node.tagName.toLowerCase()} ${testid}` : node.tagName.toLowerCase();
      const right = Math.round(node.getBoundingClientRect().right);
      report("wide", `page (${name})`, node, clean(node.textContent) || `sampai ${right} px`);
    }
  }
  return defects;
}
