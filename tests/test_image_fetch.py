"""Images by URL: records name images by URL (the API's ``images[].url``, ``image_url`` in CSV and
JSON Lines, the shared format's ``image_url``); saving the record queues them, and `catalogue
fetch-images` (or the server's timer) downloads them through the address guard, within a time
limit and a size cap, checks them as uploads, and stores them as uploads are stored. A failure is
kept on its source: retried after 1, 5, 25... minutes when a later try may help (timeouts, 5xx,
429), at once final otherwise; it never stops an import. The remote side is a real HTTP server
(tests/remote_images.py)."""

import hashlib
import json
import re
import shutil
import socket
import ssl
import subprocess
import time
from dataclasses import replace
from datetime import timedelta
from urllib.parse import quote

import pytest

from catalogue.cli import cli_actor
from catalogue.image_fetch import FetchFailed, FetchPolicy, download
from catalogue.service.image_sources import FETCH_LEASE
from catalogue.store import now
from catalogue.url_guard import AllowList
from tests.remote_images import GOOD, RemoteImages
from tests.support import make_app, record_payload, require

OBJECTS = "/api/museums/tate/objects"


@pytest.fixture
def remote():
    server = RemoteImages().start()
    yield server
    server.stop()


@pytest.fixture
def app_settings(remote):
    return {"IMAGE_FETCH_ALLOW_HOSTS": remote.host, "IMAGE_FETCH_TIMEOUT": 0.5}  # MAX_IMAGE_BYTES: 2,000,000


@pytest.fixture(params=["sqlite", "postgresql"])
def database_kind(request):
    """The queue must behave the same on SQLite and PostgreSQL."""
    return request.param


# downloading: one URL, through the guard, bounded -----------------------------------------------
@pytest.fixture
def policy(remote):
    return FetchPolicy(max_bytes=100_000, timeout=0.5, total_seconds=1.0, allow=AllowList.parse(remote.host))


def failure_of(url: str, policy: FetchPolicy) -> FetchFailed:
    with pytest.raises(FetchFailed) as failed:
        download(url, policy)
    return failed.value


def test_a_good_image_is_downloaded_and_a_redirect_to_it_followed(remote, policy):
    assert download(remote.url("/good.jpg"), policy) == GOOD
    assert download(remote.url("/to-good"), policy) == GOOD
    assert remote.hits == {"/good.jpg": 2, "/to-good": 1}


def test_a_slow_answer_times_out_and_is_worth_another_try(remote, policy):
    started = time.monotonic()
    failure = failure_of(remote.url("/slow.jpg"), policy)
    assert (failure.reason, failure.retry) == ("no answer within 0.5 s", True)
    assert time.monotonic() - started < remote.slow_seconds


def test_an_answer_that_trickles_in_is_cut_off_at_the_total_time(remote, policy):
    failure = failure_of(remote.url("/drip.jpg"), policy)  # every byte within the read timeout
    assert (failure.reason, failure.retry) == ("the download took longer than 1 s", True)


def test_a_huge_answer_is_refused_by_its_content_length_before_its_body_is_read(remote, policy):
    failure = failure_of(remote.url("/huge-declared.jpg"), policy)
    assert (failure.reason, failure.retry) == ("the image is 3000000 bytes; the limit is 100000", False)


def test_a_content_length_too_long_to_read_is_refused_as_too_large(remote, policy):
    """int() refuses more than 4,300 digits: that ValueError stopped the whole round of fetches."""
    failure = failure_of(remote.url("/absurd-length.jpg"), policy)
    assert (failure.reason, failure.retry) == ("the image is larger than the limit of 100000 bytes", False)


def test_a_huge_answer_without_a_content_length_is_cut_off_at_the_limit(remote, policy):
    failure = failure_of(remote.url("/huge-stream.jpg"), policy)
    assert (failure.reason, failure.retry) == ("the image is larger than the limit of 100000 bytes", False)
    assert remote.stream_done.wait(10)
    assert remote.streamed["/huge-stream.jpg"] < 50 * 2**20  # of the 200 MB it had to send


