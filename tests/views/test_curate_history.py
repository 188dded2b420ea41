"""The history page: every revision newest first with a readable, escaped diff, and a revert form
per older revision that works without scripts, behind CSRF, for the museum's own people only."""

import re

import pytest

from catalogue.models import Actor
from tests.support import image_bytes, post_form, record_payload, sign_in

CURATOR = Actor(name="Ada Curator", role="curator", museum="tate")
HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def wave(service, museum):
    """The Great Wave at revision 2: created, then its title and object type edited."""
    created = service.upsert(CURATOR, "tate", record_payload())
    service.upsert(CURATOR, "tate", record_payload(title=f"Wave {HOSTILE}", object_type="woodcut"))
    return created.record_id


def history_url(record_id: str) -> str:
    return f"/curate/records/{record_id}/history"


def revert_url(record_id: str, revision: int) -> str:
    return f"/curate/records/{record_id}/revert/{revision}"


def revert_buttons(page: str) -> list[str]:
    return re.findall(r'action="/curate/records/\w+/revert/(\d+)"', page)


def test_the_page_lists_revisions_newest_first_with_each_fields_change(curator_client, wave):
    response = curator_client.get(history_url(wave))
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert page.index('id="revision-2"') < page.index('id="revision-1"')
    assert "by Ada Curator" in page and re.search(r'<time datetime="\d{4}-\d\d-\d\dT[^"]+">\d{4}-', page)
    assert '<th scope="row">Object type</th>' in page and "print" in page and "woodcut" in page
    assert "en: The Great Wave" in page  # a language map, shown plainly
    assert "Katsushika Hokusai" in page  # the creation lists what it filled


def test_values_are_escaped(curator_client, wave):
    page = curator_client.get(history_url(wave)).get_data(as_text=True)
    assert HOSTILE not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_long_values_are_truncated_with_the_whole_value_in_details(curator_client, service, wave):
    long_description = "A great wave rises over three boats. " * 20
    service.upsert(CURATOR, "tate", record_payload(description=long_description, object_type="woodcut"))
    page = curator_client.get(history_url(wave)).get_data(as_text=True)
    summary = re.search(r"<details><summary>(.*?)</summary><div class=\"full-value\">(.*?)</div>", page, re.S)
    assert summary is not None
    assert len(summary.group(1)) < 200 and summary.group(1).endswith("…")
    assert summary.group(2) == f"en: {long_description.strip()}"


def test_every_older_revision_has_a_revert_form_the_current_one_not(curator_client, wave):
    page = curator_client.get(history_url(wave)).get_data(as_text=True)
    assert revert_buttons(page) == ["1"]
    assert "Revert to revision 1 (saved as new revision 3)" in page
    assert 'name="expected_revision" value="2"' in page


def test_reverting_saves_the_old_revision_as_a_new_one_and_says_so(curator_client, service, wave):
    response = post_form(curator_client, revert_url(wave, 1), {"expected_revision": "2"}, page=history_url(wave))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{history_url(wave)}?done=reverted&to=1")

    record = service.record(wave)
    assert (record.revision, record.body["title"]) == (3, {"en": ["The Great Wave"]})
    page = curator_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "reverted to revision 1" in page and revert_buttons(page) == ["2", "1"]


def test_reverting_from_a_page_that_is_out_of_date_is_a_conflict_shown_on_the_page(curator_client, service, wave):
    page = history_url(wave)
    service.change_status(CURATOR, "tate", "T00001", "draft")  # someone else, meanwhile
    response = post_form(curator_client, revert_url(wave, 1), {"expected_revision": "2"}, page=page)
    assert response.status_code == 409
    assert "is at revision 3, not 2" in response.get_data(as_text=True)
    assert service.record(wave, CURATOR).revision == 3


def test_an_expected_revision_too_long_to_read_is_not_a_500(curator_client, service, wave):
    """int() refuses more than 4,300 digits: the form's number is read only when a revision can be it."""
    data = {"expected_revision": "9" * 5_000}
    response = post_form(curator_client, revert_url(wave, 1), data, page=history_url(wave))
    assert response.status_code == 303
    assert service.record(wave).revision == 3


def test_reverting_to_an_unknown_revision_is_404(curator_client, wave):
    assert post_form(curator_client, revert_url(wave, 9), page=history_url(wave)).status_code == 404


def test_reverting_without_the_csrf_token_is_refused(curator_client, service, wave):
    response = curator_client.post(revert_url(wave, 1), data={"expected_revision": "2"})
    assert response.status_code == 400
    assert service.record(wave).revision == 2


