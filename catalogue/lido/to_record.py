"""One lido:lido element as the record ``load_record`` takes (the mapping in catalogue/lido/__init__.py).

The elements a field took are noted while reading, so that the ones no field took can be listed in
``source_record`` (which keeps the whole element as received)."""

import re
from dataclasses import dataclass, field
from functools import cache

from lxml import etree

from catalogue import reference
from catalogue.lido import values
from catalogue.lido.language import Languages
from catalogue.lido.names import LIDO_NS, SKOS_NS, lido
from catalogue.lido.source import source_record
from catalogue.messages import N_, Message
from catalogue.records.langmap import NO_LANGUAGE
from catalogue.records.schema import MAX_IMAGE_SOURCES

DM, AM = "descriptiveMetadata", "administrativeMetadata"
IDENTIFICATION = f"{DM}/objectIdentificationWrap"
RDF_ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"
CONCEPT, PREF_LABEL, ALT_LABEL = (f"{{{SKOS_NS}}}{name}" for name in ("Concept", "prefLabel", "altLabel"))
ALTERNATE = {"alternate", "alternative", "lido00170"}
NOT_SPECIFIED = "not specified"
COUNTRY_ID_TYPE = "iso 3166-1 alpha-2"
SOURCE_RECORD, LIDO_RECORD = "source record", "lido record"  # recordInfoSet types: the museum's page, the LIDO record's
LIMITS = {"makers": 100, "other_titles": 100, "materials": 50, "subjects": 200, "images": MAX_IMAGE_SOURCES}
MAX_ALT_TEXT = 2000  # the schema refuses longer alt text; the whole text stays in source_record
UNKNOWN_RIGHTS = N_(
    "Not a rights statement the catalogue knows (a Creative Commons or RightsStatements.org URI); "
    "the record has no rights here, and the statement stays in source_record."
)


@dataclass
class Mapped:
    """A record read from LIDO: the input for ``load_record``, or why there is none."""

    local_id: str | None
    data: dict | None
    error: str | None = None
    error_field: str | None = None
    warnings: list[dict] = field(default_factory=list)


@cache
def _xpath(path: str) -> etree.XPath:
    """ "titleWrap/titleSet" -> a compiled XPath for those LIDO elements (3 times faster than findall)."""
    return etree.XPath("/".join(f"lido:{part}" for part in path.split("/")), namespaces={"lido": LIDO_NS})


def text_of(element) -> str:
    if len(element) == 0:  # most values: no child elements, no comments
        return (element.text or "").strip()
    return "".join(element.itertext()).strip()


def is_alternate(element) -> bool:
    return values.type_word(element.get(lido("pref"))) in ALTERNATE


