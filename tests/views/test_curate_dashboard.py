"""The curator dashboard: a museum's records in every status with counts, filters, paging and the
recent changes; drafts are the curators' alone."""

import re

import pytest

from catalogue.cli import cli_actor
from catalogue.service.curation import changed_fields
from tests.support import image_bytes, record_payload, sign_in, write_body_as_before_orjson


def counts_on(text: str) -> dict[str, int]:
    return {name: int(number) for name, number in re.findall(r'data-count="(\w+)">(\d+)<', text)}


def listed(text: str) -> list[str]:
    """The local ids in the table, top to bottom."""
    return re.findall(r"<td><code>([^<]*)</code></td>", text)


@pytest.fixture
def collection(service, museum):
    """Five records of the museum: two drafts (one with a warning), two published (one with an
    image), one withdrawn; saved in this order, so the withdrawn one changed last."""
    actor = cli_actor()
    service.upsert(actor, museum.code, record_payload("D-1", title={"en": ["Draft wave"]}, status="draft"))
    service.upsert(
        actor, museum.code, record_payload("D-2", title={"ja": ["北斎の下書き"]}, status="draft", country="Atlantis")
    )
    service.upsert(actor, museum.code, record_payload("P-1", title="Published wave"))
    service.upsert(actor, museum.code, record_payload("P-2", title="Mount Fuji"))
    service.add_images(actor, museum.code, "P-2", [(image_bytes(), "fuji.jpg")])
    service.upsert(actor, museum.code, record_payload("W-1", title="Gone"))
    service.withdraw(actor, museum.code, "W-1")


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/curate/")
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("database_kind", ["sqlite", "postgresql"])
def test_a_signed_in_curator_is_not_asked_to_sign_in(curator_client, client):
    """The footer's "Curators: sign in" stays on public pages (the same for everyone, so cacheable)
    and leaves the pages of signed-in people."""
    assert "/account/sign-in" not in curator_client.get("/curate/").get_data(as_text=True)
    assert "/account/sign-in" in client.get("/").get_data(as_text=True)


def test_counts_per_status_images_and_warnings(curator_client, collection, database_kind):
    text = curator_client.get("/curate/").get_data(as_text=True)
    assert counts_on(text) == {
        "draft": 2,
        "published": 2,
        "withdrawn": 1,
        "with_images": 1,
        "missing_images": 4,
        "with_warnings": 1,
    }
    assert 'href="/curate/records/new"' in text


@pytest.mark.parametrize("database_kind", ["sqlite", "postgresql"])
def test_every_status_is_listed_newest_change_first(curator_client, collection, database_kind):
    text = curator_client.get("/curate/").get_data(as_text=True)
    assert listed(text) == ["W-1", "P-2", "P-1", "D-2", "D-1"]
    assert listed(curator_client.get("/curate/?warnings=1&images=missing").get_data(as_text=True)) == ["D-2"]
    assert "北斎の下書き" in text and "Draft wave" in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=draft", ["D-2", "D-1"]),
        ("status=withdrawn", ["W-1"]),
        ("images=missing", ["W-1", "P-1", "D-2", "D-1"]),
        ("images=present", ["P-2"]),
        ("warnings=1", ["D-2"]),
        ("q=wave", ["P-1", "D-1"]),
        ("q=WAVE&status=published", ["P-1"]),
        ("q=p-", ["P-2", "P-1"]),
        ("q=北斎", ["D-2"]),
        ("q=100%25", []),
        ("status=published&images=missing", ["P-1"]),
    ],
)
def test_filters(curator_client, collection, query, expected):
    response = curator_client.get(f"/curate/?{query}")
    assert response.status_code == 200
    assert listed(response.get_data(as_text=True)) == expected


@pytest.mark.parametrize("database_kind", ["sqlite", "postgresql"])
def test_text_matches_local_ids_and_titles_in_any_script_on_both_databases(service, museum, database_kind):
    actor = cli_actor()
    service.upsert(actor, museum.code, record_payload("A-1", title={"ja": ["神奈川沖浪裏"], "en": ["Under the Wave"]}))
    service.upsert(actor, museum.code, record_payload("B-2", title={"fr": ["Étude de vague"]}))
    service.upsert(actor, museum.code, record_payload("C_3", title={"en": ['A "quoted" title']}))

    def found(text: str) -> list[str]:
        return sorted(row["local_id"] for row in service.store.curation_records(museum.code, text)[0])

    assert found("沖浪") == ["A-1"]
    assert found("Étude") == ["B-2"] == found("ÉTUDE") and found("wave") == ["A-1"]
    assert found('"quoted"') == ["C_3"]
    assert found("_") == ["C_3"] and found("%") == []

    body = {**service.store.find_record(museum.code, "A-1").body, "title": {"ja": ["北斎の波"]}}
    assert "\\u5317" in write_body_as_before_orjson(service.store, museum.code, "A-1", body)
    assert found("北斎") == ["A-1"]


