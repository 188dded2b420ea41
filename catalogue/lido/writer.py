"""A record as a LIDO 1.1 record: the ``/api/objects/<id>.lido.xml`` export and OAI-PMH's metadata.

It follows the mapping in ``catalogue.lido`` (the reader reads the same paths back), writes the
elements in the order the LIDO 1.1 schema demands, and always writes the elements the schema
requires, even for a record that has little more than a title.

Languages: every value of a language map carries its own ``xml:lang``, because an element without
one inherits the language of ``descriptiveMetadata`` and a reader would take an untagged title for
one in the record's language. Our "none" (no language) is written as ``und`` (ISO 639-2
"undetermined"), which ``canonical_tag`` reads back as "none".

``status`` and ``masterpiece`` are the catalogue's decisions about the record, not a description of
the object, so they are not written: a harvester only ever sees published records, and whether an
object is one of the network's masterpieces is ours to say, not the museum's record's.
"""

import re

from lxml import etree

from catalogue import reference
from catalogue.images import ALLOWED
from catalogue.lido.names import LIDO_1_1_SCHEMA_LOCATION, LIDO_NS, XML_LANG, XSI_NS, lido
from catalogue.models import Museum, ObjectRecord, StoredImage
from catalogue.records.langmap import NO_LANGUAGE
from iiif.presentation import Links

