"""A real browser (Debian chromium driven by Playwright) against the catalogue served over HTTP."""

import json
import shutil
import threading
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from catalogue.cli import cli_actor
from catalogue.ingest.importer import Importer
from tests.support import PASSWORD, make_app

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


@contextmanager
def serving(folder: Path, **settings):
    """A catalogue on a free port, served by a real HTTP server in a thread: (app, address). BASE_URL
    is that address, so manifests, pages and mailed links name URLs the browser can reach."""
    holder = {}
    server = make_server("127.0.0.1", 0, lambda environ, start: holder["app"](environ, start), threaded=True)
    address = f"http://127.0.0.1:{server.server_port}"
    app = make_app({"DATA_DIR": str(folder), "BASE_URL": address, **settings})
    holder["app"] = app
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, address
    finally:
        server.shutdown()
        app.extensions["catalogue"].store.dispose()


def sign_in_page(page, address: str, email: str, target: str | None = None) -> None:
    """Sign in through the form, as a person would; lands on ``target`` (a path) when given."""
    page.goto(f"{address}/account/sign-in" + (f"?next={target}" if target else ""))
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")
    if target:
        assert page.url == address + target


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """The demo catalogue on a free port: (app, address). The demo's 15 images come in through the
    upload path (`catalogue import-images`), which builds their pyramids."""
    with serving(tmp_path_factory.mktemp("browser")) as (app, address):
        load_demo(app)
        yield app, address


@pytest.fixture(scope="session")
def live_server(served) -> str:
    return served[1]


@pytest.fixture(scope="session")
def live_app(served):
    return served[0]


def load_demo(app) -> None:
    """What `make demo` loads: museums, records, the images through `catalogue import-images`, themes."""
    service = app.extensions["catalogue"]
    for museum in json.loads((DEMO / "museums.json").read_text()):
        service.register_museum(cli_actor(), museum)
    for name in ("records.jsonl", "image_records.jsonl"):
        Importer(service, cli_actor()).import_file(DEMO / name)
    result = app.test_cli_runner().invoke(args=["import-images", str(DEMO / "images.jsonl")])
    assert result.exit_code == 0 and "rejected 0" in result.output, result.output
    result = app.test_cli_runner().invoke(args=["theme", "load", str(DEMO / "themes.json")])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="session")
def demo_image(live_server):
    """A demo object with its image: ``demo_image("hokusai_great-wave")`` -> (record id, source file)."""
    lines = [json.loads(line) for line in (DEMO / "images.jsonl").read_text().splitlines() if line.strip()]
    files = {line["local_id"]: (line["museum"], DEMO / line["file"]) for line in lines}

    def find(local_id: str) -> tuple[str, Path]:
        museum, source = files[local_id]
        with urllib.request.urlopen(f"{live_server}/api/museums/{museum}/objects/{local_id}") as response:
            return json.load(response)["id"], source

    return find


@pytest.fixture(scope="session")
def other_origin():
    """A second local web server (another origin than the catalogue): ``host(html)`` serves a page
    there and returns its URL."""
    pages: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body or b"not found")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def host(html: str) -> str:
        path = f"/page{len(pages)}.html"
        pages[path] = html.encode()
        return f"http://127.0.0.1:{server.server_port}{path}"

    yield host
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
