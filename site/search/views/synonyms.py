"""Staff maintain the search synonyms (公车 → 公务用车)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from opengov.site.accounts.rules.roles import Role
from opengov.site.db import get_session
from opengov.site.search.service import search as search_service
from opengov.site.web.staff import staff_route

ROLES = [Role.EDITOR, Role.ADMIN]


class SynonymForm(FlaskForm):  # type: ignore[misc]
    term = StringField("用户输入的词", validators=[DataRequired("请填写用户输入的词"),
                                              Length(max=60, message="不超过60个字")])
    synonym = StringField("同时搜索的词", validators=[DataRequired("请填写同时搜索的词"),
                                                Length(max=60, message="不超过60个字")])


class DeleteForm(FlaskForm):  # type: ignore[misc]
    """Only the CSRF token: the synonym is named by the URL."""


@staff_route("/search/synonyms", roles=ROLES, methods=["GET", "POST"])
def search_synonyms() -> ResponseReturnValue:
    session = get_session()
    form = SynonymForm()
    if form.validate_on_submit():
        try:
            added = search_service.add_synonym(session, form.term.data, form.synonym.data)
        except ValueError as exc:
            form.synonym.errors.append(str(exc))
        else:
            session.commit()
            flash(f"已添加同义词：{form.term.data} → {form.synonym.data}" if added
                  else "这条同义词已经存在。", "info")
            return redirect(url_for("staff.search_synonyms"))
    return render_template("staff/search_synonyms.html", form=form, delete_form=DeleteForm(),
                           synonyms=search_service.list_synonyms(session))


@staff_route("/search/synonyms/<int:synonym_id>/delete", roles=ROLES, methods=["POST"])
def delete_search_synonym(synonym_id: int) -> ResponseReturnValue:
    session = get_session()
    if DeleteForm().validate_on_submit() and search_service.remove_synonym(session, synonym_id):
        session.commit()
        flash("已删除。", "info")
    return redirect(url_for("staff.search_synonyms"))
