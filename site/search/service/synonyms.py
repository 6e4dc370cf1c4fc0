"""Synonyms that expand searches (公车 → 公务用车), kept by staff and ``opengov synonyms``."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.indexer.normalize import normalize_query
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import InvalidInputError
from opengov.site.search.models import Synonym

#: Synonyms every site starts with; staff add more on the synonyms page or with
#: `opengov synonyms add`.
SEED_SYNONYMS: tuple[tuple[str, str], ...] = (
    ("公车", "公务用车"), ("公务车", "公务用车"), ("三公", "三公经费"),
    ("信息公开", "政府信息公开"), ("依申请", "依申请公开"), ("年报", "年度报告"),
    ("预决算", "预算"), ("预决算", "决算"), ("低保", "最低生活保障"), ("社保", "社会保障"),
    ("医保", "医疗保险"), ("公积金", "住房公积金"), ("拆迁", "征收"), ("征地", "土地征收"),
    ("户口", "户籍"), ("营业执照", "登记"), ("网约车", "网络预约出租汽车"),
)


def synonym_map(session: Session) -> dict[str, list[str]]:
    """Every query word with the words searched for as well, in the order they were added."""
    mapping: dict[str, list[str]] = {}
    for term, synonym in session.execute(select(Synonym.term, Synonym.synonym)
                                         .order_by(Synonym.id)):
        mapping.setdefault(term, []).append(synonym)
    return mapping


def _normalised_pair(term: str, synonym: str) -> tuple[str, str]:
    term, synonym = normalize_query(term).strip(), normalize_query(synonym).strip()
    if not term or not synonym or term == synonym:
        raise InvalidInputError("同义词的两边都要填写，且不能相同。")
    return term, synonym


def _add(session: Session, term: str, synonym: str) -> bool:
    term, synonym = _normalised_pair(term, synonym)
    exists = session.scalar(select(Synonym.id).where(Synonym.term == term,
                                                     Synonym.synonym == synonym))
    if exists is not None:
        return False
    session.add(Synonym(term=term, synonym=synonym))
    session.flush()
    return True


def add_synonym(term: str, synonym: str) -> bool:
    """Also search ``synonym`` when ``term`` is searched (both normalised); False when the
    pair exists already, :class:`InvalidInputError` when a side is empty or both are equal."""
    with unit_of_work() as session:
        return _add(session, term, synonym)


def seed_synonyms() -> int:
    """Add the :data:`SEED_SYNONYMS` a site lacks (``opengov init``); returns how many."""
    with unit_of_work() as session:
        return sum(_add(session, term, synonym) for term, synonym in SEED_SYNONYMS)


def list_synonyms() -> list[Synonym]:
    """Every synonym, by query word."""
    return list(get_session().scalars(select(Synonym).order_by(Synonym.term, Synonym.id)))


def remove_synonym(synonym_id: int) -> bool:
    """Delete the synonym with this id; False when there is none."""
    with unit_of_work() as session:
        synonym = session.get(Synonym, synonym_id) if 0 < synonym_id < 2**31 else None
        if synonym is None:
            return False
        session.delete(synonym)
        return True


def remove_synonym_pair(term: str, synonym: str) -> bool:
    """Delete ``term`` → ``synonym`` (as normalised when added); False when there is none."""
    term, synonym = normalize_query(term).strip(), normalize_query(synonym).strip()
    with unit_of_work() as session:
        found = session.scalars(select(Synonym).where(Synonym.term == term,
                                                      Synonym.synonym == synonym)).first()
        if found is None:
            return False
        session.delete(found)
        return True
