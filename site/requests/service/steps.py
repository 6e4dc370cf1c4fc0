"""The workflow policy of a request: which step issues which letter (告知书) and which e-mail
notice, whoever records it — a handler's page, the applicant's page, a command or the API.

:func:`take_step` is composable (inside the caller's unit of work) and queues the step's notice
in the mail outbox in that same transaction: no message goes out for a step that was rolled
back, and no mail server is waited for inside a request (the mail worker sends it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.requests.models import InfoRequest, RequestLetter
from opengov.site.requests.rules.clock import EventKind, RequestState
from opengov.site.requests.rules.outcomes import Outcome
from opengov.site.requests.service import handling
from opengov.site.requests.service import letters as letter_service
from opengov.site.requests.service.notifications import notify_applicant

#: Steps that issue a letter to the applicant, and its kind (``templates/letters/<kind>.txt``).
LETTER_KINDS: dict[EventKind, str] = {
    EventKind.CORRECTION_REQUESTED: "correction",
    EventKind.EXTENDED: "extension",
    EventKind.FEE_NOTICE: "fee",
    EventKind.SIGNED_OFF: "reply",
}
#: Steps the applicant is told of by e-mail, and the notice (a key of ``APPLICANT_NOTICES``).
NOTICES: dict[EventKind, str] = {
    EventKind.CONFIRMED: "confirmed",
    EventKind.CORRECTION_REQUESTED: "correction_requested",
    EventKind.EXTENDED: "extended",
    EventKind.REPLIED: "replied",
}


@dataclass(frozen=True)
class Recorded:
    """A step as recorded, with what it issued."""

    request: InfoRequest
    kind: EventKind
    state: RequestState
    letter: RequestLetter | None
    #: The e-mail notice queued with the step, if any.
    notice: str | None


def take_step(session: Session, request: InfoRequest, kind: EventKind, on: dt.date,
              data: Mapping[str, Any] | None = None, *, actor: User | None = None,
              note: str = "") -> Recorded:
    """Record the step (``TransitionError`` when the law does not allow it now) and issue
    the letter it calls for, dated ``on``; queue the applicant's notice of it."""
    values = dict(data or {})
    state = handling.record(session, request, kind, on, values, actor=actor, note=note)
    letter = None
    if kind in LETTER_KINDS:
        letter_kind = LETTER_KINDS[kind]
        letter = letter_service.issue(session, request, letter_kind, on,
                                      _letter_body(request, letter_kind, values, state))
    notice = NOTICES.get(kind)
    if notice is not None:
        notify_applicant(session, request, notice)
    return Recorded(request, kind, state, letter, notice)


def _letter_body(request: InfoRequest, letter_kind: str, data: Mapping[str, Any],
                 state: RequestState) -> str:
    """The letter's text from the step's details (a reply from the decision it delivers)."""
    if letter_kind == "reply":
        decision = next(event for event in reversed(request.events)
                        if event.kind == EventKind.DECIDED.value)
        return letter_service.compose(
            request, "reply", outcome=Outcome(decision.data["outcome"]),
            detail=decision.data.get("detail") or "",
            other_body=decision.data.get("other_body") or "")
    if letter_kind == "correction":
        return letter_service.compose(request, "correction", detail=data.get("matters") or "",
                                      deadline=state.correction_deadline)
    if letter_kind == "extension":
        return letter_service.compose(request, "extension", detail=data.get("reason") or "",
                                      deadline=state.due.date if state.due else None)
    return letter_service.compose(request, "fee", detail=data.get("amount") or "")


def filing_notice(request: InfoRequest) -> str | None:
    """The notice due when a request is filed: 已登记 once its receipt date is fixed (in
    person, signed for, or confirmed at once), as when the confirmation is recorded later."""
    return NOTICES[EventKind.CONFIRMED] if request.receipt_date is not None else None


def queue_filing_notice(session: Session, request: InfoRequest) -> bool:
    """Queue the notice due when ``request`` was filed (:func:`filing_notice`), in the
    filing's unit of work."""
    notice = filing_notice(request)
    return notice is not None and notify_applicant(session, request, notice)
