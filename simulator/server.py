"""The simulator as a local HTTP server (standard library only), bound to loopback only."""

from __future__ import annotations

import ipaddress
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

import httpx

from simulator.core import Simulator
from simulator.credentials import sim_settings_env
from simulator.http import SimRequest
from simulator.world import SimWorld

SERVER_TIMEOUT_MAX = 120.0


def check_loopback(host: str) -> None:
    """ValueError unless ``host`` is a loopback address (the simulator never listens outside)."""
    if host == "localhost":
        return
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError as exc:
        raise ValueError(f"the simulator binds to loopback only, not {host!r}") from exc
    if not address.is_loopback:
        raise ValueError(f"the simulator binds to loopback only, not {host!r}")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    sim: Simulator


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:  # Meta's revoke: DELETE me/permissions
        self._dispatch()

    def _dispatch(self) -> None:
        sim = self.server.sim
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        host = self.headers.get("host") or httpx.URL(sim.root).netloc.decode("ascii")
        url = httpx.URL(f"http://{host}{self.path}")
        headers = httpx.Headers(list(self.headers.items()))
        delay, answer = sim.decide(SimRequest(self.command, url, headers, body))
        if delay > 0:
            sim.sleep(delay)
        response = answer()
        if response.timeout is not None:  # stay silent, then hang up
            time.sleep(min(response.timeout, SERVER_TIMEOUT_MAX))
            self.close_connection = True
            return
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the simulator serves thousands of requests in a benchmark."""


class SimServer:
    """A running loopback server; use as a context manager or call :meth:`shutdown`."""

    def __init__(self, sim: Simulator, port: int = 0, host: str = "127.0.0.1") -> None:
        check_loopback(host)
        self.sim = sim
        self._httpd = _Server((host, port), _Handler)
        self._httpd.sim = sim
        address = self._httpd.server_address
        bound_host, self.port = str(address[0]), int(address[1])
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        sim.root = f"http://{shown}:{self.port}"
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return self.sim.root

    def start(self) -> SimServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def shutdown(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    def __enter__(self) -> SimServer:
        return self.start() if self._thread is None else self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.shutdown()


def start_server(world: SimWorld | Simulator, port: int = 0, host: str = "127.0.0.1") -> SimServer:
    """Serve in a background thread (port 0: any free port); the caller shuts it down."""
    sim = world if isinstance(world, Simulator) else Simulator(world)
    return SimServer(sim, port, host).start()


def serve(port: int, world: SimWorld, host: str = "127.0.0.1") -> None:
    """Serve ``world`` on ``host:port`` until interrupted (blocking)."""
    server = SimServer(Simulator(world), port, host)
    try:
        server.serve_forever()
    finally:
        server.shutdown()


def setup_lines(sim: Simulator) -> list[str]:
    """Shell lines that point Pantau at ``sim`` (the credentials are fake)."""
    lines = [f"export {name}={value}" for name, value in sim_settings_env(sim).items()]
    lines.append("# TikTok: one access token per account (handle  token)")
    lines += [
        f"#   {a.handle}  {sim.world.tiktok_token(a.handle)}" for a in sim.world.accounts("tiktok")
    ]
    return lines


def run_server(port: int, world: SimWorld) -> None:
    """Serve ``world`` on 127.0.0.1 until Ctrl-C, printing the settings."""
    server = SimServer(Simulator(world), port)
    print("\n".join(setup_lines(server.sim)), flush=True)
    print(f"# simulator listening on {server.url} (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
