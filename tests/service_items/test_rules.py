"""The pure rules of service items: what a guide must say, how people's writing is read, the
spreadsheet layout, and the review workflow of revisions."""

from __future__ import annotations

from dataclasses import replace

import pytest

from opengov.site.accounts.rules.roles import Role
from opengov.site.service_items.rules import layout, workflow
from opengov.site.service_items.rules.guide import (
    ItemGuide,
    LegalBasis,
    Material,
    OnlineDepth,
    Question,
    Step,
    Target,
    check_guide,
    parse_basis,
    parse_steps,
    parse_workdays,
    visits_label,
)
from opengov.site.service_items.rules.workflow import Action, RevisionStatus, WorkflowError
from tests.service_items.conftest import marriage_guide


def messages(guide: ItemGuide) -> dict[str, str]:
    return {problem.field: problem.message for problem in check_guide(guide)}


def test_a_complete_guide_breaks_no_rule() -> None:
    assert check_guide(marriage_guide()) == []


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"name": " "}, "name", "事项名称"),
    ({"materials": ()}, "materials", "申请材料"),
    ({"materials": (Material(""),)}, "materials.0.name", "第1项材料没有名称"),
    ({"basis": ()}, "basis", "设定依据"),
    ({"basis": (LegalBasis("《婚姻登记条例》", "第四条"),)}, "basis.0", "不带书名号"),
    ({"steps": ()}, "steps", "办理步骤"),
    ({"legal_limit_days": 5, "promised_limit_days": 10}, "promised_limit_days", "不能长于法定办结时限"),
    ({"visits": 0}, "visits", "全程网办"),
    ({"charged": True}, "fee_standard", "收费标准"),
    ({"online_url": "zwfw.example/items/1"}, "online_url", "http"),
    ({"themes": ("设立变更",)}, "themes", "与服务对象"),
    ({"themes": ("吃饭",)}, "themes", "未知的主题"),
    ({"targets": ()}, "targets", "服务对象"),
    ({"faq": (Question("要带什么？", ""),)}, "faq.0", "问题和解答"),
])
def test_each_rule_of_a_guide_names_its_field(changes: dict[str, object], field: str,
                                              words: str) -> None:
    found = messages(replace(marriage_guide(), **changes))  # type: ignore[arg-type]
    assert words in found[field]


def test_zero_visits_with_full_online_handling_is_fine() -> None:
    assert messages(marriage_guide(visits=0, online_depth=OnlineDepth.FULL)) == {}
    assert visits_label(0).startswith("零跑动")
    assert visits_label(1) == "最多跑一次"


def test_labels_people_read() -> None:
    guide = marriage_guide(legal_limit_days=20, promised_limit_days=5)
    assert (guide.handling_kind, guide.promised_label, guide.legal_label) == (
        "承诺件", "5个工作日", "20个工作日")
    assert marriage_guide().handling_kind == "即办件"
    assert marriage_guide(legal_limit_days=None).legal_label == "法律法规未规定"
    assert marriage_guide(legal_limit_days=None, limit_note="自然日30日").legal_label == \
        "见时限说明"


def test_a_stored_guide_reads_back_the_same_and_tolerates_other_versions() -> None:
    guide = marriage_guide(materials=(Material("户口簿", blank_form=3, sample=4),))
    data = guide.to_dict()
    assert ItemGuide.from_dict(data) == guide
    assert data["targets"] == ["自然人"]
    assert data["materials"][0]["form"] == "原件"
    # A later version of the site may add keys; an earlier one lacked some.
    older = {key: value for key, value in data.items() if key not in ("faq", "aliases")}
    assert ItemGuide.from_dict({**older, "future_field": 1}).faq == ()
    assert guide.file_ids == {3, 4}
    assert guide.with_files({3: 30, 4: 40}).file_ids == {30, 40}


@pytest.mark.parametrize(("raw", "days"), [
    (20, 20), (20.0, 20), ("20", 20), ("20个工作日", 20), ("20 工作日", 20), ("即办", 0),
    ("0", 0), ("当场办结", 0)])
def test_time_limits_are_working_days(raw: object, days: int) -> None:
    assert parse_workdays(raw) == days


@pytest.mark.parametrize(("raw", "words"), [
    ("3天", "不是工作日数"), ("三个工作日", "不是工作日数"), ("20.5", "不是工作日数"),
    (400, "超出范围"), (True, "工作日数"), ("", "不是工作日数")])
