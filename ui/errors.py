"""The one guard every page runs inside: a failure shows a plain Indonesian message with a
short reference, and the full error goes to the server's log under that reference (secrets
masked), never to the visitor's screen."""

from __future__ import annotations

import logging
import secrets
import traceback
from collections.abc import Callable

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from ui.loaders import base_settings
from worker.logs import Redactor, secret_values

LOG = logging.getLogger("pantau.dashboard")
PAGE_FAILED = (
    "Maaf, halaman **{page}** tidak dapat ditampilkan karena terjadi kesalahan saat memuat "
    "datanya. Coba muat ulang halaman ini. Jika masih gagal, kirimkan kode kejadian "
    "**{ref}** kepada pengelola server Pantau: kode itu menunjuk baris log dasbor yang "
    "memuat rinciannya."
)


def run_guarded(run: Callable[[], object], page: str, user: str | None) -> str | None:
    """Run a page; on failure log it and show :data:`PAGE_FAILED`. Returns the reference of
    the failure, or None when the page ran. Streamlit's own stop and rerun pass through."""
    try:
        run()
    except ScriptControlException:
        raise
    except Exception as exc:
        ref = secrets.token_hex(4)
        trace = "".join(traceback.format_exception(exc))
        LOG.error("page failed ref=%s page=%s user=%s\n%s", ref, page, user or "-", _masked(trace))
        st.error(PAGE_FAILED.format(page=page, ref=ref), icon=":material/error:")
        return ref
    return None


def _masked(text: str) -> str:
    try:
        return Redactor(secret_values(base_settings()))(text)
    except Exception:  # settings themselves unreadable: mask the usual shapes only
        return Redactor([])(text)
