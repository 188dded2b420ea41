"""The image viewers in a real browser: deep zoom on the object page, Mirador and the Universal Viewer
over our manifests, and the embed page inside another site's iframe. Every request stays on this
machine, nothing our server answers fails, the browser refuses nothing under the CSP, and the
painting is really drawn: the viewer's pixels match the source file, and not another painting."""

import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from catalogue.cli import cli_actor
from tests.browser.pixels import difference, spread

PHONE, DESKTOP = 390, 1280  # viewport widths
CLOSE = 10  # mean colour difference (0-255) at most between a drawn painting and its source file
# Universal Viewer 4.4 names its (CSS-drawn) buttons' placeholder images as OpenSeadragon's default
# prefix "/images/" + a data: URI; that request 404s and changes nothing on screen.
UV_PLACEHOLDER = "/images/data:image/gif;base64,"


class Traffic:
    """Everything a page asks for, what fails, and what the browser refuses under the CSP."""

    def __init__(self, page):
        self.urls: list[str] = []
        self.failures: list[tuple] = []
        self.refused: list[str] = []
        page.on("request", lambda request: self.urls.append(request.url))
        page.on("response", self._response)
        page.on("requestfailed", lambda request: self.failures.append((request.failure, request.url)))
        page.on("console", self._console)

    def _response(self, response) -> None:
        if response.status >= 400:
            self.failures.append((response.status, response.url))

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.refused.append(message.text)

    def check(self, expected_failures: str | None = None) -> None:
        """Only 127.0.0.1 was asked (no CDN, no font service); no 4xx/5xx; nothing refused."""
        hosts = {urlparse(url).hostname for url in self.urls if not url.startswith(("data:", "blob:"))}
        assert hosts == {"127.0.0.1"}, hosts
        failures = [f for f in self.failures if not (expected_failures and expected_failures in f[1])]
        assert failures == [], failures
        assert self.refused == [], self.refused

    def tiles(self, image_id: str) -> list[str]:
        return [url for url in self.urls if f"/iiif/3/{image_id}/" in url and not url.endswith("/info.json")]


def shows(viewer, source: Path, other: Path, artifact: Path, timeout: float = 20) -> None:
    """Screenshots of the viewer until the painting is drawn (tiles arrive over time): not blank,
    close to its source file, far from another painting."""
    deadline = time.monotonic() + timeout
    shot = viewer.screenshot()
    while difference(shot, source) >= CLOSE and time.monotonic() < deadline:
        time.sleep(0.25)
        shot = viewer.screenshot()
    artifact.write_bytes(shot)
    assert spread(shot) > 20, "the viewer is blank"
    assert difference(shot, source) < CLOSE, f"the painting is not drawn (see {artifact})"
    assert difference(shot, other) > 2 * CLOSE, "another painting would match as well"


def image_id(page) -> str:
    """The Image API id in the object page's deep zoom tile source."""
    return page.get_attribute(".deepzoom", "data-tile-source").split("/")[-2]


def test_the_object_page_zooms_into_our_tiles(page, live_server, demo_image, artifacts):
    record_id, source = demo_image("aic_seurat_sunday-on-la-grande-jatte")
    _, other = demo_image("vangogh_starry-night")
    traffic = Traffic(page)
    page.goto(f"{live_server}/objects/{record_id}")
    page.wait_for_selector('.deepzoom[data-state="loaded"]')
    # hide the still image under the viewer: only OpenSeadragon's canvas may pass the pixel check
    page.eval_on_selector(".zoomable .still", "still => { still.style.visibility = 'hidden'; }")
    shows(page.locator(".deepzoom"), source, other, artifacts / "viewer-object-page.png")

    tiles_at_home = len(traffic.tiles(image_id(page)))
    page.get_by_role("button", name="Zoom in").click()
    page.wait_for_function("() => document.querySelector('.deepzoom').dataset.state === 'loaded'")
    page.wait_for_timeout(1500)  # the zoom animates; deeper tiles are asked for as it goes
    assert len(traffic.tiles(image_id(page))) > tiles_at_home > 0
    assert not [url for url in traffic.urls if url.endswith("/original")]
    traffic.check()


