"""Reading the standard tables from XLSX and CSV files, and each kind of bad row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from opengov.site.fiscal.rules.disclosures import DisclosureData, SangongItem, Stage
from opengov.site.fiscal.service.export import to_xlsx
from opengov.site.fiscal.service.importing import ImportResult, read_disclosure
from opengov.site.fiscal.service.tables import TableData
from tests.fiscal.spreadsheets import (
    basic_sheet,
    good_workbook,
    overview_sheet,
    sangong_wide_sheet,
    spending_sheet,
    xlsx,
)

D = Decimal


def base() -> DisclosureData:
    return DisclosureData(year=2025, stage=Stage.BUDGET, approved_on=dt.date(2025, 2, 10),
                          published_on=dt.date(2025, 2, 25))


def read(filename: str, content: bytes, table_number: int | None = None) -> ImportResult:
    return read_disclosure(filename, content, base(), table_number)


def messages(result: ImportResult) -> list[str]:
    return [str(problem) for problem in result.problems]


def test_good_workbook_reads_every_table() -> None:
    result = read("预算.xlsx", good_workbook())
    assert messages(result) == []
    data = result.data
    assert sorted(data.tables) == [1, 5, 6]
    overview = data.tables[1]
    assert [(row.side, row.name, row.amounts[0]) for row in overview] == [
        ("收入", "一般公共预算拨款收入", D("150.00")), ("收入", "收入总计", D("150.00")),
        ("支出", "一般公共服务支出", D("120.00")), ("支出", "住房保障支出", D("30.00")),
        ("支出", "支出总计", D("150.00"))]
    spending = data.tables[5]
    assert spending[0].name == "合计"
    assert spending[0].code == ""
    assert [row.code for row in spending[1:]] == ["201", "20106", "2010601", "2010602", "221",
                                                  "22102", "2210201"]
    assert spending[3].name == "行政运行"
    assert spending[3].line == 7
    assert spending[3].amounts == (D("80.00"), D("80.00"), None)
    assert [row.code for row in data.tables[6]] == ["", "301", "30101", "302", "30217"]
    sangong = data.sangong
    assert sangong[SangongItem.VEHICLE_OPERATION].amount == D("6.00")
    assert sangong[SangongItem.VEHICLE_OPERATION].prior == D("6.50")
    assert sangong[SangongItem.VEHICLE_PURCHASE].prior == D("25.00")
    assert sangong[SangongItem.RECEPTION].amount == D("1.00")
    assert data.figures().total == D("7.00")
    assert len(result.found) == 4
    assert "表7" in result.found[3]


def test_csv_with_bom_and_code_in_name() -> None:
    text = ("2025年部门支出总表\n单位：万元\n项目,合计,基本支出,项目支出\n合计,3,3,\n"
            "2010601 行政运行,1,1,\n2210201 住房公积金,2,2,\n")
    result = read("支出.csv", text.encode("utf-8-sig"))
    assert messages(result) == []
    assert [(row.code, row.name) for row in result.data.tables[3]] == [
        ("", "合计"), ("2010601", "行政运行"), ("2210201", "住房公积金")]


def test_csv_from_excel_in_gb18030_with_table_chosen() -> None:
    text = "科目编码,科目名称,合计,基本支出,项目支出\n2010601,行政运行,1.5,1.5,\n"
    result = read("export.csv", text.encode("gb18030"), table_number=8)
    assert messages(result) == []
    assert result.data.tables[8][0].amounts[0] == D("1.50")


def test_tab_separated_long_overview() -> None:
    text = "收支\t项目\t金额\n收入\t财政拨款收入\t10\n收入\t收入总计\t10\n支出\t一般公共服务支出\t10\n"
    result = read("财政拨款收支总表.csv", text.encode())
    assert messages(result) == []
    assert [row.side for row in result.data.tables[4]] == ["收入", "收入", "支出"]


def test_sangong_long_layout_with_explanations() -> None:
    sheet = ("三公经费", [
        ["一般公共预算“三公”经费支出表"],
        ["项目", "本年预算数", "上年预算数", "说明"],
        ["合计", 79, 128, None],
        ["1.因公出国(境)费", 0, 0, None],
        ["2.公务用车购置及运行费", 75, 120, None],
        ["其中：公务用车购置费", 25, 60, "更新一辆执法执勤用车"],
        ["公务用车运行费", 50, 60, None],
        ["3.公务接待费", 4, 8, "严控接待标准"],
        ["机关运行经费", 320.5, 330, None],
    ])
    result = read("三公.xlsx", xlsx(sheet))
    assert messages(result) == []
    sangong = result.data.sangong
    assert sangong[SangongItem.VEHICLE_PURCHASE].explanation == "更新一辆执法执勤用车"
    assert sangong[SangongItem.OPERATING_COST].amount == D("320.50")
    assert result.data.figures(prior=True).total == D("128.00")


# --- bad rows -----------------------------------------------------------------------------

def test_unknown_subject_code() -> None:
    result = read("b.xlsx", xlsx(spending_sheet(**{"2010602": [2010698, "不存在", 40, None, 40]})))
    assert messages(result) == [
        "【一般公共预算支出表】第8行：科目编码“2010698”不在《政府收支分类科目》功能分类中"]


def test_children_that_do_not_add_up() -> None:
    result = read("b.xlsx", xlsx(spending_sheet(**{"2010601": [2010601, "行政运行", 81, 81, None]})))
    assert "【一般公共预算支出表】第6行：20106 财政事务的“合计”为120.00，但其下各项之和为121.00" \
        in messages(result)


def test_total_row_that_does_not_add_up() -> None:
    result = read("b.xlsx", xlsx(spending_sheet(total=["合计", None, 151, 101, 50])))
    assert any("第4行：合计的“合计”为151.00，但各科目之和为150.00" in m for m in messages(result))


def test_negative_amount() -> None:
    result = read("b.xlsx", xlsx(spending_sheet(
        **{"2010602": [2010602, "一般行政管理事务", 40, -5, 45]})))
    assert any("第8行：2010602 一般行政管理事务的“基本支出”为负数（-5.00），该栏不能为负" in m
               for m in messages(result))


def test_amount_that_is_not_a_number() -> None:
    result = read("b.xlsx", xlsx(spending_sheet(
        **{"2010602": [2010602, "一般行政管理事务", "四十", None, 40]})))
    assert "【一般公共预算支出表】第8行：“四十”不是金额" in messages(result)


def test_code_that_is_not_a_number() -> None:
    result = read("b.xlsx", xlsx(spending_sheet(**{"221": ["22l", "住房保障支出", 30, 20, 10]})))
    assert "【一般公共预算支出表】第9行：科目编码“22l”不是数字" in messages(result)


def test_sangong_total_that_does_not_equal_its_lines() -> None:
    result = read("b.xlsx", xlsx(sangong_wide_sheet(total=8)))
    assert messages(result) == [
        "【一般公共预算“三公”经费支出表】第5行：“三公”经费合计为8.00，但因公出国（境）费、"
        "公务用车购置及运行（维护）费、公务接待费之和为7.00"]


def test_vehicle_subtotal_that_does_not_equal_its_parts() -> None:
    result = read("b.xlsx", xlsx(sangong_wide_sheet(vehicle=5)))
    assert any("公务用车购置及运行（维护）费为5.00，但购置费与运行（维护）费之和为6.00" in m
               for m in messages(result))


def test_unknown_sangong_item() -> None:
    sheet = ("三公", [["一般公共预算“三公”经费支出表"], ["项目", "本年"], ["差旅费", 3]])
    assert messages(read("b.xlsx", xlsx(sheet))) == [
        "【一般公共预算“三公”经费支出表】第3行：无法识别的三公经费项目“差旅费”"]


def test_overview_that_does_not_balance() -> None:
    result = read("b.xlsx", xlsx(overview_sheet(total=149)))
    assert any("收入方“收入总计”为149.00，但其上各项之和为150.00" in m for m in messages(result))


def test_tables_disagreeing_on_basic_spending() -> None:
    spending = spending_sheet()
    changed = spending_sheet(**{"2010601": [2010601, "行政运行", 80, 70, 10],
                                "201": [201, "一般公共服务支出", 120, 70, 50],
                                "20106": [20106, "财政事务", 120, 70, 50],
                                "total": ["合计", None, 150, 90, 60]})
    assert messages(read("ok.xlsx", xlsx(spending, basic_sheet()))) == []
    problems = messages(read("b.xlsx", xlsx(changed, basic_sheet())))
    assert any("基本支出合计90.00与一般公共预算基本支出表的合计100.00不一致" in m for m in problems)


def test_unrecognised_sheet() -> None:
    sheet = ("Sheet1", [["科目编码", "科目名称", "金额"], [201, "一般公共服务支出", 1]])
    assert "无法识别工作表“Sheet1”是哪张表" in messages(read("b.xlsx", xlsx(sheet)))[0]


def test_wrong_number_of_amount_columns() -> None:
    sheet = ("一般公共预算支出表", [["科目编码", "科目名称", "合计"], [201, "一般公共服务支出", 1]])
    assert "应有3个金额列" in messages(read("b.xlsx", xlsx(sheet)))[0]


def test_same_table_twice() -> None:
    result = read("b.xlsx", xlsx(spending_sheet(), ("再来一张", spending_sheet()[1])))
    assert any("同一张表" in m for m in messages(result))


@pytest.mark.parametrize(("filename", "content", "fragment"), [
    ("a.pdf", b"%PDF", "只接受 .xlsx 或 .csv 文件"),
    ("a.xlsx", b"not a zip", "无法读取该 XLSX 文件"),
    ("a.csv", b"\n\n", "没有识别出任何报表"),
])
def test_unreadable_files(filename: str, content: bytes, fragment: str) -> None:
    assert fragment in messages(read(filename, content))[0]


def test_tables_in_yuan_are_converted_or_refused() -> None:
    exact = "一般公共预算支出表\n单位：元\n科目编码,科目名称,合计,基本支出,项目支出\n2010601,行政运行,250000,250000,\n"
    result = read("a.csv", exact.encode())
    assert messages(result) == []
    assert result.data.tables[5][0].amounts[0] == D("25.00")
    assert "原单位元" in result.found[0]
    lossy = exact.replace("250000,250000", "250001,250001")
    assert "换算为万元会损失精度" in messages(read("a.csv", lossy.encode()))[0]


def test_downloaded_xlsx_reimports() -> None:
    """The site's own XLSX download is a valid upload: title, unit, header, rows."""
    table = TableData("示例市财政局2025年一般公共预算支出表", ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
                      [["", "合计", D("3.00"), D("3.00"), None],
                       ["2010601", "行政运行", D("1.00"), D("1.00"), None],
                       ["2210201", "住房公积金", D("2.00"), D("2.00"), None]], "t")
    result = read("t.xlsx", to_xlsx(table))
    assert messages(result) == []
    assert [row.amounts[0] for row in result.data.tables[5]] == [D("3.00"), D("1.00"), D("2.00")]


