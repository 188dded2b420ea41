"""No request gets a 5xx for what it sends: every bad request is a clear 4xx with a message (JSON
under /api and /iiif, the HTML error page elsewhere), and a search engine that is down is a 503 that
says so. Each test is one kind of hostile or broken request from the issue "No 5xx for any request"."""

import base64
import json

import pytest

from catalogue.cli import cli_actor
from tests.support import make_app, post_form, record_payload

OBJECTS = "/api/museums/tate/objects"
UNREACHABLE_ENGINE = "http://127.0.0.1:9"  # the discard port: nothing listens there


def assert_clear_error(response, status: int) -> None:
    """The status, and a message the visitor can read: JSON on the API, the error page elsewhere."""
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    if response.request.path.startswith(("/api/", "/iiif/")):
        assert response.is_json and response.get_json()["message"]
    else:
        assert response.mimetype == "text/html"
        assert 'id="error-message">' in response.get_data(as_text=True)  # the error page, with its message


def base64url(text: str) -> str:
    """A cursor as the API writes them: URL-safe base64 without padding."""
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def forged(backend: str, sort: str, values: str) -> str:
    """A cursor with a well-formed envelope and sort values written as raw JSON text."""
    return base64url(f'{{"b":"{backend}","s":"{sort}","v":{values}}}')


@pytest.fixture(scope="module", params=["embedded", "elasticsearch"])
def searchable(request, tmp_path_factory):
    """A client of an app whose index holds a few records, on each backend: a forged cursor must
    reach the engine's own paging code to show that it is refused before it does harm."""
    settings = {
        "DATA_DIR": str(tmp_path_factory.mktemp(f"no-5xx-{request.param}")),
        "BASE_URL": "http://catalogue.test",
        "SEARCH_BACKEND": request.param,
    }
    if request.param == "elasticsearch":
        settings["ELASTICSEARCH_URL"] = request.getfixturevalue("elasticsearch_url")
        settings["ELASTICSEARCH_INDEX"] = f"no-5xx-{tmp_path_factory.getbasetemp().name}"
    app = make_app(settings)
    service = app.extensions["catalogue"]
    service.register_museum(cli_actor(), {"code": "tate", "names": {"en": ["Tate"]}, "country": "GB"})
    for number in range(5):
        service.upsert(cli_actor(), "tate", record_payload(f"V{number}", title=f"Quetzal vase {number}"))
    backend = app.extensions["indexer"].backend
    backend.refresh()
    yield request.param, app.test_client()
    if request.param == "elasticsearch":
        backend.drop()


@pytest.fixture
def unreachable_engine(tmp_path):
    """An app whose Elasticsearch is a real address where nothing answers."""
    app = make_app(
        {"DATA_DIR": str(tmp_path / "down"), "SEARCH_BACKEND": "elasticsearch", "ELASTICSEARCH_URL": UNREACHABLE_ENGINE}
    )
    yield app.test_client()
    app.extensions["catalogue"].store.dispose()


@pytest.mark.parametrize(
    "method, path", [("POST", "/search"), ("PUT", "/"), ("DELETE", "/museums/tate"), ("PATCH", "/objects/x")]
)
def test_other_methods_on_pages_are_405_with_allow_and_the_error_page(client, method, path):
    response = client.open(path, method=method)
    assert_clear_error(response, 405)
    assert "GET" in response.headers["Allow"]
    assert "not allowed" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    ["date_from=abc", "sort=x", "&".join(f"museum=m{n}" for n in range(51)), "date_from=2000&date_to=1"],
)
def test_the_facet_values_page_refuses_invalid_parameters(client, query):
    assert_clear_error(client.get(f"/search/facets/museum?{query}"), 400)


def test_the_facet_values_page_ignores_the_page_it_does_not_use(client):
    """Facet values do not page with the results, so a page number, however absurd, changes nothing."""
    assert client.get("/search/facets/museum?page=99999999999999999999").status_code == 200


def test_an_unknown_facet_is_404(client):
    assert_clear_error(client.get("/search/facets/shoe-size"), 404)


