"""The search schema in one place: facets, the document builder and the Elasticsearch mapping.

A field name is written here once; both backends and the query builders read it from here.
"""

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from catalogue import concepts, reference
from catalogue.concepts import vocabulary
from catalogue.models import Museum, ObjectRecord
from catalogue.text import clean_line, fold
from indexer import makers as maker_rules
from indexer import periods as period_rules
from indexer.analysis import MAX_TEXT, analyze, tokens
from indexer.makers import reconcile
from indexer.romanize import romanized_tokens
from indexer.stemming import language_of, stem_text
from indexer.typos import eligible_words


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
    Facet("material", "Material / technique"),
    Facet("culture", "Culture / period"),
    Facet("rights", "Image rights"),
    Facet("has_image", "Has image"),
    Facet("masterpiece", "Masterpiece"),
    Facet("theme", "Theme"),  # slugs of the published curated themes holding the record
)
FACET_NAMES = tuple(f.name for f in FACETS)
MAX_FACET_VALUES = 30
MAPPING_VERSION = 7  # the Elasticsearch mapping's version; an index with another is rebuilt at start
MAX_TEXT_PER_FIELD = 20_000


def documents_digest() -> str:
    """A digest of the data documents are built from besides the code: the vocabulary, the makers'
    authority, the period gazetteer and whether each rights statement is open. An index built with
    other data is rebuilt at start, as one of another mapping version is: a release that names a
    maker in a new script, a concept in traditional Chinese or a period in Korean would otherwise
    find nothing by those names until every record changed or someone ran `catalogue reindex`. A
    rights statement's names are not in any document, so a new translation of them rebuilds nothing."""
    digest = hashlib.sha256()
    for path in (concepts.PATH, maker_rules.AUTHORITY_FILE, reference.PERIODS_FILE):
        digest.update(path.read_bytes())
    access = sorted((uri, entry["access"]) for uri, entry in reference.rights_statements().items())
    digest.update(repr(access).encode())
    return digest.hexdigest()[:16]


DOCUMENTS_DIGEST = documents_digest()
LEADING_MARKS = re.compile(r"^[\W_]+")  # what opens a title before its first letter or digit


def facet_values(*texts, split: bool = True, lower: bool = False) -> list[str]:
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


def culture_values(text: str | None) -> list[str]:
    """The culture facet's values of a record's culture: a list written "a; b" or "a, b" ("Japanese,
    Edo period", "Tlatilco, Olmec"), so that a culture the authority knows is one value its records
    share, and found by its name in every language (japonais, 日本)."""
    return facet_values(text.replace(",", ";") if text else None)


def _period_values(body: dict, own_cultures: list[str]) -> list[str]:
    """The values that may name a gazetteer period: the period's and dynasty's, and the record's
    cultures (``culture_values``) that are no culture the authority knows ("Edo period" of
    "Japanese, Edo period"). A culture it knows is that culture: "Georgian" is Georgia's, not the
    British Georgian era."""
    cultures = (value for value in own_cultures if not maker_rules.culture_label(value))
    return facet_values(body.get("period"), body.get("dynasty"), *cultures)


def _all_values(langmap: dict | None) -> list[str]:
    return [value for values in (langmap or {}).values() for value in values]


