"""Table 二, 三 and 四 counting of the annual report (rules.md §4)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from opengov.site.reports.rules import (
    APPLICANT_COLUMNS,
    TOTAL_COLUMN,
    DocumentRecord,
    RequestRecord,
    ReviewCase,
    ReviewGroup,
    ReviewResult,
    applicant_column,
    compute_regulation_counts,
    compute_table3,
    compute_table4,
    group_rows,
    row_label,
    table3_layout,
    table3_violations,
)
from opengov.site.requests.rules.outcomes import Bucket, Outcome

D = dt.date
PERSON, BUSINESS, RESEARCH, _, LEGAL, _ = APPLICANT_COLUMNS


def year_of_requests() -> list[RequestRecord]:
    """2025: every outcome once, cycling through the applicant columns; plus carry-overs."""
    columns = itertools.cycle(APPLICANT_COLUMNS)
    records = [RequestRecord(next(columns), D(2025, 3, 1), D(2025, 3, 20), outcome)
               for outcome in Outcome]
    records += [
        # received 2024, closed 2025 → 二 and 三
        RequestRecord(PERSON, D(2024, 12, 20), D(2025, 1, 10),
                      Outcome.DISCLOSED),
        # received 2025, still open on 31 December → 一 and 四
        RequestRecord(BUSINESS, D(2025, 12, 25)),
        # received 2024 and still open → 二 and 四
        RequestRecord(LEGAL, D(2024, 12, 30)),
        # closed in 2024 and received in 2026: not in 2025 at all
        RequestRecord(PERSON, D(2024, 5, 1), D(2024, 5, 20),
                      Outcome.DISCLOSED),
        RequestRecord(PERSON, D(2026, 1, 5)),
    ]
    return records


def test_every_cell_of_a_year() -> None:
    table = compute_table3(2025, year_of_requests())
    cycle = list(itertools.islice(itertools.cycle(APPLICANT_COLUMNS), len(Outcome)))
    for outcome, column in zip(Outcome, cycle, strict=True):
        expected = 1 + (outcome is Outcome.DISCLOSED and column == PERSON)
        assert table.results[outcome][column] == expected, outcome
        assert table.results[outcome][TOTAL_COLUMN] == 1 + (outcome is Outcome.DISCLOSED)
        others = set(APPLICANT_COLUMNS) - {column, PERSON}
        assert all(table.results[outcome][other] == 0 for other in others)
    assert table.new[TOTAL_COLUMN] == len(Outcome) + 1
    assert table.new[BUSINESS] == 1 + cycle.count(BUSINESS)
    assert table.carried_in == {**dict.fromkeys(APPLICANT_COLUMNS, 0), TOTAL_COLUMN: 2,
                                "自然人": 1, "法律服务机构": 1}
    assert table.carried_out[TOTAL_COLUMN] == 2
    assert table.carried_out["商业企业"] == 1
    assert table.carried_out["法律服务机构"] == 1
    assert table.results_total[TOTAL_COLUMN] == len(Outcome) + 1
    assert table.group_total(Bucket.WITHHELD)[TOTAL_COLUMN] == 8
    assert table.group_total(Bucket.UNAVAILABLE)[TOTAL_COLUMN] == 3
    assert table.group_total(Bucket.NOT_PROCESSED)[TOTAL_COLUMN] == 5
    assert table.group_total(Bucket.OTHER)[TOTAL_COLUMN] == 3
    assert table3_violations(table) == []


def test_carry_over_between_two_years() -> None:
    records = year_of_requests()
    records.append(RequestRecord(RESEARCH, D(2025, 12, 30), D(2026, 1, 8),
                                 Outcome.PARTLY_DISCLOSED))
    y2025 = compute_table3(2025, records)
    y2026 = compute_table3(2026, records)
    assert y2026.carried_in == y2025.carried_out
    assert y2026.carried_in[TOTAL_COLUMN] == 3
    assert y2026.results[Outcome.PARTLY_DISCLOSED]["科研机构"] == 1
    assert table3_violations(y2026, previous=y2025) == []


def test_broken_tables_are_reported() -> None:
    table = compute_table3(2025, year_of_requests())
    table.new["自然人"] += 1  # a request counted as received but nowhere else
    problems = table3_violations(table)
    assert any("“自然人”列" in problem for problem in problems)
    assert any("一、本年新收" in problem and "总计" in problem for problem in problems)


def test_carry_over_mismatch_is_reported() -> None:
    y2024 = compute_table3(2024, year_of_requests())
    y2025 = compute_table3(2025, year_of_requests())
    y2024.carried_out["自然人"] += 1
    assert any("上年“四" in problem for problem in table3_violations(y2025, previous=y2024))
    with pytest.raises(ValueError, match="year before"):
        table3_violations(y2025, previous=y2025)


def test_a_request_has_exactly_one_outcome_when_closed() -> None:
    with pytest.raises(ValueError, match="exactly one outcome"):
        RequestRecord(PERSON, D(2025, 1, 1), D(2025, 1, 2))
    with pytest.raises(ValueError, match="unknown applicant column"):
        RequestRecord("个体户", D(2025, 1, 1))
    with pytest.raises(ValueError, match="exactly one outcome"):
        RequestRecord(PERSON, D(2025, 1, 1), None, Outcome.DISCLOSED)
    with pytest.raises(ValueError, match="before it was received"):
        RequestRecord(PERSON, D(2025, 1, 2), D(2025, 1, 1),
                      Outcome.DISCLOSED)


def test_regulation_counts() -> None:
    documents = [
        DocumentRecord("规章", D(2025, 2, 1), D(2025, 2, 5), None),
        DocumentRecord("规章", D(2020, 2, 1), D(2020, 2, 5), D(2025, 6, 1)),
        DocumentRecord("规章", D(2019, 1, 1), None, None),
        DocumentRecord("行政规范性文件", None, D(2025, 7, 1), None),
        DocumentRecord("行政规范性文件", D(2025, 8, 1), D(2025, 8, 2), D(2025, 12, 1)),
        DocumentRecord("行政规范性文件", D(2026, 1, 3), D(2026, 1, 4), None),
        DocumentRecord("行政规范性文件", D(2018, 1, 3), D(2018, 1, 4), D(2026, 3, 1)),
        DocumentRecord("通知", D(2025, 1, 1), D(2025, 1, 1), None),
    ]
    counts = compute_regulation_counts(2025, documents)
    assert counts["规章"].made == 1
    assert counts["规章"].repealed == 1
    assert counts["规章"].in_force == 2
    assert counts["行政规范性文件"].made == 2
    assert counts["行政规范性文件"].repealed == 1
    assert counts["行政规范性文件"].in_force == 2  # 2025-07 and 2018 (repealed only in 2026)


def test_table4_totals_per_group() -> None:
    cases = [ReviewCase(ReviewGroup.RECONSIDERATION, ReviewResult.UPHELD),
             ReviewCase(ReviewGroup.RECONSIDERATION, ReviewResult.CORRECTED),
             ReviewCase(ReviewGroup.LITIGATION_DIRECT, ReviewResult.PENDING),
             ReviewCase(ReviewGroup.LITIGATION_AFTER_RECONSIDERATION, ReviewResult.OTHER)]
    table = compute_table4(cases)
    assert table[ReviewGroup.RECONSIDERATION] == {"结果维持": 1, "结果纠正": 1, "其他结果": 0,
                                                  "尚未审结": 0, TOTAL_COLUMN: 2}
    assert table[ReviewGroup.LITIGATION_DIRECT][TOTAL_COLUMN] == 1
    assert sum(len(row) for row in table.values()) == 15


def test_row_labels_are_verbatim_and_in_order() -> None:
    assert row_label(Outcome.DISCLOSED) == "（一）予以公开"
    assert row_label(Outcome.PARTLY_DISCLOSED) == (
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
    assert row_label(Outcome.THIRD_PARTY) == "4.保护第三方合法权益"
    headings = [heading for heading, _ in group_rows()]
    assert headings == ["", "", "（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"]
    assert [len(outcomes) for _, outcomes in group_rows()] == [1, 1, 8, 3, 5, 3]


def test_applicant_columns() -> None:
    assert APPLICANT_COLUMNS == ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
    assert applicant_column("自然人", "") == "自然人"
    assert applicant_column("法人或其他组织", "科研机构") == "科研机构"
    assert applicant_column("法人或其他组织", "") == "其他"


def test_table3_layout_spans_each_group_once() -> None:
    layout = table3_layout()
    assert len(layout) == len(Outcome)
    assert layout[0] == ("（一）予以公开", "", 0)
    assert layout[2] == ("1.属于国家秘密", "（三）不予公开", 8)
    assert sum(span for _, _, span in layout) == 8 + 3 + 5 + 3
