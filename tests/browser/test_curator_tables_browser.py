"""The curator pages' tables on a phone (390 px) with Chinese content: people, API tokens, membership
applications, the upload history and a CSV's column mapping. Squeezed into a phone's width a table
broke its cells a character per line (博/物/馆/管/理/员) or pushed what to act on (the column
mapping's field choice) off the screen: on a phone each row is a card, its cells named."""

import pytest

from catalogue.cli import cli_actor
from tests.browser.conftest import serving, sign_in_page
from tests.browser.quality import PHONE, cells_split_mid_word, horizontal_overflow, new_page, save_screenshot
from tests.support import PASSWORD

ADMIN = "wangli@silk.example.org"
SECRETARIAT = "sam@secretariat.example.org"
CELLS = "table td, table tbody th"
CHINESE = {"locale": "zh-CN", "extra_http_headers": {"Accept-Language": "zh"}}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A museum with Chinese names, its museum admin and a curator, the secretariat, and an
    application in Chinese: (address, app)."""
    with serving(tmp_path_factory.mktemp("curator-tables")) as (app, address):
        service = app.extensions["catalogue"]
        names = {"zh": ["苏州丝绸博物馆"], "en": ["Suzhou Silk Museum"]}
        service.register_museum(cli_actor(), {"code": "suzhou-silk-museum", "names": names, "country": "CN"})
        service.create_account(cli_actor(), ADMIN, "王丽", "museum_admin", "suzhou-silk-museum", PASSWORD)
        service.create_account(cli_actor(), "liming@silk.example.org", "李明", "curator", "suzhou-silk-museum")
        service.create_account(cli_actor(), SECRETARIAT, "Sam", "admin", None, PASSWORD)
        application = {
            "names": [{"language": "zh", "name": "杭州中国丝绸博物馆"}, {"language": "en", "name": "Silk Museum"}],
            "country": "CN",
            "city": "杭州",
            "website": "https://www.chinasilkmuseum.example/",
            "contact_name": "陈静",
            "contact_email": "chenjing@hangzhou.example.org",
            "description": "丝绸文物",
            "ethics_agreed": True,
        }
        service.apply_for_membership(application, "192.0.2.1", language="zh")
        yield address, app


def csv_of_chinese_columns() -> bytes:
    return "藏品编号,名称,年代,材质\nSSM-0001,缂丝花鸟图,清代,丝\n".encode()


@pytest.fixture(scope="module")
def phone(browser, site):
    """The museum admin, signed in on a phone in Chinese, with a token and an upload made."""
    address, _app = site
    page = new_page(browser, PHONE, **CHINESE)
    sign_in_page(page, address, ADMIN, "/curate/")
    page.goto(f"{address}/zh/account")
    page.fill("#label", "藏品管理系统")
    with page.expect_navigation():
        page.click("form[action$='/tokens'] button[type=submit]")
    page.goto(f"{address}/zh/curate/imports")
    page.set_input_files("#file", {"name": "藏品.csv", "mimeType": "text/csv", "buffer": csv_of_chinese_columns()})
    with page.expect_navigation():
        page.click(".upload-form button[type=submit]")
    yield page
    page.context.close()


@pytest.mark.parametrize("path", ["/zh/account/people", "/zh/account", "/zh/curate/imports"])
def test_a_museum_admins_tables_read_on_a_phone_in_chinese(phone, site, path):
    address, _app = site
    phone.goto(address + path)
    assert phone.locator("table tbody tr").count() >= 1
    save_screenshot(phone, f"curator-table-phone-zh{path}")
    assert cells_split_mid_word(phone, CELLS) == []
    assert horizontal_overflow(phone) <= 0


def test_the_applications_read_on_a_phone_in_chinese(browser, site):
    address, _app = site
    page = new_page(browser, PHONE, **CHINESE)
    try:
        sign_in_page(page, address, SECRETARIAT, "/admin/applications")
        page.goto(f"{address}/zh/admin/applications")
        assert page.locator("table tbody tr").count() == 1
        save_screenshot(page, "curator-table-phone-zh-applications")
        assert cells_split_mid_word(page, CELLS) == []
        assert horizontal_overflow(page) <= 0
    finally:
        page.context.close()


def test_each_columns_field_choice_is_on_the_screen_of_a_phone(phone, site):
    """The field to choose is the one thing to act on: it was off-screen, right of a sideways scroll."""
    phone.goto(f"{site[0]}/zh/curate/imports")
    with phone.expect_navigation():
        phone.locator(".imports-history a").first.click()
    phone.locator("a[href$='/mapping']").first.click()
    phone.wait_for_url("**/mapping")
    save_screenshot(phone, "curator-table-phone-zh-mapping")
    selects = phone.locator(".column-mapping select")
    assert selects.count() == 4
    for index in range(4):
        box = selects.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE.width, (index, box)
        assert box["width"] >= 200  # a finger can open it and read the choice
    assert cells_split_mid_word(phone, CELLS) == []
    assert horizontal_overflow(phone) <= 0
