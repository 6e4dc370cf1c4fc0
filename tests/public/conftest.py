"""A small public catalog: documents that must show and documents that must never show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask

from opengov.site import clock
from opengov.site.catalog.rules.metadata import Disclosure, PublicationStatus, Validity
from opengov.site.catalog.service import attachments
from opengov.site.db import unit_of_work
from tests.factories import make_agency, make_document

ATTACHMENT_NAME = "2024年示例市财政预算公开表（草案）.pdf"
ATTACHMENT_BYTES = b"%PDF-1.4\n% test attachment\n"


@dataclass(frozen=True)
class Catalog:
    """Ids of the documents made by :func:`catalog`."""

    policy: int
    interpretation: int
    budget: int
    sangong: int
    repealed_rule: int
    news: int
    draft: int
    on_request: int
    withheld: int
    future: int
    withdrawn: int
    attachment: int
    #: The attachment's file in the upload folder.
    attachment_file: Path

    @property
    def public_ids(self) -> set[int]:
        return {self.policy, self.interpretation, self.budget, self.sangong,
                self.repealed_rule, self.news}

    @property
    def hidden_ids(self) -> set[int]:
        return {self.draft, self.on_request, self.withheld, self.future, self.withdrawn}


@pytest.fixture
def catalog(app: Flask) -> Catalog:
    with app.app_context(), unit_of_work() as session:
        make_agency(session, "gov", guide_markdown="## 一、公开范围\n\n本机关主动公开……",
                    guide_updated_on=dt.date(2024, 1, 15))
        make_agency(session, "czj")
        make_agency(session, "qsz")
        policy = make_document(
            session, title="关于深化政务公开加强政务服务的意见", doc_number="中办发〔2011〕22号",
            published_on=dt.date(2011, 6, 8), topic="综合政务\\政务公开",
            keywords="政务公开、政务服务", effective_on=dt.date(2011, 6, 8), source="新华社")
        interpretation = make_document(
            session, category="interpretations", title="就《关于深化政务公开加强政务服务的意见》答记者问",
            doc_number="", genre="政策解读", published_on=dt.date(2011, 6, 9))
        policy.interpretations.append(interpretation)
        budget = make_document(
            session, agency="czj", category="fiscal", title="示例市2024年财政预算",
            doc_number="", genre="预算", topic="财政、金融、审计\\财政",
            published_on=dt.date(2024, 2, 1))
        sangong = make_document(
            session, agency="czj", category="sangong", title="示例市财政局2024年“三公”经费预算",
            doc_number="", genre="预算", topic="财政、金融、审计\\财政",
            published_on=dt.date(2024, 2, 2))
        repealed = make_document(
            session, title="示例市政府信息公开暂行办法", doc_number="示政发〔2008〕1号",
            validity=Validity.REPEALED, repealed_on=dt.date(2020, 1, 1),
            published_on=dt.date(2008, 5, 1), topic="综合政务\\文秘工作")
        news = make_document(session, agency="qsz", category="news",
                             title="青石镇召开政务公开工作会议", doc_number="",
                             topic="综合政务", published_on=dt.date(2024, 3, 5))
        draft = make_document(session, title="草稿：尚未发布的通知", published=False)
        on_request = make_document(session, title="依申请公开的内部文件",
                                   disclosure=Disclosure.ON_REQUEST)
        withheld = make_document(session, title="不予公开的涉密文件",
                                 disclosure=Disclosure.WITHHELD, non_disclosure_reason="涉密")
        future = make_document(session, title="明年才发布的预告",
                               published_on=clock.today() + dt.timedelta(days=30))
        withdrawn = make_document(session, title="已撤下的旧通知",
                                  status=PublicationStatus.WITHDRAWN)
        # The on-request document interprets the policy too: it must not leak through links.
        policy.interpretations.append(on_request)

        upload_dir = Path(app.config["UPLOAD_DIR"])
        attachment = attachments.store(upload_dir, ATTACHMENT_BYTES, ATTACHMENT_NAME,
                                       "application/pdf", suffix=".pdf")
        budget.attachments.append(attachment)
        session.flush()
        return Catalog(policy=policy.id, interpretation=interpretation.id, budget=budget.id,
                       sangong=sangong.id, repealed_rule=repealed.id, news=news.id,
                       draft=draft.id, on_request=on_request.id, withheld=withheld.id,
                       future=future.id, withdrawn=withdrawn.id, attachment=attachment.id,
                       attachment_file=upload_dir / attachment.stored_name)
