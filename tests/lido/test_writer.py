"""The LIDO 1.1 export: each record valid against the LIDO 1.1 schema, each field where the mapping
in catalogue/lido/__init__.py puts it, and the route /api/objects/<id>.lido.xml."""

from dataclasses import replace

import pytest
from lxml import etree

from catalogue.cli import cli_actor
from catalogue.lido.names import LIDO_1_1_SCHEMA_LOCATION, XML_LANG, XSI_NS
from catalogue.lido.writer import lido_document, lido_record
from catalogue.models import Museum
from catalogue.records.langmap import canonical_tag
from tests.lido.catalogues import (
    BASE_URL,
    FULL,
    IMAGE,
    NS,
    TATE,
    every_record,
    lido_schema,
    museums_of,
    record_of,
    schema_errors,
)
from tests.support import record_payload


@pytest.fixture(scope="module")
def schema():
    return lido_schema()


def export(record, museum: Museum = TATE):
    """(document bytes, parsed <lido:lido>)."""
    document = lido_document(record, museum, BASE_URL)
    return document, etree.fromstring(document)


def texts(tree, path: str) -> list[str]:
    return [node if isinstance(node, str) else node.text for node in tree.xpath(path, namespaces=NS)]


def one(tree, path: str) -> str:
    found = texts(tree, path)
    assert len(found) == 1, (path, found)
    return found[0]


@pytest.fixture(scope="module")
def full():
    return export(record_of(FULL, images=(IMAGE,)))


DM = "lido:descriptiveMetadata"
AM = "lido:administrativeMetadata"
IDENTIFICATION = f"{DM}/lido:objectIdentificationWrap"
EVENT = f"{DM}/lido:eventWrap/lido:eventSet/lido:event"
ACTOR = f"{EVENT}/lido:eventActor/lido:actorInRole"
RECORD = f"{AM}/lido:recordWrap"
RESOURCE = f"{AM}/lido:resourceWrap/lido:resourceSet"


# validity --------------------------------------------------------------------------------------
def test_a_record_with_every_field_is_valid_lido_1_1(schema, full):
    assert schema_errors(schema, full[0]) == []


def test_the_document_is_utf8_with_its_declaration_and_schema_location(full):
    document, tree = full
    assert document.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert "神奈川沖浪裏".encode() in document  # CJK as UTF-8, not as character references
    assert tree.tag == "{http://www.lido-schema.org}lido"
    assert tree.get(f"{{{XSI_NS}}}schemaLocation") == LIDO_1_1_SCHEMA_LOCATION
    assert LIDO_1_1_SCHEMA_LOCATION.endswith("/v1.1/lido-v1.1.xsd")


def test_lido_record_is_the_element_the_document_holds(full):
    element = lido_record(record_of(FULL, images=(IMAGE,)), TATE, BASE_URL)
    assert etree.tostring(element, pretty_print=True).strip() == etree.tostring(full[1]).strip()


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({"local_id": "1", "title": "Bare"}, id="title only"),
        pytest.param(record_payload(date_begin=-2500, date_end=-2100, date_display="Bronze Age"), id="BCE dates"),
        pytest.param(record_payload(date_begin=-12000, date_end=-11000), id="five-digit BCE years"),
        pytest.param({"local_id": "2", "language": "zh-Hant", "title": "清明上河圖", "country": "TW"}, id="CJK title"),
        pytest.param({"local_id": "3", "language": "none", "title": {"none": ["Untitled"]}}, id="no language"),
        pytest.param(record_payload(object_type=None), id="no object type"),
        pytest.param(record_payload(makers=[{"name": "Anon", "death_year": 1500}]), id="death year only"),
        pytest.param(record_payload(dimensions="about a hand's breadth"), id="dimensions without numbers"),
        pytest.param(record_payload(medium=None, technique="casting"), id="technique only"),
    ],
)
def test_odd_records_are_valid_lido_1_1(schema, payload):
    assert schema_errors(schema, export(record_of(payload))[0]) == []


def test_a_museum_with_no_names_and_no_website_is_still_a_record_source(schema):
    bare = Museum(code="bare-museum", names={}, country=None, status="guest")
    document, tree = export(record_of(record_payload(), museum="bare-museum"), bare)
    assert schema_errors(schema, document) == []
    assert one(tree, f"{RECORD}/lido:recordSource/lido:legalBodyName/lido:appellationValue") == "bare-museum"
    assert texts(tree, f"{RECORD}/lido:recordSource/lido:legalBodyWeblink") == []


