"""The search schema in one place: facets, the document builder and the Elasticsearch mapping.

A field name is written here once; both backends and the query builders read it from here.
"""

from dataclasses import dataclass

from catalogue import reference
from catalogue.models import Museum, ObjectRecord
from catalogue.text import clean_line, fold
from indexer.analysis import analyze


@dataclass(frozen=True)
class Facet:
    name: str  # the request parameter and the document field
    label: str  # shown to visitors (translated in templates)


FACETS = (
    Facet("museum", "Museum"),
    Facet("country", "Country"),
    Facet("region", "Region"),
    Facet("object_type", "Object type"),
    Facet("maker", "Maker"),
    Facet("material", "Material"),
    Facet("culture", "Culture / period"),
    Facet("rights", "Image rights"),
    Facet("has_image", "Has image"),
    Facet("masterpiece", "Masterpiece"),
)
FACET_NAMES = tuple(f.name for f in FACETS)
MAX_FACET_VALUES = 30
MAX_TEXT_PER_FIELD = 20_000


def _values(*texts, split: bool = True, lower: bool = False) -> list[str]:
    """Facet values: split lists written as "a; b", trimmed, de-duplicated in order."""
    out: list[str] = []
    for text in texts:
        if not text:
            continue
        parts = text.split(";") if split else [text]
        for part in parts:
            value = clean_line(part)[:200]
            if lower:
                value = value.lower()
            if value and value not in out:
                out.append(value)
    return out[:MAX_FACET_VALUES]


def _rights_access(uri: str | None) -> str:
    entry = reference.rights_statements().get(uri or "")
    return entry["access"] if entry else "restricted"


def _all_values(langmap: dict | None) -> list[str]:
    return [value for values in (langmap or {}).values() for value in values]


def build_document(record: ObjectRecord, museum: Museum) -> dict:
    """Record -> search document. Pure: the same record and museum always give the same document."""
    body = record.body
    titles = _all_values(body.get("title"))
    maker_names = [m["name"] for m in body.get("makers") or []]
    descriptions = [text[:MAX_TEXT_PER_FIELD] for text in _all_values(body.get("description"))]
    searchable = [
        *titles,
        *(t["title"] for t in body.get("other_titles") or []),
        *maker_names,
        record.local_id,
        body.get("accession_number"),
        body.get("date_display"),
        body.get("object_type"),
        body.get("classification"),
        body.get("medium"),
        *(body.get("materials") or []),
        body.get("culture"),
        body.get("period"),
        body.get("dynasty"),
        body.get("place_of_origin"),
        body.get("place_depicted"),
        *(body.get("subjects") or []),
        (body.get("inscription") or "")[:MAX_TEXT_PER_FIELD],
        *descriptions,
        *museum_names(museum),
    ]
    return {
        "id": record.id,
        "revision": record.revision,
        "museum": record.museum,
        "country": [museum.country] if museum.country else [],
        "region": [museum.region] if museum.region else [],
        "object_type": _values(body.get("object_type"), lower=True),
        "maker": _values(*maker_names, split=False),
        "material": _values(*(body.get("materials") or []), split=False, lower=True),
        "culture": _values(body.get("culture"), body.get("period"), body.get("dynasty")),
        "rights": _rights_access(body.get("rights", {}).get("image_rights")),
        "has_image": "true" if record.images else "false",
        "masterpiece": "true" if body.get("masterpiece") else "false",
        "date_begin": body.get("date_begin"),
        "date_end": body.get("date_end"),
        "title_sort": fold(titles[0])[:200] if titles else "",
        "title_text": analyze(*titles),
        "text": analyze(*(s for s in searchable if s)),
        "display": {
            "museum": record.museum,
            "country": museum.country,
            "local_id": record.local_id,
            "title": body.get("title") or {},
            "makers": maker_names[:10],
            "date": body.get("date_display"),
            "description": descriptions[:1],
            "medium": (body.get("medium") or "")[:500] or None,
            "thumbnail": record.images[0].id if record.images else None,
        },
    }


def museum_names(museum: Museum) -> list[str]:
    return _all_values(museum.names)


def elasticsearch_index_body(shards: int = 1, replicas: int = 0) -> dict:
    """Settings and mapping. Text fields use the built-in whitespace analyzer over our own tokens."""
    keyword: dict = {"type": "keyword"}
    text: dict = {"type": "text", "analyzer": "whitespace", "norms": True}
    properties: dict[str, dict] = dict.fromkeys(FACET_NAMES, keyword)
    properties.update(
        {
            "id": keyword,
            "revision": {"type": "long"},
            "date_begin": {"type": "integer"},
            "date_end": {"type": "integer"},
            "title_sort": keyword,
            "title_text": text,
            "text": text,
            "display": {"type": "object", "enabled": False},
        }
    )
    return {
        "settings": {
            "number_of_shards": shards,
            "number_of_replicas": replicas,
            "index": {"max_result_window": 10_000},
        },
        "mappings": {"dynamic": "strict", "properties": properties},
    }