def build_document(record: ObjectRecord, museum: Museum, themes: Sequence[str] = ()) -> dict:
    """Record -> search document. Pure: the same record, museum and themes (the slugs of the
    published themes that hold the record) always give the same document."""
    body = record.body
    titles = _all_values(body.get("title"))
    makers = [(m, reconcile(m)) for m in body.get("makers") or []]
    maker_names = [m["name"] for m, _ in makers]
    descriptions = [text[:MAX_TEXT_PER_FIELD] for text in _all_values(body.get("description"))]
    object_types, unmapped_types = vocabulary().map_value(body.get("object_type"), "object_type")
    materials = _materials(body)
    own_cultures = culture_values(body.get("culture"))
    cultures = facet_values(
        *own_cultures,
        body.get("period"),
        body.get("dynasty"),
        *(m.value for _, m in makers if m.kind == "culture"),
    )
    # each name once, though a record may name its period twice ("Edo", and "Japanese, Edo period"):
    # a name counted twice would rank such a record above another of the same period
    periods = _period_values(body, own_cultures)
    period_names = dict.fromkeys(name for period in periods for name in period_rules.period_names(period))
    searchable = [
        *titles,
        *(t["title"] for t in body.get("other_titles") or []),
        *maker_names,
        *(alias for _, maker in makers for alias in maker.aliases),
        record.local_id,
        body.get("accession_number"),
        body.get("date_display"),
        body.get("object_type"),
        body.get("classification"),
        body.get("medium"),
        *(body.get("materials") or []),
        body.get("technique"),
        body.get("culture"),
        *(name for culture in cultures for name in maker_rules.culture_names(culture)),
        *period_names,
        body.get("period"),
        body.get("dynasty"),
        body.get("place_of_origin"),
        body.get("place_depicted"),
        *(body.get("subjects") or []),
        (body.get("inscription") or "")[:MAX_TEXT_PER_FIELD],
        *descriptions,
        *museum_names(museum),
    ]
    present = [s for s in searchable if s]
    whole = _analysed_whole(present)
    title_text = analyze(*titles)
    text = _analyzed(present, whole, title_text, sum(1 for title in titles if title))
    words = list(dict.fromkeys(text.split()))  # each word once: stems and the word list need no counts
    by_language = _texts_by_language(body, present)
    return {
        "id": record.id,
        "revision": record.revision,
        "museum": record.museum,
        "country": [museum.country] if museum.country else [],
        "region": [museum.region] if museum.region else [],
        "object_type": facet_values(*object_types, *unmapped_types, split=False, lower=True),
        "maker": facet_values(*(m.value for _, m in makers if m.kind != "culture"), split=False),
        "material": facet_values(*materials, split=False, lower=True),
        "culture": cultures,
        "rights": reference.rights_access(body.get("rights", {}).get("image_rights")),
        "has_image": "true" if record.images else "false",
        "masterpiece": "true" if body.get("masterpiece") else "false",
        "theme": sorted(set(themes)),
        "date_begin": body.get("date_begin"),
        "date_end": body.get("date_end"),
        "date_span": date_span(body.get("date_begin"), body.get("date_end")),
        "title_sort": title_sort_key(titles[0]) if titles else "",
        "title_text": title_text,
        "text": text,
        "stems": _stems(by_language, words),
        "concepts": " ".join(_concept_tokens(body, object_types, materials)),
        "roman": " ".join(_romanized(by_language, text, whole)),
        "words": eligible_words(words),  # the same test the embedded word list passes
        "display": {
            "museum": record.museum,
            "country": museum.country,
            "local_id": record.local_id,
            "title": body.get("title") or {},
            "makers": maker_names[:10],
            "date": body.get("date_display"),
            "years": [body.get("date_begin"), body.get("date_end")],  # for cards when there is no display date
            "description": descriptions[:1],
            "medium": (body.get("medium") or "")[:500] or None,
            "thumbnail": record.images[0].id if record.images else None,
        },
    }


def _analyzed(present: list[str], whole: bool, title_text: str, titles: int) -> str:
    """``analyze(*present)``, with the tokens of the titles that lead ``present`` reused: texts
    joined by a space fold and split as they do apart, unless the whole is cut at MAX_TEXT
    (``whole``: `_analysed_whole` of ``present``)."""
    if not whole:
        return analyze(*present)
    return " ".join(filter(None, (title_text, analyze(*present[titles:]))))


def _analysed_whole(texts: list[str]) -> bool:
    """Whether ``analyze(*texts)`` reads every character (it cuts the joined text at MAX_TEXT)."""
    return sum(map(len, texts)) + len(texts) < MAX_TEXT


def _materials(body: dict) -> list[str]:
    """Material facet values: each listed material's concepts, materials or techniques (the list is
    read from the medium when a museum gives none: "etching on paper"), or the value itself when
    the vocabulary does not know it."""
    values: list[str] = []
    for material in body.get("materials") or []:
        ids, unmapped = vocabulary().map_value(material, "material", "technique")
        values += ids + unmapped
    return values


def _concept_tokens(body: dict, object_types: list[str], materials: list[str]) -> list[str]:
    """Every concept the record's type, classification, materials, medium and technique name."""
    known = vocabulary()
    ids = [*object_types, *materials]
    ids += known.find_in(body.get("classification") or "", "object_type")
    for field in ("medium", "technique"):
        ids += known.find_in(body.get(field) or "", "material", "technique")
    tokens = (known.concepts[i].token for i in ids if i in known.concepts)
    return list(dict.fromkeys(tokens))


