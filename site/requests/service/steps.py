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
from opengov.site.requests.models import InfoRequest, RequestEvent, RequestLetter
from opengov.site.requests.rules.applicant import Delivery
from opengov.site.requests.rules.clock import EventKind, RequestState, TransitionError
from opengov.site.requests.rules.outcomes import Outcome, Reply, reply_for
from opengov.site.requests.service import delivery, handling, signing
from opengov.site.requests.service import letters as letter_service
from opengov.site.requests.service.notifications import MailAttachment, notify_applicant

#: Steps that issue a letter to the applicant, and its kind (``templates/letters/<kind>.txt``).
LETTER_KINDS: dict[EventKind, str] = {
    EventKind.CORRECTION_REQUESTED: "correction",
    EventKind.EXTENDED: "extension",
    EventKind.FEE_NOTICE: "fee",
    EventKind.SIGNED_OFF: "reply",
    EventKind.CORRECTION_LAPSED: "lapse",
    EventKind.FEE_LAPSED: "lapse",
}
#: Steps the applicant is told of by e-mail, and the notice (a key of ``APPLICANT_NOTICES``).
NOTICES: dict[EventKind, str] = {
    EventKind.CONFIRMED: "confirmed",
    EventKind.CORRECTION_REQUESTED: "correction_requested",
    EventKind.EXTENDED: "extended",
    EventKind.REPLIED: "replied",
    EventKind.CORRECTION_LAPSED: "lapsed",
    EventKind.FEE_LAPSED: "lapsed",
}

#: Ways of delivery in which the released files must be in the system before sign-off: the
#: applicant gets them from the status page or by e-mail.
ELECTRONIC_DELIVERIES = frozenset({Delivery.EMAIL.value, Delivery.ONLINE.value})


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
    if kind is EventKind.SIGNED_OFF:
        _check_sign_off(session, request, actor)
    state = handling.record(session, request, kind, on, values, actor=actor, note=note)
    letter = None
    if kind in LETTER_KINDS:
        letter_kind = LETTER_KINDS[kind]
        enclosures = ([released.filename for released in request.released_files]
                      if letter_kind == "reply" else [])
        letter = letter_service.issue(session, request, letter_kind, on,
                                      _letter_body(request, letter_kind, values, state),
                                      enclosures=enclosures)
    notice = NOTICES.get(kind)
    if notice is not None:
        queue_notice(session, request, notice)
    return Recorded(request, kind, state, letter, notice)


def latest_decision(request: InfoRequest) -> RequestEvent | None:
    """The decision a sign-off would deliver: the last one recorded."""
    return next((event for event in reversed(request.events)
                 if event.kind == EventKind.DECIDED.value), None)


def decision_reply(decision: RequestEvent) -> Reply:
    return reply_for(Outcome(decision.data["outcome"]), str(decision.data.get("reply") or ""))


def _check_sign_off(session: Session, request: InfoRequest, actor: User | None) -> None:
    """Two people sign (签发): the one who decided may not sign off too, unless the agency
    allows it (:func:`.signing.decider_may_sign`); the files an electronic delivery needs
    must be attached first."""
    decision = latest_decision(request)
    if decision is None:
        return  # the domain refuses a sign-off without a decision
    if (actor is not None and decision.actor_id == actor.id
            and not signing.decider_may_sign(session, request.agency_id)):
        raise TransitionError("作出处理决定的人不能签发同一答复书：请由另一位有权签发的工作人员签发"
                              "（小型机关可由管理员在“依申请公开办理设置”中允许同一人签发）。")
    reply = decision_reply(decision)
    if (reply.releases_files and request.delivery in ELECTRONIC_DELIVERIES
            and not request.released_files):
        raise TransitionError(f"申请人选择“{request.delivery}”：请先在“提供的政府信息”中附上"
                              "要提供的文件，再签发答复书。")


def _letter_body(request: InfoRequest, letter_kind: str, data: Mapping[str, Any],
                 state: RequestState) -> str:
    """The letter's text from the step's details (a reply from the decision it delivers)."""
    if letter_kind == "reply":
        decision = latest_decision(request)
        assert decision is not None
        return letter_service.compose(
            request, "reply", reply=decision_reply(decision),
            detail=decision.data.get("detail") or "",
            other_body=decision.data.get("other_body") or "",
            releases=[released.filename for released in request.released_files])
    if letter_kind == "lapse":
        assert state.outcome is not None
        return letter_service.compose(request, "lapse", reply=reply_for(state.outcome))
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
    return notice is not None and queue_notice(session, request, notice)


def queue_notice(session: Session, request: InfoRequest, notice: str) -> bool:
    """Queue ``notice`` to the applicant in the step's unit of work. The reply goes with its
    letter and, when the applicant chose e-mail, with the released files (their sending is
    logged like a download, when queued: the mail worker delivers or lists it as failed)."""
    if notice != NOTICES[EventKind.REPLIED]:
        return notify_applicant(session, request, notice)
    session.flush()
    attachments = [MailAttachment(pdf.filename, "application/pdf", pdf.content)
                   for pdf in (letter_service.letter_pdf(letter) for letter in request.letters
                               if letter.kind == "reply")][-1:]
    by_mail = request.delivery == Delivery.EMAIL.value and bool(request.released_files)
    if by_mail:
        attachments += [MailAttachment(item.filename, item.content_type, item.content)
                        for item in delivery.files_for_mail(request)]
    queued = notify_applicant(session, request, notice, attachments, files_attached=by_mail)
    if queued and by_mail:
        delivery.log_mailed(request.id)  # joins this unit of work
    return queued
