"""Forms of the staff synonyms page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import AnyOf, DataRequired, Length


class SynonymForm(FlaskForm):  # type: ignore[misc]
    term = StringField("用户输入的词", validators=[DataRequired("请填写用户输入的词"),
                                              Length(max=60, message="不超过60个字")])
    synonym = StringField("同时搜索的词", validators=[DataRequired("请填写同时搜索的词"),
                                                Length(max=60, message="不超过60个字")])


class DeleteForm(FlaskForm):  # type: ignore[misc]
    """Only the CSRF token: the synonym is named by the URL."""


class BlockTermForm(FlaskForm):  # type: ignore[misc]
    term = StringField("屏蔽词", validators=[DataRequired("请填写要屏蔽的词"),
                                          Length(max=60, message="不超过60个字")])


class DecisionForm(FlaskForm):  # type: ignore[misc]
    """Approve, block or reset one query (the query and the decision travel as fields)."""

    query = HiddenField(validators=[DataRequired(), Length(max=200)])
    decision = HiddenField(validators=[DataRequired(), AnyOf(["approved", "blocked", "reset"])])
