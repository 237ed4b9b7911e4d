"""Optional e-mail through the office's SMTP server (standard library only).

Without ``PANTAU_SMTP_HOST`` nothing is mailed: reminders and briefings wait in the dashboard.
The password comes from the settings and is never part of a message or an error text.
"""

from __future__ import annotations

import mimetypes
import smtplib
import ssl
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from core.settings import Settings

TIMEOUT_SECONDS = 30


class MailError(RuntimeError):
    """Sending failed; the message says why without any credential."""


class SmtpClient(Protocol):
    def send_message(self, msg: EmailMessage) -> object: ...

    def quit(self) -> object: ...


SmtpFactory = Callable[[Settings], SmtpClient]


def connect(settings: Settings) -> SmtpClient:
    """An authenticated SMTP connection as the settings describe it."""
    port = int(settings.smtp_port)
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if settings.smtp_security == "ssl":
        client = smtplib.SMTP_SSL(
            settings.smtp_host, port, timeout=TIMEOUT_SECONDS, context=context
        )
    else:
        client = smtplib.SMTP(settings.smtp_host, port, timeout=TIMEOUT_SECONDS)
        if settings.smtp_security == "starttls":
            client.starttls(context=context)
    if settings.smtp_user:
        client.login(settings.smtp_user, settings.smtp_password)
    return client


def build_message(
    sender: str, to: Sequence[str], subject: str, body: str, attachments: Sequence[Path] = ()
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg["Subject"] = subject
    msg.set_content(body)
    for path in attachments:
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        main, _, sub = kind.partition("/")
        msg.add_attachment(path.read_bytes(), maintype=main, subtype=sub, filename=path.name)
    return msg


class Mailer:
    """Sends plain-text mail (with optional attachments) through one SMTP session per call."""

    def __init__(self, settings: Settings, factory: SmtpFactory = connect) -> None:
        self.settings = settings
        self.factory = factory

    @property
    def configured(self) -> bool:
        return self.settings.smtp_configured

    def send(
        self, to: Sequence[str], subject: str, body: str, attachments: Sequence[Path] = ()
    ) -> None:
        if not self.configured:
            raise MailError("SMTP is not configured (PANTAU_SMTP_HOST, PANTAU_SMTP_FROM)")
        msg = build_message(self.settings.smtp_sender, to, subject, body, attachments)
        try:
            client = self.factory(self.settings)
            try:
                client.send_message(msg)
            finally:
                client.quit()
        except (OSError, smtplib.SMTPException) as exc:
            # the class and the server's words; smtplib never puts the password in them
            raise MailError(f"{type(exc).__name__}: {exc}") from exc
