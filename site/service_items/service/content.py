"""``opengov import-service-items DIR``: the site's own items from ``DIR/service_items.yaml``
(the demo content of ``content/``), idempotently.

Items are upserted by 事项编码: an item whose guide differs from its public version gets a new
version, published at once (the operator's files are the reviewed source, as for
``import-content``); an unchanged one is left alone. Blank forms and samples named by a
material (``blank_form: {file: …, name: …}``, paths relative to ``DIR``) are stored once and
reused while their bytes do not change. All or nothing: every item is checked first and
every problem reported with the item's code and the field.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site.agencies import service as agencies
from opengov.site.audit.service import COMMAND_LINE, Origin
from opengov.site.db import unit_of_work
from opengov.site.exceptions import InvalidInputError
from opengov.site.service_items.models import ServiceItem, ServiceItemFile
from opengov.site.service_items.rules.guide import ItemGuide, check_guide
from opengov.site.service_items.service import revisions
from opengov.site.service_items.service.files import save_file
from opengov.site.service_items.service.records import ITEMS

FILE_NAME = "service_items.yaml"
_FILE_FIELDS = ("blank_form", "sample")


class ContentError(InvalidInputError):
    """The file cannot be imported; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems[:5]))
        self.problems = problems


@dataclass(frozen=True)
class FileRef:
    path: Path
    name: str


@dataclass
class _Entry:
    code: str
    agency_code: str
    #: The guide's dict with file references where the ids go.
    data: dict[str, Any]
    #: (material index, field) → file to store.
    files: dict[tuple[int, str], FileRef] = field(default_factory=dict)


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    def lines(self) -> list[str]:
        return [f"政务服务事项：新增 {len(self.created)} 项，更新 {len(self.updated)} 项，"
                f"未变 {self.unchanged} 项。"]


def read_entries(directory: Path) -> list[_Entry]:
    """The items of ``DIRECTORY/service_items.yaml``, checked; :class:`ContentError`
    naming every problem."""
    path = directory / FILE_NAME
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError([f"{path}：无法读取（{exc}）"]) from exc
    if not isinstance(loaded, dict) or not isinstance(loaded.get("items"), list):
        raise ContentError([f"{path}：应为以 items: 开头的事项列表"])
    example = bool(loaded.get("example", False))
    known = {agency.code for agency in agencies.all_agencies()}
    problems: list[str] = []
    entries: list[_Entry] = []
    seen: set[str] = set()
    for index, raw in enumerate(loaded["items"], start=1):
        where = f"{FILE_NAME} 第{index}个事项"
        if not isinstance(raw, dict):
            problems.append(f"{where}：格式不正确")
            continue
        data = dict(raw)
        code = str(data.pop("code", "")).strip()
        agency_code = str(data.pop("agency", "")).strip()
        where = f"{FILE_NAME} 事项 {code or index}"
        if not code:
            problems.append(f"{where}：缺少 code（事项编码）")
        elif code in seen:
            problems.append(f"{where}：事项编码重复")
        seen.add(code)
        if agency_code not in known:
            problems.append(f"{where}：agency“{agency_code}”不是 agencies.yaml 中的机关代码")
        data.setdefault("is_example", example)
        entry = _Entry(code, agency_code, data)
        for position, material in enumerate(data.get("materials") or []):
            for name in _FILE_FIELDS:
                reference = material.get(name) if isinstance(material, dict) else None
                if reference is None:
                    continue
                if not isinstance(reference, dict) or not reference.get("file"):
                    problems.append(f"{where}：第{position + 1}项材料的 {name} 应为 "
                                    "{file: 路径, name: 文件名}")
                    continue
                file_path = (directory / str(reference["file"])).resolve()
                if directory.resolve() not in file_path.parents or not file_path.is_file():
                    problems.append(f"{where}：找不到文件 {reference['file']}")
                    continue
                entry.files[(position, name)] = FileRef(
                    file_path, str(reference.get("name") or file_path.name))
        try:
            guide = ItemGuide.from_dict(_without_files(data))
        except (TypeError, ValueError) as exc:
            problems.append(f"{where}：{exc}")
            continue
        problems.extend(f"{where}（{problem.field}）：{problem.message}"
                        for problem in check_guide(guide))
        entries.append(entry)
    if problems:
        raise ContentError(problems)
    return entries


def _without_files(data: dict[str, Any]) -> dict[str, Any]:
    materials = [{key: value for key, value in material.items() if key not in _FILE_FIELDS}
                 if isinstance(material, dict) else material
                 for material in data.get("materials") or []]
    return {**data, "materials": materials}


def _stored_file(session: Session, item: ServiceItem, reference: FileRef) -> int:
    data = reference.path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    existing = session.scalars(select(ServiceItemFile).where(
        ServiceItemFile.item_id == item.id, ServiceItemFile.sha256 == digest,
        ServiceItemFile.original_name == reference.name)).first()
    if existing is not None:
        return existing.id
    return save_file(session, item, data, reference.name, actor=None, origin=COMMAND_LINE).id


def import_items(directory: Path, origin: Origin = COMMAND_LINE) -> ImportReport:
    """Import ``DIRECTORY/service_items.yaml`` in one unit of work."""
    entries = read_entries(directory)
    report = ImportReport()
    by_code = {agency.code: agency for agency in agencies.all_agencies()}
    with unit_of_work() as session:
        for entry in entries:
            item = session.scalars(select(ServiceItem).where(
                ServiceItem.code == entry.code)).one_or_none()
            created = item is None
            base = ItemGuide.from_dict(_without_files(entry.data)).to_dict()
            if item is None:
                item, revision = revisions.create_record(
                    session, ITEMS, agency=by_code[entry.agency_code], code=entry.code,
                    content=base, actor=None, origin=origin, note="由 content/ 导入")
            elif item.agency_id != by_code[entry.agency_code].id:
                raise ContentError([f"{FILE_NAME} 事项 {entry.code}：该编码已属于"
                                    f"{item.agency.name}的事项"])
            guide = ItemGuide.from_dict(base)
            if entry.files:
                materials = [dict(material) for material in base["materials"]]
                for (position, name), reference in entry.files.items():
                    materials[position][name] = _stored_file(session, item, reference)
                guide = ItemGuide.from_dict({**base, "materials": materials})
            content = guide.to_dict()
            live = revisions.live_revision(session, ITEMS, item)
            if not created and live is not None and live.content == content \
                    and item.is_public:
                report.unchanged += 1
                continue
            revision = revisions.save_draft(session, ITEMS, item, content=content, actor=None,
                                            origin=origin, expected_version=None,
                                            note="由 content/ 导入")
            revisions.publish_directly(session, ITEMS, item, revision, origin=origin)
            (report.created if created else report.updated).append(entry.code)
    return report