def test_characters_xml_cannot_carry_are_left_out(schema):
    record = record_of(record_payload(title="Wave\ufffe of\uffff Kanagawa"))
    document, tree = export(record)
    assert schema_errors(schema, document) == []
    assert texts(tree, f"{IDENTIFICATION}/lido:titleWrap/lido:titleSet/lido:appellationValue") == ["Wave of Kanagawa"]


# descriptive metadata, field by field ------------------------------------------------------------
def test_identity_and_links(full):
    _, tree = full
    record = record_of(FULL)
    assert one(tree, "lido:lidoRecID") == "N05/1"
    assert one(tree, "lido:lidoRecID/@lido:source") == "Tate"
    assert one(tree, "lido:objectPublishedID") == f"{BASE_URL}/objects/{record.id}"
    assert one(tree, "lido:objectPublishedID/@lido:type") == "http://terminology.lido-schema.org/lido00099"
    workid = f"{IDENTIFICATION}/lido:repositoryWrap/lido:repositorySet/lido:workID"
    assert one(tree, workid) == "1919.1"


def test_the_record_language_is_on_both_metadata_parts(full):
    _, tree = full
    assert one(tree, f"{DM}/@xml:lang") == "ja" and one(tree, f"{AM}/@xml:lang") == "ja"


def test_titles_one_value_per_language_then_the_other_titles(full):
    _, tree = full
    title_sets = tree.xpath(f"{IDENTIFICATION}/lido:titleWrap/lido:titleSet", namespaces=NS)
    assert [(value.get(XML_LANG), value.text) for value in title_sets[0]] == [
        ("ja", "神奈川沖浪裏"),
        ("en", "The Great Wave"),
        ("en", "Under the Wave"),
    ]
    assert title_sets[1].get("{http://www.lido-schema.org}type") == "romanized"
    assert [(v.get(XML_LANG), v.text) for v in title_sets[1]] == [("ja-Latn", "Kanagawa oki nami ura")]
    assert [(v.get(XML_LANG), v.text) for v in title_sets[2]] == [("und", "Wave")]  # not the record's language


def test_description_inscription_and_dimensions(full):
    _, tree = full
    notes = f"{IDENTIFICATION}/lido:objectDescriptionWrap/lido:objectDescriptionSet/lido:descriptiveNoteValue"
    assert texts(tree, notes) == ["A wave.\nMount Fuji behind it.", "富士山"]
    assert texts(tree, f"{notes}/@xml:lang") == ["en", "ja"]
    inscription = f"{IDENTIFICATION}/lido:inscriptionsWrap/lido:inscriptions/lido:inscriptionTranscription"
    assert one(tree, inscription) == "Hokusai aratame\nIitsu hitsu"
    measurements = f"{IDENTIFICATION}/lido:objectMeasurementsWrap/lido:objectMeasurementsSet"
    assert one(tree, f"{measurements}/lido:displayObjectMeasurements") == "25.7 x 37.9 cm"
    sets = tree.xpath(f"{measurements}/lido:objectMeasurements/lido:measurementsSet", namespaces=NS)
    values = [[child.text for child in one_set] for one_set in sets]
    assert values == [["height", "cm", "25.7"], ["width", "cm", "37.9"]]


def test_object_type_and_classification(full):
    _, tree = full
    classification = f"{DM}/lido:objectClassificationWrap"
    assert one(tree, f"{classification}/lido:objectWorkTypeWrap/lido:objectWorkType/lido:term") == "print"
    assert one(tree, f"{classification}/lido:classificationWrap/lido:classification/lido:term") == "Prints"


def test_a_record_without_object_type_names_it_not_specified():
    _, tree = export(record_of(record_payload(object_type=None)))
    work_type = f"{DM}/lido:objectClassificationWrap/lido:objectWorkTypeWrap/lido:objectWorkType/lido:term"
    assert one(tree, work_type) == "not specified"
    assert texts(tree, f"{DM}/lido:objectClassificationWrap/lido:classificationWrap") == []


