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
    #: Articles cited in the letter.
    basis: str
    #: The decision sentence of the reply letter (告知书), before the remedies text.
    letter_text: str
    #: The letter must name the body that holds the information (Art. 36(五)).
    names_other_body: bool = False


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
    Outcome.DISCLOSED: OutcomeInfo(
        Bucket.DISCLOSED, "",
        "《中华人民共和国政府信息公开条例》第三十六条第（一）项、第（二）项",
        "您申请获取的政府信息属于公开范围，现予以提供（已经主动公开的，告知获取的方式和途径）。"),
    Outcome.PARTLY_DISCLOSED: OutcomeInfo(
        Bucket.PARTLY_DISCLOSED, "",
        "《中华人民共和国政府信息公开条例》第三十七条",
        "您申请获取的政府信息中含有不应当公开的内容，但能够作区分处理，现向您提供可以公开的部分，"
        "对不予公开的部分说明理由如下。"),
    Outcome.STATE_SECRET: OutcomeInfo(
        Bucket.WITHHELD, "1.属于国家秘密",
        "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
        "您申请获取的政府信息属于国家秘密，依法不予公开。"),
    Outcome.PROHIBITED_BY_LAW: OutcomeInfo(
        Bucket.WITHHELD, "2.其他法律行政法规禁止公开",
        "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
        "您申请获取的政府信息属于法律、行政法规禁止公开的政府信息，依法不予公开。"),
    Outcome.ENDANGERS_SECURITY: OutcomeInfo(
        Bucket.WITHHELD, "3.危及“三安全一稳定”",
        "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
        "您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，依法不予公开。"),
    Outcome.THIRD_PARTY: OutcomeInfo(
        Bucket.WITHHELD, "4.保护第三方合法权益",
        "《中华人民共和国政府信息公开条例》第十五条、第三十二条、第三十六条第（三）项",
        "您申请获取的政府信息涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的内容，"
        "不予公开。"),
    Outcome.INTERNAL_AFFAIRS: OutcomeInfo(
        Bucket.WITHHELD, "5.属于三类内部事务信息",
        "《中华人民共和国政府信息公开条例》第十六条第一款、第三十六条第（三）项",
        "您申请获取的政府信息属于人事管理、后勤管理、内部工作流程等内部事务信息，不予公开。"),
    Outcome.PROCESS_INFORMATION: OutcomeInfo(
        Bucket.WITHHELD, "6.属于四类过程性信息",
        "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
        "您申请获取的政府信息属于讨论记录、过程稿、磋商信函、请示报告等过程性信息，不予公开。"),
    Outcome.ENFORCEMENT_FILE: OutcomeInfo(
        Bucket.WITHHELD, "7.属于行政执法案卷",
        "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
        "您申请获取的政府信息属于行政执法案卷信息，不予公开。"),
    Outcome.ADMINISTRATIVE_QUERY: OutcomeInfo(
        Bucket.WITHHELD, "8.属于行政查询事项",
        "《中华人民共和国政府信息公开条例》第三十六条第（七）项",
        "您申请获取的信息属于工商、不动产登记资料等有关法律、行政法规对信息的获取有特别规定的"
        "行政查询事项，请依照有关法律、行政法规的规定办理。"),
    Outcome.NOT_HELD: OutcomeInfo(
        Bucket.UNAVAILABLE, "1.本机关不掌握相关政府信息",
        "《中华人民共和国政府信息公开条例》第三十六条第（四）项、第（五）项",
        "经检索，本机关未制作或获取您申请的政府信息（不属于本机关负责公开的，告知负责公开的"
        "机关的名称和联系方式）。",
        names_other_body=True),
    Outcome.NEEDS_CREATION: OutcomeInfo(
        Bucket.UNAVAILABLE, "2.没有现成信息需要另行制作",
        "《中华人民共和国政府信息公开条例》第三十八条",
        "您申请获取的信息需要本机关对现有政府信息进行加工、分析，本机关可以不予提供。"),
    Outcome.STILL_UNCLEAR: OutcomeInfo(
        Bucket.UNAVAILABLE, "3.补正后申请内容仍不明确",
        "《中华人民共和国政府信息公开条例》第三十条",
        "经补正，您的申请内容仍不明确，本机关无法确定您所需要的政府信息。"),
    Outcome.PETITION: OutcomeInfo(
        Bucket.NOT_PROCESSED, "1.信访举报投诉类申请",
        "《中华人民共和国政府信息公开条例》第三十九条第一款",
        "您以政府信息公开申请的形式进行信访、投诉、举报等活动，本机关不作为政府信息公开申请处理，"
        "请通过相应渠道提出。"),
    Outcome.REPEATED: OutcomeInfo(
        Bucket.NOT_PROCESSED, "2.重复申请",
        "《中华人民共和国政府信息公开条例》第三十六条第（六）项",
        "本机关已就您申请公开的相同政府信息作出答复，您重复申请的，不予重复处理。"),
    Outcome.PUBLICATION: OutcomeInfo(
        Bucket.NOT_PROCESSED, "3.要求提供公开出版物",
        "《中华人民共和国政府信息公开条例》第三十九条第二款",
        "您要求提供的是政府公报、报刊、书籍等公开出版物，请通过相应的获取途径获取。"),
    Outcome.EXCESSIVE: OutcomeInfo(
        Bucket.NOT_PROCESSED, "4.无正当理由大量反复申请",
        "《中华人民共和国政府信息公开条例》第三十五条",
        "您申请公开政府信息的数量、频次明显超过合理范围，且说明的理由不合理，本机关不予处理。"),
    Outcome.CONFIRM_OR_REISSUE: OutcomeInfo(
        Bucket.NOT_PROCESSED, "5.要求行政机关确认或重新出具已获取信息",
        "《中华人民共和国政府信息公开条例》第二条、第三十八条",
        "您要求本机关确认或重新出具已经获取的信息，不属于政府信息公开申请的处理范围。"),
    Outcome.CORRECTION_LAPSED: OutcomeInfo(
        Bucket.OTHER,
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "《中华人民共和国政府信息公开条例》第三十条",
        "您无正当理由逾期未作出补正，视为放弃申请，本机关不再处理该政府信息公开申请。"),
    Outcome.FEE_LAPSED: OutcomeInfo(
        Bucket.OTHER,
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
        "您逾期未按收费通知要求缴纳信息处理费，视为放弃申请，本机关不再处理该政府信息公开申请。"),
    Outcome.OTHER: OutcomeInfo(
        Bucket.OTHER, "3.其他",
        "《中华人民共和国政府信息公开条例》",
        "本机关对您的申请作如下处理。"),
}

#: Outcomes the system records by itself (a lapsed window), never chosen in the decide form.
AUTOMATIC_OUTCOMES = frozenset({Outcome.CORRECTION_LAPSED, Outcome.FEE_LAPSED})


def decision_choices() -> list[tuple[str, str]]:
    """(value, label) for the decide form, in Table 三 order."""
    return [(outcome.value, outcome.label) for outcome in Outcome
            if outcome not in AUTOMATIC_OUTCOMES]


def remedies_text(review_body: str, court: str) -> str:
    """告知救济途径 (rules.md §1.9): 复议 60 days, 诉讼 6 months, both from receipt."""
    return (f"如对本答复不服，可以自收到本答复之日起60日内向{review_body}申请行政复议，"
            f"或者自收到本答复之日起6个月内向{court}提起行政诉讼。")
