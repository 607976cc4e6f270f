"""Sending one e-mail over SMTP with the configured server (``SMTP_*`` settings)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from smartrunning.platform.config import Settings

__all__ = ["EmailNotConfigured", "send"]


class EmailNotConfigured(RuntimeError):
    """``SMTP_HOST`` is not set: e-mails stay in the outbox."""


def send(
    settings: Settings, *, to: str, subject: str, body: str, unsubscribe_url: str | None
) -> None:
    """Send a plain-text e-mail; raises ``smtplib.SMTPException`` or ``OSError`` on failure
    (the queue's task retries)."""
    if not settings.smtp_host:
        raise EmailNotConfigured("SMTP_HOST is not set")
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain="smartrunning")
    if unsubscribe_url:
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message.set_content(body)
    timeout = settings.smtp_timeout_s
    smtp: smtplib.SMTP
    if settings.smtp_security == "ssl":
        smtp = smtplib.SMTP_SSL(
            settings.smtp_host,
            settings.smtp_port,
            timeout=timeout,
            context=ssl.create_default_context(),
        )
    else:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
    with smtp:
        if settings.smtp_security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
            smtp.login(settings.smtp_username, password)
        smtp.send_message(message)