def _texts_by_language(body: dict, searchable: list[str]) -> dict[str | None, list[str]]:
    """The searchable texts grouped by language: language maps say it per value; everything else is
    in the record's language."""
    record_language = body.get("language")
    tags = {tag for name in ("title", "description") for tag in body.get(name) or {}}
    if tags <= {record_language}:  # most records: one language throughout
        return {record_language: searchable}
    grouped: dict[str | None, list[str]] = {}
    tagged: set[str] = set()
    for name in ("title", "description"):
        for language, values in (body.get(name) or {}).items():
            for value in values:
                grouped.setdefault(language, []).append(value[:MAX_TEXT_PER_FIELD])
                tagged.add(value)
    for text in searchable:
        if text not in tagged:
            grouped.setdefault(record_language, []).append(text)
    return grouped


def _stems(by_language: dict[str | None, list[str]], words: list[str]) -> str:
    """Stems of every text in its language; a record in one language (most) reuses its tokens."""
    languages = {language_of(tag) for tag in by_language}
    if len(languages) == 1:
        return stem_text(words, languages.pop())
    grouped = ((language, dict.fromkeys(tokens(" ".join(texts)))) for language, texts in by_language.items())
    return " ".join(stem_text(list(unique), language) for language, unique in grouped)


def _romanized(by_language: dict[str | None, list[str]], analyzed: str, whole: bool) -> list[str]:
    """Romanized forms of the record's CJK. Han, kana and hangul survive analysis as tokens, so
    ASCII tokens from the whole text (``whole``: not cut at MAX_TEXT) mean there is nothing to read."""
    if analyzed.isascii() and whole:
        return []
    found: list[str] = []
    for language, texts in by_language.items():
        found += romanized_tokens(" ".join(texts), language)
    return list(dict.fromkeys(found))


def title_sort_key(title: str) -> str:
    """The folded title, from its first letter or digit: quotes, brackets and other marks that
    open a title ('"Malqata..."', "(1) Hollenburg", "'s-Lands...") do not sort it before the rest."""
    folded = fold(title)
    return (LEADING_MARKS.sub("", folded) or folded)[:200]


def date_span(begin, end) -> dict | None:
    """The record's years as one range, which Elasticsearch's histogram counts in every century it
    overlaps: the records each century's date range finds. Only a record with both years, in order,
    is found by a date range (and Elasticsearch refuses a range that ends before it begins); a year
    that is not a number (an old record's) is left to the engine to refuse as `date_begin`."""
    if not (type(begin) is int and type(end) is int and begin <= end):
        return None
    return {"gte": begin, "lte": end}


def museum_names(museum: Museum) -> list[str]:
    return _all_values(museum.names)


def elasticsearch_index_body(shards: int = 1, replicas: int = 0) -> dict:
    """Settings and mapping. Text fields use the built-in whitespace analyzer over our own tokens."""
    keyword: dict = {"type": "keyword"}
    text: dict = {"type": "text", "analyzer": "whitespace", "norms": True}
    # matched for their tier weight only (constant scores): no norms, no positions
    tokens_only: dict = {"type": "text", "analyzer": "whitespace", "norms": False, "index_options": "docs"}
    properties: dict[str, dict] = dict.fromkeys(FACET_NAMES, keyword)
    properties.update(
        {
            "id": keyword,
            "revision": {"type": "long"},
            "date_begin": {"type": "integer"},
            "date_end": {"type": "integer"},
            "date_span": {"type": "integer_range"},  # the century histogram's: counted in each century it overlaps
            "title_sort": keyword,
            "title_text": text,
            "text": text,
            "stems": tokens_only,
            "concepts": tokens_only,
            "roman": {"type": "text", "analyzer": "whitespace", "norms": False},  # phrases: "hong do"
            "words": {"type": "keyword", "index": False},  # the index's word list (aggregated, not searched)
            "display": {"type": "object", "enabled": False},
        }
    )
    return {
        "settings": {
            "number_of_shards": shards,
            "number_of_replicas": replicas,
            "index": {"max_result_window": 10_000},
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": {"version": MAPPING_VERSION, "documents": DOCUMENTS_DIGEST},
            "properties": properties,
        },
    }
