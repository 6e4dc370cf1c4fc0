"""Entry function of the daily command ``opengov consultations anonymise``: commenters' names
and contacts are kept no longer than COMMENT_RETENTION_YEARS after their consultation closed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app

from opengov.site.consultations.service import moderation
from opengov.site.db import unit_of_work


@dataclass(frozen=True)
class Anonymised:
    #: Comments whose name and contacts were erased.
    count: int
    #: The retention period applied (COMMENT_RETENTION_YEARS).
    years: int


def anonymise(today: dt.date) -> Anonymised:
    """Erase the names and contacts of comments on consultations closed longer ago than
    COMMENT_RETENTION_YEARS (:func:`.moderation.anonymise_commenters`)."""
    years = int(current_app.config["COMMENT_RETENTION_YEARS"])
    with unit_of_work() as session:
        return Anonymised(moderation.anonymise_commenters(session, today, years), years)
