"""Captions, names and handles come from outside: the dashboard shows them as text, never as
HTML. The browser test proves a script caption stays inert; this keeps the way in shut."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ui.loaders_account import md_escape

ROOT = Path(__file__).resolve().parent.parent
RAW_HTML = re.compile(
    r"unsafe_allow_html\s*=\s*True|\bst\.html\(|components\.v1|components\.html\("
)


def dashboard_sources() -> list[Path]:
    return [
        ROOT / "app.py",
        *sorted((ROOT / "pages").glob("*.py")),
        *sorted((ROOT / "ui").glob("*.py")),
    ]


def test_the_pattern_finds_raw_html() -> None:
    for line in ('st.markdown(x, unsafe_allow_html=True)', "st.html(caption)",
                 "import streamlit.components.v1 as components"):  # fmt: skip
        assert RAW_HTML.search(line), line
    assert not RAW_HTML.search("st.markdown(md_escape(caption))")


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
