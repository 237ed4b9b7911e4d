"""The dashboard's own CSS, in one place: rules Streamlit's options cannot express (a phone
layout for metric rows, the chart toolbar on a phone, the sign-in column).

The rules are constants of this module, never built from data, and are injected once per page
run by :func:`inject`: ``ui.navigation.guard_page`` (every page, also one opened by its address
without app.py) and app.py's sign-in and no-database screens, which run no page. Elements are
found by Streamlit's stable class names (``stHorizontalBlock``, ``stColumn``) and test ids, and
by the class ``st-key-<key>`` that ``st.container(key=...)`` gives a container.
"""

from __future__ import annotations

import streamlit as st

from ui.browser_script import translate_widgets

PHONE = "(max-width: 640px)"  # Streamlit stacks columns one per row below this width
SIGN_IN_KEY = "pantau_masuk"  # the sign-in column: st.container(key=SIGN_IN_KEY)

# A row of metrics (the innermost column row holding a metric) wraps two per row on a phone,
# in the order written, instead of Streamlit's one per row. Pages put at most four metrics in
# one st.columns row, so the order of a wrapped row is the order of reading.
METRIC_ROWS = f"""
@media {PHONE} {{
  .stHorizontalBlock:has(> .stColumn [data-testid="stMetric"]):not(:has(.stHorizontalBlock)) {{
    flex-wrap: wrap !important;
    flex-direction: row !important;
    gap: 0.75rem !important;
  }}
  .stHorizontalBlock:has(> .stColumn [data-testid="stMetric"]):not(:has(.stHorizontalBlock))
    > .stColumn {{
    min-width: calc(50% - 0.5rem) !important;
    max-width: calc(50% - 0.5rem) !important;
    flex: 1 1 calc(50% - 0.5rem) !important;
  }}
}}
"""

# A metric's label and change wrap onto a second line rather than end in "…": six metrics in
# a row on a laptop (Detail Akun) or two on a phone leave a long label ("Waktu balasan pertama
# (median)") or a change ("tidak berubah dari Oktober 2026") too little width for one line.
METRIC_TEXT = """
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *,
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * {
  white-space: normal !important;
  overflow: visible !important;
  text-overflow: clip !important;
}
[data-testid="stMetricLabel"], [data-testid="stMetricDelta"] { height: auto !important; }
"""

# A table's own "Download as CSV" writes the values the table sorts by (Infinity for "belum
# pernah", 1900-01-01 for an unknown date, 0.0235 for "2,35%"), not what the page shows; the
# pages offer their own downloads, so the button is hidden (its label may be translated).
TABLE_CSV = """
[data-testid="stElementToolbarButton"]:has(button[aria-label^="Download as CSV"]),
[data-testid="stElementToolbarButton"]:has(button[aria-label^="Unduh sebagai CSV"]) {
  display: none !important;
}
"""

# Plotly's mode bar covers the chart's title on a narrow screen and is hard to hit with a
# finger; the page's own download buttons stay below every chart.
PHONE_CHARTS = f"""
@media {PHONE} {{
  .modebar-container, .modebar {{ display: none !important; }}
}}
"""

# The sign-in form in a centred column: about 420 px on a desktop, the full width on a phone.
SIGN_IN = f"""
.st-key-{SIGN_IN_KEY} {{
  max-width: 420px;
  margin-left: auto;
  margin-right: auto;
}}
"""

# --- cards and tables on a phone (D) ----------------------------------------------------------
# ui.account_lists.table_or_cards renders a list twice, as a table in st.container(key=
# WIDE_KEY_PREFIX + key) and as cards in st.container(key=CARDS_KEY_PREFIX + key); only the
# width tells which one reads, so these rules hide the other one.
WIDE_KEY_PREFIX = "lebar_"
CARDS_KEY_PREFIX = "kartu_"
CARDS = f"""
@media not all and {PHONE} {{
  [class*="st-key-{CARDS_KEY_PREFIX}"] {{ display: none !important; }}
}}
@media {PHONE} {{
  [class*="st-key-{WIDE_KEY_PREFIX}"] {{ display: none !important; }}
}}
"""
# --- end of cards and tables ------------------------------------------------------------------

RULES = (METRIC_ROWS, METRIC_TEXT, TABLE_CSV, PHONE_CHARTS, SIGN_IN, CARDS)


def stylesheet() -> str:
    """Every rule as one <style> element."""
    return "<style>" + "".join(RULES) + "</style>"


def inject() -> None:
    """Add the stylesheet to this page run (a <style> only element takes no space), and the
    script that puts Streamlit's own widget words into Indonesian (it has no locale)."""
    st.html(stylesheet())
    translate_widgets()
