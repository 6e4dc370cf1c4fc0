"""Pages of search: the search page, the API, staff synonyms."""

from opengov.site.search.views import api, public, synonyms

__all__ = ["api", "public", "synonyms"]
