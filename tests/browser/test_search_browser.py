"""A visitor searching in a real browser: facets, chips, paging, history, keyboard-only use."""

import json
import urllib.request
from urllib.parse import parse_qs, urlparse


def api_total(live_server: str, page_url: str) -> int:
    query = urlparse(page_url).query
    with urllib.request.urlopen(f"{live_server}/api/objects?{query}") as response:
        return json.load(response)["total"]


def shown_total(page) -> int:
    return int(page.locator("#result-count").get_attribute("data-total"))


def search_for(page, live_server, text):
    page.goto(live_server)
    page.fill("#q", text)
    page.press("#q", "Enter")
    page.wait_for_url("**/search?**")


def tick(page, checkbox) -> None:
    """Tick a facet with the mouse: the page reloads with the filter and puts focus back on that
    box (scrolling to it), which is waited for, so the next click lands where it aims.

    The box is found again by its name and value and clicked, not `check()`ed: check() verifies
    the box is ticked afterwards, and when the reload came first it re-resolved a locator such as
    ':not(:checked)' to the next unticked box and ticked that one too."""
    name, value = checkbox.get_attribute("name"), checkbox.get_attribute("value")
    with page.expect_navigation():
        page.locator(f'input[type=checkbox][name="{name}"][value="{value}"]').click()
    page.wait_for_function("document.activeElement && document.activeElement.type === 'checkbox'")


def test_search_facets_chips_paging_and_an_object(page, live_server, artifacts):
    search_for(page, live_server, "paper")
    assert shown_total(page) == api_total(live_server, page.url) > 0

    tick(page, page.locator('fieldset[data-facet="museum"] input[type=checkbox]').nth(0))
    tick(page, page.locator('fieldset[data-facet="museum"] input[type=checkbox]:not(:checked)').first)
    tick(page, page.locator('fieldset[data-facet="object_type"] input[type=checkbox]').first)
    assert page.url.count("museum=") == 2 and "object_type=" in page.url
    total = shown_total(page)
    assert total == api_total(live_server, page.url) > 0
    page.screenshot(path=str(artifacts / "search-results.png"), full_page=True)

    with page.expect_navigation():
        page.locator(".chips a.chip").first.click()
    assert page.url.count("museum=") == 1
    assert shown_total(page) == api_total(live_server, page.url) >= 0

    with page.expect_navigation():
        page.locator(".chips a.clear").click()
    search_for(page, live_server, "turner")
    first_page_titles = page.locator(".result-list .card-title").all_inner_texts()
    with page.expect_navigation():
        page.locator('nav.pages a[rel="next"]').click()
    assert "page=2" in page.url
    assert page.locator(".result-list .card-title").all_inner_texts() != first_page_titles
    page.go_back()
    page.wait_for_url("**q=turner")
    assert page.locator(".result-list .card-title").all_inner_texts() == first_page_titles

    title = page.locator(".result-list .card-title").first.inner_text()
    with page.expect_navigation():
        page.locator(".result-list .card a").first.click()
    assert "/objects/" in page.url and page.locator("h1").inner_text() == title


def test_facets_work_from_the_keyboard_alone(page, live_server):
    search_for(page, live_server, "paper")
    checkbox = page.locator('fieldset[data-facet="museum"] input[type=checkbox]').first
    checkbox.focus()
    assert page.evaluate("document.activeElement.name") == "museum"
    value = checkbox.get_attribute("value")
    address = page.url
    page.keyboard.press("Space")  # ticking is a change of setting, not a navigation (WCAG 3.2.2)
    assert page.url == address and checkbox.is_checked()
    assert "Enter" in page.locator("#facet-form .pending").inner_text()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "museum=" in page.url and shown_total(page) == api_total(live_server, page.url)
    # focus is back on the box just ticked, not at the top of the page
    assert page.evaluate("[document.activeElement.name, document.activeElement.value]") == ["museum", value]
    page.locator("#apply-filters").focus()
    page.keyboard.press("Tab")  # focus moves on to the results; nothing traps the keyboard


