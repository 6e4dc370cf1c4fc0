"""The fiscal domain rules: amounts, subjects, sums, 三公, year-on-year and the 20-day rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from opengov.site.fiscal.rules.disclosures import (
    ECONOMIC_SUBJECTS,
    FUNCTIONAL_SUBJECTS,
    SPECS_BY_NUMBER,
    TABLE_SPECS,
    AmountError,
    Change,
    Classification,
    DisclosureData,
    Level,
    Row,
    SangongEntry,
    SangongFigures,
    SangongItem,
    Stage,
    TableKind,
    Timeliness,
    Unit,
    check_narrative,
    check_rows,
    check_sangong,
    detect_unit,
    format_amount,
    is_late,
    join_code,
    match_sangong_label,
    match_spec,
    normalise_code,
    parent_code,
    parse_amount,
    publication_due,
    subject_level,
    subject_name,
    timeliness,
    to_wan,
    validate_disclosure,
    year_on_year,
)

D = Decimal


# --- amounts and units --------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("12.5", D("12.50")), ("1,234.56", D("1234.56")), (" 7 ", D("7.00")), (3, D("3.00")),
    (0.1, D("0.10")), (0.30000000000000004, D("0.30")), (D("2.340000"), D("2.34")),
    ("１２．３", D("12.30")), ("-4.20", D("-4.20")),
])
def test_parse_amount_reads_cells(raw: object, expected: Decimal) -> None:
    assert parse_amount(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "-", "—", " / "])
def test_parse_amount_blank_cells_are_missing(raw: object) -> None:
    assert parse_amount(raw) is None


@pytest.mark.parametrize(("raw", "fragment"), [
    ("abc", "不是金额"), ("1.234", "超过两位小数"), (True, "不是金额"), ("NaN", "不是金额"),
    (float("inf"), "不是金额"),
])
def test_parse_amount_refuses_non_amounts(raw: object, fragment: str) -> None:
    with pytest.raises(AmountError, match=fragment):
        parse_amount(raw)


def test_units_convert_to_wan_exactly() -> None:
    assert to_wan(D("79.69"), Unit.YI) == D("796900.00")
    assert to_wan(D("250000"), Unit.YUAN) == D("25.00")
    assert to_wan(D("12345"), Unit.YUAN) == D("1.23")
    assert to_wan(D("12355"), Unit.YUAN) == D("1.24")  # half up, as published
    assert to_wan(D("8.77"), Unit.WAN) == D("8.77")


def test_detect_unit_from_caption() -> None:
    assert detect_unit("单位：万元") is Unit.WAN
    assert detect_unit("金额单位: 元") is Unit.YUAN
    assert detect_unit("单位：亿元") is Unit.YI
    assert detect_unit("2025年部门支出总表") is None


def test_format_amount() -> None:
    assert format_amount(D("3")) == "3.00"
    assert format_amount(D("1234.5")) == "1234.50"
    assert format_amount(None) == ""


def test_stage_slugs_round_trip() -> None:
    for stage in Stage:
        assert Stage.from_slug(stage.slug) is stage
    with pytest.raises(ValueError, match="未知"):
        Stage.from_slug("draft")


# --- subjects -------------------------------------------------------------------------------

def test_subject_levels_and_parents() -> None:
    assert subject_level("201") is Level.CLASS
    assert subject_level("20106") is Level.SECTION
    assert subject_level("2010601") is Level.ITEM
    assert parent_code("2010601") == "20106"
    assert parent_code("20106") == "201"
    assert parent_code("201") is None
    for bad in ("20", "2010", "201060", "20106011", "2o1", ""):
        with pytest.raises(ValueError, match="格式不对"):
            subject_level(bad)


@pytest.mark.parametrize(("subjects", "deepest"), [(FUNCTIONAL_SUBJECTS, 7),
                                                   (ECONOMIC_SUBJECTS, 5)])
def test_shipped_catalogue_is_a_consistent_tree(subjects: tuple[tuple[str, str], ...],
                                               deepest: int) -> None:
    codes = [code for code, _ in subjects]
    assert len(codes) == len(set(codes)), "duplicate subject code"
    for code, name in subjects:
        assert name
        assert len(code) <= deepest
        parent = parent_code(code)
        assert parent is None or parent in codes, f"{code} has no parent in the catalogue"


def test_subject_names() -> None:
    assert subject_name("2010601", Classification.FUNCTIONAL) == "行政运行"
    assert subject_name("30217", Classification.ECONOMIC) == "公务接待费"
    assert subject_name("30217", Classification.FUNCTIONAL) is None


def test_codes_from_cells() -> None:
    assert normalise_code(2010601) == "2010601"
    assert normalise_code(2010601.0) == "2010601"
    assert normalise_code(" ２０１ ") == "201"
    assert normalise_code(None) == ""
    assert join_code(201, 6, 1) == "2010601"
    assert join_code("201", "06", "") == "20106"
    assert join_code("201", None, None) == "201"
    assert join_code("", None, None) == ""


# --- table specs ----------------------------------------------------------------------------

def test_table_set_follows_rules_5_4() -> None:
    assert [spec.number for spec in TABLE_SPECS] == list(range(1, 10))
    assert SPECS_BY_NUMBER[5].title(Stage.BUDGET) == "一般公共预算支出表"
    assert SPECS_BY_NUMBER[5].title(Stage.FINAL) == "一般公共预算财政拨款支出决算表"
    assert SPECS_BY_NUMBER[6].classification is Classification.ECONOMIC
    assert SPECS_BY_NUMBER[7].kind is TableKind.SANGONG
    assert SPECS_BY_NUMBER[9].optional


@pytest.mark.parametrize(("title", "number"), [
    ("示例市财政局2025年部门收支总表", 1),
    ("部门收入总表", 2),
    ("2025年部门支出总表", 3),
    ("财政拨款收支总表", 4),
    ("一般公共预算支出表", 5),
    ("一般公共预算基本支出表", 6),
    ('一般公共预算"三公"经费支出表', 7),
    ("政府性基金预算支出表", 8),
    ("国有资本经营预算支出表", 9),
    ("收入支出决算总表", 1),
    ("一般公共预算财政拨款支出决算表", 5),
    ("一般公共预算财政拨款基本支出决算表", 6),
    ("一般公共预算财政拨款“三公”经费支出决算表", 7),
    ("政府性基金预算财政拨款收入支出决算表", 8),
])
def test_match_spec_by_title(title: str, number: int) -> None:
    spec = match_spec(title)
    assert spec is not None
    assert spec.number == number


def test_match_spec_unknown() -> None:
    assert match_spec("政府采购预算表") is None


# --- sums -----------------------------------------------------------------------------------

def row(code: str, name: str, *amounts: str | None, line: int = 0) -> Row:
    return Row(name=name, code=code, line=line or None,
               amounts=tuple(None if a is None else D(a) for a in amounts))


SPENDING = SPECS_BY_NUMBER[5]
GOOD_SPENDING = [
    row("", "合计", "150.00", "100.00", "50.00", line=4),
    row("201", "一般公共服务支出", "120.00", "80.00", "40.00", line=5),
    row("20106", "财政事务", "120.00", "80.00", "40.00", line=6),
    row("2010601", "行政运行", "80.00", "80.00", None, line=7),
    row("2010602", "一般行政管理事务", "40.00", None, "40.00", line=8),
    row("221", "住房保障支出", "30.00", "20.00", "10.00", line=9),
    row("22102", "住房改革支出", "30.00", "20.00", "10.00", line=10),
    row("2210201", "住房公积金", "30.00", "20.00", "10.00", line=11),
]


def test_consistent_functional_table_has_no_problems() -> None:
    assert check_rows(SPENDING, GOOD_SPENDING) == []


def test_children_must_sum_to_parent() -> None:
    rows = list(GOOD_SPENDING)
    rows[3] = row("2010601", "行政运行", "81.00", "81.00", None, line=7)
    problems = check_rows(SPENDING, rows)
    assert [p.line for p in problems] == [6, 6]  # 合计 and 基本支出 columns of 20106
    assert "20106 财政事务的“合计”为120.00，但其下各项之和为121.00" in problems[0].message
    assert str(problems[0]).startswith("第6行：")


def test_sections_must_sum_to_class() -> None:
    rows = list(GOOD_SPENDING)
    rows[1] = row("201", "一般公共服务支出", "125.00", "85.00", "40.00", line=5)
    problems = check_rows(SPENDING, rows)
    messages = [p.message for p in problems]
    assert any("其下各款之和为120.00" in m for m in messages)
    assert any("合计的“合计”为150.00，但各科目之和为155.00" in m for m in messages)


def test_total_row_must_match_classes() -> None:
    rows = list(GOOD_SPENDING)
    rows[0] = row("", "合计", "151.00", "101.00", "50.00", line=4)
    problems = check_rows(SPENDING, rows)
    assert len(problems) == 2
    assert all(p.line == 4 for p in problems)


def test_columns_must_add_up_across() -> None:
    rows = list(GOOD_SPENDING)
    rows[6] = row("22102", "住房改革支出", "30.00", "20.00", "11.00", line=10)
    problems = check_rows(SPENDING, rows)
    assert len(problems) == 1
    assert "“合计”为30.00，但基本支出、项目支出之和为31.00" in problems[0].message


def test_negative_amount_is_refused() -> None:
    rows = [row("", "合计", "0.00", "5.00", "-5.00", line=3)]
    problems = check_rows(SPENDING, rows)
    assert any("为负数" in p.message and p.line == 3 for p in problems)


def test_unknown_code_is_reported() -> None:
    rows = [row("2019998", "不存在的科目", "1.00", "1.00", None, line=9)]
    problems = check_rows(SPENDING, rows)
    assert [str(p) for p in problems] == [
        "第9行：科目编码“2019998”不在《政府收支分类科目》功能分类中"]


def test_bad_code_shape_and_missing_code() -> None:
    problems = check_rows(SPENDING, [row("2010", "半截编码", "1.00", "1.00", None, line=2),
                                     row("", "行政运行", "1.00", "1.00", None, line=3)])
    assert "格式不对" in problems[0].message
    assert "缺少科目编码" in problems[1].message


def test_duplicate_code_is_reported() -> None:
    rows = [row("2010601", "行政运行", "1.00", "1.00", None, line=2),
            row("2010601", "行政运行", "1.00", "1.00", None, line=3)]
    problems = check_rows(SPENDING, rows)
    assert problems[0].line == 3
    assert "另见第2行" in problems[0].message


def test_wrong_number_of_columns() -> None:
    problems = check_rows(SPENDING, [row("201", "一般公共服务支出", "1.00", "1.00", line=2)])
    assert "应有3个金额列" in problems[0].message


def test_economic_table_goes_to_section_only() -> None:
    spec = SPECS_BY_NUMBER[6]
    good = [row("", "合计", "90.00", "70.00", "20.00"),
            row("301", "工资福利支出", "70.00", "70.00", None),
            row("30101", "基本工资", "40.00", "40.00", None),
            row("30102", "津贴补贴", "30.00", "30.00", None),
            row("302", "商品和服务支出", "20.00", None, "20.00"),
            row("30201", "办公费", "20.00", None, "20.00")]
    assert check_rows(spec, good) == []
    too_deep = [row("3010101", "岗位工资", "1.00", "1.00", None, line=4)]
    assert "经济分类只公开到款" in check_rows(spec, too_deep)[0].message
    wrong_tree = [row("20106", "财政事务", "1.00", "1.00", None, line=4)]
    assert "经济分类中" in check_rows(spec, wrong_tree)[0].message


def test_tables_listing_only_items_check_the_total_against_them() -> None:
    rows = [row("", "合计", "3.00", "3.00", None), row("2010601", "行政运行", "1.00", "1.00", None),
            row("2210201", "住房公积金", "2.00", "2.00", None)]
    assert check_rows(SPENDING, rows) == []


def overview(*rows: tuple[str, str, str]) -> list[Row]:
    return [Row(name=name, side=side, amounts=(D(amount),), line=index + 1)
            for index, (side, name, amount) in enumerate(rows)]


def test_overview_running_totals_and_balance() -> None:
    spec = SPECS_BY_NUMBER[1]
    rows = overview(("收入", "一般公共预算拨款收入", "100.00"), ("收入", "事业收入", "20.00"),
                    ("收入", "本年收入合计", "120.00"), ("收入", "上年结转", "5.00"),
                    ("收入", "收入总计", "125.00"), ("支出", "一般公共服务支出", "125.00"),
                    ("支出", "支出总计", "125.00"))
    assert check_rows(spec, rows) == []
    unbalanced = overview(("收入", "一般公共预算拨款收入", "100.00"), ("收入", "收入总计", "100.00"),
                          ("支出", "一般公共服务支出", "90.00"), ("支出", "支出总计", "90.00"))
    problems = check_rows(spec, unbalanced)
    assert len(problems) == 1
    assert "不相等" in problems[0].message
    wrong_total = overview(("收入", "一般公共预算拨款收入", "100.00"), ("收入", "收入总计", "99.00"))
    assert "其上各项之和为100.00" in check_rows(spec, wrong_total)[0].message


# --- 三公经费 -------------------------------------------------------------------------------

def figures(outbound: str | None, purchase: str | None, operation: str | None,
            reception: str | None) -> SangongFigures:
    values = dict(zip(
        (SangongItem.OUTBOUND, SangongItem.VEHICLE_PURCHASE, SangongItem.VEHICLE_OPERATION,
         SangongItem.RECEPTION), (outbound, purchase, operation, reception), strict=True))
    return SangongFigures({item: None if v is None else D(v) for item, v in values.items()})


def test_sangong_totals_are_computed() -> None:
    # 寿县司法局 2022 预算 (sangong.tsv): 0 + (25 + 50) + 4 = 79
    shouxian = figures("0", "25", "50", "4")
    assert shouxian.vehicle == D("75")
    assert shouxian.total == D("79")
    assert check_sangong(shouxian, declared_total=D("79.00"), declared_vehicle=D("75.00")) == []


def test_sangong_declared_total_must_equal_lines() -> None:
    problems = check_sangong(figures("0", "25", "50", "4"), declared_total=D("80.00"), line=6)
    assert len(problems) == 1
    assert problems[0].line == 6
    assert "合计为80.00" in problems[0].message
    assert "之和为79.00" in problems[0].message


def test_sangong_vehicle_subtotal_must_equal_parts() -> None:
    problems = check_sangong(figures("0", "25", "50", "4"), declared_vehicle=D("70.00"))
    assert "购置费与运行（维护）费之和为75.00" in problems[0].message


def test_sangong_negative_line() -> None:
    problems = check_sangong(figures("-1", None, None, None))
    assert "因公出国（境）费为负数" in problems[0].message


def test_sangong_missing_lines() -> None:
    empty = figures(None, None, None, None)
    assert empty.total is None
    assert empty.vehicle is None
    partial = figures(None, None, "6.8", "14.83")  # 南通市国资委 2016
    assert partial.total == D("21.63")


@pytest.mark.parametrize(("label", "expected"), [
    ("合计", "total"), ("“三公”经费合计", "total"), ("1.因公出国(境)费", SangongItem.OUTBOUND),
    ("2.公务用车购置及运行费", "vehicle"), ("公务用车购置及运行（维护）费", "vehicle"),
    ("其中：公务用车购置费", SangongItem.VEHICLE_PURCHASE),
    ("（2）公务用车运行维护费", SangongItem.VEHICLE_OPERATION),
    ("三、公务接待费", SangongItem.RECEPTION), ("机关运行经费", SangongItem.OPERATING_COST),
    ("会议费", SangongItem.MEETING), ("培训费", SangongItem.TRAINING), ("差旅费", None),
])
def test_sangong_labels(label: str, expected: object) -> None:
    assert match_sangong_label(label) == expected


# --- year-on-year ---------------------------------------------------------------------------

def test_change_increase() -> None:
    change = Change(D("1.00"), D("0.50"))
    assert change.delta == D("0.50")
    assert change.percent == D("100.0")
    assert change.phrase() == "比上年增加0.50万元，增长100.0%"


def test_change_decrease_rounds_half_up() -> None:
    change = Change(D("79.00"), D("128.00"))  # 寿县司法局: 比上年预算减少49万元
    assert change.delta == D("-49.00")
    assert change.percent == D("-38.3")
    assert change.phrase() == "比上年减少49.00万元，下降38.3%"
    assert Change(D("2"), D("3")).percent == D("-33.3")
    assert Change(D("1"), D("8")).percent == D("-87.5")
    assert Change(D("1.0005"), D("1")).percent == D("0.1")  # 0.05 rounds up


def test_change_flat_and_from_zero() -> None:
    assert Change(D("5"), D("5")).phrase() == "与上年持平"
    from_zero = Change(D("3.00"), D("0.00"))
    assert from_zero.percent is None
    assert from_zero.phrase() == "比上年增加3.00万元"


def test_year_on_year_needs_both_years() -> None:
    assert year_on_year(D("1"), None) is None
    assert year_on_year(None, D("1")) is None
    change = year_on_year(D("2"), D("1"))
    assert change is not None
    assert change.delta == D("1")


def test_narrative_figures_are_checked() -> None:
    change = Change(D("1.00"), D("0.50"))
    assert check_narrative("公务接待费1万元，比上年增加0.5万元，增长100%，主要原因是…", change) == []
    assert check_narrative("主要原因是接待任务增加。", change) == []
    wrong = check_narrative("比上年减少0.5万元，下降50%", change)
    assert len(wrong) == 2
    assert "按数据应为比上年增加0.50万元，增长100.0%" in wrong[0]
    assert check_narrative("下降38.3%", Change(D("79"), D("128"))) == []
    assert check_narrative("下降38%", Change(D("79"), D("128"))) == []
    assert len(check_narrative("下降38.33%", Change(D("79"), D("128")))) == 0
    assert len(check_narrative("下降37%", Change(D("79"), D("128")))) == 1


# --- the 20-day rule ------------------------------------------------------------------------

APPROVED = dt.date(2025, 2, 10)


def test_publication_due_counts_calendar_days() -> None:
    assert publication_due(APPROVED) == dt.date(2025, 3, 2)  # a Sunday: still the deadline


@pytest.mark.parametrize(("published", "late"), [
    (dt.date(2025, 2, 10), False), (dt.date(2025, 3, 2), False), (dt.date(2025, 3, 3), True),
    (dt.date(2025, 6, 1), True),
])
def test_is_late_after_twenty_days(published: dt.date, late: bool) -> None:
    assert is_late(APPROVED, published) is late


def test_timeliness_states() -> None:
    today = dt.date(2025, 3, 10)
    assert timeliness(None, None, today) is Timeliness.UNKNOWN
    assert timeliness(APPROVED, dt.date(2025, 3, 1), today) is Timeliness.ON_TIME
    assert timeliness(APPROVED, dt.date(2025, 3, 3), today) is Timeliness.LATE
    assert timeliness(APPROVED, None, dt.date(2025, 3, 2)) is Timeliness.PENDING
    assert timeliness(APPROVED, None, dt.date(2025, 3, 3)) is Timeliness.OVERDUE


# --- a whole disclosure ---------------------------------------------------------------------

def disclosure(**changes: object) -> DisclosureData:
    data = DisclosureData(year=2025, stage=Stage.BUDGET, approved_on=dt.date(2025, 2, 10),
                          published_on=dt.date(2025, 2, 20))
    data.tables[5] = list(GOOD_SPENDING)
    data.tables[6] = [row("", "合计", "100.00", "90.00", "10.00"),
                      row("301", "工资福利支出", "90.00", "90.00", None),
                      row("302", "商品和服务支出", "10.00", None, "10.00")]
    data.sangong = {SangongItem.RECEPTION: SangongEntry(SangongItem.RECEPTION, D("1.00"),
                                                        D("0.50"), line=4)}
    for name, value in changes.items():
        setattr(data, name, value)
    return data


def test_valid_disclosure() -> None:
    data = disclosure()
    assert validate_disclosure(data) == []
    assert data.figures().total == D("1.00")
    assert data.figures(prior=True).total == D("0.50")


def test_disclosure_problems_name_their_table() -> None:
    data = disclosure()
    data.tables[5][3] = row("2010601", "行政运行", "81.00", "81.00", None, line=7)
    problems = validate_disclosure(data)
    assert str(problems[0]).startswith("【一般公共预算支出表】第6行：")


def test_basic_spending_must_agree_between_tables_5_and_6() -> None:
    data = disclosure()
    data.tables[6] = [row("", "合计", "90.00", "90.00", None, line=3),
                      row("301", "工资福利支出", "90.00", "90.00", None)]
    problems = validate_disclosure(data)
    assert len(problems) == 1
    assert "基本支出合计100.00与一般公共预算基本支出表的合计90.00不一致" in problems[0].message


def test_negative_sangong_and_dates() -> None:
    data = disclosure(published_on=dt.date(2025, 2, 1))
    data.sangong[SangongItem.OUTBOUND] = SangongEntry(SangongItem.OUTBOUND, D("1"), D("-2"),
                                                      line=3)
    messages = [str(p) for p in validate_disclosure(data)]
    assert "发布日期早于批复日期" in messages
    assert "【一般公共预算“三公”经费支出表】第3行：因公出国（境）费（上年）为负数（-2），不能为负" in messages


def test_reference_sources_and_notes_read_in_chinese() -> None:
    """Every source type and note of the shipped reference file shows without English."""
    import csv

    from opengov.site.config import PROJECT_ROOT
    from opengov.site.fiscal.rules.references import chinese_note, has_english, source_label

    path = PROJECT_ROOT / "content" / "fiscal" / "sangong_published.tsv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert rows
    for row in rows:
        assert not has_english(source_label(row["source_type"])), row["source_type"]
        assert not has_english(chinese_note(row["note"])), row["note"]
    assert source_label("news(政府采购信息网 reprint)") == "新闻报道（政府采购信息网转载）"
    assert source_label("third-party mirror of 开远市财政局 page (traditional chars)") == \
        "第三方网站转载的开远市财政局网页（繁体）"
    assert chinese_note("total derived (12+25)") == "合计为推算值（12+25）"
    assert has_english("see gov site")
