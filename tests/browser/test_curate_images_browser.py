"""A curator in a real browser: signs in, uploads two images at once and watches the progress bar
fill, sees both thumbnails, writes alt text in a second language, reorders, and removes one."""

import time

import pytest
from playwright.sync_api import expect

from catalogue.cli import cli_actor
from tests.browser.conftest import serving, sign_in_page
from tests.support import PASSWORD, image_bytes, record_payload

EMAIL = "ada@tate.example.org"


@pytest.fixture(scope="module")
def curator_site(tmp_path_factory):
    """A catalogue on a free port with one museum, one of its curators and a draft with no
    images: (address, app, the draft's images page)."""
    with serving(tmp_path_factory.mktemp("curate-images")) as (app, address):
        service = app.extensions["catalogue"]
        service.register_museum(cli_actor(), {"code": "tate", "names": {"en": ["Tate"]}, "country": "GB"})
        service.create_account(cli_actor(), EMAIL, "Ada Curator", "curator", "tate", PASSWORD)
        record_id = service.upsert(cli_actor(), "tate", record_payload(status="draft")).record_id
        yield address, app, f"{address}/curate/records/{record_id}/images"


def sign_in(page, address, target):
    sign_in_page(page, address, EMAIL, target.removeprefix(address))


def eventually(check, seconds: float = 10.0):
    """Poll ``check`` until it is true (the page's CSP forbids Playwright's wait_for_function)."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def file_names(page) -> list[str]:
    return page.locator("#image-list .image-name").all_inner_texts()


def test_upload_two_at_once_then_describe_reorder_and_remove(page, curator_site, artifacts):
    address, app, images_page = curator_site
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security" in message.text else None)
    sign_in(page, address, images_page)
    assert page.locator("#image-list li").count() == 0

    page.set_input_files(
        "#image-files",
        [
            {"name": "red.jpg", "mimeType": "image/jpeg", "buffer": image_bytes(size=(300, 200), color=(200, 0, 0))},
            {
                "name": "blue.png",
                "mimeType": "image/png",
                "buffer": image_bytes("PNG", size=(120, 160), color=(0, 0, 200)),
            },
        ],
    )
    page.click("#image-upload button[type=submit]")

    expect(page.locator("#image-list li")).to_have_count(2)
    expect(page.locator("#upload-status")).to_have_text("2 images uploaded.")
    progress = page.locator("#upload-progress")
    assert progress.is_visible()
    assert progress.evaluate("bar => bar.max > 0 && bar.value === bar.max")
    assert file_names(page) == ["red.jpg", "blue.png"]
    thumbnails = page.locator("#image-list img")
    eventually(lambda: thumbnails.evaluate_all("imgs => imgs.every(img => img.complete && img.naturalWidth > 0)"))
    assert page.locator("#image-list img").evaluate_all("imgs => imgs.map(img => img.naturalWidth)") == [
        300,
        120,
    ]  # fit in 400 px, never enlarged
    page.screenshot(path=str(artifacts / "curate-images-uploaded.png"), full_page=True)

    first = page.locator("#image-list li").first
    first.get_by_role("button", name="Add a language").click()
    first.locator(".alt-row input[name=alt_lang]").nth(0).fill("en")
    first.locator(".alt-row input[name=alt_text]").nth(0).fill("A red rectangle")
    first.locator(".alt-row input[name=alt_lang]").nth(1).fill("ja")
    first.locator(".alt-row input[name=alt_text]").nth(1).fill("赤い長方形")
    with page.expect_navigation():
        first.get_by_role("button", name="Save alt text").click()
    assert page.locator(".notice").inner_text() == "The alt text was saved."
    assert page.locator("#image-list img").first.get_attribute("alt") == "A red rectangle"

    with page.expect_navigation():
        page.get_by_role("button", name="Move image 1 down").click()
    assert file_names(page) == ["blue.png", "red.jpg"]

    page.locator("#image-list li").first.locator("summary").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Remove image 1").click()
    assert page.locator(".notice").inner_text() == "The image was removed."
    assert file_names(page) == ["red.jpg"]
    (image,) = app.extensions["catalogue"].store.find_record("tate", "T00001").images
    assert image.alt == {"en": ["A red rectangle"], "ja": ["赤い長方形"]}
    assert refused == []


def test_a_refused_upload_shows_the_servers_message(page, curator_site):
    address, _app, images_page = curator_site
    sign_in(page, address, images_page)

    page.set_input_files(
        "#image-files", [{"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"just some text, really"}]
    )
    page.click("#image-upload button[type=submit]")

    error = page.locator("#upload-error")
    error.wait_for(state="visible")
    assert error.inner_text() == "notes.jpg is not a recognised image file; use JPEG, PNG, TIFF or WebP."
    assert page.url == images_page  # the script showed it; the page stayed
    assert page.locator("#image-files").get_attribute("aria-invalid") == "true"