class Reading:
    """Reading one record: finds its elements, notes those a field took, picks labels by language."""

    def __init__(self, record) -> None:
        self.record = record
        self.taken: set = set()
        self.warnings: list[dict] = []
        self.languages = Languages(record, self.warnings)
        self.language = self.languages.record_language

    def all(self, path: str, base=None) -> list:
        return _xpath(path)(self.record if base is None else base)

    def first(self, path: str, base=None):
        return next((found for found in self.all(path, base) if text_of(found)), None)

    def take(self, element) -> str:
        self.taken.add(element)
        return text_of(element)

    def take_first(self, path: str, base=None) -> str | None:
        found = self.first(path, base)
        return None if found is None else self.take(found)

    def lang(self, element) -> str:
        return self.languages.of(element)

    def best(self, candidates: list):
        """The one value to keep where a field holds one: preferred over alternate values and added
        search terms, in the record's language over others, else the first."""
        if len(candidates) < 2:
            return candidates[0] if candidates else None

        def rank(element):
            secondary = is_alternate(element) or element.get(lido("addedSearchTerm")) == "yes"
            return (secondary, self.lang(element) != self.language)

        return min(candidates, key=rank)

    def best_text(self, path: str, base=None) -> str | None:
        chosen = self.best([found for found in self.all(path, base) if text_of(found)])
        return None if chosen is None else self.take(chosen)

    def label(self, concept) -> str | None:
        """A concept's label: lido:term (LIDO 1.0) or skos:Concept/skos:prefLabel (1.1)."""
        labels = concept.findall(lido("term")) + concept.findall(f"{CONCEPT}/{PREF_LABEL}")
        chosen = self.best([label for label in labels if text_of(label)])
        return None if chosen is None else self.take(chosen)

    def first_label(self, path: str, base=None) -> str | None:
        return next((text for text in map(self.label, self.all(path, base)) if text), None)

    def language_map(self, elements) -> dict:
        result: dict[str, list[str]] = {}
        for element in elements:
            if text_of(element):
                result.setdefault(self.lang(element), []).append(self.take(element))
        return result

    def capped(self, name: str, items: list) -> list:
        limit = LIMITS[name]
        if len(items) > limit:
            reason = N_("The LIDO record has %(count)s; the first %(limit)s were kept (all stay in source_record).")
            self.warnings.append(
                {"field": name, "value": len(items), "reason": Message(reason, count=len(items), limit=limit)}
            )
        return items[:limit]


def to_record(record) -> Mapped:
    """The record a lido:lido element holds, or why it holds none that can be imported."""
    reading = Reading(record)
    recid = reading.take_first("lidoRecID")
    if not recid:
        return Mapped(None, None, "No lidoRecID: a LIDO record needs one (it becomes the local id).", "local_id")
    data: dict = {"local_id": recid, "language": reading.language, **_titles(reading)}
    if not data["title"]:
        message = "No title in any language (descriptiveMetadata/objectIdentificationWrap/titleWrap/titleSet)."
        return Mapped(recid, None, message, "title", reading.warnings)
    for part in (_identification, _classification, _production, _subjects, _administration):
        data.update(part(reading))
    data = {name: value for name, value in data.items() if value not in (None, "", [], {})}
    kept = source_record(record, reading.taken, reading.warnings)
    if kept:
        data["source_record"] = kept
    return Mapped(recid, data, warnings=reading.warnings)


def _titles(reading: Reading) -> dict:
    """Each descriptiveMetadata's first titleSet with a value gives the title (a value per language);
    the other titleSets are other titles (their lido:type the type)."""
    title: dict[str, list[str]] = {}
    others = []
    for metadata in reading.all(DM):
        first = True
        for title_set in reading.all("objectIdentificationWrap/titleWrap/titleSet", metadata):
            names = [name for name in title_set.findall(lido("appellationValue")) if text_of(name)]
            if first and names:
                for lang, texts in reading.language_map(names).items():
                    title.setdefault(lang, []).extend(texts)
                first = False
                continue
            kind = title_set.get(lido("type"))
            for name in names:
                others.append({"title": reading.take(name), "type": kind, "lang": _other_title_language(reading, name)})
    return {"title": title, "other_titles": reading.capped("other_titles", others)}


def _other_title_language(reading: Reading, name) -> str | None:
    """An other title's language; None for none ("und"), as other titles without one have it."""
    lang = reading.lang(name)
    return None if lang == NO_LANGUAGE else lang


def _identification(reading: Reading) -> dict:
    notes = reading.all(f"{IDENTIFICATION}/objectDescriptionWrap/objectDescriptionSet/descriptiveNoteValue")
    inscriptions = reading.all(f"{IDENTIFICATION}/inscriptionsWrap/inscriptions/inscriptionTranscription")
    return {
        "accession_number": reading.take_first(f"{IDENTIFICATION}/repositoryWrap/repositorySet/workID"),
        "description": reading.language_map(notes),
        "inscription": "\n".join(reading.take(found) for found in inscriptions if text_of(found)),
        "dimensions": "; ".join(filter(None, (_measured(reading, each) for each in _measurement_sets(reading)))),
    }


