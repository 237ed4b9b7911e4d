"""Dashboard users: who may sign in, with which role, and for which OPD.

Roles: ``admin`` (everything, settings and registry), ``reviewer`` (reads everything, exports),
``opd`` (only its own OPD's accounts, plus the caption checker). Passwords are stored as
Argon2id hashes; five wrong passwords in a row lock the account for 15 minutes. The failures
are counted in the database by one statement, so parallel attempts lock the user exactly as one
at a time do; ``services.sign_in_guard`` limits failures per client address; every failure,
lockout and sign-in goes to the ``pantau.auth`` log (never the password).
"""

from __future__ import annotations

import logging
import re
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, literal, null, or_, select, update
from sqlalchemy.orm import Session

from core.passwords import (
    HasherBusy,
    WeakPassword,
    check_strength,
    hash_password,
    needs_rehash,
    verify_password,
)
from core.timeutil import utcnow
from db.models import Opd, User
from services.sign_in_guard import GUARD

log = logging.getLogger("pantau.auth")  # failures, lockouts and sign-ins; never a password
SignInBusy = HasherBusy  # authenticate's "too many at once, try again shortly" outcome

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


class WeakPasswordError(UserError):
    """A password refused by ``core.passwords.check_strength``; ``kind`` says which rule."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


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
    except WeakPassword as exc:
        raise WeakPasswordError(exc.kind, f"password: {exc}") from exc


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
    session: Session,
    username: str,
    password: str,
    now: datetime | None = None,
    client: str | None = None,
) -> Principal | None:
    """The signed-in user, or None (unknown name, wrong password, disabled, locked, or the
    client address refused). ``client`` is the browser's address (None: unknown or local).
    Raises :class:`SignInBusy` when every Argon2 slot is taken. Commits; holds no transaction
    (nor, on PostgreSQL, a pooled connection) while the password is checked. Open the web
    session with the same ``now``: a password changed after it then ends that session too."""
    now = now or utcnow()
    attempt = _Attempt(username.strip()[:60], client, now)
    if GUARD.refused(client, now):
        attempt.log("address-refused")  # not counted: a refused address's count stays bounded
        return None
    user, refusal = _signable(session, username, now)
    stored = user.password_hash if user and not refusal else None
    session.commit()
    try:
        matches = verify_password(stored, password)
    except SignInBusy:
        attempt.log("busy")
        raise
    if refusal or user is None:
        attempt.failed(refusal)
        return None
    if not matches:
        count, until = _count_failure(session, user.id, now)
        if count == MAX_FAILED:
            log.warning("user locked user=%r client=%s until=%s", attempt.name, attempt.where,
                        until.isoformat() if until else None)  # fmt: skip
        attempt.failed("wrong-password")
        return None
    if stored is None or not _record_success(session, user.id, stored, password, now):
        attempt.failed("locked-or-changed-meanwhile")
        return None
    log.info("signed in user=%r client=%s", attempt.name, attempt.where)
    return principal_of(session, user)


@dataclass(frozen=True)
class _Attempt:
    """One sign-in attempt, for the auth log: never the password, the name as typed (cut)."""

    name: str
    client: str | None
    now: datetime

    @property
    def where(self) -> str:
        return self.client or "local"

    def log(self, reason: str) -> None:
        log.warning("sign-in failed user=%r client=%s reason=%s", self.name, self.where, reason)

    def failed(self, reason: str) -> None:
        self.log(reason)
        if GUARD.record_failure(self.client, self.now):
            log.warning("client address refused client=%s failures=%d window=%s",
                        self.where, GUARD.limit, GUARD.window)  # fmt: skip


def address_refused(client: str | None, now: datetime) -> bool:
    """Whether sign-ins from ``client`` are refused for now (too many failures from it)."""
    return GUARD.refused(client, now)


def _signable(session: Session, username: str, now: datetime) -> tuple[User | None, str]:
    """The user who may try a password now (known, active, not locked) and "", or why not."""
    try:
        user = _find(session, normalize(username))
    except UserError:
        return None, "invalid-name"
    if user is None:
        return None, "unknown-user"
    if not user.active:
        return user, "disabled"
    if user.locked_until and user.locked_until > now:
        return user, "locked"
    return user, ""


def _count_failure(session: Session, user_id: int, now: datetime) -> tuple[int, datetime | None]:
    """Count one wrong password in ONE statement (parallel attempts cannot lose a count); the
    fifth locks the user for :data:`LOCK_FOR`. A lock that has run out starts a new count."""
    expired = and_(User.locked_until.is_not(None), User.locked_until <= now)
    count = case((expired, 0), else_=User.failed_logins) + 1
    until = literal(now + LOCK_FOR, User.locked_until.type)
    statement = (
        update(User)
        .where(User.id == user_id)
        .values(failed_logins=count, locked_until=case(
            (count >= MAX_FAILED, until), (expired, null()), else_=User.locked_until))
        .returning(User.failed_logins, User.locked_until)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    failures, locked_until = session.execute(statement).one()
    session.commit()
    return int(failures), locked_until


def _record_success(
    session: Session, user_id: int, stored: str, password: str, now: datetime
) -> bool:
    """Reset the count, unless parallel failures locked the user since it was read: then the
    right password is refused as it would have been after them one at a time. Refused too when
    the password changed while it was checked (``user passwd``): the old one no longer signs in."""
    values: dict[str, object] = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
    if needs_rehash(stored):
        with suppress(SignInBusy):  # the old hash still works; rehash at the next sign-in
            values["password_hash"] = hash_password(password)
    unlocked = or_(User.locked_until.is_(None), User.locked_until <= now)
    statement = (
        update(User)
        .where(User.id == user_id, User.password_hash == stored, User.active.is_(True), unlocked)
        .values(**values)
        .returning(User.id)
        .execution_options(synchronize_session=False)
    )
    signed_in = session.execute(statement).first() is not None
    session.commit()
    return signed_in


def ensure_demo_users(session: Session) -> list[str]:
    """On the demo world: one login per role, all with :data:`DEMO_PASSWORD`; returns the
    names created now (none when they exist). Never used on real data. The caller commits,
    with the audit entries of the logins it created (commands.collect.announce_logins)."""
    created = []
    for name, role, opd_code in DEMO_USERS:
        if _find(session, name) is None:
            add_user(session, name, DEMO_PASSWORD, role, opd_code)
            created.append(name)
    session.flush()
    return created
