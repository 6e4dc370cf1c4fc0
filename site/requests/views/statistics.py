"""依申请公开 statistics for the public, with the numbers they rest on."""

from __future__ import annotations

from flask import render_template, request

from opengov.site.requests.rules.outcomes import Bucket
from opengov.site.requests.rules.statistics import MIN_FOR_RATE
from opengov.site.requests.service import public as applicants
from opengov.site.web.public import bp


@bp.get("/statistics")
def request_statistics() -> str:
    page = applicants.statistics_page(request.args.get("agency", ""))
    return render_template("public/statistics.html", years=page.years, agencies=page.agencies,
                           agency=page.agency, buckets=list(Bucket), min_for_rate=MIN_FOR_RATE)
