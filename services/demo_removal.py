"""Leaving the demo world: what it holds here, and its removal in one transaction.

Removed: the demo's accounts with everything about them (posts, follower snapshots, the runs
that read only them and their results, tokens, monthly totals, reminders, stored rankings), the
demo logins with their sessions, the OPD admin contacts the demo made up (fictional names and
numbers, which a reminder must never reach), and the ``data_source = demo`` mark, so no page,
report or command says DATA DEMO any more. Kept: the OPD registry and every account the office
added itself, with its history.

A demo login is one of :data:`services.users.DEMO_USERS` whose password is still the published
demo password; one whose password was changed has been taken over by a person and stays.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.passwords import verify_password
from core.timeutil import utcnow
from db import audit, demo_store
from db.models import Opd, User
from db.queries import is_demo
from services import audit as trail
from services.users import ADMIN, DEMO_PASSWORD, DEMO_USERS

# what the CLI and the page report, in this order (tables not named here are summed in "other")
REPORTED_TABLES = (
    "accounts", "posts", "follower_snapshots", "collection_runs", "account_results",
    "reminders", "month_scores", "account_months", "account_tokens", "users", "web_sessions",
)  # fmt: skip
MIXED_DATABASE = (
    "This database holds the demo world and real accounts; remove the demo with "
    "`python cli.py demo --remove` (real accounts and the OPD registry are kept), then start again."
)


DEMO_SOURCE = "data demo"  # the audit entry's target
DEMO_REMOVED = "registry.demo_removed"


class NoOtherAdmin(RuntimeError):
    """Removing the demo would leave the dashboard without any admin who can sign in."""


@dataclass(frozen=True)
class DemoState:
    """What this database holds of the demo world."""

    holds_demo: bool  # data_source = demo (the pages say DATA DEMO): the demo was loaded
    demo_accounts: int
    real_accounts: int
    opds: int

    @property
    def mixed(self) -> bool:
        return self.holds_demo and self.real_accounts > 0


@dataclass(frozen=True)
class DemoRemoval:
    """What one removal did; all zero (``removed_nothing``) when there was no demo to remove."""

    rows: Counter[str] = field(default_factory=Counter)  # rows deleted per table
    logins: tuple[str, ...] = ()
    contacts_cleared: int = 0  # OPDs whose made-up admin contact was emptied
    opds_kept: int = 0
    real_accounts_kept: int = 0
    loaded_at: datetime | None = None  # when the demo was loaded (its briefings date from then)

    @property
    def removed_nothing(self) -> bool:
        return not self.rows and not self.logins and not self.contacts_cleared

    def counts(self) -> list[tuple[str, int]]:
        """(table, rows) in :data:`REPORTED_TABLES` order, then ``other``; zeros left out."""
        shown = [(t, self.rows[t]) for t in REPORTED_TABLES if self.rows[t]]
        other = sum(n for t, n in self.rows.items() if t not in REPORTED_TABLES)
        return shown + ([("other", other)] if other else [])

    def summary(self) -> str:
        """One English line for the command line."""
        if self.removed_nothing:
            return "This database holds no demo world; nothing was removed."
        rows = ", ".join(f"{n:,} {table}" for table, n in self.counts()) or "no rows"
        return (
            f"Removed the demo world: {rows}; demo logins: {', '.join(self.logins) or 'none'}; "
            f"{self.contacts_cleared} made-up OPD contacts cleared. Kept the registry of "
            f"{self.opds_kept} OPDs and {self.real_accounts_kept} real accounts."
        )


def demo_state(session: Session) -> DemoState:
    demo, real = demo_store.account_counts(session)
    opds = int(session.scalar(select(func.count()).select_from(Opd)) or 0)
    return DemoState(is_demo(session), demo, real, opds)


def mixed_database_problem(session: Session) -> str | None:
    """The one line `make run` stops with when the demo and real accounts share this
    database; None when they do not."""
    return MIXED_DATABASE if demo_state(session).mixed else None


def demo_logins(session: Session) -> list[User]:
    """The demo's logins still in use as such (see the module's note)."""
    names = [name for name, _role, _opd in DEMO_USERS]
    users = session.scalars(select(User).where(User.username.in_(names)).order_by(User.id))
    return [user for user in users if verify_password(user.password_hash, DEMO_PASSWORD)]


def other_admins(session: Session, leaving: list[User]) -> int:
    """Active admins that are not among ``leaving``."""
    ids = {user.id for user in leaving}
    admins = session.scalars(select(User).where(User.role == ADMIN, User.active.is_(True)))
    return sum(1 for user in admins if user.id not in ids)


def remove_demo(
    session: Session,
    demo_contacts: Mapping[str, tuple[str, str, str]],
    *,
    keep_an_admin: bool = False,
    now: datetime | None = None,
    actor: str = trail.UNKNOWN,
) -> DemoRemoval:
    """Remove the demo world (see the module's note); the caller runs ``refresh.after_write``
    and commits, so the removal and the rankings redone without it are one transaction.

    ``demo_contacts``: OPD code → the admin name, phone and e-mail the demo gave it. With
    ``keep_an_admin`` (the dashboard) it raises :class:`NoOtherAdmin` and changes nothing
    when no other active admin would remain. Audited as ``actor``: one summary of the
    registry's changes and one entry per demo login removed.
    """
    state = demo_state(session)
    if not state.holds_demo:
        return DemoRemoval(opds_kept=state.opds, real_accounts_kept=state.real_accounts)
    logins = demo_logins(session)
    if keep_an_admin and not other_admins(session, logins):
        raise NoOtherAdmin("no other active admin would remain")
    loaded_at = demo_store.demo_loaded_at(session)
    registry_before = audit.registry_state(session)
    removed = [(user.username, {"peran": user.role, "aktif": user.active}) for user in logins]
    rows = demo_store.delete_demo_runs(session)
    rows += demo_store.delete_demo_accounts(session)
    rows += demo_store.delete_users(session, [user.id for user in logins])
    cleared = demo_store.clear_contacts(session, demo_contacts)
    demo_store.forget_demo(session, now or utcnow())
    _audit_removal(session, actor, registry_before, removed)
    return DemoRemoval(
        rows=rows,
        logins=tuple(user.username for user in logins),
        contacts_cleared=cleared,
        opds_kept=state.opds,
        real_accounts_kept=state.real_accounts,
        loaded_at=loaded_at,
    )


def _audit_removal(
    session: Session,
    actor: str,
    registry_before: Mapping[str, Mapping[str, object]],
    removed: list[tuple[str, dict[str, object]]],
) -> None:
    """The registry's changes summed up (129 demo accounts are one entry, as an import), and
    each demo login removed."""
    trail.record_registry_changes(
        session, actor, registry_before, DEMO_SOURCE, summary=DEMO_REMOVED
    )
    for name, was in removed:
        audit.record(session, actor, "user.removed", name, was, None)
