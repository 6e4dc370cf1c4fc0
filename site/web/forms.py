"""Small helpers shared by the forms of every blueprint."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from flask import g, has_request_context
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField
from wtforms import i18n as wtforms_i18n
from wtforms.csrf.core import CSRFTokenField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget, Select


class _HiddenTokenInput(HiddenInput):  # type: ignore[misc]
    """The CSRF token's input without an ``id``: a page with several forms would otherwise
    carry ``id="csrf_token"`` several times, which is invalid HTML (and nothing points at
    it: it has no label)."""

    def __call__(self, field: Any, **kwargs: Any) -> Any:
        kwargs["id"] = False
        return super().__call__(field, **kwargs)


# Every form's token field, Flask-WTF's included, renders through this widget.
CSRFTokenField.widget = _HiddenTokenInput()


class _SelectWidget(Select):  # type: ignore[misc]
    """A select whose ``required`` is written only when it has an empty placeholder first:
    HTML forbids ``required`` on a single select whose first option is a real value (the Nu
    checker's error), and such a select cannot be left empty anyway."""

    def __call__(self, field: Any, **kwargs: Any) -> Any:
        first = next(iter(field.iter_choices()), None)
        if not self.multiple and first is not None and first[0] not in ("", None):
            kwargs["required"] = False
        return super().__call__(field, **kwargs)


# Every single select of every form renders through it (the validators still require a value).
SelectField.widget = _SelectWidget()


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

    def error_text(self) -> str:
        """Every field's messages in one line, for a flash on a page that redirects."""
        return "；".join(error for errors in self.errors.values() for error in errors)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Known to the error pages: a submission the database could not take is shown back
        # with these labels (opengov.site.web.errors.kept_fields).
        if has_request_context():
            g.setdefault("forms", []).append(self)


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