FORGED_CURSORS = {
    "nested arrays": lambda backend: base64url("[" * 2000),
    "nested objects": lambda backend: base64url('{"b":' * 2000 + "1" + "}" * 2000),
    "nested sort values": lambda backend: forged(backend, "title", "[" * 2000 + "]" * 2000),
    "huge integers": lambda backend: forged(backend, "title", f'[{10**30}, {10**30}, "x"]'),
    "huge integers for dates": lambda backend: forged(backend, "date_asc", f'[{10**30}, "x"]'),
    "huge integer dates with the year": lambda backend: forged(backend, "date_asc", f'[0, {-(10**30)}, "x"]'),
    "huge integers for relevance": lambda backend: forged(backend, "relevance", f'[{10**30}, "x"]'),
    "a score beyond range": lambda backend: forged(backend, "relevance", f'[{10**400}, 0, "x"]'),
    "a score beyond range with a masterpiece": lambda backend: forged(
        backend, "relevance", f'[{10**400}, "true", "x"]'
    ),
    "infinity": lambda backend: forged(backend, "relevance", '[1e999, "false", "x"]'),
    "not a number": lambda backend: forged(backend, "relevance", '[NaN, "false", "x"]'),
    "numbers for a title": lambda backend: forged(backend, "title", "[1, 2]"),
    "text for a date": lambda backend: forged(backend, "date_asc", '["soon", "x"]'),
    "booleans": lambda backend: forged(backend, "relevance", "[true, true, true]"),
    "nulls": lambda backend: forged(backend, "relevance", "[null, null]"),
    "objects": lambda backend: forged(backend, "title", '[{"a": 1}, "x"]'),
    "no values": lambda backend: forged(backend, "title", "[]"),
    "too many values": lambda backend: forged(backend, "title", '["a", "b", "c", "d"]'),
    "values not a list": lambda backend: forged(backend, "title", '"a"'),
    "another backend": lambda backend: forged("solr", "title", '["a", "b"]'),
    "another sort": lambda backend: forged(backend, "date_desc", '["a", "b"]'),
    "a lone surrogate": lambda backend: forged(backend, "title", '["\\ud800", "x"]'),
    "not json": lambda backend: base64url("not json"),
    "not utf-8": lambda backend: base64.urlsafe_b64encode(b"\xff\xfe\x00").decode(),
    "garbage": lambda backend: "!!garbage%%",
    "bad padding": lambda backend: "a",
}


@pytest.mark.parametrize("path", ["/api/objects", "/search"])
@pytest.mark.parametrize("name", FORGED_CURSORS)
def test_a_forged_cursor_is_400(searchable, path, name):
    backend, web = searchable
    cursor = FORGED_CURSORS[name](backend)
    for sort in ("title", "oldest", "relevance"):
        for q in ("", "vase"):
            response = web.get(path, query_string={"cursor": cursor, "sort": sort, "q": q})
            assert_clear_error(response, 400)


def test_a_cursor_from_the_engine_still_pages(searchable):
    """The guard against forged cursors lets every real one through, on every sort."""
    _backend, web = searchable
    for sort in ("title", "oldest", "newest", "relevance"):
        for q in ("", "vase"):
            first = web.get("/api/objects", query_string={"sort": sort, "q": q, "size": 2}).get_json()
            after = web.get(
                "/api/objects", query_string={"sort": sort, "q": q, "size": 2, "cursor": first["next_cursor"]}
            )
            assert after.status_code == 200 and len(after.get_json()["hits"]) == 2, (sort, q)


@pytest.mark.parametrize("page", ["200000000000000000", "-1", "abc", "0", "²", "1.5", " 1", "99999999"])
def test_a_museum_page_number_out_of_range_is_4xx(client, museum, page):
    response = client.get(f"/museums/tate?page={page}")
    assert_clear_error(response, 404 if page == "99999999" else 400)


@pytest.mark.parametrize("path", ["/search", "/api/objects"])
@pytest.mark.parametrize(
    "query", [f"page={10**30}", f"page={10**30}&cursor=", "page=1e3", "size=1e3", f"page={'9' * 5000}"]
)
def test_a_huge_search_page_number_is_400(client, path, query):
    assert_clear_error(client.get(f"{path}?{query}"), 400)


def test_a_huge_page_number_with_a_cursor_is_400(searchable):
    _backend, web = searchable
    cursor = web.get("/api/objects?size=1").get_json()["next_cursor"]
    for path in ("/search", "/api/objects"):
        assert_clear_error(web.get(path, query_string={"page": str(10**30), "size": 1, "cursor": cursor}), 400)


DEEP_BODIES = {
    "10,000 nested arrays": "[" * 10_000 + "]" * 10_000,
    "10,000 nested objects": '{"a":' * 10_000 + "1" + "}" * 10_000,
    "a record with a deep title": '{"local_id": "d", "title": ' + '{"en":' * 900 + '"x"' + "}" * 900 + "}",
    "a record with deep dimensions": '{"local_id": "d", "title": "x", "dimensions": ' + "[" * 900 + "]" * 900 + "}",
}


@pytest.mark.parametrize("method, path", [("POST", OBJECTS), ("PUT", f"{OBJECTS}/d")])
@pytest.mark.parametrize("name", DEEP_BODIES)
def test_deeply_nested_json_is_400(client, auth, method, path, name):
    response = client.open(path, method=method, data=DEEP_BODIES[name], content_type="application/json", headers=auth)
    assert_clear_error(response, 400)


