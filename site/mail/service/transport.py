"""The SMTP connection: implicit TLS (SSL) or STARTTLS with the certificate checked, then
authentication when a user name is set."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

from opengov.site import clock


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # "starttls", "ssl" or "none"
    username: str
    password: str
    ca_file: str
    timeout: float
    sender: str

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SmtpSettings:
        return cls(host=config["SMTP_HOST"], port=int(config["SMTP_PORT"]),
                   security=config["SMTP_SECURITY"], username=config["SMTP_USERNAME"],
                   password=config["SMTP_PASSWORD"], ca_file=config["SMTP_CA_FILE"],
                   timeout=float(config["SMTP_TIMEOUT_SECONDS"]), sender=config["MAIL_FROM"])

    def describe(self) -> str:
        """``smtp.example.gov.cn:587 (STARTTLS, user gk)`` for messages; never the password."""
        how = {"starttls": "STARTTLS", "ssl": "SSL", "none": "未加密"}[self.security]
        who = f"，用户 {self.username}" if self.username else "，无认证"
        return f"{self.host}:{self.port}（{how}{who}）"


def tls_context(settings: SmtpSettings) -> ssl.SSLContext:
    """Verifies the server's certificate and name against the system's CAs or SMTP_CA_FILE."""
    return ssl.create_default_context(cafile=settings.ca_file or None)


def connect(settings: SmtpSettings) -> smtplib.SMTP:
    """An open, authenticated connection; raises ``OSError`` or ``smtplib.SMTPException``.
    A password is never sent over an unencrypted connection unless SMTP_SECURITY is none."""
    smtp: smtplib.SMTP
    if settings.security == "ssl":
        smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                context=tls_context(settings))
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        smtp.ehlo()
        if settings.security == "starttls":
            smtp.starttls(context=tls_context(settings))
            smtp.ehlo()
        if settings.username:
            smtp.login(settings.username, settings.password)
    except BaseException:
        smtp.close()
        raise
    return smtp


def compose(settings: SmtpSettings, to: str, subject: str, body: str,
            attachments: Sequence[tuple[str, str, bytes]] = ()) -> EmailMessage:
    """A plain-text message in UTF-8 with a date, a message id and ``attachments``
    (file name, content type, bytes)."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = clock.now()
    domain = settings.sender.partition("@")[2] or None
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(body)
    for filename, content_type, content in attachments:
        main, _, sub = content_type.partition("/")
        message.add_attachment(content, maintype=main or "application",
                               subtype=sub or "octet-stream", filename=filename)
    return message


def reply_code(error: BaseException) -> int | None:
    """The SMTP reply code an error carries (the highest, for refused recipients)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return max(codes) if codes else None
    code = getattr(error, "smtp_code", None)
    return code if isinstance(code, int) else None


def describe_error(error: BaseException) -> str:
    """The error for the staff page and the log, without the recipient's address."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = [f"{code} {message.decode(errors='replace') if isinstance(message, bytes) else message}"
                   for code, message in error.recipients.values()]
        return ("收件人被拒绝：" + "；".join(replies))[:500]
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error
        text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
        return f"{type(error).__name__}: {error.smtp_code} {text}"[:500]
    return f"{type(error).__name__}: {error}"[:500]
