"""The second factor of staff sign-in: TOTP (RFC 6238, any authenticator app) and one-time
recovery codes.

等保 2.0 (GB/T 22239-2019, 8.1.4.1) asks for two kinds of authentication for privileged
users: administrators must enrol (``TOTP_REQUIRED_FOR_ADMINS``), everyone else may. The secret
is stored encrypted with the personal-data key; a code is accepted once (the last accepted
30-second step is kept), one step of clock drift either way is tolerated. Ten recovery codes
are shown once at enrolment; only their keyed hashes are kept and each works once.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

import pyotp
from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.accounts.models import RecoveryCode, User
from opengov.site.accounts.rules.roles import Role
from opengov.site.audit import service as audit
from opengov.site.audit.service import AuditAction, Origin
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ForbiddenError, InvalidInputError, NotFoundError
from opengov.site.personal_data import get_cipher

ISSUER = "政府信息公开平台"
RECOVERY_CODES = 10
#: Codes of the step before and after the current one are accepted (clock drift).
VALID_WINDOW = 1


def new_secret() -> str:
    """A fresh 160-bit TOTP secret, base32 (what authenticator apps take)."""
    return pyotp.random_base32(32)


def provisioning_uri(user: User, secret: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads (as a link or typed in)."""
    issuer = f"{current_app.config['SITE_NAME']}{ISSUER}"
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=issuer)


def requires_second_factor(user: User) -> bool:
    """Whether ``user`` must enrol before working (administrators, by default)."""
    return (bool(current_app.config["TOTP_REQUIRED_FOR_ADMINS"]) and Role.ADMIN in user.roles
            and not user.has_second_factor)


def _step_matching(secret: str, code: str, after: int) -> int | None:
    """The time step whose code is ``code`` (within the drift window, later than
    ``after``), or None."""
    digits = "".join(char for char in code if char.isdigit())
    if len(digits) != 6:
        return None
    totp = pyotp.TOTP(secret)
    # TOTP counts Unix time: the one clock's UTC, made aware so pyotp does not take it for
    # local time.
    current = int(totp.timecode(clock.utcnow().replace(tzinfo=dt.UTC)))
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if step > after and hmac.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


def _hash_code(code: str) -> str:
    normalised = "".join(char for char in code.upper() if char.isalnum())
    key = hashlib.sha256(b"opengov-recovery:" + str(current_app.config["SECRET_KEY"]).encode())
    return hmac.new(key.digest(), normalised.encode(), hashlib.sha256).hexdigest()


def _new_recovery_codes(session: Session, user: User) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = base64.b32encode(secrets.token_bytes(10)).decode("ascii")
        code = f"{raw[:4]}-{raw[4:8]}-{raw[8:12]}-{raw[12:16]}"
        session.add(RecoveryCode(user_id=user.id, code_hash=_hash_code(code)))
        codes.append(code)
    return codes


def verify(session: Session, user: User, code: str) -> str | None:
    """Check a TOTP or recovery code of ``user`` inside the caller's unit of work (it marks
    the step or the recovery code used); returns "totp", "recovery" or None."""
    if not user.has_second_factor:
        return None
    secret = get_cipher().decrypt(user.totp_secret_enc)
    step = _step_matching(secret, code, user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        return "totp"
    hashed = _hash_code(code)
    recovery = session.scalars(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == hashed,
        RecoveryCode.used_at.is_(None))).first()
    if recovery is not None and len(code.strip()) >= 16:
        recovery.used_at = clock.utcnow()
        return "recovery"
    return None


@dataclass(frozen=True)
class Enrolment:
    """The recovery codes, shown once right after enrolment."""

    recovery_codes: list[str]


def enrol(actor: User, secret: str, code: str, *, origin: Origin) -> Enrolment:
    """Turn on the second factor of ``actor`` with ``secret`` once a code from their app
    proves they hold it; returns the recovery codes to show once."""
    if len(secret) < 32 or _step_matching(secret, code, 0) is None:
        raise InvalidInputError("验证码不正确，请确认手机时间准确后输入验证器当前显示的6位数字。")
    with unit_of_work() as session:
        user = session.get(User, actor.id, populate_existing=True)
        if user is None:
            raise NotFoundError("没有这个账户。")
        user.totp_secret_enc = get_cipher().encrypt(secret)
        user.totp_enabled_at = clock.utcnow()
        user.totp_last_step = _step_matching(secret, code, 0) or 0
        codes = _new_recovery_codes(session, user)
        audit.record(session, AuditAction.ACCOUNT, actor=user, origin=origin,
                     object_type="user", object_id=user.id, detail="启用双因素认证")
    return Enrolment(codes)


def new_recovery_codes(actor: User, code: str, *, origin: Origin) -> Enrolment:
    """Replace ``actor``'s recovery codes (a current TOTP code is required)."""
    with unit_of_work() as session:
        user = session.get(User, actor.id, populate_existing=True)
        if user is None or verify(session, user, code) != "totp":
            raise InvalidInputError("验证码不正确。")
        codes = _new_recovery_codes(session, user)
        audit.record(session, AuditAction.ACCOUNT, actor=user, origin=origin,
                     object_type="user", object_id=user.id, detail="重新生成恢复码")
    return Enrolment(codes)


def disable(actor: User, user_id: int, *, origin: Origin, code: str = "") -> User:
    """Turn the second factor off: an administrator for someone who lost their phone and
    codes, or the person themselves with a current code (not administrators, who must keep
    it while ``TOTP_REQUIRED_FOR_ADMINS``)."""
    with unit_of_work() as session:
        user = session.get(User, user_id, populate_existing=True) if 0 < user_id < 2**31 \
            else None
        if user is None:
            raise NotFoundError("没有这个账户。")
        if actor.id == user.id:
            if Role.ADMIN in user.roles and current_app.config["TOTP_REQUIRED_FOR_ADMINS"]:
                raise ForbiddenError("系统管理员必须使用双因素认证。")
            if verify(session, user, code) is None:
                raise InvalidInputError("验证码不正确。")
        elif not actor.has_role(Role.ADMIN):
            raise ForbiddenError("只有系统管理员可以重置他人的双因素认证。")
        user.totp_secret_enc = ""
        user.totp_enabled_at = None
        user.totp_last_step = 0
        session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
        audit.record(session, AuditAction.ACCOUNT, actor=actor, origin=origin,
                     object_type="user", object_id=user.id,
                     detail=f"关闭 {user.username} 的双因素认证")
    return user


def unused_recovery_codes(user: User) -> int:
    return len(get_session().scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all())
