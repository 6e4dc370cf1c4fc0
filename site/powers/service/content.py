"""``opengov import-powers DIR``: the site's own 权力清单 from ``DIR/powers.yaml`` (the demo
content of ``content/``), idempotently and all or nothing, like the service items'."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from opengov.site.agencies import service as agencies
from opengov.site.audit.service import COMMAND_LINE, Origin
from opengov.site.db import unit_of_work
from opengov.site.exceptions import InvalidInputError
from opengov.site.powers.models import Power
from opengov.site.powers.rules import PowerContent, check_power
from opengov.site.powers.service.records import POWERS
from opengov.site.service_items.service import revisions

FILE_NAME = "powers.yaml"


class ContentError(InvalidInputError):
    """The file cannot be imported; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems[:5]))
        self.problems = problems


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    def lines(self) -> list[str]:
        return [f"权力清单：新增 {len(self.created)} 项，更新 {len(self.updated)} 项，"
                f"未变 {self.unchanged} 项。"]


def read_powers(directory: Path) -> list[tuple[str, str, PowerContent]]:
    """(code, agency code, content) of every power of ``DIRECTORY/powers.yaml``, checked;
    :class:`ContentError` naming every problem."""
    path = directory / FILE_NAME
    try:
        loaded: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError([f"{path}：无法读取（{exc}）"]) from exc
    if not isinstance(loaded, dict) or not isinstance(loaded.get("powers"), list):
        raise ContentError([f"{path}：应为以 powers: 开头的职权列表"])
    example = bool(loaded.get("example", False))
    known = {agency.code for agency in agencies.all_agencies()}
    problems: list[str] = []
    found: list[tuple[str, str, PowerContent]] = []
    seen: set[str] = set()
    for index, raw in enumerate(loaded["powers"], start=1):
        if not isinstance(raw, dict):
            problems.append(f"{FILE_NAME} 第{index}项：格式不正确")
            continue
        data = dict(raw)
        code = str(data.pop("code", "")).strip()
        agency_code = str(data.pop("agency", "")).strip()
        where = f"{FILE_NAME} 职权 {code or index}"
        if not code:
            problems.append(f"{where}：缺少 code（职权编码）")
        elif code in seen:
            problems.append(f"{where}：职权编码重复")
        seen.add(code)
        if agency_code not in known:
            problems.append(f"{where}：agency“{agency_code}”不是 agencies.yaml 中的机关代码")
        data.setdefault("is_example", example)
        try:
            content = PowerContent.from_dict(data)
        except (TypeError, ValueError) as exc:
            problems.append(f"{where}：{exc}")
            continue
        problems.extend(f"{where}（{problem.field}）：{problem.message}"
                        for problem in check_power(content))
        found.append((code, agency_code, content))
    if problems:
        raise ContentError(problems)
    return found


def import_powers(directory: Path, origin: Origin = COMMAND_LINE) -> ImportReport:
    """Import ``DIRECTORY/powers.yaml`` in one unit of work; changed powers get a new
    version, published at once (the operator's files are the reviewed source)."""
    found = read_powers(directory)
    report = ImportReport()
    by_code = {agency.code: agency for agency in agencies.all_agencies()}
    with unit_of_work() as session:
        for code, agency_code, power_content in found:
            content = power_content.to_dict()
            power = session.scalars(select(Power).where(Power.code == code)).one_or_none()
            created = power is None
            if power is None:
                power, _revision = revisions.create_record(
                    session, POWERS, agency=by_code[agency_code], code=code, content=content,
                    actor=None, origin=origin, note="由 content/ 导入")
            elif power.agency_id != by_code[agency_code].id:
                raise ContentError([f"{FILE_NAME} 职权 {code}：该编码已属于"
                                    f"{power.agency.name}的职权"])
            live = revisions.live_revision(session, POWERS, power)
            if not created and live is not None and live.content == content \
                    and power.is_public:
                report.unchanged += 1
                continue
            revision = revisions.save_draft(session, POWERS, power, content=content,
                                            actor=None, origin=origin, expected_version=None,
                                            note="由 content/ 导入")
            revisions.publish_directly(session, POWERS, power, revision, origin=origin)
            (report.created if created else report.updated).append(code)
    return report
