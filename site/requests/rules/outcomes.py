"""Outcomes of a request: exactly the rows of the annual report's Table 三 (rules.md §1.6, §4.4).

Every closed request has one :class:`Outcome`; the annual report counts them, so the list here
*is* Table 三 section 三（一）–（六）, with each row's verbatim label, the reply type of 条例
Art. 36–39 it answers, and the legal basis cited in the reply letter.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Bucket(StrEnum):
    """The six result groups of Table 三 三、本年度办理结果."""

    DISCLOSED = "（一）予以公开"
    PARTLY_DISCLOSED = "（二）部分公开"
    WITHHELD = "（三）不予公开"
    UNAVAILABLE = "（四）无法提供"
    NOT_PROCESSED = "（五）不予处理"
    OTHER = "（六）其他处理"


@dataclass(frozen=True)
class OutcomeInfo:
    bucket: Bucket
    #: Table 三 row label of the sub-reason ("" for （一） and （二）, which have none).
    reason: str


class Outcome(StrEnum):
    """Stored as the Table 三 row key: bucket number, then sub-reason number."""

    DISCLOSED = "1"
    PARTLY_DISCLOSED = "2"
    STATE_SECRET = "3.1"  # noqa: S105 - 国家秘密, not a password
    PROHIBITED_BY_LAW = "3.2"
    ENDANGERS_SECURITY = "3.3"
    THIRD_PARTY = "3.4"
    INTERNAL_AFFAIRS = "3.5"
    PROCESS_INFORMATION = "3.6"
    ENFORCEMENT_FILE = "3.7"
    ADMINISTRATIVE_QUERY = "3.8"
    NOT_HELD = "4.1"
    NEEDS_CREATION = "4.2"
    STILL_UNCLEAR = "4.3"
    PETITION = "5.1"
    REPEATED = "5.2"
    PUBLICATION = "5.3"
    EXCESSIVE = "5.4"
    CONFIRM_OR_REISSUE = "5.5"
    CORRECTION_LAPSED = "6.1"
    FEE_LAPSED = "6.2"
    OTHER = "6.3"

    @property
    def info(self) -> OutcomeInfo:
        return OUTCOMES[self]

    @property
    def bucket(self) -> Bucket:
        return OUTCOMES[self].bucket

    @property
    def label(self) -> str:
        info = OUTCOMES[self]
        return f"{info.bucket}：{info.reason}" if info.reason else str(info.bucket)


OUTCOMES: dict[Outcome, OutcomeInfo] = {
    Outcome.DISCLOSED: OutcomeInfo(Bucket.DISCLOSED, ""),
    Outcome.PARTLY_DISCLOSED: OutcomeInfo(Bucket.PARTLY_DISCLOSED, ""),
    Outcome.STATE_SECRET: OutcomeInfo(Bucket.WITHHELD, "1.属于国家秘密"),
    Outcome.PROHIBITED_BY_LAW: OutcomeInfo(Bucket.WITHHELD, "2.其他法律行政法规禁止公开"),
    Outcome.ENDANGERS_SECURITY: OutcomeInfo(Bucket.WITHHELD, "3.危及“三安全一稳定”"),
    Outcome.THIRD_PARTY: OutcomeInfo(Bucket.WITHHELD, "4.保护第三方合法权益"),
    Outcome.INTERNAL_AFFAIRS: OutcomeInfo(Bucket.WITHHELD, "5.属于三类内部事务信息"),
    Outcome.PROCESS_INFORMATION: OutcomeInfo(Bucket.WITHHELD, "6.属于四类过程性信息"),
    Outcome.ENFORCEMENT_FILE: OutcomeInfo(Bucket.WITHHELD, "7.属于行政执法案卷"),
    Outcome.ADMINISTRATIVE_QUERY: OutcomeInfo(Bucket.WITHHELD, "8.属于行政查询事项"),
    Outcome.NOT_HELD: OutcomeInfo(Bucket.UNAVAILABLE, "1.本机关不掌握相关政府信息"),
    Outcome.NEEDS_CREATION: OutcomeInfo(Bucket.UNAVAILABLE, "2.没有现成信息需要另行制作"),
    Outcome.STILL_UNCLEAR: OutcomeInfo(Bucket.UNAVAILABLE, "3.补正后申请内容仍不明确"),
    Outcome.PETITION: OutcomeInfo(Bucket.NOT_PROCESSED, "1.信访举报投诉类申请"),
    Outcome.REPEATED: OutcomeInfo(Bucket.NOT_PROCESSED, "2.重复申请"),
    Outcome.PUBLICATION: OutcomeInfo(Bucket.NOT_PROCESSED, "3.要求提供公开出版物"),
    Outcome.EXCESSIVE: OutcomeInfo(Bucket.NOT_PROCESSED, "4.无正当理由大量反复申请"),
    Outcome.CONFIRM_OR_REISSUE: OutcomeInfo(Bucket.NOT_PROCESSED,
                                            "5.要求行政机关确认或重新出具已获取信息"),
    Outcome.CORRECTION_LAPSED: OutcomeInfo(
        Bucket.OTHER, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    Outcome.FEE_LAPSED: OutcomeInfo(
        Bucket.OTHER, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    Outcome.OTHER: OutcomeInfo(Bucket.OTHER, "3.其他"),
}

#: Outcomes the system records by itself (a lapsed window), never chosen in the decide form.
AUTOMATIC_OUTCOMES = frozenset({Outcome.CORRECTION_LAPSED, Outcome.FEE_LAPSED})


REGULATIONS = "《中华人民共和国政府信息公开条例》"
FEE_RULES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"


@dataclass(frozen=True)
class Reply:
    """One form of reply letter (答复书): the decision as the letter words it, citing exactly
    the article and item that decision rests on (rules.md §1.6).

    Table 三 counts :attr:`outcome`; two rows have two letter forms each, since the 条例 words
    them apart: （一）予以公开 is either 提供 (Art. 36(二)) or 已经主动公开 (Art. 36(一)), and
    （四）1 is either 不存在 (Art. 36(四)) or 不属于本机关负责公开 (Art. 36(五)).
    """

    key: str
    outcome: Outcome
    #: What the handler picks in the decide form.
    label: str
    #: The provisions cited, e.g. ("第三十六条第（二）项",), after :attr:`law`; none where
    #: no article of it decides the case (the fee rules' lapse, 其他).
    articles: tuple[str, ...]
    #: What the agency found, before the citation.
    finding: str
    #: What it therefore does, after the citation.
    conclusion: str
    law: str = REGULATIONS
    #: The handler must write :attr:`detail_label`'s paragraph (reasons, where to get it).
    needs_detail: bool = False
    detail_label: str = "说明"
    #: The letter names the body responsible and how to reach it (Art. 36(五)).
    needs_other_body: bool = False
    #: Released files go with this letter (予以公开 and 部分公开 by provision).
    releases_files: bool = False

    @property
    def basis(self) -> str:
        """The citation as the letter prints it."""
        return self.law + "、".join(self.articles)

    def decision(self) -> str:
        """The letter's decision paragraph: finding, citation, conclusion."""
        return f"{self.finding}根据{self.basis}的规定，{self.conclusion}"


