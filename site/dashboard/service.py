"""What the staff home page shows, gathered from the features that own it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from opengov.site.accounts.service import users as accounts
from opengov.site.catalog.service import editorial

if TYPE_CHECKING:
    from opengov.site.accounts.models import StaffSession, User
    from opengov.site.catalog.models import Document


@dataclass(frozen=True)
class StaffHome:
    """The signed-in person's 工作台."""

    #: Documents per workflow status, of the documents the person may see.
    counts: dict[str, int]
    #: The person's own drafts, most recently changed first.
    drafts: list[Document]
    #: The person's sign-ins that are still valid, newest first.
    sessions: list[StaffSession]


def staff_home(actor: User) -> StaffHome:
    """The 工作台 of ``actor`` (reads only)."""
    return StaffHome(counts=editorial.status_counts(actor),
                     drafts=editorial.recent_drafts(actor),
                     sessions=accounts.live_sessions(actor.id))
