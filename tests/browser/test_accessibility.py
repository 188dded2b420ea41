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
    NARROW,
    PHONE,
    axe_violations,
    format_violations,
    format_weight,
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


@pytest.fixture
def visit(browser, live_server, paths):
    """``visit(name, size)``: a fresh page at that screen size showing the public page ``name``."""
    opened = []

    def open_page(name: str, size, language: str = ""):
        page = new_page(browser, size)
        opened.append(page)
        response = page.goto(live_server + (f"/{language}" if language else "") + paths[name])
        assert response is not None
        expected = 400 if name == "error" else 200
        assert response.status == expected, f"{paths[name]} answered {response.status}, not {expected}"
        page.wait_for_load_state("networkidle")
        return page

    yield open_page
    for page in opened:
        page.context.close()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=str)
@pytest.mark.parametrize("name", PAGES)
def test_no_axe_violations(visit, name, size):
    page = visit(name, size)
    violations = axe_violations(page)
    assert not violations, f"{name} at {size}: {format_violations(violations)}"


@pytest.mark.parametrize("size", [DESKTOP, PHONE, NARROW], ids=str)
@pytest.mark.parametrize("name", PAGES)
def test_no_horizontal_overflow(visit, name, size):
    page = visit(name, size)
    save_screenshot(page, f"{name}-{size.name}")
    overflow = horizontal_overflow(page)
    assert overflow <= 0, f"{name} at {size}: {overflow!r}"


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=str)
@pytest.mark.parametrize("name", PAGES)
def test_every_image_has_width_and_height(visit, name, size):
    page = visit(name, size)
    missing = images_without_dimensions(page)
    shown = missing[:10] + ([f"... and {len(missing) - 10} more"] if len(missing) > 10 else [])
    assert not missing, f"{name} at {size}: {len(missing)} img without width/height:\n  " + "\n  ".join(shown)


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=str)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", IN_EVERY_LANGUAGE)
def test_every_language_reads_well_on_phones_and_desktops(visit, name, language, size):
    """The page in each interface language: it says which language it is in, longer words (German)
    and other scripts (CJK) fit the screen, and axe finds nothing at the phone size."""
    page = visit(name, size, language)
    save_screenshot(page, f"{name}-{language}-{size.name}")
    assert page.evaluate("document.documentElement.lang") == language
    overflow = horizontal_overflow(page)
    assert overflow <= 0, f"{name} in {language} at {size}: {overflow!r}"
    if size == PHONE:
        violations = axe_violations(page)
        assert not violations, f"{name} in {language} at {size}: {format_violations(violations)}"


@pytest.fixture(scope="session")
def secretariat(live_app):
    """A secretariat admin of the demo catalogue (who may open every curator and admin page)."""
    from catalogue.cli import cli_actor
    from tests.support import PASSWORD

    email = "axe-admin@example.org"
    live_app.extensions["catalogue"].create_account(cli_actor(), email, "Axe Admin", "admin", None, PASSWORD)
    return email


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=str)
@pytest.mark.parametrize("name", CURATOR_PAGES)
def test_curator_pages_have_no_axe_violations(browser, live_server, secretariat, name, size):
    from tests.browser.conftest import sign_in_page

    page = new_page(browser, size)
    try:
        sign_in_page(page, live_server, secretariat, CURATOR_PAGES[name])
        page.wait_for_load_state("networkidle")
        save_screenshot(page, f"curator-{name}-{size.name}")
        violations = axe_violations(page)
        assert not violations, f"{name} at {size}: {format_violations(violations)}"
        overflow = horizontal_overflow(page)
        assert overflow <= 0, f"{name} at {size}: {overflow!r}"
    finally:
        page.context.close()


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
