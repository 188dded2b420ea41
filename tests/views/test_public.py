"""Public pages: home, museum and object pages show every field, escaped, in the visitor's language."""

import pytest

from catalogue.cli import cli_actor
from tests.support import record_payload


@pytest.fixture
def published(service, museum, make_museum):
    make_museum("walters", country="US", status="guest", city="Baltimore")
    service.upsert(
        cli_actor(),
        "walters",
        record_payload(
            "W1", title={"en": "Wave", "ja": "浪"}, masterpiece=True, country="Nihon", dimensions="25 x 37 cm"
        ),
    )
    return service.record_by_local_id("walters", "W1")


def test_home_lists_museums_by_region_and_masterpieces(client, published):
    page = client.get("/").get_data(as_text=True)
    assert "Tate" in page and "Walters" in page and "guest museum" in page
    assert "Europe" in page and "Masterpieces" in page and f"/objects/{published.id}" in page


def test_museum_page_lists_its_records(client, published):
    page = client.get("/museums/walters").get_data(as_text=True)
    assert "Baltimore" in page and "United States" in page and "Wave" in page


def test_object_page_shows_the_fields(client, published):
    page = client.get(f"/objects/{published.id}").get_data(as_text=True)
    for text in (
        "Katsushika Hokusai",
        "c. 1830-32",
        "1830 – 1832",
        "Japan",
        "25 x 37 cm",
        "CC0 1.0",
        "Public Domain Mark 1.0",
        'lang="ja"',
    ):
        assert text in page


def test_object_page_follows_the_visitors_language(client, published):
    page = client.get(f"/objects/{published.id}", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert "<h1>浪</h1>" in page
    # in French the English title is the best there is, and it says which language it is in
    assert '<h1 lang="en">Wave</h1>' in client.get(f"/objects/{published.id}?lang=fr").get_data(as_text=True)


def test_withdrawn_objects_are_gone_and_unknown_ones_not_found(client, service, published):
    service.withdraw(cli_actor(), "walters", "W1")
    response = client.get(f"/objects/{published.id}")
    assert response.status_code == 410 and "text/html" in response.content_type
    assert client.get("/objects/nope").status_code == 404
    assert client.get("/museums/nope").status_code == 404
