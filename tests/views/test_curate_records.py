"""The record form on the curator pages: create and edit records as drafts, errors next to their
fields with the curator's input kept, a clear 409 for a stale edit, publish / unpublish / withdraw,
the private preview, and who may do any of it."""

import html
import re
from gettext import NullTranslations
from html.parser import HTMLParser

import pytest

from catalogue.cli import cli_actor
from catalogue.i18n import use_translations
from catalogue.records import form
from tests.support import image_bytes, post_form, record_payload, sign_in


class Shouting(NullTranslations):
    """A stand-in catalogue that makes translated strings easy to spot."""

    def gettext(self, message):
        return message.upper()


VOID = {"input", "br", "img", "meta", "link", "hr", "source", "col", "wbr"}


class Page(HTMLParser):
    """A rendered page as a test reads it: the attributes of each input by name, the text of each
    element by id."""

    def __init__(self, html: str):
        super().__init__()
        self.inputs: dict[str, dict] = {}
        self.texts: dict[str, str] = {}
        self._open: list[tuple[str, str | None]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag in ("input", "textarea", "select") and "name" in attributes:
            self.inputs.setdefault(attributes["name"], {"tag": tag, **attributes})
        if tag == "option" and "selected" in attributes and self._open:
            select = next((a for t, a in reversed(self._open) if t == "select"), None)
            if select:
                self.inputs[select]["value"] = attributes.get("value", "")
        if tag not in VOID:
            self._open.append((tag, attributes.get("name") if tag in ("textarea", "select") else attributes.get("id")))

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data):
        for tag, key in self._open:
            if key and tag == "textarea":
                self.inputs[key]["value"] = self.inputs[key].get("value", "") + data
            elif key and tag != "select":
                self.texts[key] = self.texts.get(key, "") + data

    def value(self, name: str) -> str:
        return self.inputs[name].get("value", "")

    def errors_of(self, name: str) -> list[str]:
        """The messages tied to an input by its aria-describedby."""
        ids = self.inputs[name].get("aria-describedby", "").split()
        return [self.texts[i].strip() for i in ids if i.startswith("err-")]


def new_record_form(local_id="W1", **extra) -> dict:
    data = {
        "local_id": local_id,
        "title.0.lang": "en",
        "title.0.value": "The Great Wave",
        "title.1.lang": "ja",
        "title.1.value": "神奈川沖浪裏",
        "title.2.lang": "",
        "title.2.value": "",
        "makers.0.name": "Katsushika Hokusai",
        "makers.0.role": "artist",
        "makers.0.birth_year": "1760",
        "makers.0.death_year": "1849",
        "date_display": "c. 1830-32",
        "rights.metadata_license": "http://creativecommons.org/publicdomain/zero/1.0/",
        "status": "draft",
    }
    return {**data, **extra}


def create(client, data: dict, museum: str | None = None):
    url = "/curate/records/new" + (f"?museum={museum}" if museum else "")
    return post_form(client, url, data)


@pytest.fixture
def stored(service, museum):
    """A published record of the ``museum`` fixture, saved through the API's service method."""
    outcome = service.upsert(cli_actor(), museum.code, record_payload("T1", title={"en": ["Wave"], "ja": ["浪"]}))
    return service.record(outcome.record_id)


def test_anonymous_visitors_are_sent_to_sign_in(client, stored):
    for url in ("/curate/records/new", f"/curate/records/{stored.id}/edit", f"/curate/records/{stored.id}/preview"):
        response = client.get(url)
        assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"], url
    assert client.post(f"/curate/records/{stored.id}/status", data={"status": "draft"}).status_code in (400, 401)