SURROGATE_BODIES = {  # JSON text: "\ud800" is a lone surrogate, which no UTF-8 text can hold
    "local_id": r'{"local_id": "\ud800", "title": "Wave"}',
    "source_url": r'{"local_id": "s1", "title": "Wave", "source_url": "https://example.org/\ud800"}',
    "title": r'{"local_id": "s1", "title": {"en": ["\ud800"]}}',
    "makers": r'{"local_id": "s1", "title": "Wave", "makers": [{"name": "\ud800"}]}',
}


@pytest.mark.parametrize("method, path", [("POST", OBJECTS), ("PUT", f"{OBJECTS}/s1")])
@pytest.mark.parametrize("field", SURROGATE_BODIES)
def test_a_lone_surrogate_is_400_naming_the_field(client, auth, method, path, field):
    body = SURROGATE_BODIES[field]
    response = client.open(path, method=method, data=body, content_type="application/json", headers=auth)
    assert_clear_error(response, 400)
    assert any(error["field"].startswith(field) for error in response.get_json()["errors"])


def test_a_lone_surrogate_in_an_import_rejects_only_its_row(runner, service, museum, tmp_path):
    good = [json.dumps({**record_payload(f"G{n}"), "museum": "tate"}) for n in range(3)]
    bad = '{"museum": "tate", "local_id": "B\\ud800", "title": "Wave \\udfff", "makers": ["\\ud800"]}'
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join([good[0], bad, good[1], good[2]]) + "\n", encoding="utf-8")
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1, result.output
    assert "rejected line 2" in result.output
    assert all(line.isprintable() for line in result.output.splitlines())
    assert result.output.strip().splitlines()[-1] == "created 3, updated 0, unchanged 0, warned 0, rejected 1"
    assert {r.local_id for r in service.store.list_records(museum="tate", limit=10)} == {"G0", "G1", "G2"}


@pytest.mark.parametrize(
    "path", ["/api/suggest?q=wave", "/api/objects?q=wave", "/search?q=wave", "/search/facets/maker"]
)
def test_a_search_engine_that_is_down_is_503_with_a_message(unreachable_engine, path):
    response = unreachable_engine.get(path)
    assert_clear_error(response, 503)
    assert "unavailable" in response.get_data(as_text=True)


