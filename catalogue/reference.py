"""Reference vocabularies kept as data files: countries, ASEM partners, rights statements, periods.

They are data, not code, because they change without a release (the partnership grows, museums
ask for new period names).
"""

import json
from functools import cache
from pathlib import Path

from catalogue.text import fold

DATA_DIR = Path(__file__).parent / "data"
PERIODS_FILE = DATA_DIR / "periods.json"


def _load(name: str):
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return json.load(handle)


@cache
def countries() -> dict:
    """ISO 3166-1 alpha-2 code -> {"code", "name", "region", "aliases"}."""
    return {entry["code"]: entry for entry in _load("countries.json")}


@cache
def _country_lookup() -> dict:
    lookup = {}
    for code, entry in countries().items():
        for name in [code, entry["name"], *entry["aliases"]]:
            lookup[fold(name)] = code
    return lookup


def country_code(value: str) -> str | None:
    """The ISO code for a code, an English name or a vernacular alias ("Nihon" -> "JP")."""
    return _country_lookup().get(fold(value.strip()))


@cache
def asem_partners() -> frozenset:
    return frozenset(_load("asem_partners.json")["partners"])


def is_asem_partner(code: str | None) -> bool:
    return code in asem_partners()


def region_of(code: str | None) -> str | None:
    """The region of a country: ``asia`` or ``europe`` for the partners (ASEM's groups), else a continent."""
    entry = countries().get(code or "")
    return entry["region"] if entry else None


@cache
def rights_statements() -> dict:
    """Rights URI -> {"uri", "label", "access", "aliases", and "labels" by language where it has them}."""
    return {entry["uri"]: entry for entry in _load("rights.json")["statements"]}


def rights_access(uri: str | None) -> str:
    """``open`` for a statement that lets anyone reuse the image (public domain, CC0, CC BY...),
    ``restricted`` for any other, and for no statement or one the list does not know: the museum
    has not said that it may be reused."""
    entry = rights_statements().get(uri or "")
    return entry["access"] if entry else "restricted"


def open_for_reuse(image_rights: str | None) -> bool:
    """The reuse rule, in one place: only images open for reuse are offered for download and have
    their original file served to anyone; the others are seen through their IIIF derivatives. The
    object page, the original's route, every export and the ``rights`` search facet ask this."""
    return rights_access(image_rights) == "open"


@cache
def _rights_lookup() -> dict:
    lookup = {}
    for uri, entry in rights_statements().items():
        names = [entry["label"], *entry.get("labels", {}).values(), *entry["aliases"]]
        for name in [uri, uri.replace("http://", "https://"), uri.rstrip("/"), *names]:
            lookup[fold(name)] = uri
            lookup[fold(name.replace("http://", "https://"))] = uri
    return lookup


def rights_uri(value: str) -> str | None:
    """The controlled URI for a rights URI, label or alias in any language ("CC0" -> the CC0 1.0 URI,
    "Urheberrechtsschutz" -> In Copyright's): a German museum's file names them in German."""
    return _rights_lookup().get(fold(value.strip()))


def rights_label(uri: str, language: str) -> str:
    """A rights statement's name for a reader of ``language``, else its English name; a URI that is
    not in the controlled list is its own name (records saved before the list knew it)."""
    entry = rights_statements().get(uri)
    if entry is None:
        return uri
    return entry.get("labels", {}).get(language, entry["label"])


@cache
def gazetteer() -> list[dict]:
    """The period gazetteer's entries: {"name", "begin", "end", "country", "aliases", and "labels" by
    language and search-only "variants" where it has them}."""
    return _load(PERIODS_FILE.name)["periods"]


@cache
def periods() -> list:
    """Named periods with folded names and aliases, longest name first (so "Northern Song" beats "Song"),
    to date text by. Labels and variants are not among them: they name a period in other languages
    and scripts for search, and a variant such as 清 or 明 is an ordinary word in running text."""
    entries = []
    for entry in gazetteer():
        for name in [entry["name"], *entry["aliases"]]:
            entries.append((fold(name), entry["begin"], entry["end"], entry["name"]))
    return sorted(entries, key=lambda item: -len(item[0]))
