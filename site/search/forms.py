"""Forms of the staff synonyms page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class SynonymForm(FlaskForm):  # type: ignore[misc]
    term = StringField("用户输入的词", validators=[DataRequired("请填写用户输入的词"),
                                              Length(max=60, message="不超过60个字")])
    synonym = StringField("同时搜索的词", validators=[DataRequired("请填写同时搜索的词"),
                                                Length(max=60, message="不超过60个字")])


class DeleteForm(FlaskForm):  # type: ignore[misc]
    """Only the CSRF token: the synonym is named by the URL."""
