"""Fixtures of the service-item tests: agencies as the demo content names them, staff, a
valid guide, and an item taken through the review workflow as staff take it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.audit.service import COMMAND_LINE
from opengov.site.db import unit_of_work
from opengov.site.service_items.rules.guide import (
    ItemGuide,
    ItemType,
    LegalBasis,
    Material,
    MaterialForm,
    Necessity,
    OnlineDepth,
    Question,
    Step,
    Target,
)
from opengov.site.service_items.service import editorial
from tests.factories import make_agency

#: code → (name, org_code) of the agencies the tests use besides tests.factories' own.
AGENCIES = {"mzj": ("示例市民政局", "007000005"), "scjgj": ("示例市市场监督管理局", "007000007")}


def marriage_guide(**changes: Any) -> ItemGuide:
    """A complete, valid 办事指南 (结婚登记)."""
    guide = ItemGuide(
        name="内地居民结婚登记", item_type=ItemType.CONFIRMATION, targets=(Target.PERSON,),
        themes=("婚姻登记",), handling_unit="婚姻登记处",
        summary="男女双方共同到婚姻登记机关办理结婚登记。",
        basis=(LegalBasis("婚姻登记条例", "第四条、第五条"),
               LegalBasis("中华人民共和国民法典", "第一千零四十九条")),
        conditions="- 男女双方完全自愿结婚",
        materials=(Material("本人的居民身份证", 1, MaterialForm.ORIGINAL),
                   Material("签字声明", 1, MaterialForm.ORIGINAL, necessity=Necessity.REQUIRED)),
        steps=(Step("申请", "双方共同到场"), Step("登记发证", "当场发给结婚证")),
        legal_limit_days=0, promised_limit_days=0, visits=1,
        location="示例市民政局婚姻登记处", hours="工作日 9:00—17:00", phone="0000-12345643",
        online_url="https://zwfw.shili.example/items/SL-MZ-001",
        online_depth=OnlineDepth.BOOKING, result_name="结婚证", delivery="当场发放",
        consult="窗口咨询", complaint="12345", aliases=("领证", "结婚证"),
        faq=(Question("结婚登记要带什么证件？", "双方的居民身份证。"),))
    return replace(guide, **changes)


@pytest.fixture
def agencies(db_session: Session) -> dict[str, int]:
    """gov, mzj and scjgj, by code → id."""
    with unit_of_work() as session:
        ids = {"gov": make_agency(session, "gov").id}
        for code, (name, org_code) in AGENCIES.items():
            ids[code] = make_agency(session, code, name=name, org_code=org_code).id
    return ids


@pytest.fixture
def staff(agencies: dict[str, int], make_user: Callable[..., User]) -> dict[str, User]:
    """Editors and reviewers of 民政局, an editor of 市场监管局 and a site-wide editor."""
    return {
        "editor": make_user("mz-editor", Role.EDITOR, agency_id=agencies["mzj"]),
        "reviewer": make_user("mz-reviewer", Role.REVIEWER, agency_id=agencies["mzj"]),
        "other": make_user("sj-editor", Role.EDITOR, agency_id=agencies["scjgj"]),
        "site": make_user("site-editor", Role.EDITOR, Role.REVIEWER),
    }


Publisher = Callable[..., int]


@pytest.fixture
def publish_item(agencies: dict[str, int], staff: dict[str, User]) -> Publisher:
    """Write, submit, approve and publish an item of 民政局; returns its id."""

    def publish(code: str = "SL-MZ-001", guide: ItemGuide | None = None) -> int:
        item_id = editorial.create_item(staff["editor"], agency_id=agencies["mzj"], code=code,
                                        guide=guide or marriage_guide(), note="",
                                        origin=COMMAND_LINE)
        for actor, action, opinion in ((staff["editor"], "submit", ""),
                                       (staff["reviewer"], "approve", "同意发布"),
                                       (staff["reviewer"], "publish", "")):
            editorial.take_action(actor, item_id, action, opinion=opinion, origin=COMMAND_LINE)
        return item_id

    return publish
