"""A record as Linked Art JSON-LD (what linked-data portals read) and as schema.org JSON-LD (what
search engines read from the object page).

Both say only what the record says: a value the museum did not give is left out, never guessed.

Linked Art follows the model at https://linked.art/model/ and the shapes of its API 1.0: every
reference (a person, a place, a type, a material) has an ``id``. Getty AAT ids are used where the
catalogue's vocabulary maps the museum's word to a concept; a maker, a place or a word the
vocabulary does not know is named by a fragment of this object's own document
(``...linkedart.json#maker-1``): it is the entity as this record names it, and claims no identity
with the same words in another record.
"""

import re
from urllib.parse import quote

from catalogue import reference
from catalogue.concepts import Concept, vocabulary
from catalogue.images import ALLOWED
from catalogue.models import Museum, ObjectRecord, StoredImage
from catalogue.records.langmap import NO_LANGUAGE, pick, pick_with_language
from iiif.presentation import Links
from indexer.makers import PERSON, reconcile

LINKED_ART_CONTEXT = "https://linked.art/ns/v1/linked-art.json"
AAT = "http://vocab.getty.edu/aat/"
IIIF_PRESENTATION = "http://iiif.io/api/presentation/"
IIIF_IMAGE = "http://iiif.io/api/image/"
MANIFEST_FORMAT = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'
IMAGE_SERVICE_FORMAT = 'application/ld+json;profile="http://iiif.io/api/image/3/context.json"'

# the terms Linked Art requires or recommends (linked.art/model/vocab), as (AAT number, label)
PRIMARY_NAME = ("300404670", "Primary Name")
ALTERNATE_NAME = ("300264273", "Alternate Name")
DISPLAY_NAME = ("300404669", "Display Name")
ACCESSION_NUMBER = ("300312355", "Accession Number")
TYPE_OF_WORK = ("300435443", "Type of Work")
BRIEF_TEXT = ("300418049", "Brief Text")  # the meta-type of every statement
DESCRIPTION = ("300435416", "Description")
MATERIALS_STATEMENT = ("300435429", "Materials Statement")
DIMENSIONS_STATEMENT = ("300435430", "Dimensions Statement")
INSCRIPTION_STATEMENT = ("300435414", "Inscription Statement")
CREDIT_LINE = ("300026687", "Credit Line")
RIGHTS_STATEMENT = ("300435434", "Rights Statement")
WEB_PAGE = ("300264578", "Web Page")
DIGITAL_IMAGE = ("300215302", "Digital Image")
CENTIMETERS = {"id": AAT + "300379098", "type": "MeasurementUnit", "_label": "centimeters"}
AXES = {  # records.dimensions' axes
    "height": ("300055644", "Height"),
    "width": ("300055647", "Width"),
    "depth": ("300072633", "Depth"),
    "diameter": ("300055624", "Diameter"),
    "length": ("300055645", "Length"),
}
LANGUAGES = {  # ISO 639-1 -> AAT language: the languages of the network (linked.art/model/vocab/recommended)
    "bg": ("300388034", "Bulgarian"), "bn": ("300387971", "Bengali"), "cs": ("300388191", "Czech"),
    "da": ("300388204", "Danish"), "de": ("300388344", "German"), "el": ("300388361", "Greek, Modern"),
    "en": ("300388277", "English"), "es": ("300389311", "Spanish"), "et": ("300388283", "Estonian"),
    "fi": ("300388299", "Finnish"), "fr": ("300388306", "French"), "ga": ("300388467", "Irish"),
    "hi": ("300388412", "Hindi"), "hr": ("300388185", "Croatian"), "hu": ("300388770", "Hungarian"),
    "id": ("300388460", "Indonesian"), "it": ("300388474", "Italian"), "ja": ("300388486", "Japanese"),
    "kk": ("300388568", "Kazakh"), "km": ("300388591", "Khmer"), "ko": ("300388633", "Korean"),
    "la": ("300388693", "Latin"), "lb": ("300388709", "Luxembourgish"), "lo": ("300388688", "Lao"),
    "lt": ("300388723", "Lithuanian"), "lv": ("300388696", "Latvian"), "mn": ("300388900", "Mongolian"),
    "ms": ("300388786", "Malay"), "mt": ("300388796", "Maltese"), "my": ("300388042", "Burmese"),
    "nl": ("300388256", "Dutch"), "no": ("300388992", "Norwegian"), "pl": ("300389109", "Polish"),
    "pt": ("300389115", "Portuguese"), "ro": ("300389157", "Romanian"), "ru": ("300389168", "Russian"),
    "sa": ("300389205", "Sanskrit"), "sk": ("300389290", "Slovak"), "sl": ("300389291", "Slovene"),
    "sv": ("300389336", "Swedish"), "th": ("300389405", "Thai"), "tl": ("300389344", "Tagalog"),
    "ur": ("300389502", "Urdu"), "vi": ("300389525", "Vietnamese"), "zh": ("300388113", "Chinese"),
}  # fmt: skip


