"""Staff: the queue of 差评 to call back and rectify, with deadlines and colours."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from opengov.site import clock
from opengov.site.accounts.rules.roles import Role
from opengov.site.accounts.service.auth import request_origin
from opengov.site.exceptions import ConflictError
from opengov.site.ratings.forms import CallbackForm, RectificationForm
from opengov.site.ratings.rules import INDICATORS, LEVEL_LABELS, Level, Subject
from opengov.site.ratings.service import followups
from opengov.site.web.staff import staff_route

STAFF = [Role.HANDLER, Role.EDITOR, Role.REVIEWER]
FOLLOW_UP_ID = "<int(max=2147483647):follow_up_id>"


def _actor() -> Any:
    return current_user.user


@staff_route("/ratings", roles=STAFF)
def rating_follow_ups() -> str:
    stage = request.args.get("stage", followups.OPEN)
    return render_template("staff/ratings/queue.html", queue=followups.queue(_actor(), stage),
                           stage=stage, filters=followups.QUEUE_FILTERS,
                           level_labels=LEVEL_LABELS, Level=Level)


def _page(follow_up_id: int, callback: CallbackForm | None = None,
          rectification: RectificationForm | None = None,
          status: int = 200) -> ResponseReturnValue:
    page = followups.follow_up_page(_actor(), follow_up_id)
    callback = callback or CallbackForm()
    rectification = rectification or RectificationForm()
    if request.method == "GET":
        callback.on.data = rectification.on.data = clock.today()
    subject = Subject(page.rating.subject)
    labels = {indicator.key: indicator.label for indicator in INDICATORS[subject]}
    return render_template("staff/ratings/follow_up.html", page=page, callback=callback,
                           rectification=rectification, level_labels=LEVEL_LABELS,
                           Level=Level, indicator_labels=labels, subject=subject), status


@staff_route(f"/ratings/{FOLLOW_UP_ID}", roles=STAFF)
def rating_follow_up(follow_up_id: int) -> ResponseReturnValue:
    return _page(follow_up_id)


@staff_route(f"/ratings/{FOLLOW_UP_ID}/callback", roles=STAFF, methods=["POST"])
def rating_callback(follow_up_id: int) -> ResponseReturnValue:
    form = CallbackForm()
    if form.validate_on_submit():
        try:
            followups.record_callback(_actor(), follow_up_id, on=form.on.data,
                                      method=form.method.data, note=form.note.data,
                                      origin=request_origin())
        except followups.FollowUpError as refusal:
            for key, message in refusal.problems.items():
                getattr(form, key).errors.append(message)
        except ConflictError as refusal:
            flash(refusal.message, "error")
            return redirect(url_for("staff.rating_follow_up", follow_up_id=follow_up_id))
        else:
            flash("已记录回访。", "info")
            return redirect(url_for("staff.rating_follow_up", follow_up_id=follow_up_id))
    return _page(follow_up_id, callback=form, status=422)


@staff_route(f"/ratings/{FOLLOW_UP_ID}/rectification", roles=STAFF, methods=["POST"])
def rating_rectification(follow_up_id: int) -> ResponseReturnValue:
    form = RectificationForm()
    if form.validate_on_submit():
        try:
            followups.record_rectification(_actor(), follow_up_id, verdict=form.verdict.data,
                                           text=form.text.data, on=form.on.data,
                                           origin=request_origin())
        except followups.FollowUpError as refusal:
            for key, message in refusal.problems.items():
                getattr(form, key).errors.append(message)
        except ConflictError as refusal:
            flash(refusal.message, "error")
            return redirect(url_for("staff.rating_follow_up", follow_up_id=follow_up_id))
        else:
            flash("已记录整改结果。", "info")
            return redirect(url_for("staff.rating_follow_up", follow_up_id=follow_up_id))
    return _page(follow_up_id, rectification=form, status=422)
