"""One file of ``content/``: a YAML front-matter header with the catalog metadata, then the
Markdown body; and ``content/agencies.yaml``, the agencies with their 指南 (条例 Art. 12).

Parsing validates every field and raises :class:`ContentFileError` naming the file and the
field in Chinese; :func:`serialise_document` writes the canonical form, so that
``serialise_document(parse_document(text, ...)) == text`` for every file it wrote.

No database here: the importer (``content_import``) and a later exporter build on it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from opengov.site.catalog.rules.metadata import (
    GENRES,
    INTERPRETATION_CATEGORY,
    INTERPRETATION_GENRE,
    Disclosure,
    Validity,
    is_valid_doc_number,
    is_valid_topic,
    iter_columns,
    parse_index_no,
)

FRONT_MATTER_DELIMITER = "---"
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
AGENCY_KINDS = ("government", "department", "township")
COLUMN_SLUGS = frozenset(column.slug for column, _ in iter_columns())

#: Chinese label of every front-matter field, used in error messages.
FIELD_LABELS: dict[str, str] = {
    "title": "标题",
    "agency": "发布机关代码",
    "category": "栏目",
    "genre": "体裁",
    "issuer": "发文机关",
    "doc_number": "发文字号",
    "index_no": "索引号",
    "date_written": "成文日期",
    "published_on": "发布日期",
    "effective_on": "实施日期",
    "repealed_on": "废止/失效日期",
    "changed_on": "形成/变更日期",
    "topic": "主题分类",
    "keywords": "主题词",
    "validity": "有效性",
    "disclosure": "公开属性",
    "non_disclosure_reason": "不予公开理由",
    "source": "信息来源",
    "seed": "种子来源",
    "summary": "内容概述",
    "interprets": "所解读的政策",
    "attachments": "附件",
    "columns": "栏目说明",
    "notes": "编者说明",
    "body": "正文",
    "front_matter": "文件头",
    "key": "文件名",
}
KEYWORD_SEPARATOR = "、"
#: Where attachment files live, relative to the content directory.
ATTACHMENTS_DIR = "attachments"
ATTACHMENT_FIELDS = ("file", "name", "content_type")
_ATTACHMENT_FILE = re.compile(r"^attachments/[a-z0-9]+(?:-[a-z0-9]+)*/[A-Za-z0-9][A-Za-z0-9._-]*$")
_CONTENT_TYPE = re.compile(r"^[a-z]+/[a-z0-9.+-]+$")
DATE_FIELDS = ("date_written", "published_on", "effective_on", "repealed_on", "changed_on")


class ContentFileError(ValueError):
    """A content file that cannot be used; the message names the file and the field."""

    def __init__(self, path: str, field_name: str, message: str) -> None:
        self.path = path
        self.field = field_name
        label = FIELD_LABELS.get(field_name, field_name)
        super().__init__(f"{path}：字段 {field_name}（{label}）{message}")


@dataclass(frozen=True)
class ContentAttachment:
    """An attachment of a document: ``file`` is relative to the content directory
    (``attachments/<key>/…``), ``name`` the original (Chinese) file name shown for download."""

    file: str
    name: str
    content_type: str


@dataclass(frozen=True)
class ContentDocument:
    """The metadata and body of one ``content/documents/<key>.md``.

    Field order is the order of the header; empty optional fields are left out of it.
    """

    key: str
    title: str
    agency: str
    category: str
    published_on: dt.date
    genre: str = "其他"
    issuer: str = ""
    doc_number: str = ""
    index_no: str = ""
    date_written: dt.date | None = None
    effective_on: dt.date | None = None
    repealed_on: dt.date | None = None
    changed_on: dt.date | None = None
    topic: str = ""
    keywords: tuple[str, ...] = ()
    validity: Validity = Validity.VALID
    disclosure: Disclosure = Disclosure.PROACTIVE
    non_disclosure_reason: str = ""
    source: str = ""
    seed: str = ""
    summary: str = ""
    interprets: tuple[str, ...] = ()
    attachments: tuple[ContentAttachment, ...] = ()
    notes: str = ""
    body: str = field(default="", repr=False)


#: Header fields in the order they are written; ``key`` is the file name, ``body`` follows.
HEADER_FIELDS: tuple[str, ...] = (
    "title", "agency", "category", "genre", "issuer", "doc_number", "index_no",
    "date_written", "published_on", "effective_on", "repealed_on", "changed_on",
    "topic", "keywords", "validity", "disclosure", "non_disclosure_reason",
    "source", "seed", "summary", "interprets", "attachments", "notes",
)
REQUIRED_FIELDS = ("title", "agency", "category", "published_on")
#: Written even when they hold the default, so that every header states them.
ALWAYS_WRITTEN = (*REQUIRED_FIELDS, "genre", "validity", "disclosure")


# --- YAML without implicit dates ---------------------------------------------------------
# PyYAML turns 2011-13-01 into a constructor crash and 2011-08-03 into a date before we can
# name the field; both loader and dumper treat dates as plain strings, parsed here.

class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _without_timestamps(cls: type[yaml.SafeLoader] | type[yaml.SafeDumper]) -> None:
    cls.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers
                if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


_without_timestamps(_Loader)
_without_timestamps(_Dumper)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    """YAML as this module writes it: UTF-8 text, key order kept, long lines unwrapped."""
    text: str = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                          default_flow_style=False, width=10_000)
    return text


def load_yaml(text: str, path: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 — _Loader is a SafeLoader
    except yaml.YAMLError as error:
        raise ContentFileError(path, "front_matter", f"不是有效的 YAML：{error}") from error


# --- parsing ----------------------------------------------------------------------------

def split_front_matter(text: str, path: str) -> tuple[str, str]:
    """``(header, body)`` of a file that starts with a ``---`` fenced YAML header."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FRONT_MATTER_DELIMITER:
        raise ContentFileError(path, "front_matter", "缺失：文件须以“---”开头的 YAML 文件头开始")
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() == FRONT_MATTER_DELIMITER:
            header = "\n".join(lines[1:number])
            body = "\n".join(lines[number + 1:])
            return header, body.removeprefix("\n")
    raise ContentFileError(path, "front_matter", "未结束：缺少第二个“---”")


