"""Parameters of the public lists of service items and powers (pages and API): parsed and
checked without Flask or a database; every bad value gets a Chinese message naming it."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from opengov.site.service_items.rules.guide import ALL_THEMES, ItemType, Target

MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000
MAX_QUERY = 50

#: ``target`` in URLs: 个人办事 / 法人办事.
TARGET_SLUGS: dict[str, Target] = {"person": Target.PERSON, "organisation": Target.ORGANISATION}

LABELS = {"agency": "实施主体", "type": "事项类型", "theme": "主题", "target": "服务对象",
          "q": "关键词", "page": "页码", "size": "每页条数"}


@dataclass(frozen=True)
class ListQuery:
    """What a list is narrowed to; ``None`` means no narrowing."""

    agency: str | None = None
    type: str | None = None
    theme: str | None = None
    target: str | None = None
    #: Words all of which the name (or a 常用名称) contains.
    q: str | None = None
    page: int = 1
    size: int = 20
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def words(self) -> list[str]:
        return (self.q or "").split()

    def as_args(self) -> dict[str, str]:
        """The filters as query parameters, for links to other pages of the list."""
        values = {"agency": self.agency, "type": self.type, "theme": self.theme,
                  "target": self.target, "q": self.q}
        return {key: value for key, value in values.items() if value}


def _int(raw: str, name: str, low: int, high: int, errors: dict[str, str]) -> int | None:
    text = raw.strip()
    if not text.isdigit() or not text.isascii():
        errors[name] = f"{LABELS[name]}应为数字，收到“{raw[:20]}”。"
        return None
    value = int(text)
    if not low <= value <= high:
        errors[name] = f"{LABELS[name]}应在 {low} 至 {high} 之间，收到 {value}。"
        return None
    return value


def parse_list_query(args: Mapping[str, str], *, types: Collection[str],
                     default_size: int, allow_size: bool = False,
                     themes: Collection[str] = ALL_THEMES,
                     with_targets: bool = True) -> ListQuery:
    """Read ``agency, type, theme, target, q, page`` (and ``size`` when allowed). ``types``
    are the values ``type`` may take (事项类型, or the 权力类型 of the powers list)."""
    errors: dict[str, str] = {}

    def text(name: str) -> str | None:
        value = " ".join((args.get(name) or "").split())
        return value or None

    agency = text("agency")
    if agency is not None and (len(agency) > 40 or not agency.isascii()):
        errors["agency"] = f"实施主体代码“{agency[:20]}”无效。"
        agency = None
    kind = text("type")
    if kind is not None and kind not in types:
        errors["type"] = f"类型应为{'、'.join(types)}之一，收到“{kind[:20]}”。"
        kind = None
    theme = text("theme")
    if theme is not None and theme not in themes:
        errors["theme"] = f"没有“{theme[:20]}”这个主题。"
        theme = None
    target = text("target") if with_targets else None
    if target is not None and target not in TARGET_SLUGS:
        errors["target"] = "服务对象应为 person（个人办事）或 organisation（法人办事）。"
        target = None
    q = text("q")
    if q is not None and len(q) > MAX_QUERY:
        errors["q"] = f"关键词不能超过{MAX_QUERY}个字。"
        q = None
    page = 1
    if (raw := text("page")) is not None:
        page = _int(raw, "page", 1, MAX_PAGE, errors) or 1
    size = default_size
    if allow_size and (raw := text("size")) is not None:
        size = _int(raw, "size", 1, MAX_PAGE_SIZE, errors) or default_size
    return ListQuery(agency=agency, type=kind, theme=theme, target=target, q=q, page=page,
                     size=size, errors=errors)


ITEM_TYPES: tuple[str, ...] = tuple(item_type.value for item_type in ItemType)