def linked_art_url(base_url: str, record_id: str) -> str:
    """The object's Linked Art document, which is also the object's id in it."""
    return f"{base_url.rstrip('/')}/api/objects/{quote(record_id, safe='')}.linkedart.json"


# Linked Art ------------------------------------------------------------------------------------
def linked_art(record: ObjectRecord, museum: Museum, base_url: str) -> dict:
    """The record as a Linked Art ``HumanMadeObject``."""
    links = Links(base_url)
    doc = linked_art_url(base_url, record.id)
    body = record.body
    made_of, techniques = _materials(body, doc)
    described = {
        "@context": LINKED_ART_CONTEXT,
        "id": doc,
        "type": "HumanMadeObject",
        "_label": pick(body.get("title"), ("en",), body.get("language")) or record.local_id,
        "classified_as": _object_types(body, doc),
        "identified_by": [*_names(body), *_identifiers(body)],
        "referred_to_by": _statements(body),
        "produced_by": _production(body, doc, techniques),
        "made_of": made_of,
        "dimension": _dimensions(body),
        "current_owner": [{"id": links.museum_page(museum.code), "type": "Group", "_label": museum.name()}],
        "subject_of": _pages(record, links),
        "representation": [_representation(image, record, links) for image in record.images],
    }
    return {key: value for key, value in described.items() if value}


def _type(term: tuple[str, str], meta: tuple[str, str] | None = None) -> dict:
    found: dict = {"id": AAT + term[0], "type": "Type", "_label": term[1]}
    if meta:
        found["classified_as"] = [_type(meta)]
    return found


def _language(tag: str | None) -> list[dict]:
    """The Language of a text, when its tag names one the table knows (a text in no language has none)."""
    known = LANGUAGES.get((tag or NO_LANGUAGE).split("-")[0].lower())
    return [{"id": AAT + known[0], "type": "Language", "_label": known[1]}] if known else []


def _text(kind: str, content: str, term: tuple[str, str], tag: str | None, meta=None) -> dict:
    """A Name or a Statement (LinguisticObject): content, classification, and language when known."""
    text: dict = {"type": kind, "content": content, "classified_as": [_type(term, meta)]}
    language = _language(tag)
    if language:
        text["language"] = language
    return text


def _names(body: dict) -> list[dict]:
    """One primary name per language (the first title in it); the others are alternate names."""
    names, primary_languages = [], set()
    for tag, values in (body.get("title") or {}).items():
        for text in values:
            language = _language(tag)[0]["id"] if _language(tag) else tag
            kind = ALTERNATE_NAME if language in primary_languages else PRIMARY_NAME
            primary_languages.add(language)
            names.append(_text("Name", text, kind, tag))
    for other in body.get("other_titles") or []:
        names.append(_text("Name", other["title"], ALTERNATE_NAME, other.get("lang") or body.get("language")))
    return names


def _identifiers(body: dict) -> list[dict]:
    number = body.get("accession_number")
    return [{"type": "Identifier", "content": number, "classified_as": [_type(ACCESSION_NUMBER)]}] if number else []


def _statements(body: dict) -> list[dict]:
    """Description, materials, dimensions, inscription and credit line, as the museum wrote them."""
    language = body.get("language")
    found = [
        _text("LinguisticObject", text, DESCRIPTION, tag, BRIEF_TEXT)
        for tag, values in (body.get("description") or {}).items()
        for text in values
    ]
    for term, text in (
        (MATERIALS_STATEMENT, body.get("medium")),
        (DIMENSIONS_STATEMENT, (body.get("dimensions") or {}).get("text")),
        (INSCRIPTION_STATEMENT, body.get("inscription")),
        (CREDIT_LINE, body.get("credit_line")),
    ):
        if text:
            found.append(_text("LinguisticObject", text, term, language, BRIEF_TEXT))
    return found


