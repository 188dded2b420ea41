"""Downloading a search's results as CSV or JSON Lines from the search page."""

import csv
import io
import json

import pytest

from catalogue.cli import cli_actor
from tests.support import image_bytes, make_app, record_payload

PRINTS = [f"P{n}" for n in range(1, 6)]
SCREENS = {"S1": "Public Domain Mark", "S2": "In Copyright"}  # image rights: open for reuse, and not
PRINT, PAINTING = "aat:300041273", "aat:300033618"  # object types are vocabulary concepts (AAT)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = make_app({"DATA_DIR": str(tmp_path_factory.mktemp("download")), "BASE_URL": "http://catalogue.test"})
    service = app.extensions["catalogue"]
    service.register_museum(
        cli_actor(), {"code": "tate", "names": {"en": ["Tate"]}, "country": "GB", "status": "member"}
    )
    for number, local_id in enumerate(PRINTS, start=1):
        service.upsert(
            cli_actor(), "tate", record_payload(local_id, title=f"Wave study {number}", date_begin=1800 + number)
        )
    for local_id in ("O1", "O2"):
        service.upsert(cli_actor(), "tate", record_payload(local_id, title="Wave in oil", object_type="painting"))
    service.upsert(cli_actor(), "tate", record_payload("D1", title="Wave study draft", status="draft"))
    for local_id, image_rights in SCREENS.items():
        rights = {"metadata_license": "CC0", "image_rights": image_rights}
        service.upsert(
            cli_actor(), "tate", record_payload(local_id, title="Irises", object_type="screen", rights=rights)
        )
        service.add_images(cli_actor(), "tate", local_id, [(image_bytes(), f"{local_id}.jpg")])
    app.extensions["indexer"].backend.refresh()
    yield app
    service.store.dispose()


@pytest.fixture
def web(app):
    return app.test_client()


def download(web, query: str, file_format: str = "csv"):
    response = web.get(f"/search/download.{file_format}?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def local_ids(response) -> list[str]:
    if response.mimetype == "text/csv":
        return [
            row["local_id"] for row in csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))
        ]
    return [json.loads(line)["local_id"] for line in response.get_data(as_text=True).splitlines()]


def test_the_results_page_links_to_downloads_of_the_same_search(web):
    page = web.get(f"/search?q=wave&object_type={PRINT}&sort=oldest&page=2&size=2").get_data(as_text=True)
    query = "q=wave&amp;object_type=aat%3A300041273&amp;sort=oldest&amp;size=2"  # no page: a download starts at 1
    assert f'href="/search/download.csv?{query}"' in page and f'href="/search/download.jsonl?{query}"' in page
    assert "at most 10,000 objects per download" in page


def test_a_download_holds_the_results_of_the_search_in_its_order(web):
    response = download(web, f"q=wave&object_type={PRINT}&sort=newest")
    assert response.is_streamed and response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="catalogue-search.csv"'
    assert response.headers["X-Total-Count"] == "5"
    assert local_ids(response) == list(reversed(PRINTS))  # no paintings, newest first


def test_a_json_lines_download_holds_the_records_in_the_api_shape(web):
    response = download(web, f"object_type={PAINTING}&sort=title", "jsonl")
    assert response.mimetype == "application/x-ndjson"
    assert response.headers["Content-Disposition"] == 'attachment; filename="catalogue-search.jsonl"'
    records = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert sorted(r["local_id"] for r in records) == ["O1", "O2"]
    assert all(r["object_type"] == "painting" and r["url"].startswith("http://catalogue.test/") for r in records)


def test_drafts_are_never_downloaded(web):
    assert "D1" not in local_ids(download(web, "q=draft")) + local_ids(download(web, "", "jsonl"))


def by_local_id(response) -> dict[str, str]:
    """Each record of a download as the text that names its images: CSV ``image_urls``, JSON ``images``."""
    text = response.get_data(as_text=True)
    if response.mimetype == "text/csv":
        return {row["local_id"]: row["image_urls"] for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}
    return {record["local_id"]: json.dumps(record["images"]) for record in map(json.loads, text.splitlines())}


@pytest.mark.parametrize("file_format", ["csv", "jsonl"])
def test_a_download_links_the_original_of_an_image_only_when_it_is_open_for_reuse(web, file_format):
    """Any other original is not public (it would answer 403): the IIIF Image API shows the image."""
    images = by_local_id(download(web, "q=irises", file_format))
    assert "/original" in images["S1"]
    assert "/original" not in images["S2"] and "/iiif/3/" in images["S2"]


def test_the_download_follows_the_search_past_its_first_page(web, monkeypatch):
    monkeypatch.setattr("catalogue.views.search.MAX_SIZE", 2)  # pages of two hits: three searches
    assert local_ids(download(web, f"object_type={PRINT}&sort=oldest")) == PRINTS


def test_a_download_stops_at_the_cap_and_says_so(web, app, monkeypatch):
    monkeypatch.setitem(app.config, "DOWNLOAD_CAP", 3)
    response = download(web, f"object_type={PRINT}&sort=oldest")
    assert local_ids(response) == PRINTS[:3]
    assert response.headers["Content-Disposition"] == 'attachment; filename="catalogue-search-first-3.csv"'
    assert response.headers["X-Total-Count"] == "5"
    page = web.get(f"/search?object_type={PRINT}").get_data(as_text=True)
    assert "the first 3: a download holds at most that many" in page


def test_the_cap_holds_across_pages(web, app, monkeypatch):
    monkeypatch.setitem(app.config, "DOWNLOAD_CAP", 3)
    monkeypatch.setattr("catalogue.views.search.MAX_SIZE", 2)
    assert local_ids(download(web, f"object_type={PRINT}&sort=oldest", "jsonl")) == PRINTS[:3]


@pytest.mark.parametrize(
    "query", ["date_from=soon", "sort=best", "size=5000", "page=0", "date_from=1900&date_to=1800", "page=9999&size=100"]
)
def test_a_bad_search_is_a_400(web, query):
    assert web.get(f"/search/download.csv?{query}").status_code == 400


def test_only_csv_and_json_lines_are_offered(web):
    assert web.get("/search/download.xlsx").status_code == 404
