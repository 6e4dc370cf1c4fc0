"""Service items as revisioned records: the :class:`~.revisions.RecordBook` of the workflow,
what publishing copies onto an item, and the lines versions are compared by."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from opengov.site.service_items.models import (
    ServiceItem,
    ServiceItemEvent,
    ServiceItemRevision,
    ServiceItemTheme,
)
from opengov.site.service_items.rules.guide import ItemGuide, Target, format_basis
from opengov.site.service_items.service.revisions import RecordBook

#: The search index kind (and audit object type) of service items.
KIND = "service_item"


def _publish_columns(session: Session, item: ServiceItem, content: dict[str, Any]) -> None:
    guide = ItemGuide.from_dict(content)
    item.item_type = guide.item_type.value
    item.for_persons = Target.PERSON in guide.targets
    item.for_organisations = Target.ORGANISATION in guide.targets
    item.promised_limit_days = guide.promised_limit_days
    item.visits = guide.visits
    item.aliases = "、".join(guide.aliases)[:500]
    wanted = list(dict.fromkeys(guide.themes))
    if item.theme_names != sorted(wanted):
        item.themes = [ServiceItemTheme(theme=theme) for theme in wanted]


def describe(content: dict[str, Any]) -> list[str]:
    """The guide as ``label：value`` lines, materials and steps one a line."""
    guide = ItemGuide.from_dict(content)
    lines = [
        f"事项名称：{guide.name}",
        f"事项类型：{guide.item_type.value}",
        f"服务对象：{guide.targets_label}",
        f"主题分类：{'、'.join(guide.themes)}",
        f"承办机构：{guide.handling_unit}",
        f"事项概述：{guide.summary}",
        f"设定依据：{format_basis(guide.basis)}",
        f"受理条件：{guide.conditions}",
    ]
    lines += [f"申请材料{index}：{m.name}（{m.copies}份，{m.form.value}，{m.medium.value}，"
              f"{m.source}，{m.necessity.value}）{m.note}"
              + (f" 空白表格#{m.blank_form}" if m.blank_form else "")
              + (f" 示例样表#{m.sample}" if m.sample else "")
              for index, m in enumerate(guide.materials, start=1)]
    lines += [f"办理流程{index}：{step.name}：{step.description}"
              for index, step in enumerate(guide.steps, start=1)]
    lines += [
        f"法定办结时限：{guide.legal_label}",
        f"承诺办结时限：{guide.promised_label}",
        f"时限说明：{guide.limit_note}",
        f"是否收费：{'是' if guide.charged else '否'}",
        f"收费标准：{guide.fee_standard}",
        f"收费依据：{guide.fee_basis}",
        f"到办事现场次数：{guide.visits_label}",
        f"办理地点：{guide.location}",
        f"办理时间：{guide.hours}",
        f"咨询电话：{guide.phone}",
        f"网上办理：{guide.online_depth.value} {guide.online_url}",
        f"办理结果：{guide.result_name}",
        f"送达方式：{guide.delivery}",
        f"咨询方式：{guide.consult}",
        f"监督投诉方式：{guide.complaint}",
        f"常用名称：{'、'.join(guide.aliases)}",
    ]
    lines += [f"常见问题{index}：{q.question} —— {q.answer}"
              for index, q in enumerate(guide.faq, start=1)]
    return lines


def _name_of(content: dict[str, Any]) -> str:
    return str(content.get("name", ""))


ITEMS: RecordBook[ServiceItem, ServiceItemRevision, ServiceItemEvent] = RecordBook(
    record=ServiceItem, revision=ServiceItemRevision, event=ServiceItemEvent, noun="事项",
    kind=KIND, publish_columns=_publish_columns, describe=describe, name_of=_name_of)