def test_autocomplete_works_from_the_keyboard(page, live_server):
    page.goto(live_server)
    page.focus("#q")
    page.keyboard.type("wave", delay=30)
    # the list for the whole word (on a busy machine, one for "wav" may show first)
    page.wait_for_selector("#q-suggestions[data-query=wave] li.title")
    assert page.get_attribute("#q", "aria-expanded") == "true"
    kinds = page.locator("#q-suggestions li[role=option]").evaluate_all("items => items.map(i => i.className)")
    title = next(i for i, kind in enumerate(kinds) if "maker" not in kind)  # a maker is a filter: see below
    for _ in range(title + 1):
        page.keyboard.press("ArrowDown")
    chosen = page.locator("#q-suggestions li[aria-selected=true]").get_attribute("data-value")
    assert page.get_attribute("#q", "aria-activedescendant") == f"q-option-{title}"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.input_value("#q") == chosen and shown_total(page) > 0


def test_a_maker_chosen_from_the_suggestions_filters_by_that_maker(page, live_server):
    page.goto(live_server)
    page.focus("#q")
    page.keyboard.type("hokus", delay=30)
    page.wait_for_selector("#q-suggestions[data-query=hokus] li.maker")
    kinds = page.locator("#q-suggestions li[role=option]").evaluate_all("items => items.map(i => i.className)")
    for _ in range(next(i for i, kind in enumerate(kinds) if "maker" in kind) + 1):
        page.keyboard.press("ArrowDown")
    maker = page.locator("#q-suggestions li[aria-selected=true]").get_attribute("data-value")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert parse_qs(urlparse(page.url).query) == {"maker": [maker]}  # the filter, not the words
    assert shown_total(page) > 0 and page.input_value("#q") == ""


def test_a_maker_found_by_a_japanese_reading_is_shown_in_japanese_and_filters_by_its_value(page, live_server):
    page.goto(f"{live_server}/ja/search")
    page.focus("#q")
    page.keyboard.type("ほくさい", delay=30)
    option = page.wait_for_selector('#q-suggestions[data-query="ほくさい"] li.maker')
    assert option.text_content().startswith("葛飾北斎") and option.get_attribute("data-value") == "Katsushika Hokusai"
    with page.expect_navigation():
        option.dispatch_event("mousedown")
    assert parse_qs(urlparse(page.url).query) == {"maker": ["Katsushika Hokusai"]}
    assert urlparse(page.url).path == "/ja/search" and shown_total(page) > 0


def test_a_newer_suggestion_list_keeps_the_option_chosen_with_the_arrows(page, live_server):
    page.goto(live_server)
    page.focus("#q")
    page.keyboard.type("hoku", delay=30)
    page.wait_for_selector("#q-suggestions[data-query=hoku] li[role=option]")
    page.keyboard.press("ArrowDown")
    chosen = page.locator("#q-suggestions li[aria-selected=true]").get_attribute("data-value")
    page.keyboard.type("s")  # the list for "hokus" replaces the one for "hoku"
    page.wait_for_selector("#q-suggestions[data-query=hokus] li[role=option]")
    kept = page.locator("#q-suggestions li[aria-selected=true]")
    assert kept.count() == 1 and kept.get_attribute("data-value") == chosen
    assert page.get_attribute("#q", "aria-activedescendant") == kept.get_attribute("id")


def test_pages_work_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/search?q=paper")
    page.locator('fieldset[data-facet="museum"] input[type=checkbox]').first.check()
    with page.expect_navigation():
        page.click("#apply-filters")
    assert "museum=" in page.url and shown_total(page) == api_total(live_server, page.url)
    context.close()


def test_back_to_results_keeps_the_language_chosen_on_the_object_page(page, live_server):
    page.goto(f"{live_server}/fr/search?q=hokusai&sort=oldest&lang=fr")
    with page.expect_navigation():
        page.locator(".result-list .card a").first.click()
    page.locator("details.language-switcher summary").click()
    with page.expect_navigation():
        page.locator("details.language-switcher a[hreflang=ja]").click()
    assert "/ja/objects/" in page.url
    back = page.locator("#back-to-results")
    assert back.is_visible()
    # the same results, in Japanese now (a French search page would undo the visitor's choice)
    assert back.get_attribute("href") == "/ja/search?q=hokusai&sort=oldest"


def test_a_year_to_correct_is_marked_by_its_border_not_by_the_message_alone(page, live_server):
    page.goto(f"{live_server}/search?q=paper&date_from=abc")
    year = page.locator("#date_from")
    assert year.get_attribute("aria-invalid") == "true"
    assert year.evaluate("e => getComputedStyle(e).borderTopColor") == "rgb(179, 38, 30)"
    assert page.locator("#date_to").evaluate("e => getComputedStyle(e).borderTopColor") != "rgb(179, 38, 30)"
