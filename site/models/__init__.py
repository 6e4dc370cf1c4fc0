"""SQLAlchemy models. Importing this package registers every table on ``Base.metadata``."""

from opengov.site.models.content import (
    Agency,
    Attachment,
    Category,
    Document,
    IndexSerial,
    interpretation_links,
)

__all__ = [
    "Agency",
    "Attachment",
    "Category",
    "Document",
    "IndexSerial",
    "interpretation_links",
]
from opengov.site.models.accounts import User

__all__ += ["User"]
from opengov.site.models.search import SearchOutbox  # noqa: E402

__all__ += ["SearchOutbox"]
from opengov.site.models.search_terms import QueryStat, Synonym  # noqa: E402

__all__ += ["QueryStat", "Synonym"]
