"""财政预决算: overview, department pages, the 三公经费 comparison, downloads, originals."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, urlsplit

from flask import Response, abort, current_app, render_template, request, send_file, url_for
from markupsafe import Markup
from sqlalchemy import select

from opengov.site.agencies.models import Agency
from opengov.site.catalog.models import Attachment
from opengov.site.db import get_session
from opengov.site.fiscal.models import FiscalDisclosure, SangongReference
from opengov.site.fiscal.rules.disclosures import (
    SangongFigures,
    SangongItem,
    Stage,
    days_after_approval,
    timeliness,
)
from opengov.site.fiscal.service import export as fiscal_export
from opengov.site.fiscal.service.chart import Bar, sangong_parts, stacked_bars
from opengov.site.fiscal.service.disclosures import (
    disclosure_years,
    overview,
    public_disclosure,
    public_disclosures,
    sangong_references,
)
from opengov.site.fiscal.service.tables import (
    TableData,
    comparison_table,
    disclosure_table,
    disclosure_tables,
    reference_table,
)
from opengov.site.web.public import bp


@bp.app_template_filter("fiscal_cell")
def fiscal_cell(value: object) -> str:
    """Amounts with two decimals, percentages with one, empty for a missing figure."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
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


def _today() -> dt.date:
    return dt.date.today()


def _stage(slug: str) -> Stage:
    try:
        return Stage.from_slug(slug)
    except ValueError:
        abort(404)


def download(table: TableData, fmt: str) -> Response:
    """The table as a file; the Chinese file name goes in ``filename*`` (RFC 6266)."""
    if fmt not in fiscal_export.FORMATS:
        abort(404)
    if fmt == "json":
        body = current_app.json.dumps(fiscal_export.to_json(table)).encode("utf-8")
    elif fmt == "csv":
        body = fiscal_export.to_csv(table)
    else:
        body = fiscal_export.to_xlsx(table)
    response = Response(body, mimetype=fiscal_export.FORMATS[fmt])
    name = f"{table.title}.{fmt}"
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{table.filename}.{fmt}\"; filename*=UTF-8''{quote(name)}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# --- overview and department pages ---------------------------------------------------------


@bp.get("/fiscal/")
def fiscal_index() -> str:
    session = get_session()
    years = disclosure_years(session, _today())
    year = request.args.get("year", type=int) or (years[0] if years else _today().year)
    entries = overview(session, year, _today())
    has_example = any(status.disclosure is not None and status.disclosure.is_example
                      for entry in entries for status in entry.stages)
    return render_template("public/fiscal/index.html", year=year, years=years, entries=entries,
                           has_example=has_example,
                           references=len(sangong_references(session)))


@bp.get("/fiscal/<agency>/")
def fiscal_agency(agency: str) -> str:
    """One department's 预决算 over the years, with its 三公经费 side by side."""
    owner = get_session().scalars(select(Agency).where(Agency.code == agency)).one_or_none()
    if owner is None:
        abort(404)
    disclosures = public_disclosures(get_session(), _today(), agency_codes=[agency])
    return render_template("public/fiscal/agency.html", agency=owner, disclosures=disclosures,
                           comparison=comparison_table(
                               disclosures, example=any(d.is_example for d in disclosures)))


def _disclosure_or_404(agency: str, year: int, stage: str) -> FiscalDisclosure:
    disclosure = public_disclosure(get_session(), agency, year, _stage(stage), _today())
    if disclosure is None:
        abort(404)
    return disclosure


@bp.get("/fiscal/<agency>/<int:year>/<stage>/")
def fiscal_disclosure(agency: str, year: int, stage: str) -> str:
    disclosure = _disclosure_or_404(agency, year, stage)
    other = public_disclosure(get_session(), agency, year,
                              Stage.FINAL if disclosure.stage is Stage.BUDGET else Stage.BUDGET,
                              _today())
    # stacked_bars escapes every text it writes, so its SVG is safe to mark up.
    chart = Markup(_disclosure_chart(disclosure))  # noqa: S704
    status = timeliness(disclosure.approved_on, disclosure.published_on, _today())
    days = (days_after_approval(disclosure.approved_on, disclosure.published_on)
            if disclosure.approved_on and disclosure.published_on else None)
    return render_template("public/fiscal/disclosure.html", disclosure=disclosure,
                           tables=disclosure_tables(disclosure), other=other, chart=chart,
                           download_url=table_download_url, timeliness=status, days=days)


def _disclosure_chart(disclosure: FiscalDisclosure) -> str:
    lines = {line.item: line for line in disclosure.sangong_lines}
    if not lines:
        return ""
    bars = []
    for label, prior in ((f"{disclosure.year - 1}年", True), (f"{disclosure.year}年", False)):
        figures = SangongFigures({item: (line.prior_amount if prior else line.amount)
                                  for item, line in lines.items()})
        bars.append(Bar(label, sangong_parts(
            figures.get(SangongItem.OUTBOUND), figures.get(SangongItem.VEHICLE_PURCHASE),
            figures.get(SangongItem.VEHICLE_OPERATION), None,
            figures.get(SangongItem.RECEPTION))))
    return stacked_bars(bars, title=f"{disclosure.title}“三公”经费与上年对比",
                        description="按因公出国（境）费、公务用车购置费、公务用车运行（维护）费、"
                                    "公务接待费分段的横向条形图；数字见下方“三公”经费表。",
                        ident="sangong-chart")


