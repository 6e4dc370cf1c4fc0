"""The audit log for administrators: filter, page through and export as CSV."""

from __future__ import annotations

import datetime as dt

from flask import Response, render_template, request
from flask.typing import ResponseReturnValue
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Optional

from opengov.site.audit import service as audit
from opengov.site.audit.service import ACTION_LABELS
from opengov.site.db import get_session
from opengov.site.web.forms import ChineseForm, options
from opengov.site.web.staff import ADMIN_ROLE, staff_route

PAGE_SIZE = 50


class AuditFilterForm(ChineseForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    username = StringField("用户", validators=[Optional()])
    action = SelectField("操作", choices=options([("", "全部")] + [
        (action.value, label) for action, label in ACTION_LABELS.items()]),
        validators=[Optional()])
    object_type = StringField("对象类型", validators=[Optional()])
    object_id = StringField("对象编号", validators=[Optional()])
    ip = StringField("IP", validators=[Optional()])
    date_from = DateField("起始日期", validators=[Optional()])
    date_to = DateField("截止日期", validators=[Optional()])


def _filters(form: AuditFilterForm) -> audit.AuditFilter:
    def text(value: str | None) -> str:
        return (value or "").strip()

    date_from: dt.date | None = form.date_from.data
    date_to: dt.date | None = form.date_to.data
    return audit.AuditFilter(username=text(form.username.data), action=text(form.action.data),
                             object_type=text(form.object_type.data),
                             object_id=text(form.object_id.data), ip=text(form.ip.data),
                             date_from=date_from, date_to=date_to)


@staff_route("/audit", roles=[ADMIN_ROLE])
def audit_log() -> ResponseReturnValue:
    form = AuditFilterForm(request.args)
    form.validate()
    filters = _filters(form)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    entries = audit.search(get_session(), filters, limit=PAGE_SIZE + 1,
                           offset=(page - 1) * PAGE_SIZE)
    query = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("staff/audit_log.html", form=form, entries=entries[:PAGE_SIZE],
                           has_next=len(entries) > PAGE_SIZE, page=page, query=query,
                           label=audit.action_label)


@staff_route("/audit.csv", roles=[ADMIN_ROLE])
def audit_csv() -> ResponseReturnValue:
    form = AuditFilterForm(request.args)
    form.validate()
    body = audit.to_csv(audit.search(get_session(), _filters(form)))
    stamp = dt.date.today().strftime("%Y%m%d")
    return Response(body, mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="audit-{stamp}.csv"'})
