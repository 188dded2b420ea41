"""Whatever a visitor or a curator sends, the answer is never a 5xx. Hypothesis writes the requests:
every public GET route (read from the app's url_map, so a new route is fuzzed without a word here)
with odd path parameters, every search parameter with arbitrary text, and arbitrary JSON bodies for
the curator API. Each test uses one app for all its examples; the records it adds along the way
only give later examples more to trip over."""

import base64
import json
import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import fields

from catalogue.cli import cli_actor
from catalogue.records.langmap import LanguageMap
from catalogue.records.schema import Makers, ObjectRecordSchema
from catalogue.search_params import SORT_ALIASES
from indexer.schema import FACET_NAMES
from tests.support import image_bytes, record_payload

FUZZ = settings(
    max_examples=1000,  # per test (seven with the parameters below): 7,000 requests in about a minute
    deadline=None,  # the first search loads the index; speed is not what these tests are about
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SEARCH_PARAMETERS = (*FACET_NAMES, "q", "date_from", "date_to", "sort", "page", "size", "cursor", "lang", "contains")
ROUTE_PARAMETERS = (*SEARCH_PARAMETERS, "url", "format", "type", "maxwidth", "maxheight")  # and oEmbed's
ROUTE_PARAMETERS += ("verb", "metadataPrefix", "identifier", "set", "from", "until", "resumptionToken")  # OAI-PMH
SEARCH_ROUTES = ("/search", "/api/objects", "/api/suggest", *(f"/search/facets/{name}" for name in FACET_NAMES))
RECORD_FIELDS = tuple(ObjectRecordSchema._declared_fields)
PATH_ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
SPECIFIED_5XX = {("/oembed", 501)}  # oEmbed 1.0: a format the provider does not offer is a 501

# text a URL can carry (valid UTF-8), with the characters that mean something in a URL made common
URL_TEXT = st.text(st.characters(codec="utf-8") | st.sampled_from("/%.?#&=+ \x00\\"), max_size=40)
HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60)
PLAUSIBLE = st.sampled_from(
    ["1", "0", "-1", "2", "96", "101", str(10**30), "1850", "500 BCE", "AD 1200", "oldest", "newest", "title"]
    + ["relevance", "tate", "GB", "Japan", "europe", "print", "true", "false", "open", "ja", "en-GB", "wave"]
    + ["draft", "withdrawn", '"a b" -c', "CC0", "https://example.org/x", "c. 1830-32", "Edo period (1603-1867)"]
    + ["25 x 37 cm"]
)
LONG_TEXT = st.just("x" * 1001)  # longer than any facet value a record can have
PARAMETERS = st.lists(st.tuples(st.sampled_from(SEARCH_PARAMETERS), URL_TEXT | PLAUSIBLE | LONG_TEXT), max_size=8)

# JSON as curators could send it: any value (lone surrogates, huge integers, NaN and infinities as
# Python's json writes and reads them), valid records with fields replaced by values of about the
# right kind (so that many land and are read back), and raw bodies
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([10**30, 2**63, -(2**63) - 1, 10**400]),
    st.floats(),
    st.text(max_size=30),
)
KEYS = st.sampled_from((*RECORD_FIELDS, "name", "en", "text", "metadata_license", "image_rights")) | st.text(max_size=8)
ANY_JSON = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4), max_leaves=20
)
TEXT = st.text(st.characters(codec="utf-8"), max_size=40) | PLAUSIBLE
YEARS = st.integers(-200_000, 200_000) | TEXT
MAKERS = st.fixed_dictionaries({"name": TEXT}, optional={"birth_year": YEARS, "death_year": YEARS, "role": TEXT})
LANGUAGE_MAPS = st.dictionaries(st.sampled_from(["en", "ja", "zh-Hant", "none", "x bad", ""]), TEXT | st.lists(TEXT))


