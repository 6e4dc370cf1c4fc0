"""Forms of the accounts pages: signing in, one's own password, accounts and their roles."""

from __future__ import annotations

from collections.abc import Iterable

from wtforms import BooleanField, Field, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from opengov.site.accounts.rules.roles import ROLE_LABELS, Role
from opengov.site.web.forms import ChineseForm, MultiCheckboxField, options


class LoginForm(ChineseForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名")])
    password = PasswordField("密码", validators=[DataRequired("请输入密码")])


class PasswordForm(ChineseForm):
    current = PasswordField("当前密码", validators=[DataRequired("请输入当前密码")])
    new = PasswordField("新密码", validators=[DataRequired("请输入新密码")])
    confirm = PasswordField("再次输入新密码", validators=[
        DataRequired("请再次输入新密码"), EqualTo("new", "两次输入的新密码不一致")])

    def field_for(self, problem_field: str) -> Field:
        """The field to show an account refusal beside (the service names ``current_password``
        or ``password``)."""
        return self.current if problem_field == "current_password" else self.new


class AccountForm(ChineseForm):
    display_name = StringField("姓名", validators=[DataRequired("请输入姓名"), Length(max=60)])
    email = StringField("电子邮箱", validators=[Optional(), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="邮箱格式不正确"),
                                            Length(max=120)])
    agency = SelectField("所属机关", choices=[], validate_choice=False)
    roles = MultiCheckboxField("角色（可多选）", choices=[])
    active = BooleanField("启用", default=True)

    def set_choices(self, agencies: Iterable[tuple[int, str]]) -> None:
        """Offer every role and the agencies given as (id, name); empty is 全站 (site-wide)."""
        self.roles.choices = options((role.value, label) for role, label in ROLE_LABELS.items())
        self.agency.choices = options(
            [("", "（全站）")] + [(str(agency_id), name) for agency_id, name in agencies])

    def agency_id(self) -> int | None:
        raw = self.agency.data or ""
        return int(raw) if raw.isdigit() else None

    def chosen_roles(self) -> frozenset[Role]:
        valid = {role.value for role in Role}
        return frozenset(Role(value) for value in self.roles.data or [] if value in valid)

    def field_for(self, problem_field: str) -> Field:
        """The field to show an account refusal beside; the roles when the service names
        none of the fields this form has."""
        field: Field | None = getattr(self, problem_field, None) if problem_field else None
        return field if isinstance(field, Field) else self.roles


class NewAccountForm(AccountForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名"), Length(max=60)])
    password = PasswordField("初始密码", validators=[DataRequired("请输入初始密码")])

    def field_for(self, problem_field: str) -> Field:
        # Refusals of a new account are about its name unless they name another field.
        return super().field_for(problem_field or "username")


class ResetPasswordForm(ChineseForm):
    password = PasswordField("新密码", validators=[DataRequired("请输入新密码")])


class SecondFactorForm(ChineseForm):
    code = StringField("验证码或恢复码", validators=[DataRequired("请输入验证器显示的6位数字或一个恢复码"),
                                             Length(max=40)])


class EnrolForm(ChineseForm):
    """Confirms the new secret with a code from the app; the secret travels signed."""

    secret = HiddenField(validators=[DataRequired()])
    code = StringField("验证器显示的6位数字", validators=[DataRequired("请输入6位验证码"),
                                                Length(max=10)])


class CodeForm(ChineseForm):
    """A current code, to renew the recovery codes or turn the second factor off."""

    code = StringField("当前验证码", validators=[DataRequired("请输入验证码"), Length(max=40)])
