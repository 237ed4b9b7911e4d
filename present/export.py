"""Static chart export (PNG, SVG) with kaleido and the server's own Chromium.

No Streamlit here: the dashboard's PNG and SVG downloads and the briefing exports both use it.

* **Which browser:** ``BROWSER_PATH`` when set (choreographer's own override), else Debian's
  ``/usr/bin/chromium``, else ``chromium`` on ``PATH``. The path is always passed to kaleido
  explicitly, so choreographer never looks for (or fetches) a browser of its own; kaleido
  only downloads one when ``kaleido.get_chrome()`` is called, which Pantau never does.
* **Offline:** MathJax is disabled (kaleido would load it from a CDN) and plotly.js is the
  copy shipped inside the plotly package.
* **One browser per batch:** :func:`export_images` renders every figure of a report through
  one kaleido session (one Chromium process), never one browser per chart.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from collections.abc import Coroutine, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

import plotly
import plotly.graph_objects as go

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
RENDER_TIMEOUT = 60.0  # seconds for one figure
MESSAGE_ID = (
    "Ekspor gambar memerlukan Chromium. Minta admin server menjalankan: apt-get install chromium"
)
MESSAGE_EN = (
    "Image export needs Chromium, which is not installed. "
    "Install it as root with `apt-get install chromium` (or set BROWSER_PATH)."
)
FAILED_ID = "Ekspor gambar gagal: Chromium tidak dapat dijalankan di server. Coba lagi sebentar."
FAILED_EN = "Image export failed: Chromium could not be started or did not answer in time."

ImageFormat = Literal["png", "svg"]
T = TypeVar("T")


class ExportError(RuntimeError):
    """Export failed; ``message_id`` is for the dashboard, ``str(exc)`` for the CLI."""

    def __init__(self, message_en: str, message_id: str) -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_id = message_id


class ExportUnavailable(ExportError):
    """No Chromium on this server: nothing can be exported until the admin installs it."""

    def __init__(self, detail: str = "") -> None:
        suffix = f" ({detail})" if detail else ""
        super().__init__(MESSAGE_EN + suffix, MESSAGE_ID)


@dataclass(frozen=True)
class ImageSpec:
    """Pixel size of one exported figure (``scale`` multiplies it for sharper PNGs)."""

    width: int = 1200
    height: int | None = None  # None: the figure's own layout height
    scale: float = 2.0


def browser_path() -> Path | None:
    """The Chromium to drive, or None when this server has none."""
    override = os.environ.get("BROWSER_PATH")
    candidates = [Path(override)] if override else [DEBIAN_CHROMIUM]
    if not override and (found := shutil.which("chromium")):
        candidates.append(Path(found))
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return path
    return None


def export_available() -> bool:
    return browser_path() is not None


def require_browser() -> Path:
    path = browser_path()
    if path is None:
        where = os.environ.get("BROWSER_PATH") or str(DEBIAN_CHROMIUM)
        raise ExportUnavailable(f"looked for {where}")
    return path


def _opts(fig: go.Figure, fmt: ImageFormat, spec: ImageSpec) -> dict[str, Any]:
    height = spec.height or fig.layout.height or 500
    return {"format": fmt, "width": spec.width, "height": int(height), "scale": spec.scale}


class BrowserSession:
    """One Chromium (through kaleido) for a whole report, launched in the background.

    Entering starts the browser on a private event-loop thread and returns at once, so the
    caller can read the month's data while Chromium starts; :meth:`export` waits for it.
    Leaving closes the browser. Raises :class:`ExportUnavailable` on entry without Chromium.
    """

    def __init__(self) -> None:
        self._path = require_browser()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="pantau-export", daemon=True
        )
        self._opening: Future[Any] | None = None

    def __enter__(self) -> BrowserSession:
        # kaleido (and with it choreographer) is loaded here, on the caller's thread, before
        # the browser thread starts: importing it on both threads at once fails half-way
        # ("partially initialized module choreographer._brokers").
        import kaleido  # noqa: F401

        self._thread.start()
        self._opening = asyncio.run_coroutine_threadsafe(self._open(), self._loop)
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self._opening is not None and not self._opening.exception():
                self._call(self._opening.result().__aexit__(None, None, None))
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
            self._loop.close()

    async def _open(self) -> Any:
        import kaleido

        plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
        options: dict[str, Any] = {
            "path": str(self._path), "mathjax": False, "timeout": RENDER_TIMEOUT,
        }  # fmt: skip
        if plotly_js.is_file():
            options["plotlyjs"] = str(plotly_js)
        browser = kaleido.Kaleido(**options)
        return await browser.__aenter__()

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()

    def _browser(self) -> Any:
        from choreographer.errors import ChromeNotFoundError

        if self._opening is None:
            raise RuntimeError("use BrowserSession in a with block")
        try:
            return self._opening.result()
        except ChromeNotFoundError as exc:
            raise ExportUnavailable(str(exc)) from exc
        except (OSError, RuntimeError, TimeoutError) as exc:
            raise ExportError(f"{FAILED_EN} ({exc})", FAILED_ID) from exc

    def export(
        self,
        figures: Sequence[go.Figure],
        fmt: ImageFormat = "png",
        specs: Sequence[ImageSpec] | ImageSpec | None = None,
    ) -> list[bytes]:
        """Every figure as PNG or SVG bytes, one after the other in this session's browser."""
        if specs is None or isinstance(specs, ImageSpec):
            specs = [specs or ImageSpec()] * len(figures)
        browser = self._browser()

        async def render() -> list[bytes]:
            return [
                bytes(await browser.calc_fig(fig, opts=_opts(fig, fmt, spec)))
                for fig, spec in zip(figures, specs, strict=True)
            ]

        try:
            return self._call(render())
        except (OSError, RuntimeError, TimeoutError) as exc:
            raise ExportError(f"{FAILED_EN} ({exc})", FAILED_ID) from exc


def export_images(
    figures: Sequence[go.Figure],
    fmt: ImageFormat = "png",
    specs: Sequence[ImageSpec] | ImageSpec | None = None,
) -> list[bytes]:
    """Every figure as PNG or SVG bytes, rendered through one browser session."""
    if not figures:
        return []
    with BrowserSession() as session:
        return session.export(figures, fmt, specs)


# The dashboard's download buttons: a PNG sharp enough for WhatsApp and slides, an SVG to edit.
DOWNLOAD_SPECS: dict[ImageFormat, ImageSpec] = {
    "png": ImageSpec(width=1200, scale=2),
    "svg": ImageSpec(width=1000, scale=1),
}


def figure_image(fig: go.Figure, fmt: ImageFormat) -> bytes:
    """One figure as PNG or SVG (the dashboard's "Unduh PNG" and "Unduh SVG" buttons)."""
    return export_images([fig], fmt, DOWNLOAD_SPECS[fmt])[0]