def _concept_ref(concept_id: str, kind: str, label: str, local_id: str) -> dict:
    """A Type or Material: the AAT id when the vocabulary's concept has one, else ``local_id``."""
    uri = AAT + concept_id.removeprefix("aat:") if concept_id.startswith("aat:") else local_id
    return {"id": uri, "type": kind, "_label": label}


def _object_types(body: dict, doc: str) -> list[dict]:
    """The object type as the vocabulary's concepts (with their English label), and the parts it
    does not know as the museum wrote them; each a Type of Work."""
    known = vocabulary()
    ids, unmapped = known.map_value(body.get("object_type"), "object_type")
    found = [_concept_ref(i, "Type", _label(known.concept(i), i), f"{doc}#object-type-{i}") for i in ids]
    found += [{"id": f"{doc}#object-type-{n}", "type": "Type", "_label": word} for n, word in enumerate(unmapped, 1)]
    return [{**entry, "classified_as": [_type(TYPE_OF_WORK)]} for entry in found]


def _label(concept: Concept | None, fallback: str) -> str:
    return concept.label(("en",)) if concept else fallback


def _materials(body: dict, doc: str) -> tuple[list[dict], list[dict]]:
    """(made_of, techniques): the record's materials and technique as the vocabulary's concepts
    ("woodblock print" names a technique, not a material), and the words it does not know as the
    museum wrote them."""
    made_of: dict[str, dict] = {}
    techniques: dict[str, dict] = {}
    for value in body.get("materials") or []:
        _sort_concepts(value, ("material", "technique"), doc, made_of, techniques)
    _sort_concepts(body.get("technique"), ("technique",), doc, made_of, techniques)
    return list(made_of.values()), list(techniques.values())


def _sort_concepts(value: str | None, kinds: tuple[str, ...], doc: str, made_of: dict, techniques: dict) -> None:
    known = vocabulary()
    ids, unmapped = known.map_value(value, *kinds)
    for concept_id in ids:
        concept = known.concept(concept_id)
        if concept is not None and concept.kind == "material":
            ref = _concept_ref(concept_id, "Material", _label(concept, concept_id), f"{doc}#material-{concept_id}")
            made_of.setdefault(concept_id, ref)
        else:
            ref = _concept_ref(concept_id, "Type", _label(concept, concept_id), f"{doc}#technique-{concept_id}")
            techniques.setdefault(concept_id, ref)
    for word in unmapped:
        if "material" in kinds:
            made_of.setdefault(word, {"id": f"{doc}#material-{len(made_of) + 1}", "type": "Material", "_label": word})
        else:
            local = f"{doc}#technique-{len(techniques) + 1}"
            techniques.setdefault(word, {"id": local, "type": "Type", "_label": word})


def _production(body: dict, doc: str, techniques: list[dict]) -> dict | None:
    """Who made it (people, not the cultures some museums name as makers), when, where and how."""
    production: dict = {"type": "Production"}
    people = [
        {"id": f"{doc}#maker-{n}", "type": "Person", "_label": maker["name"]}
        for n, maker in enumerate(body.get("makers") or [], 1)
        if reconcile(maker).kind == PERSON
    ]
    place = body.get("place_of_origin")
    for key, value in (
        ("carried_out_by", people),
        ("timespan", _timespan(body)),
        ("took_place_at", [{"id": f"{doc}#place-of-origin", "type": "Place", "_label": place}] if place else []),
        ("technique", techniques),
    ):
        if value:
            production[key] = value
    return production if len(production) > 1 else None


def _timespan(body: dict) -> dict | None:
    """From the first moment of the earliest year to the last moment of the latest, named by the
    museum's own date text."""
    begin, end, display = body.get("date_begin"), body.get("date_end"), body.get("date_display")
    span: dict = {"type": "TimeSpan"}
    if display:
        span["identified_by"] = [{"type": "Name", "content": display, "classified_as": [_type(DISPLAY_NAME)]}]
    if begin is not None:
        span["begin_of_the_begin"] = f"{_xsd_year(begin)}-01-01T00:00:00Z"
    if end is not None:
        span["end_of_the_end"] = f"{_xsd_year(end)}-12-31T23:59:59Z"
    return span if len(span) > 1 else None


