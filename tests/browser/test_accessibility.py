"""The pages as visitors and curators meet them, on a desktop and on phones, in every interface
language: no axe-core (WCAG 2.2 A/AA) violations, no horizontal scrolling, images that reserve their
space, a light first visit, the search facets and the skip link from the keyboard. Screenshots of
every page at every size and in every language go to .artifacts/screenshots/."""

import json
import urllib.request
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.quality import (
    DESKTOP,
    FIELD_HEIGHT,
    NARROW,
    PHONE,
    axe_violations,
    fields_below_height,
    format_violations,
    format_weight,
    headers_split_mid_word,
    horizontal_overflow,
    images_without_dimensions,
    new_page,
    page_weight,
    save_screenshot,
)

QUERY = "paper"  # has results in every demo museum
MUSEUM = "rijksmuseum"  # a member museum with names in two languages and demo records
OBJECT = "hokusai_great-wave"  # a demo object with an image (and a CJK maker name)
PAGES = (
    "home",
    "search",
    "search-filtered",
    "search-long-word",
    "object",
    "museum",
    "error",
    "themes",
    "theme",
    "compare",
    "compare-picker",
    "join",
    "sign-in",
)
LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitaensmuetze"  # wider than a phone
THEME = "self-and-other"  # a demo theme (demo/themes.json)
LANGUAGES = ("en", "ja", "zh", "ko", "fr", "de")
IN_EVERY_LANGUAGE = ("home", "search", "object", "theme", "compare")
CURATOR_PAGES = {
    "dashboard": f"/curate/?museum={MUSEUM}",
    "record-form": f"/curate/records/new?museum={MUSEUM}",
    "imports": "/curate/imports",
    "account": "/account",
    "admin-themes": "/admin/themes",
    "admin-theme": f"/admin/themes/{THEME}",
}
WEIGHED = ("home", "search", "object")
WEIGHT_LIMIT = 150_000  # bytes of HTML, CSS and JS on a first visit (150 kB)
FACET = "museum"


def api(live_server: str, path: str) -> dict:
    with urllib.request.urlopen(live_server + path) as response:
        return json.load(response)


@pytest.fixture(scope="session")
def paths(live_server, demo_image) -> dict[str, str]:
    """Each public page's path, from the demo data through the API."""
    facet_values = api(live_server, f"/api/objects?q={QUERY}")["facets"][FACET]
    assert facet_values, f"no {FACET} facet for {QUERY!r}"
    return {
        "home": "/",
        "search": f"/search?q={QUERY}",
        "search-filtered": f"/search?q={QUERY}&{FACET}={facet_values[0]['value']}",
        "search-long-word": f"/search?q={LONG_WORD}",  # no results; the heading repeats it
        "object": f"/objects/{demo_image(OBJECT)[0]}",
        "museum": f"/museums/{MUSEUM}",
        "error": "/search?date_from=abc",  # a bad date: the 400 error page
        "themes": "/themes",
        "theme": f"/themes/{THEME}",
        "compare": f"/compare?a={demo_image(OBJECT)[0]}&b={demo_image('turner_shipwreck-of-the-minotaur')[0]}",
        "compare-picker": f"/compare?a={demo_image(OBJECT)[0]}",
        "join": "/join",
        "sign-in": "/account/sign-in",
    }


@pytest.fixture(scope="module")
def window(browser):
    """One browser tab per screen size for the whole module (a new context per page costs seconds):
    ``window(size)``. Pages are loaded one after another in it; nothing they do depends on an earlier one."""
    opened: dict = {}

    def at(size):
        if size not in opened:
            opened[size] = new_page(browser, size)
        return opened[size]

    yield at
    for page in opened.values():
        page.context.close()


def show(page, live_server: str, path: str, expected: int = 200):
    response = page.goto(live_server + path)
    assert response is not None and response.status == expected, f"{path} answered {response and response.status}"
    page.wait_for_load_state("load")
    return page