def test_the_production_event(full):
    _, tree = full
    assert one(tree, f"{EVENT}/lido:eventType/lido:conceptID") == "http://terminology.lido-schema.org/lido00007"
    assert one(tree, f"{EVENT}/lido:eventType/lido:term") == "Production"
    assert one(tree, f"{EVENT}/lido:culture/lido:term") == "Japanese"
    assert one(tree, f"{EVENT}/lido:eventDate/lido:displayDate") == "c. 1830-32"
    assert one(tree, f"{EVENT}/lido:eventDate/lido:date/lido:earliestDate") == "1830"
    assert one(tree, f"{EVENT}/lido:eventDate/lido:date/lido:latestDate") == "1832"
    assert one(tree, f"{EVENT}/lido:periodName[not(@lido:type)]/lido:term") == "Edo period"
    assert one(tree, f"{EVENT}/lido:periodName[@lido:type='dynasty']/lido:term") == "Tokugawa"


def test_makers_with_role_vital_dates_nationality_and_sort_name(full):
    _, tree = full
    assert len(tree.xpath(f"{EVENT}/lido:eventActor", namespaces=NS)) == 2
    first = f"{EVENT}/lido:eventActor[1]/lido:actorInRole"
    assert one(tree, f"{first}/lido:actor/lido:nameActorSet/lido:appellationValue[1]") == "Katsushika Hokusai"
    sort_name = f"{first}/lido:actor/lido:nameActorSet/lido:appellationValue[@lido:pref='alternate']"
    assert one(tree, sort_name) == "Hokusai, Katsushika"
    assert one(tree, f"{first}/lido:roleActor/lido:term") == "artist"
    assert one(tree, f"{first}/lido:actor/lido:vitalDatesActor/lido:earliestDate") == "1760"
    assert one(tree, f"{first}/lido:actor/lido:vitalDatesActor/lido:latestDate") == "1849"
    assert one(tree, f"{first}/lido:actor/lido:nationalityActor/lido:term") == "Japanese"
    assert one(tree, f"{EVENT}/lido:eventActor[1]/lido:displayActorInRole") == "Katsushika Hokusai (1760–1849)"
    second = f"{EVENT}/lido:eventActor[2]/lido:actorInRole"
    assert texts(tree, f"{second}/lido:actor/lido:nameActorSet/lido:appellationValue") == ["Nishimuraya Yohachi"]
    assert texts(tree, f"{second}/lido:actor/lido:vitalDatesActor") == []


def test_display_dates_are_written_as_the_museum_wrote_them():
    maker = {"name": "Piri Reis (Turkish, 1465-1555)", "display_dates": "(Turkish, 1465-1555)"}
    _, tree = export(record_of(record_payload(makers=[maker])))
    shown = "Piri Reis (Turkish, 1465-1555) ((Turkish, 1465-1555))"  # odd, but the reader gets both back as they were
    assert one(tree, f"{EVENT}/lido:eventActor/lido:displayActorInRole") == shown


def test_a_maker_with_only_a_death_year_has_only_a_latest_date():
    _, tree = export(record_of(record_payload(makers=[{"name": "Anon", "death_year": 1500}])))
    assert texts(tree, f"{ACTOR}/lido:actor/lido:vitalDatesActor/lido:earliestDate") == []
    assert one(tree, f"{ACTOR}/lido:actor/lido:vitalDatesActor/lido:latestDate") == "1500"


def test_place_of_origin_and_countries_as_iso_codes(full):
    _, tree = full
    places = tree.xpath(f"{EVENT}/lido:eventPlace", namespaces=NS)
    assert one(places[0], "lido:displayPlace") == "Edo (Tokyo)"
    assert one(places[0], "lido:place/lido:namePlaceSet/lido:appellationValue") == "Edo (Tokyo)"
    assert texts(places[0], "lido:place/lido:placeID") == []
    iso = "lido:place/lido:placeID[@lido:type='ISO 3166-1 alpha-2']"
    assert [one(place, iso) for place in places[1:]] == ["JP", "CN"]
    assert [one(place, "lido:place/lido:namePlaceSet/lido:appellationValue") for place in places[1:]] == [
        "Japan",
        "China",
    ]


