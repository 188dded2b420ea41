"""Elasticsearch backend: versioned bulk writes, alias-swapped rebuilds, disjunctive facets."""

import contextlib
import secrets
import time
from collections.abc import Iterable

import orjson
from elasticsearch import ApiError, BadRequestError, Elasticsearch, NotFoundError, TransportError, helpers
from elasticsearch.serializer import JsonSerializer

from indexer import queries, schema
from indexer.backends import BackendUnavailable, BulkResult
from indexer.expansion import TextQuery, text_query
from indexer.request import InvalidRequest, SearchRequest, SearchResult
from indexer.schema import MAPPING_VERSION, elasticsearch_index_body
from indexer.typos import IndexTerms, TermsCache

RETRYABLE = {429, 502, 503, 504}
TERMS_KEPT_SECONDS = 60.0  # the word list for typo tolerance is checked for changes this often
TERMS_PAGE = 10_000


class AnswersByOrjson(JsonSerializer):
    """The engine's answers parsed by orjson: a search answer with its hits, highlights and facets
    (13 kB on average in the search benchmark's mix) takes 108 us instead of the standard parser's
    257 us. Requests are still written by the client's own encoder, which takes any body."""

    def loads(self, data: bytes):
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:  # what orjson refuses (NaN) the standard parser reads
            return super().loads(data)


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(
        self,
        url: str,
        alias: str = "catalogue-objects",
        shards: int = 1,
        replicas: int | None = None,
        timeout: float = 30.0,
        chunk_size: int = 500,
    ):
        """``url``: one node, or several comma-separated (the nodes of a cluster). ``replicas``:
        copies of each shard in the indexes this creates; None decides by the cluster (`replicas`)."""
        self.url, self.alias = url, alias
        self.shards, self.chunk_size = int(shards), chunk_size
        self.replicas_setting = None if replicas is None else int(replicas)
        self.client = Elasticsearch(
            node_urls(url),
            request_timeout=timeout,
            # a request that finds a node gone (refused, timed out, or 429/502-504 as it shuts down)
            # is sent again to the next node; with one URL, to the same node again
            max_retries=max(2, len(node_urls(url))),
            retry_on_timeout=True,
            serializer=AnswersByOrjson(),
        )
        self._ready = False  # the alias is known to exist
        self._terms = TermsCache(TERMS_KEPT_SECONDS)

    @property
    def replicas(self) -> int:
        """Replicas of each shard for an index this creates (ensure_index) or fills (rebuild): as
        set, or else one when the cluster has two or more data nodes, so losing a node loses no
        data and fails no search, and none on one node (a replica there can never be assigned and
        the cluster would stay yellow). Asked of the cluster each time: it may have grown."""
        if self.replicas_setting is not None:
            return self.replicas_setting
        return 1 if self.client.cluster.health()["number_of_data_nodes"] >= 2 else 0

    # writing ---------------------------------------------------------------------------
    def ensure_index(self) -> None:
        """Create the first index behind the alias when there is none."""
        if self._ready:
            return
        try:
            if not self.client.indices.exists_alias(name=self.alias):
                name = self._new_index_name()
                self._create(name, refresh_interval="1s", replicas=self.replicas)
                self.client.indices.put_alias(index=name, name=self.alias)
            self._ready = True
        except (TransportError, ApiError) as error:
            raise BackendUnavailable(f"Elasticsearch at {self.url}: {error}") from error

    def bulk(self, documents: list[dict]) -> BulkResult:
        actions = (
            {
                "_op_type": "index",
                "_index": self.alias,
                "_id": doc["id"],
                "version": doc["revision"],
                "version_type": "external_gte",
                "_source": doc,
            }
            for doc in documents
        )
        return self._stream(actions, index=self.alias)

    def delete(self, items: list[tuple[str, int]]) -> BulkResult:
        actions = (
            {
                "_op_type": "delete",
                "_index": self.alias,
                "_id": doc_id,
                "version": revision,
                "version_type": "external_gte",
            }
            for doc_id, revision in items
        )
        return self._stream(actions, index=self.alias)

    def _stream(self, actions, index: str, expand=helpers.expand_action) -> BulkResult:
        """streaming_bulk with retries on 429/5xx; per-document failures are collected, not raised."""
        if index == self.alias:
            self.ensure_index()
        result = BulkResult()
        retry_later: list = []
        try:
            for ok, item in helpers.streaming_bulk(
                self.client,
                actions,
                chunk_size=self.chunk_size,
                expand_action_callback=expand,
                raise_on_error=False,
                max_retries=4,
                initial_backoff=0.5,
                max_backoff=8,
                refresh=False,
            ):
                _count(ok, item, result, retry_later)
        except (TransportError, ApiError, helpers.BulkIndexError) as error:
            raise BackendUnavailable(f"Elasticsearch at {self.url}: {error}") from error
        if retry_later:
            raise BackendUnavailable(f"Elasticsearch kept refusing {len(retry_later)} documents (busy).")
        return result

    @staticmethod
    def encode(document: dict) -> tuple[str, int, bytes]:
        """A document ready for a rebuild: (id, revision, JSON source as UTF-8). Runs in the builder
        processes, so the process that talks to Elasticsearch does not spend its time serialising.
        orjson takes every document: the store refuses lone surrogates, and the numbers are small."""
        return document["id"], document["revision"], orjson.dumps(document)

    def rebuild(self, documents: Iterable) -> int:
        """Fill a fresh index, then swap the alias to it in one atomic step; on failure drop it.

        ``documents`` are dicts or ``encode``d tuples."""
        new_index = self._new_index_name()
        try:
            self._create(new_index, refresh_interval="-1", replicas=0)
            actions = (self.encode(doc) if isinstance(doc, dict) else doc for doc in documents)
            result = self._stream(actions, index=new_index, expand=_encoded_action(new_index))
            if result.failed:
                raise BackendUnavailable(f"{len(result.failed)} documents were rejected; first: {result.failed[0]}")
            self.client.indices.put_settings(
                index=new_index, settings={"index": {"refresh_interval": "1s", "number_of_replicas": self.replicas}}
            )
            self.client.indices.refresh(index=new_index)
            old = self._indices_behind_alias()
            swap = [{"remove": {"index": name, "alias": self.alias}} for name in old]
            swap.append({"add": {"index": new_index, "alias": self.alias}})
            self.client.indices.update_aliases(actions=swap)
        except BaseException:
            self.client.indices.delete(index=new_index, ignore_unavailable=True)
            raise
        for name in old:
            self.client.indices.delete(index=name, ignore_unavailable=True)
        self._terms.clear()
        return result.done

    # reading ---------------------------------------------------------------------------
    def search(self, request: SearchRequest, text: TextQuery | None = None) -> SearchResult:
        """``text``: the request's words as `expansion.text_query` expanded them (made here if not given)."""
        if text is None:
            text = text_query(request, self.index_terms() if request.text else None)
        body = queries.elasticsearch_body(request, text=text)
        try:
            response = self.client.search(index=self.alias, **body)
        except NotFoundError:
            return SearchResult(total=0, hits=[], facets={}, centuries=[])
        except BadRequestError as error:  # the engine refused this search: the request, not the engine, is wrong
            raise InvalidRequest(f"The search engine cannot answer this search: {error.message}") from error
        except (TransportError, ApiError) as error:
            raise BackendUnavailable(f"Elasticsearch at {self.url}: {error}") from error
        return queries.elasticsearch_result(request, response.body)

    def index_terms(self) -> IndexTerms:
        """The words of the index's text (for typo tolerance and "did you mean"), from the `words`
        keyword field by composite aggregation pages, as TermsCache keeps them (the version: how
        many writes and deletes the index has taken, so the index worker's writes count too)."""
        return self._terms.get(self.alias, self._operations, lambda: IndexTerms.of(self._words()))

    def _operations(self) -> int:
        try:
            stats = self.client.indices.stats(index=self.alias, metric="indexing")
        except NotFoundError:
            return 0
        except (TransportError, ApiError) as error:
            raise BackendUnavailable(f"Elasticsearch at {self.url}: {error}") from error
        indexing = stats["_all"]["primaries"]["indexing"]
        return indexing["index_total"] + indexing["delete_total"]

    def _words(self):
        after = None
        while True:
            composite: dict = {"size": TERMS_PAGE, "sources": [{"term": {"terms": {"field": "words"}}}]}
            if after:
                composite["after"] = after
            try:
                response = self.client.search(index=self.alias, size=0, aggs={"words": {"composite": composite}})
            except NotFoundError:
                return
            except (TransportError, ApiError) as error:
                raise BackendUnavailable(f"Elasticsearch at {self.url}: {error}") from error
            buckets = response["aggregations"]["words"]["buckets"]
            yield from ((bucket["key"]["term"], bucket["doc_count"]) for bucket in buckets)
            after = response["aggregations"]["words"].get("after_key")
            if not after or len(buckets) < TERMS_PAGE:
                return

    def outdated(self) -> bool:
        """The index behind the alias has another mapping version (documents of this release would
        be refused by its strict mapping) or was built from other data files (`documents_digest`),
        so it is rebuilt from the store by an alias swap."""
        try:
            mappings = self.client.indices.get_mapping(index=self.alias)
        except NotFoundError:
            return False
        except (TransportError, ApiError) as error:
            raise BackendUnavailable(f"Elasticsearch at {self.url}: {error}") from error
        metas = [index["mappings"].get("_meta") or {} for index in mappings.body.values()]
        built = {(meta.get("version"), meta.get("documents")) for meta in metas}
        return built != {(MAPPING_VERSION, schema.DOCUMENTS_DIGEST)}

    def exclusive(self):
        return contextlib.nullcontext()

    def count(self) -> int:
        try:
            return self.client.count(index=self.alias)["count"]
        except NotFoundError:
            return 0

    def refresh(self) -> None:
        self.client.indices.refresh(index=self.alias, ignore_unavailable=True)
        self._terms.clear()

    def health(self) -> dict:
        try:
            health = self.client.cluster.health()
            status, nodes = health["status"], health["number_of_nodes"]
            return {"backend": self.name, "status": status, "nodes": nodes, "documents": self.count()}
        except (TransportError, ApiError) as error:
            return {"backend": self.name, "status": "unavailable", "error": str(error)}

    def drop(self) -> None:
        """Delete the alias and every index behind it (tests and `reindex --fresh`)."""
        for name in self._indices_behind_alias():
            self.client.indices.delete(index=name, ignore_unavailable=True)
        self._ready = False
        self._terms.clear()

    # helpers ---------------------------------------------------------------------------
    def _new_index_name(self) -> str:
        return f"{self.alias}-{time.strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(3)}"

    def _create(self, name: str, refresh_interval: str, replicas: int) -> None:
        body = elasticsearch_index_body(self.shards, replicas)
        body["settings"]["index"]["refresh_interval"] = refresh_interval
        self.client.indices.create(index=name, **body)

    def _indices_behind_alias(self) -> list[str]:
        try:
            return list(self.client.indices.get_alias(name=self.alias).keys())
        except NotFoundError:
            return []