def test_image_events_and_status_changes_are_told(curator_client, service, wave):
    red, blue = image_bytes(), image_bytes(color=(20, 40, 200))
    first, second = service.add_images(CURATOR, "tate", "T00001", [(red, "red.jpg"), (blue, "blue.jpg")])
    service.reorder_images(CURATOR, "tate", "T00001", [second.id, first.id])
    service.set_image_alt(CURATOR, "tate", "T00001", first.id, {"en": "A red square"})
    service.withdraw(CURATOR, "tate", "T00001")
    page = curator_client.get(history_url(wave)).get_data(as_text=True)
    headings = re.findall(r"<h2>\s*(.*?)\s*<span", page)
    assert headings == ["Withdrawn", "Alt text changed", "Images reordered", "Images added", "Edited", "Created"]
    assert "status: withdrawn" in page
    assert "<dd>red.jpg, blue.jpg → blue.jpg, red.jpg</dd>" in page  # images by their file names, not ids
    assert "<dd>red.jpg, blue.jpg</dd>" in page and "<dd>red.jpg</dd>" in page
    assert "→ en: A red square</dd>" in page


def test_a_removed_image_is_told_by_the_name_it_was_uploaded_as(curator_client, service, wave):
    """The image's row is gone once it is removed: the entry of its upload kept its name."""
    (image,) = service.add_images(CURATOR, "tate", "T00001", [(image_bytes(), "hokusai-wave.tif")])
    service.remove_image(CURATOR, "tate", "T00001", image.id)
    page = curator_client.get(history_url(wave)).get_data(as_text=True)
    assert page.count("<dd>hokusai-wave.tif</dd>") == 2 and image.id not in page


def test_status_values_in_a_diff_read_in_the_pages_language(curator_client, service, museum):
    draft = service.upsert(CURATOR, "tate", record_payload("D-1", status="draft")).record_id
    service.change_status(CURATOR, "tate", "D-1", "published")
    japanese = curator_client.get(f"/ja{history_url(draft)}").get_data(as_text=True)
    assert '<td class="new">下書き</td>' in japanese and '<td class="new">draft</td>' not in japanese
    german = curator_client.get(f"/de{history_url(draft)}").get_data(as_text=True)
    assert '<td class="new">Entwurf</td>' in german
    english = curator_client.get(history_url(draft)).get_data(as_text=True)
    assert '<td class="new">draft</td>' in english


def test_people_of_another_museum_may_neither_read_nor_revert(app, service, make_museum, make_account, wave):
    make_museum("rijks", "NL")
    their_own = service.upsert(Actor(name="Rijks", role="curator", museum="rijks"), "rijks", record_payload("R1"))
    client = app.test_client()
    sign_in(client, make_account("museum_admin", "rijks"))
    assert client.get(history_url(wave)).status_code == 403
    assert post_form(client, revert_url(wave, 1), page=history_url(their_own.record_id)).status_code == 403
    assert service.record(wave).revision == 2


def test_the_secretariat_reads_every_museums_history(app, make_account, wave):
    client = app.test_client()
    sign_in(client, make_account("admin"))
    assert client.get(history_url(wave)).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in_and_may_not_post(client, wave):
    response = client.get(history_url(wave))
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
    assert post_form(client, revert_url(wave, 1), page="/account/sign-in").status_code == 401


def test_an_unknown_record_is_404(curator_client, museum):
    assert curator_client.get(history_url("nosuchrecord")).status_code == 404


def test_the_parts_of_a_fields_value_are_named_as_the_form_names_them(curator_client, service, wave):
    """A maker's role, the dimensions' height: by their labels in the page's language, not their keys;
    a language map keeps its language tags."""
    makers = [{"name": "Katsushika Hokusai", "role": "designer"}]
    service.upsert(CURATOR, "tate", record_payload(makers=makers, dimensions="H. 25.7 cm", object_type="woodcut"))
    page = curator_client.get(f"/de{history_url(wave)}").get_data(as_text=True)
    assert "Name: Katsushika Hokusai; Rolle: designer" in page
    assert "Wie geschrieben: H. 25.7 cm; Höhe (cm): 25.7" in page
    assert "en: Wave" in page


def test_a_record_in_no_language_and_with_no_rights_shows_no_none_and_no_empty_change(curator_client, service):
    """A record saved from the form with no record language and no rights read "Record language
    (empty) -> none" and "Rights (empty) -> (empty)"; a title in no language read "none: ..."."""
    payload = record_payload(title={"none": ["Untitled screen"]}, rights={})
    del payload["language"]
    record_id = service.upsert(CURATOR, "tate", payload).record_id
    page = curator_client.get(history_url(record_id)).get_data(as_text=True)
    assert "Untitled screen" in page and "none: " not in page and ">none<" not in page
    assert '<th scope="row">Record language</th>' not in page
    assert '<th scope="row">Rights</th>' not in page
    assert '<th scope="row">Title</th>' in page
