"""The public catalog service: one definition of public, filters, ordering, counts."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.agencies.service import find_agency
from opengov.site.catalog.models import Document
from opengov.site.catalog.rules.listing import DocumentFilters
from opengov.site.catalog.rules.metadata import Validity
from opengov.site.catalog.service import public as service
from opengov.site.db import unit_of_work
from tests.factories import make_document
from tests.public.conftest import Catalog


def ids(session: Session, page: int = 1, size: int = 100, **filters: object) -> list[int]:
    result = service.list_documents(session, DocumentFilters(**filters),  # type: ignore[arg-type]
                                    page, size)
    return [document.id for document in result.items]


def test_only_public_documents_are_listed(db_session: Session, catalog: Catalog) -> None:
    listed = set(ids(db_session))
    assert listed == catalog.public_ids
    assert not listed & catalog.hidden_ids
    for hidden in catalog.hidden_ids:
        assert service.get_public_document(db_session, hidden) is None
    assert service.get_public_document(db_session, catalog.policy) is not None


def test_public_clause_agrees_with_the_model(db_session: Session, catalog: Catalog) -> None:
    for document_id in catalog.public_ids | catalog.hidden_ids:
        document = db_session.get(Document, document_id)
        assert document is not None
        assert document.is_public == (document_id in catalog.public_ids)


def test_future_document_appears_on_its_day(db_session: Session, catalog: Catalog) -> None:
    later = clock.today() + dt.timedelta(days=30)
    assert catalog.future not in ids(db_session)
    result = service.list_documents(db_session, DocumentFilters(), size=100, today=later)
    assert catalog.future in [document.id for document in result.items]


def test_newest_first(db_session: Session, catalog: Catalog) -> None:
    result = service.list_documents(db_session, DocumentFilters(), size=100).items
    dates = [document.published_on for document in result]
    assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]
    assert result[0].id == catalog.news


def test_column_includes_its_sub_columns(db_session: Session, catalog: Catalog) -> None:
    assert set(ids(db_session, column="fiscal")) == {catalog.budget, catalog.sangong}
    assert ids(db_session, column="sangong") == [catalog.sangong]
    statutory = set(ids(db_session, column="statutory"))
    assert statutory == {catalog.policy, catalog.repealed_rule, catalog.budget, catalog.sangong}


def test_filters(db_session: Session, catalog: Catalog) -> None:
    assert set(ids(db_session, agency="czj")) == {catalog.budget, catalog.sangong}
    assert set(ids(db_session, year=2011)) == {catalog.policy, catalog.interpretation}
    assert ids(db_session, validity=Validity.REPEALED) == [catalog.repealed_rule]
    assert ids(db_session, topic="综合政务\\政务公开", column="policies") == [catalog.policy]
    # A top-level class includes its children, and documents filed at the top level.
    top = set(ids(db_session, topic="综合政务"))
    assert {catalog.policy, catalog.repealed_rule, catalog.news} <= top
    assert catalog.budget not in top
    assert ids(db_session, year=2024, agency="qsz", column="news") == [catalog.news]
    assert ids(db_session, year=1999) == []


def test_topic_filter_does_not_match_a_longer_sibling(db_session: Session,
                                                      catalog: Catalog) -> None:
    with unit_of_work() as session:
        other = make_document(session, title="同一大类的另一子类", topic="综合政务\\政务督查")
    assert set(ids(db_session, topic="综合政务\\政务公开")) == {catalog.policy,
                                                             catalog.interpretation}
    assert other.id in ids(db_session, topic="综合政务")


def test_unknown_column_or_agency(db_session: Session, catalog: Catalog) -> None:
    with pytest.raises(service.UnknownFilterError, match="栏目“nope”不存在"):
        ids(db_session, column="nope")
    with pytest.raises(service.UnknownFilterError, match="发布机构“xyz”不存在") as raised:
        ids(db_session, agency="xyz")
    assert raised.value.name == "agency"


def test_pagination(db_session: Session, catalog: Catalog) -> None:
    first = service.list_documents(db_session, DocumentFilters(), page=1, size=4)
    second = service.list_documents(db_session, DocumentFilters(), page=2, size=4)
    beyond = service.list_documents(db_session, DocumentFilters(), page=3, size=4)
    assert (first.total, first.pages) == (6, 2)
    assert len(first.items) == 4
    assert len(second.items) == 2
    assert beyond.items == []
    assert not {d.id for d in first.items} & {d.id for d in second.items}
    assert (first.has_previous, first.has_next) == (False, True)
    assert (second.has_previous, second.has_next) == (True, False)


def test_column_tree_counts(db_session: Session, catalog: Catalog) -> None:
    tree = {node.category.slug: node for node in service.column_tree(db_session)}
    statutory = tree["statutory"]
    children = {child.category.slug: child for child in statutory.children}
    fiscal = children["fiscal"]
    assert (fiscal.own, fiscal.total) == (1, 2)
    assert fiscal.children[0].category.slug == "sangong"
    assert fiscal.children[0].total == 1
    assert children["policies"].total == 2
    assert statutory.total == 4
    assert statutory.own == 0
    assert tree["interpretations"].total == 1
    assert tree["news"].total == 1
    assert sum(node.total for node in tree.values()) == len(catalog.public_ids)


def test_column_tree_per_agency(db_session: Session, catalog: Catalog) -> None:
    czj = find_agency("czj")
    tree = {node.category.slug: node for node in service.column_tree(db_session, czj)}
    assert tree["statutory"].total == 2
    assert tree["news"].total == 0
    assert sum(node.total for node in tree.values()) == 2


def test_links_between_policy_and_interpretation_hide_non_public(
        db_session: Session, catalog: Catalog) -> None:
    policy = service.get_public_document(db_session, catalog.policy)
    interpretation = service.get_public_document(db_session, catalog.interpretation)
    assert policy is not None
    assert interpretation is not None
    assert [d.id for d in service.public_interpretations(db_session, policy)] == [
        catalog.interpretation]
    assert [d.id for d in service.public_policies(db_session, interpretation)] == [
        catalog.policy]


def test_attachment_of_hidden_document_is_not_public(db_session: Session,
                                                     catalog: Catalog) -> None:
    assert service.get_public_attachment(db_session, catalog.budget,
                                         catalog.attachment) is not None
    assert service.get_public_attachment(db_session, catalog.policy, catalog.attachment) is None
    with unit_of_work() as session:
        budget = session.get(Document, catalog.budget)
        assert budget is not None
        budget.disclosure = budget.disclosure.__class__("依申请公开")
    assert service.get_public_attachment(db_session, catalog.budget, catalog.attachment) is None


def test_guide_last_updated_and_years(db_session: Session, catalog: Catalog) -> None:
    gov = find_agency("gov")
    assert gov is not None
    assert service.guide_last_updated(gov, []) == dt.date(2024, 1, 15)
    with unit_of_work() as session:
        guide_doc = make_document(session, category="guide", title="政府信息公开指南（2024年修订）",
                                  published_on=dt.date(2024, 6, 1))
    documents = service.guide_documents(db_session, gov)
    assert [d.id for d in documents] == [guide_doc.id]
    assert service.guide_last_updated(gov, documents) == dt.date(2024, 6, 1)
    assert service.publication_years(db_session)[:2] == [2024, 2011]


def test_sitemap_lists_public_documents_only(db_session: Session, catalog: Catalog) -> None:
    entries = service.sitemap_documents(db_session)
    assert {entry.id for entry in entries} == catalog.public_ids
    assert all(entry.lastmod >= dt.date(2008, 5, 1) for entry in entries)
