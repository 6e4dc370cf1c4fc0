"""Spreadsheets in the layouts departments publish, built with openpyxl for the tests."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

Sheet = tuple[str, list[list[Any]]]


def xlsx(*sheets: Sheet) -> bytes:
    workbook = Workbook()
    default = workbook.active
    for name, rows in sheets:
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    if default is not None:
        workbook.remove(default)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def overview_sheet(total: float = 150) -> Sheet:
    """收支总表 side by side, as most departments publish it."""
    return ("表1", [
        ["示例市财政局2025年部门收支总表"],
        ["单位：万元"],
        ["收入项目", "预算数", "支出项目", "预算数"],
        ["一般公共预算拨款收入", 150, "一般公共服务支出", 120],
        [None, None, "住房保障支出", 30],
        ["收入总计", total, "支出总计", 150],
    ])


def spending_sheet(**overrides: Any) -> Sheet:
    """一般公共预算支出表 with one code column and 合计 written in it."""
    rows: dict[str, list[Any]] = {
        "total": ["合计", None, 150, 100, 50],
        "201": [201, "一般公共服务支出", 120, 80, 40],
        "20106": [20106, "  财政事务", 120, 80, 40],
        "2010601": [2010601, "    行政运行", 80, 80, None],
        "2010602": [2010602, "    一般行政管理事务", 40, None, 40],
        "221": [221, "住房保障支出", 30, 20, 10],
        "22102": [22102, "  住房改革支出", 30, 20, 10],
        "2210201": [2210201, "    住房公积金", 30, 20, 10],
    }
    rows.update(overrides)
    return ("一般公共预算支出表", [
        ["示例市财政局2025年一般公共预算支出表"],
        ["单位：万元"],
        ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        *rows.values(),
    ])


def basic_sheet() -> Sheet:
    """一般公共预算基本支出表 with split 类 | 款 columns under a two-line header."""
    return ("表6", [
        ["一般公共预算基本支出表"],
        ["类", "款", "科目名称", "合计", "人员经费", "公用经费"],
        [None, None, "合计", 100, 90, 10],
        ["301", None, "工资福利支出", 90, 90, None],
        ["301", "01", "基本工资", 90, 90, None],
        ["302", None, "商品和服务支出", 10, None, 10],
        ["302", 17, "公务接待费", 10, None, 10],
    ])


def sangong_wide_sheet(total: float = 7, vehicle: float = 6) -> Sheet:
    """The official wide layout: two header lines, rows 本年 and 上年."""
    return ("三公", [
        ["一般公共预算“三公”经费支出表"],
        ["单位：万元"],
        ["年度", "合计", "因公出国（境）费", "公务用车购置及运行费", None, None, "公务接待费"],
        [None, None, None, "小计", "公务用车购置费", "公务用车运行费", None],
        ["2025年预算", total, 0, vehicle, 0, 6, 1],
        ["2024年预算（上年）", 32, 0, 31.5, 25, 6.5, 0.5],
    ])


def good_workbook() -> bytes:
    return xlsx(overview_sheet(), spending_sheet(), basic_sheet(), sangong_wide_sheet())