_WITHHELD = "本机关决定不予公开。"

#: Every letter form, in Table 三 order; the key is stored with the decision.
REPLIES: dict[str, Reply] = {reply.key: reply for reply in (
    Reply("1", Outcome.DISCLOSED, "（一）予以公开：提供政府信息（第三十六条第（二）项）",
           ("第三十六条第（二）项",),
           "经审查，您申请获取的政府信息属于可以公开的政府信息。",
           "本机关向您提供该政府信息。", releases_files=True),
    Reply("1-published", Outcome.DISCLOSED,
           "（一）予以公开：已经主动公开，告知获取方式和途径（第三十六条第（一）项）",
           ("第三十六条第（一）项",),
           "经审查，您申请获取的政府信息已经主动公开。",
           "现告知您获取该政府信息的方式和途径。",
           needs_detail=True, detail_label="获取方式和途径"),
    Reply("2", Outcome.PARTLY_DISCLOSED, "（二）部分公开（区分处理，第三十七条）",
           ("第三十七条",),
           "经审查，您申请获取的政府信息中含有不应当公开的内容，但能够作区分处理。",
           "本机关向您提供可以公开的部分，对不予公开的部分说明理由如下。",
           needs_detail=True, detail_label="不予公开的部分及理由", releases_files=True),
    Reply("3.1", Outcome.STATE_SECRET, "（三）不予公开：1.属于国家秘密",
           ("第十四条", "第三十六条第（三）项"),
           "经审查，您申请获取的政府信息属于国家秘密。", _WITHHELD),
    Reply("3.2", Outcome.PROHIBITED_BY_LAW, "（三）不予公开：2.其他法律行政法规禁止公开",
           ("第十四条", "第三十六条第（三）项"),
           "经审查，您申请获取的政府信息属于法律、行政法规禁止公开的政府信息。", _WITHHELD,
           needs_detail=True, detail_label="禁止公开的法律、行政法规依据"),
    Reply("3.3", Outcome.ENDANGERS_SECURITY, "（三）不予公开：3.危及“三安全一稳定”",
           ("第十四条", "第三十六条第（三）项"),
           "经审查，您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定。",
           _WITHHELD),
    Reply("3.4", Outcome.THIRD_PARTY, "（三）不予公开：4.保护第三方合法权益",
           ("第十五条", "第三十六条第（三）项"),
           "经审查，您申请获取的政府信息涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的"
           "内容。", _WITHHELD),
    Reply("3.5", Outcome.INTERNAL_AFFAIRS, "（三）不予公开：5.属于三类内部事务信息",
           ("第十六条第一款", "第三十六条第（三）项"),
           "经审查，您申请获取的政府信息属于人事管理、后勤管理、内部工作流程等内部事务信息。",
           _WITHHELD),
    Reply("3.6", Outcome.PROCESS_INFORMATION, "（三）不予公开：6.属于四类过程性信息",
           ("第十六条第二款", "第三十六条第（三）项"),
           "经审查，您申请获取的政府信息属于讨论记录、过程稿、磋商信函、请示报告等过程性信息。",
           _WITHHELD),
    Reply("3.7", Outcome.ENFORCEMENT_FILE, "（三）不予公开：7.属于行政执法案卷",
           ("第十六条第二款", "第三十六条第（三）项"),
           "经审查，您申请获取的政府信息属于行政执法案卷信息。", _WITHHELD),
    Reply("3.8", Outcome.ADMINISTRATIVE_QUERY, "（三）不予公开：8.属于行政查询事项",
           ("第三十六条第（七）项",),
           "经审查，您申请获取的信息属于工商、不动产登记资料等有关法律、行政法规对信息的获取"
           "有特别规定的行政查询事项。",
           "请您依照有关法律、行政法规的规定办理。"),
    Reply("4.1", Outcome.NOT_HELD, "（四）无法提供：1.本机关不掌握（经检索不存在，第三十六条第（四）项）",
           ("第三十六条第（四）项",),
           "经检索，本机关没有制作或者获取您申请公开的政府信息。",
           "告知您该政府信息不存在。"),
    Reply("4.1-elsewhere", Outcome.NOT_HELD,
           "（四）无法提供：1.本机关不掌握（不属于本机关负责公开，第三十六条第（五）项）",
           ("第三十六条第（五）项",),
           "经审查，您申请获取的政府信息不属于本机关负责公开。",
           "告知您负责公开该政府信息的机关及其联系方式。",
           needs_other_body=True),
    Reply("4.2", Outcome.NEEDS_CREATION, "（四）无法提供：2.没有现成信息需要另行制作",
           ("第三十八条",),
           "经审查，您申请获取的信息需要本机关对现有政府信息进行加工、分析。",
           "本机关不予提供。"),
    Reply("4.3", Outcome.STILL_UNCLEAR, "（四）无法提供：3.补正后申请内容仍不明确",
           ("第三十条",),
           "经补正，您的申请内容仍不明确，本机关无法确定您所需要的政府信息。",
           "本机关无法提供。"),
    Reply("5.1", Outcome.PETITION, "（五）不予处理：1.信访举报投诉类申请",
           ("第三十九条第一款",),
           "经审查，您以政府信息公开申请的形式进行信访、投诉、举报等活动。",
           "本机关不作为政府信息公开申请处理，请您通过相应渠道提出。"),
    Reply("5.2", Outcome.REPEATED, "（五）不予处理：2.重复申请",
           ("第三十六条第（六）项",),
           "经审查，本机关已就您申请公开的相同政府信息作出答复。",
           "本机关不予重复处理。"),
    Reply("5.3", Outcome.PUBLICATION, "（五）不予处理：3.要求提供公开出版物",
           ("第三十九条第二款",),
           "经审查，您要求提供的是政府公报、报刊、书籍等公开出版物。",
           "告知您获取的途径。", needs_detail=True, detail_label="获取途径"),
    Reply("5.4", Outcome.EXCESSIVE, "（五）不予处理：4.无正当理由大量反复申请",
           ("第三十五条",),
           "经审查，您申请公开政府信息的数量、频次明显超过合理范围，且说明的理由不合理。",
           "本机关不予处理。"),
    Reply("5.5", Outcome.CONFIRM_OR_REISSUE, "（五）不予处理：5.要求行政机关确认或重新出具已获取信息",
           ("第二条",),
           "经审查，您要求本机关确认或者重新出具已经获取的信息，该要求不属于获取政府信息的申请。",
           "本机关不作为政府信息公开申请处理。"),
    Reply("6.1", Outcome.CORRECTION_LAPSED, "（六）其他处理：1.逾期不补正",
           ("第三十条",),
           "您无正当理由逾期未作出补正。",
           "视为您放弃申请，本机关不再处理该政府信息公开申请。"),
    Reply("6.2", Outcome.FEE_LAPSED, "（六）其他处理：2.逾期未缴费",
           (),
           "您逾期未按收费通知要求缴纳信息处理费。",
           "视为您放弃申请，本机关不再处理该政府信息公开申请。", law=FEE_RULES),
    Reply("6.3", Outcome.OTHER, "（六）其他处理：3.其他",
           (),
           "经审查，本机关对您的申请作如下处理。",
           "处理情况说明如下。", needs_detail=True, detail_label="处理情况"),
)}


def replies_of(outcome: Outcome) -> list[Reply]:
    return [reply for reply in REPLIES.values() if reply.outcome is outcome]


def reply_for(outcome: Outcome, key: str = "") -> Reply:
    """The letter form chosen with a decision; a decision stored before letter forms existed
    (no key) gets its outcome's first form, or the Art. 36(五) form when it named a body."""
    chosen = REPLIES.get(key)
    if chosen is not None and chosen.outcome is outcome:
        return chosen
    return replies_of(outcome)[0]


def decision_choices() -> list[tuple[str, str]]:
    """(reply key, label) for the decide form, in Table 三 order."""
    return [(reply.key, reply.label) for reply in REPLIES.values()
            if reply.outcome not in AUTOMATIC_OUTCOMES]


def remedies_text(review_body: str, court: str) -> str:
    """告知救济途径 (rules.md §1.9): 复议 60 days, 诉讼 6 months, both from receipt."""
    return (f"如对本答复不服，可以自收到本答复之日起60日内向{review_body}申请行政复议，"
            f"或者自收到本答复之日起6个月内向{court}提起行政诉讼。")