def test_medium_materials_and_technique(full):
    _, tree = full
    materials = f"{EVENT}/lido:eventMaterialsTech"
    assert one(tree, f"{materials}/lido:displayMaterialsTech") == "ink and colour on paper"
    terms = f"{materials}/lido:materialsTech/lido:termMaterialsTech"
    assert texts(tree, f"{terms}[@lido:type='material']/lido:term") == ["ink", "paper"]
    assert texts(tree, f"{terms}[@lido:type='technique']/lido:term") == ["woodblock printing"]


def test_subjects_and_the_place_depicted(full):
    _, tree = full
    subject = f"{DM}/lido:objectRelationWrap/lido:subjectWrap/lido:subjectSet/lido:subject"
    assert texts(tree, f"{subject}/lido:subjectConcept/lido:term") == ["waves", "Mount Fuji"]
    assert one(tree, f"{subject}/lido:subjectPlace/lido:displayPlace") == "Kanagawa"


@pytest.mark.parametrize(
    ("begin", "end", "written"),
    [(-500, -480, ["-0500", "-0480"]), (-12000, -11000, ["-12000", "-11000"]), (5, 99, ["0005", "0099"])],
)
def test_years_are_iso_8601_years_bce_negative(begin, end, written):
    _, tree = export(record_of(record_payload(date_begin=begin, date_end=end)))
    assert texts(tree, f"{EVENT}/lido:eventDate/lido:date/*") == written


def test_a_record_without_production_facts_has_no_event():
    _, tree = export(record_of({"local_id": "1", "title": "Bare"}))
    assert texts(tree, f"{DM}/lido:eventWrap") == []
    assert texts(tree, f"{DM}/lido:objectRelationWrap") == []


# languages -----------------------------------------------------------------------------------
def test_no_language_is_written_und_which_reads_back_as_none(schema):
    document, tree = export(record_of({"local_id": "1", "language": "none", "title": {"none": ["Untitled"]}}))
    assert one(tree, f"{DM}/@xml:lang") == "und" and one(tree, f"{AM}/@xml:lang") == "und"
    assert one(tree, f"{IDENTIFICATION}/lido:titleWrap/lido:titleSet/lido:appellationValue/@xml:lang") == "und"
    assert canonical_tag("und") == "none"  # what the import does with it


def test_cjk_titles_keep_their_script_and_their_languages():
    titles = {"zh-Hant": ["清明上河圖"], "ko": ["청명상하도"]}
    record = record_of({"local_id": "1", "language": "zh-Hant", "title": titles})
    _, tree = export(record)
    values = tree.xpath(f"{IDENTIFICATION}/lido:titleWrap/lido:titleSet/lido:appellationValue", namespaces=NS)
    assert [(value.get(XML_LANG), value.text) for value in values] == [("zh-Hant", "清明上河圖"), ("ko", "청명상하도")]


# administrative metadata -----------------------------------------------------------------------
def test_record_wrap(full):
    _, tree = full
    record = record_of(FULL)
    assert one(tree, f"{RECORD}/lido:recordID") == record.id
    assert one(tree, f"{RECORD}/lido:recordType/lido:term") == "Item-level record"
    source = f"{RECORD}/lido:recordSource"
    assert texts(tree, f"{source}/lido:legalBodyName/lido:appellationValue") == ["Tate", "テート"]
    assert texts(tree, f"{source}/lido:legalBodyName/lido:appellationValue/@xml:lang") == ["en", "ja"]
    assert one(tree, f"{source}/lido:legalBodyWeblink") == "https://www.tate.org.uk/"
    assert one(tree, f"{source}/lido:legalBodyID") == f"{BASE_URL}/museums/tate"
    repository = f"{IDENTIFICATION}/lido:repositoryWrap/lido:repositorySet/lido:repositoryName"
    assert texts(tree, f"{repository}/lido:legalBodyName/lido:appellationValue") == ["Tate", "テート"]


def test_rights_credit_line_and_department(full):
    _, tree = full
    license_uri = "http://creativecommons.org/publicdomain/zero/1.0/"
    assert one(tree, f"{RECORD}/lido:recordRights/lido:rightsType/lido:conceptID") == license_uri
    assert one(tree, f"{RECORD}/lido:recordRights/lido:rightsType/lido:term") == "CC0 1.0"
    credit = f"{AM}/lido:rightsWorkWrap/lido:rightsWorkSet/lido:creditLine"
    assert one(tree, credit) == "Gift of the artist's friends, 1919"
    assert one(tree, f"{RECORD}/lido:collection/lido:displayObject") == "Asian Art"


