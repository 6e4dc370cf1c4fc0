"""The staff page 通知邮件: notices that did not go out, to send again or discard."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service.auth import request_origin
from opengov.site.mail.forms import NoticeActionForm
from opengov.site.mail.service import staff as notices
from opengov.site.web.staff import staff_route

ROLES = [Role.ADMIN]
NOTICE_ID = "<int(max=2147483647):notice_id>"


@staff_route("/mail", roles=ROLES)
def mail_notices() -> ResponseReturnValue:
    return render_template("staff/mail_notices.html", page=notices.notices_page(current_user.user),
                           form=NoticeActionForm())


@staff_route(f"/mail/{NOTICE_ID}/retry", roles=ROLES, methods=["POST"])
def retry_mail_notice(notice_id: int) -> ResponseReturnValue:
    if NoticeActionForm().validate_on_submit():
        notices.retry_notice(current_user.user, notice_id, origin=request_origin())
        flash(f"通知 #{notice_id} 将在邮件发送进程下一轮重新发送。", "info")
    return redirect(url_for("staff.mail_notices"))


@staff_route(f"/mail/{NOTICE_ID}/discard", roles=ROLES, methods=["POST"])
def discard_mail_notice(notice_id: int) -> ResponseReturnValue:
    if NoticeActionForm().validate_on_submit():
        notices.discard_notice(current_user.user, notice_id, origin=request_origin())
        flash(f"已放弃通知 #{notice_id}。", "info")
    return redirect(url_for("staff.mail_notices"))
