"""Reading the government's tables from workbooks and CSV files as finance departments
publish them: which sheet is which table, which column is the report's figure, units, codes
in split columns, and row-level problems."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from opengov.site.fiscal.rules.government import ReportData, ReportStage
from opengov.site.fiscal.service.government_import import read_report, stage_column
from tests.fiscal.government_data import (
    DEBT,
    GENERAL_REVENUE,
    GENERAL_SPENDING,
    PROJECTS,
    REGIONS,
    SUMMARY,
    sheet,
)
from tests.fiscal.spreadsheets import xlsx

D = Decimal


def base(stage: ReportStage = ReportStage.BUDGET) -> ReportData:
    return ReportData(2025, stage, approved_by="示例市第十七届人民代表大会第五次会议",
                      approved_on=dt.date(2025, 1, 20), published_on=dt.date(2025, 2, 5),
                      narrative="转移支付和债务情况见附表。")


def workbook(**replace: Any) -> bytes:
    sheets = {
        "summary": sheet("示例市2025年全口径预算收支总表", ["预算", "收入", "支出"], SUMMARY),
        "revenue": sheet("示例市2025年一般公共预算收入表", ["科目编码", "科目名称", "预算数"],
                         GENERAL_REVENUE, name="表1"),
        "spending": sheet("示例市2025年一般公共预算支出表", ["科目编码", "科目名称", "预算数"],
                          GENERAL_SPENDING, name="表2"),
        "regions": sheet("示例市2025年一般公共预算税收返还和转移支付表（分地区）",
                         ["地区", "合计", "税收返还", "一般性转移支付", "专项转移支付"], REGIONS,
                         name="表3"),
        "projects": sheet("示例市2025年一般公共预算专项转移支付表（分项目）", ["项目名称", "金额"],
                          PROJECTS, name="表4"),
        "debt": sheet("示例市2025年政府债务限额和余额情况表",
                      ["类别", "上年末余额", "本年举借", "其中：新增债券", "本年还本", "年末余额",
                       "债务限额", "本年付息"], DEBT, name="表5"),
    }
    sheets.update(replace)
    return xlsx(*(value for value in sheets.values() if value is not None))


def test_a_workbook_of_consistent_tables_reads_without_problems() -> None:
    result = read_report("2025年预算.xlsx", workbook(), base())
    assert result.problems == []
    assert result.found[:2] == ["工作表“示例市2025年全口径预算收支总表” → 四本预算收支总表",
                                "工作表“表1” → 一般公共预算收入表"]
    assert set(result.data.tables) == {"summary", "general-revenue", "general-expenditure",
                                       "general-transfers-region", "general-transfers-project",
                                       "debt"}
    revenue = result.data.tables["general-revenue"]
    assert (revenue[1].code, revenue[1].name, revenue[1].amounts) == ("10101", "增值税",
                                                                        (D("60.00"),))
    assert revenue[5].is_total
    debt = result.data.tables["debt"]
    assert debt[0].amounts[4] == D("110.00")


def test_an_inconsistent_row_is_named_with_its_spreadsheet_line() -> None:
    rows = [list(row) for row in GENERAL_SPENDING]
    rows[2][2] = "51.00"  # 行政运行: the 款 no longer adds up
    result = read_report("预算.xlsx", workbook(spending=sheet(
        "示例市2025年一般公共预算支出表", ["科目编码", "科目名称", "预算数"], rows, name="表2")),
        base())
    # Title, unit and header take lines 1-3: 财政事务 is on line 5.
    assert [str(problem) for problem in result.problems] == [
        "【一般公共预算支出表】第5行：20106 财政事务的“预算数”为70.00，但其下各项之和为71.00"]


def test_the_column_of_the_reports_stage_is_read() -> None:
    final = [["201", "一般公共服务支出", 80, 82, 70, 85.4, 65],
             ["20106", "财政事务", 80, 82, 70, 85.4, 65],
             ["2010601", "行政运行", 80, 82, 70, 85.4, 65],
             ["", "合计", 80, 82, 70, 85.4, 65]]
    table = sheet("示例市2025年一般公共预算支出决算表",
                  ["科目编码", "科目名称", "年初预算数", "调整预算数", "决算数",
                   "决算数为调整预算数的%", "2024年决算数"], final)
    result = read_report("决算.xlsx", xlsx(table), base(ReportStage.FINAL))
    assert result.problems == []
    assert [row.amounts for row in result.data.tables["general-expenditure"]] == \
        [(D("70.00"),)] * 4
    budget = read_report("决算.xlsx", xlsx(table), base(ReportStage.ADJUSTMENT))
    assert [row.amounts[0] for row in budget.data.tables["general-expenditure"]] == \
        [D("82.00")] * 4


def test_stage_columns_as_published() -> None:
    header = ["科目编码", "科目名称", "2024年预算数", "2024年执行数", "2025年预算数", "比上年执行数增长%"]
    assert stage_column(header, 2, ReportStage.BUDGET, 2025) == 4
    assert stage_column(header, 2, ReportStage.EXECUTION, 2024) == 3
    assert stage_column(header, 2, ReportStage.FINAL, 2025) is None
    assert stage_column(["编码", "名称", "金额"], 2, ReportStage.FINAL, 2025) == 2
    both = ["科目编码", "科目名称", "一般预算数", "基金预算数"]
    assert stage_column(both, 2, ReportStage.BUDGET, 2025) == \
        "有多列可作为“预算数”（一般预算数、基金预算数），无法确定"


def test_a_missing_stage_column_is_a_problem() -> None:
    table = sheet("示例市2025年一般公共预算收入表", ["科目编码", "科目名称", "预算数", "增长%"],
                  [["101", "税收收入", 1, 2]])
    result = read_report("决算.xlsx", xlsx(table), base(ReportStage.FINAL))
    assert [str(problem) for problem in result.problems] == [
        "【一般公共预算收入表】第3行：找不到“决算数”列：决算报表应有一列决算数、决算"]


def test_split_code_columns_and_units_in_yi_yuan() -> None:
    rows = [["101", None, None, "税收收入", 1.2],
            [None, "01", None, "增值税", 0.7],
            [None, "04", None, "企业所得税", 0.5],
            [None, None, None, "合计", 1.2]]
    table = ("收入", [["示例市2025年一般公共预算收入表"], ["单位：亿元"],
                      ["类", "款", "项", "科目名称", "预算数"], *rows])
    result = read_report("收入.xlsx", xlsx(table), base())
    assert result.problems == []
    assert [(row.code, row.amounts[0]) for row in result.data.tables["general-revenue"]] == [
        ("101", D("12000.00")), ("10101", D("7000.00")), ("10104", D("5000.00")),
        ("", D("12000.00"))]
    assert result.found == ["工作表“收入” → 一般公共预算收入表（原单位亿元，已换算为万元）"]


def test_a_csv_names_its_table_on_the_form() -> None:
    content = "科目编码,科目名称,预算数\n101,税收收入,100\n10101,增值税,100\n".encode("gb18030")
    unknown = read_report("data.csv", content, base())
    assert [str(problem) for problem in unknown.problems] == [
        "无法识别工作表“data”是哪张表：请在表头写明表名（如“一般公共预算收入表”）或以表名命名工作表"]
    chosen = read_report("data.csv", content, base(), table_slug="general-revenue")
    assert chosen.problems == []
    assert chosen.data.tables["general-revenue"][1].amounts == (D("100.00"),)


def test_named_tables_by_position_when_headers_differ() -> None:
    table = sheet("示例市2025年政府债务限额和余额情况表",
                  ["项目", "2024年末余额", "2025年举借", "新增", "还本", "2025年末余额", "限额",
                   "付息"], DEBT)
    result = read_report("债务.xlsx", xlsx(table), base())
    assert result.problems == []
    assert result.data.tables["debt"][2].amounts[5] == D("350.00")
    short = sheet("示例市2025年政府债务限额和余额情况表", ["项目", "余额", "限额"],
                  [["一般债务", 1, 2]])
    assert "应有7个金额列" in str(read_report("债务.xlsx", xlsx(short), base()).problems[0])


def test_other_problems_of_a_file() -> None:
    assert [str(p) for p in read_report("x.pdf", b"%PDF", base()).problems] == [
        "只接受 .xlsx 或 .csv 文件"]
    twice = workbook(again=sheet("示例市2025年一般公共预算收入表", ["科目编码", "科目名称", "预算数"],
                                 GENERAL_REVENUE, name="表9"))
    assert "【一般公共预算收入表】工作表“表9”与前面的工作表是同一张表" in [
        str(p) for p in read_report("两份.xlsx", twice, base()).problems]
    bad_amount = sheet("示例市2025年一般公共预算收入表", ["科目编码", "科目名称", "预算数"],
                       [["101", "税收收入", "一百"]])
    assert [str(p) for p in read_report("a.xlsx", xlsx(bad_amount), base()).problems] == [
        "【一般公共预算收入表】第4行：“一百”不是金额"]
    across = workbook(summary=sheet("示例市2025年全口径预算收支总表", ["预算", "收入", "支出"],
                                    [["一般公共预算", "120.00", "90.00"],
                                     ["合计", "120.00", "90.00"]]))
    assert [str(p) for p in read_report("b.xlsx", across, base()).problems] == [
        "【四本预算收支总表】第4行：一般公共预算的“支出”为90.00，但一般公共预算支出表中本级支出"
        "（不含转移性和债务收支）为100.00"]
