"""The one guard every page runs inside: a failure shows a plain Indonesian message with a
short reference, and the full error goes to the server's log under that reference (secrets
masked), never to the visitor's screen. :func:`outside_pages` does the same for the checks
app.py makes before any page runs (an unreachable database fails there first)."""

from __future__ import annotations

import functools
import logging
import secrets
import traceback
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import RerunException, StopException

from core.redact import Redactor, secret_values
from ui.resources import base_settings
from ui.style import inject

LOG = logging.getLogger("pantau.dashboard")
P = ParamSpec("P")
T = TypeVar("T")
ACTION_FAILED = (
    "Maaf, perintah ini tidak dapat dijalankan karena terjadi kesalahan; tidak ada yang "
    "berubah. Coba sekali lagi. Jika masih gagal, kirimkan kode kejadian **{ref}** kepada "
    "pengelola server Pantau."
)
PAGE_FAILED = (
    "Maaf, halaman **{page}** tidak dapat ditampilkan karena terjadi kesalahan saat memuat "
    "datanya. Coba muat ulang halaman ini. Jika masih gagal, kirimkan kode kejadian "
    "**{ref}** kepada pengelola server Pantau: kode itu menunjuk baris log dasbor yang "
    "memuat rinciannya."
)

DATABASE_DOWN = (
    "Maaf, Pantau tidak dapat terhubung ke basis datanya saat ini, jadi halaman belum dapat "
    "ditampilkan. Coba muat ulang halaman ini beberapa saat lagi. Jika masih gagal, kirimkan "
    "kode kejadian **{ref}** kepada pengelola server Pantau."
)


def outside_pages(check: Callable[[], T]) -> T:
    """Run one of app.py's checks before any page (the database's revision, the visitor's
    session). When it fails (the database server is down, a SQLite folder cannot be made)
    the visitor sees :data:`DATABASE_DOWN` with a reference instead of Streamlit's exception
    box, the details go to the log, and the run stops."""
    try:
        return check()
    except (StopException, RerunException):
        raise
    except Exception as exc:
        ref = _log_failure(exc, f"before the page ({getattr(check, '__name__', 'check')})", None)
        inject()  # no page runs, and a page brings the house CSS
        st.error(DATABASE_DOWN.format(ref=ref), icon=":material/cloud_off:")
        st.stop()


def guarded_action(action: Callable[P, None]) -> Callable[P, None]:
    """For button callbacks, which Streamlit runs before the page (outside its guard): a
    failure is logged with a reference and shown as :data:`ACTION_FAILED`."""

    @functools.wraps(action)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            action(*args, **kwargs)
        except (StopException, RerunException):
            raise
        except Exception as exc:
            ref = _log_failure(exc, f"action {action.__name__}", None)
            st.error(ACTION_FAILED.format(ref=ref), icon=":material/error:")

    return run


def _log_failure(exc: BaseException, where: str, user: str | None) -> str:
    ref = secrets.token_hex(4)
    trace = "".join(traceback.format_exception(exc))
    LOG.error("page failed ref=%s page=%s user=%s\n%s", ref, where, user or "-", _masked(trace))
    return ref


def run_guarded(run: Callable[[], object], page: str, user: str | None) -> str | None:
    """Run a page; on failure log it and show :data:`PAGE_FAILED`. Returns the reference of
    the failure, or None when the page ran. Streamlit's own stop and rerun pass through."""
    try:
        run()
    except (StopException, RerunException):
        raise
    except Exception as exc:
        ref = _log_failure(exc, page, user)
        st.error(PAGE_FAILED.format(page=page, ref=ref), icon=":material/error:")
        return ref
    return None


def _masked(text: str) -> str:
    try:
        return Redactor(secret_values(base_settings()))(text)
    except Exception:  # settings themselves unreadable: mask the usual shapes only
        return Redactor([])(text)
