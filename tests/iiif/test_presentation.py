"""Specification of the IIIF Presentation 3 builders: a record's manifest and collections of manifests.

Every document is checked twice: against the IIIF Presentation 3.0 JSON Schema, and by our own checks
for what that schema lets through (exact types, non-empty items, painting motivation, absolute ids).
"""

import json
import time
from dataclasses import dataclass

import pytest

from catalogue.cli import cli_actor
from catalogue.ingest.importer import Importer
from catalogue.models import ObjectRecord
from iiif.collections import PAGE_SIZE, CollectionRef, collection, collection_page, page_count, paged_collection
from iiif.presentation import ImageRef, Links, ManifestRef, manifest, manifest_ref, schema_tag
from tests.iiif.presentation_fixtures import (
    BASE,
    class_validator,
    collection_problems,
    make_image,
    make_museum,
    make_record,
    manifest_problems,
    plain_class_validator,
    schema_errors,
    with_synthetic_images,
)
from tests.support import make_app, shared_record_count, shared_records_path

LINKS = Links(BASE)
MANIFEST = f"{BASE}/iiif/3/objects/rec1/manifest"


@pytest.fixture(scope="module")
def manifest_validator():
    return class_validator("manifest")


@pytest.fixture(scope="module")
def collection_validator():
    return class_validator("collection")


def build(record=None, museum=None) -> dict:
    document = manifest(record or make_record(), museum or make_museum(), LINKS)
    assert document is not None
    return document


def labels(document: dict) -> list[str]:
    return [pair["label"]["en"][0] for pair in document.get("metadata", [])]


def pair(document: dict, label: str) -> dict:
    return next(p["value"] for p in document["metadata"] if p["label"]["en"][0] == label)


# links ---------------------------------------------------------------------------------------
def test_links_follow_the_catalogue_url_patterns():
    links = Links("https://catalogue.test/")
    assert links.manifest("abc") == "https://catalogue.test/iiif/3/objects/abc/manifest"
    assert links.object_page("abc") == "https://catalogue.test/objects/abc"
    assert links.record_json("abc") == "https://catalogue.test/api/objects/abc"
    assert links.image_service("img1") == "https://catalogue.test/iiif/3/img1"
    assert links.museum_page("tate") == "https://catalogue.test/museums/tate"
    assert links.museum_collection("tate") == "https://catalogue.test/iiif/3/collections/museums/tate"
    assert links.country_collection("JP") == "https://catalogue.test/iiif/3/collections/countries/JP"
    assert links.masterpieces_collection() == "https://catalogue.test/iiif/3/collections/masterpieces"
    assert links.search_collection("q=wave") == "https://catalogue.test/iiif/3/collections/search?q=wave"


def test_a_collection_page_sets_its_page_parameter_once():
    search = LINKS.search_collection("q=wave&page=7&museum=tate")
    assert LINKS.collection_page(search, 2) == f"{BASE}/iiif/3/collections/search?q=wave&museum=tate&page=2"
    assert LINKS.collection_page(LINKS.museum_collection("tate"), 3).endswith("/museums/tate?page=3")


# label, summary, language maps ---------------------------------------------------------------
def test_the_label_keeps_every_language_of_the_title():
    document = build(make_record(title={"en": "The Great Wave", "ja": "神奈川沖浪裏"}))
    assert document["label"] == {"en": ["The Great Wave"], "ja": ["神奈川沖浪裏"]}


def test_a_record_without_a_language_is_labelled_under_none():
    document = build(make_record(language="none", title="Zonder titel"))
    assert document["label"] == {"none": ["Zonder titel"]}


@pytest.mark.parametrize(
    "tag, expected",
    [
        ("en", "en"),
        ("zh-Hant-TW", "zh-Hant-TW"),
        ("none", "none"),
        ("es-419", "es"),
        ("de-CH-1996", "de-CH"),
        ("419", "none"),
    ],
)
def test_language_keys_are_reduced_to_what_the_schema_accepts(tag, expected):
    assert schema_tag(tag) == expected


