"""Streamlit's and plotly's own widget words, translated in the browser from one table: every
English word has an Indonesian one, and the script carries the table and nothing else."""

from __future__ import annotations

import json
import re
import tomllib

from present.labels import WIDGET_SIZE_LINE, WIDGET_WORDS
from tests.app_support import ROOT
from ui.browser_script import TRANSLATE_SCRIPT, js_string

ENGLISH_ONLY = re.compile(
    r"\b(the|file|files|plot|as|and|here|on|to|show|select|zoom|reset)\b", re.I
)


def test_every_english_word_has_an_indonesian_one() -> None:
    assert len(WIDGET_WORDS) >= 20
    for english, indonesian in WIDGET_WORDS.items():
        assert indonesian.strip() and indonesian != english, english
        assert not ENGLISH_ONLY.search(indonesian), indonesian
        # a translation is never itself a key: the script's own change cannot loop
        assert indonesian not in WIDGET_WORDS, indonesian
    for needed in ("Download as CSV", "Search", "Fullscreen", "Upload", "Download plot as a PNG"):
        assert needed in WIDGET_WORDS, needed


def test_the_upload_size_line_keeps_its_size() -> None:
    pattern, replacement = WIDGET_SIZE_LINE
    js_like = replacement.replace("$1", r"\1")
    assert re.sub(pattern, js_like, "20MB per file") == "20MB per berkas"
    assert re.sub(pattern, js_like, "Limit 200MB per file and more") == (
        "Limit 200MB per file and more"  # only the whole line, nothing around it
    )


def test_the_script_holds_only_the_table() -> None:
    literal = js_string(json.dumps(WIDGET_WORDS, ensure_ascii=False))
    assert json.loads(json.loads(literal)) == WIDGET_WORDS
    assert "%(words)s" in TRANSLATE_SCRIPT and TRANSLATE_SCRIPT.count("%(") == 3
    assert "innerHTML" not in TRANSLATE_SCRIPT and "eval(" not in TRANSLATE_SCRIPT


def test_the_uploader_limit_is_what_the_imports_take() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == 20