def _xsd_year(year: int) -> str:
    """xsd:dateTime's year: four digits at least, BCE negative as the catalogue keeps it (-500 is 500 BCE)."""
    return f"-{-year:04d}" if year < 0 else f"{year:04d}"


def _dimensions(body: dict) -> list[dict]:
    dimensions = body.get("dimensions") or {}
    return [
        {"type": "Dimension", "value": value, "unit": CENTIMETERS, "classified_as": [_type(AXES[axis])]}
        for axis in AXES
        if isinstance(value := dimensions.get(f"{axis}_cm"), (int, float))
    ]


def _web_page(label: str, url: str) -> dict:
    page = {"type": "DigitalObject", "classified_as": [_type(WEB_PAGE)], "format": "text/html"}
    return {"type": "LinguisticObject", "_label": label, "digitally_carried_by": [{**page, **_access(url)}]}


def _access(url: str) -> dict:
    return {"access_point": [{"id": url, "type": "DigitalObject"}]}


def _pages(record: ObjectRecord, links: Links) -> list[dict]:
    """The object's page here and at its museum, and its IIIF manifest (objects with images have one)."""
    pages = [_web_page("Object page in the Virtual Collection of Masterpieces", links.object_page(record.id))]
    if record.body.get("source_url"):
        pages.append(_web_page("Object page at the museum", record.body["source_url"]))
    if record.images:
        manifest = {"type": "DigitalObject", "format": MANIFEST_FORMAT, **_access(links.manifest(record.id))}
        manifest["conforms_to"] = [{"id": IIIF_PRESENTATION, "type": "InformationObject"}]
        pages.append({"type": "LinguisticObject", "_label": "IIIF manifest", "digitally_carried_by": [manifest]})
    return pages


def _representation(image: StoredImage, record: ObjectRecord, links: Links) -> dict:
    """An image of the object: the IIIF Image API service that serves it, its rights, and its file
    (format and access point) only when the museum opened the image for reuse: no other original
    is public."""
    service = {"type": "DigitalService", "format": IMAGE_SERVICE_FORMAT, **_access(links.image_service(image.id))}
    service["conforms_to"] = [{"id": IIIF_IMAGE, "type": "InformationObject"}]
    digital = {"type": "DigitalObject", "classified_as": [_type(DIGITAL_IMAGE)]}
    if record.images_open_for_reuse:
        if image.format in ALLOWED:
            digital["format"] = ALLOWED[image.format][1]
        digital |= _access(links.original(image.id))
    digital["digitally_available_via"] = [service]
    shown: dict = {"type": "VisualItem", "digitally_shown_by": [digital]}
    rights = _rights_label(record.body)
    if rights:
        shown["referred_to_by"] = [_text("LinguisticObject", rights, RIGHTS_STATEMENT, "en", BRIEF_TEXT)]
    return shown


def _rights_label(body: dict) -> str | None:
    uri = (body.get("rights") or {}).get("image_rights")
    return reference.rights_statements().get(uri, {}).get("label", uri) if uri else None


# schema.org ------------------------------------------------------------------------------------
SURFACE = re.compile(r"\s(?:on|op|sur|auf)\s+([^;,()]+)$", re.IGNORECASE)  # "ink on paper" -> "paper"
AXES_ON_SCHEMA_ORG = ("height", "width", "depth")


def schema_org(record: ObjectRecord, museum: Museum, base_url: str, language: str) -> dict:
    """The record as a schema.org ``VisualArtwork`` in ``language`` where the record has it, for the
    object page's ``<script type="application/ld+json">``."""
    links = Links(base_url)
    body = record.body
    name, name_tag = pick_with_language(body.get("title"), [language], body.get("language"))
    page = links.object_page(record.id)
    artwork = {
        "@context": "https://schema.org",
        "@type": "VisualArtwork",
        "@id": page,
        "url": page,
        "name": name or record.local_id,
        "alternateName": _alternate_names(body, name),
        "inLanguage": name_tag if name_tag and name_tag != NO_LANGUAGE else None,
        "description": pick(body.get("description"), [language], body.get("language")),
        "identifier": body.get("accession_number"),
        "creator": [_creator(maker) for maker in body.get("makers") or [] if reconcile(maker).kind == PERSON],
        **_when(body),
        **_what(body, language),
        **_images(record, links),
        "locationCreated": _place(body.get("place_of_origin")),
        "contentLocation": _place(body.get("place_depicted")),
        "keywords": body.get("subjects") or None,
        "sameAs": body.get("source_url"),
        "provider": _provider(museum, links, language),
    }
    return {key: value for key, value in artwork.items() if value not in (None, "", [], {})}


