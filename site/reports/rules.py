"""政府信息公开工作年度报告: the tables of the 2021 format (国办公开办函〔2021〕30号) as counts.

Table 三 counts requests (rules.md §4.4), Table 二 counts documents (§4.3), Table 四 counts the
行政复议/行政诉讼 register (§4.5). Inputs are plain records, so the counting rules are tested
without a database; labels are verbatim from the published format.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from opengov.site.requests.rules.applicant import ApplicantKind, OrgType
from opengov.site.requests.rules.outcomes import Bucket, Outcome

# --- Table 三 ------------------------------------------------------------------------------

#: 申请人情况: 自然人, then the five kinds of 法人或其他组织; one column per request.
APPLICANT_COLUMNS: tuple[str, ...] = (ApplicantKind.PERSON.value,
                                      *(org_type.value for org_type in OrgType))
TOTAL_COLUMN = "总计"

#: Row labels of 三、本年度办理结果, verbatim; sub-rows come from the outcome list.
_TOP_ROW_LABELS = {
    Outcome.DISCLOSED: "（一）予以公开",
    Outcome.PARTLY_DISCLOSED: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
}

ROW_NEW = "一、本年新收政府信息公开申请数量"
ROW_CARRIED_IN = "二、上年结转政府信息公开申请数量"
ROW_RESULTS = "三、本年度办理结果"
ROW_TOTAL = "（七）总计"
ROW_CARRIED_OUT = "四、结转下年度继续办理"
TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def row_label(outcome: Outcome) -> str:
    """The Table 三 label of an outcome's row."""
    return _TOP_ROW_LABELS.get(outcome) or outcome.info.reason


def group_rows() -> list[tuple[str, list[Outcome]]]:
    """The result rows in report order: (group heading or "", its outcomes)."""
    groups: list[tuple[str, list[Outcome]]] = []
    for outcome in Outcome:
        heading = "" if outcome in _TOP_ROW_LABELS else outcome.bucket.value
        if groups and groups[-1][0] == heading and heading:
            groups[-1][1].append(outcome)
        else:
            groups.append((heading, [outcome]))
    return groups


def table3_layout() -> list[tuple[str, str, int]]:
    """Rows of 三、本年度办理结果 for a table with merged cells: (row label, group heading or
    "", how many rows the heading spans when this is its first row, else 0)."""
    layout: list[tuple[str, str, int]] = []
    for heading, outcomes in group_rows():
        for position, outcome in enumerate(outcomes):
            span = len(outcomes) if heading and position == 0 else 0
            layout.append((row_label(outcome), heading, span))
    return layout


def applicant_column(applicant_kind: str, org_type: str) -> str:
    """The column of a request: 自然人, or the kind of 法人或其他组织 (其他 when unknown)."""
    if applicant_kind == ApplicantKind.PERSON.value:
        return ApplicantKind.PERSON.value
    return org_type if org_type in APPLICANT_COLUMNS[1:] else OrgType.OTHER.value


@dataclass(frozen=True)
class RequestRecord:
    """What Table 三 needs of one request."""

    applicant: str
    received_on: dt.date
    closed_on: dt.date | None = None
    outcome: Outcome | None = None

    def __post_init__(self) -> None:
        if self.applicant not in APPLICANT_COLUMNS:
            raise ValueError(f"unknown applicant column {self.applicant!r}")
        if (self.closed_on is None) != (self.outcome is None):
            raise ValueError("a closed request has exactly one outcome; an open one has none")
        if self.closed_on is not None and self.closed_on < self.received_on:
            raise ValueError("a request cannot close before it was received")


Row = dict[str, int]  # column label (incl. 总计) → count


def _empty_row() -> Row:
    return {**dict.fromkeys(APPLICANT_COLUMNS, 0), TOTAL_COLUMN: 0}


def _add(row: Row, column: str) -> None:
    row[column] += 1
    row[TOTAL_COLUMN] += 1


