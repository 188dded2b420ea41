"""The remote side of images named by URL: a real HTTP server on 127.0.0.1, in a thread, that
answers as museum servers (and attackers) do: good images, slow and trickling answers, huge ones
with and without a Content-Length, HTML named .jpg, redirects (good, to our own network, in a
loop, to ftp), 404, 429, 500 once, 503 always. It counts the requests each path gets, and how many
bytes a huge stream got out before the fetcher hung up."""

import contextlib
import ssl
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support import image_bytes

GOOD = image_bytes("JPEG", size=(40, 30), color=(200, 40, 40))
OTHER = image_bytes("PNG", size=(30, 40), color=(20, 40, 200))
HTML = b"<!doctype html><html><body>Not found, but we say 200</body></html>"
STREAM_LIMIT = 200 * 1024 * 1024  # a "huge" stream stops here, so a fetcher without a cap would end


class RemoteImages:
    def __init__(self, slow_seconds: float = 2.0, huge_bytes: int = 3_000_000, tls: tuple | None = None):
        """``tls``: (certificate file, key file) to serve HTTPS."""
        self.slow_seconds, self.huge_bytes = slow_seconds, huge_bytes
        self.hits: Counter[str] = Counter()
        self.streamed: dict[str, int] = {}
        self.stream_done = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.remote = self  # type: ignore[attr-defined]
        self.port = self.server.server_address[1]
        self.host = f"127.0.0.1:{self.port}"
        self.scheme = "https" if tls else "http"
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.routes = {
            "/good.jpg": lambda h: h.send(200, GOOD, "image/jpeg"),
            "/other.png": lambda h: h.send(200, OTHER, "image/png"),
            "/red%20square.jpg": lambda h: h.send(200, GOOD, "image/jpeg"),
            "/fake.jpg": lambda h: h.send(200, HTML, "image/jpeg"),
            "/slow.jpg": self._slow,
            "/drip.jpg": self._drip,
            "/huge-declared.jpg": self._huge_declared,
            "/huge-stream.jpg": self._huge_stream,
            "/absurd-length.jpg": self._absurd_length,
            "/to-good": lambda h: h.redirect("/good.jpg"),
            "/to-loopback": lambda h: h.redirect(f"http://localhost:{self.port}/good.jpg"),
            "/to-private": lambda h: h.redirect("http://10.0.0.1/good.jpg"),
            "/to-metadata": lambda h: h.redirect("http://169.254.169.254/latest/meta-data/"),
            "/to-ftp": lambda h: h.redirect("ftp://example.org/good.jpg"),
            "/loop": lambda h: h.redirect("/loop"),
            "/missing.jpg": lambda h: h.send(404, b"no such image", "text/plain"),
            "/busy.jpg": lambda h: h.send(429, b"slow down", "text/plain"),
            "/flaky.jpg": self._flaky,
            "/down.jpg": lambda h: h.send(503, b"down for maintenance", "text/plain"),
        }

    def url(self, path: str) -> str:
        return f"{self.scheme}://{self.host}{path}"

    def start(self) -> "RemoteImages":
        threading.Thread(target=self.server.serve_forever, args=(0.05,), name="remote-images", daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _slow(self, handler) -> None:
        time.sleep(self.slow_seconds)
        handler.send(200, GOOD, "image/jpeg")

    def _drip(self, handler) -> None:
        """A byte every 50 ms: each read is quick, the whole takes long."""
        handler.head(200, "image/jpeg", len(GOOD))
        for byte in GOOD:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(0.05)

    def _huge_declared(self, handler) -> None:
        handler.head(200, "image/jpeg", self.huge_bytes)
        self._stream(handler, self.huge_bytes)

    def _absurd_length(self, handler) -> None:
        """A Content-Length of 5,000 digits, more than Python's int() reads."""
        handler.send_response(200)
        handler.send_header("Content-Type", "image/jpeg")
        handler.send_header("Content-Length", "9" * 5_000)
        handler.end_headers()
        handler.wfile.write(GOOD)

    def _huge_stream(self, handler) -> None:
        handler.head(200, "image/jpeg", None)  # HTTP/1.0: the body ends when the connection does
        self._stream(handler, STREAM_LIMIT)

    def _stream(self, handler, total: int) -> None:
        chunk, sent = GOOD[:4] + bytes(64 * 1024 - 4), 0
        try:
            while sent < total:
                handler.wfile.write(chunk)
                sent += len(chunk)
        finally:
            self.streamed[handler.path] = sent
            self.stream_done.set()

    def _flaky(self, handler) -> None:
        if self.hits[handler.path] == 1:
            handler.send(500, b"oops", "text/plain")
        else:
            handler.send(200, GOOD, "image/jpeg")


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        remote: RemoteImages = self.server.remote  # type: ignore[attr-defined]
        remote.hits[self.path] += 1
        route = remote.routes.get(self.path, lambda h: h.send(404, b"unknown path", "text/plain"))
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the fetcher hung up, as it should
            route(self)

    def head(self, status: int, content_type: str, length: int | None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def send(self, status: int, body: bytes, content_type: str) -> None:
        self.head(status, content_type, len(body))
        self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args) -> None:  # quiet: pytest shows what matters
        pass
