"""The rules of the government's reports: each kind of inconsistency is caught with a message
naming its table and row; the table set, report keys, comparisons and warnings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from opengov.site.fiscal.rules.disclosures import Row, Timeliness, timeliness
from opengov.site.fiscal.rules.government import (
    SPECS_BY_SLUG,
    TABLE_SPECS,
    Budget,
    ReportData,
    ReportKey,
    ReportStage,
    content_warnings,
    execution_rate,
    growth_rate,
    match_table,
    parse_report_slug,
    report_title,
    report_warnings,
    revenue_budgets,
    validate_report,
)
from tests.fiscal.government_data import report_data

D = Decimal


def problems(data: ReportData) -> list[str]:
    return [str(problem) for problem in validate_report(data)]


def set_amount(data: ReportData, slug: str, line: int, *amounts: str | None) -> None:
    row = data.tables[slug][line - 1]
    row.amounts = tuple(None if amount is None else D(amount) for amount in amounts)


def test_the_sample_report_is_consistent() -> None:
    assert problems(report_data()) == []


# --- within a table ---------------------------------------------------------------------

Breaker = Callable[[ReportData], None]

CASES: list[tuple[str, Breaker, str]] = [
    ("类 ≠ Σ 款", lambda d: set_amount(d, "general-revenue", 1, "101.00"),
     "【一般公共预算收入表】第1行：101 税收收入的“预算数”为101.00，但其下各款之和为100.00"),
    ("款 ≠ Σ 项", lambda d: set_amount(d, "general-expenditure", 2, "71.00"),
     "【一般公共预算支出表】第2行：20106 财政事务的“预算数”为71.00，但其下各项之和为70.00"),
    ("本级合计 ≠ Σ 本级类", lambda d: set_amount(d, "general-revenue", 6, "121.00"),
     "【一般公共预算收入表】第6行：本级收入合计的“预算数”为121.00，但不含转移性收支和债务收支的"
     "各科目之和为120.00"),
    ("总计 ≠ Σ 类", lambda d: set_amount(d, "general-expenditure", 13, "151.00"),
     "【一般公共预算支出表】第13行：支出总计的“预算数”为151.00，但各科目之和为150.00"),
    ("unknown 类", lambda d: setattr(d.tables["general-revenue"][3], "code", "104"),
     "【一般公共预算收入表】第4行：科目编码“104”不在《政府收支分类科目》收入分类中"),
    ("code of the wrong shape", lambda d: setattr(d.tables["general-expenditure"][0], "code",
                                                  "2011"),
     "【一般公共预算支出表】第1行：科目编码“2011”格式不对，应为3位（类）、5位（款）或7位（项）数字"),
    ("repeated code", lambda d: setattr(d.tables["general-expenditure"][3], "code", "2010601"),
     "【一般公共预算支出表】第4行：科目“2010601”重复列出（另见第3行）"),
    ("negative figure", lambda d: set_amount(d, "general-revenue", 2, "-60.00"),
     "【一般公共预算收入表】第2行：10101 增值税的“预算数”为负数（-60.00），该栏不能为负"),
    ("revenue of another budget", lambda d: setattr(d.tables["general-revenue"][4], "code",
                                                    "10301"),
     "【一般公共预算收入表】第5行：“10301 行政事业性收费收入”属于政府性基金预算收入，不应列入一般公共预算"),
    ("region row: 合计 ≠ parts", lambda d: set_amount(d, "general-transfers-region", 1,
                                                     "31.00", "3.00", "18.00", "9.00"),
     "【一般公共预算税收返还和转移支付表（分地区）】第1行：甲镇的“合计”为31.00，但税收返还、"
     "一般性转移支付、专项转移支付之和为30.00"),
    ("projects: 合计 row ≠ Σ projects", lambda d: set_amount(d, "general-transfers-project", 3,
                                                          "16.00"),
     "【一般公共预算专项转移支付表（分项目）】第3行：合计的“金额”为16.00，但其他各行之和为15.00"),
    ("summary: unknown row", lambda d: setattr(d.tables["summary"][0], "name", "一般预算"),
     "【四本预算收支总表】第1行：收支总表的行应为四本预算之一或“合计”，实为“一般预算”"),
    ("debt: closing balance", lambda d: set_amount(d, "debt", 1, "100.00", "20.00", "15.00",
                                                   "10.00", "111.00", "120.00", "3.00"),
     "【政府债务限额和余额情况表】第1行：一般债务的“年末余额”为111.00，但上年末余额100.00＋本年举借"
     "20.00－本年还本10.00＝110.00"),
    ("debt: new bonds beyond borrowing", lambda d: set_amount(
        d, "debt", 1, "100.00", "20.00", "21.00", "10.00", "110.00", "120.00", "3.00"),
     "【政府债务限额和余额情况表】第1行：一般债务的“新增债券”21.00大于“本年举借”20.00"),
    ("debt: unknown row", lambda d: setattr(d.tables["debt"][1], "name", "隐性债务"),
     "【政府债务限额和余额情况表】第2行：债务表的行应为“一般债务”“专项债务”或“合计”，实为“隐性债务”"),
]


@pytest.mark.parametrize(("break_it", "message"), [(case[1], case[2]) for case in CASES],
                         ids=[case[0] for case in CASES])
def test_each_kind_of_error_names_its_table_and_row(break_it: Breaker, message: str) -> None:
    data = report_data()
    break_it(data)
    assert message in problems(data)


def test_a_code_deeper_than_published_is_refused() -> None:
    data = report_data()
    data.tables["general-basic"] = [Row("机关工资福利支出", (D("10.00"),), "501", 1),
                                    Row("工资奖金津补贴", (D("10.00"),), "50101", 2),
                                    Row("基本工资", (D("10.00"),), "5010101", 3)]
    assert "【一般公共预算基本支出表】第3行：政府预算支出经济分类只公开到款，“5010101”是项级科目" in \
        problems(data)


def test_a_row_without_code_in_a_coded_table_is_refused() -> None:
    data = report_data()
    data.tables["general-revenue"][1].code = ""
    assert "【一般公共预算收入表】第2行：“增值税”缺少科目编码" in problems(data)


# --- across tables -----------------------------------------------------------------------


def test_the_summary_must_agree_with_each_budget() -> None:
    data = report_data()
    set_amount(data, "summary", 1, "120.00", "99.00")
    set_amount(data, "summary", 2, "120.00", "99.00")
    assert problems(data) == [
        "【四本预算收支总表】第1行：一般公共预算的“支出”为99.00，但一般公共预算支出表中本级支出"
        "（不含转移性和债务收支）为100.00"]


def test_the_summary_total_is_the_sum_of_the_budgets() -> None:
    data = report_data()
    set_amount(data, "summary", 2, "121.00", "100.00")
    assert problems(data) == [
        "【四本预算收支总表】第2行：合计的“收入”为121.00，但其他各行之和为120.00"]


def test_a_budget_must_balance() -> None:
    data = report_data()
    # More revenue than spending, each table adding up in itself.
    set_amount(data, "general-revenue", 8, "31.00")
    set_amount(data, "general-revenue", 7, "31.00")
    set_amount(data, "general-revenue", 9, "151.00")
    assert problems(data) == [
        "【一般公共预算支出表】第13行：一般公共预算收入总计151.00与支出总计150.00不相等"
        "（《预算法》第十二条：收支平衡；结余应列为“年终结余”或“结转下年”）"]


def test_transfers_by_project_agree_with_the_special_transfers_by_region() -> None:
    data = report_data()
    set_amount(data, "general-transfers-project", 1, "11.00")
    set_amount(data, "general-transfers-project", 3, "16.00")
    assert problems(data) == [
        "【一般公共预算专项转移支付表（分项目）】各项目合计16.00与一般公共预算税收返还和转移支付表（分地区）"
        "的“专项转移支付”合计15.00不一致"]


def test_transfers_by_region_agree_with_the_transfer_spending() -> None:
    data = report_data()
    set_amount(data, "general-transfers-region", 1, "31.00", "4.00", "18.00", "9.00")
    set_amount(data, "general-transfers-region", 3, "51.00", "6.00", "30.00", "15.00")
    assert problems(data) == [
        "【一般公共预算支出表】第10行：“税收返还”各地区合计6.00，与一般公共预算支出表中“23001 返还性支出”"
        "的5.00不一致"]


def test_dates_and_sequence() -> None:
    data = report_data(published_on=dt.date(2025, 1, 19))
    assert problems(data) == ["发布日期早于批准日期"]
    data = report_data(stage=ReportStage.FINAL, sequence=2)
    assert "只有预算调整可以有第二次及以后" in problems(data)


# --- the 20-day rule and other warnings ---------------------------------------------------


@pytest.mark.parametrize(("published", "today", "expected"), [
    (dt.date(2025, 2, 9), dt.date(2025, 6, 1), Timeliness.ON_TIME),  # the 20th day
    (dt.date(2025, 2, 10), dt.date(2025, 6, 1), Timeliness.LATE),  # the 21st
    (None, dt.date(2025, 2, 9), Timeliness.PENDING),
    (None, dt.date(2025, 2, 10), Timeliness.OVERDUE),
])
def test_twenty_calendar_days_from_approval(published: dt.date | None, today: dt.date,
                                            expected: Timeliness) -> None:
    assert timeliness(dt.date(2025, 1, 20), published, today) is expected


def test_late_publication_is_a_warning_not_an_error() -> None:
    data = report_data(published_on=dt.date(2025, 2, 10))
    assert problems(data) == []
    assert report_warnings(data)[0] == (
        "发布日期在批准后第21天，超过《预算法》第十四条规定的二十日，将在公开情况中标为“逾期公开”。")
    assert all("逾期" not in warning for warning in content_warnings(data))


def test_warnings_for_what_article_14_asks() -> None:
    data = report_data()
    data.narrative = "收支平衡。"
    warnings = content_warnings(data)
    assert "情况说明没有提到转移支付：《预算法》第十四条要求对转移支付和举借债务情况作出说明。" in warnings
    assert "情况说明没有提到债务：《预算法》第十四条要求对转移支付和举借债务情况作出说明。" in warnings
    assert any(warning.startswith("未包含以下报表：一般公共预算基本支出表、政府性基金预算收入表")
               for warning in warnings)
    data.stage = ReportStage.EXECUTION
    assert content_warnings(data) == []  # the execution report is the narrative itself


def test_unlisted_codes_and_debt_over_its_limit_are_flagged() -> None:
    data = report_data()
    data.tables["general-expenditure"][3].code = "2010698"  # a real-looking 项 not shipped
    data.tables["debt"][0].amounts = tuple(D(a) for a in (
        "100.00", "20.00", "15.00", "10.00", "110.00", "105.00", "3.00"))
    data.tables["debt"][2].amounts = tuple(D(a) for a in (
        "300.00", "50.00", "45.00", "15.00", "335.00", "335.00", "9.00"))
    assert problems(data) == []
    warnings = content_warnings(data)
    assert ("【一般公共预算支出表】第4行：科目编码“2010698 一般行政管理事务”未收录在本站的支出功能分类"
            "科目表中，请核对编码") in warnings
    assert ("一般债务年末余额110.00万元超过债务限额105.00万元，请核对（地方政府债务余额不得突破批准的限额）"
            in warnings)


# --- the table set and keys ------------------------------------------------------------------


def test_the_table_set_covers_the_four_budgets() -> None:
    budgets = {spec.budget for spec in TABLE_SPECS if spec.budget is not None}
    assert budgets == set(Budget)
    for budget in Budget:
        assert f"{budget.slug}-revenue" in SPECS_BY_SLUG
        assert f"{budget.slug}-expenditure" in SPECS_BY_SLUG
    assert SPECS_BY_SLUG["general-basic"].scheme is not None
    assert SPECS_BY_SLUG["debt"].amount_columns(ReportStage.FINAL)[4] == "年末余额"
    assert SPECS_BY_SLUG["general-revenue"].amount_columns(ReportStage.FINAL) == ("决算数",)


@pytest.mark.parametrize(("title", "slug"), [
    ("示例市2025年一般公共预算收入表", "general-revenue"),
    ("示例市2025年一般公共预算基本支出表（按经济分类）", "general-basic"),
    ("2024年政府性基金预算支出表", "fund-expenditure"),
    ("2024年全口径预算收支总表", "summary"),
    ("2025年 地方政府债务限额和余额情况表", "debt"),
    ("税收返还和转移支付分地区表", "general-transfers-region"),
    ("示例市2024年一般公共预算支出决算表", "general-expenditure"),
    ("2025年政府性基金预算收入预算表", "fund-revenue"),
    ("2024年社会保险基金预算收入执行情况表", "social-insurance-revenue"),
])
def test_titles_as_published_find_their_table(title: str, slug: str) -> None:
    spec = match_table(title)
    assert spec is not None
    assert spec.slug == slug
    assert match_table("部门收支总表") is None


def test_report_keys_and_titles() -> None:
    assert parse_report_slug("adjustment-2") == ReportKey(ReportStage.ADJUSTMENT, 2)
    assert parse_report_slug("final").slug == "final"
    for bad in ("final-2", "draft", "adjustment-1", "adjustment-10", "../final"):
        with pytest.raises(ValueError, match="未知的报告"):
            parse_report_slug(bad)
    assert report_title("示例市", 2025, ReportKey(ReportStage.ADJUSTMENT, 2)) == \
        "示例市2025年政府预算调整（第二次）"
    assert report_title("示例市", 2024, ReportKey(ReportStage.EXECUTION)) == "示例市2024年预算执行情况"


def test_revenue_belongs_to_one_budget() -> None:
    assert revenue_budgets("1030148") == {Budget.FUND}
    assert revenue_budgets("10306") == {Budget.STATE_CAPITAL}
    assert revenue_budgets("10203") == {Budget.SOCIAL_INSURANCE}
    assert revenue_budgets("10101") == {Budget.GENERAL}
    assert revenue_budgets("1050402") == {Budget.FUND}
    assert Budget.SOCIAL_INSURANCE not in revenue_budgets("11002")


def test_rates() -> None:
    assert execution_rate(D("96.50"), D("100.00")) == D("96.5")
    assert execution_rate(D("1.00"), D("3.00")) == D("33.3")
    assert execution_rate(D("1.00"), D("0.00")) is None
    assert execution_rate(None, D("1.00")) is None
    assert growth_rate(D("110.00"), D("100.00")) == D("10.0")
    assert growth_rate(D("90.00"), None) is None
