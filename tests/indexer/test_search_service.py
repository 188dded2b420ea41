"""The search service around a backend: suggestions for a search without results stay cheap."""

from indexer.backends.embedded import EmbeddedBackend
from indexer.request import SearchRequest
from indexer.search import MAX_REMOVAL_PROBES, SearchService
from tests.support import search_document


class CountingBackend:
    """A real embedded backend that counts the searches sent to it."""

    def __init__(self, backend):
        self.backend, self.searches = backend, 0

    def search(self, request, text=None):
        self.searches += 1
        return self.backend.search(request, text)

    def __getattr__(self, name):
        return getattr(self.backend, name)


def test_filters_to_remove_runs_a_bounded_number_of_searches(tmp_path):
    backend = CountingBackend(EmbeddedBackend(tmp_path))
    backend.bulk(
        [search_document("a", "tate", object_type=["print"]), search_document("b", "walters", object_type=["print"])]
    )
    fifty = tuple(f"museum-{n}" for n in range(50))
    request = SearchRequest(text="wave", filters={"museum": fifty, "object_type": ("painting",)})
    found = SearchService(backend).filters_to_remove(request)
    assert backend.searches == MAX_REMOVAL_PROBES == 5
    assert found == []  # no single removal among the first five brings results back


def test_filters_to_remove_names_the_value_that_empties_the_results(tmp_path):
    backend = CountingBackend(EmbeddedBackend(tmp_path))
    backend.bulk([search_document("a", "tate", object_type=["print"])])
    request = SearchRequest(text="wave", filters={"museum": ("tate",), "object_type": ("painting",)})
    assert SearchService(backend).filters_to_remove(request) == [("object_type", "painting", 1)]


def test_fewer_words_offers_the_query_without_a_word_that_empties_the_results(tmp_path):
    backend = EmbeddedBackend(tmp_path)
    backend.bulk([search_document("a", text="munch scream"), search_document("b", text="schrei wave")])
    service = SearchService(backend)
    assert service.search(SearchRequest(text="Munch Schrei")).total == 0
    # the last word is left out first; each shorter query says how many it finds
    assert service.fewer_words(SearchRequest(text="Munch Schrei")) == [("Munch", 1), ("Schrei", 1)]
    assert service.fewer_words(SearchRequest(text='Munch "great wave" -x')) == [("Munch -x", 1)]
    assert service.fewer_words(SearchRequest(text="Munch")) == []  # one word: nothing to leave out
    # the filters stay: a shorter query is offered only when it finds something with them
    assert service.fewer_words(SearchRequest(text="Munch Schrei", filters={"museum": ("walters",)})) == []


def test_fewer_words_runs_a_bounded_number_of_searches(tmp_path):
    backend = CountingBackend(EmbeddedBackend(tmp_path))
    backend.bulk([search_document("a")])
    words = " ".join(f"word{n}" for n in range(20))
    assert SearchService(backend).fewer_words(SearchRequest(text=words)) == []
    assert backend.searches == MAX_REMOVAL_PROBES


def test_did_you_mean_offers_only_a_correction_that_finds_something(tmp_path):
    backend = EmbeddedBackend(tmp_path)
    backend.bulk(
        [
            search_document("a", text="hokusai wave", words=["hokusai", "wave"]),
            search_document("b", text="deep well", words=["deep", "well"]),
        ]
    )
    service = SearchService(backend)
    assert service.did_you_mean(SearchRequest(text="hokusai wavve")) == "hokusai wave"
    assert service.did_you_mean(SearchRequest(text="hokusai welle")) is None  # "hokusai well" finds nothing
    assert service.did_you_mean(SearchRequest(text="hokusai wavve", filters={"museum": ("walters",)})) is None