@pytest.mark.parametrize(
    "path, reason",
    [
        ("/to-loopback", r"refused: localhost \((127\.0\.0\.1|::1)\) is a loopback address"),
        ("/to-private", r"refused: 10\.0\.0\.1 is a private address"),
        ("/to-metadata", r"refused: 169\.254\.169\.254 is a cloud metadata address"),
        ("/to-ftp", r"refused: only http and https URLs are fetched"),
        ("/loop", r"more than 5 redirects"),
    ],
)
def test_every_redirect_hop_is_checked(remote, policy, path, reason):
    failure = failure_of(remote.url(path), policy)
    assert re.fullmatch(reason, failure.reason) and failure.retry is False
    assert remote.hits["/good.jpg"] == 0  # not even our own test server under another name
    assert remote.hits[path] == (6 if path == "/loop" else 1)


@pytest.mark.parametrize(
    "path, reason, retry",
    [
        ("/missing.jpg", "the server answered 404 Not Found", False),
        ("/busy.jpg", "the server answered 429 Too Many Requests", True),
        ("/down.jpg", "the server answered 503 Service Unavailable", True),
    ],
)
def test_client_errors_are_final_and_server_errors_worth_another_try(remote, policy, path, reason, retry):
    failure = failure_of(remote.url(path), policy)
    assert (failure.reason, failure.retry) == (reason, retry)


def test_without_the_allow_setting_the_test_server_itself_is_refused(remote, policy):
    failure = failure_of(remote.url("/good.jpg"), replace(policy, allow=AllowList()))
    assert (failure.reason, failure.retry) == ("refused: 127.0.0.1 is a loopback address", False)
    assert remote.hits == {}


