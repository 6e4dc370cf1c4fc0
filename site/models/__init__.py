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
from opengov.site.models.staff import (  # noqa: E402
    AuditEntry,
    DocumentAutosave,
    DocumentVersion,
    DocumentWorkflow,
    LoginFailure,
    StaffSession,
    WorkflowEvent,
)

__all__ += ["AuditEntry", "DocumentAutosave", "DocumentVersion", "DocumentWorkflow",
            "LoginFailure", "StaffSession", "WorkflowEvent"]
from opengov.site.models.annual_report import AnnualReport, ReviewCase  # noqa: E402

__all__ += ["AnnualReport", "ReviewCase"]
from opengov.site.models.fiscal import (  # noqa: E402
    FiscalDisclosure,
    FiscalRow,
    FiscalTable,
    SangongLine,
    SangongReference,
)

__all__ += ["FiscalDisclosure", "FiscalRow", "FiscalTable", "SangongLine", "SangongReference"]
from opengov.site.models.requests import (  # noqa: E402
    CalendarOverride,
    CalendarYear,
    InfoRequest,
    RateLimitHit,
    RequestEvent,
    RequestLetter,
    RequestSerial,
)

__all__ += ["CalendarOverride", "CalendarYear", "InfoRequest", "RateLimitHit", "RequestEvent",
            "RequestLetter", "RequestSerial"]
from opengov.site.models.search_terms import QueryStat, Synonym  # noqa: E402

__all__ += ["QueryStat", "Synonym"]
