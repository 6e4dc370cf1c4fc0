"""The 权力清单 (rules.md §8.3): every 行政职权 of an agency by type, with its legal basis, the
responsibilities it carries, the circumstances in which officials are held accountable, how it
is exercised, and — for 行政处罚 — the 裁量基准 table (中办发〔2011〕22号 §5: 公开“裁量范围、
种类和幅度”). Plain data and its checks; no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from typing import Any

from opengov.site.service_items.rules.guide import (
    FieldProblem,
    LegalBasis,
    Step,
    format_basis,
    plain,
)


class PowerType(StrEnum):
    """权力类型 (rules.md §8.3, confirm)."""

    LICENSING = "行政许可"
    PENALTY = "行政处罚"
    COERCION = "行政强制"
    LEVY = "行政征收"
    PAYMENT = "行政给付"
    INSPECTION = "行政检查"
    CONFIRMATION = "行政确认"
    REWARD = "行政奖励"
    ADJUDICATION = "行政裁决"
    OTHER = "其他行政权力"


POWER_TYPES: tuple[str, ...] = tuple(power_type.value for power_type in PowerType)

#: 裁量阶次 of a 裁量基准, from leniency to severity (common practice, confirm): a province may
#: use 轻微 / 一般 / 严重 instead, so any of these is accepted.
DISCRETION_LEVELS: tuple[str, ...] = ("不予处罚", "减轻处罚", "从轻处罚", "一般", "从重处罚",
                                      "轻微", "较重", "严重")


@dataclass(frozen=True)
class DiscretionRule:
    """One row of a 裁量基准: for a violation and a circumstance, the kind and range of the
    penalty, with the article it rests on."""

    violation: str
    level: str
    circumstance: str
    penalty: str
    basis: str = ""


@dataclass(frozen=True)
class PowerContent:
    """Everything the 权力清单 says of one power, as of one version."""

    name: str
    power_type: PowerType
    basis: tuple[LegalBasis, ...] = ()
    #: 承办机构 inside the agency.
    handling_unit: str = ""
    #: 责任事项: what the agency must do when exercising the power.
    responsibilities: str = ""
    #: 追责情形: when officials are held accountable.
    accountability: str = ""
    #: 运行流程.
    process: tuple[Step, ...] = ()
    supervision_phone: str = ""
    #: The 事项编码 of the 办事指南 of this power (行政许可 and the like), if any.
    service_item_code: str = ""
    discretion: tuple[DiscretionRule, ...] = ()
    note: str = ""
    is_example: bool = False

    @property
    def has_discretion(self) -> bool:
        return bool(self.discretion)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form for a stored version."""
        data: dict[str, Any] = plain(asdict(self))
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PowerContent:
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, raw in data.items():
            if key not in known:
                continue
            if key == "power_type":
                values[key] = PowerType(raw)
            elif key == "basis":
                values[key] = tuple(LegalBasis(**item) for item in raw or ())
            elif key == "process":
                values[key] = tuple(Step(**item) for item in raw or ())
            elif key == "discretion":
                values[key] = tuple(DiscretionRule(**item) for item in raw or ())
            else:
                values[key] = raw
        return cls(**values)


def check_power(power: PowerContent) -> list[FieldProblem]:
    """Every rule ``power`` breaks; empty when it may be saved and published."""
    problems: list[FieldProblem] = []

    def refuse(name: str, message: str) -> None:
        problems.append(FieldProblem(name, message))

    if not power.name.strip():
        refuse("name", "请填写职权名称。")
    elif len(power.name) > 200:
        refuse("name", "职权名称不能超过200个字。")
    if not power.basis:
        refuse("basis", "请填写至少一项设定依据（法律法规名称和条款）。")
    for index, basis in enumerate(power.basis):
        if not basis.law.strip() or "《" in basis.law or "》" in basis.law:
            refuse(f"basis.{index}", "设定依据应写法律法规的名称（不带书名号）和条款。")
    if not power.responsibilities.strip():
        refuse("responsibilities", "请写明责任事项。")
    if not power.accountability.strip():
        refuse("accountability", "请写明追责情形。")
    if not power.process:
        refuse("process", "请写明运行流程（至少一个环节）。")
    if power.power_type is PowerType.PENALTY and not power.discretion:
        refuse("discretion", "行政处罚应公开裁量基准：请至少填写一行（违法行为、裁量阶次、适用情形、处罚种类和幅度）。")
    for index, rule in enumerate(power.discretion):
        missing = [label for label, value in (("违法行为", rule.violation),
                                              ("适用情形", rule.circumstance),
                                              ("处罚种类和幅度", rule.penalty)) if not value.strip()]
        if missing:
            refuse(f"discretion.{index}", f"裁量基准第{index + 1}行缺少{'、'.join(missing)}。")
        if rule.level not in DISCRETION_LEVELS:
            refuse(f"discretion.{index}",
                   f"裁量基准第{index + 1}行的裁量阶次应为{'、'.join(DISCRETION_LEVELS)}之一。")
    return problems


def describe(power: PowerContent) -> list[str]:
    """The power as ``label：value`` lines, for the diff between versions."""
    lines = [
        f"职权名称：{power.name}",
        f"权力类型：{power.power_type.value}",
        f"设定依据：{format_basis(power.basis)}",
        f"承办机构：{power.handling_unit}",
        f"责任事项：{power.responsibilities}",
        f"追责情形：{power.accountability}",
    ]
    lines += [f"运行流程{index}：{step.name}：{step.description}"
              for index, step in enumerate(power.process, start=1)]
    lines += [f"裁量基准{index}：{rule.violation}｜{rule.level}｜{rule.circumstance}｜"
              f"{rule.penalty}｜{rule.basis}" for index, rule in enumerate(power.discretion, start=1)]
    lines += [f"监督电话：{power.supervision_phone}",
              f"对应办事事项：{power.service_item_code}",
              f"备注：{power.note}"]
    return lines


def search_text(power: PowerContent) -> str:
    """The text the site search indexes for a power."""
    parts = [power.responsibilities, power.accountability]
    parts += [f"运行流程：{step.name}。{step.description}" for step in power.process]
    parts += [f"裁量基准：{rule.violation}。{rule.circumstance}：{rule.penalty}。"
              for rule in power.discretion]
    parts.append(power.note)
    return "\n".join(part for part in parts if part.strip())