def _text(raw: Mapping[str, Any], name: str, path: str, *, required: bool = False) -> str:
    value = raw.get(name)
    if value is None:
        if required:
            raise ContentFileError(path, name, "缺失")
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ContentFileError(path, name, f"应为文本，收到：{value!r}")
    text = str(value).strip()
    if required and not text:
        raise ContentFileError(path, name, "不能为空")
    return text


def _date(raw: Mapping[str, Any], name: str, path: str) -> dt.date | None:
    value = raw.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, str) and _DATE_PATTERN.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ContentFileError(path, name, f"不是有效日期（格式 YYYY-MM-DD）：{value!r}")


def _string_list(raw: Mapping[str, Any], name: str, path: str) -> tuple[str, ...]:
    value = raw.get(name)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip()
                                              for item in value):
        raise ContentFileError(path, name, f"应为非空文本的列表，收到：{value!r}")
    items = tuple(item.strip() for item in value)
    if len(set(items)) != len(items):
        raise ContentFileError(path, name, "有重复项")
    # The database keeps 主题词 joined with “、”, so one may not contain it.
    for item in items:
        if KEYWORD_SEPARATOR in item:
            raise ContentFileError(path, name, f"的每一项应为单个词，不能含“、”：“{item}”")
    return items


def _attachments(raw: Mapping[str, Any], path: str) -> tuple[ContentAttachment, ...]:
    value = raw.get("attachments")
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ContentFileError(path, "attachments", f"应为附件列表，收到：{value!r}")
    result: list[ContentAttachment] = []
    for position, item in enumerate(value, start=1):
        if not isinstance(item, dict) or sorted(map(str, item)) != sorted(ATTACHMENT_FIELDS) \
                or not all(isinstance(item[name], str) and item[name].strip()
                           for name in ATTACHMENT_FIELDS):
            raise ContentFileError(path, "attachments", f"第{position}项应有且只有非空的 "
                                   f"{'、'.join(ATTACHMENT_FIELDS)}，收到：{item!r}")
        file, name, content_type = (item[name] for name in ATTACHMENT_FIELDS)
        if not _ATTACHMENT_FILE.match(file) or ".." in file:
            raise ContentFileError(path, "attachments", f"第{position}项的 file 应为"
                                   f"“attachments/<键>/<ASCII 文件名>”：“{file}”")
        if name != name.strip() or any(ch in name for ch in '/\\"<>|*?:\n\r'):
            raise ContentFileError(path, "attachments", f"第{position}项的 name 不是有效文件名：“{name}”")
        if not _CONTENT_TYPE.match(content_type):
            raise ContentFileError(path, "attachments",
                                   f"第{position}项的 content_type 无效：“{content_type}”")
        result.append(ContentAttachment(file, name, content_type))
    if len({item.file for item in result}) != len(result):
        raise ContentFileError(path, "attachments", "有重复的文件")
    return tuple(result)


