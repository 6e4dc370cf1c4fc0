"""The 权力清单: its rules, the demo content, the public list, a power with its 裁量基准, the
download and the API, and staff maintaining it through review."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.cli import main
from opengov.site.config import PROJECT_ROOT
from opengov.site.powers.rules import (
    DiscretionRule,
    PowerContent,
    PowerType,
    check_power,
)
from opengov.site.powers.service.content import ContentError, read_powers
from opengov.site.service_items.rules.guide import LegalBasis, Step

CONTENT = PROJECT_ROOT / "content"


def penalty(**changes: object) -> PowerContent:
    values: dict[str, object] = {
        "name": "对未取得食品经营许可从事食品经营活动的处罚", "power_type": PowerType.PENALTY,
        "basis": (LegalBasis("中华人民共和国食品安全法", "第一百二十二条"),),
        "responsibilities": "立案、调查、审查、告知、决定、送达、执行。",
        "accountability": "违法实施处罚的，依法追究责任。",
        "process": (Step("立案"), Step("调查取证"), Step("决定")),
        "discretion": (DiscretionRule("未取得许可从事食品经营", "从轻处罚", "货值不足一万元，主动改正",
                                      "并处五万元以上六万五千元以下罚款", "第一百二十二条"),)}
    values.update(changes)
    return PowerContent(**values)  # type: ignore[arg-type]


def test_a_penalty_must_publish_its_discretion_table() -> None:
    assert check_power(penalty()) == []
    found = {problem.field: problem.message for problem in check_power(penalty(discretion=()))}
    assert "行政处罚应公开裁量基准" in found["discretion"]
    bad_row = DiscretionRule("未取得许可", "看情况", "", "罚款")
    rows = [(problem.field, problem.message)
            for problem in check_power(penalty(discretion=(bad_row,)))]
    assert rows == [("discretion.0", "裁量基准第1行缺少适用情形。"),
                    ("discretion.0", "裁量基准第1行的裁量阶次应为不予处罚、减轻处罚、从轻处罚、一般、"
                                     "从重处罚、轻微、较重、严重之一。")]
    licence = penalty(power_type=PowerType.LICENSING, discretion=())
    assert check_power(licence) == []
    assert PowerContent.from_dict(penalty().to_dict()) == penalty()


def test_the_demo_list_covers_every_type_with_real_laws(app: Flask, db_session: Session,
                                                       runner: FlaskCliRunner) -> None:
    assert runner.invoke(main, ["import-content", str(CONTENT)]).exit_code == 0
    powers = read_powers(CONTENT)
    assert len(powers) >= 60
    assert {content.power_type for _code, _agency, content in powers} == set(PowerType)
    assert all(content.is_example for _code, _agency, content in powers)
    assert all(content.discretion for _c, _a, content in powers
               if content.power_type is PowerType.PENALTY)
    assert len({agency for _code, agency, _content in powers}) >= 8


def test_the_import_is_idempotent_and_all_or_nothing(app: Flask, db_session: Session,
                                                     runner: FlaskCliRunner,
                                                     tmp_path: Path) -> None:
    assert runner.invoke(main, ["import-content", str(CONTENT)]).exit_code == 0
    first = runner.invoke(main, ["import-powers", str(CONTENT)])
    assert first.exit_code == 0, first.output
    assert "新增 65 项" in first.output
    again = runner.invoke(main, ["import-powers", str(CONTENT)])
    assert "新增 0 项，更新 0 项，未变 65 项" in again.output
    broken = (CONTENT / "powers.yaml").read_text(encoding="utf-8").replace(
        "agency: gov\n", "agency: nowhere\n", 1)
    (tmp_path / "powers.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(ContentError, match="nowhere"):
        read_powers(tmp_path)
    failed = runner.invoke(main, ["import-powers", str(tmp_path)])
    assert failed.exit_code == 1
    assert "未写入任何内容" in failed.output


@pytest.fixture
def demo(app: Flask, db_session: Session, runner: FlaskCliRunner) -> Flask:
    for args in (["import-content", str(CONTENT)], ["import-service-items", str(CONTENT)],
                 ["import-powers", str(CONTENT)]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
    return app


def test_the_public_list_a_power_and_the_download(demo: Flask, client: FlaskClient) -> None:
    listing = client.get("/powers?type=行政处罚&agency=scjgj")
    assert listing.status_code == 200
    page = listing.get_data(as_text=True)
    assert "对未取得食品经营许可从事食品经营活动的处罚" in page
    assert "对供应商提供虚假材料" not in page  # 财政局's
    api = client.get("/api/v1/powers?type=行政处罚&agency=scjgj").get_json()
    assert api["total"] == 6
    food = next(p for p in api["results"] if p["code"] == "SL-SJ-CF-001")
    detail = client.get(food["api_url"]).get_json()
    assert detail["discretion"][0]["level"] == "减轻处罚"
    assert detail["basis"][0]["law"] == "中华人民共和国食品安全法"
    html = client.get(food["url"]).get_data(as_text=True)
    assert "裁量基准" in html
    assert "八万五千元以上十万元以下罚款" in html
    licence = next(p for p in client.get("/api/v1/powers?q=食品经营许可").get_json()["results"]
                   if p["type"] == "行政许可")
    assert client.get(licence["api_url"]).get_json()["service_item"]["code"] == "SL-SJ-001"
    download = client.get("/powers.xlsx?type=行政处罚")
    assert download.status_code == 200
    workbook = load_workbook(io.BytesIO(download.data))
    assert workbook.sheetnames == ["权力清单", "裁量基准"]
    rows = list(workbook["权力清单"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 17
    assert {row[3] for row in rows} == {"行政处罚"}
    assert workbook["裁量基准"].max_row > 17
    assert client.get("/powers.xlsx?type=许可").status_code == 400
    assert client.get("/api/v1/powers?type=许可").status_code == 400
    assert client.get("/powers/123456").status_code == 404


def test_staff_maintain_a_power_through_review(
        demo: Flask, client: FlaskClient, make_user: Callable[..., User],
        login: Callable[[str], None]) -> None:
    make_user("editor1", Role.EDITOR)
    make_user("reviewer1", Role.REVIEWER)
    login("editor1")
    form = {"agency": "", "code": "SL-SJ-CF-099", "name": "对经营超过保质期食品的处罚",
            "power_type": "行政处罚", "basis": "《中华人民共和国食品安全法》第一百二十四条",
            "responsibilities": "依法查处。", "accountability": "违法处罚的追究责任。",
            "flow": "立案\n调查\n决定", "discretion-0-level": "一般"}
    new_page = client.get("/staff/powers/new").get_data(as_text=True)
    agency = new_page.split('<option value="', 2)[1].split('"', 1)[0]
    refused = client.post("/staff/powers/new", data={**form, "agency": agency,
                                                     "intent": "save"})
    assert refused.status_code == 422
    assert "行政处罚应公开裁量基准" in refused.get_data(as_text=True)
    saved = client.post("/staff/powers/new", data={
        **form, "agency": agency, "intent": "save", "discretion-0-violation": "经营超过保质期的食品",
        "discretion-0-level": "一般", "discretion-0-circumstance": "货值不足一万元",
        "discretion-0-penalty": "并处五万元以上十万元以下罚款"})
    assert saved.status_code == 302
    detail_url = saved.headers["Location"]
    power_id = int(detail_url.rsplit("/", 1)[1])
    client.post(f"{detail_url}/transition", data={"action": "submit"})
    client.post("/staff/logout")
    login("reviewer1")
    client.post(f"{detail_url}/transition", data={"action": "approve", "opinion": "同意"})
    client.post(f"{detail_url}/transition", data={"action": "publish"})
    public = client.get(f"/powers/{power_id}")
    assert public.status_code == 200
    assert "经营超过保质期的食品" in public.get_data(as_text=True)