def values_for(field) -> st.SearchStrategy:
    """Values of about the kind a record field takes, so that many records land."""
    if isinstance(field, LanguageMap):
        return LANGUAGE_MAPS
    if isinstance(field, Makers):
        return st.lists(MAKERS | TEXT, max_size=2)
    if isinstance(field, fields.List):
        return st.lists(TEXT | st.fixed_dictionaries({"title": TEXT}, optional={"lang": TEXT}), max_size=3)
    if isinstance(field, fields.Integer):
        return YEARS
    if isinstance(field, fields.Nested):
        return st.fixed_dictionaries({}, optional={"metadata_license": TEXT, "image_rights": TEXT})
    return TEXT


def changes(values_of, most: int) -> st.SearchStrategy:
    """Up to ``most`` record fields, each with a value from ``values_of(field)``."""
    fields_and_values = st.sampled_from(RECORD_FIELDS).flatmap(
        lambda name: st.tuples(st.just(name), values_of(ObjectRecordSchema._declared_fields[name]))
    )
    return st.lists(fields_and_values, max_size=most).map(dict)


def edited_record(plausible: dict, odd: dict, dropped: set) -> dict:
    return {k: v for k, v in {**record_payload(), **plausible, **odd}.items() if k not in dropped}


RECORDS = st.builds(
    edited_record,
    changes(values_for, 3),
    changes(lambda field: ANY_JSON, 1),
    st.sets(st.sampled_from(("local_id", "makers", "rights", "country", "date_display")), max_size=2),
)
DEEP = st.integers(1, 5000).flatmap(
    lambda depth: st.sampled_from(["[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth])
)
BODIES = st.one_of(  # half of them records
    st.one_of(RECORDS, st.lists(RECORDS, max_size=3)).map(json.dumps).map(str.encode),
    st.one_of(ANY_JSON.map(json.dumps), DEEP).map(str.encode) | st.binary(max_size=60),
)


def forged_paging(backend: str, sort: str, values) -> list[tuple[str, str]]:
    """A sort and a cursor made for it, as the engines write them (base64url JSON), with any values."""
    raw = json.dumps({"b": backend, "s": SORT_ALIASES[sort], "v": values}).encode()
    return [("sort", sort), ("cursor", base64.urlsafe_b64encode(raw).decode().rstrip("="))]


FORGED_PAGING = st.builds(
    forged_paging,
    st.sampled_from(["embedded", "elasticsearch"]),
    st.sampled_from(sorted(SORT_ALIASES)),
    st.lists(SCALARS, min_size=1, max_size=4) | ANY_JSON,
)


@pytest.fixture
def search_backend():
    """The engine behind the app; the search fuzz runs on both."""
    return "embedded"


@pytest.fixture
def app_settings(request, search_backend, tmp_path):
    if search_backend == "embedded":
        return {}
    return {
        "SEARCH_BACKEND": "elasticsearch",
        "ELASTICSEARCH_URL": request.getfixturevalue("elasticsearch_url"),
        "ELASTICSEARCH_INDEX": f"fuzz-{tmp_path.parent.name}-{tmp_path.name}".lower(),  # one per run and test
    }


@pytest.fixture
def known(app, service, museum):
    """Real values for each path parameter, so that examples reach the pages behind them too."""
    outcome = service.upsert(cli_actor(), "tate", record_payload("F1", title={"en": "Wave", "ja": "浪"}))
    (image,) = service.add_images(cli_actor(), "tate", "F1", [(image_bytes(), None)])
    yield {
        "code": ["tate", "GB"],
        "record_id": [outcome.record_id],
        "local_id": ["F1", "a/b"],
        "image_id": [image.id],
        "identifier": [image.id],
        "region": ["full", "square", "0,0,10,10", "pct:10,10,50,50"],
        "size": ["max", "^max", "10,", "!20,20", "pct:50"],
        "rotation": ["0", "90", "!0", "22.5"],
        "quality_format": ["default.jpg", "color.png", "gray.webp"],
        "name": list(FACET_NAMES),
        "filename": ["style.css", "../catalogue/__init__.py"],
        "url": [f"http://catalogue.test/objects/{outcome.record_id}"],
    }
    backend = app.extensions["indexer"].backend
    if backend.name == "elasticsearch":
        backend.drop()


def get_routes(app) -> list[str]:
    return sorted({rule.rule for rule in app.url_map.iter_rules() if "GET" in (rule.methods or ())})


def route_query(known: dict) -> st.SearchStrategy:
    """Any parameter a GET route reads, with odd text or a value that names something real."""
    real = st.sampled_from([value for values in known.values() for value in values])
    return st.lists(st.tuples(st.sampled_from(ROUTE_PARAMETERS), URL_TEXT | PLAUSIBLE | LONG_TEXT | real), max_size=8)


def path_value(draw, known: dict, name: str) -> str:
    """A known value or odd text, percent-encoded, or with its slashes and percent signs left raw."""
    text = draw(st.sampled_from(known.get(name, ["x"]))) if draw(st.booleans()) else draw(URL_TEXT)
    return quote(text, safe=draw(st.sampled_from(["", "/%"])))


def assert_written_record_reads(client, auth, response) -> None:
    """What a write stored is shown again: to its curator, on its public page (a draft is not
    found there, a withdrawn record gone), and in the search."""
    if response.status_code in (200, 201) and "id" in response.get_json():
        record_id = response.get_json()["id"]
        assert client.get(f"/api/objects/{record_id}", headers=auth).status_code == 200
        assert client.get(f"/objects/{record_id}").status_code in (200, 404, 410)
        assert client.get("/search?museum=tate&sort=title").status_code == 200


@pytest.mark.parametrize("database_kind", ["sqlite", "postgresql"])
@FUZZ
@given(data=st.data())
def test_every_public_get_route_answers_below_500(app, client, auth, known, data):
    route = data.draw(st.sampled_from(get_routes(app)))
    path = PATH_ARGUMENT.sub(lambda match: path_value(data.draw, known, match.group(1)), route)
    headers = auth if data.draw(st.booleans()) else {}
    status = client.get(path, query_string=data.draw(route_query(known)), headers=headers).status_code
    assert status < 500 or (route, status) in SPECIFIED_5XX


@pytest.mark.parametrize("search_backend", ["embedded", "elasticsearch"])
@FUZZ
@given(
    route=st.sampled_from(SEARCH_ROUTES),
    query=PARAMETERS,
    paging=st.just([]) | FORGED_PAGING,
    headers=st.dictionaries(st.sampled_from(["Accept-Language", "If-None-Match", "If-Modified-Since"]), HEADER_TEXT),
)
def test_every_search_parameter_answers_below_500(client, known, route, query, paging, headers):
    assert client.get(route, query_string=query + paging, headers=headers).status_code < 500


@FUZZ
@given(body=BODIES, museum_code=st.sampled_from(["tate", "nowhere"]))
def test_curator_posts_answer_below_500(client, auth, body, museum_code):
    url = f"/api/museums/{museum_code}/objects"
    response = client.post(url, data=body, content_type="application/json", headers=auth)
    assert response.status_code < 500
    assert_written_record_reads(client, auth, response)


@pytest.mark.parametrize("database_kind", ["sqlite", "postgresql"])
@FUZZ
@given(body=BODIES, local_id=st.sampled_from(["F1", "T00001"]) | URL_TEXT, if_match=st.none() | HEADER_TEXT)
def test_curator_puts_answer_below_500(client, auth, body, local_id, if_match):
    url = f"/api/museums/tate/objects/{quote(local_id, safe='')}"
    headers = {**auth, **({"If-Match": if_match} if if_match is not None else {})}
    response = client.put(url, data=body, content_type="application/json", headers=headers)
    assert response.status_code < 500
    assert_written_record_reads(client, auth, response)
