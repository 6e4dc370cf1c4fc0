"""政府预决算 as JSON: the years, a year with its reports and the four budgets, a report with
all its tables, one table. Tables are the very rows of the page and the downloads."""

from __future__ import annotations

from typing import Any

from flask import jsonify, url_for
from flask.typing import ResponseReturnValue

from opengov.site.fiscal.service import government_public as government
from opengov.site.fiscal.service.export import to_json
from opengov.site.fiscal.views.public import YEAR
from opengov.site.web.api import bp


def _status(status: government.ReportStatus) -> dict[str, Any]:
    report = status.report
    key: dict[str, Any] = {"year": report.year, "report": report.key.slug}
    summary: dict[str, Any] = {
        **key,
        "stage": str(report.stage),
        "sequence": report.sequence,
        "title": status.title,
        "approved_by": report.approved_by,
        "approved_on": report.approved_on.isoformat() if report.approved_on else None,
        "published_on": report.published_on.isoformat() if status.public and report.published_on
        else None,
        "timeliness": str(status.timeliness),
        "days_after_approval": status.days,
        "is_example": report.is_example,
    }
    if status.public:
        summary["url"] = url_for("public.fiscal_government_report", _external=True, **key)
        summary["api_url"] = url_for("api.fiscal_government_report_detail", _external=True,
                                     **key)
        summary["tables"] = [{
            "table": table.slug, "title": table.title,
            "api_url": url_for("api.fiscal_government_table_detail", _external=True,
                               table=table.slug, **key),
            "downloads": {fmt: url_for("public.fiscal_government_table_download",
                                       _external=True, table=table.slug, fmt=fmt, **key)
                          for fmt in ("csv", "xlsx", "json")},
        } for table in report.tables]
    return summary


@bp.get("/fiscal/government")
def fiscal_government_years() -> ResponseReturnValue:
    index = government.government_index()
    return jsonify({
        "government": index.government.name if index.government else None,
        "years": [{"year": year.year,
                   "api_url": url_for("api.fiscal_government_year_detail", year=year.year,
                                      _external=True) if year.year in index.public_years
                   else None,
                   "reports": [_status(status) for status in year.reports]}
                  for year in index.years],
    })


@bp.get(f"/fiscal/government/{YEAR}")
def fiscal_government_year_detail(year: int) -> ResponseReturnValue:
    page = government.year_page(year)
    return jsonify({
        "year": page.year,
        "government": page.government.name,
        "reports": [_status(status) for status in page.statuses],
        "budgets": to_json(page.budgets),
        "revenue": to_json(page.revenue.table) if page.revenue else None,
        "spending": to_json(page.spending.table) if page.spending else None,
        "departments": to_json(page.departments),
    })


@bp.get(f"/fiscal/government/{YEAR}/<report>")
def fiscal_government_report_detail(year: int, report: str) -> ResponseReturnValue:
    page = government.report_page(year, report)
    return jsonify({
        **_status(page.status),
        "narrative_markdown": page.report.narrative,
        # A list, in the published order (a JSON object's keys would be sorted).
        "tables": [{"table": entry.table.slug, **to_json(entry.data)} for entry in page.tables],
    })


@bp.get(f"/fiscal/government/{YEAR}/<report>/<table>")
def fiscal_government_table_detail(year: int, report: str, table: str) -> ResponseReturnValue:
    page = government.table_page(year, report, table, everything=True)
    return jsonify({"table": page.spec.slug, **to_json(page.full)})
