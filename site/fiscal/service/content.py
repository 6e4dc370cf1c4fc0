"""Fiscal content shipped in ``content/fiscal/``, loaded idempotently by ``opengov import-fiscal``.

- ``sangong_published.tsv``: real 三公经费 figures transcribed from published pages, each with
  its source URL and source type, kept in the unit of the source (元, 万元 or 亿元).
- ``example.yaml``: the fictional 示例市 departments' disclosures (示例数据), full table sets.
- ``government.yaml``: the fictional 示例市's own 预算, 预算调整, 预算执行情况 and 决算 (示例数据),
  saved for the site's ROOT_AGENCY with the same checks as an upload.

Real figures and examples never mix: real figures go to :class:`SangongReference`, example
disclosures and reports are saved with ``is_example`` set.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site.agencies.models import Agency
from opengov.site.catalog.service.columns import agency_by_code
from opengov.site.db import unit_of_work
from opengov.site.fiscal.models import FiscalDisclosure, GovernmentReport, SangongReference
from opengov.site.fiscal.rules.disclosures import (
    SPECS_BY_NUMBER,
    AmountError,
    DisclosureData,
    ProcurementData,
    ProcurementItem,
    Row,
    SangongEntry,
    SangongFigures,
    SangongItem,
    Stage,
    TableKind,
    Unit,
    check_sangong,
    narrative_mismatches,
    parse_amount,
)
from opengov.site.fiscal.rules.government import (
    SPECS_BY_SLUG,
    ReportData,
    ReportStage,
    content_warnings,
)
from opengov.site.fiscal.service.disclosures import (
    FiscalDataError,
    find_disclosure,
    save_disclosure,
)
from opengov.site.fiscal.service.government import find_report, save_report
from opengov.site.fiscal.service.government_tables import report_markdown
from opengov.site.fiscal.service.tables import disclosure_markdown

REFERENCES_FILE = "sangong_published.tsv"
EXAMPLES_FILE = "example.yaml"
GOVERNMENT_FILE = "government.yaml"

_REFERENCE_AMOUNTS = {
    "total": "total", "outbound": "因公出国(境)费", "vehicle": "公务用车购置及运行费",
    "vehicle_purchase": "其中_公务用车购置费", "vehicle_operation": "其中_公务用车运行(维护)费",
    "reception": "公务接待费",
}
_REFERENCE_TEXT = ("entity", "scope", "year", "stage", "unit", "source_url", "source_type", "note")


class FiscalContentError(ValueError):
    """A content file is malformed; the message names the file and line."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    #: Things worth a look that do not stop the import (e.g. narrative figures).
    warnings: list[str] = field(default_factory=list)


def read_references(path: Path) -> list[dict[str, Any]]:
    """Rows of the TSV with amounts as Decimal in the row's own unit."""
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        missing = [name for name in (*_REFERENCE_TEXT, *_REFERENCE_AMOUNTS.values())
                   if name not in (reader.fieldnames or [])]
        if missing:
            raise FiscalContentError(f"{path.name}: 缺少列 {'、'.join(missing)}")
        for line, raw in enumerate(reader, start=2):
            where = f"{path.name} 第{line}行"
            try:
                unit = Unit(raw["unit"].strip())
            except ValueError:
                raise FiscalContentError(f"{where}：计量单位应为元、万元或亿元") from None
            if not raw["source_url"].startswith(("http://", "https://")):
                raise FiscalContentError(f"{where}：缺少来源网址")
            row: dict[str, Any] = {
                "entity": raw["entity"].strip(), "scope": raw["scope"].strip(),
                "year": int(raw["year"]), "stage_label": raw["stage"].strip(), "unit": unit,
                "stage": Stage.FINAL if raw["stage"].startswith("决算") else Stage.BUDGET,
                "source_url": raw["source_url"].strip(), "source_type": raw["source_type"].strip(),
                "note": (raw["note"] or "").strip(),
            }
            for attribute, column in _REFERENCE_AMOUNTS.items():
                try:
                    row[attribute] = parse_amount(raw[column])
                except AmountError as exc:
                    raise FiscalContentError(f"{where}：{column} {exc}") from None
            rows.append(row)
    return rows


def sync_references(session: Session, rows: list[dict[str, Any]]) -> ImportReport:
    """Make the table equal to the file: insert, update, and delete rows no longer in it."""
    report = ImportReport()
    existing = {(ref.entity, ref.year, ref.stage_label): ref
                for ref in session.scalars(select(SangongReference))}
    seen = set()
    for row in rows:
        key = (row["entity"], row["year"], row["stage_label"])
        seen.add(key)
        # Transcribed figures are kept as published; inconsistencies are reported, not fixed.
        split = SangongFigures({SangongItem.VEHICLE_PURCHASE: row["vehicle_purchase"],
                                SangongItem.VEHICLE_OPERATION: row["vehicle_operation"]})
        problems = [problem.message for problem in check_sangong(
            split, declared_vehicle=row["vehicle"] if split.vehicle is not None else None)]
        parts = [row["outbound"], row["vehicle"], row["reception"]]
        if row["total"] is not None and all(part is not None for part in parts):
            summed = sum(part for part in parts if part is not None)
            if summed != row["total"]:
                problems.append(f"合计{row['total']}不等于各项之和{summed}")
        report.warnings.extend(f"{row['entity']} {row['year']}：来源数据{message}"
                               for message in problems)
        reference = existing.get(key)
        if reference is None:
            session.add(SangongReference(**row))
            report.created += 1
            continue
        changed = False
        for name, value in row.items():
            if getattr(reference, name) != value:
                setattr(reference, name, value)
                changed = True
        report.updated += changed
        report.unchanged += not changed
    for key, reference in existing.items():
        if key not in seen:
            session.delete(reference)
            report.deleted += 1
    session.flush()
    return report


