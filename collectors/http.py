"""The one request helper every collector uses: timeouts, retries, rate-limit signals.

* :func:`build_client` makes the shared ``httpx.Client`` (20 s timeout, Pantau User-Agent).
* :class:`RequestHelper` sends one logical request with bounded retries (``tenacity``,
  exponential backoff plus jitter) for timeouts, connection errors, 5xx and short throttles;
  honours ``Retry-After`` / ``x-rate-limit-reset`` up to ``HttpOptions.max_wait`` (beyond it,
  :class:`~collectors.base.RateLimited` with ``retry_after`` so the pass moves on); pauses all
  calls of the platform when Meta usage headers reach 80 %; maps error bodies through the
  platform's classifier (:mod:`collectors.errors`); and counts every HTTP attempt it sends.
* Sleep and clock are injectable (:class:`HttpOptions`) so tests never really wait.
* No token or key reaches an exception or a log line: see :mod:`collectors.redact`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
    wait_random,
)

from collectors.base import CollectorError, TransientError
from collectors.errors import NOT_JSON, Classifier, Throttled, generic_error
from collectors.messages import message
from collectors.redact import install_log_filter, redact_url, request_secrets, scrub
from collectors.usage import meta_usage_pause, server_wait, x_exhausted_wait
from core.settings import Settings

__all__ = ["USER_AGENT", "HttpOptions", "RequestCounter", "RequestHelper", "build_client"]

USER_AGENT = "Pantau/0.1 (+Diskominfo)"
DEFAULT_TIMEOUT = 20.0
log = logging.getLogger("pantau.collectors")
install_log_filter()


def build_client(settings: Settings, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """The shared client: 20 s timeouts, Pantau's User-Agent, redirects followed.

    ``settings`` is accepted so the client can grow per-deployment options (proxy, CA bundle)
    without changing callers; ``transport`` lets tests and the simulator serve responses.
    """
    del settings  # nothing deployment-specific yet
    return httpx.Client(
        timeout=httpx.Timeout(DEFAULT_TIMEOUT, connect=10.0),
        headers={"User-Agent": USER_AGENT},
        follow_redirects=True,
        transport=transport,
    )


class RequestCounter:
    """Thread-safe count of HTTP attempts; share one per pass across every helper."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._count = 0

    def add(self, n: int = 1) -> None:
        with self._lock:
            self._count += n

    @property
    def count(self) -> int:
        return self._count


@dataclass(frozen=True)
class HttpOptions:
    """Retry and pacing policy; ``sleep`` and ``clock`` (epoch seconds) are injectable."""

    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    max_attempts: int = 4
    max_wait: float = 60.0  # longest server-requested wait honoured inside a pass
    backoff_initial: float = 1.0
    backoff_max: float = 30.0
    jitter: float = 1.0
    usage_threshold: float = 80.0  # Meta usage percentage that triggers a pause
    counter: RequestCounter = field(default_factory=RequestCounter)


class _Retry(Exception):
    """Internal: a retryable failure, with the server's requested wait when it sent one."""

    def __init__(self, error: CollectorError, wait: float | None) -> None:
        super().__init__(str(error))
        self.error = error
        self.wait = wait