def _alternate_names(body: dict, name: str | None) -> list[str]:
    titles = [text for values in (body.get("title") or {}).values() for text in values]
    titles += [other["title"] for other in body.get("other_titles") or []]
    return [title for title in dict.fromkeys(titles) if title != name]


def _creator(maker: dict) -> dict:
    person = {"@type": "Person", "name": maker["name"]}
    if maker.get("birth_year") is not None:
        person["birthDate"] = _iso_year(maker["birth_year"])
    if maker.get("death_year") is not None:
        person["deathDate"] = _iso_year(maker["death_year"])
    return person


def _iso_year(year: int) -> str:
    """ISO 8601 counts a year 0 (1 BCE), so 500 BCE (-500 in the catalogue) is -0499."""
    return f"-{-year - 1:04d}" if year < 0 else f"{year:04d}"


def _when(body: dict) -> dict:
    """One year as ``dateCreated``; a span as an ISO 8601 interval in ``temporalCoverage``; only the
    museum's text (an era name) as ``temporalCoverage`` text."""
    begin, end = body.get("date_begin"), body.get("date_end")
    if begin is None:
        return {"temporalCoverage": body.get("date_display")}
    if end is None or end == begin:
        return {"dateCreated": _iso_year(begin)}
    return {"temporalCoverage": f"{_iso_year(begin)}/{_iso_year(end)}"}


def _what(body: dict, language: str) -> dict:
    """Art form (the vocabulary's label in ``language``, else the museum's word), medium, surface, materials."""
    known = vocabulary()
    ids, unmapped = known.map_value(body.get("object_type"), "object_type")
    forms = [concept.label([language]) for concept in map(known.concept, ids) if concept] + unmapped
    medium = body.get("medium")
    surface = SURFACE.search(medium) if medium else None
    dimensions = body.get("dimensions") or {}
    sizes = {
        axis: {"@type": "QuantitativeValue", "value": dimensions[f"{axis}_cm"], "unitCode": "CMT", "unitText": "cm"}
        for axis in AXES_ON_SCHEMA_ORG
        if isinstance(dimensions.get(f"{axis}_cm"), (int, float))
    }
    return {
        "artform": forms[0] if len(forms) == 1 else forms,
        "artMedium": medium,
        "artworkSurface": surface.group(1).strip() if surface else None,
        "material": body.get("materials") or None,
        **sizes,
    }


def _images(record: ObjectRecord, links: Links) -> dict:
    """Our image files (the originals where the museum opened them for reuse, else the largest
    size the Image API makes, as no other original is public), and the rights of the images (the
    record's image rights, not its metadata's)."""
    if not record.images:
        return {}
    uri = record.image_rights
    return {
        "image": [links.image_file(image, record.images_open_for_reuse) for image in record.images],
        "thumbnailUrl": links.thumbnail(record.images[0].id),
        "license": uri,
        "copyrightNotice": _rights_label(record.body),
        "creditText": record.body.get("credit_line"),
    }


def _place(name: str | None) -> dict | None:
    return {"@type": "Place", "name": name} if name else None


def _provider(museum: Museum, links: Links, language: str) -> dict:
    """The holding museum: a Museum that is an Organization (schema.org's ``provider`` takes one)."""
    provider: dict = {"@type": ["Museum", "Organization"], "@id": links.museum_page(museum.code)}
    provider |= {"name": museum.name([language]), "url": museum.website or links.museum_page(museum.code)}
    address = {"addressLocality": museum.city, "addressCountry": museum.country}
    if any(address.values()):
        provider["address"] = {"@type": "PostalAddress", **{k: v for k, v in address.items() if v}}
    return provider
