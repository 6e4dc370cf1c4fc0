from __future__ import annotations

from opengov.indexer.normalize import normalize_text
from opengov.indexer.tokenizer import bigrams, get_tokenizer


def test_precise_words_have_consecutive_positions_and_subwords_share_them() -> None:
    tokens = list(get_tokenizer().tokens("中华人民共和国政府信息公开条例"))
    main = [token for token in tokens if token.text in {"中华人民共和国", "政府信息公开条例"}]
    assert [(token.text, token.position) for token in main] == [
        ("中华人民共和国", 0), ("政府信息公开条例", 1)]
    subwords = {token.text: token.position for token in tokens}
    assert subwords["人民"] == 0
    assert subwords["信息公开"] == 1
    original = "中华人民共和国政府信息公开条例"
    assert all(original[token.start:token.end] == token.text for token in tokens)


def test_digits_and_latin_are_kept() -> None:
    words = [token.text for token in get_tokenizer().tokens("国办发〔2023〕5号 ABC")]
    assert "5" in words
    assert "2023" in words
    assert "abc" in words


def test_government_terms_come_from_the_user_dictionary() -> None:
    assert "三公经费" in get_tokenizer().words("三公经费预算")
    assert "依申请公开" in get_tokenizer().words("依申请公开的程序")


def test_offsets_point_into_traditional_original() -> None:
    original = "政府資訊公開"
    tokens = list(get_tokenizer().tokens(original))
    assert {original[t.start:t.end] for t in tokens} >= {"政府"}


def test_bigrams_cover_cjk_runs_and_keep_latin_runs() -> None:
    assert bigrams(normalize_text("政务公开 AB12 号")) == ["政务", "务公", "公开", "ab12", "号"]
