"""The public pages of 征求意见: the list, a consultation with its comment form, published
comments and feedback, the feed, and the open consultations the home page shows."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from opengov.site.consultations.forms import CommentForm
from opengov.site.consultations.rules import (
    LIST_FILTER_LABELS,
    ListFilter,
    Phase,
    parse_list_query,
)
from opengov.site.consultations.service import public as service
from opengov.site.exceptions import ConflictError, InvalidInputError
from opengov.site.throttle import service as throttle
from opengov.site.throttle.service import RateLimitedError
from opengov.site.web.csrf import csrf
from opengov.site.web.public import bp

CONSULTATION_ID = "<int(max=2147483647):consultation_id>"
FEED_ITEMS = 50
#: Open consultations shown on the home page.
HOME_ITEMS = 5


def _client() -> str:
    return request.remote_addr or "unknown"


@bp.get("/consultations")
def consultations() -> str:
    query = parse_list_query(request.args, default_size=current_app.config["PAGE_SIZE"])
    page = service.listing(query)
    return render_template("public/consultations.html", page=page, query=query,
                           errors=dict(query.errors), filters=LIST_FILTER_LABELS,
                           ListFilter=ListFilter, Phase=Phase)


def _comments_page() -> int:
    raw = request.args.get("page", "").strip()
    if not raw:
        return 1
    if not (raw.isascii() and raw.isdigit() and 1 <= len(raw) <= 5) or int(raw) < 1:
        raise InvalidInputError(f"页码应为正整数，收到“{raw[:10]}”。")
    return int(raw)


def _page(consultation_id: int, form: CommentForm | None = None, form_error: str = "") -> str:
    view = service.detail(consultation_id, _comments_page())
    if form is None:
        form = CommentForm()
        form.started.data = throttle.form_start_token()
    return render_template("public/consultation.html", view=view,
                           consultation=view.consultation, form=form, form_error=form_error,
                           Phase=Phase)


@bp.get(f"/consultations/{CONSULTATION_ID}")
def consultation(consultation_id: int) -> str:
    return _page(consultation_id)


@bp.post(f"/consultations/{CONSULTATION_ID}/comments")
def consultation_comment(consultation_id: int) -> ResponseReturnValue:
    form = CommentForm()
    if not form.validate():
        return _page(consultation_id, form), 422
    if throttle.sent_by_robot(form.started.data, form.website.data):
        form.started.data = throttle.form_start_token()
        return _page(consultation_id, form, "提交过快，请核对填写内容后再次提交。"), 422
    try:
        receipt = service.submit_comment(consultation_id, form.comment(), client=_client())
    except RateLimitedError as refusal:
        return _page(consultation_id, form, refusal.message), 429
    except ConflictError as refusal:
        return _page(consultation_id, form, refusal.message), 409
    except InvalidInputError as refusal:
        return _page(consultation_id, form, refusal.message), 422
    published = receipt.consultation.consultation.publishes_comments
    flash(f"您的意见已收到，编号为第{receipt.serial}条。意见经审核后"
          f"{'在本页公开' if published else '收录'}；征求意见结束后，本页将公布意见采纳情况，"
          "您可凭编号查看。", "info")
    return redirect(url_for(".consultation", consultation_id=consultation_id))


# The form checks its own CSRF token, so an expired one keeps what was typed instead of
# ending on the global "page expired" error.
csrf.exempt(consultation_comment)


@bp.get("/consultations/feed.atom")
def consultations_feed() -> Response:
    """The consultations, each updated when its feedback or final decision is published."""
    entries = service.feed(FEED_ITEMS)
    body = render_template("public/consultations_feed.atom.xml", entries=entries,
                           self_url=url_for(".consultations_feed", _external=True))
    return Response(body, content_type="application/atom+xml; charset=utf-8")


@bp.app_context_processor
def home_consultations() -> dict[str, Any]:
    """``open_consultations()`` for the home page (read only where a template calls it)."""
    return {"open_consultations": lambda: service.open_consultations(HOME_ITEMS)}
