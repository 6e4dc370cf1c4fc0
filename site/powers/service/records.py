"""Powers as revisioned records: their :class:`RecordBook` for the review workflow."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from opengov.site.powers.models import Power, PowerEvent, PowerRevision
from opengov.site.powers.rules import PowerContent, describe
from opengov.site.service_items.service.revisions import RecordBook

#: The search index kind (and audit object type) of powers.
KIND = "power"


def _publish_columns(_session: Session, power: Power, content: dict[str, Any]) -> None:
    found = PowerContent.from_dict(content)
    power.power_type = found.power_type.value
    power.service_item_code = found.service_item_code


def _describe(content: dict[str, Any]) -> list[str]:
    return describe(PowerContent.from_dict(content))


def _name_of(content: dict[str, Any]) -> str:
    return str(content.get("name", ""))


POWERS: RecordBook[Power, PowerRevision, PowerEvent] = RecordBook(
    record=Power, revision=PowerRevision, event=PowerEvent, noun="权力事项", kind=KIND,
    publish_columns=_publish_columns, describe=_describe, name_of=_name_of)
