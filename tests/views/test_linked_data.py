"""Linked data about an object: the schema.org JSON-LD search engines read from its page (in the
page's language, and safe whatever a record holds) and its Linked Art document
(/api/objects/<id>.linkedart.json), in the patterns of linked.art/model and the shapes of its API."""

import json
import re

import pytest

from catalogue import create_app
from catalogue.cli import cli_actor
from catalogue.views.object_page import json_ld
from tests.support import FAST_PASSWORD_HASH, TIMERS_OFF, image_bytes, record_payload

BASE = "http://catalogue.test"
AAT = "http://vocab.getty.edu/aat/"
HOSTILE = "</script><script>alert(1)</script><!-- & -->"
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
REFERENCE_TYPES = {"Person", "Group", "Place", "Type", "Material", "Language", "MeasurementUnit", "InformationObject"}


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory, sqlite_templates):
    """A catalogue with a richly described print (with an image), a sparse record, a record full of
    markup, a draft, a withdrawn record and one whose image is in copyright; catalogue ids by local id."""
    folder = tmp_path_factory.mktemp("linked-data")
    app = create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(folder / "data"),
            "DATABASE_URL": sqlite_templates.new_database(folder / "data"),
            "BASE_URL": BASE,
            **TIMERS_OFF,
            "PASSWORD_HASH_METHOD": FAST_PASSWORD_HASH,
        }
    )
    service = app.extensions["catalogue"]
    museum = {"code": "tate", "names": {"en": ["Tate"], "ja": ["テート"]}, "country": "GB", "city": "London"}
    service.register_museum(cli_actor(), {**museum, "website": "https://tate.example"})
    records = {
        "wave": record_payload(
            "wave",
            title={"en": "The Great Wave", "ja": "神奈川沖浪裏"},
            other_titles=[{"title": "Kanagawa oki nami ura", "lang": "ja-Latn"}],
            description={"en": "A wave towers over three boats.", "fr": "Une vague."},
            accession_number="JP1847",
            date_display="c. 1830-32",
            dimensions="25.7 x 37.9 cm",
            materials=["paper"],
            place_of_origin="Edo",
            place_depicted="Kanagawa",
            subjects=["waves", "Mount Fuji"],
            credit_line="Gift of the Friends",
            source_url="https://tate.example/objects/jp1847",
            makers=[{"name": "Katsushika Hokusai", "birth_year": 1760, "death_year": 1849}, "Japanese"],
        ),
        "sparse": {"local_id": "sparse", "title": "Untitled"},
        "bowl": record_payload("bowl", object_type="Quetzalware", date_display="500 BCE", date_begin=-500),
        "hostile": record_payload("hostile", title=HOSTILE, description=HOSTILE, makers=[HOSTILE]),
        "draft": record_payload("draft", status="draft"),
        "gone": record_payload("gone"),
        "closed": record_payload("closed", title="Sunflowers", rights={"image_rights": "In Copyright"}),
    }
    ids = {local_id: service.upsert(cli_actor(), "tate", payload).record_id for local_id, payload in records.items()}
    service.add_images(cli_actor(), "tate", "wave", [(image_bytes(size=(60, 40)), "wave.jpg")])
    service.add_images(cli_actor(), "tate", "closed", [(image_bytes(size=(2000, 1000)), "closed.png")])
    service.withdraw(cli_actor(), "tate", "gone")
    yield app, ids
    service.store.dispose()


@pytest.fixture(scope="module")
def web(catalogue):
    return catalogue[0].test_client()


@pytest.fixture(scope="module")
def ids(catalogue):
    return catalogue[1]


def page_json_ld(web, path: str) -> dict:
    response = web.get(path)
    assert response.status_code == 200, path
    scripts = JSON_LD.findall(response.get_data(as_text=True))
    assert len(scripts) == 1
    return json.loads(scripts[0])


def linked_art(web, record_id: str) -> dict:
    response = web.get(f"/api/objects/{record_id}.linkedart.json")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json(force=True)


def by_class(entries: list[dict], aat_number: str) -> list[dict]:
    """The entries classified as the AAT term."""
    return [entry for entry in entries if AAT + aat_number in [kind["id"] for kind in entry.get("classified_as", [])]]


