"""Pages of 预决算公开: public pages, staff upload, the API."""

from opengov.site.fiscal.views import api, public, staff

__all__ = ["api", "public", "staff"]