NAMESPACES = {"lido": LIDO_NS, "xsi": XSI_NS}
TERMS = "http://terminology.lido-schema.org/"
LOCAL_ID = TERMS + "lido00100"  # identifier type: a local identifier
URI_ID = TERMS + "lido00099"  # identifier type: a URI
INVENTORY_NUMBER = TERMS + "lido00113"
HUMAN_MADE_OBJECT = TERMS + "lido00096"
ITEM_LEVEL_RECORD = TERMS + "lido00141"
PRODUCTION = TERMS + "lido00007"
PROVIDED_IMAGE = TERMS + "lido00464"  # resourceRepresentation: the image in full quality
PREVIEW_IMAGE = TERMS + "lido00451"  # resourceRepresentation: a smaller preview
IIIF_IMAGE_API = "http://iiif.io/api/image/3/context.json"
IIIF_PRESENTATION_API = "http://iiif.io/api/presentation/3/context.json"
DIGITAL_IMAGE = "http://vocab.getty.edu/aat/300215302"
UNDETERMINED = "und"
NOT_SPECIFIED = "not specified"  # the object type of a record that has none (objectWorkType is required)
COUNTRY_ID_TYPE = "ISO 3166-1 alpha-2"
SOURCE_RECORD, LIDO_RECORD = "source record", "lido record"  # recordInfoSet types: the museum's page, ours
# XML 1.0 cannot carry these characters at all (lxml refuses them), whatever a record holds
NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def lido_document(record: ObjectRecord, museum: Museum, base_url: str) -> bytes:
    """The record as a standalone LIDO 1.1 XML document (UTF-8, with its XML declaration)."""
    record_element = lido_record(record, museum, base_url)
    return etree.tostring(record_element, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def lido_record(record: ObjectRecord, museum: Museum, base_url: str) -> etree._Element:
    """The record as one ``<lido:lido>`` element (OAI-PMH puts it in its ``metadata``)."""
    links = Links(base_url)
    language = _tag(record.body.get("language") or NO_LANGUAGE)
    root = etree.Element(lido("lido"), nsmap=NAMESPACES)
    root.set(f"{{{XSI_NS}}}schemaLocation", LIDO_1_1_SCHEMA_LOCATION)
    _text(root, "lidoRecID", record.local_id, type=LOCAL_ID, source=museum.name())
    _text(root, "objectPublishedID", links.object_page(record.id), type=URI_ID)
    _concept(_sub(root, "category"), "Human-made object", HUMAN_MADE_OBJECT, lang="en")
    _descriptive(_sub(root, "descriptiveMetadata", lang=language), record, museum)
    _administrative(_sub(root, "administrativeMetadata", lang=language), record, museum, links)
    return root


# descriptive metadata ------------------------------------------------------------------------
def _descriptive(parent: etree._Element, record: ObjectRecord, museum: Museum) -> None:
    body = record.body
    classification = _sub(parent, "objectClassificationWrap")
    work_type = _sub(_sub(classification, "objectWorkTypeWrap"), "objectWorkType")
    if body.get("object_type"):
        _text(work_type, "term", body["object_type"])
    else:
        _text(work_type, "term", NOT_SPECIFIED, lang="en")
    if body.get("classification"):
        _text(_sub(_sub(classification, "classificationWrap"), "classification"), "term", body["classification"])
    _identification(_sub(parent, "objectIdentificationWrap"), body, museum)
    if _has_event(body):
        _production(_sub(_sub(_sub(parent, "eventWrap"), "eventSet"), "event"), body)
    if body.get("subjects") or body.get("place_depicted"):
        _subjects(_sub(_sub(_sub(parent, "objectRelationWrap"), "subjectWrap"), "subjectSet"), body)


def _identification(parent: etree._Element, body: dict, museum: Museum) -> None:
    titles = _sub(parent, "titleWrap")
    _language_values(_sub(titles, "titleSet"), "appellationValue", body["title"])
    for other in body.get("other_titles") or []:
        title_set = _sub(titles, "titleSet", type=other.get("type"))
        _text(title_set, "appellationValue", other["title"], lang=other.get("lang") or UNDETERMINED)
    if body.get("inscription"):
        _text(_sub(_sub(parent, "inscriptionsWrap"), "inscriptions"), "inscriptionTranscription", body["inscription"])
    repository = _sub(_sub(parent, "repositoryWrap"), "repositorySet")
    _legal_body(_sub(repository, "repositoryName"), museum)
    _text(repository, "workID", body.get("accession_number"), type=INVENTORY_NUMBER)
    if body.get("description"):
        description = _sub(_sub(parent, "objectDescriptionWrap"), "objectDescriptionSet")
        _language_values(description, "descriptiveNoteValue", body["description"])
    if (body.get("dimensions") or {}).get("text"):
        _measurements(_sub(_sub(parent, "objectMeasurementsWrap"), "objectMeasurementsSet"), body["dimensions"])


def _measurements(parent: etree._Element, dimensions: dict) -> None:
    """The museum's text, then each size we could read from it, in centimetres."""
    _text(parent, "displayObjectMeasurements", dimensions["text"])
    sizes = [(key.removesuffix("_cm"), value) for key, value in dimensions.items() if key.endswith("_cm")]
    if sizes:
        measurements = _sub(parent, "objectMeasurements")
        for axis, value in sizes:
            _measurement(_sub(measurements, "measurementsSet"), axis, "cm", _number(value))


EVENT_FIELDS = (
    "makers",
    "date_display",
    "date_begin",
    "date_end",
    "culture",
    "period",
    "dynasty",
    "place_of_origin",
    "country",
    "medium",
    "materials",
    "technique",
)


def _has_event(body: dict) -> bool:
    return any(body.get(name) not in (None, "", []) for name in EVENT_FIELDS)


def _production(event: etree._Element, body: dict) -> None:
    """The production event: who made the object, when, where, in which culture and of what."""
    _concept(_sub(event, "eventType"), "Production", PRODUCTION, lang="en")
    for maker in body.get("makers") or []:
        _maker(_sub(event, "eventActor"), maker)
    if body.get("culture"):
        _text(_sub(event, "culture"), "term", body["culture"])
    _event_date(event, body)
    if body.get("period"):
        _text(_sub(event, "periodName"), "term", body["period"])
    if body.get("dynasty"):
        _text(_sub(event, "periodName", type="dynasty"), "term", body["dynasty"])
    if body.get("place_of_origin"):
        place = _sub(event, "eventPlace")
        _text(place, "displayPlace", body["place_of_origin"])
        _text(_sub(_sub(place, "place"), "namePlaceSet"), "appellationValue", body["place_of_origin"])
    for code in body.get("country") or []:
        _country(_sub(_sub(event, "eventPlace"), "place"), code)
    if body.get("medium") or body.get("materials") or body.get("technique"):
        _materials(_sub(event, "eventMaterialsTech"), body)


def _maker(parent: etree._Element, maker: dict) -> None:
    _text(parent, "displayActorInRole", _maker_display(maker))
    in_role = _sub(parent, "actorInRole")
    actor = _sub(in_role, "actor")
    names = _sub(actor, "nameActorSet")
    _text(names, "appellationValue", maker["name"], pref="preferred")
    _text(names, "appellationValue", maker.get("name_sort"), pref="alternate")
    if maker.get("nationality"):
        _text(_sub(actor, "nationalityActor"), "term", maker["nationality"])
    if maker.get("birth_year") is not None or maker.get("death_year") is not None:
        _dates(_sub(actor, "vitalDatesActor"), maker.get("birth_year"), maker.get("death_year"))
    if maker.get("role"):
        _text(_sub(in_role, "roleActor"), "term", maker["role"])


def _maker_display(maker: dict) -> str | None:
    """ "Name (dates)", the dates as the museum wrote them: LIDO has no element for an actor's dates
    as text (vitalDatesActor holds years). Written as they are, even when the name already shows
    them, so that the reader gets them back exactly."""
    dates = maker.get("display_dates")
    return f"{maker['name']} ({dates})" if dates else None


def _event_date(event: etree._Element, body: dict) -> None:
    begin, end = body.get("date_begin"), body.get("date_end")
    if not body.get("date_display") and begin is None and end is None:
        return
    date = _sub(event, "eventDate")
    _text(date, "displayDate", body.get("date_display"))
    if begin is not None or end is not None:
        _dates(_sub(date, "date"), begin, end)


def _dates(parent: etree._Element, earliest: int | None, latest: int | None) -> None:
    _text(parent, "earliestDate", _year(earliest))
    _text(parent, "latestDate", _year(latest))


def _year(year: int | None) -> str | None:
    """A year as LIDO (ISO 8601) writes it: four digits at least, BCE negative ("-0500")."""
    if year is None:
        return None
    return f"-{-year:04d}" if year < 0 else f"{year:04d}"


def _country(place: etree._Element, code: str) -> None:
    _text(place, "placeID", code, type=COUNTRY_ID_TYPE)
    name = reference.countries().get(code, {}).get("name")
    if name:
        _text(_sub(place, "namePlaceSet"), "appellationValue", name, lang="en")


def _materials(parent: etree._Element, body: dict) -> None:
    _text(parent, "displayMaterialsTech", body.get("medium"))
    terms = [("material", material) for material in body.get("materials") or []]
    if body.get("technique"):
        terms.append(("technique", body["technique"]))
    if terms:
        materials_tech = _sub(parent, "materialsTech")
        for kind, term in terms:
            _text(_sub(materials_tech, "termMaterialsTech", type=kind), "term", term)


def _subjects(subject_set: etree._Element, body: dict) -> None:
    subject = _sub(subject_set, "subject")
    for term in body.get("subjects") or []:
        _text(_sub(subject, "subjectConcept"), "term", term)
    if body.get("place_depicted"):
        _text(_sub(subject, "subjectPlace"), "displayPlace", body["place_depicted"])


# administrative metadata ---------------------------------------------------------------------
def _administrative(parent: etree._Element, record: ObjectRecord, museum: Museum, links: Links) -> None:
    body = record.body
    rights = body.get("rights") or {}
    if body.get("credit_line"):
        _text(_sub(_sub(parent, "rightsWorkWrap"), "rightsWorkSet"), "creditLine", body["credit_line"])
    wrap = _sub(parent, "recordWrap")
    _text(wrap, "recordID", record.id, type=LOCAL_ID)
    _concept(_sub(wrap, "recordType"), "Item-level record", ITEM_LEVEL_RECORD, lang="en")
    source = _sub(wrap, "recordSource")
    _text(source, "legalBodyID", links.museum_page(museum.code), type=URI_ID)
    _legal_body(source, museum)
    if rights.get("metadata_license"):
        _rights(_sub(wrap, "recordRights"), rights["metadata_license"])
    if body.get("source_url"):
        _text(_sub(wrap, "recordInfoSet", type=SOURCE_RECORD), "recordInfoLink", body["source_url"])
    ours = _sub(wrap, "recordInfoSet", type=LIDO_RECORD)
    _text(ours, "recordInfoLink", links.object_page(record.id), formatResource="text/html")
    _text(ours, "recordMetadataDate", record.updated_at.isoformat(), type="modified")
    if body.get("department"):  # LIDO 1.1: "departmental collections" are collections
        _text(_sub(wrap, "collection"), "displayObject", body["department"])
    _resources(parent, record, rights.get("image_rights"), links)


def _resources(parent: etree._Element, record: ObjectRecord, rights: str | None, links: Links) -> None:
    """A resourceSet per stored image. A record whose images are still to come states their rights
    all the same, in a resourceSet that has only them (LIDO has no other place for image rights)."""
    if not record.images and not rights:
        return
    resources = _sub(parent, "resourceWrap")
    for image in sorted(record.images, key=lambda image: image.position):
        _image(_sub(resources, "resourceSet"), image, record.id, rights, links)
    if not record.images and rights:
        _rights(_sub(_sub(resources, "resourceSet"), "rightsResource"), rights)


def _image(resource: etree._Element, image: StoredImage, record_id: str, rights: str | None, links: Links) -> None:
    """One stored image: the original, its preview, its IIIF Image API service and the record's
    IIIF manifest (each a representation of the same image), its alt text and its rights. The
    original is there only when the museum opened the image for reuse (no other original is public);
    without it, the image's size goes with its IIIF service, whose full size it is."""
    _text(resource, "resourceID", image.id, type=LOCAL_ID)
    media_type = ALLOWED[image.format][1] if image.format in ALLOWED else None
    original: etree._Element | None = None
    if reference.open_for_reuse(rights):
        original = _representation(resource, PROVIDED_IMAGE, links.original(image.id), media_type)
    _representation(resource, PREVIEW_IMAGE, f"{links.base}/images/{image.id}/thumbnail", "image/jpeg")
    service = _representation(resource, IIIF_IMAGE_API, links.image_service(image.id), "application/ld+json")
    _pixel_size(original if original is not None else service, image)
    _representation(resource, IIIF_PRESENTATION_API, links.manifest(record_id), "application/ld+json")
    _concept(_sub(resource, "resourceType"), "digital image", DIGITAL_IMAGE, lang="en")
    _language_values(resource, "resourceDescription", image.alt or {})
    if rights:
        _rights(_sub(resource, "rightsResource"), rights)


def _pixel_size(representation: etree._Element, image: StoredImage) -> None:
    _measurement(_sub(representation, "resourceMeasurementsSet"), "width", "pixel", str(image.width))
    _measurement(_sub(representation, "resourceMeasurementsSet"), "height", "pixel", str(image.height))


def _representation(resource: etree._Element, kind: str, url: str, media_type: str | None) -> etree._Element:
    representation = _sub(resource, "resourceRepresentation", type=kind)
    _text(representation, "linkResource", url, formatResource=media_type)
    return representation


def _rights(parent: etree._Element, uri: str) -> None:
    label = reference.rights_statements().get(uri, {}).get("label")
    _concept(_sub(parent, "rightsType"), label, uri, lang="en")


def _legal_body(parent: etree._Element, museum: Museum) -> None:
    """The museum by its names in every language it gave, and its website."""
    names = _sub(parent, "legalBodyName")
    if museum.names:
        _language_values(names, "appellationValue", museum.names)
    else:
        _text(names, "appellationValue", museum.code)
    _text(parent, "legalBodyWeblink", museum.website, formatResource="text/html")


# building blocks -----------------------------------------------------------------------------
def _concept(parent: etree._Element, term: str | None, uri: str, lang: str | None = None) -> None:
    _text(parent, "conceptID", uri, type=URI_ID)
    _text(parent, "term", term, lang=lang)


def _measurement(parent: etree._Element, kind: str, unit: str, value: str) -> None:
    _text(parent, "measurementType", kind, lang="en")
    _text(parent, "measurementUnit", unit, lang="en")
    _text(parent, "measurementValue", value)


def _number(value: float) -> str:
    """32.0 -> "32", 21.59 -> "21.59": no exponent, no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _language_values(parent: etree._Element, name: str, values: dict) -> None:
    """One element per value of a language map, each with its own xml:lang."""
    for tag, texts in values.items():
        for text in texts:
            _text(parent, name, text, lang=_tag(tag))


def _tag(tag: str) -> str:
    return UNDETERMINED if tag == NO_LANGUAGE else tag


def _sub(parent: etree._Element, name: str, **attributes: str | None) -> etree._Element:
    """A child element in the LIDO namespace; ``lang`` is xml:lang, the other attributes lido:*
    (an attribute whose value is None is left out)."""
    element = etree.SubElement(parent, lido(name))
    for key, value in attributes.items():
        if value is not None:
            element.set(XML_LANG if key == "lang" else lido(key), NOT_XML.sub("", value))
    return element


def _text(parent: etree._Element, name: str, text: str | None, **attributes: str | None) -> None:
    """A child element holding ``text``; nothing when the record has no such value."""
    if text:
        _sub(parent, name, **attributes).text = NOT_XML.sub("", text)
