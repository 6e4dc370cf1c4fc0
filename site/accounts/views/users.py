"""Administrators manage staff accounts and their roles (a person may hold several)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from opengov.site.accounts.forms import AccountForm, NewAccountForm, ResetPasswordForm
from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service import second_factor
from opengov.site.accounts.service import users as accounts
from opengov.site.accounts.service.auth import request_origin, restart_session
from opengov.site.agencies import service as agencies
from opengov.site.web.staff import staff_route


def _offer_choices(form: AccountForm) -> None:
    form.set_choices((agency.id, agency.name) for agency in agencies.all_agencies())


@staff_route("/users", roles=[Role.ADMIN])
def users() -> str:
    return render_template("staff/users.html", users=accounts.list_accounts(current_user.user))


@staff_route("/users/new", roles=[Role.ADMIN], methods=["GET", "POST"])
def new_user() -> ResponseReturnValue:
    form = NewAccountForm()
    _offer_choices(form)
    if form.validate_on_submit():
        try:
            user = accounts.create_account(
                current_user.user, username=form.username.data,
                display_name=form.display_name.data, email=form.email.data or "",
                password=form.password.data, roles=form.chosen_roles(),
                agency_id=form.agency_id(), active=bool(form.active.data),
                origin=request_origin())
        except accounts.AccountError as exc:
            form.field_for(exc.field).errors.append(exc.message)
        else:
            flash(f"已创建账户 {user.username}。", "info")
            return redirect(url_for("staff.users"))
    return render_template("staff/user_form.html", form=form, user=None)


@staff_route("/users/<int:user_id>", roles=[Role.ADMIN], methods=["GET", "POST"])
def edit_user(user_id: int) -> ResponseReturnValue:
    account = accounts.get_account(current_user.user, user_id)
    posted = request.method == "POST"
    form = AccountForm(obj=None if posted else account.user)
    _offer_choices(form)
    if not posted:
        form.roles.data = sorted(role.value for role in account.user.roles)
        form.agency.data = str(account.user.agency_id or "")
    if form.validate_on_submit():
        try:
            result = accounts.update_account(
                current_user.user, user_id, display_name=form.display_name.data,
                email=form.email.data or "", roles=form.chosen_roles(),
                active=bool(form.active.data), agency_id=form.agency_id(),
                origin=request_origin())
        except accounts.AccountError as exc:
            form.field_for(exc.field).errors.append(exc.message)
        else:
            if result.ended_own_sessions:
                restart_session(current_user.user)  # keep this browser signed in
            flash("已保存。", "info")
            return redirect(url_for("staff.users"))
    return render_template("staff/user_form.html", form=form, user=account.user,
                           reset_form=ResetPasswordForm(), sessions=account.sessions)


@staff_route("/users/<int:user_id>/password", roles=[Role.ADMIN], methods=["POST"])
def reset_password(user_id: int) -> ResponseReturnValue:
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.reset_password(current_user.user, user_id, form.password.data,
                                           origin=request_origin())
        except accounts.AccountError as exc:
            flash(f"密码未修改：{exc.message}", "error")
        else:
            flash(f"已重置 {user.username} 的密码，其登录会话已全部结束。", "info")
    else:
        flash("请输入新密码。", "error")
    return redirect(url_for("staff.edit_user", user_id=user_id))


@staff_route("/users/<int:user_id>/sessions/revoke", roles=[Role.ADMIN], methods=["POST"])
def revoke_sessions(user_id: int) -> ResponseReturnValue:
    user, count = accounts.end_sessions(current_user.user, user_id, origin=request_origin())
    flash(f"已结束 {user.username} 的 {count} 个登录会话。", "info")
    return redirect(url_for("staff.edit_user", user_id=user_id))


@staff_route("/users/<int:user_id>/second-factor/reset", roles=[Role.ADMIN], methods=["POST"])
def reset_second_factor(user_id: int) -> ResponseReturnValue:
    """For someone who lost their phone and recovery codes: they enrol again at next sign-in
    (administrators must)."""
    user = second_factor.disable(current_user.user, user_id, origin=request_origin())
    flash(f"已关闭 {user.username} 的双因素认证。", "info")
    return redirect(url_for("staff.edit_user", user_id=user_id))
