"""Dashboard users: who may sign in, with which role, and for which OPD.

Roles: ``admin`` (everything, settings and registry), ``reviewer`` (reads everything, exports),
``opd`` (only its own OPD's accounts, plus the caption checker). Passwords are stored as
Argon2id hashes; five wrong passwords in a row lock the account for 15 minutes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.passwords import check_strength, hash_password, needs_rehash, verify_password
from core.timeutil import utcnow
from db.models import Opd, User

ADMIN, REVIEWER, OPD = "admin", "reviewer", "opd"
ROLES = (ADMIN, REVIEWER, OPD)
MAX_FAILED = 5
LOCK_FOR = timedelta(minutes=15)
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,59}$")
DEMO_PASSWORD = "pantau-demo-2026"  # noqa: S105  # nosec B105 - demo world only, printed at start
DEMO_USERS = (("admin", ADMIN, None), ("peninjau", REVIEWER, None),
              ("diskominfo", OPD, "DISKOMINFO"))  # fmt: skip


class UserError(ValueError):
    """A request about users that cannot be done; the message says why (English, for the CLI)."""


@dataclass(frozen=True)
class Principal:
    """Who is signed in: what every loader checks before it returns data."""

    username: str
    role: str
    opd_id: int | None = None
    opd_name: str | None = None

    @property
    def sees_everything(self) -> bool:
        return self.role in (ADMIN, REVIEWER)

    @property
    def can_change(self) -> bool:
        return self.role == ADMIN


def normalize(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise UserError(
            "a user name has 3-60 characters: lowercase letters, digits, '.', '_' or '-'"
        )
    return name


def _find(session: Session, name: str) -> User | None:
    return session.scalar(select(User).where(User.username == name))


def _check_strength(password: str, name: str) -> None:
    try:
        check_strength(password, name)
    except ValueError as exc:
        raise UserError(f"password: {exc}") from exc


def _opd_id(session: Session, role: str, opd_code: str | None) -> int | None:
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    if role != OPD:
        if opd_code:
            raise UserError("only users with role opd belong to an OPD")
        return None
    if not opd_code:
        raise UserError("a user with role opd needs --opd CODE")
    opd = session.scalar(select(Opd).where(Opd.code == opd_code.strip().upper()))
    if opd is None:
        raise UserError(f"no OPD with code {opd_code!r} in the registry")
    return opd.id


def add_user(
    session: Session, username: str, password: str, role: str, opd_code: str | None = None
) -> User:
    name = normalize(username)
    if _find(session, name) is not None:
        raise UserError(f"user {name!r} already exists (use `user passwd`)")
    opd_id = _opd_id(session, role, opd_code)
    _check_strength(password, name)
    now = utcnow()
    user = User(username=name, password_hash=hash_password(password), role=role, opd_id=opd_id,
                active=True, created_at=now, password_changed_at=now, failed_logins=0)  # fmt: skip
    session.add(user)
    session.flush()
    return user


def _get(session: Session, username: str) -> User:
    user = _find(session, normalize(username))
    if user is None:
        raise UserError(f"no user {username!r}")
    return user


def set_password(session: Session, username: str, password: str) -> None:
    user = _get(session, username)
    _check_strength(password, user.username)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.failed_logins, user.locked_until, user.active = 0, None, True
    session.flush()


def disable(session: Session, username: str) -> None:
    _get(session, username).active = False
    session.flush()


def user_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(User)) or 0)


def principal_of(session: Session, user: User) -> Principal:
    opd = session.get(Opd, user.opd_id) if user.opd_id is not None else None
    return Principal(user.username, user.role, user.opd_id, opd.name if opd else None)


def authenticate(
    session: Session, username: str, password: str, now: datetime | None = None
) -> Principal | None:
    """The signed-in user, or None (unknown name, wrong password, disabled, locked). Commits."""
    now = now or utcnow()
    try:
        name = normalize(username)
    except UserError:
        verify_password(None, password)
        return None
    user = _find(session, name)
    if user is None or not user.active or (user.locked_until and user.locked_until > now):
        verify_password(None, password)
        return None
    if not verify_password(user.password_hash, password):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= MAX_FAILED:
            user.locked_until, user.failed_logins = now + LOCK_FOR, 0
        session.commit()
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    session.commit()
    return principal_of(session, user)


def ensure_demo_users(session: Session) -> list[str]:
    """On the demo world: one login per role, all with :data:`DEMO_PASSWORD`; returns the
    names created now (none when they exist). Never used on real data."""
    created = []
    for name, role, opd_code in DEMO_USERS:
        if _find(session, name) is None:
            add_user(session, name, DEMO_PASSWORD, role, opd_code)
            created.append(name)
    session.commit()
    return created
