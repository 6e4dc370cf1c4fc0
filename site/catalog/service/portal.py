"""What the HTML 网站地图 lists: the live column tree and every agency's own pages."""

from __future__ import annotations

from dataclasses import dataclass

from opengov.site.agencies import service as agencies
from opengov.site.agencies.models import Agency
from opengov.site.catalog.service.public import ColumnNode, column_tree
from opengov.site.db import get_session


@dataclass(frozen=True)
class SiteMapPage:
    tree: list[ColumnNode]
    agencies: list[Agency]


def site_map_page() -> SiteMapPage:
    """The columns in use (retired ones are gone from the map) and the agencies."""
    return SiteMapPage(column_tree(get_session()), agencies.all_agencies())