def test_record_info_links_the_museum_page_first_then_ours(full):
    _, tree = full
    record = record_of(FULL)
    assert texts(tree, f"{RECORD}/lido:recordInfoSet/lido:recordInfoLink") == [
        "https://www.tate.org.uk/art/artworks/N05-1",
        f"{BASE_URL}/objects/{record.id}",
    ]
    assert texts(tree, f"{RECORD}/lido:recordInfoSet/@lido:type") == ["source record", "lido record"]
    assert one(tree, f"{RECORD}/lido:recordInfoSet/lido:recordMetadataDate") == "2024-05-01T12:30:00+00:00"


def test_without_a_source_url_only_our_page_is_linked():
    _, tree = export(record_of(record_payload()))
    assert texts(tree, f"{RECORD}/lido:recordInfoSet/@lido:type") == ["lido record"]


def test_each_image_is_a_resource_set_with_its_urls_alt_text_and_rights(full):
    _, tree = full
    record = record_of(FULL)
    representations = f"{RESOURCE}/lido:resourceRepresentation"
    provided = f"{representations}[@lido:type='http://terminology.lido-schema.org/lido00464']"
    assert one(tree, f"{provided}/lido:linkResource") == f"{BASE_URL}/images/img-1/original"
    assert one(tree, f"{provided}/lido:linkResource/@lido:formatResource") == "image/png"
    assert texts(tree, f"{provided}/lido:resourceMeasurementsSet/lido:measurementValue") == ["400", "300"]
    assert texts(tree, f"{representations}/lido:linkResource") == [
        f"{BASE_URL}/images/img-1/original",
        f"{BASE_URL}/images/img-1/thumbnail",
        f"{BASE_URL}/iiif/3/img-1",
        f"{BASE_URL}/iiif/3/objects/{record.id}/manifest",
    ]
    assert one(tree, f"{RESOURCE}/lido:resourceID") == "img-1"
    assert texts(tree, f"{RESOURCE}/lido:resourceDescription") == ["A great wave", "波"]
    assert texts(tree, f"{RESOURCE}/lido:resourceDescription/@xml:lang") == ["en", "und"]
    rights = "http://creativecommons.org/publicdomain/mark/1.0/"
    assert one(tree, f"{RESOURCE}/lido:rightsResource/lido:rightsType/lido:conceptID") == rights


@pytest.mark.parametrize("image_rights", ["In Copyright", "CC BY-NC 4.0", None])
def test_an_image_not_open_for_reuse_links_its_iiif_service_and_no_original(schema, image_rights):
    """Its original is not public (it would answer 403): the IIIF service, which shows it, carries its size."""
    rights = {"metadata_license": "CC0", "image_rights": image_rights}
    record = record_of(record_payload(rights=rights), images=(IMAGE,))
    document, tree = export(record)
    assert schema_errors(schema, document) == []
    representations = f"{RESOURCE}/lido:resourceRepresentation"
    assert texts(tree, f"{representations}/lido:linkResource") == [
        f"{BASE_URL}/images/img-1/thumbnail",
        f"{BASE_URL}/iiif/3/img-1",
        f"{BASE_URL}/iiif/3/objects/{record.id}/manifest",
    ]
    assert b"/original" not in document
    service = f"{representations}[lido:linkResource='{BASE_URL}/iiif/3/img-1']"
    assert texts(tree, f"{service}/lido:resourceMeasurementsSet/lido:measurementValue") == ["400", "300"]


def test_image_rights_are_stated_before_any_image_is_stored(schema):
    document, tree = export(record_of(record_payload()))
    assert schema_errors(schema, document) == []
    assert texts(tree, f"{RESOURCE}/lido:resourceRepresentation") == []
    rights = "http://creativecommons.org/publicdomain/mark/1.0/"
    assert one(tree, f"{RESOURCE}/lido:rightsResource/lido:rightsType/lido:conceptID") == rights


def test_a_record_without_image_rights_or_images_has_no_resources():
    _, tree = export(record_of(record_payload(rights={"metadata_license": "CC0"})))
    assert texts(tree, f"{AM}/lido:resourceWrap") == []


def test_images_keep_their_order():
    second = replace(IMAGE, id="img-2", position=1)
    _, tree = export(record_of(record_payload(), images=(second, IMAGE)))
    assert texts(tree, f"{RESOURCE}/lido:resourceID") == ["img-1", "img-2"]


