"""Importing items from the provinces' workbook layout through the staff pages: the template,
a preview with every problem located, all or nothing, new versions submitted for review."""

from __future__ import annotations

import io
from collections.abc import Callable

from flask.testing import FlaskClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.service_items.models import ServiceItem, ServiceItemRevision
from opengov.site.service_items.rules import layout
from opengov.site.service_items.rules.workflow import PublicState, RevisionStatus
from tests.service_items.conftest import Publisher
from tests.service_items.test_rules import item_row, material_row


def xlsx(items: list[list[object]], materials: list[list[object]], *,
         item_header: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "事项"
    sheet.append(item_header or [column.header for column in layout.ITEM_COLUMNS])
    for row in items:
        sheet.append(row)
    other = workbook.create_sheet("申请材料")
    other.append([column.header for column in layout.MATERIAL_COLUMNS])
    for row in materials:
        other.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client: FlaskClient, content: bytes, name: str = "事项清单.xlsx") -> str:
    """Upload and follow to the preview; returns the preview page's URL."""
    response = client.post("/staff/service-items/import",
                           data={"file": (io.BytesIO(content), name)},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return str(response.headers["Location"])


def test_the_template_is_the_layout_and_imports_when_filled(
        client: FlaskClient, login: Callable[[str], None], staff: dict[str, User],
        db_session: Session) -> None:
    login("mz-editor")
    response = client.get("/staff/service-items/import/template.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["事项", "申请材料", "填表说明"]
    assert [cell.value for cell in workbook["事项"][1]] == [c.header for c in layout.ITEM_COLUMNS]
    assert workbook["事项"].max_row == 1  # headers only: nothing to forget to delete
    notes = [row[1] for row in workbook["填表说明"].iter_rows(min_row=5, values_only=True)]
    assert "承诺办结时限（工作日）" in notes
    # Staff fill it in and upload it back.
    items, materials = workbook["事项"], workbook["申请材料"]
    items.append(item_row())
    materials.append(material_row())
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = client.get(upload(client, buffer.getvalue()))
    assert preview.status_code == 200
    assert "检查通过：共 1 个事项" in preview.get_data(as_text=True)


def test_a_good_file_is_previewed_then_imported_for_review(
        client: FlaskClient, login: Callable[[str], None], staff: dict[str, User],
        db_session: Session, publish_item: Publisher) -> None:
    published = publish_item("SL-MZ-001")
    login("mz-editor")
    content = xlsx([item_row(code="SL-MZ-001", summary="更新后的概述"),
                    item_row(code="SL-MZ-002", name="补领结婚证")],
                   [material_row(code="SL-MZ-001"), material_row(code="SL-MZ-002")])
    url = upload(client, content)
    page = client.get(url).get_data(as_text=True)
    assert "新版本" in page
    assert "新增" in page
    assert "确认导入并提交审核" in page
    assert db_session.scalars(select(ServiceItem).where(
        ServiceItem.code == "SL-MZ-002")).first() is None  # a preview writes nothing
    response = client.post(url)
    assert response.status_code == 302
    rows = {item.code: item for item in db_session.scalars(
        select(ServiceItem).execution_options(populate_existing=True))}
    assert rows["SL-MZ-002"].state == PublicState.UNPUBLISHED
    submitted = db_session.scalars(select(ServiceItemRevision).where(
        ServiceItemRevision.status == RevisionStatus.SUBMITTED)).all()
    assert sorted(revision.record_id for revision in submitted) == sorted(
        [published, rows["SL-MZ-002"].id])
    assert client.post(url).status_code == 404  # the upload is gone once imported


def test_a_bad_file_lists_every_problem_and_imports_nothing(
        client: FlaskClient, login: Callable[[str], None], staff: dict[str, User],
        db_session: Session) -> None:
    login("mz-editor")
    content = xlsx([item_row(), item_row(code="SL-MZ-2", agency="示例市民证局"),
                    item_row(code="SL-MZ-3", promised_limit_days="三天")],
                   [material_row(), material_row(code="SL-MZ-2"), material_row(code="SL-MZ-3"),
                    material_row(name=None)])
    url = upload(client, content)
    response = client.get(url)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "发现 3 个问题，未导入任何内容" in page
    assert "工作表“事项”第3行“实施主体”列：本站没有名为“示例市民证局”的机关" in page
    assert "工作表“事项”第4行“承诺办结时限（工作日）”列：“三天”不是工作日数" in page
    assert "工作表“申请材料”第5行“材料名称”列：材料名称不能为空。" in page
    assert client.post(url).status_code == 422
    assert db_session.scalars(select(ServiceItem)).all() == []


def test_wrong_columns_and_files_that_are_not_workbooks(
        client: FlaskClient, login: Callable[[str], None], staff: dict[str, User]) -> None:
    login("mz-editor")
    header = [column.header for column in layout.ITEM_COLUMNS]
    header[1] = "名称"
    page = client.get(upload(client, xlsx([item_row()], [material_row()],
                                          item_header=header))).get_data(as_text=True)
    assert "工作表“事项”第1行“名称”列：无法识别的列" in page
    assert "工作表“事项”第1行“事项名称”列：缺少必填列。" in page
    response = client.post("/staff/service-items/import",
                           data={"file": (io.BytesIO(b"a,b\n"), "事项.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "请上传 .xlsx 格式的工作簿" in response.get_data(as_text=True)
    broken = client.get(upload(client, b"PK not really a zip")).get_data(as_text=True)
    assert "无法读取该文件" in broken


def test_scope_and_versions_in_review(
        client: FlaskClient, login: Callable[[str], None], staff: dict[str, User],
        make_user: Callable[..., User], publish_item: Publisher) -> None:
    item_id = publish_item("SL-MZ-001")
    from opengov.site.audit.service import COMMAND_LINE
    from opengov.site.service_items.service import editorial
    from tests.service_items.conftest import marriage_guide

    editorial.save_item(staff["editor"], item_id, guide=marriage_guide(summary="改"), note="",
                        expected_version=0, origin=COMMAND_LINE)
    editorial.take_action(staff["editor"], item_id, "submit", opinion="", origin=COMMAND_LINE)
    login("sj-editor")  # of 市场监管局: may not import 民政局's items
    page = client.get(upload(client, xlsx([item_row()], [material_row()]))).get_data(as_text=True)
    assert "工作表“事项”第2行“实施主体”列：您不能为示例市民政局维护事项。" in page
    client.post("/staff/logout")
    login("site-editor")
    page = client.get(upload(client, xlsx([item_row()], [material_row()]))).get_data(as_text=True)
    assert "有一个“待审核”的新版本" in page
    # Another person's upload is not yours to see.
    url = upload(client, xlsx([item_row(code="SL-X")], [material_row(code="SL-X")]))
    client.post("/staff/logout")
    login("mz-editor")
    assert client.get(url).status_code == 404
