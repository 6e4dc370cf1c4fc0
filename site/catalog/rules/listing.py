"""Query parameters of public lists (column pages, the API): parsed and checked, no Flask, no DB.

Every bad value gets a Chinese message naming the parameter, so a page can show it beside
the field and the API can return it with a 400, never a 500.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from opengov.site.catalog.rules.metadata import Validity, is_valid_topic

#: The years a 发布日期 can plausibly fall in; outside it a year filter is a typo.
FIRST_YEAR = 1949
LAST_YEAR = 2100
#: The largest page the API serves, so one request cannot pull the whole catalog.
MAX_PAGE_SIZE = 100
#: Deeper pages are refused: nobody pages that far and OFFSET grows linearly.
MAX_PAGE = 10_000

FILTER_LABELS = {
    "column": "栏目",
    "agency": "发布机构",
    "year": "年份",
    "topic": "主题分类",
    "validity": "有效性",
    "page": "页码",
    "size": "每页条数",
}


@dataclass(frozen=True)
class DocumentFilters:
    """What a public list is narrowed to; ``None`` means no narrowing."""

    column: str | None = None  # category slug; includes its sub-columns
    agency: str | None = None  # agency code
    year: int | None = None  # year of 发布日期
    topic: str | None = None  # 主题分类, ``top`` or ``top\\child``
    validity: Validity | None = None

    def as_args(self) -> dict[str, str]:
        """The filters as query parameters (for pagination links and feeds)."""
        args: dict[str, str] = {}
        if self.column:
            args["column"] = self.column
        if self.agency:
            args["agency"] = self.agency
        if self.year is not None:
            args["year"] = str(self.year)
        if self.topic:
            args["topic"] = self.topic
        if self.validity is not None:
            args["validity"] = self.validity.value
        return args


@dataclass
class ListingQuery:
    """Filters plus the page asked for, and the messages of every bad parameter."""

    filters: DocumentFilters = field(default_factory=DocumentFilters)
    page: int = 1
    size: int = 20
    errors: dict[str, str] = field(default_factory=dict)


def _parse_int(raw: str, name: str, low: int, high: int, errors: dict[str, str]) -> int | None:
    label = FILTER_LABELS[name]
    text = raw.strip()
    digits = text[1:] if text.startswith("-") else text
    if not digits.isdigit() or not digits.isascii():
        errors[name] = f"{label}应为数字，收到“{raw[:20]}”。"
        return None
    if len(digits) > 12:  # far beyond any range below: no need to read it
        errors[name] = f"{label}应在 {low} 至 {high} 之间，收到的数字过大。"
        return None
    value = int(text)
    if not low <= value <= high:
        errors[name] = f"{label}应在 {low} 至 {high} 之间，收到 {value}。"
        return None
    return value


def parse_listing(args: Mapping[str, str], *, default_size: int,
                  allow_size: bool = False) -> ListingQuery:
    """Read ``column, agency, year, topic, validity, page`` (and ``size`` when allowed) from
    query parameters. Empty values mean "no filter"; unknown parameters are ignored."""
    errors: dict[str, str] = {}

    def text(name: str) -> str | None:
        value = (args.get(name) or "").strip()
        return value or None

    column = text("column")
    if column is not None and (len(column) > 40 or not column.replace("-", "").isalnum()
                               or not column.isascii()):
        errors["column"] = f"栏目代码“{column[:20]}”无效。"
        column = None
    agency = text("agency")
    if agency is not None and (len(agency) > 40 or not agency.isascii()):
        errors["agency"] = f"发布机构代码“{agency[:20]}”无效。"
        agency = None

    year = None
    raw_year = text("year")
    if raw_year is not None:
        year = _parse_int(raw_year, "year", FIRST_YEAR, LAST_YEAR, errors)

    topic = text("topic")
    if topic is not None and not is_valid_topic(topic):
        errors["topic"] = f"主题分类“{topic[:30]}”不在主题分类表中。"
        topic = None

    validity = None
    raw_validity = text("validity")
    if raw_validity is not None:
        try:
            validity = Validity(raw_validity)
        except ValueError:
            allowed = "、".join(member.value for member in Validity)
            errors["validity"] = f"有效性应为{allowed}之一，收到“{raw_validity[:10]}”。"

    page = 1
    raw_page = text("page")
    if raw_page is not None:
        page = _parse_int(raw_page, "page", 1, MAX_PAGE, errors) or 1

    size = default_size
    raw_size = text("size")
    if allow_size and raw_size is not None:
        size = _parse_int(raw_size, "size", 1, MAX_PAGE_SIZE, errors) or default_size

    filters = DocumentFilters(column=column, agency=agency, year=year, topic=topic,
                              validity=validity)
    return ListingQuery(filters=filters, page=page, size=size, errors=errors)


def page_count(total: int, size: int) -> int:
    """Number of pages for ``total`` items; an empty list still has its one (empty) page."""
    return max(1, -(-total // size))
