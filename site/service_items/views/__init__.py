"""Pages of service items: the public 办事指南 directory and pages, the API, the staff editor,
review and import."""

from __future__ import annotations

from opengov.site.service_items.views import api, public, staff

__all__ = ["api", "public", "staff"]
