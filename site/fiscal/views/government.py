"""政府预决算: the government's own budget by year, each report, each table level by level
(类 → 款 → 项), and the downloads of every table."""

from __future__ import annotations

from typing import Any

from flask import Response, render_template, request, url_for
from markupsafe import Markup

from opengov.site.fiscal.rules.government import Budget
from opengov.site.fiscal.service import government_public as government
from opengov.site.fiscal.views.public import YEAR, send_download
from opengov.site.web.public import bp

FORMATS = ("csv", "xlsx", "json")


def downloads(endpoint: str, **values: Any) -> dict[str, str]:
    """The CSV, XLSX and JSON links of one table (used by the templates)."""
    return {fmt: url_for(endpoint, fmt=fmt, **values) for fmt in FORMATS}


@bp.get("/fiscal/government/")
def fiscal_government() -> str:
    """Every year's 预算, 预算调整, 预算执行情况 and 决算, and whether each came in time."""
    return render_template("public/fiscal/government/index.html",
                           index=government.government_index())


@bp.get(f"/fiscal/government/{YEAR}/")
def fiscal_government_year(year: int) -> str:
    page = government.year_page(year)
    # bar_chart escapes every text it writes, so its SVG is safe to mark up.
    charts = {name: Markup(flow.chart_svg)  # noqa: S704
              for name, flow in (("revenue", page.revenue), ("spending", page.spending)) if flow}
    return render_template("public/fiscal/government/year.html", page=page, charts=charts,
                           downloads=downloads)


@bp.get(f"/fiscal/government/{YEAR}/budgets.<fmt>")
def fiscal_government_budgets_download(year: int, fmt: str) -> Response:
    return send_download(government.budgets_download(year, fmt))


@bp.get(f"/fiscal/government/{YEAR}/departments.<fmt>")
def fiscal_government_departments_download(year: int, fmt: str) -> Response:
    return send_download(government.departments_download(year, fmt))


@bp.get(f"/fiscal/government/{YEAR}/<report>/")
def fiscal_government_report(year: int, report: str) -> str:
    page = government.report_page(year, report)
    return render_template("public/fiscal/government/report.html", page=page,
                           budgets=list(Budget), downloads=downloads)


@bp.get(f"/fiscal/government/{YEAR}/<report>/<table>/")
def fiscal_government_table(year: int, report: str, table: str) -> str:
    """A table level by level (``?code=201``), or whole (``?all=1``)."""
    code = request.args.get("code") or None
    page = government.table_page(year, report, table, code=code,
                                 everything=request.args.get("all") == "1")
    chart = Markup(page.chart_svg)  # noqa: S704 - bar_chart escapes what it writes
    return render_template("public/fiscal/government/table.html", page=page, chart=chart,
                           downloads=downloads)


@bp.get(f"/fiscal/government/{YEAR}/<report>/<table>.<fmt>")
def fiscal_government_table_download(year: int, report: str, table: str,
                                     fmt: str) -> Response:
    return send_download(government.table_download(year, report, table, fmt))