def test_merged_code_header_with_blank_class_and_section_cells() -> None:
    """科目编码 merged over 类 | 款 | 项 on a second header line; the 类 and 款 are written
    only on their own rows, as many published tables do."""
    sheet = ("表3", [
        ["示例市财政局2025年部门支出总表"],
        ["单位：万元"],
        ["科目编码", None, None, "科目名称", "合计", "基本支出", "项目支出"],
        ["类", "款", "项", None, None, None, None],
        [None, None, None, "合计", 3, 1, 2],
        ["201", None, None, "一般公共服务支出", 3, 1, 2],
        [None, "06", None, "财政事务", 3, 1, 2],
        [None, None, "01", "行政运行", 1, 1, None],
        [None, None, "07", "信息化建设", 2, None, 2],
    ])
    result = read("a.xlsx", xlsx(sheet))
    assert messages(result) == []
    assert [row.code for row in result.data.tables[3]] == ["", "201", "20106", "2010601",
                                                           "2010607"]
    assert result.data.tables[3][3].line == 8


def test_split_code_that_is_not_a_number() -> None:
    sheet = ("表3", [["部门支出总表"], ["类", "款", "项", "科目名称", "合计", "基本支出", "项目支出"],
                     ["2O1", None, None, "一般公共服务支出", 1, 1, None]])
    assert messages(read("a.xlsx", xlsx(sheet))) == ["【部门支出总表】第3行：科目编码“2O1”不是数字"]


def test_overview_with_two_header_lines() -> None:
    sheet = ("收支总表", [
        ["财政拨款收支总表"],
        ["收入", None, "支出", None],
        ["项目", "预算数", "项目", "预算数"],
        ["一般公共预算拨款收入", 10, "一般公共服务支出", 10],
        ["收入总计", 10, "支出总计", 10],
    ])
    result = read("a.xlsx", xlsx(sheet))
    assert messages(result) == []
    assert [row.name for row in result.data.tables[4]] == [
        "一般公共预算拨款收入", "收入总计", "一般公共服务支出", "支出总计"]
