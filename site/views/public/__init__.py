"""Public pages: read-only catalog pages, search, the request form and request status.

Route modules register on ``bp``; each audience's modules are imported at the bottom.
"""

from flask import Blueprint

bp = Blueprint("public", __name__)

import opengov.site.views.public.search  # noqa: E402, F401
from opengov.site.views.public import pages  # noqa: E402, F401
