"""The shared open-collections JSON Lines format (record_id, source_museum_code, raw, ...) -> records."""

import re

from catalogue.records.langmap import NO_LANGUAGE

SHARED_KEYS = {"record_id", "source_museum_code", "source_id"}
IMAGE_RIGHTS = {"not-CC0": "InC", "CC0-if-public-domain": "CC0", "CC0-1.0": "CC0"}
# The file is a third party's collection of museum data, and we republish the images we fetch (IIIF):
# so its image_url is taken only for openly licensed images. A museum naming its own images by URL
# (in our format) decides for itself.
OPEN_IMAGE_RIGHTS = {"CC0"}


def is_shared_record(data: dict) -> bool:
    return set(data) >= SHARED_KEYS


def museum_of(data: dict) -> dict:
    """Museum details the file gives: code, name and city from "Tate (London)"; no country."""
    name = data.get("source_museum") or data["source_museum_code"]
    match = re.match(r"^(.*?)\s*\(([^()]+)\)\s*$", name)
    title, city = (match.group(1), match.group(2)) if match else (name, None)
    return {
        "code": data["source_museum_code"],
        "names": {"en": [title]},
        "city": city,
        "country": data.get("source_museum_country"),
    }


def to_record(data: dict) -> dict:
    """Map one shared-format object onto our record fields (the schema validates it afterwards)."""
    language = data.get("language") or NO_LANGUAGE
    rights = data.get("rights") or {}
    image_rights = _licence(rights.get("image_rights"))
    description = data.get("description")
    return {
        "local_id": data.get("source_id"),
        "accession_number": data.get("accession_number"),
        "language": language,
        "title": {language: [data["title"]]} if data.get("title") else None,
        "other_titles": [
            {"title": t.get("title"), "type": t.get("type"), "lang": t.get("lang")}
            for t in data.get("other_titles") or []
            if t.get("title")
        ],
        "description": {language: [description]} if description else {},
        "makers": [_maker(m) for m in data.get("makers") or [] if m.get("name")],
        "date_display": data.get("date_display"),
        "date_begin": data.get("date_begin"),
        "date_end": data.get("date_end"),
        "object_type": data.get("object_type"),
        "classification": data.get("classification"),
        "medium": data.get("medium"),
        "materials": data.get("materials") or [],
        "technique": data.get("technique"),
        "dimensions": data.get("dimensions"),
        "culture": data.get("culture"),
        "period": data.get("period"),
        "dynasty": data.get("dynasty"),
        "place_of_origin": data.get("place_of_origin"),
        "place_depicted": data.get("place_depicted"),
        "country": data.get("country"),
        "inscription": data.get("inscription"),
        "credit_line": data.get("credit_line"),
        "department": data.get("department"),
        "rights": {
            "metadata_license": _licence(rights.get("metadata_license")),
            "image_rights": image_rights,
        },
        "source_url": data.get("source_url"),
        "image_url": data.get("image_url") if image_rights in OPEN_IMAGE_RIGHTS else None,
    }


def _maker(maker: dict) -> dict:
    return {
        "name": maker.get("name"),
        "name_sort": maker.get("name_sort"),
        "role": maker.get("role"),
        "display_dates": maker.get("dates"),
        "birth_year": maker.get("birth_year"),
        "death_year": maker.get("death_year"),
        "nationality": maker.get("nationality"),
    }


def _licence(value: str | None) -> str | None:
    if not value:
        return None
    if value in IMAGE_RIGHTS:
        return IMAGE_RIGHTS[value]
    return "CC0" if value.startswith("CC0") else value
