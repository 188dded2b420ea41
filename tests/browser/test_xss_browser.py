"""Hostile text stays text: a museum, a record (every text field), a curator, a membership
application, an API token label and a bulk upload's rejected row all hold script and HTML
payloads, and every public and curator page that shows them is opened in a real browser. No
script runs, no element comes out of the data, and (where the page shows the value) the payload
reads as the literal text it is.

The Content Security Policy would stop an inline script even if a page forgot to escape one, so
the test does not rely on the script failing to run: it looks for the elements a missed escape
would create (inline scripts, an ``<img src=x>``, an ``<svg onload>``, a ``javascript:`` link)."""

import io
import json

import pytest

from catalogue.cli import cli_actor
from tests.browser.conftest import serving, sign_in_page
from tests.support import PASSWORD, image_bytes, record_payload

MARK = "xss"
PAYLOAD = (
    f'"\'><script>window.__{MARK}=1</script><img src=x onerror="window.__{MARK}=2">'
    f'<svg onload=window.__{MARK}=3></svg><a href="javascript:window.__{MARK}=4">link</a>{{{{7*7}}}}'
)
ADMIN = "secretariat@example.org"
# what a missed escape would leave in the page (JSON-LD data blocks are not scripts that run)
INJECTED = (
    "script:not([src]):not([type='application/ld+json']), img[src='x'], svg[onload], [onerror], a[href^='javascript:']"
)


def hostile_record(local_id: str, status: str = "published") -> dict:
    text = {"en": [PAYLOAD], "ja": [PAYLOAD]}
    return record_payload(
        local_id,
        status=status,
        masterpiece=True,
        title=text,
        description=text,
        other_titles=[{"title": PAYLOAD, "type": PAYLOAD}],
        makers=[{"name": PAYLOAD, "role": PAYLOAD, "display_dates": PAYLOAD, "nationality": PAYLOAD}],
        accession_number=PAYLOAD,
        date_display=PAYLOAD,
        object_type=PAYLOAD,
        classification=PAYLOAD,
        medium=PAYLOAD,
        materials=[PAYLOAD],
        technique=PAYLOAD,
        dimensions=PAYLOAD,
        culture=PAYLOAD,
        period=PAYLOAD,
        dynasty=PAYLOAD,
        place_of_origin=PAYLOAD,
        place_depicted=PAYLOAD,
        subjects=[PAYLOAD],
        inscription=PAYLOAD,
        credit_line=PAYLOAD,
        department=PAYLOAD,
        source_url=f"https://example.org/?q={PAYLOAD}",
    )


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """A catalogue whose every stored text is hostile: (address, paths of public pages, of curator pages)."""
    folder = tmp_path_factory.mktemp("xss")
    with serving(folder) as (app, address):
        service = app.extensions["catalogue"]
        museum = {"code": "tate", "names": {"en": [PAYLOAD]}, "country": "GB", "city": PAYLOAD, "status": "member"}
        service.register_museum(cli_actor(), museum)
        service.create_account(cli_actor(), ADMIN, PAYLOAD, "admin", None, PASSWORD)
        service.create_account(cli_actor(), "curator@example.org", PAYLOAD, "curator", "tate", PASSWORD)
        record = service.upsert(cli_actor(), "tate", hostile_record("X-1")).record_id
        service.add_images(cli_actor(), "tate", "X-1", [(image_bytes(size=(64, 48)), f"{PAYLOAD}.jpg")], PAYLOAD)
        service.upsert(cli_actor(), "tate", hostile_record("X-1", status="published") | {"period": "changed"})
        draft = service.upsert(cli_actor(), "tate", hostile_record("X-2", status="draft")).record_id
        admin, _version = service.authenticate(ADMIN, PASSWORD, "test")
        service.create_own_token(admin, PAYLOAD)
        application = service.apply_for_membership(_application(), "test")
        upload = _bulk_upload(service, admin, folder)
        public = ["/", "/search?q=xss", f"/search?q={PAYLOAD}", f"/objects/{record}", "/museums/tate"]
        public += [f"/objects/{record}/mirador", f"/objects/{record}/uv", f"/embed/{record}"]
        curator = ["/curate/?museum=tate", f"/curate/records/{record}/edit", f"/curate/records/{draft}/preview"]
        curator += [f"/curate/records/{record}/history", f"/curate/records/{record}/images", "/account"]
        curator += ["/account/people", "/admin/applications", f"/admin/applications/{application}"]
        curator += ["/curate/imports?museum=tate", f"/curate/imports/{upload}"]
        yield address, public, curator


def _application() -> dict:
    return {
        "names": [{"language": "en", "name": PAYLOAD}],
        "country": "NL",
        "city": PAYLOAD,
        "website": "https://example.org/",
        "contact_name": PAYLOAD,
        "contact_email": "contact@example.org",
        "description": PAYLOAD,
        "ethics_agreed": True,
    }


def _bulk_upload(service, admin, folder) -> int:
    """An upload whose dry run rejects a row and quotes its hostile values in the report."""
    rows = [record_payload("B-1", title=PAYLOAD), {"local_id": PAYLOAD, "title": PAYLOAD, "date_begin": PAYLOAD}]
    data = "\n".join(json.dumps(row) for row in rows).encode()
    upload = service.upload_import(admin, "tate", "rows.jsonl", io.BytesIO(data), folder / "imports")
    service.request_check(admin, upload.id)
    assert service.run_import(upload.id)
    return upload.id


def visit(page, url: str) -> dict:
    """Open ``url`` and report what a missed escape would have left: ran scripts, injected elements,
    dialogs, and the CSP violations a blocked inline script causes."""
    dialogs: list[str] = []
    refused: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: refused.append(message.text) if "inline" in message.text else None)
    response = page.goto(url)
    page.wait_for_load_state("networkidle")  # the viewers fetch the manifest and render its texts after "load"
    ran = page.evaluate(f"() => window.__{MARK} || null")
    return {
        "status": response.status if response else None,
        "ran": ran,
        "injected": page.locator(INJECTED).count(),
        "dialogs": dialogs,
        "refused inline": refused,
        "shown as text": PAYLOAD[:40] in page.inner_text("body"),
    }


def test_no_public_page_runs_or_builds_anything_from_hostile_data(page, hostile_site):
    address, public, _curator = hostile_site
    shown = []
    for path in public:
        seen = visit(page, address + path)
        assert seen["status"] == 200, (path, seen)
        assert (seen["ran"], seen["injected"], seen["dialogs"], seen["refused inline"]) == (None, 0, [], []), (
            path,
            seen,
        )
        shown.append(seen["shown as text"])
        if path.endswith(("/mirador", "/uv")):  # the viewers show the manifest's texts as the text they are
            assert seen["shown as text"], f"{path} should show the hostile title as text"
    assert sum(shown) >= 4, "the hostile values should be on the pages, as text"


def test_no_curator_page_runs_or_builds_anything_from_hostile_data(page, hostile_site):
    address, _public, curator = hostile_site
    sign_in_page(page, address, ADMIN)
    for path in curator:
        seen = visit(page, address + path)
        assert seen["status"] == 200, (path, seen)
        assert (seen["ran"], seen["injected"], seen["dialogs"], seen["refused inline"]) == (None, 0, [], []), (
            path,
            seen,
        )
        assert seen["shown as text"], f"{path} should show the hostile value as text"
