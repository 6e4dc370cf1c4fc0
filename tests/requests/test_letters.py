"""Every outcome's letter: rendered as the handler would issue it, without drafting notes,
citing exactly its own article and item; the PDF keeps numbers whole and the GB/T 9704 order."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from opengov.site.db import unit_of_work
from opengov.site.requests.models import InfoRequest, RequestLetter
from opengov.site.requests.rules.outcomes import REPLIES, Reply
from opengov.site.requests.service import letters

Filer = Callable[..., tuple[InfoRequest, str]]

#: An article with its paragraph or item: 第三十六条第（二）项, 第十六条第二款, 第三十条.
CITATION = re.compile(r"第[一二三四五六七八九十]+条(?:第[一二三四五六七八九十]+款)?"
                      r"(?:第（[一二三四五六七八九十]+）项)?")
#: What template drafting notes look like: "（已经主动公开的，告知获取的方式和途径）".
DRAFTING_NOTE = re.compile(r"（[^）]*(?:的，|告知|说明理由|如有|XX|××)[^）]*）|\{|\}|【|】")
EXPECTED = {
    "1": {"第三十六条第（二）项"}, "1-published": {"第三十六条第（一）项"},
    "2": {"第三十七条"}, "3.1": {"第十四条", "第三十六条第（三）项"},
    "3.4": {"第十五条", "第三十六条第（三）项"}, "3.5": {"第十六条第一款", "第三十六条第（三）项"},
    "3.6": {"第十六条第二款", "第三十六条第（三）项"}, "3.8": {"第三十六条第（七）项"},
    "4.1": {"第三十六条第（四）项"}, "4.1-elsewhere": {"第三十六条第（五）项"},
    "4.2": {"第三十八条"}, "4.3": {"第三十条"}, "5.1": {"第三十九条第一款"},
    "5.2": {"第三十六条第（六）项"}, "5.3": {"第三十九条第二款"}, "5.4": {"第三十五条"},
    "6.1": {"第三十条"}, "6.2": set(),
}


def _compose(request: InfoRequest, reply: Reply) -> str:
    return letters.compose(
        request, "lapse" if reply.key in ("6.1", "6.2") else "reply", reply=reply,
        detail="详见附表" if reply.needs_detail else "",
        other_body="示例市财政局，电话0000-12345678" if reply.needs_other_body else "",
        releases=["答复材料.pdf"] if reply.releases_files else [])


@pytest.mark.parametrize("key", list(REPLIES))
def test_every_outcome_letter_cites_exactly_its_article(key: str, db_session: Session,
                                                        file_request: Filer) -> None:
    filed, _ = file_request()
    reply = REPLIES[key]
    body = _compose(filed, reply)
    assert not DRAFTING_NOTE.search(body), body
    assert set(CITATION.findall(body)) == set(reply.articles)
    if key in EXPECTED:
        assert set(reply.articles) == EXPECTED[key]
    paragraphs = body.split("\n")
    # The addressee is kept apart, encrypted (:func:`letters.paragraphs` puts it in front).
    assert paragraphs[0].startswith("本机关于2025年9月26日收到您提出的政府信息公开申请")
    assert "张三" not in body
    # The decision paragraph opens the answer once: no second "经审查" after it.
    assert sum(paragraph.startswith("经审查") for paragraph in paragraphs) <= 1
    assert reply.decision() in body
    assert paragraphs[-1].startswith("如对本答复不服")
    if reply.releases_files:
        assert "附件" in body


def _issue(filed: InfoRequest, key: str) -> RequestLetter:
    with unit_of_work() as session:
        request = session.get(InfoRequest, filed.id)
        assert request is not None
        reply = REPLIES[key]
        return letters.issue(session, request, "reply", dt.date(2026, 1, 9),
                             _compose(request, reply), enclosures=["答复材料.pdf", "附表.pdf"])


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_pdf_letter_never_breaks_a_number(db_session: Session, file_request: Filer,
                                              tmp_path: Path) -> None:
    filed, _ = file_request(description="某某街道2025年度" + "老旧小区改造" * 8 + "资金的拨付文件")
    letter = _issue(filed, "1")
    path = tmp_path / "letter.pdf"
    with unit_of_work() as session:
        stored = session.get(RequestLetter, letter.id)
        assert stored is not None
        path.write_bytes(letters.render_pdf(stored))
    shutil.copy(path, Path("/tmp/i12-letter.pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    # Page numbers (— 1 —) are not part of the text.
    lines = [line.strip() for line in text.splitlines()
             if line.strip() and not re.fullmatch(r"—\s*\d+\s*—", line.strip())]
    assert lines[0] == "政府信息公开申请答复书"
    assert lines[1] == letter.number  # the 发文字号 line under the title
    assert lines[2] == "张三："
    assert any(filed.number in line for line in lines)  # YSQ-2025-000001 on one line
    assert any("2025年9月26日" in line for line in lines)
    assert "附件：1.答复材料.pdf" in text
    assert lines[-2:] == ["示例市人民政府", "2026年1月9日"]
    # 避头: no line begins with a closing mark.
    assert not any(line[0] in "，。、；：）》”" for line in lines)
