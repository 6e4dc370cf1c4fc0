"""Pages of the 权力清单: the public list, a power with its 裁量基准, the download, the API
and the staff editor and review."""

from __future__ import annotations

from opengov.site.powers.views import api, public, staff

__all__ = ["api", "public", "staff"]
