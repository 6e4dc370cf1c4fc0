"""Duplicate measures on the seed texts themselves."""

from __future__ import annotations

from opengov.site.content.rules import (
    NEAR_DUPLICATE_THRESHOLD,
    Fingerprint,
    body_hash,
    normalise,
    similarity,
)


def test_normalise_ignores_markup_punctuation_and_width() -> None:
    assert normalise("## 一、总体要求\n\n**问：**制定《意见》？ＡＢ１") == "一总体要求问制定意见ab1"
    assert body_hash("问：好。") == body_hash("**问.**好.")


def test_identical_normalised_texts_score_one() -> None:
    text = "深化政务公开、加强政务服务，对于推进行政体制改革具有重要意义。" * 3
    assert similarity(Fingerprint.of(text), Fingerprint.of(text.replace("，", "."))) == 1.0


def test_unrelated_texts_score_low_and_size_mismatch_scores_zero() -> None:
    first = Fingerprint.of("政务服务中心按照依法、公开、便民、高效的原则办理审批服务事项。")
    second = Fingerprint.of("农村金融产品和服务方式创新的核心目的是让农民得到更多金融服务。")
    assert similarity(first, second) < 0.1
    quoted = Fingerprint.of("政务服务中心按照依法、公开、便民、高效的原则办理审批服务事项。" + "".join(
        f"第{number}段另有长篇内容" for number in range(100)))
    assert similarity(first, quoted) == 0.0  # a short text inside a much longer one


def test_threshold_separates_a_degraded_copy_from_a_quotation() -> None:
    original = "各地区各部门要高度重视解决这些问题，坚持保障人民群众的知情权和监督权，加大推进政务公开力度。" * 2
    degraded = original.replace("，", ".").replace("知情权和", "")
    assert similarity(Fingerprint.of(original), Fingerprint.of(degraded)) >= NEAR_DUPLICATE_THRESHOLD
