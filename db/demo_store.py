"""Which rows are the demo world's, and their removal (the write side of leaving the demo).

The demo loader names every account it makes ``demo.<opd>``, ``demo_<opd>`` (X) or
``demo-<opd>.sintang.example`` (websites), imports its follower history as a run whose source
is ``demo`` and records ``data_source = demo`` in ``app_meta``. The office's own accounts never
look like that, so a database holding the demo and real accounts can be told apart by handle.

Rows are deleted table by table, children first, following every foreign key in the models
(a table added later is covered without a change here): a database-side cascade would do the
same silently, and the caller wants to say what went.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    ForeignKey,
    Table,
    delete,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from db.aggregates import VERSION_KEY
from db.models import Account, AccountResult, AppMeta, Base, CollectionRun, Opd, User
from db.repository import get_meta, set_meta

DEMO_SOURCE = "demo"  # the value of data_source, and the source of the demo's history import
DEMO_META_KEYS = ("data_source", "demo_as_of")
REMOVED_KEY = "demo_removed_at"  # set once the demo is removed: `make run` never reloads it
DEMO_HANDLE_PREFIXES = ("demo.", "demo_", "demo-")
CONTACT_FIELDS = ("admin_name", "admin_phone", "admin_email")
CHUNK = 500  # ids per statement, far below SQLite's and PostgreSQL's parameter limits


def demo_handle() -> ColumnElement[bool]:
    """True for an account the demo made (escaped: ``_`` is no wildcard here)."""
    return or_(*(Account.handle.startswith(p, autoescape=True) for p in DEMO_HANDLE_PREFIXES))


def account_counts(session: Session) -> tuple[int, int]:
    """(demo accounts, other accounts) in the registry."""
    demo = session.scalar(select(func.count()).select_from(Account).where(demo_handle()))
    total = session.scalar(select(func.count()).select_from(Account))
    return int(demo or 0), int(total or 0) - int(demo or 0)


def demo_removed(session: Session) -> bool:
    return get_meta(session, REMOVED_KEY) is not None


def demo_loaded_at(session: Session) -> datetime | None:
    """When the demo was first loaded here (its history import), or None."""
    stmt = select(func.min(CollectionRun.started_at)).where(_demo_import())
    return session.scalar(stmt)


def _demo_import() -> ColumnElement[bool]:
    return (CollectionRun.kind == "import") & (CollectionRun.source == DEMO_SOURCE)


def delete_demo_runs(session: Session) -> Counter[str]:
    """The demo's history import and every run whose results are all about demo accounts
    (the demo's collections), with their results. A run that also read a real account stays;
    only its demo results go, with the accounts."""
    demo_ids = select(Account.id).where(demo_handle())
    result = AccountResult.run_id == CollectionRun.id
    about_demo = exists().where(result, AccountResult.account_id.in_(demo_ids))
    about_real = exists().where(result, AccountResult.account_id.not_in(demo_ids))
    # listed first: once their results are deleted, the runs no longer show whose they were
    stmt = select(CollectionRun.id).where(_demo_import() | (about_demo & ~about_real))
    run_ids = list(session.scalars(stmt))
    removed: Counter[str] = Counter()
    for start in range(0, len(run_ids), CHUNK):
        chunk = CollectionRun.id.in_(run_ids[start : start + CHUNK])
        removed += _delete_where(session, _table(CollectionRun), chunk)
    return removed


def delete_demo_accounts(session: Session) -> Counter[str]:
    """The demo's accounts and every row about them (posts and what hangs off them,
    snapshots, results, tokens, monthly totals, dirty marks, reminders, stored rankings)."""
    return _delete_where(session, _table(Account), demo_handle())


def delete_users(session: Session, user_ids: Collection[int]) -> Counter[str]:
    """These users and their web sessions and consents in progress; invites they made or
    used stay, without the name."""
    if not user_ids:
        return Counter()
    return _delete_where(session, _table(User), User.id.in_(list(user_ids)))


def clear_contacts(session: Session, contacts: Mapping[str, tuple[str, str, str]]) -> int:
    """Empty every OPD admin contact field that still holds the value in ``contacts`` (OPD
    code → name, phone, e-mail); a value the office typed over stays. Returns OPDs changed."""
    changed = 0
    for opd in session.scalars(select(Opd).where(Opd.code.in_(list(contacts)))):
        stale = [
            field
            for field, value in zip(CONTACT_FIELDS, contacts[opd.code], strict=True)
            if value and getattr(opd, field) == value
        ]
        for field in stale:
            setattr(opd, field, None)
        changed += bool(stale)
    session.flush()
    return changed


def forget_demo(session: Session, now: datetime) -> None:
    """Drop the demo's marks, remember that it was removed, and outdate stored rankings (the
    kept months are stored again by ``refresh.after_write``; older ones are recomputed)."""
    session.execute(delete(AppMeta).where(AppMeta.key.in_(DEMO_META_KEYS)))
    set_meta(session, REMOVED_KEY, now.isoformat())
    set_meta(session, VERSION_KEY, str(int(get_meta(session, VERSION_KEY) or 0) + 1))


def _table(model: type[Base]) -> Table:
    return Base.metadata.tables[model.__tablename__]


def _delete_where(session: Session, table: Table, where: ColumnElement[bool]) -> Counter[str]:
    """Delete the rows of ``table`` matching ``where``, after the rows that refer to them;
    returns rows deleted per table. A reference declared ``SET NULL`` is set to NULL."""
    removed: Counter[str] = Counter()
    for fk in _references_to(table):
        doomed = select(fk.column).where(where)
        column = fk.parent
        if fk.ondelete == "SET NULL":
            session.execute(update(column.table).where(column.in_(doomed)).values({column: None}))
        else:
            removed += _delete_where(
                session, Base.metadata.tables[column.table.name], column.in_(doomed)
            )
    deleted = session.execute(delete(table).where(where)).rowcount  # type: ignore[attr-defined]
    removed[table.name] += int(deleted or 0)
    return removed


def _references_to(table: Table) -> list[ForeignKey]:
    return [
        fk
        for other in Base.metadata.sorted_tables
        for fk in other.foreign_keys
        if fk.column.table is table and other is not table
    ]
