from __future__ import annotations

from opengov.indexer.highlight import highlight, mark_title


def test_snippet_marks_original_traditional_text_without_spaces() -> None:
    snippet = highlight("前言。加强公務用車管理，严控支出。", ["公务用车"])
    assert "<mark>公務用車</mark>管理" in snippet
    assert " " not in snippet


def test_snippet_escapes_html_and_windows_long_text() -> None:
    text = "<b>" + "无关内容" * 100 + "政务公开" + "其他" * 100
    snippet = highlight(text, ["政务公开"], width=40)
    assert "<mark>政务公开</mark>" in snippet
    assert "<b>" not in snippet
    assert snippet.startswith("…")
    assert snippet.endswith("…")


def test_title_marks() -> None:
    assert mark_title("关于政务公开的通知", ["政务公开"]) == "关于<mark>政务公开</mark>的通知"


def test_line_breaks_inside_chinese_do_not_become_spaces() -> None:
    assert highlight("关于推进\n政务公开的意见 2018 年", ["政务公开"]) == (
        "关于推进<mark>政务公开</mark>的意见 2018 年")


def test_markdown_marks_are_not_shown() -> None:
    assert highlight("## 第一章 总则\n\n- **第一条** 为了政务公开", ["政务公开"]) == (
        "第一章 总则 第一条 为了<mark>政务公开</mark>")
