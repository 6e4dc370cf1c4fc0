"""The outcome list is exactly Table 三 三（一）–（六） with its sub-reasons (rules.md §4.4)."""

from __future__ import annotations

from opengov.site.requests.rules.outcomes import (
    AUTOMATIC_OUTCOMES,
    OUTCOMES,
    REPLIES,
    Bucket,
    Outcome,
    decision_choices,
    remedies_text,
    replies_of,
    reply_for,
)

TABLE_THREE = [
    "（一）予以公开",
    "（二）部分公开",
    "（三）不予公开：1.属于国家秘密",
    "（三）不予公开：2.其他法律行政法规禁止公开",
    "（三）不予公开：3.危及“三安全一稳定”",
    "（三）不予公开：4.保护第三方合法权益",
    "（三）不予公开：5.属于三类内部事务信息",
    "（三）不予公开：6.属于四类过程性信息",
    "（三）不予公开：7.属于行政执法案卷",
    "（三）不予公开：8.属于行政查询事项",
    "（四）无法提供：1.本机关不掌握相关政府信息",
    "（四）无法提供：2.没有现成信息需要另行制作",
    "（四）无法提供：3.补正后申请内容仍不明确",
    "（五）不予处理：1.信访举报投诉类申请",
    "（五）不予处理：2.重复申请",
    "（五）不予处理：3.要求提供公开出版物",
    "（五）不予处理：4.无正当理由大量反复申请",
    "（五）不予处理：5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理：1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "（六）其他处理：2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "（六）其他处理：3.其他",
]


def test_outcomes_are_the_table_three_rows_in_order() -> None:
    assert [outcome.label for outcome in Outcome] == TABLE_THREE
    assert set(OUTCOMES) == set(Outcome)


def test_keys_match_bucket_and_reason_numbers() -> None:
    for outcome in Outcome:
        bucket_index = list(Bucket).index(outcome.bucket) + 1
        assert outcome.value.split(".")[0] == str(bucket_index)
        if "." in outcome.value:
            assert outcome.info.reason.startswith(outcome.value.split(".")[1] + ".")


def test_every_outcome_has_a_letter_form_citing_its_law() -> None:
    for outcome in Outcome:
        forms = replies_of(outcome)
        assert forms, outcome
        for reply in forms:
            assert reply.basis.startswith("《")
            assert reply.finding
            assert reply.conclusion
            assert reply_for(outcome, reply.key) is reply
    # Two rows have two letter forms, each citing one item of Art. 36.
    assert [r.articles for r in replies_of(Outcome.DISCLOSED)] == [
        ("第三十六条第（二）项",), ("第三十六条第（一）项",)]
    assert [r.articles for r in replies_of(Outcome.NOT_HELD)] == [
        ("第三十六条第（四）项",), ("第三十六条第（五）项",)]
    # A decision stored without its form gets the outcome's first form.
    assert reply_for(Outcome.DISCLOSED).key == "1"
    assert reply_for(Outcome.DISCLOSED, "4.1").key == "1"


def test_decision_choices_leave_out_the_automatic_ones() -> None:
    values = [value for value, _label in decision_choices()]
    assert len(values) == len(REPLIES) - 2
    assert "6.1" not in values
    assert "6.2" not in values
    assert {"6.3", "1", "1-published", "4.1", "4.1-elsewhere"} <= set(values)
    assert all(REPLIES[value].outcome not in AUTOMATIC_OUTCOMES for value in values)


def test_remedies_text() -> None:
    text = remedies_text("示例市人民政府", "示例市人民法院")
    assert "60日内向示例市人民政府申请行政复议" in text
    assert "6个月内向示例市人民法院提起行政诉讼" in text