def test_the_new_record_form_has_every_field_with_spare_rows(curator_client):
    response = curator_client.get("/curate/records/new")
    assert response.status_code == 200
    page = Page(response.get_data(as_text=True))
    for f in form.FIELDS:
        if f.kind == form.LANGMAP:
            names = [f"{f.name}.{i}.{part}" for i in range(form.SPARE_ROWS) for part in ("lang", "value")]
        elif f.kind == form.ROWS:
            names = [f"{f.name}.{i}.{p.name}" for i in range(form.SPARE_ROWS) for p in f.parts]
        elif f.kind == form.GROUP:
            names = [f"{f.name}.{p.name}" for p in f.parts]
        else:
            names = [f.name]
        for name in names:
            assert name in page.inputs, name
    assert f"title.{form.SPARE_ROWS}.value" not in page.inputs
    assert page.value("status") == "draft" and page.inputs["masterpiece"]["type"] == "checkbox"
    assert "Add a language" in response.get_data(as_text=True)


def test_the_form_names_the_museum_by_its_name_not_its_code(curator_client, stored):
    for url in ("/curate/records/new", f"/curate/records/{stored.id}/edit"):
        summary = re.search(
            r'<p class="record-summary">(.*?)</p>', curator_client.get(url).get_data(as_text=True), re.S
        )
        assert summary and "<strong>Tate</strong>" in summary.group(1), url


def test_a_curator_creates_a_draft_with_two_title_languages(curator_client, client, service, museum):
    response = create(curator_client, new_record_form(masterpiece="1"))
    assert response.status_code == 303
    record = service.store.find_record(museum.code, "W1")
    assert response.headers["Location"].endswith(f"/curate/records/{record.id}/edit")
    assert record.status == "draft" and record.revision == 1 and record.body["masterpiece"] is True
    assert record.body["title"] == {"en": ["The Great Wave"], "ja": ["神奈川沖浪裏"]}
    assert record.body["makers"][0]["birth_year"] == 1760 and record.body["date_begin"] == 1830
    edit = curator_client.get(response.headers["Location"])
    assert "Saved as revision 1." in edit.get_data(as_text=True)
    page = Page(edit.get_data(as_text=True))
    assert page.value("title.1.value") == "神奈川沖浪裏" and page.value("local_id") == "W1"
    assert "readonly" in page.inputs["local_id"] and page.inputs["masterpiece"].get("checked") is not None
    assert client.get(f"/objects/{record.id}").status_code == 404, "the public never sees a draft"
    assert client.get(f"/api/objects/{record.id}").status_code == 404


def test_errors_come_back_next_to_their_fields_with_the_input_kept(curator_client, service, museum):
    data = new_record_form(
        **{"title.0.value": "", "title.1.value": "", "makers.0.death_year": "1700", "makers.1.role": "publisher"}
    )
    response = create(curator_client, {**data, "description.0.lang": "fr", "description.0.value": "Une vague"})
    assert response.status_code == 400
    page = Page(response.get_data(as_text=True))
    assert page.errors_of("makers.0.death_year") == ["The death year (1700) is before the birth year (1760)."]
    assert page.inputs["makers.0.death_year"]["aria-invalid"] == "true"
    assert page.errors_of("makers.1.name") == ["Required: fill this in."]
    assert page.texts["f-title"].count("Required: fill this in.") == 1
    assert page.value("makers.0.death_year") == "1700" and page.value("makers.1.role") == "publisher"
    assert page.value("description.0.value") == "Une vague" and page.value("local_id") == "W1"
    assert page.value("rights.metadata_license") == "http://creativecommons.org/publicdomain/zero/1.0/"
    assert "The record was not saved" in response.get_data(as_text=True)
    assert service.store.find_record(museum.code, "W1") is None


def test_values_an_import_would_drop_are_errors_on_the_form(curator_client, service, museum):
    response = create(curator_client, new_record_form(country="Atlantis\nJP", date_begin="soon"))
    assert response.status_code == 400
    page = Page(response.get_data(as_text=True))
    assert page.errors_of("country")[0].startswith("Unknown country")
    assert page.errors_of("date_begin") == ["Must be a whole number (a year such as 1830)."]
    assert page.value("country") == "Atlantis\nJP"
    assert service.store.find_record(museum.code, "W1") is None