def test_the_summary_is_the_first_paragraph_as_plain_text():
    description = "A <a href='x'>wave</a> &amp; a boat.\nStill the first paragraph.\n\nThe second paragraph."
    document = build(make_record(description=description))
    assert document["summary"] == {"en": ["A wave & a boat. Still the first paragraph."]}


def test_a_long_summary_is_cut_at_a_word():
    words = " ".join(f"word{n}" for n in range(600))
    summary = build(make_record(description=words))["summary"]["en"][0]
    assert summary.endswith("…") and len(summary) <= 1001
    assert summary[:-1].split(" ")[-1] in words.split(" ")


def test_a_record_without_description_has_no_summary():
    assert "summary" not in build(make_record())


MARKUP = '<img src=x onerror="alert(1)"> & <b>bold</b>'
ESCAPED = '<span>&lt;img src=x onerror="alert(1)"&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</span>'


def test_text_holding_markup_goes_out_as_one_element_with_the_text_escaped(manifest_validator):
    # IIIF reads only "<...>" as HTML, but Mirador reads every value as HTML: escaped inside one element,
    # the text reads the same in both, and no viewer builds an <img> out of museum data
    record = make_record(
        title=MARKUP, makers=[{"name": MARKUP}], credit_line=MARKUP, images=[make_image(0, alt={"en": [MARKUP]})]
    )
    document = build(record, make_museum(names={"en": [MARKUP]}))
    assert document["label"] == {"en": [ESCAPED]}
    assert pair(document, "Maker") == {"en": [ESCAPED]}
    assert pair(document, "Museum") == {"en": [ESCAPED]}
    assert document["requiredStatement"]["value"] == {"en": [ESCAPED]}
    assert document["provider"][0]["label"] == {"en": [ESCAPED]}
    assert document["items"][0]["label"] == {"en": [ESCAPED]}
    assert schema_errors(manifest_validator, document) == [] and manifest_problems(document) == []


def test_text_without_markup_goes_out_as_it_is():
    document = build(make_record(title="Hokusai & pupils: a > b", makers=[{"name": "Katsushika Hokusai"}]))
    assert document["label"] == {"en": ["Hokusai & pupils: a > b"]}
    assert pair(document, "Maker") == {"en": ["Katsushika Hokusai"]}


def test_a_collection_escapes_the_labels_it_lists_once(collection_validator):
    ref = ManifestRef(f"{BASE}/iiif/3/objects/abc/manifest", {"en": [MARKUP]}, ImageRef(f"{BASE}/iiif/3/img9"))
    document = collection(LINKS.search_collection("q=b"), {"en": [f"Search: {MARKUP}"]}, [ref])
    assert document["label"] == {"en": [ESCAPED.replace("<span>", "<span>Search: ")]}
    assert document["items"][0]["label"] == {"en": [ESCAPED]}
    assert schema_errors(collection_validator, document) == []


# metadata ------------------------------------------------------------------------------------
def test_metadata_pairs_come_in_display_order_with_english_labels():
    record = make_record(
        accession_number="N01234",
        dimensions="25.7 x 37.9 cm",
        culture="Japanese",
        period="Edo period",
        dynasty="Tokugawa",
    )
    document = build(record)
    assert labels(document) == [
        "Maker",
        "Date",
        "Object type",
        "Medium",
        "Dimensions",
        "Culture",
        "Period",
        "Dynasty",
        "Museum",
        "Accession number",
    ]
    assert pair(document, "Maker") == {"en": ["Katsushika Hokusai (artist; 1760–1849)"]}
    assert pair(document, "Medium") == {"en": ["woodblock print; ink and colour on paper"]}
    assert pair(document, "Museum") == {"en": ["Tate"]}
    assert pair(document, "Accession number") == {"none": ["N01234"]}


