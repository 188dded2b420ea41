"""Search backends with one small interface; pick one with CATALOGUE_SEARCH_BACKEND."""

from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol

from indexer.expansion import TextQuery
from indexer.request import SearchRequest, SearchResult
from indexer.typos import IndexTerms


class BackendUnavailable(RuntimeError):
    """The engine cannot be reached or keeps refusing; the outbox keeps the work for later."""


@dataclass
class BulkResult:
    done: int = 0
    stale: int = 0  # refused because a newer revision is indexed
    failed: list = field(default_factory=list)  # (document id, revision, reason): permanent rejections


class SearchBackend(Protocol):
    name: str

    def bulk(self, documents: list[dict]) -> BulkResult: ...

    def delete(self, items: list[tuple[str, int]]) -> BulkResult: ...

    def search(self, request: SearchRequest, text: TextQuery | None = None) -> SearchResult: ...  # text: expanded

    def index_terms(self) -> IndexTerms: ...  # the words of the index, for typo tolerance

    def rebuild(self, documents: Iterable) -> int: ...

    @staticmethod
    def encode(document: dict): ...  # prepares a document for rebuild(); runs in builder processes

    def health(self) -> dict: ...

    def count(self) -> int: ...

    def outdated(self) -> bool: ...  # the live index was written in an older format and needs a rebuild

    def exclusive(self) -> AbstractContextManager: ...  # held by one process at a time (for that rebuild)


def make_backend(config: dict) -> SearchBackend:
    kind = config["SEARCH_BACKEND"]
    if kind == "elasticsearch":
        from indexer.backends.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend(
            config["ELASTICSEARCH_URL"],
            alias=config["ELASTICSEARCH_INDEX"],
            shards=config["ELASTICSEARCH_SHARDS"],
            replicas=config["ELASTICSEARCH_REPLICAS"],
        )
    if kind == "embedded":
        from indexer.backends.embedded import EmbeddedBackend

        return EmbeddedBackend(config["SEARCH_DIR"])
    raise ValueError(f"Unknown search backend {kind!r}: use 'embedded' or 'elasticsearch'.")