def test_catalogue_flags_are_not_content(full):
    document, _ = full
    assert b"masterpiece" not in document.lower() and b">published<" not in document


# real records ----------------------------------------------------------------------------------
def invalid_exports(schema, app) -> dict[str, list[str]]:
    museums = museums_of(app)
    found = {}
    for record in every_record(app):
        errors = schema_errors(schema, lido_document(record, museums[record.museum], BASE_URL))
        if errors:
            found[f"{record.museum}/{record.local_id}"] = errors[:3]
    return found


def test_every_demo_record_is_valid_lido_1_1(schema, demo_app):
    assert len(every_record(demo_app)) == 615
    assert invalid_exports(schema, demo_app) == {}


def test_demo_images_are_exported_with_their_alt_text(demo_app):
    museums = museums_of(demo_app)
    with_images = [record for record in every_record(demo_app) if record.images]
    assert len(with_images) == 1
    for record in with_images:
        tree = etree.fromstring(lido_document(record, museums[record.museum], BASE_URL))
        image = record.images[0]
        assert one(tree, f"{RESOURCE}/lido:resourceID") == image.id
        alt_texts = [text for values in image.alt.values() for text in values]
        assert alt_texts and texts(tree, f"{RESOURCE}/lido:resourceDescription") == alt_texts
        assert f"{BASE_URL}/images/{image.id}/original" in texts(tree, f"{RESOURCE}//lido:linkResource")


def test_a_few_hundred_shared_records_are_valid_lido_1_1(schema, shared_app):
    assert len(every_record(shared_app)) > 300
    assert invalid_exports(schema, shared_app) == {}


# the route -------------------------------------------------------------------------------------
OBJECTS = "/api/museums/tate/objects"


def created(client, auth, **overrides) -> dict:
    response = client.post(OBJECTS, json=record_payload(**overrides), headers=auth)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_a_published_record_is_served_as_lido_xml(schema, client, auth):
    record = created(client, auth)
    response = client.get(f"/api/objects/{record['id']}.lido.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    assert schema_errors(schema, response.data) == []
    tree = etree.fromstring(response.data)
    assert one(tree, "lido:lidoRecID") == "T00001"
    assert one(tree, "lido:objectPublishedID") == f"{BASE_URL}/objects/{record['id']}"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"].startswith("public")


def test_the_public_gets_404_for_a_draft(client, auth):
    record = created(client, auth, status="draft")
    assert client.get(f"/api/objects/{record['id']}.lido.xml").status_code == 404


def test_a_curator_token_reads_its_own_draft_privately(client, auth):
    record = created(client, auth, status="draft")
    response = client.get(f"/api/objects/{record['id']}.lido.xml", headers=auth)
    assert response.status_code == 200
    assert one(etree.fromstring(response.data), "lido:lidoRecID") == "T00001"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Access-Control-Allow-Origin" not in response.headers


def test_another_museums_token_does_not_see_the_draft(client, auth, service, make_museum):
    record = created(client, auth, status="draft")
    make_museum("other")
    other = {"Authorization": f"Bearer {service.create_token(cli_actor(), 'other', 'Other Curator')}"}
    assert client.get(f"/api/objects/{record['id']}.lido.xml", headers=other).status_code == 404


def test_a_bad_token_is_401_and_an_unknown_id_404(client, auth):
    assert client.get("/api/objects/nothing-here.lido.xml").status_code == 404
    record = created(client, auth)
    bad = {"Authorization": "Bearer not-a-token"}
    assert client.get(f"/api/objects/{record['id']}.lido.xml", headers=bad).status_code == 401


def test_a_withdrawn_record_is_gone(client, auth):
    record = created(client, auth)
    assert client.delete(f"{OBJECTS}/T00001", headers=auth).status_code == 204
    assert client.get(f"/api/objects/{record['id']}.lido.xml").status_code == 410


def test_the_etag_is_the_records_revision_and_a_match_is_304(client, auth):
    record = created(client, auth)
    url = f"/api/objects/{record['id']}.lido.xml"
    first = client.get(url)
    assert first.headers["ETag"] == f'"{record["id"]}-1"'
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert client.post(OBJECTS, json=record_payload(title="A new title"), headers=auth).status_code == 200
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 200
