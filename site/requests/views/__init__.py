"""Pages of 依申请公开: the request form and status, staff handling, statistics."""

from opengov.site.requests.views import public, staff, statistics

__all__ = ["public", "staff", "statistics"]