def test_values_are_in_the_record_language_and_identifiers_in_none():
    record = make_record(
        language="nl",
        title="De Nachtwacht",
        makers=[{"name": "Rembrandt van Rijn", "role": "schilder"}],
        date_display="1642",
        object_type="schilderij",
        medium="olieverf op doek",
    )
    museum = make_museum("rijksmuseum", names={"nl": ["Rijksmuseum"], "en": ["Rijksmuseum"]})
    document = build(record, museum)
    assert pair(document, "Maker") == {"nl": ["Rembrandt van Rijn (schilder)"]}
    assert pair(document, "Object type") == {"nl": ["schilderij"]}
    assert pair(document, "Museum") == {"nl": ["Rijksmuseum"], "en": ["Rijksmuseum"]}
    assert pair(document, "Identifier") == {"none": ["T00001"]}


def test_missing_fields_leave_no_empty_pairs():
    record = make_record(makers=[], date_display=None, object_type=None, medium=None)
    assert labels(build(record)) == ["Museum", "Identifier"]


def test_materials_stand_in_for_a_missing_medium():
    document = build(make_record(medium=None, materials=["bronze", "gold"]))
    assert pair(document, "Materials") == {"en": ["bronze; gold"]}


# attribution, rights, provider, links --------------------------------------------------------
def test_the_credit_line_is_the_required_statement():
    document = build(make_record(credit_line="Presented by the artist 1905"))
    assert document["requiredStatement"]["label"]["en"] == ["Credit line"]
    assert document["requiredStatement"]["value"] == {"en": ["Presented by the artist 1905"]}


def test_metadata_labels_speak_every_interface_language():
    """A viewer picks the label in its visitor's language from the map (IIIF's own fallback)."""
    label = build(make_record(credit_line="Gift"))["requiredStatement"]["label"]
    assert set(label) == {"en", "ja", "zh", "ko", "fr", "de"}
    assert label["en"] == ["Credit line"] and all(label[tag][0] != "Credit line" for tag in ("ja", "zh", "ko"))


def test_without_a_credit_line_the_museum_is_the_attribution():
    document = build(make_record(), make_museum(names={"en": ["Tate"], "ja": ["テート"]}))
    assert document["requiredStatement"] == {
        "label": document["requiredStatement"]["label"] | {"en": ["Attribution"]},
        "value": {"en": ["Tate"], "ja": ["テート"]},
    }


@pytest.mark.parametrize(
    "image_rights, expected",
    [
        ("CC0", "http://creativecommons.org/publicdomain/zero/1.0/"),
        ("CC BY-SA 4.0", "http://creativecommons.org/licenses/by-sa/4.0/"),
        ("In Copyright", "http://rightsstatements.org/vocab/InC/1.0/"),
        (None, None),
    ],
)
def test_rights_is_the_image_rights_uri(image_rights, expected):
    document = build(make_record(rights={"image_rights": image_rights}))
    assert document.get("rights") == expected


@pytest.mark.parametrize(
    "uri", ["https://www.museum.example/terms-of-use", "https://creativecommons.org/publicdomain/zero/1.0/"]
)  # the schema wants http://
def test_rights_outside_the_vocabularies_the_schema_accepts_are_left_out(uri):
    record = make_record()
    record.body["rights"] = {"image_rights": uri}
    assert "rights" not in build(record)


@pytest.mark.parametrize(
    "dates, nav_date",
    [
        ({"date_display": "c. 1830-32"}, "1830-01-01T00:00:00Z"),  # the years read from the display date
        ({"date_display": "1877", "date_begin": 1877, "date_end": 1877}, "1877-01-01T00:00:00Z"),
        ({"date_display": "794", "date_begin": 794, "date_end": 794}, "0794-01-01T00:00:00Z"),
        ({"date_display": "500 BCE", "date_begin": -500, "date_end": -500}, None),  # "YYYY-...Z" has no sign
        ({"date_display": "undated"}, None),
    ],
)
def test_the_nav_date_is_the_first_year_of_the_object(dates, nav_date, manifest_validator):
    """Presentation 3 §3.3.2 (navDate): an xsd:dateTime in UTC, "YYYY-MM-DDThh:mm:ssZ", by which
    clients place the object on a timeline or calendar."""
    document = build(make_record(**dates))
    assert document.get("navDate") == nav_date
    assert schema_errors(manifest_validator, document) == []