def problems_of(page, where: str, axe: bool = True) -> list[str]:
    """What a page fails of the checks every page must pass, as readable lines."""
    found = []
    if axe:
        violations = axe_violations(page)
        if violations:
            found.append(f"{where}: {format_violations(violations)}")
    overflow = horizontal_overflow(page)
    if overflow > 0:
        found.append(f"{where}: {overflow!r}")
    missing = images_without_dimensions(page)
    if missing:
        found.append(f"{where}: {len(missing)} img without width/height: {missing[:5]}")
    small = fields_below_height(page)
    if small:
        found.append(f"{where}: fields lower than the site's {FIELD_HEIGHT} px: {small[:5]}")
    return found


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=str)
@pytest.mark.parametrize("name", PAGES)
def test_every_page_passes_axe_fits_the_screen_and_reserves_image_space(window, live_server, paths, name, size):
    """axe-core finds no WCAG 2.2 A/AA violation, nothing scrolls sideways, every img has width and
    height; on the phone size the page is then narrowed to 320 px and must still fit."""
    page = show(window(size), live_server, paths[name], 400 if name == "error" else 200)
    save_screenshot(page, f"{name}-{size.name}")
    problems = problems_of(page, f"{name} at {size}")
    if size == PHONE:
        page.set_viewport_size(NARROW.viewport)
        save_screenshot(page, f"{name}-{NARROW.name}")
        problems += problems_of(page, f"{name} at {NARROW}", axe=False)
        page.set_viewport_size(PHONE.viewport)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_every_language_reads_well_on_phones_and_desktops(window, live_server, paths, language):
    """Pages in each other interface language (English is the test above): they say which language
    they are in, longer words (German) and other scripts fit the screen, axe finds nothing."""
    problems = []
    for size in (PHONE, DESKTOP):
        for name in IN_EVERY_LANGUAGE:
            page = show(window(size), live_server, f"/{language}{paths[name]}")
            save_screenshot(page, f"{name}-{language}-{size.name}")
            if page.evaluate("document.documentElement.lang") != language:
                problems.append(f"{name} in {language}: <html lang> is not {language}")
            problems += problems_of(page, f"{name} in {language} at {size}", axe=size == PHONE)
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="session")
def secretariat(live_app):
    """A secretariat admin of the demo catalogue (who may open every curator and admin page)."""
    from catalogue.cli import cli_actor
    from tests.support import PASSWORD

    email = "axe-admin@example.org"
    live_app.extensions["catalogue"].create_account(cli_actor(), email, "Axe Admin", "admin", None, PASSWORD)
    return email


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=str)
def test_curator_pages_have_no_axe_violations(browser, live_server, secretariat, size):
    from tests.browser.conftest import sign_in_page

    page = new_page(browser, size)
    problems = []
    try:
        sign_in_page(page, live_server, secretariat)
        for name, path in CURATOR_PAGES.items():
            show(page, live_server, path)
            save_screenshot(page, f"curator-{name}-{size.name}")
            problems += problems_of(page, f"{name} at {size}")
            split = headers_split_mid_word(page)
            if split:
                problems.append(f"{name} at {size}: table headers broken mid-word: {split}")
    finally:
        page.context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", WEIGHED)
def test_first_visit_weighs_under_150_kb(browser, live_server, paths, name):
    page = new_page(browser, DESKTOP)
    try:
        weight = page_weight(page, live_server + paths[name])
    finally:
        page.context.close()
    assert weight["html"] > 0, format_weight(weight)
    assert weight["total"] < WEIGHT_LIMIT, format_weight(weight)


# --- the keyboard --------------------------------------------------------------------------------

_FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return {tag: "body"};
    return {tag: el.localName, type: el.type || "", name: el.name || "", value: el.value || "",
            id: el.id || "", checked: !!el.checked, text: (el.innerText || "").trim().slice(0, 40),
            href: el.getAttribute("href") || "",
            facet: !!el.closest("[data-facet]") && el.type === "checkbox"};
}"""


def focused(page) -> dict:
    return page.evaluate(_FOCUSED)


def describe(element: dict) -> str:
    if element["tag"] == "body":
        return "nothing (the page body)"
    label = element.get("id") or element.get("name") or element.get("text") or element.get("href")
    return f"<{element['tag']}{' type=' + element['type'] if element.get('type') else ''}> {label!r}"


def tab_until(page, wanted, limit: int = 80) -> tuple[dict, int]:
    """Presses Tab until ``wanted(focused element)``; (that element, Tabs pressed), or fails."""
    seen = []
    for count in range(1, limit + 1):
        page.keyboard.press("Tab")
        element = focused(page)
        if wanted(element):
            return element, count
        seen.append(describe(element))
    raise AssertionError(f"not reached in {limit} Tabs; focus went through: {', '.join(seen[:25])} ...")


def shown_total(page) -> int | None:
    counter = page.locator("[data-total]")
    return int(counter.first.get_attribute("data-total")) if counter.count() else None


def test_facet_from_the_keyboard_keeps_focus_and_applies(browser, live_server, paths):
    """Tab to a facet checkbox, Space: the focus stays on that checkbox (or, after a reload, on the one
    with the same name and value), and the filter applies, by itself or with "Apply filters"."""
    page = new_page(browser, DESKTOP)
    try:
        page.goto(live_server + paths["search"])
        page.wait_for_load_state("networkidle")
        box, _ = tab_until(page, lambda el: el.get("facet"))
        problems = []

        start = page.url
        page.keyboard.press("Space")
        try:  # the page may apply the filter at once, by loading or by updating in place
            page.wait_for_url(lambda url: url != start, timeout=3_000)
            page.wait_for_load_state("networkidle")
        except PlaywrightTimeout:
            pass
        after = focused(page)
        if not (after.get("name") == box["name"] and after.get("value") == box["value"] and after.get("facet")):
            problems.append(
                f"after Space on the {box['name']}={box['value']} checkbox the focus is on {describe(after)}"
            )
        selector = f'[data-facet] input[type=checkbox][name="{box["name"]}"][value="{box["value"]}"]'
        if not page.locator(selector).is_checked():
            problems.append(f"the {box['name']}={box['value']} checkbox is not ticked after Space")

        def applied() -> bool:
            return box["value"] in parse_qs(urlparse(page.url).query).get(box["name"], [])

        if not applied():  # not applied by itself: the visitor Tabs on to "Apply filters"
            try:
                tab_until(page, lambda el: el.get("id") == "apply-filters" or el.get("text") == "Apply filters")
                with page.expect_navigation():
                    page.keyboard.press("Enter")
            except AssertionError as reason:
                problems.append(f'"Apply filters" cannot be reached from the checkbox: {reason}')
        if not applied():
            problems.append(f"the filter {box['name']}={box['value']} is not applied: the page is {page.url}")
        else:
            total = api(live_server, f"/api/objects?{urlparse(page.url).query}")["total"]
            if shown_total(page) != total:
                problems.append(f"the page shows {shown_total(page)} results, the API {total}")
        assert not problems, "\n".join(problems)
    finally:
        page.context.close()


def test_first_tab_reaches_a_skip_link_to_the_results(browser, live_server, paths):
    """From the top of a search page the first Tab focuses a skip link; following it, the next Tab lands
    in the results (the section headed by the result count), not in the search box or the filters."""
    page = new_page(browser, DESKTOP)
    try:
        page.goto(live_server + paths["search"])
        page.wait_for_load_state("networkidle")
        page.keyboard.press("Tab")
        first = focused(page)
        assert first["tag"] == "a" and first["href"].startswith("#"), (
            f"the first Tab focuses {describe(first)}, not a skip link"
        )
        target = first["href"][1:]
        assert page.locator(f"[id='{target}']").count() == 1, f"the skip link's target #{target} is not on the page"
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        where = page.evaluate(
            """() => {
                const el = document.activeElement;
                const heading = document.getElementById("result-count");
                const results = heading && (heading.closest("section, [role=region]") || heading.parentElement);
                return {inResults: !!(results && el && results.contains(el)),
                        inFilters: !!(el && el.closest("#facet-form, [data-facet], form[role=search]"))};
            }"""
        )
        assert where["inResults"] and not where["inFilters"], (
            f"the skip link {first['text']!r} leads to #{target}; the next Tab focuses {describe(focused(page))}, "
            "not something in the results"
        )
    finally:
        page.context.close()
