"""Small helpers shared by the forms of every blueprint."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms import i18n as wtforms_i18n
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Select choices from (value, label) pairs (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):  # type: ignore[misc]
    """Several choices as a list of check boxes (roles, interpreted policies)."""

    widget = ListWidget(prefix_label=False, html_tag="ul")
    option_widget = CheckboxInput()


class ChineseForm(FlaskForm):  # type: ignore[misc]
    """A Flask-WTF form whose built-in messages ("Not a valid date value", "This field is
    required") come in Chinese from WTForms' own catalogue (Flask-WTF would need Babel)."""

    class Meta:
        locales = ("zh",)

        def get_translations(self, form: Any) -> Any:
            return wtforms_i18n.get_translations(self.locales)


#: An e-mail address as people type it: something@domain.tld, no spaces.
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class EmailAddress:
    """Validator: an empty value passes (pair with DataRequired when needed); anything else
    must look like an e-mail address."""

    def __init__(self, message: str = "请填写有效的电子邮箱") -> None:
        self.message = message

    def __call__(self, _form: Any, field: Any) -> None:
        value = (field.data or "").strip()
        if value and (len(value) > 120 or not EMAIL_PATTERN.match(value)):
            raise ValidationError(self.message)
