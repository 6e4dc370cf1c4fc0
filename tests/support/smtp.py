"""A real SMTP server for the tests (aiosmtpd on a free port), plain, with STARTTLS or with
implicit TLS, optionally requiring a log-in; a self-signed certificate for 127.0.0.1; and the
``smtp`` fixture every test can take: a plain server collecting what the site sends."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Inbox:
    """What the server received; ``refuse`` makes it answer RCPT TO with that reply."""

    messages: list[EmailMessage] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    refuse: str | None = None

    async def handle_RCPT(self, _server: Any, _session: Any, envelope: Any, address: str,
                          _options: Any) -> str:
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 OK"

    def bodies(self) -> list[str]:
        return [str(message.get_content()) for message in self.messages]


class Authenticator:
    """Accepts one user name and password."""

    def __init__(self, inbox: Inbox, username: str, password: str) -> None:
        self.inbox = inbox
        self.username = username.encode()
        self.password = password.encode()

    def __call__(self, _server: Any, _session: Any, _envelope: Any, _mechanism: str,
                 data: Any) -> AuthResult:
        if isinstance(data, LoginPassword) and data.login == self.username \
                and data.password == self.password:
            self.inbox.logins.append(data.login.decode())
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)


@dataclass(frozen=True)
class Certificate:
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


def self_signed(folder: Path) -> Certificate:
    """A certificate for 127.0.0.1 signed by itself (it is its own CA file)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=7))
        .add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return Certificate(cert_file, key_file)


class SmtpServer:
    """``SmtpServer(security="starttls", certificate=…, login=("gk", "secret"))``;
    :meth:`start`, :meth:`stop`, :attr:`inbox`, :attr:`port`."""

    def __init__(self, *, security: str = "none", certificate: Certificate | None = None,
                 login: tuple[str, str] | None = None) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        kwargs: dict[str, Any] = {}
        if security == "starttls":
            assert certificate is not None
            kwargs.update(tls_context=certificate.server_context(), require_starttls=True)
        elif security == "ssl":
            assert certificate is not None
            kwargs.update(ssl_context=certificate.server_context())
        if login is not None:
            kwargs.update(authenticator=Authenticator(self.inbox, *login), auth_required=True,
                          auth_require_tls=security != "none")
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port,
                                     **kwargs)

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    """A plain SMTP server: (what it received, its port). The site queues notices; a test
    delivers them with ``opengov mail send`` (or :func:`deliver`) before looking."""
    server = SmtpServer().start()
    yield server.inbox, server.port
    server.stop()


def deliver() -> int:
    """Send the queued notices now, as the mail worker would (inside an app context);
    returns how many went out."""
    from opengov.site.mail.service.sender import send_due

    report = send_due()
    assert report.ok, report.errors
    return report.sent
