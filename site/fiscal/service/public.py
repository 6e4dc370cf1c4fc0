"""What the public pages, the downloads and the API of 预决算公开 read (entry functions).

Nothing here writes. A disclosure is public from its publication date, a date in 北京时间
(:func:`opengov.site.clock.today`); before it, it does not exist for these pages (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.agencies import service as agencies
from opengov.site.agencies.models import Agency
from opengov.site.catalog.models import Attachment
from opengov.site.catalog.service.attachments import stored_path
from opengov.site.db import get_session
from opengov.site.exceptions import NotFoundError
from opengov.site.fiscal.models import FiscalDisclosure, SangongReference
from opengov.site.fiscal.rules.disclosures import Stage, Timeliness, days_after_approval, timeliness
from opengov.site.fiscal.rules.references import source_rank
from opengov.site.fiscal.service.chart import departments_chart, disclosure_chart, references_chart
from opengov.site.fiscal.service.disclosures import (
    OverviewEntry,
    agencies_with_disclosures,
    disclosure_years,
    overview,
    public_disclosure,
    public_disclosures,
    published_with_document,
    sangong_references,
)
from opengov.site.fiscal.service.export import FileDownload, render
from opengov.site.fiscal.service.government import public_report_with_document
from opengov.site.fiscal.service.tables import (
    TableData,
    comparison_table,
    disclosure_table,
    disclosure_tables,
    procurement_table,
    reference_table,
)

# --- the overview and a department's disclosures --------------------------------------------


@dataclass
class OverviewPage:
    """Every agency's 预算 and 决算 of one year, and the years there is anything to show."""

    year: int
    years: list[int]
    entries: list[OverviewEntry]
    has_example: bool
    #: How many real published 三公 figures the comparison page cites.
    reference_count: int


def overview_page(year: int | None) -> OverviewPage:
    """The overview of ``year``, by default the latest year with a public disclosure."""
    session = get_session()
    today = clock.today()
    years = disclosure_years(session, today)
    shown = year or (years[0] if years else today.year)
    entries = overview(session, shown, today)
    has_example = any(status.disclosure is not None and status.disclosure.is_example
                      for entry in entries for status in entry.stages)
    return OverviewPage(shown, years, entries, has_example, len(sangong_references(session)))


def year_overview(year: int) -> list[OverviewEntry]:
    """For every agency: has it published its 预算 and 决算 of ``year``, and in time?"""
    return overview(get_session(), year, clock.today())


@dataclass
class AgencyPage:
    """One department's public disclosures over the years, with its 三公经费 side by side."""

    agency: Agency
    disclosures: list[FiscalDisclosure]
    comparison: TableData


def agency_page(agency_code: str) -> AgencyPage:
    """The department page; :class:`NotFoundError` for an unknown agency."""
    agency = agencies.agency_by_code(agency_code)
    disclosures = public_disclosures(get_session(), clock.today(), agency_codes=[agency_code])
    return AgencyPage(agency, disclosures, comparison_table(
        disclosures, example=any(disclosure.is_example for disclosure in disclosures)))


def published_disclosures(years: list[int] | None = None,
                          agency_codes: list[str] | None = None) -> list[FiscalDisclosure]:
    """Public disclosures, newest year first, optionally of some years and agencies only."""
    return public_disclosures(get_session(), clock.today(), years=years or None,
                              agency_codes=agency_codes or None)


def _published_disclosure(session: Session, agency_code: str, year: int,
                          stage: Stage) -> FiscalDisclosure:
    disclosure = public_disclosure(session, agency_code, year, stage, clock.today())
    if disclosure is None:
        raise NotFoundError("没有这份预决算，或尚未公开")
    return disclosure


@dataclass
class DisclosurePage:
    """A disclosure as its page shows it."""

    disclosure: FiscalDisclosure
    tables: list[tuple[int, TableData]]
    #: The other stage of the same year (决算 beside 预算), when public.
    other: FiscalDisclosure | None
    #: SVG of the 三公经费 against last year's; empty without 三公 lines.
    chart_svg: str
    timeliness: Timeliness
    #: Days from approval to publication (预算法 Art. 14 allows twenty).
    days: int | None
    #: 政府采购预算表 / 政府采购情况表, when the department gave its figures.
    procurement: TableData | None = None


def disclosure_page(agency_code: str, year: int, stage: Stage) -> DisclosurePage:
    """The page of a public disclosure; :class:`NotFoundError` when there is none yet."""
    session = get_session()
    today = clock.today()
    disclosure = _published_disclosure(session, agency_code, year, stage)
    other = public_disclosure(session, agency_code, year,
                              Stage.FINAL if stage is Stage.BUDGET else Stage.BUDGET, today)
    approved, published = disclosure.approved_on, disclosure.published_on
    return DisclosurePage(
        disclosure=disclosure, tables=disclosure_tables(disclosure), other=other,
        chart_svg=disclosure_chart(disclosure),
        timeliness=timeliness(approved, published, today),
        days=days_after_approval(approved, published) if approved and published else None,
        procurement=procurement_table(disclosure))


