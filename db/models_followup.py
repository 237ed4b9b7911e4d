"""Models of the follow-up work: review marks on single posts and the alerts raised."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.types import UTCDateTime


class PostMark(Base):
    """ "Tandai ditindaklanjuti" on Tinjauan Unggahan: a post someone followed up, by whom,
    when, with a note. One mark per post; marking again replaces the note."""

    __tablename__ = "post_marks"
    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    marked_by: Mapped[str] = mapped_column(String(60))  # a username
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str | None] = mapped_column(Text)


class Alert(Base):
    """Something a user should be told of (Peringatan). ``key`` names the event, so the same
    event is raised once however often the check runs; it stays listed until acknowledged.

    Mail follows the reminders' queue: ``mail_status`` is queued until the worker mails it
    (SMTP configured) or someone acknowledges it; sent or failed after the attempts."""

    __tablename__ = "alerts"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30))  # see services.alerts.KINDS
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(Text)  # plain Indonesian, shown and mailed as is
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_by: Mapped[str | None] = mapped_column(String(60))
    mail_status: Mapped[str | None] = mapped_column(String(20))  # queued | sent | failed
    mail_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    mail_error: Mapped[str | None] = mapped_column(Text)
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