@dataclass
class Table3:
    """收到和处理政府信息公开申请情况 of one agency and year."""

    year: int
    new: Row = field(default_factory=_empty_row)
    carried_in: Row = field(default_factory=_empty_row)
    results: dict[Outcome, Row] = field(
        default_factory=lambda: {outcome: _empty_row() for outcome in Outcome})
    carried_out: Row = field(default_factory=_empty_row)

    @property
    def results_total(self) -> Row:
        """（七）总计: the sum of every result row."""
        total = _empty_row()
        for row in self.results.values():
            for column, count in row.items():
                total[column] += count
        return total

    def group_total(self, group: Bucket) -> Row:
        """Sum of the numbered rows of a group such as （三）不予公开."""
        total = _empty_row()
        for outcome, row in self.results.items():
            if outcome.bucket is group:
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
            assert request.outcome is not None
            _add(table.results[request.outcome], request.applicant)
        else:
            _add(table.carried_out, request.applicant)
    return table


def table3_violations(table: Table3, previous: Table3 | None = None) -> list[str]:
    """The invariants of rules.md §4.4 that the table breaks, in Chinese; empty when sound."""
    problems: list[str] = []
    columns = [*APPLICANT_COLUMNS, TOTAL_COLUMN]
    results_total = table.results_total
    for column in columns:
        left = table.new[column] + table.carried_in[column]
        right = results_total[column] + table.carried_out[column]
        if left != right:
            problems.append(f"“{column}”列：一（{table.new[column]}）+ 二（{table.carried_in[column]}）"
                            f"≠ 三（七）（{results_total[column]}）+ 四（{table.carried_out[column]}）")
    rows: list[tuple[str, Row]] = [(ROW_NEW, table.new), (ROW_CARRIED_IN, table.carried_in),
                                   (ROW_CARRIED_OUT, table.carried_out)]
    rows += [(row_label(outcome), row) for outcome, row in table.results.items()]
    for label, row in rows:
        parts = sum(row[column] for column in APPLICANT_COLUMNS)
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


# --- the written sections ---------------------------------------------------------------------

#: What a section still holds when nobody wrote it: the form's own placeholder, bracketed
#: instructions, blanks to fill in.
PLACEHOLDER_PATTERNS: tuple[str, ...] = (
    r"（本节由工作人员撰写。?）",
    r"[（(【\[]\s*(?:此处|在此|请|待)(?:填写|撰写|补充|说明|输入)[^）)】\]]*[）)】\]]",
    r"待(?:填写|撰写|补充)",
    r"[X×Ｘ]{2,}",
    r"_{3,}",
    r"…{2,}|\.{6,}",
)

#: The sections staff write, by the attribute that holds them, with their headings.
WRITTEN_SECTIONS: tuple[tuple[str, str], ...] = (
    ("overview", "一、总体情况"),
    ("problems", "五、存在的主要问题及改进情况"),
)


def placeholder_in(text: str) -> str | None:
    """The first placeholder left in ``text``, or None."""
    for pattern in PLACEHOLDER_PATTERNS:
        found = re.search(pattern, text)
        if found:
            return found.group()
    return None


def section_problems(sections: dict[str, str], other_matters: str = "") -> list[str]:
    """Why the written sections cannot be published: empty, or still holding placeholder
    text (section 六 may be left to the system's fee sentence, but not hold a placeholder)."""
    problems: list[str] = []
    for attribute, heading in WRITTEN_SECTIONS:
        text = sections.get(attribute, "").strip()
        if not text:
            problems.append(f"“{heading}”尚未撰写。")
            continue
        left = placeholder_in(text)
        if left:
            problems.append(f"“{heading}”仍有待填写的内容：“{left}”。")
    left = placeholder_in(other_matters)
    if left:
        problems.append(f"“六、其他需要报告的事项”仍有待填写的内容：“{left}”。")
    return problems
