"""The filter of the audit log."""

from __future__ import annotations

import datetime as dt

from wtforms import DateField, SelectField, StringField
from wtforms.validators import Optional

from opengov.site.audit.service import ACTION_LABELS, AuditFilter
from opengov.site.web.forms import ChineseForm, options


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

    def filters(self) -> AuditFilter:
        """What the form asks for; fields that failed to parse count as empty."""

        def text(value: str | None) -> str:
            return (value or "").strip()

        date_from: dt.date | None = self.date_from.data
        date_to: dt.date | None = self.date_to.data
        return AuditFilter(username=text(self.username.data), action=text(self.action.data),
                           object_type=text(self.object_type.data),
                           object_id=text(self.object_id.data), ip=text(self.ip.data),
                           date_from=date_from, date_to=date_to)
