"""A small, consistent government report to build tests on (amounts in 万元), and the same
tables as workbook sheets in the layouts finance departments publish."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from opengov.site.fiscal.rules.disclosures import Row
from opengov.site.fiscal.rules.government import ReportData, ReportStage

Cells = list[Any]


def _coded(rows: list[Cells]) -> list[Row]:
    return [Row(name=name, code=code, amounts=(None if amount is None else Decimal(amount),),
                line=line) for line, (code, name, amount) in enumerate(rows, start=1)]


def _named(rows: list[Cells]) -> list[Row]:
    return [Row(name=name, amounts=tuple(None if a is None else Decimal(a) for a in amounts),
                line=line) for line, (name, *amounts) in enumerate(rows, start=1)]


GENERAL_REVENUE: list[Cells] = [
    ["101", "税收收入", "100.00"],
    ["10101", "增值税", "60.00"],
    ["10104", "企业所得税", "40.00"],
    ["103", "非税收入", "20.00"],
    ["10304", "行政事业性收费收入", "20.00"],
    ["", "本级收入合计", "120.00"],
    ["110", "转移性收入", "30.00"],
    ["11002", "一般性转移支付收入", "30.00"],
    ["", "收入总计", "150.00"],
]
GENERAL_SPENDING: list[Cells] = [
    ["201", "一般公共服务支出", "70.00"],
    ["20106", "财政事务", "70.00"],
    ["2010601", "行政运行", "50.00"],
    ["2010602", "一般行政管理事务", "20.00"],
    ["205", "教育支出", "30.00"],
    ["20502", "普通教育", "30.00"],
    ["2050202", "小学教育", "30.00"],
    ["", "本级支出合计", "100.00"],
    ["230", "转移性支出", "50.00"],
    ["23001", "返还性支出", "5.00"],
    ["23002", "一般性转移支付", "30.00"],
    ["23003", "专项转移支付", "15.00"],
    ["", "支出总计", "150.00"],
]
SUMMARY: list[Cells] = [
    ["一般公共预算", "120.00", "100.00"],
    ["合计", "120.00", "100.00"],
]
REGIONS: list[Cells] = [
    ["甲镇", "30.00", "3.00", "18.00", "9.00"],
    ["乙镇", "20.00", "2.00", "12.00", "6.00"],
    ["合计", "50.00", "5.00", "30.00", "15.00"],
]
PROJECTS: list[Cells] = [
    ["农村公路养护补助", "10.00"],
    ["乡镇卫生院能力提升", "5.00"],
    ["合计", "15.00"],
]
DEBT: list[Cells] = [
    ["一般债务", "100.00", "20.00", "15.00", "10.00", "110.00", "120.00", "3.00"],
    ["专项债务", "200.00", "30.00", "30.00", "5.00", "225.00", "230.00", "6.00"],
    ["合计", "300.00", "50.00", "45.00", "15.00", "335.00", "350.00", "9.00"],
]


def _scaled_coded(rows: list[Cells], factor: Decimal) -> list[Cells]:
    return [[code, name, str(Decimal(amount) * factor)] for code, name, amount in rows]


def _scaled_named(rows: list[Cells], factor: Decimal) -> list[Cells]:
    return [[name, *(str(Decimal(amount) * factor) for amount in amounts)]
            for name, *amounts in rows]


def report_data(year: int = 2025, stage: ReportStage = ReportStage.BUDGET, *,
                approved_on: dt.date = dt.date(2025, 1, 20),
                published_on: dt.date | None = dt.date(2025, 2, 5),
                scale: str = "1", sequence: int = 1) -> ReportData:
    """The report; ``scale`` multiplies the figures of the revenue, spending, summary and
    transfer tables (another year, another stage), which stay consistent."""
    factor = Decimal(scale)
    data = ReportData(year=year, stage=stage, sequence=sequence,
                      approved_by="示例市第十七届人民代表大会第五次会议",
                      approved_on=approved_on, published_on=published_on,
                      narrative="## 一、转移支付\n\n见附表。\n\n## 二、政府债务\n\n余额在限额之内。")
    data.tables["general-revenue"] = _coded(_scaled_coded(GENERAL_REVENUE, factor))
    data.tables["general-expenditure"] = _coded(_scaled_coded(GENERAL_SPENDING, factor))
    data.tables["summary"] = _named(_scaled_named(SUMMARY, factor))
    data.tables["general-transfers-region"] = _named(_scaled_named(REGIONS, factor))
    data.tables["general-transfers-project"] = _named(_scaled_named(PROJECTS, factor))
    data.tables["debt"] = _named(DEBT)
    return data


def _cell(value: Any) -> Any:
    """Amounts as spreadsheet numbers, codes and names as text."""
    if isinstance(value, str) and "." in value:
        return float(value)
    return value


def sheet(title: str, header: list[str], rows: list[Cells], *,
          name: str | None = None, unit: str = "单位：万元") -> tuple[str, list[Cells]]:
    """A sheet as finance departments publish it: title line, unit line, header, rows."""
    return (name or title[-31:], [[title], [unit], header,
                                  *[[_cell(cell) for cell in row] for row in rows]])