class RequestHelper:
    """Sends requests for one platform; thread-safe, so one helper can serve a whole pass."""

    def __init__(
        self,
        client: httpx.Client,
        platform: str,
        classify: Classifier,
        options: HttpOptions | None = None,
    ) -> None:
        self.client = client
        self.platform = platform
        self.classify = classify
        self.options = options or HttpOptions()
        self.requests = 0  # HTTP attempts sent by this helper (retries included)
        self.paused_until = 0.0  # clock time before which no request is sent
        self._lock = threading.Lock()
        opts = self.options
        self._backoff = wait_exponential_jitter(
            multiplier=opts.backoff_initial, max=opts.backoff_max, jitter=opts.jitter
        )
        self._hint_jitter = wait_random(0, opts.jitter)

    def request_json(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        classify: Classifier | None = None,
        before_send: Callable[[], None] | None = None,
    ) -> Any:
        """The decoded JSON body of a successful response; a CollectorError otherwise."""
        request = self.client.build_request(
            method, url, params=params, headers=headers, json=json, data=data
        )
        _, body = self._send(request, classify or self.classify, True, before_send)
        return body

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        classify: Classifier | None = None,
        before_send: Callable[[], None] | None = None,
    ) -> httpx.Response:
        """The raw response (any non-retryable status); for callers that inspect it themselves."""
        request = self.client.build_request(method, url, params=params, headers=headers)
        response, _ = self._send(request, classify or self.classify, False, before_send)
        return response

    def pause_for(self, seconds: float) -> None:
        """Hold every later request of this helper for ``seconds`` (shared across threads)."""
        with self._lock:
            self.paused_until = max(self.paused_until, self.options.clock() + seconds)

    def _send(
        self,
        request: httpx.Request,
        classify: Classifier,
        want_json: bool,
        before_send: Callable[[], None] | None,
    ) -> tuple[httpx.Response, Any]:
        retrying = Retrying(
            stop=stop_after_attempt(max(1, self.options.max_attempts)),
            wait=self._wait,
            retry=retry_if_exception_type(_Retry),
            sleep=self.options.sleep,
            before_sleep=self._log_retry,
            reraise=True,
        )
        try:
            return retrying(self._attempt, request, classify, want_json, before_send)
        except _Retry as exc:
            raise exc.error from None

    def _attempt(
        self,
        request: httpx.Request,
        classify: Classifier,
        want_json: bool,
        before_send: Callable[[], None] | None,
    ) -> tuple[httpx.Response, Any]:
        self._honour_pause()
        if before_send is not None:
            before_send()  # e.g. spend a YouTube quota unit; may raise to stop cleanly
        self._count()
        secrets = request_secrets(request)
        try:
            response = self.client.send(request)
        except (httpx.TimeoutException, httpx.TransportError) as exc:
            detail = f"{self.platform}: {type(exc).__name__} on {request.method} "
            timeout = TransientError(
                scrub(detail + redact_url(request.url), secrets),
                message(self.platform, "transient"),
            )
            raise _Retry(timeout, None) from None
        self._note_usage(response)
        status = response.status_code
        body = _decode(response) if want_json or status >= 400 else NOT_JSON
        error = classify(response, body)
        if error is None and (want_json or status == 429 or status >= 500):
            error = generic_error(self.platform, response, body)
        if error is None:
            return response, body
        error.args = (scrub(str(error), secrets),)
        self._raise(error, response)
        raise AssertionError("unreachable")  # pragma: no cover

    def _raise(self, error: CollectorError, response: httpx.Response) -> None:
        """Raise ``error`` as final, or wrapped for a retry when waiting is worthwhile."""
        if not isinstance(error, TransientError | Throttled):
            raise error
        wait = server_wait(response, self.options.clock)
        if wait is not None:
            error.retry_after = wait
            if wait > self.options.max_wait:
                raise error
        raise _Retry(error, wait)

    def _wait(self, state: RetryCallState) -> float:
        outcome = state.outcome
        exc = outcome.exception() if outcome is not None else None
        if isinstance(exc, _Retry) and exc.wait is not None:
            return exc.wait + float(self._hint_jitter(state))
        return float(self._backoff(state))

    def _log_retry(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome is not None else None
        log.warning("retry %d after %s", state.attempt_number, exc)

    def _honour_pause(self) -> None:
        with self._lock:
            remaining = self.paused_until - self.options.clock()
        if remaining > 0:
            log.info("%s: pausing %.1f s for rate limits", self.platform, remaining)
            self.options.sleep(remaining)

    def _count(self) -> None:
        with self._lock:
            self.requests += 1
        self.options.counter.add()

    def _note_usage(self, response: httpx.Response) -> None:
        """Pace later calls from Meta usage headers and X's ``remaining: 0``."""
        pause = meta_usage_pause(response, self.options.usage_threshold, self.options.max_wait)
        exhausted = x_exhausted_wait(response, self.options.clock)
        if exhausted is not None and exhausted <= self.options.max_wait:
            pause = max(pause, exhausted)
        if pause > 0:
            self.pause_for(pause)


def _decode(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return NOT_JSON