ODD_QUERIES = {
    "NUL bytes": "q=wave%00&museum=%00&date_from=%00&lang=%00&cursor=%00",
    "invalid percent-encoding": "q=%zz%&museum=%e&sort=%%",
    "invalid UTF-8": "q=%ff%fe&museum=%ff&lang=%ff&date_from=%c3",
    "100 KB values": "&".join(f"{name}={'x' * 100_000}" for name in ("q", "museum", "lang", "contains")),
    "100 KB of digits": f"date_from={'1' * 100_000}&size={'1' * 100_000}",
    "repeated parameters": "&".join(["q=a", "q=b", "sort=title", "sort=x", "page=1", "page=2", "size=1", "size=2"]),
    "lang garbage": "lang=%22%3E%3Cscript%3E&lang=-&lang=zz-ZZ-x-" + "a" * 300,
}
ODD_HEADERS = {
    "Accept-Language garbage": {"Accept-Language": ";q=;,,,-,*;q=2,\x7f" + "x" * 5000},
    "If-None-Match garbage": {"If-None-Match": 'W/"unterminated, "", *, W/, ,,' + "\\" * 100},
    "If-Match garbage": {"If-Match": '"', "If-Modified-Since": "yesterday", "Range": "bytes=9-1"},
}
PAGES = ["/", "/search", "/api/objects", "/api/suggest", "/search/facets/museum", "/museums/tate", "/api/museums"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("name", ODD_QUERIES)
def test_odd_query_strings_are_never_5xx(searchable, path, name):
    _backend, web = searchable
    response = web.get(f"{path}?{ODD_QUERIES[name]}")
    assert response.status_code < 500
    if response.status_code >= 400:
        assert_clear_error(response, response.status_code)


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("name", ODD_HEADERS)
def test_odd_headers_are_never_5xx(searchable, path, name):
    _backend, web = searchable
    response = web.get(path, headers=ODD_HEADERS[name])
    assert response.status_code < 500
    if response.status_code >= 400:
        assert_clear_error(response, response.status_code)


@pytest.mark.parametrize("image_id", ["../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "x" * 20_000, "%ff", "ı̇", "%2e%2e"])
@pytest.mark.parametrize("variant", ["original", "thumbnail"])
def test_absurd_image_ids_are_404(client, image_id, variant):
    assert_clear_error(client.get(f"/images/{image_id}/{variant}"), 404)


@pytest.mark.parametrize("database_kind", ["sqlite", "postgresql"])
@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/images/%00/original"),
        ("GET", "/images/a%00b/thumbnail"),
        ("GET", "/objects/%00"),
        ("GET", "/museums/%00"),
        ("GET", "/api/objects/%00"),
        ("GET", "/api/museums/%00"),
        ("GET", f"{OBJECTS}/a%00b"),
        ("PUT", f"{OBJECTS}/a%00b"),
        ("DELETE", f"{OBJECTS}/a%00b"),
        ("POST", "/api/museums/%00/objects"),
    ],
)
def test_a_nul_in_the_path_is_400_on_every_database(client, auth, database_kind, method, path):
    """PostgreSQL refuses NUL even in a lookup, so the request must stop before the database."""
    response = client.open(path, method=method, json=record_payload("a"), headers=auth)
    assert_clear_error(response, 400)
    assert "NUL" in response.get_data(as_text=True)


# numbers in the path past what an id column holds -------------------------------------------
@pytest.mark.parametrize("database_kind", ["sqlite", "postgresql"])
@pytest.mark.parametrize("number", [2**31, 10**23])  # past PostgreSQL's INTEGER, past SQLite's
@pytest.mark.parametrize(
    "method, tail",
    [
        ("GET", ""),
        ("GET", "/progress.json"),
        ("GET", "/report.csv"),
        ("GET", "/mapping"),
        ("POST", "/mapping"),
        ("POST", "/check"),
        ("POST", "/run"),
    ],
)
def test_an_upload_number_no_column_holds_is_404(curator_client, database_kind, number, method, tail):
    """The database refused the lookup itself (a 500); such an upload cannot exist."""
    url = f"/curate/imports/{number}{tail}"
    response = curator_client.get(url) if method == "GET" else post_form(curator_client, url, page="/curate/imports")
    assert_clear_error(response, 404)


@pytest.mark.parametrize("database_kind", ["sqlite", "postgresql"])
@pytest.mark.parametrize("number", [2**31, 10**23])
def test_a_revision_number_no_column_holds_is_404(curator_client, service, museum, database_kind, number):
    created = service.upsert(cli_actor(), museum.code, record_payload("r1"))
    url = f"/curate/records/{created.record_id}/revert/{number}"
    response = post_form(curator_client, url, page=f"/curate/records/{created.record_id}/history")
    assert_clear_error(response, 404)


# found by the fuzzer (tests/views/test_fuzz.py) -------------------------------------------------
@pytest.mark.parametrize("rights", [{}, {"rights": None}])
def test_a_record_without_rights_is_saved_and_shown(client, auth, rights):
    """The record landed, but its answer (and every later read) was a 500: rights defaulted to {}
    where the answer's shape lists both rights keys."""
    created = client.post(OBJECTS, json={"local_id": "r1", "title": "Wave", **rights}, headers=auth)
    assert created.status_code == 201
    assert created.get_json()["rights"] == {"metadata_license": None, "image_rights": None}
    assert client.get(f"/api/objects/{created.get_json()['id']}").status_code == 200


def year_body(number: str) -> str:
    maker = f'{{"name": "Hokusai", "birth_year": {number}}}'
    return f'{{"local_id": "y1", "title": "Wave", "date_begin": {number}, "makers": [{maker}]}}'


@pytest.mark.parametrize("database_kind", ["sqlite", "postgresql"])
@pytest.mark.parametrize("number", [str(-(2**63) - 1), str(10**30)])
def test_a_year_that_no_json_can_hold_is_dropped_with_a_warning(client, auth, database_kind, number):
    """The year was dropped, but kept as its warning's value: no answer could carry an integer
    beyond 64 bits, so the record landed and every curator's read of it was a 500. The warning now
    shows such a value as text."""
    created = client.post(OBJECTS, data=year_body(number), content_type="application/json", headers=auth)
    assert created.status_code == 201, created.get_data(as_text=True)
    warnings = created.get_json()["warnings"]
    assert {w["field"] for w in warnings} == {"date_begin", "makers.0.birth_year"}
    assert all(isinstance(w["value"], str) for w in warnings)
    assert client.get(f"/api/objects/{created.get_json()['id']}", headers=auth).status_code == 200


@pytest.mark.parametrize("database_kind", ["sqlite", "postgresql"])
@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_a_number_json_does_not_have_is_a_clear_400(client, auth, database_kind, number):
    """NaN and the infinities (and 1e400, which Python's parser reads as infinity) were taken, and
    the years dropped with a warning: no JSON has them, so the body is refused, naming them."""
    refused = client.post(OBJECTS, data=year_body(number), content_type="application/json", headers=auth)
    assert_clear_error(refused, 400)
    assert number.lstrip("-") in refused.get_json()["message"]
