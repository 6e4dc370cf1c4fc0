"""Administrators manage staff accounts and their roles (a person may hold several)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import ROLE_LABELS, Role
from opengov.site.accounts.service import users as accounts
from opengov.site.accounts.service.auth import password_policy, request_origin, restart_session
from opengov.site.agencies.models import Agency
from opengov.site.audit import service as audit
from opengov.site.audit.service import AuditAction
from opengov.site.db import get_session
from opengov.site.web.forms import ChineseForm, MultiCheckboxField, options
from opengov.site.web.staff import staff_route


def _role_choices() -> list[SelectChoice]:
    return options((role.value, label) for role, label in ROLE_LABELS.items())


def _agency_choices() -> list[SelectChoice]:
    agencies = get_session().scalars(select(Agency).order_by(Agency.sort_order, Agency.id))
    return options([("", "（全站）")] + [(str(agency.id), agency.name) for agency in agencies])


class AccountForm(ChineseForm):
    display_name = StringField("姓名", validators=[DataRequired("请输入姓名"), Length(max=60)])
    email = StringField("电子邮箱", validators=[Optional(), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="邮箱格式不正确"),
                                            Length(max=120)])
    agency = SelectField("所属机关", choices=[], validate_choice=False)
    roles = MultiCheckboxField("角色（可多选）", choices=[])
    active = BooleanField("启用", default=True)


class NewAccountForm(AccountForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名"), Length(max=60)])
    password = PasswordField("初始密码", validators=[DataRequired("请输入初始密码")])


class ResetPasswordForm(ChineseForm):
    password = PasswordField("新密码", validators=[DataRequired("请输入新密码")])


def _prepare(form: AccountForm) -> None:
    form.roles.choices = _role_choices()
    form.agency.choices = _agency_choices()


def _agency_id(form: AccountForm) -> int | None:
    raw = form.agency.data or ""
    return int(raw) if raw.isdigit() else None


def _roles(form: AccountForm) -> frozenset[Role]:
    valid = {role.value for role in Role}
    return frozenset(Role(value) for value in form.roles.data or [] if value in valid)


@staff_route("/users", roles=[Role.ADMIN])
def users() -> str:
    people = get_session().scalars(select(User).order_by(User.username)).all()
    return render_template("staff/users.html", users=people)


@staff_route("/users/new", roles=[Role.ADMIN], methods=["GET", "POST"])
def new_user() -> ResponseReturnValue:
    form = NewAccountForm()
    _prepare(form)
    if form.validate_on_submit():
        session = get_session()
        try:
            user = accounts.create_user(
                session, username=form.username.data, display_name=form.display_name.data,
                email=form.email.data or "", password=form.password.data, roles=_roles(form),
                policy=password_policy(), agency_id=_agency_id(form))
        except accounts.AccountError as exc:
            target = form.password if "密码" in str(exc) else form.username
            target.errors.append(str(exc))
        else:
            user.active = bool(form.active.data)
            audit.record(session, AuditAction.ACCOUNT, actor=current_user.user,
                         origin=request_origin(), object_type="user", object_id=user.id,
                         detail=f"创建账户 {user.username}，角色 {user.roles_csv or '无'}")
            session.commit()
            flash(f"已创建账户 {user.username}。", "info")
            return redirect(url_for("staff.users"))
    return render_template("staff/user_form.html", form=form, user=None)


@staff_route("/users/<int:user_id>", roles=[Role.ADMIN], methods=["GET", "POST"])
def edit_user(user_id: int) -> ResponseReturnValue:
    session = get_session()
    user = session.get(User, user_id) or abort(404)
    form = AccountForm(obj=None if _is_post() else user)
    _prepare(form)
    if not _is_post():
        form.roles.data = sorted(role.value for role in user.roles)
        form.agency.data = str(user.agency_id or "")
    if form.validate_on_submit():
        try:
            changes = accounts.update_user(
                session, user, actor=current_user.user, display_name=form.display_name.data,
                email=form.email.data or "", roles=_roles(form), active=bool(form.active.data),
                agency_id=_agency_id(form))
        except accounts.AccountError as exc:
            form.roles.errors.append(str(exc))
        else:
            if changes:
                audit.record(session, AuditAction.ACCOUNT, actor=current_user.user,
                             origin=request_origin(), object_type="user", object_id=user.id,
                             detail=f"修改账户 {user.username}：" + "；".join(changes))
            session.commit()
            if user.id == current_user.user.id \
                    and any(change.startswith("角色") for change in changes):
                restart_session(user)  # a change of one's own roles ended every session
            flash("已保存。", "info")
            return redirect(url_for("staff.users"))
    return render_template("staff/user_form.html", form=form, user=user,
                           reset_form=ResetPasswordForm(),
                           sessions=accounts.live_sessions(user.id))


@staff_route("/users/<int:user_id>/password", roles=[Role.ADMIN], methods=["POST"])
def reset_password(user_id: int) -> ResponseReturnValue:
    session = get_session()
    user = session.get(User, user_id) or abort(404)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.set_password(session, user, form.password.data, password_policy())
        except accounts.AccountError as exc:
            flash(f"密码未修改：{exc}", "error")
        else:
            audit.record(session, AuditAction.PASSWORD_CHANGED, actor=current_user.user,
                         origin=request_origin(), object_type="user", object_id=user.id,
                         detail=f"管理员重置 {user.username} 的密码")
            session.commit()
            flash(f"已重置 {user.username} 的密码，其登录会话已全部结束。", "info")
    else:
        flash("请输入新密码。", "error")
    return redirect(url_for("staff.edit_user", user_id=user.id))


@staff_route("/users/<int:user_id>/sessions/revoke", roles=[Role.ADMIN], methods=["POST"])
def revoke_sessions(user_id: int) -> ResponseReturnValue:
    session = get_session()
    user = session.get(User, user_id) or abort(404)
    count = accounts.revoke_user_sessions(session, user.id)
    audit.record(session, AuditAction.ACCOUNT, actor=current_user.user, origin=request_origin(),
                 object_type="user", object_id=user.id,
                 detail=f"结束 {user.username} 的 {count} 个登录会话")
    session.commit()
    flash(f"已结束 {user.username} 的 {count} 个登录会话。", "info")
    return redirect(url_for("staff.edit_user", user_id=user.id))


def _is_post() -> bool:
    from flask import request

    return request.method == "POST"
