"""The content-file format: every bad field is named, every file round-trips exactly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from opengov.site.catalog.rules.metadata import Disclosure, Validity
from opengov.site.content.service.files import (
    ContentDocument,
    ContentFileError,
    agency_codes,
    parse_agencies,
    parse_document,
    read_agencies,
    serialise_document,
)
from tests.content.conftest import CONTENT
from tests.factories import AGENCIES as FACTORY_AGENCIES

AGENCY_CODES = {"gov": "007000001", "czj": "007000002"}
PATH = "content/documents/test-doc.md"
VALID_HEADER: dict[str, Any] = {
    "title": "关于深化政务公开加强政务服务的意见",
    "agency": "gov",
    "category": "policies",
    "genre": "意见",
    "doc_number": "中办发〔2011〕22号",
    "index_no": "007000001/2011-00001",
    "published_on": "2011-08-02",
    "topic": "综合政务\\政务公开",
    "keywords": ["政务公开"],
    "validity": "有效",
    "disclosure": "主动公开",
}


def file_text(body: str = "## 一、总体要求\n\n正文。\n", **changes: Any) -> str:
    header = {**VALID_HEADER, **changes}
    header = {name: value for name, value in header.items() if value is not None}
    return "---\n" + yaml.safe_dump(header, allow_unicode=True, sort_keys=False) + "---\n\n" + body


def test_a_valid_file_parses_into_typed_metadata() -> None:
    document = parse_document(file_text(), PATH, AGENCY_CODES)
    assert document.key == "test-doc"
    assert document.published_on == dt.date(2011, 8, 2)
    assert document.validity is Validity.VALID
    assert document.disclosure is Disclosure.PROACTIVE
    assert document.keywords == ("政务公开",)
    assert document.body == "## 一、总体要求\n\n正文。\n"


BAD_FIELDS = [
    ("title", {"title": None}, "缺失"),
    ("title", {"title": "  "}, "不能为空"),
    ("agency", {"agency": "nope"}, "未知机关代码"),
    ("category", {"category": "speeches"}, "未知栏目"),
    ("category", {"category": None}, "缺失"),
    ("topic", {"topic": "综合政务\\不存在"}, "主题分类"),
    ("published_on", {"published_on": None}, "缺失"),
    ("published_on", {"published_on": "2011-13-01"}, "不是有效日期"),
    ("date_written", {"date_written": "2011/08/01"}, "不是有效日期"),
    ("effective_on", {"effective_on": "明年"}, "不是有效日期"),
    ("index_no", {"index_no": "2011-1"}, "索引号格式"),
    ("index_no", {"index_no": "007000002/2011-00001"}, "不符"),
    ("validity", {"validity": "现行有效"}, "应为 有效、失效、废止、已修改 之一"),
    ("disclosure", {"disclosure": "公开"}, "无效"),
    ("genre", {"genre": "散文"}, "未知体裁"),
    ("doc_number", {"doc_number": "中办发[2011]22号"}, "六角括号"),
    ("keywords", {"keywords": "政务公开"}, "列表"),
    ("keywords", {"keywords": ["政务公开、政务服务"]}, "单个词"),
    ("keywords", {"keywords": ["政务公开", "政务公开"]}, "重复"),
    ("interprets", {"interprets": ["other-policy"]}, "政策解读"),
    ("repealed_on", {"repealed_on": "2012-12-31"}, "有效性"),
    ("non_disclosure_reason", {"disclosure": "不予公开"}, "理由"),
    ("titel", {"titel": "拼错的字段"}, "未知字段"),
]


@pytest.mark.parametrize(("field", "changes", "message"), BAD_FIELDS,
                         ids=[f"{field}-{index}" for index, (field, _, _) in enumerate(BAD_FIELDS)])
def test_bad_metadata_names_the_file_and_the_field(field: str, changes: dict[str, Any],
                                                   message: str) -> None:
    with pytest.raises(ContentFileError) as caught:
        parse_document(file_text(**changes), PATH, AGENCY_CODES)
    error = caught.value
    assert error.field == field
    assert PATH in str(error)
    assert f"字段 {field}" in str(error)
    assert message in str(error)


@pytest.mark.parametrize(("text", "field"), [
    ("title: 无文件头\n\n正文\n", "front_matter"),
    ("---\ntitle: 未结束\n\n正文\n", "front_matter"),
    ("---\ntitle: [未闭合\n---\n\n正文\n", "front_matter"),
    ("---\n- 列表\n---\n\n正文\n", "front_matter"),
    (file_text(body="\n"), "body"),
])
def test_malformed_files_are_reported(text: str, field: str) -> None:
    with pytest.raises(ContentFileError) as caught:
        parse_document(text, PATH, AGENCY_CODES)
    assert caught.value.field == field
    assert PATH in str(caught.value)


def test_file_names_must_be_stable_ascii_keys() -> None:
    with pytest.raises(ContentFileError) as caught:
        parse_document(file_text(), "content/documents/政务公开.md", AGENCY_CODES)
    assert caught.value.field == "key"


def test_serialisation_round_trips_every_field() -> None:
    document = ContentDocument(
        key="full", title="标题：含冒号 # 与“引号”", agency="gov", category="interpretations",
        published_on=dt.date(2020, 2, 29), genre="政策解读", issuer="示例市人民政府",
        doc_number="示政发〔2020〕1号", index_no="007000001/2020-00001",
        date_written=dt.date(2020, 2, 20), effective_on=dt.date(2020, 3, 1),
        repealed_on=dt.date(2021, 1, 1), changed_on=dt.date(2020, 12, 1),
        topic="财政、金融、审计\\货币（含外汇）", keywords=("政务公开", "yes", "123"),
        validity=Validity.REPEALED, disclosure=Disclosure.WITHHELD,
        non_disclosure_reason="涉及国家秘密", source="新华社", seed="000.txt 第一篇",
        summary="概述。", interprets=("policy-a", "policy-b"), notes="说明\n第二行",
        body="# 标题\n\n---\n\n正文 **粗体**\n")
    text = serialise_document(document)
    assert parse_document(text, "content/documents/full.md", AGENCY_CODES) == document
    assert serialise_document(parse_document(text, "full.md")) == text


@pytest.mark.parametrize("path", sorted((CONTENT / "documents").glob("*.md")), ids=lambda p: p.stem)
def test_every_content_file_is_valid_and_canonical(path: Path) -> None:
    codes = agency_codes(read_agencies(CONTENT / "agencies.yaml"))
    text = path.read_text(encoding="utf-8")
    document = parse_document(text, path, codes)
    assert serialise_document(document) == text
    assert document.summary
    assert document.topic
    assert document.keywords
    assert document.source
    assert document.seed, "every content file names the seed article it comes from"


def test_agencies_file_lists_the_site_agencies_with_their_guides() -> None:
    agencies = {agency.code: agency for agency in read_agencies(CONTENT / "agencies.yaml")}
    for code, (name, org_code, kind) in FACTORY_AGENCIES.items():
        assert (agencies[code].name, agencies[code].org_code, agencies[code].kind) == \
            (name, org_code, kind)
    assert agencies["zwfw"].org_code == "007000004"
    for agency in agencies.values():
        assert agency.code == "gov" or agency.parent == "gov"
        assert agency.guide_updated_on is not None
        for item in (agency.office_name, agency.address, agency.office_hours, agency.phone,
                     agency.fax, agency.email, agency.website):
            assert item
            assert item in agency.guide_markdown
        for heading in ("## 一、主动公开", "分类与编排体系", "## 二、依申请公开", "国办函〔2020〕109号",
                        "行政复议", "行政诉讼"):
            assert heading in agency.guide_markdown


@pytest.mark.parametrize(("item", "field"), [
    ({"code": "x", "name": "某局", "org_code": "1", "kind": "bureau"}, "kind"),
    ({"code": "x", "name": "某局", "org_code": "1", "kind": "department", "parent": "gov"},
     "parent"),
    ({"code": "x", "org_code": "1", "kind": "department"}, "name"),
    ({"code": "x", "name": "某局", "org_code": "1", "kind": "department",
      "guide_updated_on": "2026-02-30"}, "guide_updated_on"),
])
def test_bad_agencies_are_reported_with_the_field(item: dict[str, Any], field: str) -> None:
    text = yaml.safe_dump({"agencies": [item]}, allow_unicode=True)
    with pytest.raises(ContentFileError) as caught:
        parse_agencies(text, "content/agencies.yaml")
    assert caught.value.field == field
    assert "content/agencies.yaml 第1个机关" in str(caught.value)
