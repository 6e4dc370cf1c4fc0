"""Sign in, sign out and one's own password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from opengov.site.accounts.forms import (
    CodeForm,
    EnrolForm,
    LoginForm,
    PasswordForm,
    SecondFactorForm,
)
from opengov.site.accounts.rules.roles import ROLE_LABELS, Role
from opengov.site.accounts.service import auth
from opengov.site.accounts.service import second_factor as second_factor_service
from opengov.site.accounts.service.users import AccountError, password_policy
from opengov.site.exceptions import ForbiddenError, InvalidInputError
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
        if outcome == auth.LoginOutcome.SECOND_FACTOR:
            return redirect(url_for("staff.login_second_factor",
                                    next=_safe_next(request.args.get("next"))))
        if outcome == auth.LoginOutcome.LOCKED:
            # Said for every name typed, existing or not: it reveals nothing about accounts.
            flash("登录失败次数过多，请稍后再试。", "error")
            status = 429
        else:
            flash("用户名或密码错误。", "error")
    return render_template("staff/login.html", form=form), status


@bp.route("/login/second-factor", methods=["GET", "POST"])
def login_second_factor() -> ResponseReturnValue:
    """The second step of signing in: the code of the authenticator app or a recovery code."""
    username = auth.pending_second_factor()
    if username is None:
        flash("请重新输入用户名和密码。", "error")
        return redirect(url_for("staff.login"))
    form = SecondFactorForm()
    status = 200
    if form.validate_on_submit():
        outcome = auth.complete_second_factor(form.code.data)
        if outcome == auth.LoginOutcome.OK:
            return redirect(_safe_next(request.args.get("next")))
        if outcome == auth.LoginOutcome.LOCKED:
            flash("登录失败次数过多，请稍后再试。", "error")
            return redirect(url_for("staff.login")), 302
        form.code.errors.append("验证码不正确或已使用过。")
        status = 422
    return render_template("staff/login_second_factor.html", form=form,
                           username=username), status


@bp.route("/account/second-factor", methods=["GET", "POST"])
def second_factor() -> ResponseReturnValue:
    """Turn on the second factor (TOTP), renew recovery codes, or turn it off."""
    user = current_user.user
    if not user.has_second_factor:
        form = EnrolForm()
        if form.validate_on_submit():
            try:
                enrolment = second_factor_service.enrol(user, form.secret.data, form.code.data,
                                                        origin=auth.request_origin())
            except InvalidInputError as exc:
                form.code.errors.append(exc.message)
            else:
                return render_template("staff/second_factor_codes.html",
                                       codes=enrolment.recovery_codes)
        secret = form.secret.data or second_factor_service.new_secret()
        form.secret.data = secret
        return render_template(
            "staff/second_factor.html", form=form, secret=secret,
            uri=second_factor_service.provisioning_uri(user, secret),
            required=second_factor_service.requires_second_factor(user)), \
            422 if form.errors else 200
    code_form = CodeForm()
    if code_form.validate_on_submit():
        try:
            if request.form.get("action") == "disable":
                second_factor_service.disable(user, user.id, code=code_form.code.data,
                                              origin=auth.request_origin())
                flash("已关闭双因素认证。", "info")
                return redirect(url_for("staff.dashboard"))
            enrolment = second_factor_service.new_recovery_codes(
                user, code_form.code.data, origin=auth.request_origin())
        except (InvalidInputError, ForbiddenError) as exc:
            code_form.code.errors.append(exc.message)
        else:
            return render_template("staff/second_factor_codes.html",
                                   codes=enrolment.recovery_codes)
    return render_template("staff/second_factor_on.html", form=code_form,
                           unused=second_factor_service.unused_recovery_codes(user),
                           required=user.has_role(Role.ADMIN)
                           and bool(current_app.config["TOTP_REQUIRED_FOR_ADMINS"])), \
        422 if code_form.errors else 200


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
    return render_template("staff/password.html", form=form, policy=password_policy(),
                           forced=current_user.user.must_change_password)


@bp.app_context_processor
def account_labels() -> dict[str, object]:
    return {"role_labels": ROLE_LABELS}