def test_pages_of_records_keep_the_filters(curator_client, service, museum):
    for number in range(30):
        service.upsert(cli_actor(), museum.code, record_payload(f"R{number:02}", status="draft"))
    first = curator_client.get("/curate/?status=draft").get_data(as_text=True)
    assert len(listed(first)) == 25 and "30 records" in first
    assert 'href="/curate/?status=draft&amp;page=2"' in first
    second = curator_client.get("/curate/?status=draft&page=2").get_data(as_text=True)
    assert listed(second) == ["R04", "R03", "R02", "R01", "R00"]
    assert listed(curator_client.get("/curate/?status=draft&page=9").get_data(as_text=True)) == listed(second)


def test_bad_filters_are_a_400_not_a_500(curator_client):
    assert curator_client.get("/curate/?status=lost").status_code == 400
    assert curator_client.get("/curate/?images=maybe").status_code == 400
    assert curator_client.get("/curate/?page=two").status_code == 400


def test_recent_changes_say_who_did_what_to_which_record_and_fields(curator_client, service, museum):
    actor = cli_actor()
    service.upsert(actor, museum.code, record_payload("H-1", title="First", status="draft"))
    service.upsert(actor, museum.code, record_payload("H-1", title="Second", status="draft", object_type="drawing"))
    record = service.store.find_record(museum.code, "H-1")
    text = curator_client.get("/curate/").get_data(as_text=True)
    recent = text[text.index("Recent changes") :]
    assert f'href="/curate/records/{record.id}/edit">Second</a>' in recent
    assert "Edited" in recent and "Created" in recent and actor.name in recent
    assert "· Object type, Title</span>" in recent  # the fields as the record form labels them
    assert "museum_saved" not in recent, "only changes of records: the museum's own entries are not listed"


def test_recent_changes_name_the_fields_in_the_pages_language(curator_client, service, museum):
    service.upsert(cli_actor(), museum.code, record_payload("H-1"))
    service.upsert(cli_actor(), museum.code, record_payload("H-1", title="Second", object_type="drawing"))
    japanese = curator_client.get("/ja/curate/").get_data(as_text=True)
    assert "· 作品種別, 作品名</span>" in japanese and "object_type" not in japanese
    german = curator_client.get("/de/curate/").get_data(as_text=True)
    assert "· Objektbezeichnung, Titel</span>" in german


def test_changed_fields_read_both_shapes_of_audit_entries():
    assert changed_fields({"fields": {"title": [{"en": ["A"]}, {"en": ["B"]}], "medium": [None, "ink"]}}) == [
        "medium",
        "title",
    ]
    assert changed_fields({"fields": ["title", "medium"]}) == ["title", "medium"]
    assert changed_fields({"status": ["published", "withdrawn"]}) == ["status"]
    assert changed_fields({"code": "tate", "status": "member"}) == [] and changed_fields(None) == []


def test_drafts_are_on_the_dashboard_but_never_public(curator_client, client, service, museum, collection):
    draft = service.store.find_record(museum.code, "D-1")
    assert "Draft wave" in curator_client.get("/curate/").get_data(as_text=True)
    assert client.get(f"/objects/{draft.id}").status_code == 404
    assert "Draft wave" not in client.get(f"/museums/{museum.code}").get_data(as_text=True)
    assert client.get(f"/api/museums/{museum.code}/objects/D-1").status_code == 404


def test_a_curator_sees_only_their_own_museum(app, make_museum, make_account, curator_client, collection):
    make_museum("rijks", "NL")
    other = app.test_client()
    sign_in(other, make_account("curator", "rijks"))
    text = other.get("/curate/").get_data(as_text=True)
    assert counts_on(text)["draft"] == 0 and "Draft wave" not in text
    assert other.get("/curate/?museum=tate").status_code == 403


def test_the_secretariat_picks_a_museum(app, make_account, collection):
    admin = app.test_client()
    sign_in(admin, make_account("admin"))
    picker = admin.get("/curate/").get_data(as_text=True)
    assert 'href="/curate/?museum=tate"' in picker
    board = admin.get("/curate/?museum=tate").get_data(as_text=True)
    assert counts_on(board)["draft"] == 2
    assert 'href="/curate/records/new?museum=tate"' in board
    assert admin.get("/curate/?museum=nowhere").status_code == 404
