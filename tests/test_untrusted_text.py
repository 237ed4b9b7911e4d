"""Captions, names and handles come from outside: the dashboard shows them as text, never as
HTML. The browser test proves a script caption stays inert; this keeps the way in shut."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from present.markdown import md_escape

ROOT = Path(__file__).resolve().parent.parent
# every way Streamlit 1.x renders raw HTML or JavaScript: the markdown flag (any value but
# False), st.html, and custom components (v1, v2)
RAW_HTML = re.compile(
    r"unsafe_allow_html\s*=\s*(?!False\b)|\bst\.html\(|\bcomponents\.v[12]\b|components\.html\("
)


# the one module that runs a script of the dashboard's own (the session cookie, the way to a
# consent page): its values are JSON literals, tested below
OWN_SCRIPT = ROOT / "ui" / "browser_script.py"
# the one module that renders the dashboard's own CSS: constants only, tested below
OWN_STYLE = ROOT / "ui" / "style.py"


def dashboard_sources() -> list[Path]:
    paths = [
        ROOT / "app.py",
        *sorted((ROOT / "pages").glob("*.py")),
        *sorted((ROOT / "ui").glob("*.py")),
    ]
    return [path for path in paths if path not in (OWN_SCRIPT, OWN_STYLE)]


def test_the_own_script_cannot_be_closed_by_a_value() -> None:
    from ui.browser_script import go_to, js_string

    hostile = 'x"</script><script>alert(1)</script>&amp;'
    literal = js_string(hostile)
    assert "<" not in literal and ">" not in literal and "&" not in literal
    assert json.loads(literal) == hostile  # still the same text for the script
    with pytest.raises(ValueError):
        go_to("javascript:alert(1)")


def test_the_own_style_is_one_constant_style_element() -> None:
    from ui import style

    sheet = style.stylesheet()
    assert sheet.startswith("<style>") and sheet.endswith("</style>")
    inner = sheet[len("<style>") : -len("</style>")]
    assert "<" not in inner and ">" not in inner.replace("> .stColumn", "")
    assert "script" not in inner.lower() and "url(" not in inner
    # the only raw HTML the module renders is that stylesheet
    source = OWN_STYLE.read_text(encoding="utf-8")
    assert [line.strip() for line in source.splitlines() if RAW_HTML.search(line)] == [
        "st.html(stylesheet())"
    ]


def test_the_pattern_finds_raw_html() -> None:
    for line in ("st.markdown(x, unsafe_allow_html=True)", "st.markdown(x, unsafe_allow_html=raw)",
                 "st.html(caption)", "import streamlit.components.v1 as components",
                 "from streamlit.components.v2 import component"):  # fmt: skip
        assert RAW_HTML.search(line), line
    assert not RAW_HTML.search("st.markdown(md_escape(caption))")
    assert not RAW_HTML.search("st.markdown(text, unsafe_allow_html=False)")


@pytest.mark.parametrize("path", dashboard_sources(), ids=lambda p: p.name)
def test_no_page_renders_raw_html(path: Path) -> None:
    found = [
        f"{path.name}:{n}: {line.strip()}"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if RAW_HTML.search(line)
    ]
    assert not found, found


def test_markdown_in_names_is_shown_literally() -> None:
    name = "Dinas *Kesehatan* [klik](javascript:alert(1)) <b>x</b> `kode` _a_"
    escaped = md_escape(name)
    for special in ("*", "[", "]", "(", ")", "`", "_", "<", ">"):
        assert f"\\{special}" in escaped or special not in name, special
    assert escaped.replace("\\", "") == name
