"""Staff keep 热门搜索 clean: approve or block queries, maintain the block list."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service.auth import request_origin
from opengov.site.search.forms import BlockTermForm, DecisionForm
from opengov.site.search.service import popular
from opengov.site.web.staff import staff_route

ROLES = [Role.EDITOR, Role.REVIEWER, Role.ADMIN]


@staff_route("/search/popular", roles=ROLES, methods=["GET", "POST"])
def popular_searches() -> ResponseReturnValue:
    form = BlockTermForm(prefix="block")
    if form.validate_on_submit():
        added = popular.add_blocked_term(current_user.user, form.term.data,
                                         origin=request_origin())
        flash(f"已添加屏蔽词：{form.term.data}" if added else "该屏蔽词已经存在。", "info")
        return redirect(url_for("staff.popular_searches"))
    return render_template("staff/search_popular.html", form=form,
                           page=popular.popular_search_page(current_user.user),
                           decision_form=DecisionForm(prefix="decide"))


@staff_route("/search/popular/decide", roles=ROLES, methods=["POST"])
def decide_popular_search() -> ResponseReturnValue:
    form = DecisionForm(prefix="decide")
    if form.validate_on_submit():
        decision = None if form.decision.data == "reset" else form.decision.data
        popular.decide(current_user.user, form.query.data, decision, origin=request_origin())
        flash("已保存。", "info")
    else:
        flash("操作无效，请重试。", "error")
    return redirect(url_for("staff.popular_searches"))


@staff_route("/search/popular/blocked/<int:term_id>/delete", roles=ROLES, methods=["POST"])
def delete_blocked_term(term_id: int) -> ResponseReturnValue:
    # The site's CSRF protection has checked the token of this POST already.
    if popular.remove_blocked_term(current_user.user, term_id, origin=request_origin()):
        flash("已删除屏蔽词。", "info")
    return redirect(url_for("staff.popular_searches"))
