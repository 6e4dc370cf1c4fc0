"""Pages of 预决算公开: public pages, staff upload, the API; the government's own reports."""

from opengov.site.fiscal.views import (
    api,
    government,
    government_api,
    government_staff,
    public,
    staff,
)

__all__ = ["api", "government", "government_api", "government_staff", "public", "staff"]