def node_urls(url: str) -> list[str]:
    """The nodes of a comma-separated URL list (CATALOGUE_ELASTICSEARCH_URL), blanks left out."""
    nodes = [part.strip() for part in url.split(",") if part.strip()]
    if not nodes:
        raise ValueError("No Elasticsearch URL given.")
    return nodes


def _encoded_action(index: str):
    """The bulk lines of an ``encode``d document, both as bytes: the client sends bytes as they are."""
    head = b'{"index":{"_index":' + orjson.dumps(index) + b',"_id":'

    def expand(encoded: tuple[str, int, bytes]):
        doc_id, revision, source = encoded
        return head + orjson.dumps(doc_id) + b',"version":%d,"version_type":"external_gte"}}' % revision, source

    return expand


def _count(ok: bool, item: dict, result: BulkResult, retry_later: list) -> None:
    op, info = next(iter(item.items()))
    status = info.get("status", 0)
    if ok or (op == "delete" and status == 404):
        result.done += 1
    elif status == 409:
        result.stale += 1
    elif status in RETRYABLE:
        retry_later.append(info.get("_id"))
    else:
        result.failed.append((info.get("_id"), info.get("_version"), _reason(info)))


def _reason(info: dict) -> str:
    error = info.get("error") or {}
    if isinstance(error, dict):
        return f"{error.get('type')}: {error.get('reason')}"[:500]
    return str(error)[:500]
