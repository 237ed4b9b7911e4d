"""Static chart export: Debian's Chromium, one browser per batch, never a download."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kaleido
import plotly.graph_objects as go
import pytest

from present import export
from present.charts import house_layout

HAS_CHROMIUM = export.browser_path() is not None
needs_chromium = pytest.mark.skipif(not HAS_CHROMIUM, reason="Chromium is not installed")


@pytest.fixture(autouse=True)
def no_browser_download(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to fetch a browser fails the test."""
    import choreographer.cli

    def forbidden(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a browser download was attempted")

    for module in (kaleido, choreographer.cli):
        monkeypatch.setattr(module, "get_chrome", forbidden, raising=False)
        monkeypatch.setattr(module, "get_chrome_sync", forbidden, raising=False)
    monkeypatch.delenv("BROWSER_PATH", raising=False)


def figure(n: int) -> go.Figure:
    return house_layout(go.Figure(go.Bar(x=["a", "b"], y=[n, 12_345])), f"Grafik {n}", 300)


def test_missing_browser_gives_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    assert export.browser_path() is None
    assert not export.export_available()
    with pytest.raises(export.ExportUnavailable) as caught:
        export.export_images([figure(1)])
    assert caught.value.message_id == (
        "Ekspor gambar memerlukan Chromium. "
        "Minta admin server menjalankan: apt-get install chromium"
    )
    assert "apt-get install chromium" in str(caught.value)
    assert "/nonexistent/chromium" in str(caught.value)


def test_debian_chromium_is_the_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setattr(export, "DEBIAN_CHROMIUM", fake)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert export.browser_path() == fake
    monkeypatch.setenv("BROWSER_PATH", str(fake))
    assert export.browser_path() == fake


def test_no_figures_need_no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    assert export.export_images([]) == []


@needs_chromium
def test_one_browser_renders_the_whole_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    launched: list[dict[str, Any]] = []

    class Counting(kaleido.Kaleido):
        def __init__(self, **kwargs: Any) -> None:
            launched.append(kwargs)
            super().__init__(**kwargs)

    monkeypatch.setattr(kaleido, "Kaleido", Counting)
    pngs = export.export_images([figure(i) for i in range(4)], "png")
    assert len(launched) == 1
    assert launched[0]["path"] == str(export.browser_path())
    assert launched[0]["mathjax"] is False  # no CDN
    assert len(pngs) == 4 and all(p.startswith(b"\x89PNG") for p in pngs)


@needs_chromium
def test_svg_export_keeps_indonesian_labels() -> None:
    svg = export.figure_image(figure(7), "svg").decode("utf-8")
    assert svg.startswith("<svg") and "Grafik 7" in svg
    assert ">10.000<" in svg  # axis ticks with the Indonesian thousands separator


@needs_chromium
def test_png_download_is_twice_the_pixels() -> None:
    png = export.figure_image(figure(3), "png")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert png.startswith(b"\x89PNG") and (width, height) == (2400, 600)
