"""A museum applies for membership in a real browser: the names table grows by a button (the
page's own script, under the strict Content Security Policy), the browser's own checks ask for
the required fields, and the application arrives with every name that was typed."""

import pytest

from catalogue.models import Actor
from tests.browser.conftest import serving

SECRETARIAT = Actor(name="Sam Secretariat", role="admin")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """An empty catalogue on a free port: (address, app)."""
    with serving(tmp_path_factory.mktemp("membership")) as (app, address):
        yield address, app


def test_a_museum_applies_with_names_in_four_languages(page, site, artifacts):
    address, app = site
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security" in message.text else None)
    page.goto(f"{address}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Become a member").click()
    assert page.locator(".name-row").count() == 3  # spare rows, with or without the script

    page.fill("#name-0", "Tokyo National Museum")
    page.fill("#name_language-1", "ja")
    page.fill("#name-1", "東京国立博物館")
    page.fill("#name_language-2", "fr")
    page.fill("#name-2", "Musée national de Tokyo")
    page.get_by_role("button", name="Add a name in another language").click()
    assert page.locator(".name-row").count() == 4
    assert page.evaluate("document.activeElement.id") == "name_language-3"
    page.fill("#name_language-3", "ko")
    page.fill("#name-3", "도쿄 국립 박물관")
    page.select_option("#country", "JP")
    page.fill("#city", "Tokyo")
    page.fill("#website", "https://www.tnm.jp/")
    page.fill("#contact_name", "Haruki Sato")
    page.fill("#contact_email", "sato@tnm.example")
    page.fill("#description", "Japanese and Asian art: paintings, calligraphy, sculpture, lacquer.")

    page.click("form.membership-form button[type=submit]")  # the ethics box is not ticked yet
    assert page.url == f"{address}/join"
    assert page.evaluate("document.getElementById('ethics_agreed').validity.valueMissing")

    page.check("#ethics_agreed")
    page.screenshot(path=str(artifacts / "membership-form.png"), full_page=True)
    with page.expect_navigation():
        page.click("form.membership-form button[type=submit]")
    assert page.url == f"{address}/join/thanks"

    [application] = app.extensions["catalogue"].applications(SECRETARIAT)
    assert application["names"] == {
        "en": ["Tokyo National Museum"],
        "ja": ["東京国立博物館"],
        "fr": ["Musée national de Tokyo"],
        "ko": ["도쿄 국립 박물관"],
    }
    assert refused == []
