"""Sign in, sign out and one's own password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from opengov.site.accounts.forms import LoginForm, PasswordForm
from opengov.site.accounts.rules.roles import ROLE_LABELS
from opengov.site.accounts.service import auth
from opengov.site.accounts.service.users import AccountError, password_policy
from opengov.site.web.staff import bp


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
        outcome = auth.sign_in(form.username.data, form.password.data)
        if outcome == auth.LoginOutcome.OK:
            return redirect(_safe_next(request.args.get("next")))
        if outcome == auth.LoginOutcome.LOCKED:
            # Said for every name typed, existing or not: it reveals nothing about accounts.
            flash("登录失败次数过多，请稍后再试。", "error")
            status = 429
        else:
            flash("用户名或密码错误。", "error")
    return render_template("staff/login.html", form=form), status


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    auth.sign_out(current_user.user if current_user.is_authenticated else None)
    flash("已退出登录。", "info")
    return redirect(url_for("staff.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password() -> ResponseReturnValue:
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            auth.change_own_password(current_user.user, form.current.data, form.new.data)
        except AccountError as exc:
            form.field_for(exc.field).errors.append(exc.message)
        else:
            flash("密码已修改，其他设备上的登录已全部退出。", "info")
            return redirect(url_for("staff.dashboard"))
    return render_template("staff/password.html", form=form, policy=password_policy())


@bp.app_context_processor
def account_labels() -> dict[str, object]:
    return {"role_labels": ROLE_LABELS}
