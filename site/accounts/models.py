"""Staff accounts, their server-side sessions and sign-in failures.

Timestamps are naive UTC from ``clock.utcnow`` called through the module (not imported by
name), so that setting the clock in a test sets these defaults too.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opengov.site import clock
from opengov.site.accounts.rules.roles import Role
from opengov.site.agencies.models import Agency
from opengov.site.db import Base


class User(Base):
    """A member of staff. Roles are stored as a comma-separated list of :class:`Role` values."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    email: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    roles_csv: Mapped[str] = mapped_column("roles", String(100), default="")
    #: The agency the person works for; None for site-wide administrators.
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=lambda: clock.utcnow())
    #: Set by an administrator's initial password or reset: the person must choose their own
    #: before doing anything else.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False,
                                                       server_default="0")
    #: The TOTP secret (RFC 6238), encrypted like personal data; empty: no second factor.
    totp_secret_enc: Mapped[str] = mapped_column(Text, default="", server_default="")
    totp_enabled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: The last 30-second step accepted, so a code is never accepted twice.
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    agency: Mapped[Agency | None] = relationship()

    @property
    def has_second_factor(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(value) for value in self.roles_csv.split(",") if value)

    @roles.setter
    def roles(self, roles: set[Role] | frozenset[Role]) -> None:
        self.roles_csv = ",".join(sorted(role.value for role in roles))

    def has_role(self, *roles: str) -> bool:
        """True when the person holds any of ``roles`` (administrators hold every role).

        Roles may be given as :class:`Role` or as their string values (a ``StrEnum`` compares
        and hashes like its value), so features below accounts can ask without importing it.
        """
        return Role.ADMIN in self.roles or bool(self.roles.intersection(roles))

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class StaffSession(Base):
    """A server-side sign-in: the cookie carries a random token whose SHA-256 is the key, so
    a stolen database does not yield usable cookies and any session can be revoked."""

    __tablename__ = "staff_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=lambda: clock.utcnow())
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=lambda: clock.utcnow())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    ip: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")

    user: Mapped[User] = relationship()


class LoginFailure(Base):
    """A failed sign-in, kept for throttling whether or not the user name exists."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), index=True)  # as typed, lower-cased
    ip: Mapped[str] = mapped_column(String(45), index=True, default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=lambda: clock.utcnow(), index=True)


class RecoveryCode(Base):
    """A one-time code that stands in for the TOTP code when the phone is lost; only its
    keyed hash is kept."""

    __tablename__ = "staff_recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
