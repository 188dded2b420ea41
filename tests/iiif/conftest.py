"""Fixtures for the IIIF image side: images made with Pillow (odd modes, EXIF, ICC profiles, 16-bit
TIFF), pyramids built from them with each engine, a minimal Flask app with the image blueprint, and a
real HTTP server on a free port."""

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image
from werkzeug.serving import make_server

from catalogue.views import cors
from iiif import pyramid_vips
from iiif.image_views import ImageSource, init_app
from iiif.pyramid import build_pyramid
from tests.iiif.sample_images import encoded

REPO = Path(__file__).resolve().parents[2]
SHARED_IIIF = Path(os.environ.get("CATALOGUE_SHARED_IIIF", REPO.parent / "shared" / "iiif"))
VALIDATOR_ID = "67352ccc-d1b0-11e1-89ae-279075081939"
ENGINES = ["pillow", "vips"]


@pytest.fixture(params=ENGINES)
def engine(request) -> str:
    """Every build test runs with Pillow and with libvips (pyvips is in the test extra)."""
    if request.param == "vips" and not pyramid_vips.available():
        message = "pyvips is not importable (pip install -e '.[test]' installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return request.param


@pytest.fixture(scope="session")
def validator_image() -> Path:
    """The IIIF validator's 1000x1000 image of 100 coloured squares."""
    path = SHARED_IIIF / f"{VALIDATOR_ID}.png"
    if not path.exists():
        message = f"the IIIF validator image is missing at {path} (set CATALOGUE_SHARED_IIIF)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def squares_pyramid(tmp_path_factory, validator_image) -> Path:
    """The validator image's pyramid, built once per session (Pillow engine)."""
    directory = tmp_path_factory.mktemp("squares") / "pyramid"
    build_pyramid(validator_image, directory, engine="pillow")
    return directory


@pytest.fixture
def write_source(tmp_path) -> Callable[..., Path]:
    """Write bytes or a Pillow image as a source file in the test's folder."""

    def write(name: str, content: bytes | Image.Image, fmt: str | None = None, **options) -> Path:
        path = tmp_path / "sources" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else encoded(content, fmt or "PNG", **options))
        return path

    return write


@pytest.fixture
def image_app(tmp_path) -> Callable[..., Flask]:
    """A minimal app with only the image blueprint; ``sources`` maps identifiers to ImageSource."""

    def make(sources: dict[str, ImageSource], base_url: str = "http://iiif.test", **settings) -> Flask:
        app = Flask(__name__)
        app.config.update(BASE_URL=base_url, TESTING=True, **settings)
        init_app(app, sources.get)
        cors.init_app(app)  # as the catalogue's app: any origin reads IIIF
        return app

    return make


@pytest.fixture
def live_server() -> Iterator[Callable[[Callable[[str], Flask]], str]]:
    """Serve an app over real HTTP on a free port in a thread; the app is made once the port is known,
    so its BASE_URL is the address clients use. Returns that address."""
    servers = []

    def start(make_app: Callable[[str], Flask]) -> str:
        holder: dict[str, Flask] = {}
        server = make_server(
            "127.0.0.1", 0, lambda environ, start_response: holder["app"](environ, start_response), threaded=True
        )
        base_url = f"http://127.0.0.1:{server.server_port}"
        holder["app"] = make_app(base_url)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append((server, thread))
        return base_url

    yield start
    for server, thread in servers:
        server.shutdown()
        thread.join(timeout=10)
