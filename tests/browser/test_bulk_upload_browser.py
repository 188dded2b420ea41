"""A curator in a real browser: uploads a CSV, maps the one column the catalogue could not guess,
reads the dry run's report with its one bad row, confirms, watches the progress bar fill, and finds
the records in the catalogue."""

import json
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from catalogue.cli import cli_actor
from tests.browser.conftest import serving, sign_in_page
from tests.browser.quality import PHONE, cells_split_mid_word, horizontal_overflow, new_page
from tests.support import PASSWORD

EMAIL = "hana@tate.example.org"
ROWS = 400  # enough rows, in small batches, for the run to take a few seconds


@pytest.fixture(scope="module")
def curator_site(tmp_path_factory):
    """A catalogue on a free port with one museum and one of its curators: (address, app)."""
    with serving(tmp_path_factory.mktemp("bulk-upload")) as (app, address):
        service = app.extensions["catalogue"]
        service.register_museum(cli_actor(), {"code": "tate", "names": {"en": ["Tate"]}, "country": "GB"})
        service.create_account(cli_actor(), EMAIL, "Hana Curator", "curator", "tate", PASSWORD)
        service.import_batch_size = 10
        yield address, app


def objects_csv() -> bytes:
    lines = ["Object number,Werk,Artist,Date"]
    lines += [f"B{n:04d},Study {n},Katsushika Hokusai,c. 1830" for n in range(1, ROWS + 1)]
    lines[7] = "B0007,,Nobody,1900"  # no title: the one bad row
    return ("\n".join(lines) + "\n").encode()


def api_object(address: str, local_id: str) -> dict:
    with urllib.request.urlopen(f"{address}/api/museums/tate/objects/{local_id}") as response:
        return json.load(response)


def test_upload_map_dry_run_confirm_and_watch_the_progress(page, curator_site, artifacts):
    address, _app = curator_site
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security" in message.text else None)
    polls: list[str] = []
    page.on("request", lambda request: polls.append(request.url) if "progress.json" in request.url else None)
    sign_in_page(page, address, EMAIL, "/curate/imports")

    page.set_input_files("#file", {"name": "prints.csv", "mimeType": "text/csv", "buffer": objects_csv()})
    with page.expect_navigation():
        page.click(".upload-form button[type=submit]")
    assert page.url.endswith("/mapping")
    expect(page.locator("#column-0")).to_have_value("local_id")
    expect(page.locator("#column-1")).to_have_value("")  # "Werk": no guess
    page.select_option("#column-1", "title")
    page.select_option("#language", "en")
    page.screenshot(path=str(artifacts / "bulk-upload-mapping.png"), full_page=True)
    with page.expect_navigation():
        page.click(".column-mapping-form button[type=submit]")

    expect(page.locator('[data-count="created"]')).to_have_text(str(ROWS - 1))
    expect(page.locator('[data-count="rejected"]')).to_have_text("1")
    bad_rows = page.locator(".report-lines tbody tr")
    expect(bad_rows).to_have_count(1)
    expect(bad_rows.first).to_contain_text("B0007")
    page.screenshot(path=str(artifacts / "bulk-upload-dry-run.png"), full_page=True)

    with page.expect_navigation():
        page.click("#confirm-import")
    bar = page.locator("#import-bar")
    expect(bar).to_be_visible()
    started = time.monotonic()
    expect(page.locator("#import-status")).to_have_text(f"Done: {ROWS} of {ROWS} rows", timeout=60_000)
    assert bar.get_attribute("value") == bar.get_attribute("max") == str(ROWS)
    expect(page.locator(".import-report h2")).to_have_text("Report")
    expect(page.locator(".report-lines tbody tr")).to_have_count(1)
    page.screenshot(path=str(artifacts / "bulk-upload-done.png"), full_page=True)
    assert polls, f"the page never asked for its progress (the run took {time.monotonic() - started:.1f} s)"

    assert api_object(address, "B0001")["title"] == {"en": ["Study 1"]}
    assert api_object(address, f"B{ROWS:04d}")["makers"][0]["name"] == "Katsushika Hokusai"
    with pytest.raises(urllib.error.HTTPError):
        api_object(address, "B0007")
    assert refused == []


def bad_lines() -> bytes:
    """JSON Lines with a rejected and a warned line whose local ids and fields are one word each."""
    lines = [
        {"local_id": "SSM-0001", "title": "Robe"},
        {"local_id": "SSM-0002", "title": "Fan", "date_begin": 1750.5},  # rejected: a year with a fraction
        {"local_id": "SSM-0003", "title": "Screen", "rights": {"image_rights": "not-a-right"}},  # warned
    ]
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def test_the_report_reads_on_a_phone_in_chinese(browser, curator_site, artifacts):
    """Squeezed into a phone's width, the report's table broke its short cells a letter per line
    (local ids, field names, the kind in Chinese): on a phone each line is a card."""
    address, _app = curator_site
    page = new_page(browser, PHONE, locale="zh-CN", extra_http_headers={"Accept-Language": "zh"})
    try:
        sign_in_page(page, address, EMAIL, "/curate/imports")
        page.set_input_files("#file", {"name": "bad.jsonl", "mimeType": "application/x-ndjson", "buffer": bad_lines()})
        with page.expect_navigation():
            page.click(".upload-form button[type=submit]")
        expect(page.locator(".report-lines tbody tr")).to_have_count(2, timeout=30_000)
        page.screenshot(path=str(artifacts / "bulk-upload-report-phone-zh.png"), full_page=True)
        assert cells_split_mid_word(page, ".report-lines td") == []
        assert page.locator(".report-lines caption").bounding_box()["height"] < 100  # not a character per line
        assert horizontal_overflow(page) == 0
        expect(page.locator(".report-lines tbody tr").first).to_contain_text("SSM-0002")
    finally:
        page.context.close()
