"""依申请公开 statistics for the public, with the numbers they rest on."""

from __future__ import annotations

from flask import abort, render_template, request

from opengov.site.catalog.service import public as public_catalog
from opengov.site.db import get_session
from opengov.site.requests.rules.outcomes import Bucket
from opengov.site.requests.rules.statistics import MIN_FOR_RATE
from opengov.site.requests.service.statistics import figures
from opengov.site.web.public import bp


@bp.get("/statistics")
def request_statistics() -> str:
    session = get_session()
    agencies = public_catalog.public_agencies(session)
    code = request.args.get("agency", "")
    agency = next((item for item in agencies if item.code == code), None)
    if code and agency is None:
        abort(404)
    return render_template("public/statistics.html", years=figures(session, agency),
                           agencies=agencies, agency=agency, buckets=list(Bucket),
                           min_for_rate=MIN_FOR_RATE)
