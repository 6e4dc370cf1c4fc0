"""Page types the hardening's checkers (Nu, the CSP in a browser) visit beyond the catalog's:
those of the features that came with issues 12, 14, 15 and 17, on the site as
``tests.architecture.test_routes.populated`` sets it up (demo consultations, service items,
powers, the government's budgets)."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

PUBLIC_PAGES = ["/service-items", "/powers", "/ratings", "/consultations",
                "/participation/statistics", "/complaints/new", "/complaints/status",
                "/requests/code", "/requests/rating", "/fiscal/government/"]
STAFF_PAGES = ["/staff/consultations", "/staff/consultations/new", "/staff/complaints",
               "/staff/complaints/new", "/staff/service-items", "/staff/service-items/new",
               "/staff/service-items/review", "/staff/service-items/import", "/staff/powers",
               "/staff/powers/new", "/staff/powers/review", "/staff/ratings", "/staff/mail",
               "/staff/requests/proactive", "/staff/requests/signing",
               "/staff/fiscal/government/import"]
#: A list page and the pattern of the detail pages it links to.
DETAILS = [("/consultations", r"/consultations/\d+"), ("/service-items", r"/service-items/\d+"),
           ("/powers", r"/powers/\d+"), ("/fiscal/government/", r"/fiscal/government/\d+/")]


def detail_pages(client: FlaskClient) -> list[str]:
    """The first detail page each list links to."""
    found = []
    for listing, pattern in DETAILS:
        html = client.get(listing).get_data(as_text=True)
        match = re.search(f'href="({pattern})"', html)
        assert match, f"{listing} links to no {pattern}"
        found.append(match.group(1))
    return found
