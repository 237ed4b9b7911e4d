"""The audit trail: who changed what, when, from what to what (issue #18).

Append-only: the migration (0016) adds triggers that refuse UPDATE and DELETE on SQLite and
PostgreSQL, and no code path edits a row (``db.audit`` only inserts and reads).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.types import UTCDateTime


class AuditEntry(Base):
    """One change: ``actor`` (a dashboard user name, ``cli:<os user>`` or ``worker``),
    ``action`` (``kind.verb``, e.g. ``user.added``), what it was done to, and the values
    before and after as short JSON (never a secret)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(300))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
