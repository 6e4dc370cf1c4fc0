"""Staff sign-in: Flask-Login over :class:`User`, passwords hashed with argon2."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask
from flask_login import LoginManager, UserMixin
from sqlalchemy.orm import Session

from opengov.site.db import get_session
from opengov.site.models.accounts import User

_hasher = PasswordHasher()
login_manager = LoginManager()
login_manager.login_view = "staff.login"
login_manager.login_message = "请先登录。"


class StaffUser(UserMixin):  # type: ignore[misc]
    """The signed-in person as Flask-Login sees them."""

    def __init__(self, user: User) -> None:
        self.user = user

    def get_id(self) -> str:
        return str(self.user.id)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, or None (without saying which part was wrong)."""
    user = session.query(User).filter_by(username=username).one_or_none()
    if user is None:
        _hasher.hash(password)  # spend the same time as a real check: no account enumeration
        return None
    if not user.active or not verify_password(user.password_hash, password):
        return None
    return user


def init_app(app: Flask) -> None:
    login_manager.init_app(app)

    login_manager.user_loader(_load_user)


def _load_user(user_id: str) -> StaffUser | None:
    user = get_session().get(User, int(user_id)) if user_id.isdigit() else None
    return StaffUser(user) if user is not None and user.active else None