@bp.get("/fiscal/<agency>/<int:year>/<stage>/table-<int:number>.<fmt>")
def fiscal_table_download(agency: str, year: int, stage: str, number: int,
                          fmt: str) -> Response:
    table = disclosure_table(_disclosure_or_404(agency, year, stage), number)
    if table is None:
        abort(404)
    return download(table, fmt)


@bp.get("/fiscal/files/<int:attachment_id>")
def fiscal_file(attachment_id: int) -> Response:
    """An original file of a published disclosure (rules.md §5.7)."""
    session = get_session()
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        abort(404)
    disclosure = session.scalars(select(FiscalDisclosure).where(
        FiscalDisclosure.document_id == attachment.document_id)).one_or_none()
    if (disclosure is None or disclosure.published_on is None
            or disclosure.published_on > _today()):
        abort(404)
    path = Path(current_app.config["UPLOAD_DIR"]) / attachment.stored_name
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype=attachment.content_type, as_attachment=True,
                     download_name=attachment.original_name)


# --- the 三公经费 comparison ------------------------------------------------------------------


def _selection() -> tuple[list[int], list[str]]:
    years = [year for year in request.args.getlist("year", type=int) if 1990 < year < 2200]
    agencies = [code for code in request.args.getlist("agency") if code][:50]
    return years, agencies


def _department_table(years: list[int],
                      agencies: list[str]) -> tuple[TableData, list[FiscalDisclosure]]:
    disclosures = public_disclosures(get_session(), _today(), years=years,
                                     agency_codes=agencies)
    example = any(disclosure.is_example for disclosure in disclosures)
    return comparison_table(disclosures, example=example), disclosures


def _department_bar(disclosure: FiscalDisclosure) -> Bar:
    figures = SangongFigures({line.item: line.amount for line in disclosure.sangong_lines})
    return Bar(f"{disclosure.agency.short_name or disclosure.agency.name} "
               f"{disclosure.year}{disclosure.stage}",
               sangong_parts(figures.get(SangongItem.OUTBOUND),
                             figures.get(SangongItem.VEHICLE_PURCHASE),
                             figures.get(SangongItem.VEHICLE_OPERATION), None,
                             figures.get(SangongItem.RECEPTION)))


def _reference_bar(ref: SangongReference) -> Bar:
    total = "—" if ref.total is None else f"{ref.total:f}"
    # Without a published total the shares are unknown: the bar is left out.
    parts = [] if ref.total is None else sangong_parts(
        ref.outbound, ref.vehicle_purchase, ref.vehicle_operation, ref.vehicle, ref.reception,
        total=ref.total)
    return Bar(f"{ref.entity} {ref.year}", parts, caption=f"合计{total}{ref.unit}",
               unit=str(ref.unit))


@bp.get("/fiscal/sangong")
def sangong() -> str:
    years, agencies = _selection()
    session = get_session()
    departments, disclosures = _department_table(years, agencies)
    references = sangong_references(session, years=years)
    all_years = sorted({*disclosure_years(session, _today()),
                        *(ref.year for ref in sangong_references(session))}, reverse=True)
    all_agencies = list(session.scalars(
        select(Agency).where(Agency.id.in_(select(FiscalDisclosure.agency_id)))
        .order_by(Agency.sort_order, Agency.code)))
    # stacked_bars escapes every text it writes, so its SVG is safe to mark up.
    department_chart = Markup(stacked_bars(  # noqa: S704
        [_department_bar(d) for d in disclosures if d.sangong_lines],
        title="各部门“三公”经费（万元）",
        description="每个部门每年一条横条，长度与金额成正比，按分项分段；数字见下表。",
        ident="departments-chart"))
    reference_chart = Markup(stacked_bars(  # noqa: S704
        [_reference_bar(ref) for ref in references], share=True,
        title="公开发布的“三公”经费构成（各分项占合计的比例）",
        description="每个单位每年一条横条，按分项占合计的比例分段；各行计量单位不同，只比较构成，"
                    "金额见下表。来源没有给出合计的行不绘制；合计中来源未列明分项的部分以灰色表示。",
        ident="references-chart"))
    return render_template(
        "public/fiscal/sangong.html", departments=departments,
        example=any(d.is_example for d in disclosures), references=reference_table(references),
        years=years, agencies=agencies, all_years=all_years, all_agencies=all_agencies,
        department_chart=department_chart, reference_chart=reference_chart)


@bp.get("/fiscal/sangong/<dataset>.<fmt>")
def sangong_download(dataset: str, fmt: str) -> Response:
    years, agencies = _selection()
    if dataset == "departments":
        table, _ = _department_table(years, agencies)
    elif dataset == "sources":
        table = reference_table(sangong_references(get_session(), years=years))
    else:
        abort(404)
    return download(table, fmt)


def table_download_url(disclosure: FiscalDisclosure, number: int, fmt: str) -> str:
    return url_for("public.fiscal_table_download", agency=disclosure.agency.code,
                   year=disclosure.year, stage=disclosure.stage.slug, number=number, fmt=fmt)
