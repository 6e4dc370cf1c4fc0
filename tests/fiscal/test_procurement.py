"""政府采购情况 of a department, published beside its 预决算: the checks, the upload, the
page, the downloads and the API agree."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from opengov.site.db import unit_of_work
from opengov.site.fiscal.rules.disclosures import (
    DisclosureData,
    ProcurementData,
    ProcurementItem,
    Stage,
    check_procurement,
    match_procurement_label,
    validate_disclosure,
)
from opengov.site.fiscal.service.disclosures import save_disclosure
from opengov.site.fiscal.service.importing import read_disclosure
from tests.factories import make_agency
from tests.fiscal.conftest import sample_data
from tests.fiscal.spreadsheets import xlsx

D = Decimal
BASE = "/fiscal/czj/2024/final/"


def figures(**amounts: str) -> ProcurementData:
    keys = {"goods": ProcurementItem.GOODS, "works": ProcurementItem.WORKS,
            "services": ProcurementItem.SERVICES, "sme": ProcurementItem.SME,
            "small_micro": ProcurementItem.SMALL_MICRO}
    return ProcurementData({keys[key]: D(value) for key, value in amounts.items()}, line=4)


def test_total_and_shares_are_computed() -> None:
    data = figures(goods="112.40", works="0.00", services="431.60", sme="468.20",
                   small_micro="301.50")
    assert data.total == D("544.00")
    assert data.sme_share == D("86.1")
    assert data.small_micro_share == D("64.4")
    assert check_procurement(data, declared_total=D("544.00")) == []
    assert ProcurementData().total is None
    assert figures(goods="0.00").sme_share is None


@pytest.mark.parametrize(("data", "declared", "message"), [
    (figures(goods="-1.00"), None, "货物为负数（-1.00），不能为负"),
    (figures(goods="10.00", services="5.00"), D("16.00"),
     "政府采购合计为16.00，但货物、工程、服务之和为15.00"),
    (figures(goods="10.00", sme="11.00"), None, "授予中小企业合同金额11.00大于政府采购合计10.00"),
    (figures(goods="10.00", sme="5.00", small_micro="6.00"), None,
     "授予小微企业合同金额6.00大于授予中小企业合同金额5.00"),
])
def test_each_kind_of_error_is_named(data: ProcurementData, declared: Decimal | None,
                                     message: str) -> None:
    problems = check_procurement(data, declared_total=declared)
    assert [problem.message for problem in problems] == [message]
    assert problems[0].line == 4


def test_labels_as_departments_write_them() -> None:
    assert match_procurement_label("1.货物类") is ProcurementItem.GOODS
    assert match_procurement_label("政府采购服务支出") is ProcurementItem.SERVICES
    assert match_procurement_label("其中：授予小微企业合同金额") is ProcurementItem.SMALL_MICRO
    assert match_procurement_label("政府采购支出总额") == "total"
    assert match_procurement_label("办公用品") is None


def test_a_disclosure_with_bad_procurement_is_refused() -> None:
    data = DisclosureData(2024, Stage.FINAL, procurement=figures(goods="1.00", sme="2.00"))
    assert [str(problem) for problem in validate_disclosure(data)] == [
        "【政府采购情况表】第4行：授予中小企业合同金额2.00大于政府采购合计1.00"]


def procurement_sheet(total: object = 544) -> tuple[str, list[list[object]]]:
    return ("政府采购情况表", [
        ["示例市财政局2024年政府采购情况表"],
        ["单位：万元"],
        ["项目", "金额", "说明"],
        ["政府采购支出总额", total, None],
        ["货物", 112.4, None],
        ["工程", None, None],
        ["服务", 431.6, "主要为信息系统运维"],
        ["授予中小企业合同金额", 468.2, None],
        ["其中：授予小微企业合同金额", 301.5, None],
    ])


def test_a_procurement_sheet_is_read_and_checked() -> None:
    result = read_disclosure("决算.xlsx", xlsx(procurement_sheet()),
                             DisclosureData(2024, Stage.FINAL))
    assert result.problems == []
    assert result.found == ["工作表“政府采购情况表” → 政府采购情况表"]
    procurement = result.data.procurement
    assert procurement is not None
    assert procurement.total == D("544.00")
    assert procurement.get(ProcurementItem.WORKS) is None
    assert procurement.explanation == "主要为信息系统运维"
    bad = read_disclosure("决算.xlsx", xlsx(procurement_sheet(total=545)),
                          DisclosureData(2024, Stage.FINAL))
    assert [str(problem) for problem in bad.problems] == [
        "【政府采购情况表】第4行：政府采购合计为545.00，但货物、工程、服务之和为544.00"]
    unknown = procurement_sheet()
    unknown[1][5][0] = "办公用品"
    assert "第6行：无法识别的政府采购项目“办公用品”" in str(read_disclosure(
        "决算.xlsx", xlsx(unknown), DisclosureData(2024, Stage.FINAL)).problems[0])


@pytest.fixture
def published(app: Flask) -> None:
    with app.app_context(), unit_of_work() as session:
        data = sample_data(2024, stage=Stage.FINAL)
        data.procurement = figures(goods="112.40", works="0.00", services="431.60",
                                   sme="468.20", small_micro="301.50")
        data.procurement.explanation = "主要为信息系统运维。"
        save_disclosure(session, make_agency(session, "czj"), data)


@pytest.mark.usefixtures("published")
def test_page_downloads_and_api_agree(client: FlaskClient) -> None:
    page = client.get(BASE).get_data(as_text=True)
    assert '<h2 id="procurement">政府采购情况</h2>' in page
    assert "示例市财政局2024年政府采购情况表" in page
    assert "主要为信息系统运维。" in page
    shown = [["政府采购合计", "544.00", ""], ["货物", "112.40", ""], ["工程", "0.00", ""],
             ["服务", "431.60", ""], ["授予中小企业合同金额", "468.20", "86.1"],
             ["其中：授予小微企业合同金额", "301.50", "64.4"]]
    for label, amount, _share in shown:
        assert f'<th scope="row">{label}</th>' in page
        assert f'<td class="num">{amount}</td>' in page
    rows = list(csv.reader(io.StringIO(
        client.get(BASE + "procurement.csv").data.decode("utf-8-sig"))))
    assert rows[0] == ["项目", "金额", "占比（%）"]
    assert rows[1:] == shown
    sheet = load_workbook(io.BytesIO(client.get(BASE + "procurement.xlsx").data)).active
    assert sheet is not None
    values = [[cell if cell is not None else "" for cell in row]
              for row in sheet.iter_rows(min_row=4, max_row=9, values_only=True)]
    assert [[row[0], f"{row[1]:.2f}", f"{row[2]:.1f}" if row[2] != "" else ""]
            for row in values] == shown
    api = client.get("/api/v1/fiscal/disclosures/czj/2024/final").get_json()
    assert api["procurement"]["rows"][4] == {"项目": "授予中小企业合同金额", "金额": "468.20",
                                             "占比（%）": "86.1"}
    assert client.get(BASE + "procurement.json").get_json() == api["procurement"]
    assert client.get("/fiscal/czj/2024/budget/procurement.csv").status_code == 404


def test_shipped_examples_carry_procurement(app: Flask, client: FlaskClient) -> None:
    from opengov.site.config import PROJECT_ROOT
    from opengov.site.fiscal.service.content import import_content

    with app.app_context():
        import_content(PROJECT_ROOT / "content" / "fiscal")
    page = client.get(BASE).get_data(as_text=True)
    assert "授予中小企业合同金额" in page
    assert '<td class="num">86.1</td>' in page
