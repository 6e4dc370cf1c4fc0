"""政府信息公开工作年度报告: the tables of the 2021 format (国办公开办函〔2021〕30号) as counts.

Table 三 counts requests (rules.md §4.4), Table 二 counts documents (§4.3), Table 四 counts the
行政复议/行政诉讼 register (§4.5). Inputs are plain records, so the counting rules are tested
without a database; labels are verbatim from the published format.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

# --- Table 三 ------------------------------------------------------------------------------


class ApplicantColumn(StrEnum):
    """申请人情况: one column per request."""

    NATURAL_PERSON = "自然人"
    COMMERCIAL = "商业企业"
    RESEARCH = "科研机构"
    PUBLIC_INTEREST = "社会公益组织"
    LEGAL_SERVICES = "法律服务机构"
    OTHER_ORGANISATION = "其他"


APPLICANT_COLUMNS: tuple[ApplicantColumn, ...] = tuple(ApplicantColumn)
ORGANISATION_COLUMNS: tuple[ApplicantColumn, ...] = APPLICANT_COLUMNS[1:]
TOTAL_COLUMN = "总计"


class Bucket(StrEnum):
    """三、本年度办理结果: exactly one per closed request; keys are the row numbers."""

    DISCLOSED = "（一）"
    PARTLY_DISCLOSED = "（二）"
    WITHHELD_STATE_SECRET = "（三）1"  # noqa: S105 — a row number, not a secret
    WITHHELD_PROHIBITED_BY_LAW = "（三）2"
    WITHHELD_THREE_SECURITIES = "（三）3"
    WITHHELD_THIRD_PARTY = "（三）4"
    WITHHELD_INTERNAL_AFFAIRS = "（三）5"
    WITHHELD_PROCESS_INFORMATION = "（三）6"
    WITHHELD_ENFORCEMENT_FILES = "（三）7"
    WITHHELD_ADMINISTRATIVE_QUERY = "（三）8"
    UNAVAILABLE_NOT_HELD = "（四）1"
    UNAVAILABLE_NEEDS_CREATION = "（四）2"
    UNAVAILABLE_STILL_UNCLEAR = "（四）3"
    NOT_HANDLED_PETITION = "（五）1"
    NOT_HANDLED_REPEATED = "（五）2"
    NOT_HANDLED_PUBLICATION = "（五）3"
    NOT_HANDLED_EXCESSIVE = "（五）4"
    NOT_HANDLED_CONFIRMATION = "（五）5"
    OTHER_NO_CORRECTION = "（六）1"
    OTHER_FEE_UNPAID = "（六）2"
    OTHER = "（六）3"


BUCKET_LABELS: dict[Bucket, str] = {
    Bucket.DISCLOSED: "（一）予以公开",
    Bucket.PARTLY_DISCLOSED: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    Bucket.WITHHELD_STATE_SECRET: "1.属于国家秘密",
    Bucket.WITHHELD_PROHIBITED_BY_LAW: "2.其他法律行政法规禁止公开",
    Bucket.WITHHELD_THREE_SECURITIES: "3.危及“三安全一稳定”",
    Bucket.WITHHELD_THIRD_PARTY: "4.保护第三方合法权益",
    Bucket.WITHHELD_INTERNAL_AFFAIRS: "5.属于三类内部事务信息",
    Bucket.WITHHELD_PROCESS_INFORMATION: "6.属于四类过程性信息",
    Bucket.WITHHELD_ENFORCEMENT_FILES: "7.属于行政执法案卷",
    Bucket.WITHHELD_ADMINISTRATIVE_QUERY: "8.属于行政查询事项",
    Bucket.UNAVAILABLE_NOT_HELD: "1.本机关不掌握相关政府信息",
    Bucket.UNAVAILABLE_NEEDS_CREATION: "2.没有现成信息需要另行制作",
    Bucket.UNAVAILABLE_STILL_UNCLEAR: "3.补正后申请内容仍不明确",
    Bucket.NOT_HANDLED_PETITION: "1.信访举报投诉类申请",
    Bucket.NOT_HANDLED_REPEATED: "2.重复申请",
    Bucket.NOT_HANDLED_PUBLICATION: "3.要求提供公开出版物",
    Bucket.NOT_HANDLED_EXCESSIVE: "4.无正当理由大量反复申请",
    Bucket.NOT_HANDLED_CONFIRMATION: "5.要求行政机关确认或重新出具已获取信息",
    Bucket.OTHER_NO_CORRECTION: "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    Bucket.OTHER_FEE_UNPAID: "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    Bucket.OTHER: "3.其他",
}

#: Group headings of 三 that have numbered sub-rows.
GROUP_LABELS: dict[str, str] = {
    "（三）": "（三）不予公开",
    "（四）": "（四）无法提供",
    "（五）": "（五）不予处理",
    "（六）": "（六）其他处理",
}

ROW_NEW = "一、本年新收政府信息公开申请数量"
ROW_CARRIED_IN = "二、上年结转政府信息公开申请数量"
ROW_RESULTS = "三、本年度办理结果"
ROW_TOTAL = "（七）总计"
ROW_CARRIED_OUT = "四、结转下年度继续办理"
TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@dataclass(frozen=True)
class RequestRecord:
    """What Table 三 needs of one request."""

    applicant: ApplicantColumn
    received_on: dt.date
    closed_on: dt.date | None = None
    bucket: Bucket | None = None

    def __post_init__(self) -> None:
        if (self.closed_on is None) != (self.bucket is None):
            raise ValueError("a closed request has exactly one bucket; an open one has none")
        if self.closed_on is not None and self.closed_on < self.received_on:
            raise ValueError("a request cannot close before it was received")


Row = dict[str, int]  # column label (incl. 总计) → count


def _empty_row() -> Row:
    return {**{column.value: 0 for column in APPLICANT_COLUMNS}, TOTAL_COLUMN: 0}


def _add(row: Row, column: ApplicantColumn) -> None:
    row[column.value] += 1
    row[TOTAL_COLUMN] += 1


@dataclass
class Table3:
    """收到和处理政府信息公开申请情况 of one agency and year."""

    year: int
    new: Row = field(default_factory=_empty_row)
    carried_in: Row = field(default_factory=_empty_row)
    results: dict[Bucket, Row] = field(
        default_factory=lambda: {bucket: _empty_row() for bucket in Bucket})
    carried_out: Row = field(default_factory=_empty_row)

    @property
    def results_total(self) -> Row:
        """（七）总计: the sum of every result row."""
        total = _empty_row()
        for row in self.results.values():
            for column, count in row.items():
                total[column] += count
        return total

    def group_total(self, group: str) -> Row:
        """Sum of the numbered rows of a group such as （三）."""
        total = _empty_row()
        for bucket, row in self.results.items():
            if bucket.value.startswith(group):
                for column, count in row.items():
                    total[column] += count
        return total


def compute_table3(year: int, requests: Iterable[RequestRecord]) -> Table3:
    """一 = received in the year; 二 = received earlier and still open on 1 January;
    三 = closed in the year, by bucket; 四 = open on 31 December."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    table = Table3(year)
    for request in requests:
        if request.received_on > end:
            continue
        if request.closed_on is not None and request.closed_on < start:
            continue
        if request.received_on >= start:
            _add(table.new, request.applicant)
        else:
            _add(table.carried_in, request.applicant)
        if request.closed_on is not None and request.closed_on <= end:
            assert request.bucket is not None
            _add(table.results[request.bucket], request.applicant)
        else:
            _add(table.carried_out, request.applicant)
    return table