# schema.org on the object page --------------------------------------------------------------------
def test_the_object_page_describes_the_artwork_for_search_engines(web, ids):
    data = page_json_ld(web, f"/objects/{ids['wave']}")
    page = f"{BASE}/objects/{ids['wave']}"
    assert data["@context"] == "https://schema.org" and data["@type"] == "VisualArtwork"
    assert data["url"] == data["@id"] == page
    assert data["name"] == "The Great Wave" and data["inLanguage"] == "en"
    assert set(data["alternateName"]) == {"神奈川沖浪裏", "Kanagawa oki nami ura"}
    assert data["description"] == "A wave towers over three boats."
    assert data["creator"] == [
        {"@type": "Person", "name": "Katsushika Hokusai", "birthDate": "1760", "deathDate": "1849"}
    ]
    assert data["temporalCoverage"] == "1830/1832"
    assert data["artform"] == "prints" and data["artMedium"] == "woodblock print; ink and colour on paper"
    assert data["artworkSurface"] == "paper" and data["material"] == ["paper"]
    assert data["height"] == {"@type": "QuantitativeValue", "value": 25.7, "unitCode": "CMT", "unitText": "cm"}
    assert data["width"]["value"] == 37.9 and "depth" not in data
    assert data["identifier"] == "JP1847" and data["sameAs"] == "https://tate.example/objects/jp1847"
    assert data["locationCreated"] == {"@type": "Place", "name": "Edo"}
    assert data["contentLocation"] == {"@type": "Place", "name": "Kanagawa"}
    assert data["keywords"] == ["waves", "Mount Fuji"]
    assert data["provider"]["@type"] == ["Museum", "Organization"] and data["provider"]["name"] == "Tate"
    assert data["provider"]["url"] == "https://tate.example"


def test_the_images_and_their_rights_are_named(web, ids, catalogue):
    image = catalogue[0].extensions["catalogue"].record(ids["wave"]).images[0]
    data = page_json_ld(web, f"/objects/{ids['wave']}")
    assert data["image"] == [f"{BASE}/images/{image.id}/original"]
    assert data["thumbnailUrl"] == f"{BASE}/images/{image.id}/thumbnail"
    assert data["license"] == "http://creativecommons.org/publicdomain/mark/1.0/"
    assert data["copyrightNotice"] == "Public Domain Mark 1.0" and data["creditText"] == "Gift of the Friends"
    assert web.get(data["image"][0].removeprefix(BASE)).status_code == 200


def test_an_image_not_open_for_reuse_is_named_by_its_largest_iiif_size_not_its_original(web, ids, catalogue):
    image = catalogue[0].extensions["catalogue"].record(ids["closed"]).images[0]
    data = page_json_ld(web, f"/objects/{ids['closed']}")
    assert data["image"] == [f"{BASE}/iiif/3/{image.id}/full/1600,800/0/default.jpg"]
    assert data["license"] == "http://rightsstatements.org/vocab/InC/1.0/"
    assert web.get(data["image"][0].removeprefix(BASE)).status_code == 200
    assert "/original" not in web.get(f"/objects/{ids['closed']}").get_data(as_text=True)


def test_the_json_ld_is_in_the_language_of_the_page(web, ids):
    data = page_json_ld(web, f"/ja/objects/{ids['wave']}")
    assert data["name"] == "神奈川沖浪裏" and data["inLanguage"] == "ja"
    assert data["artform"] == "版画"  # the vocabulary's Japanese label
    assert data["provider"]["name"] == "テート"
    assert "The Great Wave" in data["alternateName"]


def test_a_sparse_record_says_only_what_it_has(web, ids):
    data = page_json_ld(web, f"/objects/{ids['sparse']}")
    assert set(data) == {"@context", "@type", "@id", "url", "name", "provider"}


def test_bce_years_are_written_as_iso_8601_years(web, ids):
    data = page_json_ld(web, f"/objects/{ids['bowl']}")
    assert data["dateCreated"] == "-0499"  # ISO 8601 has a year 0: 500 BCE is -0499
    assert data["artform"] == "Quetzalware"  # a word the vocabulary does not know, as the museum wrote it


def test_record_values_cannot_break_out_of_the_script_element(web, ids):
    html = web.get(f"/objects/{ids['hostile']}").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    script = JSON_LD.findall(html)[0]
    assert "<" not in script and ">" not in script and "&" not in script
    data = json.loads(script)
    assert data["name"] == HOSTILE and data["description"] == HOSTILE