def test_thumbnails_switch_the_image_in_deep_zoom(page, live_server, live_app, demo_image, artifacts):
    record_id, first = demo_image("picabia_udnie")
    _, second = demo_image("munch_the-scream")
    service = live_app.extensions["catalogue"]
    record = service.record(record_id)
    service.add_images(cli_actor(), record.museum, record.local_id, [(second.read_bytes(), second.name)])
    traffic = Traffic(page)
    page.goto(f"{live_server}/objects/{record_id}")
    page.wait_for_selector('.deepzoom[data-state="loaded"]')
    page.eval_on_selector(".zoomable .still", "still => { still.style.visibility = 'hidden'; }")
    shows(page.locator(".deepzoom"), first, second, artifacts / "viewer-first-image.png")
    page.locator(".thumbs a").nth(1).click()
    assert page.get_attribute(".thumbs li:nth-child(2) a", "aria-current") == "true"
    shows(page.locator(".deepzoom"), second, first, artifacts / "viewer-second-image.png")
    assert "/original" not in " ".join(traffic.urls)
    traffic.check()


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_mirador_shows_our_manifest_offline(page, live_server, demo_image, artifacts, width):
    """On a phone too: our page's centring margins once shrank Mirador's own <main> to nothing."""
    record_id, source = demo_image("aic_caillebotte_paris-street-rainy-day")
    _, other = demo_image("monet_san-giorgio-maggiore-at-dusk")
    traffic = Traffic(page)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server}/objects/{record_id}/mirador")
    canvas = page.locator(".openseadragon-canvas").first
    shows(canvas, source, other, artifacts / f"viewer-mirador-{width}.png")
    assert canvas.bounding_box()["width"] > 0.9 * width
    assert any(url.endswith(f"/iiif/3/objects/{record_id}/manifest") for url in traffic.urls)
    assert any(url.endswith("/info.json") for url in traffic.urls)
    traffic.check()


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_universal_viewer_shows_our_manifest_offline(page, live_server, demo_image, artifacts, width):
    record_id, source = demo_image("munch_the-scream")
    _, other = demo_image("picabia_udnie")
    traffic = Traffic(page)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server}/objects/{record_id}/uv")
    canvas = page.locator("#uv .openseadragon-canvas").first
    shows(canvas, source, other, artifacts / f"viewer-uv-{width}.png")
    assert canvas.bounding_box()["width"] > 0.9 * width
    assert any(url.endswith(f"/iiif/3/objects/{record_id}/manifest") for url in traffic.urls)
    assert any(url.endswith("/info.json") for url in traffic.urls)
    traffic.check(expected_failures=UV_PLACEHOLDER)


def test_other_sites_may_frame_the_embed_page_but_no_other_page(page, live_server, demo_image, other_origin, artifacts):
    record_id, source = demo_image("hokusai_great-wave")
    _, other = demo_image("turner_shipwreck-of-the-minotaur")
    blog = other_origin(
        "<!doctype html><title>A blog</title><p>Look at this:</p>"
        f'<iframe name="embed" id="embed" src="{live_server}/embed/{record_id}" width="800" height="600"></iframe>'
        f'<iframe name="page" id="page" src="{live_server}/objects/{record_id}" width="800" height="600"'
        " onload=\"this.dataset.loaded = 'yes'\"></iframe>"
    )
    assert urlparse(blog).port != urlparse(live_server).port  # another origin
    traffic = Traffic(page)
    page.goto(blog)
    embed = page.frame_locator("#embed")
    embed.locator('.deepzoom[data-state="loaded"]').wait_for()
    assert embed.locator(".embed-credit a[rel~=license]").inner_text() == "Public Domain Mark 1.0"
    assert embed.locator(".embed-title a").get_attribute("href") == f"/objects/{record_id}"
    embed.locator(".zoomable .still").evaluate("still => { still.style.visibility = 'hidden'; }")
    shows(embed.locator(".deepzoom"), source, other, artifacts / "viewer-embed.png")
    assert [failure for failure in traffic.failures if "/embed/" in failure[1]] == []

    page.wait_for_selector("#page[data-loaded]", state="attached")
    # chromium shows its error page in place of a page whose policy refuses this frame
    assert page.frame(name="embed").url == f"{live_server}/embed/{record_id}"
    assert page.frame(name="page").url.startswith("chrome-error:"), "the object page let itself be framed"


def test_the_zoom_buttons_work_from_the_keyboard_alone(page, live_server, demo_image):
    """Tab reaches the viewer's own buttons (after the image), Enter zooms in and out, and the
    focused button shows a visible ring."""
    record_id, _ = demo_image("hokusai_great-wave")
    page.goto(f"{live_server}/objects/{record_id}")
    page.wait_for_selector('.deepzoom[data-state="loaded"]')
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.zoom") == "in":
            break
    else:
        raise AssertionError("Tab never reached the Zoom in button")
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert ring not in ("none", ""), "the focused button shows no focus ring"
    page.keyboard.press("Enter")
    page.wait_for_function("() => Number(document.querySelector('.deepzoom').dataset.zoom) > 1.5")
    page.keyboard.press("Tab")  # to "Zoom out"
    page.keyboard.press("Enter")
    page.wait_for_function("() => Number(document.querySelector('.deepzoom').dataset.zoom) < 1.5")