def _choice(raw: Mapping[str, Any], name: str, path: str, enum: type[Validity] | type[Disclosure],
            default: Validity | Disclosure) -> Any:
    text = _text(raw, name, path)
    if not text:
        return default
    try:
        return enum(text)
    except ValueError:
        allowed = "、".join(member.value for member in enum)
        raise ContentFileError(path, name, f"无效：“{text}”，应为 {allowed} 之一") from None


def parse_document(text: str, path: str | Path,
                   agencies: Mapping[str, str] | None = None) -> ContentDocument:
    """Parse one content file. ``agencies`` maps agency codes to 组织机构代码; when given,
    the agency must be one of them and the 索引号 must carry its code."""
    path = str(path)
    key = Path(path).stem
    if not KEY_PATTERN.match(key):
        raise ContentFileError(path, "key", "应由小写字母、数字和连字符组成（稳定的 ASCII 键）")
    header, body = split_front_matter(text, path)
    raw = load_yaml(header, path)
    if not isinstance(raw, dict):
        raise ContentFileError(path, "front_matter", "应为“字段: 值”的映射")
    unknown = sorted(str(name) for name in raw if name not in HEADER_FIELDS)
    if unknown:
        raise ContentFileError(path, unknown[0], "是未知字段（拼写错误？）")

    title = _text(raw, "title", path, required=True)
    agency = _text(raw, "agency", path, required=True)
    if agencies is not None and agency not in agencies:
        raise ContentFileError(path, "agency", f"未知机关代码：“{agency}”")
    category = _text(raw, "category", path, required=True)
    if category not in COLUMN_SLUGS:
        raise ContentFileError(path, "category", f"未知栏目：“{category}”")
    genre = _text(raw, "genre", path) or "其他"
    if genre not in GENRES:
        raise ContentFileError(path, "genre", f"未知体裁：“{genre}”")
    doc_number = _text(raw, "doc_number", path)
    if doc_number and not is_valid_doc_number(doc_number):
        raise ContentFileError(path, "doc_number",
                               f"格式无效：“{doc_number}”（年份用六角括号〔〕，如 中办发〔2011〕22号）")
    index_no = _text(raw, "index_no", path)
    if index_no:
        try:
            org_code, _year, _serial = parse_index_no(index_no)
        except ValueError as error:
            raise ContentFileError(path, "index_no", f"无效：{error}") from None
        if agencies is not None and org_code != agencies[agency]:
            raise ContentFileError(path, "index_no", f"的机构代码 {org_code} 与发布机关 {agency}"
                                   f"（{agencies[agency]}）不符")
    dates = {name: _date(raw, name, path) for name in DATE_FIELDS}
    published_on = dates["published_on"]
    if published_on is None:
        raise ContentFileError(path, "published_on", "缺失")
    topic = _text(raw, "topic", path)
    if topic and not is_valid_topic(topic):
        raise ContentFileError(path, "topic", f"不在主题分类表中：“{topic}”（格式“大类\\小类”）")
    validity: Validity = _choice(raw, "validity", path, Validity, Validity.VALID)
    if dates["repealed_on"] is not None and validity not in (Validity.EXPIRED,
                                                             Validity.REPEALED):
        raise ContentFileError(path, "repealed_on", f"已填写，但有效性为“{validity}”")
    disclosure: Disclosure = _choice(raw, "disclosure", path, Disclosure,
                                     Disclosure.PROACTIVE)
    reason = _text(raw, "non_disclosure_reason", path)
    if disclosure is Disclosure.WITHHELD and not reason:
        raise ContentFileError(path, "non_disclosure_reason", "缺失：不予公开须说明理由")
    interprets = _string_list(raw, "interprets", path)
    if interprets and category != INTERPRETATION_CATEGORY and genre != INTERPRETATION_GENRE:
        raise ContentFileError(path, "interprets",
                               "只能用于“政策解读”（interpretations）栏目或体裁“政策解读”")
    for policy in interprets:
        if not KEY_PATTERN.match(policy) or policy == key:
            raise ContentFileError(path, "interprets", f"不是其他内容文件的键：“{policy}”")
    if not body.strip():
        raise ContentFileError(path, "body", "为空")
    return ContentDocument(
        key=key, title=title, agency=agency, category=category, published_on=published_on,
        genre=genre, issuer=_text(raw, "issuer", path), doc_number=doc_number,
        index_no=index_no, date_written=dates["date_written"],
        effective_on=dates["effective_on"], repealed_on=dates["repealed_on"],
        changed_on=dates["changed_on"], topic=topic,
        keywords=_string_list(raw, "keywords", path), validity=validity,
        disclosure=disclosure, non_disclosure_reason=reason,
        source=_text(raw, "source", path), seed=_text(raw, "seed", path),
        summary=_text(raw, "summary", path), interprets=interprets,
        attachments=_attachments(raw, path), notes=_text(raw, "notes", path), body=body,
    )


