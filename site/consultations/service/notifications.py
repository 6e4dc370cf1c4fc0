"""E-mail to commenters when the 意见采纳情况 is published, through the site's one mail path
(the requests feature's ``send_mail``). Each address is written to once, with the numbers of
its comments; addresses are decrypted only to send and never logged."""

from __future__ import annotations

import logging

from flask import has_request_context, render_template, request
from sqlalchemy.orm import Session

from opengov.site.consultations.models import Consultation
from opengov.site.consultations.rules import VALID_STATUSES, CommentStatus
from opengov.site.consultations.service import documents
from opengov.site.personal_data import get_cipher
from opengov.site.requests.service.notifications import send_mail

log = logging.getLogger(__name__)


def notify_commenters(session: Session, consultation: Consultation) -> int:
    """Tell every commenter who left an e-mail address that the feedback is published;
    returns how many messages went out."""
    del session  # the comments come with the consultation
    cipher = get_cipher()
    serials: dict[str, list[int]] = {}
    for comment in consultation.comments:
        if CommentStatus(comment.status) not in VALID_STATUSES or not comment.email_enc:
            continue
        address = cipher.decrypt(comment.email_enc)
        if address:
            serials.setdefault(address, []).append(comment.serial)
    path = documents.page_path(consultation)
    page_url = request.host_url.rstrip("/") + path if has_request_context() else path
    sent = 0
    for address, numbers in serials.items():
        body = render_template("email/consultation_feedback.txt", consultation=consultation,
                               serials=numbers, page_url=page_url)
        sent += send_mail(address, f"意见采纳情况已公布：{consultation.title[:40]}", body)
    log.info("consultation %s: feedback notices %d of %d sent", consultation.id, sent,
             len(serials))
    return sent