def test_one_save_reports_every_error_at_once_as_errors_naming_the_fields(curator_client, service, museum):
    """A bad record language, a bad row language, no title, a birth year "abc", a URL that is no
    URL, an unknown country and a latest year before the earliest: all on the first save, each
    next to its field and in the summary under the field's label; none says a value was dropped
    (nothing was saved) or names the schema's internal fields."""
    data = new_record_form(
        language="english!",
        source_url="notaurl",
        country="Atlantis",
        date_begin="1900",
        date_end="1800",
        **{
            "title.0.value": "",
            "title.1.value": "",
            "description.0.lang": "french!",
            "description.0.value": "Une vague",
            "makers.0.birth_year": "abc",
        },
    )
    response = create(curator_client, data)
    assert response.status_code == 400
    page = Page(response.get_data(as_text=True))
    assert {name: page.errors_of(name) for name in ERRORS_AT_ONCE} == ERRORS_AT_ONCE
    assert page.texts["f-title"].count("Required: fill this in.") == 1
    summary = " ".join(page.texts["form-problems"].split())
    assert summary.startswith("The record was not saved: correct the fields marked below.")
    assert "Latest year: The latest year (1800) is before the earliest year (1900)." in summary
    assert "Maker 1: Birth year: Must be a whole number" in summary
    assert "dropped" not in summary and "date_end" not in summary and "date_begin" not in summary

    fixed = {**data, "language": "en", "source_url": "https://example.org/wave", "country": "JP", "date_end": "1901"}
    fixed |= {"title.0.value": "The Great Wave", "description.0.lang": "fr", "makers.0.birth_year": "1760"}
    assert create(curator_client, fixed).status_code == 303, "fixing what the first save reported is enough"
    record = service.store.find_record(museum.code, "W1").body
    assert (record["date_begin"], record["date_end"], record["country"]) == (1900, 1901, ["JP"])


def test_the_fields_errors_are_in_the_pages_language(curator_client):
    data = new_record_form(language="english!", country="Atlantis", date_begin="1900", date_end="1800")
    data["makers.0.birth_year"] = "1850.5"
    response = post_form(curator_client, "/curate/records/new", data, headers={"Accept-Language": "ja"})
    page = Page(response.get_data(as_text=True))
    assert page.errors_of("language") == ["言語タグ（BCP 47、または 'none'）ではありません。"]
    assert page.errors_of("date_end") == ["最も遅い年（1800）が最も早い年（1900）より前です。"]
    assert page.errors_of("country") == ["不明な国 'Atlantis'：ISO 3166-1 alpha-2 コードか英語名を使ってください。"]
    assert page.errors_of("makers.0.birth_year") == ["整数（1830 のような年）でなければなりません。"]


def test_a_warning_kept_from_an_import_is_shown_in_the_pages_language(curator_client, service, museum):
    """An import dropped the value and kept why, in no language: each curator reads it in theirs."""
    payload = record_payload("W9", country="Atlantis", date_begin=1900, date_end=1800, date_display="1850")
    record_id = service.upsert(cli_actor(), museum.code, payload).record_id
    page = html.unescape(curator_client.get(f"/ja/curate/records/{record_id}/edit").get_data(as_text=True))
    assert "不明な国：ISO 3166-1 alpha-2 コードか英語名を使ってください。この値は取り除かれました。" in page
    assert "date_end 1800 が date_begin 1900 より前です。" in page
    english = html.unescape(curator_client.get(f"/curate/records/{record_id}/edit").get_data(as_text=True))
    assert "Unknown country: use an ISO 3166-1 alpha-2 code or an English name. The value was dropped." in english


ERRORS_AT_ONCE = {
    "language": ["Not a language tag (BCP 47, or 'none')."],
    "description.0.lang": ["Not a language code (e.g. en, ja, zh-Hant)."],
    "makers.0.birth_year": ["Must be a whole number (a year such as 1830)."],
    "source_url": ["Not a valid URL."],
    "country": ["Unknown country 'Atlantis': use an ISO 3166-1 alpha-2 code or an English name."],
    "date_end": ["The latest year (1800) is before the earliest year (1900)."],
}


