"""A record as simple Dublin Core (``oai_dc``), the one format every OAI-PMH harvester reads.

Dublin Core has fifteen flat elements, so this is a lossy summary; LIDO carries the full record.
Mapping (our field -> dc element)::

    title, other_titles                      title (xml:lang from the language map or the title's lang)
    makers                                   creator (the maker's name)
    date_display, else date_begin/date_end   date ("1830", "1830/1832"; BCE years negative)
    description                              description (xml:lang)
    object_type                              type, after the DCMI type "PhysicalObject"
    classification, subjects                 subject
    medium, dimensions                       format
    culture, period, dynasty,
    place_of_origin, place_depicted          coverage
    the museum's name                        publisher
    the object page, accession_number        identifier
    source_url, the IIIF manifest            relation
    rights (metadata licence, image rights)  rights
"""

from lxml import etree

from catalogue.harvest.elements import DC_NS, OAI_DC_NS, OAI_DC_SCHEMA, SCHEMA_LOCATION, XML_LANG, XSI_NS, sub
from catalogue.models import Museum, ObjectRecord
from catalogue.records.langmap import NO_LANGUAGE
from iiif.presentation import Links

NSMAP = {"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}
DCMI_PHYSICAL_OBJECT = "PhysicalObject"


def dublin_core(record: ObjectRecord, museum: Museum, base_url: str) -> etree._Element:
    """The <oai_dc:dc> element of a published record."""
    body, links = record.body, Links(base_url)
    root = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap=NSMAP)
    root.set(SCHEMA_LOCATION, f"{OAI_DC_NS} {OAI_DC_SCHEMA}")
    for value, language in _language_map(body.get("title")):
        _dc(root, "title", value, language)
    for other in body.get("other_titles") or []:
        _dc(root, "title", other.get("title"), other.get("lang"))
    for maker in body.get("makers") or []:
        _dc(root, "creator", maker.get("name"))
    _dc(root, "date", _date(body))
    for value, language in _language_map(body.get("description")):
        _dc(root, "description", value, language)
    _dc_all(root, "type", [DCMI_PHYSICAL_OBJECT, body.get("object_type")])
    _dc_all(root, "subject", [body.get("classification"), *(body.get("subjects") or [])])
    _dc_all(root, "format", [body.get("medium"), (body.get("dimensions") or {}).get("text")])
    _dc_all(root, "coverage", [body.get(name) for name in ("culture", "period", "dynasty", "place_of_origin")])
    _dc(root, "coverage", body.get("place_depicted"))
    _dc(root, "publisher", museum.name())
    _dc_all(root, "identifier", [links.object_page(record.id), body.get("accession_number")])
    _dc_all(root, "relation", [body.get("source_url"), links.manifest(record.id) if record.images else None])
    _dc_all(root, "rights", list((body.get("rights") or {}).values()))
    return root


def _dc_all(parent: etree._Element, name: str, values: list) -> None:
    for value in values:
        _dc(parent, name, value)


def _dc(parent: etree._Element, name: str, value, language: str | None = None) -> None:
    """One dc element, unless the value is empty."""
    if value is None or not str(value).strip():
        return
    element = sub(parent, f"{{{DC_NS}}}{name}", value)
    if language and language != NO_LANGUAGE:
        element.set(XML_LANG, language)


def _language_map(langmap) -> list[tuple[str, str]]:
    """(value, language tag) for every value of a language map ({"en": ["Wave"], "ja": [...]})."""
    return [(value, tag) for tag, values in (langmap or {}).items() for value in values or []]


def _date(body: dict) -> str | None:
    """The museum's own words for the date, else the years as an ISO 8601 interval."""
    if body.get("date_display"):
        return body["date_display"]
    begin, end = body.get("date_begin"), body.get("date_end")
    if begin is None:
        return None
    return str(begin) if end in (None, begin) else f"{begin}/{end}"
