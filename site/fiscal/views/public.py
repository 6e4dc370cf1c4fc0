"""财政预决算: overview, department pages, the 三公经费 comparison, downloads, originals."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlsplit

from flask import Response, abort, render_template, request, send_file, url_for
from markupsafe import Markup

from opengov.site.fiscal.rules.disclosures import Stage
from opengov.site.fiscal.service import public as fiscal
from opengov.site.fiscal.service.export import FileDownload, number_text
from opengov.site.web.params import int_list_arg, optional_int_arg
from opengov.site.web.public import bp

#: Years in URLs and query strings: anything else is a 404 (URL) or a 400 with a Chinese
#: message (query string, web.params), never a database error.
FIRST_YEAR, LAST_YEAR = 1990, 2200
YEAR = f"<int(min={FIRST_YEAR}, max={LAST_YEAR}):year>"


def year_args() -> list[int]:
    """The ``year`` parameters of the query string (``?year=2024&year=2025``)."""
    return int_list_arg("year", low=FIRST_YEAR, high=LAST_YEAR, label="年度")


def year_arg() -> int | None:
    """The ``year`` parameter of the query string, None when absent or empty."""
    return optional_int_arg("year", low=FIRST_YEAR, high=LAST_YEAR, label="年度")


@bp.app_template_filter("fiscal_cell")
def fiscal_cell(value: object) -> str:
    """Amounts with two decimals, percentages with one, empty for a missing figure."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return number_text(value)
    return str(value)


@bp.app_template_filter("url_host")
def url_host(value: str) -> str:
    """The host of a source URL, as the readable text of its link."""
    return urlsplit(value).netloc or value


@bp.app_template_filter("demote_headings")
def demote_headings(markdown_text: str) -> str:
    """Markdown headings one level down, so a narrative's ## sits under the page's
    “情况说明” heading instead of beside it."""
    return re.sub(r"^(#{1,5})(?=\s)", r"#\1", markdown_text, flags=re.MULTILINE)


@bp.app_template_test("fiscal_number")
def is_fiscal_number(value: object) -> bool:
    return isinstance(value, Decimal)


def stage_from_slug(slug: str) -> Stage:
    """The stage named in a URL (``budget`` or ``final``); 404 for anything else."""
    try:
        return Stage.from_slug(slug)
    except ValueError:
        abort(404)


def send_download(download: FileDownload) -> Response:
    """A table file; the Chinese file name goes in ``filename*`` (RFC 6266)."""
    response = Response(download.content, mimetype=download.mimetype)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{download.fallback_filename}\"; "
        f"filename*=UTF-8''{quote(download.filename)}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# --- overview and department pages ---------------------------------------------------------


@bp.get("/fiscal/")
def fiscal_index() -> str:
    page = fiscal.overview_page(year_arg())
    return render_template("public/fiscal/index.html", year=page.year, years=page.years,
                           entries=page.entries, has_example=page.has_example,
                           references=page.reference_count)


@bp.get("/fiscal/<agency>/")
def fiscal_agency(agency: str) -> str:
    """One department's 预决算 over the years, with its 三公经费 side by side."""
    page = fiscal.agency_page(agency)
    return render_template("public/fiscal/agency.html", agency=page.agency,
                           disclosures=page.disclosures, comparison=page.comparison)


@bp.get(f"/fiscal/<agency>/{YEAR}/<stage>/")
def fiscal_disclosure(agency: str, year: int, stage: str) -> str:
    page = fiscal.disclosure_page(agency, year, stage_from_slug(stage))
    # stacked_bars escapes every text it writes, so its SVG is safe to mark up.
    chart = Markup(page.chart_svg)  # noqa: S704
    return render_template("public/fiscal/disclosure.html", disclosure=page.disclosure,
                           tables=page.tables, other=page.other, chart=chart,
                           download_url=table_download_url, timeliness=page.timeliness,
                           days=page.days, procurement=page.procurement)


@bp.get(f"/fiscal/<agency>/{YEAR}/<stage>/table-<int(max=99):number>.<fmt>")
def fiscal_table_download(agency: str, year: int, stage: str, number: int,
                          fmt: str) -> Response:
    return send_download(fiscal.table_download(agency, year, stage_from_slug(stage), number,
                                               fmt))


@bp.get(f"/fiscal/<agency>/{YEAR}/<stage>/procurement.<fmt>")
def fiscal_procurement_download(agency: str, year: int, stage: str, fmt: str) -> Response:
    """The department's 政府采购预算表 / 政府采购情况表."""
    return send_download(fiscal.procurement_download(agency, year, stage_from_slug(stage), fmt))


@bp.get("/fiscal/files/<int:attachment_id>")
def fiscal_file(attachment_id: int) -> Response:
    """An original file of a published disclosure (rules.md §5.7)."""
    original = fiscal.original_file(attachment_id)
    return send_file(original.path, mimetype=original.content_type, as_attachment=True,
                     download_name=original.name)


# --- the 三公经费 comparison ------------------------------------------------------------------


def _selection() -> tuple[list[int], list[str]]:
    years = year_args()
    agencies = [code for code in request.args.getlist("agency") if code][:50]
    return years, agencies


@bp.get("/fiscal/sangong")
def sangong() -> str:
    """The 三公经费 of the site's own agencies (other bodies' figures: the reference page)."""
    years, agencies = _selection()
    page = fiscal.sangong_page(years, agencies)
    # stacked_bars escapes every text it writes, so its SVG is safe to mark up.
    department_chart = Markup(page.departments_chart_svg)  # noqa: S704
    return render_template(
        "public/fiscal/sangong.html", departments=page.departments, example=page.example,
        years=years, agencies=agencies, all_years=page.all_years,
        all_agencies=page.all_agencies, department_chart=department_chart,
        reference_count=page.reference_count)


@bp.get("/fiscal/sangong/references")
def sangong_references() -> str:
    """Figures other governments and departments published, with their sources: reference
    material on a page of its own, never mixed with the site's own agencies."""
    years, _agencies = _selection()
    page = fiscal.sangong_references_page(years)
    chart = Markup(page.chart_svg)  # noqa: S704 — stacked_bars escapes every text
    return render_template("public/fiscal/sangong_references.html", table=page.table,
                           chart=chart, years=years, all_years=page.all_years)


@bp.get("/fiscal/sangong/<dataset>.<fmt>")
def sangong_download(dataset: str, fmt: str) -> Response:
    years, agencies = _selection()
    return send_download(fiscal.sangong_download(dataset, years, agencies, fmt))


def table_download_url(disclosure: Any, number: int, fmt: str) -> str:
    """The download of table ``number`` of a disclosure (used by the page's template)."""
    return url_for("public.fiscal_table_download", agency=disclosure.agency.code,
                   year=disclosure.year, stage=disclosure.stage.slug, number=number, fmt=fmt)