def read_document(path: Path, agencies: Mapping[str, str] | None = None) -> ContentDocument:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ContentFileError(str(path), "front_matter", "不是 UTF-8 文本") from error
    return parse_document(text, path, agencies)


# --- serialisation ----------------------------------------------------------------------

def _header_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Validity | Disclosure):
        return value.value
    if isinstance(value, ContentAttachment):
        return {name: getattr(value, name) for name in ATTACHMENT_FIELDS}
    if isinstance(value, tuple):
        return [_header_value(item) for item in value]
    return value


def serialise_document(document: ContentDocument) -> str:
    """The canonical text of a content file; parsing it gives ``document`` back."""
    header: dict[str, Any] = {}
    for name in HEADER_FIELDS:
        value = getattr(document, name)
        if name in ALWAYS_WRITTEN or value not in ("", None, ()):
            header[name] = _header_value(value)
    body = document.body.rstrip("\n") + "\n"
    return f"{FRONT_MATTER_DELIMITER}\n{dump_yaml(header)}{FRONT_MATTER_DELIMITER}\n\n{body}"


def document_path(directory: Path, key: str) -> Path:
    return directory / "documents" / f"{key}.md"


# --- agencies.yaml ----------------------------------------------------------------------

AGENCY_TEXT_FIELDS = ("name", "short_name", "office_name", "address", "postcode",
                      "office_hours", "phone", "fax", "email", "website", "guide_markdown")
AGENCY_FIELDS = ("code", "org_code", "kind", "parent", "sort_order", *AGENCY_TEXT_FIELDS,
                 "guide_updated_on")


@dataclass(frozen=True)
class ContentAgency:
    """One agency of ``content/agencies.yaml`` with its 政府信息公开指南."""

    code: str
    name: str
    org_code: str
    kind: str
    parent: str = ""
    sort_order: int = 0
    short_name: str = ""
    office_name: str = ""
    address: str = ""
    postcode: str = ""
    office_hours: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    website: str = ""
    guide_markdown: str = ""
    guide_updated_on: dt.date | None = None


def parse_agencies(text: str, path: str | Path) -> list[ContentAgency]:
    """The agencies of ``agencies.yaml`` (a list under ``agencies:``), parents first."""
    path = str(path)
    raw = load_yaml(text, path)
    items = raw.get("agencies") if isinstance(raw, dict) else None
    if not isinstance(items, list) or not items:
        raise ContentFileError(path, "agencies", "缺失：应为机关列表")
    result: list[ContentAgency] = []
    codes: set[str] = set()
    org_codes: set[str] = set()
    for position, item in enumerate(items, start=1):
        where = f"{path} 第{position}个机关"
        if not isinstance(item, dict):
            raise ContentFileError(where, "agencies", "应为“字段: 值”的映射")
        unknown = sorted(str(name) for name in item if name not in AGENCY_FIELDS)
        if unknown:
            raise ContentFileError(where, unknown[0], "是未知字段（拼写错误？）")
        code = _text(item, "code", where, required=True)
        if not KEY_PATTERN.match(code) or code in codes:
            raise ContentFileError(where, "code", f"无效或重复：“{code}”")
        org_code = _text(item, "org_code", where, required=True)
        if not re.fullmatch(r"[0-9A-Za-z-]+", org_code) or org_code in org_codes:
            raise ContentFileError(where, "org_code", f"无效或重复：“{org_code}”")
        kind = _text(item, "kind", where, required=True)
        if kind not in AGENCY_KINDS:
            raise ContentFileError(where, "kind", f"应为 {'、'.join(AGENCY_KINDS)} 之一")
        parent = _text(item, "parent", where)
        if parent and parent not in codes:
            raise ContentFileError(where, "parent", f"未知或排在后面的上级机关：“{parent}”")
        sort_order = item.get("sort_order", position)
        if not isinstance(sort_order, int) or isinstance(sort_order, bool):
            raise ContentFileError(where, "sort_order", "应为整数")
        texts = {name: _text(item, name, where, required=name == "name")
                 for name in AGENCY_TEXT_FIELDS}
        if isinstance(item.get("guide_markdown"), str):
            texts["guide_markdown"] = item["guide_markdown"]  # keep the Markdown verbatim
        codes.add(code)
        org_codes.add(org_code)
        result.append(ContentAgency(code=code, org_code=org_code, kind=kind, parent=parent,
                                    sort_order=sort_order,
                                    guide_updated_on=_date(item, "guide_updated_on", where),
                                    **texts))
    return result