def test_the_provider_is_the_museum():
    museum = make_museum(names={"en": ["Tate"], "cy": ["Tate"]}, logo="https://www.tate.org.uk/logo.png")
    (provider,) = build(make_record(), museum)["provider"]
    assert provider["id"] == f"{BASE}/museums/tate" and provider["type"] == "Agent"
    assert provider["label"] == {"en": ["Tate"], "cy": ["Tate"]}
    assert provider["homepage"][0]["id"] == "https://www.tate.org.uk/"
    assert provider["logo"] == [{"id": "https://www.tate.org.uk/logo.png", "type": "Image", "format": "image/png"}]


def test_a_museum_without_website_has_our_museum_page_as_homepage():
    (provider,) = build(make_record(), make_museum(website=None))["provider"]
    assert provider["homepage"][0]["id"] == f"{BASE}/museums/tate"
    assert "logo" not in provider


def test_the_manifest_links_our_object_page_record_json_and_museum_collection():
    document = build()
    assert document["@context"] == "http://iiif.io/api/presentation/3/context.json"
    assert document["id"] == MANIFEST
    assert document["homepage"] == [
        {"id": f"{BASE}/objects/rec1", "type": "Text", "format": "text/html", "label": {"en": ["The Great Wave"]}}
    ]
    [record_json] = document["seeAlso"]
    assert {key: record_json[key] for key in ("id", "type", "format")} == {
        "id": f"{BASE}/api/objects/rec1",
        "type": "Dataset",
        "format": "application/json",
    }
    assert record_json["label"]["en"] == ["Catalogue record (JSON)"] and "ja" in record_json["label"]
    assert document["partOf"] == [
        {"id": f"{BASE}/iiif/3/collections/museums/tate", "type": "Collection", "label": {"en": ["Tate"]}}
    ]
    json.dumps(document)  # plain JSON types only: URLs are strings


# canvases and images -------------------------------------------------------------------------
def test_a_record_without_images_has_no_manifest():
    record = make_record(images=[])
    assert manifest(record, make_museum(), LINKS) is None
    assert manifest_ref(record, LINKS) is None


def test_one_canvas_per_image_in_stored_order():
    images = [make_image(2, 300, 100), make_image(0, 100, 300), make_image(1, 200, 200)]
    canvases = build(make_record(images=images))["items"]
    assert [(c["width"], c["height"]) for c in canvases] == [(100, 300), (200, 200), (300, 100)]
    assert [c["id"] for c in canvases] == [f"{MANIFEST}/canvas/{n}" for n in (1, 2, 3)]


def test_canvas_ids_are_stable_when_an_image_is_removed():
    images = [make_image(0), make_image(1), make_image(2)]
    before = build(make_record(images=images))
    after = build(make_record(images=[images[0], images[2]]))
    assert build(make_record(images=images)) == before
    assert [c["id"] for c in after["items"]] == [before["items"][0]["id"], before["items"][2]["id"]]


def test_the_painting_annotation_paints_the_image_service():
    (canvas,) = build(make_record(images=[make_image(0, 3000, 2000)]))["items"]
    (page,) = canvas["items"]
    (annotation,) = page["items"]
    service = f"{BASE}/iiif/3/img-rec1-0"
    assert page["id"] == f"{MANIFEST}/canvas/1/page" and page["type"] == "AnnotationPage"
    assert annotation["id"] == f"{MANIFEST}/canvas/1/painting"
    assert annotation["motivation"] == "painting" and annotation["target"] == canvas["id"]
    assert annotation["body"] == {
        "id": f"{service}/full/max/0/default.jpg",
        "type": "Image",
        "format": "image/jpeg",
        "width": 3000,
        "height": 2000,
        "service": [{"id": service, "type": "ImageService3", "profile": "level2"}],
    }


