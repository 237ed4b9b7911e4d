"""Cached loaders: the only way pages get data. Engine cached, sessions never."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from db import queries
from db.engine import make_session_factory
from present.tables import TableView
from present.tags import account_names, tag_board_table
from services.overview import Overview, opds_without_account, overview
from services.ranking import ranking_with_measures
from services.tags import month_tags
from ui.auth import STAFF, guarded
from ui.resources import TTL_SECONDS, get_engine, get_settings


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_is_demo() -> bool:
    with make_session_factory(get_engine())() as session:
        return queries.is_demo(session)


@guarded(*STAFF)
@st.cache_data(ttl=TTL_SECONDS, show_spinner="Memuat ringkasan…")
def load_overview(month: str) -> Overview:
    with make_session_factory(get_engine())() as session:
        return overview(session, month, get_settings())


@guarded(*STAFF)
@st.cache_data(ttl=TTL_SECONDS, show_spinner="Menghitung peringkat…")
def load_ranking(month: str, by: str) -> pd.DataFrame:
    with make_session_factory(get_engine())() as session:
        return ranking_with_measures(session, month, get_settings(), by=by)


@guarded(*STAFF)
@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def load_opds_without_account() -> pd.DataFrame:
    """The registry's OPDs with no watched account (Ringkasan, Akun Dorman, Peringkat)."""
    with make_session_factory(get_engine())() as session:
        return opds_without_account(session)


@dataclass(frozen=True)
class TagTables:
    """Peringkat's "Tagar dan sebutan": the month's leaderboards, ready to show."""

    posts: int
    captioned: int
    hashtags: TableView
    mentions: TableView


@guarded(*STAFF)
@st.cache_data(ttl=TTL_SECONDS, show_spinner="Menghitung tagar dan sebutan…")
def load_tag_tables(month: str) -> TagTables:
    with make_session_factory(get_engine())() as session:
        tags = month_tags(session, month, get_settings())
    names = account_names(tags.accounts)
    return TagTables(
        posts=tags.posts,
        captioned=tags.captioned,
        hashtags=tag_board_table(tags.hashtags, names, "#", "Tagar"),
        mentions=tag_board_table(tags.mentions, names, "@", "Akun yang disebut"),
    )


_seen = {"stamp": ""}
_seen_lock = threading.Lock()


def refresh_when_data_changed() -> bool:
    """Empty every cached loader once another process has written new data (a collection,
    an import, a registry change), so the pages show it at once. True when it did."""
    with make_session_factory(get_engine())() as session:
        stamp = queries.data_stamp(session)
    with _seen_lock:
        changed = bool(_seen["stamp"]) and stamp != _seen["stamp"]
        _seen["stamp"] = stamp
    if changed:
        st.cache_data.clear()
    return changed


def reload_data() -> None:
    """The "Muat ulang data" button: read everything afresh now."""
    st.cache_data.clear()
