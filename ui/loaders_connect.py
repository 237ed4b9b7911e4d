"""Loaders and actions of Sambungkan Akun and of the invite form. The platforms are reached
over the network from here (the consent's code exchange, the revocation)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from core.timeutil import utcnow
from db.engine import make_session_factory
from services import connections, invites
from services.connection_states import connection_states
from services.connections import ConsentOutcome
from services.users import Principal
from ui.auth import ADMIN, OPD, guarded, require, scope, web_token
from ui.resources import get_engine, get_settings

CONNECTORS = (ADMIN, OPD)


@guarded(*CONNECTORS)
def load_connections() -> pd.DataFrame:
    """The accounts the user may connect, with their states (never cached: a consent or a
    disconnection must show at once, and the query is small)."""
    with make_session_factory(get_engine())() as session:
        return connection_states(session, scope(), utcnow())


@guarded(*CONNECTORS)
def load_providers() -> dict[str, bool]:
    return connections.available_providers(get_settings())


def start_connect(provider: str, account_id: int | None) -> str:
    """The platform's consent address for this user and browser (ConnectError if refused)."""
    user = require(*CONNECTORS)
    with make_session_factory(get_engine())() as session:
        return connections.start_consent(
            session, get_settings(), user, web_token(), provider, account_id, utcnow()
        )


def finish_connect(params: Mapping[str, str]) -> ConsentOutcome:
    user = require(*CONNECTORS)
    with make_session_factory(get_engine())() as session:
        outcome = connections.finish_consent(
            session, get_settings(), user, web_token(), params, utcnow()
        )
    st.cache_data.clear()
    return outcome


def disconnect(account_id: int) -> str:
    user = require(*CONNECTORS)
    with make_session_factory(get_engine())() as session:
        message = connections.disconnect(session, get_settings(), user, account_id)
    st.cache_data.clear()
    return message


def create_invite(opd_code: str) -> invites.NewInvite:
    user = require(ADMIN)
    with make_session_factory(get_engine())() as session:
        return invites.create_invite(session, get_settings(), user, opd_code, utcnow())


def invite_opd_name(code: str) -> str:
    """The OPD an invite is for (InviteError when it cannot be used). The code is the key:
    no sign-in is needed to read it."""
    with make_session_factory(get_engine())() as session:
        row = invites.open_invite(session, code, utcnow())
        return invites.opd_name_of(session, row)


def accept_invite(code: str, username: str, password: str) -> Principal:
    with make_session_factory(get_engine())() as session:
        return invites.accept_invite(session, code, username, password, utcnow())