def test_alt_text_labels_the_image_and_its_canvas():
    alt = {"en": ["A wave about to break over three boats"], "ja": ["舟を襲う大波"]}
    first, second = build(make_record(images=[make_image(0, alt=alt), make_image(1)]))["items"]
    assert first["label"] == alt
    assert first["items"][0]["items"][0]["body"]["label"] == alt
    assert second["label"] == {"none": ["2"]}
    assert "label" not in second["items"][0]["items"][0]["body"]


@pytest.mark.parametrize(
    "size, thumb", [((3000, 2000), (400, 267)), ((2000, 3000), (267, 400)), ((120, 80), (120, 80))]
)
def test_the_thumbnail_is_the_400_box_of_the_first_image(size, thumb):
    images = [make_image(1, 50, 50), make_image(0, *size)]
    (thumbnail,) = build(make_record(images=images))["thumbnail"]
    service = f"{BASE}/iiif/3/img-rec1-0"
    assert thumbnail["id"] == f"{service}/full/{thumb[0]},{thumb[1]}/0/default.jpg"
    assert (thumbnail["width"], thumbnail["height"]) == thumb
    assert thumbnail["service"] == [{"id": service, "type": "ImageService3", "profile": "level2"}]


# validity ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "record",
    [
        make_record(),
        make_record(language="none", title="Untitled", makers=[], medium=None, rights={}, images=[make_image(0, 1, 1)]),
        make_record(
            title={"nl": "De Nachtwacht", "zh-Hant": "夜巡"},
            description="<p>Lang verhaal</p>",
            images=[make_image(n, 100 + n, 90, alt={"es-419": ["Vista"]}) for n in range(3)],
        ),
    ],
)
def test_hand_made_manifests_are_valid(record, manifest_validator):
    museum = make_museum(logo="https://www.tate.org.uk/logo.svg")
    document = build(record, museum)
    assert schema_errors(manifest_validator, document) == []
    assert manifest_problems(document) == []


HOLES = {  # what the schema accepts although a viewer could not use it (see the schema's README)
    "type": lambda document: document.update(type="Manifesto"),
    "no canvas": lambda document: document.update(items=[]),
    "motivation": lambda document: document["items"][0]["items"][0]["items"][0].update(motivation="paint"),
    "placeholder id": lambda document: document["items"][0]["items"][0].update(id="http://example.org/iiif/1"),
}


@pytest.mark.parametrize("hole", HOLES)
def test_our_checks_catch_what_the_schema_lets_through(hole, manifest_validator):
    wrong = build()
    HOLES[hole](wrong)
    assert schema_errors(manifest_validator, wrong) == []
    assert manifest_problems(wrong) != []