def test_everything_the_curator_typed_comes_back_escaped(curator_client):
    hostile = "<script>alert(1)</script>"
    response = create(
        curator_client, new_record_form(status=hostile, **{"title.0.value": hostile, "local_id": hostile})
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "<script>alert" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert Page(text).texts["err-status-1"] == "Must be one of: draft, published, withdrawn."


def test_labels_and_help_are_translated(app, curator_client):
    use_translations(app, Shouting())
    text = curator_client.get("/curate/records/new").get_data(as_text=True)
    assert "LOCAL ID" in text and "ADD A LANGUAGE" in text and "WHO MADE IT" in text
    assert "ONE PER LINE." in text and "SAVE AS DRAFT" in text


def test_a_bad_language_code_is_marked_on_its_row(curator_client):
    response = create(curator_client, new_record_form(**{"title.1.lang": "japanese!"}))
    assert response.status_code == 400
    assert Page(response.get_data(as_text=True)).errors_of("title.1.lang") == [
        "Not a language code (e.g. en, ja, zh-Hant)."
    ]


def test_a_local_id_already_taken_is_an_error_on_that_field(curator_client, stored):
    response = create(curator_client, new_record_form(local_id="T1"))
    assert response.status_code == 409
    page = Page(response.get_data(as_text=True))
    assert page.errors_of("local_id") == ["This museum already has a record with this local id."]
    assert page.value("title.0.value") == "The Great Wave"


def test_a_local_id_already_taken_is_reported_with_the_forms_other_errors(curator_client, stored):
    response = create(curator_client, new_record_form(local_id="T1", **{"title.0.value": "", "title.1.value": ""}))
    assert response.status_code == 400
    page = Page(response.get_data(as_text=True))
    assert page.errors_of("local_id") == ["This museum already has a record with this local id."]
    assert "Required: fill this in." in page.texts["f-title"]


def edit_form(page: Page, **changes) -> dict:
    """The edit form as the browser would send it back, with ``changes``."""
    data = {name: attrs.get("value", "") for name, attrs in page.inputs.items() if attrs.get("type") != "checkbox"}
    data = {name: value for name, value in data.items() if name not in ("csrf_token", "confirm")}
    data.update(
        {name: "1" for name, attrs in page.inputs.items() if attrs.get("type") == "checkbox" and "checked" in attrs}
    )
    data.pop("confirm", None)
    return {**data, **changes}


def test_an_edit_saves_a_new_revision_and_keeps_the_status_and_local_id(curator_client, service, stored):
    url = f"/curate/records/{stored.id}/edit"
    page = Page(curator_client.get(url).get_data(as_text=True))
    assert page.value("title.1.value") == "浪" and page.value("revision") == "1"
    response = post_form(
        curator_client, url, edit_form(page, **{"title.2.lang": "fr", "title.2.value": "La vague", "local_id": "MOVED"})
    )
    assert response.status_code == 303
    record = service.record(stored.id)
    assert record.revision == 2 and record.status == "published" and record.local_id == "T1"
    assert record.body["title"] == {"en": ["Wave"], "ja": ["浪"], "fr": ["La vague"]}
    assert record.body["makers"] == stored.body["makers"] and record.body["rights"] == stored.body["rights"]
    assert service.store.find_record(stored.museum, "MOVED") is None


def test_an_edit_keeps_the_record_as_its_museum_sent_it(curator_client, service, museum):
    """A LIDO record's source is not on the form; a curator's correction must not throw it away."""
    source = {"format": "lido", "xml": "<lido:lido>…</lido:lido>", "unmapped": ["descriptiveMetadata/x"]}
    outcome = service.upsert(cli_actor(), museum.code, record_payload("L1", source_record=source))
    url = f"/curate/records/{outcome.record_id}/edit"
    page = Page(curator_client.get(url).get_data(as_text=True))
    response = post_form(curator_client, url, edit_form(page, **{"title.0.value": "Corrected"}))
    assert response.status_code == 303
    record = service.record(outcome.record_id)
    assert record.revision == 2 and record.body["title"]["en"] == ["Corrected"]
    assert record.body["source_record"] == source


def test_a_rich_record_sent_back_from_its_page_unchanged_is_not_saved_again(curator_client, service, museum):
    rich = record_payload(
        "R1",
        title={"en": ["Wave", "The Wave"], "ja": ["浪"], "none": ["Nami"]},
        other_titles=[{"title": "Big wave", "type": "popular", "lang": "en"}],
        description={"en": ["First line.\nSecond line."], "fr": ["Une vague."]},
        makers=[
            {"name": "Hokusai", "role": "artist", "birth_year": 1760, "death_year": 1849},
            {"name": "Eijudo", "role": "publisher", "display_dates": "active 1800s"},
        ],
        date_begin=-300,
        date_end=1832,
        dimensions="25.7 x 37.9 cm",
        materials=["ink", "paper"],
        subjects=["wave", "Mount Fuji"],
        country=["JP", "FR"],
        inscription="Line one\nLine two",
        source_url="https://example.org/objects/1",
        masterpiece=True,
        status="draft",
    )
    record_id = service.upsert(cli_actor(), museum.code, rich).record_id
    url = f"/curate/records/{record_id}/edit"
    page = Page(curator_client.get(url).get_data(as_text=True))
    assert page.value("description.0.value") == "First line.\nSecond line."
    response = post_form(curator_client, url, edit_form(page), follow_redirects=True)
    assert "Nothing changed" in response.get_data(as_text=True)
    assert service.store.get_record(record_id).revision == 1


def test_a_stale_edit_gets_a_409_with_the_input_kept(curator_client, service, stored):
    url = f"/curate/records/{stored.id}/edit"
    page = Page(curator_client.get(url).get_data(as_text=True))
    service.upsert(cli_actor(), stored.museum, record_payload("T1", title="Someone else's title"))
    response = post_form(curator_client, url, edit_form(page, **{"title.0.value": "My title"}))
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "Someone else saved this record while you were editing it." in text
    assert "is at revision 2, not 1" in text
    reloaded = Page(text)
    assert reloaded.value("title.0.value") == "My title" and reloaded.value("revision") == "1"
    assert service.record(stored.id).body["title"] == {"en": ["Someone else's title"]}


def change_status(client, record_id: str, status: str, revision: int, confirm: bool = False, **kwargs):
    return post_form(
        client,
        f"/curate/records/{record_id}/status",
        {"status": status, "revision": str(revision), **({"confirm": "1"} if confirm else {})},
        page=f"/curate/records/{record_id}/edit",
        **kwargs,
    )


def test_publish_unpublish_and_withdraw(curator_client, client, service, museum):
    record_id = create(curator_client, new_record_form()).headers["Location"].split("/")[-2]
    assert change_status(curator_client, record_id, "published", 1).status_code == 303
    assert service.record(record_id).status == "published"
    assert "The Great Wave" in client.get(f"/objects/{record_id}").get_data(as_text=True)

    response = change_status(curator_client, record_id, "draft", 2, follow_redirects=True)
    assert "Unpublished" in response.get_data(as_text=True)
    assert client.get(f"/objects/{record_id}").status_code == 404

    unconfirmed = change_status(curator_client, record_id, "withdrawn", 3)
    assert unconfirmed.status_code == 400
    assert Page(unconfirmed.get_data(as_text=True)).errors_of("confirm") == [
        "Tick the box to confirm that the record leaves the public catalogue."
    ]
    assert service.store.get_record(record_id).status == "draft"
    assert change_status(curator_client, record_id, "withdrawn", 3, confirm=True).status_code == 303
    assert service.store.get_record(record_id).status == "withdrawn"
    assert client.get(f"/objects/{record_id}").status_code == 410


def test_a_stale_status_change_is_a_409_and_changes_nothing(curator_client, service, stored):
    service.upsert(cli_actor(), stored.museum, record_payload("T1", title="Newer"))
    response = change_status(curator_client, stored.id, "draft", 1)
    assert response.status_code == 409 and "is at revision 2, not 1" in response.get_data(as_text=True)
    assert service.record(stored.id).status == "published"


def test_the_preview_shows_a_draft_privately_as_the_public_page_would(curator_client, client, service, museum):
    record_id = create(curator_client, new_record_form()).headers["Location"].split("/")[-2]
    response = curator_client.get(f"/curate/records/{record_id}/preview")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Preview: this is how the public will see it; status: draft" in text
    assert "<h1>The Great Wave</h1>" in text and "神奈川沖浪裏" in text and "Katsushika Hokusai" in text
    assert '<meta name="robots" content="noindex, nofollow">' in text
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert client.get(f"/objects/{record_id}").status_code == 404


def test_image_addresses_on_the_form_are_queued_for_fetching(curator_client, service, museum):
    data = new_record_form(**{"images.0.url": "https://images.example.org/wave.jpg", "images.0.alt": "A great wave"})
    response = create(curator_client, data)
    assert response.status_code == 303
    edit = curator_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 image address will be fetched shortly." in edit


def test_another_museums_curator_may_not_touch_the_record(app, make_museum, make_account, stored):
    make_museum("rijks", "NL")
    other = app.test_client()
    sign_in(other, make_account("curator", "rijks"))
    assert other.get(f"/curate/records/{stored.id}/edit").status_code == 403
    assert other.get(f"/curate/records/{stored.id}/preview").status_code == 403
    assert other.get("/curate/records/new?museum=tate").status_code == 403
    edit = post_form(other, f"/curate/records/{stored.id}/edit", {"title.0.value": "Mine"}, page="/curate/records/new")
    assert edit.status_code == 403
    status = post_form(other, f"/curate/records/{stored.id}/status", {"status": "draft"}, page="/curate/records/new")
    assert status.status_code == 403
    created = post_form(other, "/curate/records/new?museum=tate", new_record_form(), page="/curate/records/new")
    assert created.status_code == 403


def test_the_secretariat_creates_a_record_for_the_museum_it_picks(app, make_account, service, museum):
    admin = app.test_client()
    sign_in(admin, make_account("admin"))
    response = create(admin, new_record_form(museum="tate"), museum="tate")
    assert response.status_code == 303
    assert service.store.find_record("tate", "W1").status == "draft"
    picks_first = admin.get("/curate/records/new")  # no museum of its own: it picks one on the dashboard
    assert picks_first.status_code == 302 and picks_first.headers["Location"] == "/curate/"
    assert admin.get("/curate/records/new?museum=nowhere").status_code == 404


def test_the_preview_of_a_draft_shows_its_images_to_the_curator_only(curator_client, client, service, museum):
    """The public image routes answer 404 for a draft, so the preview shows the curator thumbnails."""
    record_id = service.upsert(cli_actor(), museum.code, record_payload("D1", status="draft")).record_id
    [image] = service.add_images(cli_actor(), museum.code, "D1", [(image_bytes(size=(300, 200)), "d.jpg")])
    text = curator_client.get(f"/curate/records/{record_id}/preview").get_data(as_text=True)
    thumbnail = f"/curate/images/{image.id}/thumbnail"
    assert f'src="{thumbnail}"' in text
    assert curator_client.get(thumbnail).status_code == 200
    assert client.get(thumbnail).status_code == 302  # to sign in
    assert client.get(f"/images/{image.id}/thumbnail").status_code == 404


def test_rights_statements_are_offered_by_their_names_in_the_pages_language(curator_client):
    page = curator_client.get("/fr/curate/records/new").get_data(as_text=True)
    uri = "http://rightsstatements.org/vocab/InC-EDU/1.0/"
    name = "Protégé par le droit d&#39;auteur - Utilisation à des fins pédagogiques autorisée"
    assert f'<option value="{uri}">{name}</option>' in page
