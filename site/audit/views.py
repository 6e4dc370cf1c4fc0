"""The audit log for administrators: filter, page through and export as CSV."""

from __future__ import annotations

from flask import Response, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from opengov.site import clock
from opengov.site.audit import service as audit
from opengov.site.audit.forms import AuditFilterForm
from opengov.site.web.params import int_arg
from opengov.site.web.staff import ADMIN_ROLE, staff_route


def _filter_form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    form.validate()  # an unreadable date filters nothing rather than failing the page
    return form


@staff_route("/audit", roles=[ADMIN_ROLE])
def audit_log() -> ResponseReturnValue:
    form = _filter_form()
    page = audit.entries_page(current_user.user, form.filters(),
                              int_arg("page", 1, low=1, high=100_000, label="页码"))
    query = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("staff/audit_log.html", form=form, entries=page.entries,
                           has_next=page.has_next, page=page.page, query=query,
                           label=audit.action_label)


@staff_route("/audit.csv", roles=[ADMIN_ROLE])
def audit_csv() -> ResponseReturnValue:
    body = audit.export_csv(current_user.user, _filter_form().filters())
    stamp = clock.today().strftime("%Y%m%d")
    return Response(body, mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="audit-{stamp}.csv"'})