def table3_violations(table: Table3, previous: Table3 | None = None) -> list[str]:
    """The invariants of rules.md §4.4 that the table breaks, in Chinese; empty when sound."""
    problems: list[str] = []
    columns = [column.value for column in APPLICANT_COLUMNS] + [TOTAL_COLUMN]
    results_total = table.results_total
    for column in columns:
        left = table.new[column] + table.carried_in[column]
        right = results_total[column] + table.carried_out[column]
        if left != right:
            problems.append(f"“{column}”列：一（{table.new[column]}）+ 二（{table.carried_in[column]}）"
                            f"≠ 三（七）（{results_total[column]}）+ 四（{table.carried_out[column]}）")
    rows: list[tuple[str, Row]] = [(ROW_NEW, table.new), (ROW_CARRIED_IN, table.carried_in),
                                   (ROW_CARRIED_OUT, table.carried_out)]
    rows += [(BUCKET_LABELS[bucket], row) for bucket, row in table.results.items()]
    for label, row in rows:
        parts = sum(row[column.value] for column in APPLICANT_COLUMNS)
        if parts != row[TOTAL_COLUMN]:
            problems.append(f"“{label}”行：总计（{row[TOTAL_COLUMN]}）≠ 各类申请人之和（{parts}）")
    if previous is not None:
        if previous.year != table.year - 1:
            raise ValueError("the previous table must be of the year before")
        for column in columns:
            if previous.carried_out[column] != table.carried_in[column]:
                problems.append(
                    f"“{column}”列：本年“二、上年结转”（{table.carried_in[column]}）"
                    f"≠ 上年“四、结转下年度继续办理”（{previous.carried_out[column]}）")
    return problems


