"""Sign in, sign out, one's own password and the staff home page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo

from opengov.site.accounts.rules.roles import ROLE_LABELS
from opengov.site.accounts.service import users as accounts
from opengov.site.accounts.service.auth import (
    LoginOutcome,
    password_policy,
    request_origin,
    restart_session,
    sign_in,
    sign_out,
    verify_password,
)
from opengov.site.audit import service as audit
from opengov.site.audit.service import AuditAction
from opengov.site.db import get_session
from opengov.site.web.forms import ChineseForm
from opengov.site.web.staff import bp


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


@bp.app_context_processor
def account_labels() -> dict[str, object]:
    return {"role_labels": ROLE_LABELS}
