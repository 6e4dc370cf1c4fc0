"""Staff maintain the search synonyms (公车 → 公务用车)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from opengov.site.accounts.rules.roles import Role
from opengov.site.exceptions import InvalidInputError
from opengov.site.search.forms import DeleteForm, SynonymForm
from opengov.site.search.service import synonyms as synonym_service
from opengov.site.web.staff import staff_route

ROLES = [Role.EDITOR, Role.ADMIN]


@staff_route("/search/synonyms", roles=ROLES, methods=["GET", "POST"])
def search_synonyms() -> ResponseReturnValue:
    form = SynonymForm()
    if form.validate_on_submit():
        try:
            added = synonym_service.add_synonym(form.term.data, form.synonym.data)
        except InvalidInputError as exc:
            form.synonym.errors.append(exc.message)
        else:
            flash(f"已添加同义词：{form.term.data} → {form.synonym.data}" if added
                  else "这条同义词已经存在。", "info")
            return redirect(url_for("staff.search_synonyms"))
    return render_template("staff/search_synonyms.html", form=form, delete_form=DeleteForm(),
                           synonyms=synonym_service.list_synonyms())


@staff_route("/search/synonyms/<int:synonym_id>/delete", roles=ROLES, methods=["POST"])
def delete_search_synonym(synonym_id: int) -> ResponseReturnValue:
    if DeleteForm().validate_on_submit() and synonym_service.remove_synonym(synonym_id):
        flash("已删除。", "info")
    return redirect(url_for("staff.search_synonyms"))
