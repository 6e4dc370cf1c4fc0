"""A catalog of any size built from variants of the shared corpus, for the scale benchmarks.

    .venv/bin/python -m bench.catalog_variants INSTANCE SIZE

creates (or grows) the SQLite site in INSTANCE: the 1,898 corpus documents, then variants of
them until SIZE public documents. A variant is what a larger government's catalog holds
more of — the same kinds of texts from other places and years: the title carries another
region's name, the body joins paragraphs of two corpus texts, the dates move by whole
years, the document number takes the region's issuer code, and the variants spread over the
site's agencies and columns. Deterministic for a given SIZE. The search index is not built
here (the benchmarks time that).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import sys
import time
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from opengov.site import (  # noqa: E402
    clock,
    create_app,
    migrate,
)
from opengov.site.agencies.models import Agency  # noqa: E402
from opengov.site.bootstrap import initialise  # noqa: E402
from opengov.site.catalog.models import Category, Document  # noqa: E402
from opengov.site.catalog.rules.metadata import (  # noqa: E402
    Disclosure,
    PublicationStatus,
)
from opengov.site.catalog.service.public import public_clause  # noqa: E402
from opengov.site.content.service.corpus import import_corpus  # noqa: E402
from opengov.site.db import get_database, get_session, unit_of_work  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
REGIONS = ("东城区", "西湖区", "南山区", "北仑区", "江宁区", "天河区", "武侯区", "雨花区",
           "历下区", "鼓楼区", "思明区", "岳麓区", "渝中区", "莲湖区", "长安区", "滨海新区",
           "青羊区", "庐阳区", "金水区", "洪山区", "秀英区", "城关区", "新城区", "和平区")
COLUMNS = ("policies", "statutory", "interpretations", "news", "rules", "plans",
           "other-statutory")
BATCH = 1000


def site(instance: Path) -> Flask:
    """The benchmark site in ``instance``, with the corpus imported once."""
    instance.mkdir(parents=True, exist_ok=True)
    database = instance / "opengov.sqlite3"
    fresh = not database.exists()
    app = create_app({"INSTANCE_PATH": instance, "SECRET_KEY": "bench",
                      "DATABASE_URL": f"sqlite:///{database}"})
    with app.app_context():
        if fresh:
            initialise()
            import_corpus(CORPUS)
        else:  # a site of an earlier run: brought to the current schema
            migrate.upgrade(get_database().engine)
    return app


def public_count(app: Flask) -> int:
    with app.app_context():
        return int(get_session().scalar(select(func.count(Document.id)).where(public_clause()))
                   or 0)


def _paragraphs(text: str) -> list[str]:
    return [part for part in text.split("\n\n") if part.strip()] or [text]


def _shift(day: dt.date | None, years: int) -> dt.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def grow(app: Flask, size: int, seed: int = 18) -> int:
    """Add variants until the site has ``size`` public documents; returns how many it has."""
    have = public_count(app)
    if have >= size:
        return have
    rng = random.Random(f"{seed}-{size}")
    with app.app_context():
        session = get_session()
        originals = list(session.scalars(select(Document).where(
            public_clause(), Document.content_key.like("corpus/%")).order_by(Document.id)))
        agencies = list(session.scalars(select(Agency).order_by(Agency.id)))
        columns = [c for c in session.scalars(select(Category)) if c.slug in COLUMNS]
        source = [(d.title, d.summary, d.body, d.genre, d.issuer, d.doc_number, d.topic,
                   d.validity, d.published_on, d.date_written) for d in originals]
    today = clock.today()
    number = have
    while number < size:
        with app.app_context(), unit_of_work() as session:
            for _ in range(min(BATCH, size - number)):
                number += 1
                (title, summary, body, genre, issuer, doc_number, topic, validity,
                 published, written) = source[number % len(source)]
                other = source[rng.randrange(len(source))][2]
                region = REGIONS[number % len(REGIONS)]
                years = rng.randrange(0, 8)
                parts = _paragraphs(body)
                extra = _paragraphs(other)
                mixed = parts[: max(1, len(parts) // 2)] + extra[: max(1, len(extra) // 3)]
                published_on = min(_shift(published, years) or today, today)
                session.add(Document(
                    content_key=f"variant/{number}", agency_id=agencies[number % len(agencies)].id,
                    category_id=columns[number % len(columns)].id,
                    title=f"{region}{title}", summary=summary,
                    body="\n\n".join(mixed), genre=genre, issuer=f"{region}{issuer}"[:200],
                    doc_number=(f"{region[:2]}{doc_number}" if doc_number else "")[:100],
                    index_no=None, date_written=_shift(written, years),
                    published_on=published_on, topic=topic, validity=validity,
                    disclosure=Disclosure.PROACTIVE, status=PublicationStatus.PUBLISHED,
                    body_hash=hashlib.sha256(f"variant/{number}".encode()).hexdigest()))
    return public_count(app)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance", type=Path)
    parser.add_argument("size", type=int)
    args = parser.parse_args()
    started = time.perf_counter()
    app = site(args.instance)
    count = grow(app, args.size)
    print(f"{args.instance}: {count} public documents ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
