"""A real browser (Debian chromium driven by Playwright) against the catalogue served over HTTP."""

import json
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from catalogue.cli import cli_actor
from catalogue.ingest import Importer
from tests.support import make_app

DEMO = Path(__file__).resolve().parents[2] / "demo"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / ".artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The demo catalogue on a free port, served by a real HTTP server in a thread."""
    app = make_app({"DATA_DIR": str(tmp_path_factory.mktemp("browser")), "BASE_URL": "http://127.0.0.1"})
    service = app.extensions["catalogue"]
    for museum in json.loads((DEMO / "museums.json").read_text()):
        service.register_museum(cli_actor(), museum)
    for name in ("records.jsonl", "image_records.jsonl"):
        Importer(service, cli_actor()).import_file(DEMO / name)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed (make test installs it with apt-get)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
