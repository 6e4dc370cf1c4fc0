"""依申请公开 statistics for the public, per agency and year, with the numbers they rest on:
a chart always with its table, and the table as CSV."""

from __future__ import annotations

from urllib.parse import quote

from flask import render_template, request
from flask.typing import ResponseReturnValue

from opengov.site.requests.rules.outcomes import Bucket
from opengov.site.requests.rules.statistics import MIN_FOR_RATE
from opengov.site.requests.service import public as applicants
from opengov.site.web.params import optional_int_arg
from opengov.site.web.public import bp

#: Years a query may name: the Regulations apply from 2008.
FIRST_YEAR, LAST_YEAR = 2008, 2100


def _year() -> int | None:
    """``?year=``; a year that is not one is refused with a message (one parameter policy)."""
    return optional_int_arg("year", low=FIRST_YEAR, high=LAST_YEAR, label="年度")


@bp.get("/statistics")
def request_statistics() -> str:
    page = applicants.statistics_page(request.args.get("agency", ""), _year())
    return render_template("public/statistics.html", years=page.years, agencies=page.agencies,
                           agency=page.agency, buckets=list(Bucket), min_for_rate=MIN_FOR_RATE,
                           year=page.year, by_agency=page.by_agency, today=page.today)


@bp.get("/statistics.csv")
def request_statistics_csv() -> ResponseReturnValue:
    """Per year (of one agency or the site), or per agency with ``?year=``."""
    agency = request.args.get("agency", "")
    year = _year()
    name = f"依申请公开统计{('-' + agency) if agency else ''}{('-' + str(year)) if year else ''}.csv"
    return applicants.statistics_csv(agency, year), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
