"""Pages of search: the search page, the API, staff synonyms."""

from opengov.site.search.views import api, popular, public, synonyms

__all__ = ["api", "popular", "public", "synonyms"]
