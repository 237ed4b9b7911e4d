"""Demo logins (issue #18 item 7): their password is public, so `serve` creates them only when
the dashboard listens on this machine alone; elsewhere it says how to add a real admin."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from commands.collect import announce_logins
from core.loopback import is_loopback
from db.models import User
from db.repository import set_meta
from services.users import DEMO_PASSWORD, DEMO_USERS, ensure_demo_users

EVERY_INTERFACE = "0.0.0.0"  # noqa: S104  # nosec B104 - the address under test, not bound
DEMO_NAMES = sorted(name for name, _role, _opd in DEMO_USERS)


@pytest.fixture
def demo_world(session: Session) -> Session:
    """An empty database marked as the demo world, with the demo's OPD for its opd login."""
    from db import repository as repo

    set_meta(session, "data_source", "demo")
    repo.upsert_opd(session, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
    session.commit()
    return session


def _user_names(session: Session) -> list[str]:
    return sorted(session.scalars(select(User.username)))


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost", "127.0.1.1", "[::1]"])
def test_loopback_addresses(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize(
    "host", [EVERY_INTERFACE, "::", "10.1.2.3", "192.168.0.10", "pantau.lan", ""]
)
def test_addresses_beyond_this_machine(host: str) -> None:
    assert not is_loopback(host)


def test_on_loopback_the_demo_logins_are_created_and_printed(
    demo_world: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    announce_logins(demo_world, "127.0.0.1")
    assert _user_names(demo_world) == DEMO_NAMES
    assert f"password {DEMO_PASSWORD}" in capsys.readouterr().out


def test_on_the_network_no_demo_login_is_created_and_a_real_admin_is_asked_for(
    demo_world: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    announce_logins(demo_world, EVERY_INTERFACE)
    assert _user_names(demo_world) == []
    out = capsys.readouterr().out
    assert "python cli.py user add NAME --role admin" in out
    assert DEMO_PASSWORD not in out


def test_demo_logins_left_from_a_loopback_run_are_pointed_out(
    demo_world: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    ensure_demo_users(demo_world)
    announce_logins(demo_world, "10.1.2.3")
    printed = capsys.readouterr()
    assert "python cli.py user add NAME --role admin" in printed.out
    assert "demo logins with the public password exist: admin, peninjau, diskominfo" in (
        printed.err.replace("\n", "")
    )
