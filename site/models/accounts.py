"""Staff accounts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opengov.site.db import Base
from opengov.site.domain.roles import Role
from opengov.site.models.content import Agency, utcnow


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
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    agency: Mapped[Agency | None] = relationship()

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(value) for value in self.roles_csv.split(",") if value)

    @roles.setter
    def roles(self, roles: set[Role] | frozenset[Role]) -> None:
        self.roles_csv = ",".join(sorted(role.value for role in roles))

    def has_role(self, *roles: Role) -> bool:
        """True when the person holds any of ``roles`` (administrators hold every role)."""
        return Role.ADMIN in self.roles or bool(self.roles.intersection(roles))

    def __repr__(self) -> str:
        return f"<User {self.username}>"
