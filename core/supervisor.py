"""`make run`: start the worker and the dashboard as two processes and stop both together.

The scheduler never runs inside Streamlit (Streamlit reruns scripts per session); this parent
process only watches its two children and forwards Ctrl-C / SIGTERM.
"""

from __future__ import annotations

import signal

# Pantau starts its own two child processes with a fixed argv and no shell.
import subprocess  # nosec B404
import sys
import time
from collections.abc import Callable
from types import FrameType

from core.settings import PROJECT_ROOT, Settings

NOT_BUILT_EXIT = 2  # cli.py's exit code for a command whose engine is not built yet
LOCKED_EXIT = 3  # worker.main: another worker already runs on this database
STOP_GRACE_SECONDS = 10


def worker_command(python: str = sys.executable) -> list[str]:
    return [python, str(PROJECT_ROOT / "cli.py"), "schedule"]


def dashboard_command(settings: Settings, python: str = sys.executable) -> list[str]:
    """Streamlit serving serve_app.py's ``st.App``: app.py plus the session cookie's routes."""
    return [
        python, "-m", "streamlit", "run", str(PROJECT_ROOT / "serve_app.py"),
        "--server.address", settings.host, "--server.port", str(settings.port_int),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip


def start(command: list[str]) -> subprocess.Popen[bytes]:
    # Fixed argv built above from our own paths and validated settings; no shell.
    return subprocess.Popen(command, cwd=PROJECT_ROOT)  # noqa: S603  # nosec B603


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM every child, then SIGKILL whatever is still alive after the grace period."""
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()


def supervise(settings: Settings, say: Callable[[str], None] = print) -> int:
    """Run worker + dashboard until the dashboard exits or we are asked to stop."""
    stopping = False

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    worker: subprocess.Popen[bytes] | None = start(worker_command())
    web = start(dashboard_command(settings))
    say(f"Pantau: http://{settings.host}:{settings.port_int}  (Ctrl-C to stop)")
    try:
        while not stopping and web.poll() is None:
            if worker is not None and worker.poll() is not None:
                if worker.returncode == LOCKED_EXIT:
                    say("Another worker already serves this database; the dashboard runs alone.")
                elif worker.returncode == NOT_BUILT_EXIT:
                    say("Worker not available in this version; the dashboard runs on its own.")
                else:
                    say(f"Worker stopped with exit code {worker.returncode}.")
                worker = None
            time.sleep(0.3)
    finally:
        stop([p for p in (worker, web) if p is not None])
    say("Pantau stopped.")
    return 0 if stopping else (web.returncode or 0)