def test_json_ld_escapes_every_character_that_could_end_the_element():
    text = str(json_ld({"value": "</script>&<!--\u2028\u2029"}))
    assert text == '{"value":"\\u003c/script\\u003e\\u0026\\u003c!--\\u2028\\u2029"}'
    assert json.loads(text) == {"value": "</script>&<!--\u2028\u2029"}


# Linked Art ---------------------------------------------------------------------------------------
def test_the_linked_art_document_is_json_ld_in_the_linked_art_profile(web, ids):
    response = web.get(f"/api/objects/{ids['wave']}.linkedart.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == 'application/ld+json;profile="https://linked.art/ns/v1/linked-art.json"'
    assert response.headers["Cache-Control"].startswith("public") and response.headers["ETag"]
    document = response.get_json(force=True)
    assert document["@context"] == "https://linked.art/ns/v1/linked-art.json"
    assert document["id"] == f"{BASE}/api/objects/{ids['wave']}.linkedart.json"
    assert document["type"] == "HumanMadeObject" and document["_label"] == "The Great Wave"


def test_names_and_the_accession_number_identify_the_object(web, ids):
    names = linked_art(web, ids["wave"])["identified_by"]
    primary = by_class(names, "300404670")
    assert {(name["content"], name["language"][0]["id"]) for name in primary} == {
        ("The Great Wave", AAT + "300388277"),
        ("神奈川沖浪裏", AAT + "300388486"),
    }
    assert [name["content"] for name in by_class(names, "300264273")] == ["Kanagawa oki nami ura"]
    (accession,) = by_class(names, "300312355")
    assert accession == {
        "type": "Identifier",
        "content": "JP1847",
        "classified_as": [{"id": AAT + "300312355", "type": "Type", "_label": "Accession Number"}],
    }


def test_the_object_type_is_a_type_of_work_with_its_aat_id_only_when_the_vocabulary_knows_it(web, ids):
    (print_type,) = linked_art(web, ids["wave"])["classified_as"]
    assert print_type["id"] == AAT + "300041273" and print_type["_label"] == "prints"
    assert print_type["classified_as"] == [{"id": AAT + "300435443", "type": "Type", "_label": "Type of Work"}]
    (unknown,) = linked_art(web, ids["bowl"])["classified_as"]
    assert not unknown["id"].startswith(AAT) and unknown["_label"] == "Quetzalware"
    assert unknown["id"].startswith(f"{BASE}/api/objects/{ids['bowl']}.linkedart.json#")


def test_the_production_names_the_maker_the_time_and_the_place(web, ids):
    production = linked_art(web, ids["wave"])["produced_by"]
    assert production["type"] == "Production"
    # the culture "Japanese" a museum names as maker is no Person
    assert [(person["type"], person["_label"]) for person in production["carried_out_by"]] == [
        ("Person", "Katsushika Hokusai")
    ]
    timespan = production["timespan"]
    assert timespan["begin_of_the_begin"] == "1830-01-01T00:00:00Z"
    assert timespan["end_of_the_end"] == "1832-12-31T23:59:59Z"
    assert by_class(timespan["identified_by"], "300404669")[0]["content"] == "c. 1830-32"
    assert [place["_label"] for place in production["took_place_at"]] == ["Edo"]
    bce = linked_art(web, ids["bowl"])["produced_by"]["timespan"]
    assert bce["begin_of_the_begin"] == "-0500-01-01T00:00:00Z"  # xsd:dateTime: -0500 is 500 BCE


def test_materials_and_dimensions_are_structured(web, ids):
    document = linked_art(web, ids["wave"])
    assert document["made_of"] == [{"id": AAT + "300014109", "type": "Material", "_label": "paper"}]
    height, width = document["dimension"]
    assert height["value"] == 25.7 and height["classified_as"][0]["id"] == AAT + "300055644"
    assert width["value"] == 37.9 and width["classified_as"][0]["id"] == AAT + "300055647"
    assert height["unit"] == {"id": AAT + "300379098", "type": "MeasurementUnit", "_label": "centimeters"}


def test_statements_are_brief_texts_of_their_kind(web, ids):
    statements = linked_art(web, ids["wave"])["referred_to_by"]
    descriptions = by_class(statements, "300435416")
    assert {(text["content"], text["language"][0]["_label"]) for text in descriptions} == {
        ("A wave towers over three boats.", "English"),
        ("Une vague.", "French"),
    }
    assert [text["content"] for text in by_class(statements, "300026687")] == ["Gift of the Friends"]
    assert [text["content"] for text in by_class(statements, "300435430")] == ["25.7 x 37.9 cm"]
    for statement in statements:
        assert statement["type"] == "LinguisticObject"
        assert statement["classified_as"][0]["classified_as"][0]["id"] == AAT + "300418049"  # Brief Text


def test_the_museum_owns_it_and_pages_and_images_show_it(web, ids, catalogue):
    document = linked_art(web, ids["wave"])
    assert document["current_owner"] == [{"id": f"{BASE}/museums/tate", "type": "Group", "_label": "Tate"}]
    carriers = [carrier for page in document["subject_of"] for carrier in page["digitally_carried_by"]]
    pages = {carrier["access_point"][0]["id"]: carrier for carrier in carriers}
    assert pages[f"{BASE}/objects/{ids['wave']}"]["classified_as"][0]["id"] == AAT + "300264578"  # Web Page
    assert "https://tate.example/objects/jp1847" in pages
    manifest = pages[f"{BASE}/iiif/3/objects/{ids['wave']}/manifest"]
    assert manifest["conforms_to"] == [{"id": "http://iiif.io/api/presentation/", "type": "InformationObject"}]
    assert manifest["format"] == 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'
    (visual,) = document["representation"]
    (image,) = visual["digitally_shown_by"]
    image_id = catalogue[0].extensions["catalogue"].record(ids["wave"]).images[0].id
    assert image["classified_as"][0]["id"] == AAT + "300215302" and image["format"] == "image/jpeg"
    assert image["access_point"] == [{"id": f"{BASE}/images/{image_id}/original", "type": "DigitalObject"}]
    (service,) = image["digitally_available_via"]
    assert service["access_point"][0]["id"] == f"{BASE}/iiif/3/{image_id}"
    assert service["conforms_to"][0]["id"] == "http://iiif.io/api/image/"
    for link in (manifest["access_point"][0]["id"], service["access_point"][0]["id"] + "/info.json"):
        assert web.get(link.removeprefix(BASE)).status_code == 200


def test_an_image_not_open_for_reuse_is_shown_by_its_iiif_service_alone(web, ids, catalogue):
    """Its original is not public: no access point to it, nor its file's format."""
    (visual,) = linked_art(web, ids["closed"])["representation"]
    (image,) = visual["digitally_shown_by"]
    image_id = catalogue[0].extensions["catalogue"].record(ids["closed"]).images[0].id
    assert image["classified_as"][0]["id"] == AAT + "300215302"
    assert "access_point" not in image and "format" not in image
    (service,) = image["digitally_available_via"]
    assert service["access_point"] == [{"id": f"{BASE}/iiif/3/{image_id}", "type": "DigitalObject"}]
    assert visual["referred_to_by"][0]["content"] == "In Copyright"
    assert "/original" not in json.dumps(linked_art(web, ids["closed"]))


def test_every_reference_has_an_id_as_the_linked_art_api_requires(web, ids):
    def references(node):
        if isinstance(node, dict):
            if node.get("type") in REFERENCE_TYPES:
                yield node
            for value in node.values():
                yield from references(value)
        elif isinstance(node, list):
            for value in node:
                yield from references(value)

    for local_id in ("wave", "sparse", "bowl", "hostile"):
        found = list(references(linked_art(web, ids[local_id])))
        assert found and all(re.match(r"https?://", ref["id"]) for ref in found), local_id


def test_a_sparse_record_has_a_primary_name_and_no_empty_properties(web, ids):
    document = linked_art(web, ids["sparse"])
    assert [name["content"] for name in by_class(document["identified_by"], "300404670")] == ["Untitled"]
    assert not {"produced_by", "made_of", "dimension", "representation", "referred_to_by"} & set(document)
    assert all(value for value in document.values())


def test_drafts_are_not_found_and_withdrawn_objects_gone(web, ids, catalogue):
    assert web.get(f"/api/objects/{ids['draft']}.linkedart.json").status_code == 404
    assert web.get(f"/api/objects/{ids['gone']}.linkedart.json").status_code == 410
    assert web.get("/api/objects/nothing-here.linkedart.json").status_code == 404
    token = catalogue[0].extensions["catalogue"].create_token(cli_actor(), "tate", "Linked data test")
    response = web.get(f"/api/objects/{ids['draft']}.linkedart.json", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
