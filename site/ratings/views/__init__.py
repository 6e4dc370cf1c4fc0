"""Pages of 好差评: rating an item or a closed request, the public figures, and the staff
queue of follow-ups."""

from __future__ import annotations

from opengov.site.ratings.views import public, staff

__all__ = ["public", "staff"]