def _amount(value: Any, where: str) -> Decimal | None:
    try:
        return parse_amount(value)
    except AmountError as exc:
        raise FiscalContentError(f"{where}：{exc}") from None


def _date(value: Any, where: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    raise FiscalContentError(f"{where}：日期应写作 YYYY-MM-DD")


def parse_example(entry: dict[str, Any]) -> tuple[str, DisclosureData]:
    """One ``disclosures:`` entry of example.yaml as (agency code, data)."""
    where = f"{entry.get('agency')} {entry.get('year')} {entry.get('stage')}"
    try:
        stage = Stage(entry["stage"])
        data = DisclosureData(year=int(entry["year"]), stage=stage,
                              approved_on=_date(entry.get("approved_on"), where),
                              published_on=_date(entry.get("published_on"), where),
                              narrative=entry.get("narrative", ""))
    except (KeyError, ValueError) as exc:
        raise FiscalContentError(f"{EXAMPLES_FILE} {where}：{exc}") from None
    for number, rows in (entry.get("tables") or {}).items():
        spec = SPECS_BY_NUMBER.get(int(number))
        if spec is None or spec.kind is TableKind.SANGONG:
            raise FiscalContentError(f"{EXAMPLES_FILE} {where}：没有第{number}号表")
        parsed = []
        for index, cells in enumerate(rows, start=1):
            row_where = f"{EXAMPLES_FILE} {where} 表{number}第{index}行"
            if spec.kind is TableKind.OVERVIEW:
                side, name, amount = cells
                parsed.append(Row(name=name, side=side, line=index,
                                  amounts=(_amount(amount, row_where),)))
            else:
                code, name, *amounts = cells
                parsed.append(Row(name=name, code=str(code or ""), line=index,
                                  amounts=tuple(_amount(a, row_where) for a in amounts)))
        data.tables[spec.number] = parsed
    for index, line in enumerate(entry.get("sangong") or [], start=1):
        line_where = f"{EXAMPLES_FILE} {where} 三公第{index}项"
        try:
            item = SangongItem(line["item"])
        except (KeyError, ValueError):
            raise FiscalContentError(f"{line_where}：未知项目 {line.get('item')}") from None
        data.sangong[item] = SangongEntry(item, _amount(line.get("amount"), line_where),
                                          _amount(line.get("prior"), line_where),
                                          line.get("explanation", ""), index)
    procurement = entry.get("procurement")
    if procurement is not None:
        data.procurement = _procurement(procurement, f"{EXAMPLES_FILE} {where} 政府采购")
    return str(entry["agency"]), data


#: Keys of a ``procurement:`` entry (example.yaml, government.yaml) and their lines.
PROCUREMENT_KEYS = {"goods": ProcurementItem.GOODS, "works": ProcurementItem.WORKS,
                    "services": ProcurementItem.SERVICES, "sme": ProcurementItem.SME,
                    "small_micro": ProcurementItem.SMALL_MICRO}


def _procurement(entry: Any, where: str) -> ProcurementData:
    if not isinstance(entry, dict):
        raise FiscalContentError(f"{where}：应为 goods/works/services/sme/small_micro 等字段")
    unknown = set(entry) - {*PROCUREMENT_KEYS, "explanation"}
    if unknown:
        raise FiscalContentError(f"{where}：未知字段 {'、'.join(sorted(unknown))}")
    return ProcurementData({item: _amount(entry.get(key), where)
                            for key, item in PROCUREMENT_KEYS.items() if key in entry},
                           str(entry.get("explanation", "")))


def sync_examples(session: Session, path: Path) -> ImportReport:
    """Create missing agencies named in the file, then save each example disclosure
    (replacing the saved one of the same agency, year and stage)."""
    report = ImportReport()
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for spec in document.get("agencies") or []:
        if agency_by_code(session, spec["code"]) is None:
            parent = agency_by_code(session, "gov")
            session.add(Agency(code=spec["code"], name=spec["name"],
                               org_code=str(spec["org_code"]),
                               kind=spec.get("kind", "department"), parent=parent))
            session.flush()
    for entry in document.get("disclosures") or []:
        code, data = parse_example(entry)
        agency = agency_by_code(session, code)
        if agency is None:
            raise FiscalContentError(f"{EXAMPLES_FILE}：机关 {code} 不存在")
        report.warnings.extend(f"{code} {data.year}{data.stage} {mismatch}"
                               for mismatch in narrative_mismatches(data))
        existing = find_disclosure(session, agency, data.year, data.stage)
        before = _fingerprint(existing) if existing is not None else None
        try:
            saved = save_disclosure(session, agency, data, is_example=True)
        except FiscalDataError as exc:
            raise FiscalContentError(f"{EXAMPLES_FILE} {code} {data.year}{data.stage}：{exc}") \
                from None
        if before is None:
            report.created += 1
        elif before != _fingerprint(saved):
            report.updated += 1
        else:
            report.unchanged += 1
    return report


def _fingerprint(disclosure: FiscalDisclosure) -> tuple[object, ...]:
    """What a re-import can change of a disclosure: its dates, narrative and every figure."""
    return (disclosure.approved_on, disclosure.published_on, disclosure.narrative,
            disclosure_markdown(disclosure))


def parse_government_report(entry: dict[str, Any]) -> ReportData:
    """One ``reports:`` entry of government.yaml. Rows of 科目 tables are
    ``[编码, 名称, 金额]`` (合计 rows with an empty code), the others ``[名称, 金额…]``."""
    where = f"{GOVERNMENT_FILE} {entry.get('year')} {entry.get('stage')}"
    try:
        data = ReportData(year=int(entry["year"]), stage=ReportStage(entry["stage"]),
                          sequence=int(entry.get("sequence", 1)),
                          approved_by=str(entry.get("approved_by", "")),
                          approved_on=_date(entry.get("approved_on"), where),
                          published_on=_date(entry.get("published_on"), where),
                          narrative=entry.get("narrative", ""))
    except (KeyError, ValueError, TypeError) as exc:
        raise FiscalContentError(f"{where}：{exc}") from None
    for slug, rows in (entry.get("tables") or {}).items():
        spec = SPECS_BY_SLUG.get(str(slug))
        if spec is None:
            raise FiscalContentError(f"{where}：没有“{slug}”这张表")
        parsed = []
        for index, cells in enumerate(rows or [], start=1):
            row_where = f"{where} {spec.title}第{index}行"
            if spec.coded:
                if len(cells) < 3:
                    raise FiscalContentError(f"{row_where}：应为 [编码, 名称, 金额]")
                code, name, *amounts = cells
            else:
                code, (name, *amounts) = "", cells
            parsed.append(Row(name=str(name), code=str(code or ""), line=index,
                              amounts=tuple(_amount(a, row_where) for a in amounts)))
        data.tables[spec.slug] = parsed
    return data


def sync_government(session: Session, path: Path) -> ImportReport:
    """Save each example report of the file for the government it names (created when
    missing, as example.yaml creates its departments), replacing the saved one of the same
    year and stage. The pages show the reports of the site's ROOT_AGENCY."""
    report = ImportReport()
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    spec = document.get("government") or {}
    try:
        code = str(spec["code"])
        agency = agency_by_code(session, code)
        if agency is None:
            agency = Agency(code=code, name=spec["name"], org_code=str(spec["org_code"]),
                            kind="government")
            session.add(agency)
            session.flush()
    except (KeyError, TypeError):
        raise FiscalContentError(f"{GOVERNMENT_FILE}：应以 government: {{code, name, org_code}} "
                                 "写明是哪一级政府的预决算") from None
    for entry in document.get("reports") or []:
        data = parse_government_report(entry)
        label = f"{data.year}年{data.key.label}"
        # The publication dates are facts of the example (one is late on purpose); the
        # content itself must be complete.
        report.warnings.extend(f"{label} {warning}" for warning in content_warnings(data))
        existing = find_report(session, agency, data.year, data.key)
        before = _report_fingerprint(existing) if existing is not None else None
        try:
            saved = save_report(session, agency, data, is_example=True)
        except FiscalDataError as exc:
            raise FiscalContentError(f"{GOVERNMENT_FILE} {label}：{exc}") from None
        if before is None:
            report.created += 1
        elif before != _report_fingerprint(saved):
            report.updated += 1
        else:
            report.unchanged += 1
    return report


def _report_fingerprint(saved: GovernmentReport) -> tuple[object, ...]:
    return (saved.approved_by, saved.approved_on, saved.published_on,
            report_markdown(saved, ""))


def import_fiscal_content(session: Session, folder: Path) -> dict[str, ImportReport]:
    """Load the files of ``folder`` (any may be absent) in the caller's transaction."""
    reports: dict[str, ImportReport] = {}
    references = folder / REFERENCES_FILE
    if references.is_file():
        reports[REFERENCES_FILE] = sync_references(session, read_references(references))
    examples = folder / EXAMPLES_FILE
    if examples.is_file():
        reports[EXAMPLES_FILE] = sync_examples(session, examples)
    governments = folder / GOVERNMENT_FILE
    if governments.is_file():
        reports[GOVERNMENT_FILE] = sync_government(session, governments)
    return reports


def import_content(folder: Path) -> dict[str, ImportReport]:
    """``opengov import-fiscal``: load ``folder`` in one unit of work, so that a file that
    fails (:class:`FiscalContentError`) leaves the database as it was."""
    with unit_of_work() as session:
        return import_fiscal_content(session, folder)
