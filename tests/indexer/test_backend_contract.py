"""The contract every SearchBackend honours (run against Whoosh and Elasticsearch)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from opengov.indexer.backend import SearchBackend
from opengov.indexer.model import IndexDocument, SearchRequest
from opengov.indexer.query import parse_query
from opengov.indexer.tokenizer import get_tokenizer

LAW_BODY = "第一条 为了保障公民、法人和其他组织依法获取政府信息，提高政府工作的透明度。"
DOCS = [
    IndexDocument(1, "中华人民共和国政府信息公开条例", body=LAW_BODY,
                  doc_number="中华人民共和国国务院令第711号", validity="有效",
                  date=dt.date(2019, 4, 3), category="policies", type="行政法规", agency="gov",
                  agency_name="示例市人民政府", version="a1"),
    IndexDocument(2, "中华人民共和国政府信息公开条例", body=LAW_BODY,
                  doc_number="中华人民共和国国务院令第492号", validity="已修改",
                  date=dt.date(2007, 4, 5), category="policies", type="行政法规", agency="gov",
                  version="a2"),
    IndexDocument(3, "国务院办公厅关于推进政务公开的意见",
                  body="政务公开是建设法治政府的重要举措，依据《中华人民共和国政府信息公开条例》。",
                  doc_number="国办发〔2018〕123号", date=dt.date(2018, 12, 1),
                  category="policies", type="意见", agency="gov", version="a3"),
    IndexDocument(4, "关于公务用车管理的通知", body="加强公務用車管理，严控三公经费。",
                  date=dt.date(2020, 1, 1), category="news", type="通知", agency="czj",
                  version="a4"),
    IndexDocument(5, "示例市2023年部门预算公开说明", summary="三公经费预算情况",
                  body="本部门2023年一般公共预算支出。", date=dt.date(2023, 2, 1),
                  category="fiscal", type="预算", agency="czj", version="a5"),
]


def _search(backend: SearchBackend, raw: str, **kwargs: object) -> tuple[int, list[int]]:
    request: SearchRequest = parse_query(raw, get_tokenizer(), **kwargs)  # type: ignore[arg-type]
    result = backend.search(request)
    return result.total, [hit.id for hit in result.hits]


def test_index_count_versions_and_delete(backend: SearchBackend) -> None:
    assert backend.index(DOCS) == 5
    assert backend.count() == 5
    assert backend.versions() == {1: "a1", 2: "a2", 3: "a3", 4: "a4", 5: "a5"}
    backend.index([replace(DOCS[3], version="b4")])
    assert backend.count() == 5
    assert backend.versions()[4] == "b4"
    backend.delete([4, 999])
    assert backend.count() == 4
    assert _search(backend, "公务用车")[0] == 0


def test_current_version_ranks_first_and_number_variants_match(backend: SearchBackend) -> None:
    backend.index(DOCS)
    assert _search(backend, "政府信息公开条例")[1][:2] == [1, 2]
    for typed in ["国办发〔2018〕123号", "國辦發（2018）123號", "国办发2018年123号", "国办发[2018]123"]:
        assert _search(backend, typed)[1][0] == 3, typed
    assert _search(backend, "国务院令第711号")[1][0] == 1
    assert _search(backend, "国令第492号")[1][0] == 2


def test_words_phrases_and_segmentation_safety_net(backend: SearchBackend) -> None:
    backend.index(DOCS)
    assert _search(backend, '"政务公开"')[1] == [3]
    assert _search(backend, "公務用車")[1] == [4]
    # 中华人民共和国 is segmented as one word of the law's title: found through it anyway.
    assert set(_search(backend, "人民共和")[1]) >= {1, 2, 3}
    total, ids = _search(backend, "三公经费 预算")
    assert ids[0] == 5
    assert total >= 1


def test_every_word_must_match_and_each_word_is_counted(backend: SearchBackend) -> None:
    backend.index(DOCS)
    request = parse_query("公务用车 部门预算", get_tokenizer())
    assert backend.search(request).total == 0
    documents, per_term = backend.term_counts(request)
    assert documents == 5
    assert per_term == [1, 1]
    only_cars = backend.search(replace(request, terms=request.terms[:1]))
    assert [hit.id for hit in only_cars.hits] == [4]


def test_filters_facets_sorting_paging_and_snippets(backend: SearchBackend) -> None:
    backend.index(DOCS)
    request = parse_query("公开", get_tokenizer())
    result = backend.search(request)
    facets = {name: {value.value: value.count for value in values}
              for name, values in result.facets.items()}
    assert facets["category"]["policies"] == 3
    assert facets["validity"] == {"有效": 2, "已修改": 1} or facets["validity"]["有效"] >= 2
    assert facets["year"]["2019"] == 1
    filtered = backend.search(replace(request, filters={"year": "2018"}))
    assert [hit.id for hit in filtered.hits] == [3]
    for sort in ("relevance", "date"):  # a value no document has: nothing, not everything
        nothing = backend.search(replace(request, sort=sort, filters={"year": "1900"}))
        assert (nothing.total, nothing.hits) == (0, [])
    by_date = backend.search(replace(request, sort="date"))
    dates = [hit.date for hit in by_date.hits]
    assert dates == sorted(dates, key=lambda d: d or dt.date.min, reverse=True)
    second = backend.search(replace(request, size=1, page=2))
    assert len(second.hits) == 1
    assert second.total == result.total
    beyond = backend.search(replace(request, size=10, page=9))
    assert beyond.hits == []
    assert beyond.total == result.total
    hit = backend.search(parse_query("公务用车", get_tokenizer())).hits[0]
    assert "<mark>公務用車</mark>" in hit.snippet
    assert hit.title == "关于公务用车管理的通知"
    assert hit.date == dt.date(2020, 1, 1)


def test_rebuild_replaces_everything(backend: SearchBackend) -> None:
    backend.index(DOCS)
    seen: list[int] = []
    assert backend.rebuild(DOCS[:2], progress=seen.append) == 2
    assert sum(seen) == 2
    assert backend.count() == 2
    assert set(backend.versions()) == {1, 2}
    assert backend.rebuild(DOCS[:2]) == 2
    assert backend.count() == 2


def test_current_version_beats_a_better_scoring_superseded_one(backend: SearchBackend) -> None:
    old = IndexDocument(6, "示例物业管理规定", body="物业管理 " * 50, validity="已修改",
                        date=dt.date(2010, 1, 1), version="o")
    new = IndexDocument(7, "示例物业管理规定", body="第一条 为了规范物业管理，制定本规定。",
                        validity="有效", date=dt.date(2020, 1, 1), version="n")
    other = IndexDocument(8, "物业服务收费办法", body="物业管理 " * 60, date=dt.date(2021, 1, 1),
                          version="x")
    backend.index([old, new, other])
    ranked = _search(backend, "示例物业管理规定")[1]
    assert ranked.index(7) < ranked.index(6)


def test_purge_keeps_deleted_documents_gone(backend: SearchBackend) -> None:
    backend.index(DOCS)
    backend.delete([4])
    backend.purge()
    assert backend.count() == 4
    assert _search(backend, "公务用车")[0] == 0


#: A small judged set every backend must rank alike (issue 18 item 6): what the page's
#: first result must be for queries typed the way people type them.
RELEVANCE_DOCS = [
    IndexDocument(11, "信访条例", body="为了保持各级人民政府同人民群众的密切联系，制定本条例。",
                  doc_number="中华人民共和国国务院令第431号", validity="失效",
                  date=dt.date(2005, 1, 10), type="行政法规", version="r11"),
    IndexDocument(12, "信访工作条例", body="为了坚持和加强党对信访工作的全面领导，做好新时代信访工作。",
                  validity="有效", date=dt.date(2022, 2, 25), type="党内法规", version="r12"),
    IndexDocument(13, "中华人民共和国个人所得税法", body="在中国境内有住所的个人，依照本法规定缴纳个人所得税。",
                  doc_number="中华人民共和国主席令第九号", date=dt.date(2018, 8, 31),
                  type="法律", version="r13"),
    IndexDocument(14, "医疗保障基金使用监督管理条例", body="为了加强医疗保障基金使用监督管理，保障基金安全。",
                  doc_number="中华人民共和国国务院令第735号", date=dt.date(2021, 1, 15),
                  type="行政法规", version="r14"),
    IndexDocument(15, "第十三届全国人民代表大会第三次会议关于政府工作报告的决议",
                  body="会议充分肯定国务院过去一年的工作，同意报告提出的今年工作部署。",
                  date=dt.date(2020, 5, 28), type="决议", version="r15"),
    IndexDocument(16, "2026年示例省政府工作报告", body="过去一年，全省经济运行稳中有进。政府工作报告。",
                  date=dt.date(2026, 1, 27), type="政府工作报告", version="r16"),
    IndexDocument(17, "国务院关于2018年度国家科学技术奖励的决定", body="为了全面贯彻落实科教兴国战略。",
                  doc_number="国发〔2018〕44号", date=dt.date(2018, 12, 28), type="决定",
                  version="r17"),
]
RELEVANCE = [
    ("信访", 12), ("信访条例", 11), ("个税法", 13), ("735号令", 14), ("国令735", 14),
    ("国务院735号令", 14), ("国发2018-44", 17), ("国发44号文", 17), ("主席令第9号", 13),
    ("2020年政府工作报告", 15), ("2018年度科学技术奖励", 17), ("政府信息公开条例", 1),
    ("國辦發（2018）123號", 3), ("周杰伦演唱会门票", None),
]


def test_the_judged_relevance_set_ranks_alike(backend: SearchBackend) -> None:
    from opengov.indexer.lexicon import built_in_lexicon

    backend.index([*DOCS, *RELEVANCE_DOCS])
    for query, expected in RELEVANCE:
        request = parse_query(query, get_tokenizer(), synonyms=built_in_lexicon())
        result = backend.search(request)
        if expected is None:
            assert result.total == 0, query
        else:
            assert result.hits, query
            assert result.hits[0].id == expected, (
                query, [(hit.id, hit.title, round(hit.score, 2)) for hit in result.hits[:3]])