def test_anything_else_is_refused_with_a_reason(raw: object, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_workdays(raw)


def test_basis_and_steps_as_provinces_write_them() -> None:
    assert parse_basis("《婚姻登记条例》第四条、第五条；《中华人民共和国民法典》第一千零四十九条。") == (
        LegalBasis("婚姻登记条例", "第四条、第五条"),
        LegalBasis("中华人民共和国民法典", "第一千零四十九条"))
    assert parse_basis("婚姻登记条例") == ()
    assert parse_steps("1.申请：双方到场；2、受理审查：审查材料\n（三）登记发证") == (
        Step("申请", "双方到场"), Step("受理审查", "审查材料"), Step("登记发证", ""))


# --- the review workflow of revisions -------------------------------------------------------


def test_review_needs_another_person_and_an_opinion() -> None:
    editor, reviewer = [Role.EDITOR], [Role.REVIEWER]
    assert workflow.check(Action.SUBMIT, RevisionStatus.DRAFT, roles=editor,
                          is_author=True).target is RevisionStatus.SUBMITTED
    with pytest.raises(WorkflowError, match="不能审核自己编写"):
        workflow.check(Action.APPROVE, RevisionStatus.SUBMITTED, roles=[Role.EDITOR, Role.REVIEWER],
                       is_author=True, opinion="同意")
    with pytest.raises(WorkflowError, match="必须填写意见"):
        workflow.check(Action.APPROVE, RevisionStatus.SUBMITTED, roles=reviewer, is_author=False)
    with pytest.raises(WorkflowError, match="没有发布的权限"):
        workflow.check(Action.PUBLISH, RevisionStatus.APPROVED, roles=[Role.HANDLER],
                       is_author=False)
    with pytest.raises(WorkflowError, match="只有“审核通过待发布”可以"):
        workflow.check(Action.PUBLISH, RevisionStatus.DRAFT, roles=[Role.ADMIN], is_author=False)
    assert [step.action for step in workflow.available(
        RevisionStatus.SUBMITTED, roles=reviewer, is_author=False)] == [Action.RETURN,
                                                                        Action.APPROVE]
    assert workflow.check(Action.DISCARD, RevisionStatus.DRAFT, roles=editor,
                          is_author=True).target is None


# --- the spreadsheet layout ------------------------------------------------------------------

ITEM_HEADER = [column.header for column in layout.ITEM_COLUMNS]
MATERIAL_HEADER = [column.header for column in layout.MATERIAL_COLUMNS]
AGENCIES = {"mzj": "mzj", "示例市民政局": "mzj", "市民政局": "mzj"}


def item_row(**values: object) -> list[object]:
    defaults: dict[str, object] = {
        "code": "SL-MZ-001", "name": "内地居民结婚登记", "item_type": "行政确认",
        "agency": "示例市民政局", "targets": "自然人", "themes": "婚姻登记",
        "basis": "《婚姻登记条例》第四条、第五条", "steps": "申请：双方到场；登记：当场发证",
        "legal_limit_days": 0, "promised_limit_days": "即办", "visits": 1,
        "location": "婚姻登记处", "result_name": "结婚证"}
    defaults.update(values)
    return [defaults.get(column.key) for column in layout.ITEM_COLUMNS]


def material_row(**values: object) -> list[object]:
    defaults: dict[str, object] = {"code": "SL-MZ-001", "name": "本人的居民身份证", "copies": 1,
                                   "form": "原件", "medium": "纸质", "necessity": "必需"}
    defaults.update(values)
    return [defaults.get(column.key) for column in layout.MATERIAL_COLUMNS]


def workbook(items: list[list[object]], materials: list[list[object]],
             item_header: list[object] | None = None) -> dict[str, layout.Grid]:
    return {"事项": [item_header or ITEM_HEADER, *items],
            "申请材料": [MATERIAL_HEADER, *materials]}


def test_a_good_workbook_reads_into_guides() -> None:
    read = layout.read_workbook(workbook(
        [item_row(), item_row(code="SL-MZ-002", name="补领结婚证", promised_limit_days=1,
                              legal_limit_days="20个工作日")],
        [material_row(), material_row(name="签字声明", form="原件和复印件", copies=2),
         material_row(code="SL-MZ-002", name="居民户口簿")]), AGENCIES)
    assert read.problems == []
    first, second = read.items
    assert (first.code, first.agency_code, first.row) == ("SL-MZ-001", "mzj", 2)
    assert [m.name for m in first.guide.materials] == ["本人的居民身份证", "签字声明"]
    assert first.guide.materials[1].copies == 2
    assert first.guide.promised_limit_days == 0
    assert first.guide.targets == (Target.PERSON,)
    assert (second.guide.legal_limit_days, second.guide.promised_limit_days) == (20, 1)


def test_a_title_line_above_the_header_is_allowed() -> None:
    grids = workbook([item_row()], [material_row()])
    grids["事项"] = [["示例市政务服务事项清单（2026年版）"], *grids["事项"]]
    read = layout.read_workbook(grids, AGENCIES)
    assert read.problems == []
    assert read.items[0].row == 3


def problems(grids: dict[str, layout.Grid]) -> list[str]:
    read = layout.read_workbook(grids, AGENCIES)
    assert read.items == []  # nothing half-imported
    return [str(problem) for problem in read.problems]


def test_wrong_columns_name_the_sheet_row_and_column() -> None:
    header = [*ITEM_HEADER[:3], "主办单位", *ITEM_HEADER[4:]]  # 实施主体 renamed
    found = problems(workbook([item_row()], [material_row()], item_header=header))
    assert "工作表“事项”第1行“主办单位”列：无法识别的列，请使用模板中的列名（可从导入页面下载模板）。" in found
    assert "工作表“事项”第1行“实施主体”列：缺少必填列。" in found


def test_an_unknown_agency_is_named_with_its_row() -> None:
    found = problems(workbook([item_row(), item_row(code="SL-X-1", agency="示例市民证局")],
                              [material_row(), material_row(code="SL-X-1")]))
    assert found == ["工作表“事项”第3行“实施主体”列：本站没有名为“示例市民证局”的机关（请填写机关全称或代码）。"]


def test_a_material_without_a_name_is_named_with_its_row() -> None:
    found = problems(workbook([item_row()], [material_row(), material_row(name=None)]))
    assert found == ["工作表“申请材料”第3行“材料名称”列：材料名称不能为空。"]


def test_a_time_limit_that_is_not_working_days_is_named_with_its_row() -> None:
    found = problems(workbook([item_row(promised_limit_days="三天")], [material_row()]))
    assert found == ["工作表“事项”第2行“承诺办结时限（工作日）”列：“三天”不是工作日数：请填写整数个工作日（如 20），即办件填 0"]


def test_other_row_problems() -> None:
    found = problems(workbook(
        [item_row(), item_row(), item_row(code="SL 3", item_type="许可", targets="个体户"),
         item_row(code="SL-4", legal_limit_days=1, promised_limit_days=5)],
        [material_row(), material_row(code="SL-9"), material_row(code="SL-4")]))
    assert "工作表“事项”第3行“事项编码”列：与第2行的事项编码“SL-MZ-001”重复。" in found
    assert any(line.startswith("工作表“事项”第4行“事项编码”列：“SL 3”无效") for line in found)
    assert any(line.startswith("工作表“事项”第4行“事项类型”列：“许可”不是可选值") for line in found)
    assert any(line.startswith("工作表“事项”第4行“服务对象”列：“个体户”不是服务对象") for line in found)
    assert "工作表“申请材料”第3行“事项编码”列：事项编码“SL-9”不在“事项”工作表中。" in found
    assert any(line.startswith("工作表“事项”第5行“承诺办结时限（工作日）”列：承诺办结时限（5个工作日）不能长于法定")
               for line in found)


def test_missing_sheets_and_items_without_materials() -> None:
    assert problems({"Sheet1": [["x"]]})[0].startswith("工作表“事项”：缺少工作表“事项”（工作簿中有：Sheet1）")
    found = problems(workbook([item_row()], []))
    assert found == ["工作表“事项”第2行“事项编码”列：“申请材料”工作表中没有该事项的申请材料"
                     "（不需要材料的，填一行“无需提交材料”）。"]


def test_an_import_keeps_what_the_layout_has_no_column_for() -> None:
    current = marriage_guide(materials=(Material("本人的居民身份证", blank_form=7),),
                             is_example=True)
    imported = marriage_guide(materials=(Material("本人的居民身份证"), Material("照片")),
                              faq=())
    merged = layout.merge_imported(current, imported)
    assert merged.faq == current.faq
    assert merged.is_example
    assert [(m.name, m.blank_form) for m in merged.materials] == [("本人的居民身份证", 7),
                                                                  ("照片", None)]
    assert layout.merge_imported(None, imported) == imported
