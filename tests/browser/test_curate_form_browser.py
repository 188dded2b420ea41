"""A curator in a real browser: signs in, writes a new record with two title languages (the second
in a row added with "Add a language"), sees an error next to its field, fixes it, saves, previews
the draft as the public would see it, publishes it; then the public object page shows it."""

import pytest
from playwright.sync_api import expect

from catalogue.cli import cli_actor
from tests.browser.conftest import serving, sign_in_page
from tests.support import PASSWORD

EMAIL = "hana@tate.example.org"


@pytest.fixture(scope="module")
def curator_site(tmp_path_factory):
    """A catalogue on a free port with one museum and one of its curators: (address, app)."""
    with serving(tmp_path_factory.mktemp("curate-form")) as (app, address):
        service = app.extensions["catalogue"]
        service.register_museum(cli_actor(), {"code": "tate", "names": {"en": ["Tate"]}, "country": "GB"})
        service.create_account(cli_actor(), EMAIL, "Hana Curator", "curator", "tate", PASSWORD)
        yield address, app


def test_write_fix_preview_publish(page, browser, curator_site, artifacts):
    address, app = curator_site
    refused: list[str] = []  # the strict CSP refuses inline scripts and styles: none may be there
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))

    sign_in_page(page, address, EMAIL, "/curate/records/new")

    page.fill("#f-local_id", "BW-1")
    page.fill("#f-title-0-lang", "en")
    page.fill("#f-title-0-value", "Breaking wave")
    add_language = page.locator('button[data-add="title"]')
    expect(add_language).to_be_visible()
    add_language.click()
    expect(page.locator("#f-title-2-lang")).to_be_focused()
    page.fill("#f-title-2-lang", "ja")
    page.fill("#f-title-2-value", "砕ける波")
    page.fill("#f-makers-0-name", "Katsushika Hokusai")
    page.fill("#f-makers-0-birth_year", "1760")
    page.fill("#f-makers-0-death_year", "1700")
    page.check("#f-masterpiece")
    with page.expect_navigation():
        page.click("form.record-form button[type=submit]")

    error = page.locator("#err-makers-0-death_year-1")
    expect(error).to_contain_text("The death year (1700) is before the birth year (1760).")
    expect(page.locator("#f-makers-0-death_year")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-title-1-value")).to_have_value("砕ける波")  # the empty row between is gone
    expect(page.locator("#f-masterpiece")).to_be_checked()
    page.screenshot(path=str(artifacts / "record-form-error.png"), full_page=True)

    page.fill("#f-makers-0-death_year", "1849")
    with page.expect_navigation():
        page.click("form.record-form button[type=submit]")
    assert page.url.endswith("/edit")
    expect(page.locator(".notice")).to_contain_text("Saved as revision 1.")
    record_id = page.url.split("/")[-2]

    with page.expect_navigation():
        page.click("text=Preview as the public will see it")
    expect(page.locator(".preview-banner")).to_contain_text("status: draft")
    expect(page.locator("h1")).to_have_text("Breaking wave")
    expect(page.locator("article.object")).to_contain_text("砕ける波")
    page.screenshot(path=str(artifacts / "record-preview.png"), full_page=True)

    anonymous = browser.new_context()
    try:
        public = anonymous.new_page()
        assert public.goto(f"{address}/objects/{record_id}").status == 404  # a draft is not public

        with page.expect_navigation():
            page.click("text=Back to the record")
        with page.expect_navigation():
            page.click(".status-actions button:has-text('Publish')")
        expect(page.locator(".notice")).to_contain_text("Published")
        assert app.extensions["catalogue"].record(record_id).status == "published"

        assert public.goto(f"{address}/objects/{record_id}").status == 200
        expect(public.locator("h1")).to_have_text("Breaking wave")
        expect(public.locator("article.object")).to_contain_text("砕ける波")
        expect(public.locator("article.object")).to_contain_text("Katsushika Hokusai")
    finally:
        anonymous.close()

    with page.expect_navigation():
        page.click("nav.workspace-nav >> text=Dashboard")
    row = page.locator(f'tr[data-record="{record_id}"]')
    expect(row).to_contain_text("Breaking wave")
    expect(row).to_contain_text("Published")
    expect(page.locator('[data-count="published"]')).to_have_text("1")
    page.screenshot(path=str(artifacts / "curator-dashboard.png"), full_page=True)
    assert refused == []
