"""Rules about agencies that need no database."""

#: The 索引号 of a document: the agency's 组织机构代码, the year and a serial (rules.md §3.5).
DEFAULT_INDEX_TEMPLATE = "{org_code}/{year}-{serial:05d}"