def test_a_refused_connection_is_worth_another_try(policy):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again when the block ends: nobody listens there
    failure = failure_of(f"http://127.0.0.1:{port}/a.jpg", replace(policy, allow=AllowList.parse(f"127.0.0.1:{port}")))
    assert failure.reason.startswith("the connection failed") and failure.retry is True


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1: (certificate file, key file)."""
    require(shutil.which("openssl") is not None, "openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subject = ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", *subject]
    subprocess.run([*command, "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def test_https_connects_to_the_checked_address_and_checks_its_certificate(certificate, policy):
    remote = RemoteImages(tls=certificate).start()
    try:
        allowed = replace(policy, allow=AllowList.parse(remote.host))
        untrusted = failure_of(remote.url("/good.jpg"), allowed)
        assert untrusted.reason == "the TLS certificate was not accepted (self-signed certificate)"
        assert untrusted.retry is False and remote.hits == {}
        trusting = replace(allowed, tls=ssl.create_default_context(cafile=str(certificate[0])))
        assert download(remote.url("/good.jpg"), trusting) == GOOD
    finally:
        remote.stop()


# the queue: saving a record queues its URLs; fetching stores them as uploads -------------------
def test_each_url_is_fetched_once_and_each_failure_is_kept_on_its_source(service, museum, remote):
    good, *bad = [
        remote.url(p) for p in ("/good.jpg", "/fake.jpg", "/missing.jpg", "/to-metadata", "/huge-declared.jpg")
    ]
    images = [{"url": good, "alt": {"en": "A red square"}}, *bad]
    assert service.upsert(cli_actor(), "tate", record_payload(images=images)).images_queued == 5

    report = service.fetch_images()

    assert (report.fetched, report.failed, report.waiting) == (1, 4, 0)
    assert [(failure.url, failure.reason) for failure in report.failures] == [
        (bad[0], f"{bad[0]} is not a recognised image file; use JPEG, PNG, TIFF or WebP."),
        (bad[1], "the server answered 404 Not Found"),
        (bad[2], "refused: 169.254.169.254 is a cloud metadata address"),
        (bad[3], "the image is 3000000 bytes; the limit is 2000000"),
    ]
    record = service.record_by_local_id("tate", "T00001")
    [image] = record.images
    assert (image.sha256, image.alt, record.revision) == (hashlib.sha256(GOOD).hexdigest(), {"en": ["A red square"]}, 2)
    assert [(s.url, s.state, s.attempts, s.image_id) for s in service.image_sources(record.id)] == [
        (good, "fetched", 1, image.id),
        *[(url, "failed", 1, None) for url in bad],
    ]
    assert [(entry["actor"], entry["action"]) for entry in service.audit_entries(record.id)] == [
        (cli_actor().name, "create"),
        (cli_actor().name, "image_urls_queued"),
        ("image fetcher", "images_added"),
        *[("image fetcher", "image_url_failed")] * 4,
    ]
    hits = dict(remote.hits)
    again = service.upsert(cli_actor(), "tate", record_payload(images=[good, *bad]))
    assert (again.action, again.images_queued) == ("unchanged", 0)
    assert service.fetch_images().summary() == "images fetched 0, failed 0, waiting 0"
    assert remote.hits == hits


def test_a_server_error_is_tried_again_after_a_minute(service, museum, remote):
    service.upsert(cli_actor(), "tate", record_payload(images=[remote.url("/flaky.jpg")]))
    start = now()

    first = service.fetch_images(at=start)
    [failure] = first.failures
    assert (failure.reason, failure.next_attempt_at) == (
        "the server answered 500 Internal Server Error",
        start + timedelta(minutes=1),
    )
    assert first.summary() == "images fetched 0, failed 0, waiting 1"
    assert str(failure).startswith(f"retry tate T00001 {remote.url('/flaky.jpg')}: the server answered 500")

    assert service.fetch_images(at=start + timedelta(seconds=59)).summary() == "images fetched 0, failed 0, waiting 1"
    assert remote.hits["/flaky.jpg"] == 1
    assert service.fetch_images(at=start + timedelta(minutes=1)).summary() == "images fetched 1, failed 0, waiting 0"
    assert remote.hits["/flaky.jpg"] == 2
    assert len(service.record_by_local_id("tate", "T00001").images) == 1


def test_a_server_that_stays_down_is_tried_five_times_with_growing_delays(service, museum, remote):
    record_id = service.upsert(cli_actor(), "tate", record_payload(images=[remote.url("/down.jpg")])).record_id
    at, delays = now(), []
    for _ in range(4):
        [failure] = service.fetch_images(at=at).failures
        delays.append(failure.next_attempt_at - at)
        at = failure.next_attempt_at
    [last] = service.fetch_images(at=at).failures

    assert delays == [timedelta(minutes=minutes) for minutes in (1, 5, 25, 125)]
    assert last.next_attempt_at is None
    assert last.reason == "the server answered 503 Service Unavailable (gave up after 5 attempts)"
    [source] = service.image_sources(record_id)
    assert (source.state, source.attempts, source.last_error) == ("failed", 5, last.reason)
    assert service.fetch_images(at=at + timedelta(days=30)).summary() == "images fetched 0, failed 0, waiting 0"
    assert remote.hits["/down.jpg"] == 5


def test_a_source_one_process_claimed_is_not_fetched_by_another(service, museum, remote):
    service.upsert(cli_actor(), "tate", record_payload(images=[remote.url("/good.jpg")]))
    store, at = service.store, now()
    with store.reading() as conn:
        [source] = store.due_image_sources(conn, at)
    with store.transaction() as conn:
        assert store.claim_image_source(conn, source, at + FETCH_LEASE, at)
    with store.transaction() as conn:
        assert not store.claim_image_source(conn, source, at + FETCH_LEASE, at)  # the same snapshot, later

    assert service.fetch_images(at=at).summary() == "images fetched 0, failed 0, waiting 1"
    assert remote.hits == {}
    # a fetcher that died holding it: the source is due again when its lease ends
    assert service.fetch_images(at=at + FETCH_LEASE).summary() == "images fetched 1, failed 0, waiting 0"


# the API: images[].url in, image_sources out (curators only) ------------------------------------
def put(client, auth, payload):
    return client.put(f"{OBJECTS}/{quote(payload['local_id'], safe='')}", json=payload, headers=auth)


def test_curators_see_the_image_sources_and_the_public_does_not(client, auth, service, remote):
    url = remote.url("/good.jpg")
    created = put(client, auth, record_payload(images=[{"url": url, "alt": "A red square"}]))
    assert created.status_code == 201
    body = created.get_json()
    [source] = body["image_sources"]
    assert source == {
        "url": url,
        "alt": {"none": ["A red square"]},
        "state": "pending",
        "attempts": 0,
        "last_error": None,
        "next_attempt_at": source["next_attempt_at"],
        "image": None,
    }
    assert body["images"] == [] and "image_sources" not in client.get(f"/api/objects/{body['id']}").get_json()

    service.fetch_images()

    after = client.get(f"/api/objects/{body['id']}", headers=auth).get_json()
    assert [(s["state"], s["image"]) for s in after["image_sources"]] == [("fetched", after["images"][0]["id"])]


def test_a_record_read_from_the_api_can_be_sent_back_with_its_images_and_new_urls(client, auth, service, remote):
    put(client, auth, record_payload(images=[remote.url("/good.jpg")]))
    service.fetch_images()
    record = client.get(f"{OBJECTS}/T00001", headers=auth).get_json()

    response = put(client, auth, record_payload(images=[*record["images"], {"url": remote.url("/other.png")}]))

    assert response.status_code == 200
    sources = response.get_json()["image_sources"]
    assert [(s["url"], s["state"]) for s in sources] == [
        (remote.url("/good.jpg"), "fetched"),
        (remote.url("/other.png"), "pending"),
    ]


def test_an_image_entry_takes_a_url_and_alt_text_only(client, auth, remote):
    response = put(client, auth, record_payload(images=[{"url": remote.url("/good.jpg"), "width": 40}]))
    assert response.status_code == 400
    assert response.get_json()["errors"] == [{"field": "images.0.width", "message": "Not a field of a record."}]
    too_many = put(client, auth, record_payload(images=[f"https://example.org/{n}.jpg" for n in range(51)]))
    assert too_many.status_code == 400 and too_many.get_json()["errors"][0]["field"] == "images"


def test_a_url_that_is_not_http_is_dropped_with_a_warning(client, auth):
    response = put(client, auth, record_payload(images=["ftp://example.org/a.jpg", {"url": "file:///etc/passwd"}]))
    body = response.get_json()
    assert response.status_code == 201 and body["image_sources"] == []
    assert [warning["field"] for warning in body["warnings"]] == ["images.0.url", "images.1.url"]


def test_an_empty_url_names_no_image(client, auth):
    response = put(client, auth, record_payload(image_url=" ", images=["", {"url": "", "alt": "x"}, {"url": None}]))
    body = response.get_json()
    assert (response.status_code, body["image_sources"], body["warnings"]) == (201, [], [])


# the commands -----------------------------------------------------------------------------------
def shared_row(source_id: str, image_url: str | None, image_rights: str = "CC0-1.0") -> dict:
    return {
        "record_id": f"walters:{source_id}",
        "source_museum": "The Walters Art Museum (Baltimore)",
        "source_museum_code": "walters",
        "source_id": source_id,
        "title": f"Object {source_id}",
        "language": "en",
        "rights": {"metadata_license": "CC0-1.0", "image_rights": image_rights},
        "image_url": image_url,
    }


def test_the_shared_formats_image_urls_are_fetched_and_failures_listed_per_record(runner, service, remote, tmp_path):
    rows = [
        shared_row("W1", remote.url("/good.jpg")),
        shared_row("W2", remote.url("/missing.jpg"), "CC0-if-public-domain"),
        shared_row("W3", remote.url("/good.jpg"), "not-CC0"),  # a third party's file: open images only
        shared_row("W4", None),
    ]
    path = tmp_path / "shared.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")

    imported = runner.invoke(args=["import", str(path), "--register-museums"])

    assert imported.exit_code == 0, imported.output
    assert imported.output.strip().splitlines()[-2:] == [
        "image URLs queued 2: the server fetches them in the background, `catalogue fetch-images` at once",
        "created 4, updated 0, unchanged 0, warned 0, rejected 0",
    ]
    fetched = runner.invoke(args=["fetch-images"])
    assert f"failed walters W2 {remote.url('/missing.jpg')}: the server answered 404 Not Found" in fetched.output
    assert fetched.output.strip().splitlines()[-1] == "images fetched 1, failed 1, waiting 0"
    assert fetched.exit_code == 1
    records = [service.record_by_local_id("walters", local_id) for local_id in ("W1", "W2", "W3", "W4")]
    assert [len(record.images) for record in records] == [1, 0, 0, 0]
    assert [len(service.image_sources(record.id)) for record in records] == [1, 1, 0, 0]
    again = runner.invoke(args=["import", str(path)])
    assert "image URLs queued" not in again.output
    assert again.output.strip().splitlines()[-1] == "created 0, updated 0, unchanged 4, warned 0, rejected 0"


def test_image_url_is_a_column_of_our_own_csv(runner, service, museum, remote, tmp_path):
    path = tmp_path / "objects.csv"  # a space in a file name, as museum exports have them, is escaped
    path.write_text(f"local_id,title,image_url\nC1,Red square,{remote.url('/red square.jpg')}\nC2,Nothing,\n")
    assert "image URLs queued 1:" in runner.invoke(args=["import", str(path), "--museum", "tate"]).output
    assert runner.invoke(args=["fetch-images"]).output.strip() == "images fetched 1, failed 0, waiting 0"
    record = service.record_by_local_id("tate", "C1")
    assert [source.url for source in service.image_sources(record.id)] == [remote.url("/red%20square.jpg")]
    assert len(record.images) == 1


def test_failed_urls_are_tried_again_on_request(runner, service, museum, remote):
    service.upsert(cli_actor(), "tate", record_payload(images=[remote.url("/missing.jpg")]))
    assert runner.invoke(args=["fetch-images"]).exit_code == 1
    remote.routes["/missing.jpg"] = remote.routes["/good.jpg"]  # the museum put the image back

    assert runner.invoke(args=["fetch-images"]).output.strip() == "images fetched 0, failed 0, waiting 0"
    result = runner.invoke(args=["fetch-images", "--retry-failed"])
    assert (result.exit_code, result.output.strip()) == (0, "images fetched 1, failed 0, waiting 0")


def test_fetch_images_takes_one_museum_or_a_number_at_a_time(runner, service, make_museum, remote):
    make_museum("tate")
    make_museum("rijksmuseum", country="NL")
    service.upsert(
        cli_actor(), "tate", record_payload("T1", images=[remote.url("/good.jpg"), remote.url("/other.png")])
    )
    service.upsert(cli_actor(), "rijksmuseum", record_payload("R1", images=[remote.url("/good.jpg")]))

    assert runner.invoke(args=["fetch-images", "--museum", "rijksmuseum"]).output.strip() == (
        "images fetched 1, failed 0, waiting 0"
    )
    assert (
        runner.invoke(args=["fetch-images", "--limit", "1"]).output.strip() == "images fetched 1, failed 0, waiting 1"
    )
    assert runner.invoke(args=["fetch-images", "--museum", "nowhere"]).exit_code == 2
    assert remote.hits == {"/good.jpg": 2}  # tate's second image waits for the next run


# the server's timer ----------------------------------------------------------------------------
def test_tests_fetch_nothing_behind_their_back(app):
    assert "image-fetch" not in app.extensions["timers"]


def test_the_server_fetches_queued_images_in_the_background(remote, tmp_path, database_url):
    app = make_app(
        {
            "DATA_DIR": str(tmp_path / "server"),
            "DATABASE_URL": database_url,
            "IMAGE_FETCH_SECONDS": 0.05,
            "IMAGE_FETCH_ALLOW_HOSTS": remote.host,
        }
    )
    service = app.extensions["catalogue"]
    try:
        service.register_museum(
            cli_actor(), {"code": "tate", "names": {"en": ["Tate"]}, "country": "GB", "status": "member"}
        )
        service.upsert(cli_actor(), "tate", record_payload(images=[remote.url("/good.jpg")]))
        app.test_client().get("/api/museums")  # the first request of a server process starts its timers
        record_id = service.record_by_local_id("tate", "T00001").id
        deadline = time.monotonic() + 10  # the image is stored first, then its source is marked fetched
        while service.image_sources(record_id)[0].state != "fetched" and time.monotonic() < deadline:
            time.sleep(0.05)
        record = service.record_by_local_id("tate", "T00001")
        assert [(s.state, s.image_id) for s in service.image_sources(record.id)] == [("fetched", record.images[0].id)]
    finally:
        app.extensions["timers"]["image-fetch"].stop()
        service.store.dispose()
