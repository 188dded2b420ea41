"""The comparison page in a real browser: both deep-zoom viewers open over the stills, zooming or
moving one moves the other while "Link zoom and pan" is on (at the same zoom and centre relative to
each image) and not once it is off, the controls work from the keyboard, the strict CSP refuses
nothing, and a phone screen stacks the objects without horizontal scrolling."""

import pytest

# OpenSeadragon's viewport, relative to the image it shows: the zoom as a multiple of the zoom that
# fits the whole image, the centre as fractions of the image's width and height (what compare.js links)
RELATIVE_VIEW = """(id) => {
    const viewer = document.getElementById(id).openSeadragon;
    const home = viewer.world.getHomeBounds();
    const centre = viewer.viewport.getCenter(true);
    return {
        zoom: viewer.viewport.getZoom(true) / viewer.viewport.getHomeZoom(),
        x: (centre.x - home.x) / home.width,
        y: (centre.y - home.y) / home.height,
    };
}"""
SETTLED = """(id) => {
    const viewport = document.getElementById(id).openSeadragon.viewport;
    return Math.abs(viewport.getZoom(true) - viewport.getZoom(false)) < 1e-6
        && viewport.getCenter(true).distanceTo(viewport.getCenter(false)) < 1e-6;
}"""


@pytest.fixture
def pair(demo_image):
    """An object from Japan's printmakers and one from Europe's painters, with very different shapes."""
    wave, _ = demo_image("hokusai_great-wave")
    night, _ = demo_image("vangogh_starry-night")
    return wave, night


def open_comparison(page, address: str, first: str, second: str) -> list[str]:
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.goto(f"{address}/compare?a={first}&b={second}")
    for key in ("a", "b"):
        page.wait_for_selector(f'#viewer-{key}[data-state="loaded"]')
    return refused


def view(page, key: str) -> dict:
    """One viewer's relative view once both have stopped moving (the follower is moved on each of
    the leader's redraws, so it is read after the leader's animation has ended)."""
    for other in ("a", "b"):
        page.wait_for_function(SETTLED, arg=f"viewer-{other}")
    page.wait_for_timeout(100)  # the leader's last redraw
    return page.evaluate(RELATIVE_VIEW, f"viewer-{key}")


def assert_same_view(first: dict, second: dict) -> None:
    assert first["zoom"] == pytest.approx(second["zoom"], rel=0.02), (first, second)
    assert first["x"] == pytest.approx(second["x"], abs=0.02), (first, second)
    assert first["y"] == pytest.approx(second["y"], abs=0.02), (first, second)


def test_linked_viewers_zoom_and_pan_together_and_apart_once_unlinked(page, live_server, pair):
    refused = open_comparison(page, live_server, *pair)
    assert page.is_visible(".compare-still") and page.is_visible("#viewer-a .openseadragon-canvas")
    toggle = page.get_by_label("Link zoom and pan")
    assert toggle.is_visible() and toggle.is_checked()
    start = view(page, "a")
    assert start["zoom"] == pytest.approx(1, rel=0.02)

    page.click('button[data-viewer="viewer-a"][data-action="zoom-in"]')
    page.click('button[data-viewer="viewer-a"][data-action="zoom-in"]')
    zoomed = view(page, "a")
    assert zoomed["zoom"] == pytest.approx(1.5 * 1.5, rel=0.05)
    assert_same_view(view(page, "b"), zoomed)

    # from the keyboard: the canvas takes focus and the arrow keys pan it; the other image follows
    page.focus("#viewer-a .openseadragon-canvas")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    panned = view(page, "a")
    assert panned["x"] > zoomed["x"] + 0.02 and panned["y"] > zoomed["y"]
    assert_same_view(view(page, "b"), panned)

    # the second viewer leads as well
    page.focus('button[data-viewer="viewer-b"][data-action="zoom-out"]')
    page.keyboard.press("Enter")
    assert_same_view(view(page, "a"), view(page, "b"))

    toggle.uncheck()
    before = view(page, "b")
    page.click('button[data-viewer="viewer-a"][data-action="zoom-in"]')
    assert view(page, "a")["zoom"] == pytest.approx(before["zoom"] * 1.5, rel=0.05)
    assert view(page, "b") == pytest.approx(before)

    toggle.check()  # linking again brings the other image to the one last used
    assert_same_view(view(page, "b"), view(page, "a"))
    page.click('button[data-viewer="viewer-b"][data-action="home"]')
    assert view(page, "a")["zoom"] == pytest.approx(1, rel=0.02)
    assert refused == []


def test_a_phone_stacks_both_objects_without_horizontal_scrolling(browser, live_server, pair):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        refused = open_comparison(page, live_server, *pair)
        first = page.locator(".compare-object").nth(0).bounding_box()
        second = page.locator(".compare-object").nth(1).bounding_box()
        assert first and second and second["y"] >= first["y"] + first["height"], (first, second)
        assert first["width"] == pytest.approx(second["width"])
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.click('button[data-viewer="viewer-b"][data-action="zoom-in"]')
        assert view(page, "a")["zoom"] == pytest.approx(1.5, rel=0.05)
        page.goto(f"{live_server}/compare?a={pair[0]}&region=")  # the picker too
        assert page.locator(".compare-choose").count() > 0
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert refused == []
    finally:
        context.close()