def _measurement_sets(reading: Reading) -> list:
    return reading.all(f"{IDENTIFICATION}/objectMeasurementsWrap/objectMeasurementsSet")


def _measured(reading: Reading, measurements) -> str | None:
    """A measured part as text: as displayed, else from its measurements ("height 106 cm; ..."), in
    English axis names the dimension parser reads."""
    shown = reading.best_text("displayObjectMeasurements", measurements)
    if shown:
        return shown
    parts = []
    for each in reading.all("objectMeasurements/measurementsSet", measurements):
        value = reading.take_first("measurementValue", each)
        if value:
            kind = values.axis(_measurement_word(reading, each, "measurementType"))
            unit = values.unit(_measurement_word(reading, each, "measurementUnit"))
            parts.append(" ".join(part for part in (kind, value, unit) if part))
    return "; ".join(parts) or None


def _measurement_word(reading: Reading, measurement, name: str) -> str | None:
    """measurementType/Unit: text in LIDO 1.0, a skos:Concept in 1.1 (a unit's altLabel is its symbol)."""
    element = measurement.find(lido(name))
    if element is None:
        return None
    concept = element.find(CONCEPT)
    if concept is None:
        return reading.take(element) or None
    symbol = concept.find(ALT_LABEL)
    if name == "measurementUnit" and symbol is not None and text_of(symbol):
        reading.taken.add(element)  # the whole unit concept: its symbol says it
        return text_of(symbol)
    return reading.label(element)


def _classification(reading: Reading) -> dict:
    wrap = f"{DM}/objectClassificationWrap"
    object_type = reading.first_label(f"{wrap}/objectWorkTypeWrap/objectWorkType")
    return {
        # objectWorkType is required: a record without a type says "not specified", which is none
        "object_type": None if (object_type or "").lower() == NOT_SPECIFIED else object_type,
        "classification": reading.first_label(f"{wrap}/classificationWrap/classification"),
    }


def _production_event(reading: Reading):
    for event in reading.all(f"{DM}/eventWrap/eventSet/event"):
        kind = event.find(lido("eventType"))
        if kind is not None and values.is_production(_concept_words(kind)):
            reading.taken.add(kind)
            return event
    return None


def _concept_words(concept) -> list[str]:
    """What names a concept: its ids (conceptID, skos:Concept/@rdf:about) and labels."""
    words = [text_of(found) for found in concept.iter(lido("conceptID"), lido("term"), PREF_LABEL)]
    words += [found.get(RDF_ABOUT, "") for found in concept.iter(CONCEPT)]
    return [word for word in words if word]


def _production(reading: Reading) -> dict:
    event = _production_event(reading)
    if event is None:
        return _materials(reading, None)
    periods: dict[str, str | None] = {"period": None, "dynasty": None}
    for period in reading.all("periodName", event):
        slot = "dynasty" if values.type_word(period.get(lido("type"))) == "dynasty" else "period"
        periods[slot] = periods[slot] or reading.label(period)
    makers = [_maker(reading, actor) for actor in reading.all("eventActor", event)]
    return {
        "makers": reading.capped("makers", [maker for maker in makers if maker]),
        "date_display": reading.best_text("eventDate/displayDate", event),
        "date_begin": _year(reading, "eventDate/date/earliestDate", event),
        "date_end": _year(reading, "eventDate/date/latestDate", event),
        "place_of_origin": _place_of_origin(reading, event),
        "country": _countries(reading, event),
        "culture": reading.first_label("culture", event),
        **periods,
        **_materials(reading, event),
    }


def _year(reading: Reading, path: str, base) -> int | None:
    """A year from an ISO 8601 date; other text ("ca. 1500") is left for the schema to read from
    the display date."""
    found = reading.first(path, base)
    year = values.year(text_of(found)) if found is not None else None
    if year is not None:
        reading.taken.add(found)
    return year


