"""Pages of 征求意见: the public list, page, comments and feed, the staff pages, the API and the
互动交流 statistics."""

from opengov.site.consultations.views import api, public, staff, statistics

__all__ = ["api", "public", "staff", "statistics"]
