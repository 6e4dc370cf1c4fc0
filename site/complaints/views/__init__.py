"""Pages of 举报投诉: the complaint form and status, and staff handling."""

from opengov.site.complaints.views import public, staff

__all__ = ["public", "staff"]