def _maker(reading: Reading, event_actor) -> dict | None:
    """A maker: the preferred name (a second, lido:pref="alternate", sorts), role, life years and
    nationality; or, without a structured name, the name as displayed."""
    actor = next(iter(_xpath("actorInRole/actor")(event_actor)), None)
    if actor is None:
        names = []
    else:
        names = [name for name in reading.all("nameActorSet/appellationValue", actor) if text_of(name)]
    preferred = reading.best([name for name in names if not is_alternate(name)])
    if actor is None or preferred is None:
        shown = reading.best_text("displayActorInRole", event_actor)
        return {"name": shown} if shown else None
    sort_name = next((name for name in names if is_alternate(name)), None)
    name = reading.take(preferred)
    return {
        "name": name,
        "name_sort": reading.take(sort_name) if sort_name is not None else None,
        "display_dates": _display_dates(reading, event_actor, name),
        "role": reading.first_label("actorInRole/roleActor", event_actor),
        "birth_year": _year(reading, "vitalDatesActor/earliestDate", actor),
        "death_year": _year(reading, "vitalDatesActor/latestDate", actor),
        "nationality": reading.first_label("nationalityActor", actor),
    }


def _display_dates(reading: Reading, event_actor, name: str) -> str | None:
    """The dates of "Name (dates)" in displayActorInRole, where Name is the maker's name."""
    for shown in reading.all("displayActorInRole", event_actor):
        text = text_of(shown)
        if text.startswith(f"{name} (") and text.endswith(")"):
            return reading.take(shown)[len(name) + 2 : -1].strip() or None
    return None


def _place_of_origin(reading: Reading, event) -> str | None:
    """The first place of the event that is not a country (those are ``country``)."""
    for place in reading.all("eventPlace", event):
        if any(_is_country_id(each) for each in reading.all("place/placeID", place)):
            continue
        name = reading.best_text("place/namePlaceSet/appellationValue", place)
        name = name or reading.best_text("displayPlace", place)
        if name:
            return name
    return None


def _is_country_id(place_id) -> bool:
    return (place_id.get(lido("type")) or "").strip().lower() == COUNTRY_ID_TYPE and bool(text_of(place_id))


def _countries(reading: Reading, event) -> list[str]:
    """ISO codes from placeIDs typed "ISO 3166-1 alpha-2" (the country's names say the same)."""
    codes = []
    for place_id in filter(_is_country_id, reading.all("eventPlace/place/placeID", event)):
        codes.append(reading.take(place_id))
        reading.taken.update(reading.all("namePlaceSet", place_id.getparent()))
    return codes


def _materials(reading: Reading, event) -> dict:
    """Medium, materials and technique of the production event, else (LIDO 1.1) of the object's
    objectMaterialsTechWrap."""
    sources = reading.all("eventMaterialsTech", event) if event is not None else []
    if not sources:
        sources = reading.all(f"{IDENTIFICATION}/objectMaterialsTechWrap/objectMaterialsTechSet")
    medium = next(filter(None, (reading.best_text("displayMaterialsTech", source) for source in sources)), None)
    found: dict[str, list[str]] = {"material": [], "technique": []}
    for source in sources:
        for term in reading.all("materialsTech/termMaterialsTech", source):
            kind = values.materials_kind(term.get(lido("type")) or term.get("type"))
            label = reading.label(term) if kind else None
            if kind and label and label not in found[kind]:
                found[kind].append(label)
    return {
        "medium": medium,
        "materials": reading.capped("materials", found["material"]),
        "technique": "; ".join(found["technique"]) or None,
    }


def _subjects(reading: Reading) -> dict:
    subject = f"{DM}/objectRelationWrap/subjectWrap/subjectSet/subject"
    concepts = [reading.label(concept) for concept in reading.all(f"{subject}/subjectConcept")]
    depicted = reading.best_text(f"{subject}/subjectPlace/displayPlace")
    depicted = depicted or reading.best_text(f"{subject}/subjectPlace/place/namePlaceSet/appellationValue")
    unique = list(dict.fromkeys(text for text in concepts if text))
    return {"subjects": reading.capped("subjects", unique), "place_depicted": depicted}


