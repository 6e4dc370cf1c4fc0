"""热门搜索: which counted queries the public may see, and staff's say over them.

A query reaches the list only when all of these hold (rules.md §6.2 asks for 热点/热词; a
government site must not let one person publish text through it):

- at least ``POPULAR_SEARCH_MIN_VISITORS`` distinct visitors searched it in the last
  ``POPULAR_SEARCH_DAYS`` days (60 searches from one address count once);
- most of its searches found something;
- it looks like a search, not like contact details, a link or markup (digits run together
  after removing spaces and dashes — "139 1234 5678" —, e-mail addresses, URLs, angle
  brackets), and contains no word of the staff's block list;
- with ``POPULAR_SEARCH_REVIEW`` on (the default), a member of staff approved it; a query
  staff blocked is never shown, review or not.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.audit import service as audit
from opengov.site.audit.service import AuditAction, Origin
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ForbiddenError, InvalidInputError
from opengov.site.search.models import BlockedSearchTerm, PopularSearchDecision, QueryStat

APPROVED = "approved"
BLOCKED = "blocked"
EDITOR_ROLES = ("editor", "reviewer", "admin")

#: Contact details and links: never shown, whatever staff decide.
_DIGIT_RUN = re.compile(r"\d{6,}")
_CONTACT = re.compile(r"@|https?://|www\.|\.(?:com|cn|net|org)\b|[<>{}\[\]\\`]|微信|加v|加V|qq\d",
                      re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-‐‑–—_.·()（）/]+")


def looks_personal_or_abusive(query: str) -> bool:
    """Whether ``query`` carries contact details, a link or markup: such text is never
    counted nor shown. Digits are read with the spaces and dashes between them removed, so
    "139 1234 5678" is the telephone number it is."""
    text = unicodedata.normalize("NFKC", query)
    if _CONTACT.search(text):
        return True
    return _DIGIT_RUN.search(_SEPARATORS.sub("", text)) is not None


@dataclass(frozen=True)
class Candidate:
    """A query as the staff's 热门搜索 page shows it."""

    query: str
    searches: int
    found: int
    visitors: int
    decision: str | None
    blocked_by: str | None
    shown: bool


def _settings() -> tuple[int, int, bool]:
    config = current_app.config
    return (int(config["POPULAR_SEARCH_MIN_VISITORS"]), int(config["POPULAR_SEARCH_DAYS"]),
            bool(config["POPULAR_SEARCH_REVIEW"]))


def _blocked_terms(session: Session) -> list[str]:
    return [term.lower() for term in session.scalars(select(BlockedSearchTerm.term))]


def _blocking_term(query: str, terms: list[str]) -> str | None:
    text = unicodedata.normalize("NFKC", query).lower()
    return next((term for term in terms if term in text), None)


def _candidates(session: Session, *, limit: int) -> list[Candidate]:
    minimum, days, review = _settings()
    since = clock.today() - dt.timedelta(days=days)
    searches, found, visitors = (func.sum(QueryStat.count), func.sum(QueryStat.found),
                                 func.sum(QueryStat.visitors))
    rows = session.execute(
        select(QueryStat.query, searches, found, visitors).where(QueryStat.day > since)
        .group_by(QueryStat.query).order_by(visitors.desc(), searches.desc(), QueryStat.query)
        .limit(limit)).all()
    decisions = dict(session.execute(select(PopularSearchDecision.query,
                                            PopularSearchDecision.decision)).all())
    terms = _blocked_terms(session)
    result = []
    for query, total, hits, people in rows:
        decision = decisions.get(query)
        blocked_by = _blocking_term(query, terms)
        shown = (int(people or 0) >= minimum and int(hits or 0) * 2 > int(total or 0)
                 and not looks_personal_or_abusive(query) and blocked_by is None
                 and decision != BLOCKED and (decision == APPROVED or not review))
        result.append(Candidate(query, int(total or 0), int(hits or 0), int(people or 0),
                                decision, blocked_by, shown))
    return result


def popular_queries(*, limit: int = 10) -> list[str]:
    """The queries shown as 热门搜索, most visitors first."""
    return [item.query for item in _candidates(get_session(), limit=500) if item.shown][:limit]


# --- staff -----------------------------------------------------------------------------

@dataclass(frozen=True)
class PopularSearchPage:
    candidates: list[Candidate]
    blocked_terms: list[BlockedSearchTerm]
    min_visitors: int
    days: int
    review: bool


def _require_editor(actor: User) -> None:
    if not actor.has_role(*EDITOR_ROLES):
        raise ForbiddenError("您没有管理热门搜索的权限。")


def popular_search_page(actor: User) -> PopularSearchPage:
    """What staff review: the most searched queries of the period with why each is or is not
    shown, and the block list."""
    _require_editor(actor)
    session = get_session()
    minimum, days, review = _settings()
    terms = list(session.scalars(select(BlockedSearchTerm).order_by(BlockedSearchTerm.term)))
    return PopularSearchPage(_candidates(session, limit=100), terms, minimum, days, review)


def decide(actor: User, query: str, decision: str | None, *, origin: Origin) -> None:
    """Approve or block ``query`` for 热门搜索, or withdraw the decision (``None``)."""
    _require_editor(actor)
    if decision not in (APPROVED, BLOCKED, None):
        raise InvalidInputError("无效的操作。")
    query = query.strip()[:200]
    if not query:
        raise InvalidInputError("请指定搜索词。")
    with unit_of_work() as session:
        record = session.scalars(select(PopularSearchDecision).where(
            PopularSearchDecision.query == query)).one_or_none()
        if decision is None:
            if record is not None:
                session.delete(record)
        else:
            if record is None:
                record = PopularSearchDecision(query=query)
                session.add(record)
            record.decision = decision
            record.decided_by = actor.username
            record.decided_at = clock.utcnow()
        label = {APPROVED: "通过", BLOCKED: "屏蔽", None: "撤销决定"}[decision]
        audit.record(session, AuditAction.EDIT, actor=actor, origin=origin,
                     object_type="popular_search", detail=f"热门搜索{label}：{query[:100]}")


def add_blocked_term(actor: User, term: str, *, origin: Origin) -> bool:
    """Add a word to the block list; False when it is there already."""
    _require_editor(actor)
    term = unicodedata.normalize("NFKC", term).strip().lower()
    if not term or len(term) > 60:
        raise InvalidInputError("请填写要屏蔽的词（不超过60个字）。")
    with unit_of_work() as session:
        if session.scalar(select(BlockedSearchTerm.id).where(BlockedSearchTerm.term == term)):
            return False
        session.add(BlockedSearchTerm(term=term, added_by=actor.username))
        audit.record(session, AuditAction.EDIT, actor=actor, origin=origin,
                     object_type="popular_search", detail=f"热门搜索屏蔽词：{term}")
    return True


def remove_blocked_term(actor: User, term_id: int, *, origin: Origin) -> bool:
    _require_editor(actor)
    with unit_of_work() as session:
        record = session.get(BlockedSearchTerm, term_id) if 0 < term_id < 2**31 else None
        if record is None:
            return False
        session.delete(record)
        audit.record(session, AuditAction.EDIT, actor=actor, origin=origin,
                     object_type="popular_search", detail=f"删除热门搜索屏蔽词：{record.term}")
    return True