def table_download(agency_code: str, year: int, stage: Stage, number: int,
                   fmt: str) -> FileDownload:
    """Table ``number`` of a public disclosure as CSV, XLSX or JSON."""
    disclosure = _published_disclosure(get_session(), agency_code, year, stage)
    table = disclosure_table(disclosure, number)
    if table is None:
        raise NotFoundError(f"这份预决算没有表{number}")
    return render(table, fmt)


def procurement_download(agency_code: str, year: int, stage: Stage, fmt: str) -> FileDownload:
    """The 政府采购 table of a public disclosure as CSV, XLSX or JSON."""
    disclosure = _published_disclosure(get_session(), agency_code, year, stage)
    table = procurement_table(disclosure)
    if table is None:
        raise NotFoundError("这份预决算没有公开政府采购情况")
    return render(table, fmt)


@dataclass(frozen=True)
class OriginalFile:
    """An uploaded spreadsheet kept beside a disclosure (rules.md §5.7)."""

    path: Path
    content_type: str
    name: str


def original_file(attachment_id: int) -> OriginalFile:
    """An original file of a public disclosure or government report; :class:`NotFoundError`
    for any other file (a document's attachments are served by the catalog, after its own
    checks)."""
    session = get_session()
    # Ids beyond a 32-bit integer are not looked up: PostgreSQL would refuse the query.
    attachment = session.get(Attachment, attachment_id) if 0 < attachment_id < 2**31 else None
    today = clock.today()
    if attachment is None or (
            published_with_document(session, attachment.document_id, today) is None
            and public_report_with_document(session, attachment.document_id, today) is None):
        raise NotFoundError("没有这个文件")
    path = stored_path(Path(current_app.config["UPLOAD_DIR"]), attachment)
    if not path.is_file():
        raise NotFoundError("没有这个文件")
    return OriginalFile(path, attachment.content_type, attachment.original_name)


# --- the 三公经费 comparison ------------------------------------------------------------------


@dataclass
class SangongTables:
    """The departments' 三公经费 (示例 data) and the real published figures, never mixed."""

    departments: TableData
    references: TableData
    disclosures: list[FiscalDisclosure]
    reference_rows: list[SangongReference]

    @property
    def example(self) -> bool:
        """Whether the departments' figures are 示例数据."""
        return any(disclosure.is_example for disclosure in self.disclosures)


def _departments(session: Session, years: list[int],
                 agency_codes: list[str]) -> tuple[TableData, list[FiscalDisclosure]]:
    disclosures = public_disclosures(session, clock.today(), years=years or None,
                                     agency_codes=agency_codes or None)
    example = any(disclosure.is_example for disclosure in disclosures)
    return comparison_table(disclosures, example=example), disclosures


def sangong_tables(years: list[int], agency_codes: list[str]) -> SangongTables:
    """Both comparison tables, of some years and departments (all when a list is empty)."""
    session = get_session()
    departments, disclosures = _departments(session, years, agency_codes)
    references = sangong_references(session, years=years or None)
    return SangongTables(departments, reference_table(references), disclosures, references)


@dataclass
class SangongPage:
    """The comparison of the site's own agencies: table, chart and the filter's choices."""

    departments: TableData
    example: bool
    #: Years with a public disclosure, newest first.
    all_years: list[int]
    all_agencies: list[Agency]
    departments_chart_svg: str
    #: How many figures of other bodies the reference page cites.
    reference_count: int


def sangong_page(years: list[int], agency_codes: list[str]) -> SangongPage:
    """The 三公经费 of the site's own agencies, of some years and departments (all when a list
    is empty). Other bodies' published figures are on :func:`sangong_references_page`."""
    session = get_session()
    departments, disclosures = _departments(session, years, agency_codes)
    return SangongPage(departments, any(d.is_example for d in disclosures),
                       disclosure_years(session, clock.today()),
                       agencies_with_disclosures(session), departments_chart(disclosures),
                       len(sangong_references(session)))


@dataclass
class SangongReferencesPage:
    """Figures other governments and departments published, kept apart from the site's own:
    government sites first, then news reports, then third-party copies."""

    table: TableData
    chart_svg: str
    all_years: list[int]


def _ordered_references(session: Session, years: list[int]) -> list[SangongReference]:
    references = sangong_references(session, years=years or None)
    return sorted(references, key=lambda ref: source_rank(ref.source_type))


def sangong_references_page(years: list[int]) -> SangongReferencesPage:
    session = get_session()
    references = _ordered_references(session, years)
    all_years = sorted({reference.year for reference in sangong_references(session)},
                       reverse=True)
    return SangongReferencesPage(reference_table(references), references_chart(references),
                                 all_years)


def sangong_download(dataset: str, years: list[int], agency_codes: list[str],
                     fmt: str) -> FileDownload:
    """One comparison table (``departments`` or ``sources``) as CSV, XLSX or JSON."""
    session = get_session()
    if dataset == "departments":
        table, _ = _departments(session, years, agency_codes)
    elif dataset == "sources":
        table = reference_table(_ordered_references(session, years))
    else:
        raise NotFoundError("没有这份数据")
    return render(table, fmt)