def _administration(reading: Reading) -> dict:
    resource_sets = reading.all(f"{AM}/resourceWrap/resourceSet")
    image_rights = [each for resource in resource_sets for each in reading.all("rightsResource/rightsType", resource)]
    rights = {
        "metadata_license": _rights(
            reading, reading.all(f"{AM}/recordWrap/recordRights/rightsType"), "metadata_license"
        ),
        "image_rights": _rights(reading, image_rights, "image_rights"),
    }
    return {
        "credit_line": reading.take_first(f"{AM}/rightsWorkWrap/rightsWorkSet/creditLine"),
        "department": reading.take_first(f"{AM}/recordWrap/collection/displayObject"),
        "rights": {name: uri for name, uri in rights.items() if uri},
        "source_url": _source_url(reading),
        "images": _images(reading, resource_sets),
    }


def _source_url(reading: Reading) -> str | None:
    """The museum's web page of the object: a "source record" link first, never the "lido record"
    (the page of the LIDO record itself, such as an aggregator's)."""
    info_sets = reading.all(f"{AM}/recordWrap/recordInfoSet")
    ranked = sorted(info_sets, key=lambda each: (each.get(lido("type")) or "").lower() != SOURCE_RECORD)
    for info_set in ranked:
        if (info_set.get(lido("type")) or "").lower() == LIDO_RECORD:
            continue
        for link in reading.all("recordInfoLink", info_set):
            if re.match(r"https?://", text_of(link), re.I):
                return reading.take(link)
    return None


def _rights(reading: Reading, rights_types: list, name: str) -> str | None:
    """The first rights statement a URI names that our rights field knows; other rights (a text,
    an unknown URI) are not lost: they stay in source_record, and a warning says the record has no
    rights here, as an import of any other format says of a rights statement it does not know (a
    manifest without ``rights`` would otherwise read as a record whose museum stated none)."""
    for rights_type in rights_types:
        for word in _concept_words(rights_type):
            uri = reference.rights_uri(values.rights_uri_form(word)) if word.lower().startswith("http") else None
            if uri:
                reading.taken.add(rights_type)
                return uri
    stated = [word for rights_type in rights_types for word in _concept_words(rights_type) if word.strip()]
    if stated:
        shown = next((word for word in stated if word.lower().startswith("http")), stated[0])
        reading.warnings.append(
            {"field": f"rights.{name}", "value": " ".join(shown.split())[:200], "reason": UNKNOWN_RIGHTS}
        )
    return None


def _images(reading: Reading, resource_sets: list) -> list[dict]:
    ordered = sorted(resource_sets, key=lambda each: values.sort_order(each.get(lido("sortorder"))))
    images: list[dict] = []
    for resource_set in ordered:
        link = _image_link(resource_set)
        if link is None or any(image["url"] == text_of(link) for image in images):
            continue
        notes = [note for note in resource_set.findall(lido("resourceDescription")) if text_of(note)]
        alt = {lang: [text[:MAX_ALT_TEXT] for text in texts] for lang, texts in reading.language_map(notes).items()}
        images.append({"url": reading.take(link), "alt": alt})
    return reading.capped("images", images)


def _image_link(resource_set):
    """The largest image among a resource's representations (the provided image over a thumbnail)."""
    candidates = []
    for representation in resource_set.findall(lido("resourceRepresentation")):
        link = representation.find(lido("linkResource"))
        if link is not None and values.is_image(text_of(link), link.get(lido("formatResource"))):
            candidates.append((values.representation_rank(representation.get(lido("type"))), link))
    return min(candidates, key=lambda pair: pair[0])[1] if candidates else None
