"""Import the shared corpus of real government texts (``MANIFEST.tsv``) as documents.

Optional demo and benchmark content (issue 2 item 4), published by the root agency. Each
row becomes one document keyed by its manifest path, so a second import updates what
changed and duplicates nothing; every created or changed document is queued for the index.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.agencies import service as agencies
from opengov.site.agencies.models import Agency
from opengov.site.catalog.models import Category, Document
from opengov.site.catalog.rules.metadata import Disclosure, PublicationStatus, Validity
from opengov.site.catalog.service.columns import category_by_slug, issue_index_no
from opengov.site.catalog.service.outbox import enqueue
from opengov.site.db import unit_of_work

ROOT_AGENCY = ("gov", "示例市人民政府", "007000001")
KEY_PREFIX = "corpus/"

#: Manifest doc_type → column. Laws, regulations and State Council documents are the
#: 政策文件 of 条例 Art. 20(1); a government work report states the year's plan
#: (规划信息, Art. 20(3)); the NPC resolutions on them and the rest are other statutory items.
CATEGORY_OF_TYPE = {
    "法律": "policies", "行政法规": "policies", "宪法": "policies", "司法解释": "policies",
    "部门规章": "policies", "地方性法规": "policies", "国务院文件": "policies",
    "政府工作报告": "plans", "决议": "other-statutory", "其他": "other-statutory",
}
#: 公文种类 read from the end of a State Council document's title.
_TITLE_GENRES = ("意见", "通知", "决定", "公告", "通告", "批复", "报告", "办法", "规定", "函")
_GENRE_ALIASES = {"批复": "其他文件", "办法": "其他文件", "规定": "其他文件", "函": "其他文件",
                  "报告": "报告"}


class CorpusError(ValueError):
    """The manifest cannot be read; the message names the file and the line."""


@dataclass
class CorpusRow:
    path: str
    title: str
    date: str
    issuer: str
    doc_number: str
    doc_type: str
    status: str
    note: str


@dataclass
class CorpusReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    missing: list[str] = field(default_factory=list)


def read_manifest(corpus_dir: Path) -> list[CorpusRow]:
    manifest = corpus_dir / "MANIFEST.tsv"
    if not manifest.is_file():
        raise CorpusError(f"{manifest}：找不到语料清单 MANIFEST.tsv")
    rows: list[CorpusRow] = []
    with manifest.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        required = {"path", "title", "date", "issuing_body", "doc_number", "doc_type",
                    "status"}
        missing = required - set(reader.fieldnames or ())
        if missing:
            raise CorpusError(f"{manifest}：缺少列 {', '.join(sorted(missing))}")
        for line, raw in enumerate(reader, start=2):
            if not raw["path"] or not raw["title"]:
                raise CorpusError(f"{manifest} 第{line}行：path 和 title 不能为空")
            rows.append(CorpusRow(raw["path"], raw["title"].strip(), raw["date"].strip(),
                                  raw["issuing_body"].strip(), raw["doc_number"].strip(),
                                  raw["doc_type"].strip(), raw["status"].strip(),
                                  (raw.get("note") or "").strip()))
    return rows


def parse_text(text: str) -> tuple[str, str]:
    """``(summary, body)`` of a corpus file: the title line goes; LawRefBook's promulgation
    lines (before ``<!-- INFO END -->``) become the summary; the gov.cn metadata block
    (before ``---``) is dropped, it is in the catalog fields already."""
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    text = "\n".join(lines).strip()
    if "<!-- INFO END -->" in text:
        header, _sep, body = text.partition("<!-- INFO END -->")
        summary = "；".join(" ".join(line.split()) for line in header.split("\n") if line.strip())
        return summary[:500], body.strip()
    head, sep, body = text.partition("\n---\n")
    if sep and re.search(r"^发文字号：|^索引号：", head, re.M):
        return "", body.strip()
    return "", text


def _dates(row: CorpusRow, today: dt.date) -> tuple[dt.date | None, dt.date]:
    """(成文日期, 发布日期): a year alone publishes on 1 January; no date at all, on the
    import day; State Council documents carry their gov.cn publication date in the note."""
    written: dt.date | None = None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", row.date):
        written = dt.date.fromisoformat(row.date)
    published = written
    found = re.search(r"发布日期 (\d{4}-\d{2}-\d{2})", row.note)
    if found:
        published = dt.date.fromisoformat(found[1])
    if published is None and re.fullmatch(r"\d{4}", row.date):
        published = dt.date(int(row.date), 1, 1)
    return written, published or today


def _genre(row: CorpusRow) -> str:
    if row.doc_type == "国务院文件":
        for suffix in _TITLE_GENRES:
            if row.title.endswith(suffix):
                return _GENRE_ALIASES.get(suffix, suffix)
        return "其他文件"
    if row.doc_type in {"决议"}:
        return "其他文件"
    return row.doc_type or "其他"


def _validity(row: CorpusRow, current_titles: set[str]) -> Validity:
    if row.status.startswith("已失效"):
        # A newer version of the same title is in force: this one was amended.
        return Validity.AMENDED if row.title in current_titles else Validity.EXPIRED
    return Validity.VALID


def root_agency(session: Session) -> Agency:
    """The government itself, created minimally when the site has no agencies yet."""
    code, name, org_code = ROOT_AGENCY
    agency = agencies.find_agency(code)
    if agency is None:
        agency = Agency(code=code, name=name, org_code=org_code, kind="government")
        session.add(agency)
        session.flush()
    return agency


def import_corpus(corpus_dir: Path, *, progress: Callable[[int], None] | None = None,
                  today: dt.date | None = None, batch: int = 100) -> CorpusReport:
    """``opengov import-corpus``: create or update one published document per manifest row.

    Commits in batches of ``batch`` rows, each in its own unit of work: a corpus of
    thousands of texts never holds the write lock for long, and an interrupted import keeps
    what it did (a second run, being idempotent, finishes the rest)."""
    today = today or clock.today()
    rows = read_manifest(corpus_dir)
    with unit_of_work() as session:
        agency = root_agency(session)
        categories: dict[str, Category] = {}
        for slug in set(CATEGORY_OF_TYPE.values()):
            category = category_by_slug(session, slug)
            if category is None:
                raise CorpusError("栏目尚未建立：请先运行 opengov init")
            categories[slug] = category
        existing = {document.content_key: document for document in session.scalars(
            select(Document).where(Document.content_key.startswith(KEY_PREFIX)))}
    current_titles = {row.title for row in rows if not row.status.startswith("已失效")}
    report = CorpusReport()
    for start in range(0, len(rows), batch):
        # The rows read above stay in the session between units of work (nothing expires
        # on commit), so each batch updates them without reading them again.
        with unit_of_work() as session:
            for row in rows[start:start + batch]:
                path = corpus_dir / row.path
                if not path.is_file():
                    report.missing.append(row.path)
                else:
                    _import_row(session, row, path, agency, categories, current_titles,
                                existing, report, today)
                if progress is not None:
                    progress(1)
    return report


def _import_row(session: Session, row: CorpusRow, path: Path, agency: Agency,
                categories: dict[str, Category], current_titles: set[str],
                existing: dict[str | None, Document], report: CorpusReport,
                today: dt.date) -> None:
    summary, body = parse_text(path.read_text(encoding="utf-8"))
    written, published = _dates(row, today)
    key = KEY_PREFIX + row.path.removesuffix(".md")
    values = {
        "title": row.title, "summary": summary, "body": body, "genre": _genre(row),
        "issuer": row.issuer, "doc_number": row.doc_number, "date_written": written,
        "published_on": published, "validity": _validity(row, current_titles),
        "category": categories[CATEGORY_OF_TYPE.get(row.doc_type, "other-statutory")],
        "source": row.issuer, "body_hash": hashlib.sha256(body.encode()).hexdigest(),
    }
    document = existing.get(key)
    if document is None:
        document = Document(content_key=key, agency=agency, status=PublicationStatus.PUBLISHED,
                            disclosure=Disclosure.PROACTIVE, **values)
        document.index_no = issue_index_no(session, agency, published.year)
        session.add(document)
        session.flush()
        existing[key] = document
        report.created += 1
    elif any(getattr(document, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(document, name, value)
        session.flush()
        report.updated += 1
    else:
        report.unchanged += 1
        return
    enqueue(session, document.id)
