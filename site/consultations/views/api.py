"""征求意见 as JSON: ``GET /api/v1/consultations`` and ``/api/v1/consultations/<id>`` with the
published comments and the feedback, and the 互动交流 figures. Complaints are never public
except as counts; commenters never appear."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from opengov.site import clock
from opengov.site.consultations.rules import MAX_PAGE_SIZE, parse_list_query
from opengov.site.consultations.service import public as service
from opengov.site.consultations.service import statistics
from opengov.site.consultations.views.public import CONSULTATION_ID
from opengov.site.consultations.views.statistics import parse_year
from opengov.site.rendering import render_markdown
from opengov.site.web.api import bp, page_links, with_page_links
from opengov.site.web.errors import problem


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _summary(listed: Any) -> dict[str, Any]:
    consultation = listed.consultation
    return {
        "id": consultation.id,
        "title": consultation.title,
        "summary": consultation.summary,
        "kind": consultation.kind,
        "agency": {"code": consultation.agency.code, "name": consultation.agency.name},
        "opens_on": _date(consultation.document.published_on or consultation.opens_on),
        "closes_on": _date(consultation.closes_on),
        "phase": listed.phase.value,
        "accepting_comments": listed.phase.value == "征求意见中",
        "comments_received": listed.received,
        "feedback_published_on": _date(consultation.feedback_published_on),
        "example": consultation.is_example,
        "url": url_for("public.consultation", consultation_id=consultation.id, _external=True),
        "api_url": url_for("api.consultation", consultation_id=consultation.id, _external=True),
        "document_url": url_for("public.document", document_id=consultation.document_id,
                                _external=True),
    }


def _bad_request(errors: dict[str, str]) -> ResponseReturnValue:
    return problem(400, "；".join(errors.values()), invalid_params=errors)


@bp.get("/consultations")
def consultations() -> ResponseReturnValue:
    """``?status=open|closed|feedback&agency=&page=&size=`` (size at most 100)."""
    query = parse_list_query(request.args, default_size=current_app.config["PAGE_SIZE"],
                             allow_size=True)
    if query.errors:
        return _bad_request(dict(query.errors))
    page = service.listing(query)
    links = page_links("api.consultations", page.page, page.pages,
                       status=query.status.value, agency=query.agency,
                       size=request.args.get("size"))
    return with_page_links(jsonify({
        "total": page.total, "page": page.page, "size": page.size, "pages": page.pages,
        "max_size": MAX_PAGE_SIZE, "links": links,
        "results": [_summary(item) for item in page.items],
    }), links)


@bp.get(f"/consultations/{CONSULTATION_ID}")
def consultation(consultation_id: int) -> ResponseReturnValue:
    view = service.detail(consultation_id, all_comments=True)
    found = view.consultation
    data = _summary(service.Listed(found, view.phase, view.days_left, view.received))
    data.update({
        "kind_label": view.kind.label,
        "minimum_period": {"length": view.kind.minimum, "unit": view.kind.unit.value,
                           "basis": view.kind.basis},
        "period": {"length": view.period, "unit": view.kind.unit.value,
                   "shortened": view.shortened, "shortened_reason": found.shortened_reason,
                   "extension_note": found.extension_note},
        "draft_markdown": found.draft_text,
        "draft_html": str(render_markdown(found.draft_text)),
        "explanation_markdown": found.explanation,
        "legal_basis": found.legal_basis,
        "how_to_comment": found.how_to_comment,
        "contact": found.contact,
        "publishes_comments": found.publishes_comments,
        "comments": [{"number": comment.serial,
                      "received_on": clock.to_beijing(comment.received_at).date().isoformat(),
                      "text": comment.public_text} for comment in view.comments],
        "feedback": None if view.counts is None else {
            "published_on": _date(found.feedback_published_on),
            "summary": found.feedback_summary,
            "counts": {"valid": view.counts.valid, "adopted": view.counts.adopted,
                       "partly_adopted": view.counts.partly,
                       "not_adopted": view.counts.not_adopted},
            "groups": [{"position": group.position, "summary": group.summary,
                        "decision": group.decision, "reason": group.reason,
                        "comment_numbers": group.serials} for group in view.groups],
        },
        "decision": None if not found.decision_title else {
            "title": found.decision_title,
            "url": (url_for("public.document", document_id=found.decision_document_id,
                            _external=True) if found.decision_document_id
                    else found.decision_url),
            "linked_on": _date(found.decision_linked_on),
        },
    })
    return jsonify(data)


@bp.get("/participation/statistics")
def participation_statistics() -> ResponseReturnValue:
    """``?year=``: per agency, consultations, comments, adoption, complaints (counts only)."""
    page = statistics.participation(parse_year(request.args.get("year", "")))

    def figures(item: statistics.ParticipationFigures) -> dict[str, Any]:
        complaints = item.complaints
        return {
            "consultations": item.consultations, "with_feedback": item.with_feedback,
            "comments_received": item.comments, "comments_considered": item.considered,
            "comments_adopted": item.adopted, "comments_partly_adopted": item.partly,
            "complaints_received": complaints.received, "complaints_answered": complaints.answered,
            "complaints_answered_on_time": complaints.answered_on_time,
            "complaints_open": complaints.open, "complaints_withdrawn": complaints.withdrawn,
        }

    return jsonify({
        "year": page.year, "years": page.years, "min_for_rate": page.min_for_rate,
        "agencies": [{"code": agency.code, "name": agency.name, **figures(item)}
                     for agency, item in page.rows],
        "total": figures(page.total),
    })