#: The order ``agencies.yaml`` is written in.
AGENCY_WRITE_ORDER = ("code", "name", "short_name", "org_code", "kind", "parent", "sort_order",
                      "office_name", "address", "postcode", "office_hours", "phone", "fax",
                      "email", "website", "guide_updated_on", "guide_markdown")
AGENCIES_COMMENT = "# 本站发布信息的机关及其政府信息公开指南（《政府信息公开条例》第十二条）。\n"


def serialise_agencies(agencies: Collection[ContentAgency], comment: str = AGENCIES_COMMENT
                       ) -> str:
    """The canonical text of ``agencies.yaml`` (parents first, as given), after ``comment``
    (``#`` lines); parsing it gives ``agencies`` back."""
    items = [{name: _header_value(getattr(agency, name)) for name in AGENCY_WRITE_ORDER
              if name in ("code", "name", "org_code", "kind", "sort_order")
              or getattr(agency, name) not in ("", None)} for agency in agencies]
    return comment + dump_yaml({"agencies": items})


def leading_comment(text: str) -> str:
    """The ``#`` lines a YAML file starts with, kept when the file is written again."""
    lines = text.splitlines(keepends=True)
    count = next((n for n, line in enumerate(lines) if not line.startswith("#")), len(lines))
    return "".join(lines[:count])


# --- columns.yaml ------------------------------------------------------------------------

COLUMNS_COMMENT = ("# 管理员在后台修改过的栏目说明（栏目 slug: 说明）；"
                   "未列出的栏目用 site/domain/catalog.py 的默认说明。\n")
DEFAULT_DESCRIPTIONS = {column.slug: column.description for column, _ in iter_columns()}


def parse_columns(text: str, path: str | Path) -> dict[str, str]:
    """``{slug: description}`` of ``columns.yaml``: the column descriptions staff changed."""
    path = str(path)
    raw = load_yaml(text, path)
    items = raw.get("columns") if isinstance(raw, dict) else None
    if not isinstance(items, dict):
        raise ContentFileError(path, "columns", "缺失：应为“栏目: 说明”的映射")
    for slug, description in items.items():
        if slug not in COLUMN_SLUGS:
            raise ContentFileError(path, "columns", f"未知栏目：“{slug}”")
        if not isinstance(description, str):
            raise ContentFileError(path, "columns", f"{slug} 的说明应为文本")
    return {str(slug): str(description) for slug, description in items.items()}


def serialise_columns(descriptions: Mapping[str, str], comment: str = COLUMNS_COMMENT) -> str:
    """The canonical text of ``columns.yaml``, columns in the order of the catalog tree."""
    ordered = {slug: descriptions[slug] for slug in DEFAULT_DESCRIPTIONS if slug in descriptions}
    return comment + dump_yaml({"columns": ordered})


def read_agencies(path: Path) -> list[ContentAgency]:
    return parse_agencies(path.read_text(encoding="utf-8"), path)


def agency_codes(agencies: Collection[ContentAgency]) -> dict[str, str]:
    """``{code: org_code}``, what :func:`parse_document` validates against."""
    return {agency.code: agency.org_code for agency in agencies}
