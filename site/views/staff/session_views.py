"""Sign in, sign out, one's own password and the staff home page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo

from opengov.site.auth import (
    LoginOutcome,
    password_policy,
    request_origin,
    restart_session,
    sign_in,
    sign_out,
    verify_password,
)
from opengov.site.db import get_session
from opengov.site.domain.catalog import PublicationStatus
from opengov.site.domain.roles import Role
from opengov.site.models import Document, DocumentWorkflow
from opengov.site.services import accounts, audit
from opengov.site.services.audit import AuditAction
from opengov.site.views.forms import ChineseForm
from opengov.site.views.staff import bp


class LoginForm(ChineseForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名")])
    password = PasswordField("密码", validators=[DataRequired("请输入密码")])


class PasswordForm(ChineseForm):
    current = PasswordField("当前密码", validators=[DataRequired("请输入当前密码")])
    new = PasswordField("新密码", validators=[DataRequired("请输入新密码")])
    confirm = PasswordField("再次输入新密码", validators=[
        DataRequired("请再次输入新密码"), EqualTo("new", "两次输入的新密码不一致")])


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an open redirect would help phishing.
    if target and target.startswith("/") and not urlsplit(target).netloc \
            and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("staff.dashboard")


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        outcome = sign_in(form.username.data, form.password.data)
        if outcome == LoginOutcome.OK:
            return redirect(_safe_next(request.args.get("next")))
        if outcome == LoginOutcome.LOCKED:
            # Said for every name typed, existing or not: it reveals nothing about accounts.
            flash("登录失败次数过多，请稍后再试。", "error")
            status = 429
        else:
            flash("用户名或密码错误。", "error")
    return render_template("staff/login.html", form=form), status


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    sign_out(current_user.user if current_user.is_authenticated else None)
    flash("已退出登录。", "info")
    return redirect(url_for("staff.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password() -> ResponseReturnValue:
    form = PasswordForm()
    user = current_user.user
    if form.validate_on_submit():
        session = get_session()
        if not verify_password(user.password_hash, form.current.data):
            form.current.errors.append("当前密码不正确")
        else:
            try:
                accounts.set_password(session, user, form.new.data, password_policy())
            except accounts.AccountError as exc:
                form.new.errors.append(str(exc))
            else:
                audit.record(session, AuditAction.PASSWORD_CHANGED, actor=user,
                             origin=request_origin(), object_type="user", object_id=user.id)
                session.commit()
                restart_session(user)
                flash("密码已修改，其他设备上的登录已全部退出。", "info")
                return redirect(url_for("staff.dashboard"))
    return render_template("staff/password.html", form=form,
                           policy=password_policy())


@bp.get("/")
def dashboard() -> str:
    session = get_session()
    user = current_user.user
    query = select(Document.status, func.count()).group_by(Document.status)
    if user.agency_id is not None and Role.ADMIN not in user.roles:
        query = query.where(Document.agency_id == user.agency_id)  # their agency's only
    counts = dict(session.execute(query).all())
    mine = session.scalars(
        select(Document).join(DocumentWorkflow, DocumentWorkflow.document_id == Document.id)
        .where(DocumentWorkflow.author_id == user.id,
               Document.status == PublicationStatus.DRAFT)
        .order_by(Document.updated_at.desc()).limit(10)).all()
    return render_template("staff/dashboard.html", counts=counts, my_drafts=mine,
                           sessions=accounts.live_sessions(session, user.id))
