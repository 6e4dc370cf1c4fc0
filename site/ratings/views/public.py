"""Rating a service item or a closed request, and the public figures of 好差评."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue

from opengov.site.exceptions import ConflictError, NotFoundError
from opengov.site.ratings.forms import RatingForm, RequestRatingForm
from opengov.site.ratings.rules import LEVEL_LABELS, Level, percent
from opengov.site.ratings.service import rating as ratings
from opengov.site.ratings.service import results
from opengov.site.throttle.service import RateLimitedError
from opengov.site.web.public import bp

ITEM_ID = "<int(max=2147483647):item_id>"


def _client() -> str:
    return request.remote_addr or "unknown"


def _helpers() -> dict[str, object]:
    return {"percent": percent, "levels": list(Level), "level_labels": LEVEL_LABELS}


@bp.route(f"/service-items/{ITEM_ID}/rating", methods=["GET", "POST"])
def rate_service_item(item_id: int) -> ResponseReturnValue:
    """The rating form of an item with its figures so far; one rating per address and item a
    day, a few per address an hour."""
    page = ratings.item_rating_page(item_id)
    form = RatingForm()

    def render(status: int = 200, form_error: str = "") -> ResponseReturnValue:
        return render_template("public/ratings/item.html", page=page, form=form,
                               form_error=form_error, **_helpers()), status

    if request.method == "GET":
        return render()
    if not form.validate_on_submit():
        return render(422)
    try:
        rated = ratings.rate_item(item_id, form.to_input(), client=_client())
    except ratings.InvalidRatingError as refusal:
        form.show(refusal.problems)
        return render(422)
    except RateLimitedError as refusal:
        return render(429, refusal.message)
    return render_template("public/ratings/thanks.html", rated=rated,
                           item=page.figures.item, back=page.figures.item.name)


@bp.route("/requests/rating", methods=["GET", "POST"])
def rate_request() -> ResponseReturnValue:
    """The applicant rates a closed request with its number and query code (the code travels
    only in the POST body)."""
    form = RequestRatingForm()

    def render(status: int = 200, form_error: str = "") -> ResponseReturnValue:
        return render_template("public/ratings/request.html", form=form,
                               indicators=ratings.request_indicators(), form_error=form_error,
                               **_helpers()), status

    if request.method == "GET":
        form.number.data = request.args.get("number", "")[:20]
        return render()
    if not form.validate_on_submit():
        return render(422)
    try:
        rated = ratings.rate_request(form.number.data, form.code.data, form.to_input(),
                                     client=_client())
    except ratings.InvalidRatingError as refusal:
        form.show(refusal.problems)
        return render(422)
    except RateLimitedError as refusal:
        return render(429, refusal.message)
    except NotFoundError as refusal:
        return render(404, refusal.message)
    except ConflictError as refusal:
        return render(409, refusal.message)
    return render_template("public/ratings/thanks.html", rated=rated, item=None,
                           back=form.number.data)


@bp.get("/ratings")
def ratings_results() -> str:
    """好差评 results per agency and per item, with the follow-up of every 差评."""
    return render_template("public/ratings/results.html", page=results.ratings_page(),
                           **_helpers())