# --- Table 二 ------------------------------------------------------------------------------

REGULATION_GENRES = ("规章", "行政规范性文件")


@dataclass(frozen=True)
class DocumentRecord:
    """What Table 二 needs of one document."""

    genre: str
    date_written: dt.date | None
    published_on: dt.date | None
    repealed_on: dt.date | None


@dataclass(frozen=True)
class RegulationCounts:
    """本年制发件数 · 本年废止件数 · 现行有效件数 of one genre."""

    made: int
    repealed: int
    in_force: int


def compute_regulation_counts(year: int,
                              documents: Iterable[DocumentRecord]) -> dict[str, RegulationCounts]:
    """第二十条第（一）项 rows: 规章 and 行政规范性文件.

    制发 counts by 成文日期 (发布日期 when 成文日期 is unknown); 废止 by 废止/失效日期; 现行有效 =
    made by 31 December and not repealed by then.
    """
    end = dt.date(year, 12, 31)
    counts: dict[str, RegulationCounts] = {}
    records = list(documents)
    for genre in REGULATION_GENRES:
        made = repealed = in_force = 0
        for record in records:
            if record.genre != genre:
                continue
            made_on = record.date_written or record.published_on
            if made_on is None:
                continue
            if made_on.year == year:
                made += 1
            if record.repealed_on is not None and record.repealed_on.year == year:
                repealed += 1
            if made_on <= end and (record.repealed_on is None or record.repealed_on > end):
                in_force += 1
        counts[genre] = RegulationCounts(made, repealed, in_force)
    return counts


# --- Table 四 ------------------------------------------------------------------------------


class ReviewGroup(StrEnum):
    """The three groups of Table 四."""

    RECONSIDERATION = "行政复议"
    LITIGATION_DIRECT = "未经复议直接起诉"
    LITIGATION_AFTER_RECONSIDERATION = "复议后起诉"


class ReviewResult(StrEnum):
    UPHELD = "结果维持"
    CORRECTED = "结果纠正"
    OTHER = "其他结果"
    PENDING = "尚未审结"


@dataclass(frozen=True)
class ReviewCase:
    """One 行政复议 or 行政诉讼 case about the agency's 政府信息公开 work in the year."""

    group: ReviewGroup
    result: ReviewResult


def compute_table4(cases: Iterable[ReviewCase]) -> dict[ReviewGroup, dict[str, int]]:
    """15 numeric cells: per group the four results and their 总计."""
    table: dict[ReviewGroup, dict[str, int]] = {
        group: {**{result.value: 0 for result in ReviewResult}, TOTAL_COLUMN: 0}
        for group in ReviewGroup}
    for case in cases:
        table[case.group][case.result.value] += 1
        table[case.group][TOTAL_COLUMN] += 1
    return table


def merge_rows(rows: Iterable[Mapping[str, int]]) -> Row:
    """Cell-wise sum, for the government's report that summarises its departments."""
    total = _empty_row()
    for row in rows:
        for column, count in row.items():
            total[column] = total.get(column, 0) + count
    return total