BREAKAGES = {
    "canvas type": lambda document: document["items"][0].update(type="Page"),
    "label without language": lambda document: document.update(label="The Great Wave"),
    "language key with digits": lambda document: document.update(label={"es-419": ["La gran ola"]}),
    "rights from elsewhere": lambda document: document.update(rights="https://www.museum.example/terms"),
    "no label": lambda document: document.pop("label"),
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_the_fast_validator_reports_what_the_published_schema_reports(breakage, manifest_validator):
    wrong = build()
    BREAKAGES[breakage](wrong)
    published = schema_errors(plain_class_validator("manifest"), wrong)
    assert published and schema_errors(manifest_validator, wrong) == published


# collections ---------------------------------------------------------------------------------
def refs(count: int) -> list[ManifestRef]:
    records = [
        make_record(record_id=f"rec{n}", images=[make_image(0, 900, 600, record_id=f"rec{n}")]) for n in range(count)
    ]
    return [ref for ref in (manifest_ref(record, LINKS) for record in records) if ref]


def test_a_collection_lists_manifests_with_labels_and_thumbnails(collection_validator):
    document = collection(LINKS.masterpieces_collection(), {"en": ["Masterpieces"]}, refs(2))
    assert document["type"] == "Collection" and document["label"] == {"en": ["Masterpieces"]}
    first = document["items"][0]
    assert first["id"] == f"{BASE}/iiif/3/objects/rec0/manifest" and first["type"] == "Manifest"
    assert first["label"] == {"en": ["The Great Wave"]}
    assert first["thumbnail"][0]["id"] == f"{BASE}/iiif/3/img-rec0-0/full/400,267/0/default.jpg"
    assert schema_errors(collection_validator, document) == [] and collection_problems(document) == []


def test_a_reference_without_the_image_size_asks_for_the_400_box():
    ref = ManifestRef(f"{BASE}/iiif/3/objects/abc/manifest", {"en": ["Hit"]}, ImageRef(f"{BASE}/iiif/3/img9"))
    (item,) = collection(LINKS.search_collection("q=hit"), {"en": ["Search: hit"]}, [ref])["items"]
    assert item["thumbnail"][0]["id"] == f"{BASE}/iiif/3/img9/full/!400,400/0/default.jpg"
    assert "width" not in item["thumbnail"][0]


def test_a_collection_can_list_collections(collection_validator):
    items = [CollectionRef(LINKS.country_collection("JP"), {"en": ["Japan"], "ja": ["日本"]})]
    document = collection(f"{BASE}/iiif/3/collections/countries", {"en": ["Countries"]}, items)
    assert document["items"] == [
        {
            "id": f"{BASE}/iiif/3/collections/countries/JP",
            "type": "Collection",
            "label": {"en": ["Japan"], "ja": ["日本"]},
        }
    ]
    assert schema_errors(collection_validator, document) == [] and collection_problems(document) == []


def test_a_search_without_results_is_an_empty_collection(collection_validator):
    document = collection(LINKS.search_collection("q=nothing"), {"en": ["Search: nothing"]}, [])
    assert document["items"] == []
    assert schema_errors(collection_validator, document) == [] and collection_problems(document) == []


@pytest.mark.parametrize("total, pages", [(0, 0), (1, 1), (100, 1), (101, 2), (10_000, 100)])
def test_pages_hold_at_most_a_hundred_manifests(total, pages):
    assert PAGE_SIZE == 100
    assert page_count(total) == pages


def test_a_large_set_is_a_collection_of_labelled_page_collections(collection_validator):
    top_id = LINKS.museum_collection("tate")
    document = paged_collection(top_id, {"en": ["Tate"]}, 250, lambda n: LINKS.collection_page(top_id, n))
    assert [(item["id"], item["type"], item["label"]) for item in document["items"]] == [
        (f"{top_id}?page=1", "Collection", {"en": ["Tate (1–100)"]}),
        (f"{top_id}?page=2", "Collection", {"en": ["Tate (101–200)"]}),
        (f"{top_id}?page=3", "Collection", {"en": ["Tate (201–250)"]}),
    ]
    assert schema_errors(collection_validator, document) == [] and collection_problems(document) == []


def test_a_page_lists_its_manifests_and_names_the_whole_set(collection_validator):
    top_id = LINKS.museum_collection("tate")
    document = collection_page(top_id, {"en": ["Tate"]}, 3, 250, refs(50), lambda n: LINKS.collection_page(top_id, n))
    assert document["id"] == f"{top_id}?page=3" and document["label"] == {"en": ["Tate (201–250)"]}
    assert len(document["items"]) == 50
    assert document["partOf"] == [{"id": top_id, "type": "Collection", "label": {"en": ["Tate"]}}]
    assert schema_errors(collection_validator, document) == [] and collection_problems(document) == []


@pytest.mark.parametrize("page, count", [(0, 1), (4, 1), (1, 101)])
def test_a_page_outside_the_set_or_overfull_is_refused(page, count):
    top_id = LINKS.museum_collection("tate")
    with pytest.raises(ValueError):
        collection_page(top_id, {"en": ["Tate"]}, page, 250, refs(1) * count, lambda n: f"{top_id}?page={n}")


# the shared records --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def shared_catalogue(tmp_path_factory):
    """The shared records as the store returns them, given synthetic images, and their museums."""
    path = shared_records_path()
    app = make_app({"DATA_DIR": str(tmp_path_factory.mktemp("iiif-shared")), "INDEX_SYNC": False})
    try:
        with app.app_context():
            Importer(app.extensions["catalogue"], cli_actor(), register_museums=True).import_file(path)
        store = app.extensions["catalogue"].store
        records = [with_synthetic_images(record) for record in store.iter_records(status=None)]
        museums = store.museums_by_code()
    finally:
        app.extensions["catalogue"].store.dispose()
    assert len(records) == shared_record_count()[1]  # one record per (museum, local id) in the file
    return records, museums


@dataclass
class SharedManifests:
    documents: list[tuple[ObjectRecord, dict]]
    seconds: float  # to build them all, one after the other


@pytest.fixture(scope="module")
def shared_manifests(shared_catalogue) -> SharedManifests:
    records, museums = shared_catalogue
    documents = []
    started = time.perf_counter()
    for record in records:
        document = manifest(record, museums[record.museum], LINKS)
        assert document is not None  # every record was given images
        documents.append((record, document))
    return SharedManifests(documents, time.perf_counter() - started)


@pytest.mark.slow
def test_every_shared_record_has_a_valid_manifest(shared_manifests, manifest_validator):
    failures = {}
    for record, document in shared_manifests.documents:
        problems = schema_errors(manifest_validator, document) + manifest_problems(document)
        if problems:
            failures[record.id] = problems[:3]
    assert len(shared_manifests.documents) == shared_record_count()[1]
    assert not failures, f"{len(failures)} invalid manifests, e.g. {list(failures.items())[:3]}"


@pytest.mark.slow
def test_the_shared_manifests_cover_dutch_cjk_and_several_images(shared_manifests):
    documents = [document for _, document in shared_manifests.documents]
    languages = {tag for document in documents for tag in document["label"]}
    alt_languages = {tag for document in documents for canvas in document["items"] for tag in canvas["label"]}
    canvas_counts = {len(document["items"]) for document in documents}
    assert {"en", "nl", "ja", "zh-Hans", "ko"} <= languages
    assert {"none", "es", "zh-Hant", "ja"} <= alt_languages and "es-419" not in alt_languages
    assert canvas_counts == {1, 2, 3}
    assert any("summary" in document for document in documents)
    assert any("rights" in document for document in documents)


def museum_pages(code: str, label: dict, refs: list[ManifestRef]) -> list[dict]:
    """A museum's set as the views serve it: the top collection, then every page."""
    top_id = LINKS.museum_collection(code)

    def page_url(n: int) -> str:
        return LINKS.collection_page(top_id, n)

    pages = [
        collection_page(top_id, label, page, len(refs), refs[(page - 1) * PAGE_SIZE : page * PAGE_SIZE], page_url)
        for page in range(1, page_count(len(refs)) + 1)
    ]
    return [paged_collection(top_id, label, len(refs), page_url), *pages]


@pytest.mark.slow
def test_every_museum_of_the_shared_records_is_a_valid_paged_collection(shared_catalogue, collection_validator):
    records, museums = shared_catalogue
    for code, museum in museums.items():
        refs = [ref for ref in (manifest_ref(r, LINKS) for r in records if r.museum == code) if ref]
        top, *pages = museum_pages(code, museum.names, refs)
        assert [item["id"] for item in top["items"]] == [page["id"] for page in pages]
        assert [item["id"] for page in pages for item in page["items"]] == [ref.id for ref in refs]
        # pages differ only in their manifests, whose labels the manifest test validates already
        for document in (top, pages[0], pages[-1]):
            assert schema_errors(collection_validator, document) == [], document["id"]
        assert all(collection_problems(document) == [] for document in (top, *pages))


@pytest.mark.slow
def test_manifests_are_built_fast_enough_to_serve_on_request(shared_manifests):
    rate = len(shared_manifests.documents) / shared_manifests.seconds
    print(f"\n{len(shared_manifests.documents)} manifests built at {rate:,.0f} manifests/s")
    assert rate > 200  # a manifest costs well under 5 ms, even on a slow, busy CI machine
