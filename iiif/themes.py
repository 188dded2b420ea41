"""A curated theme as an IIIF Presentation 3 Collection: pure, no Flask, no database.

The collection lists, in the theme's order, the manifests of the records given (the theme's
published records that have images); its label and summary are the theme's title and introduction.
A theme holds at most ``catalogue.themes.MAX_OBJECTS`` records, which fit one collection document.
"""

from collections.abc import Sequence
from urllib.parse import quote

from catalogue.models import ObjectRecord
from catalogue.themes import Theme
from iiif.collections import collection
from iiif.presentation import Links, language_map, manifest_ref


def theme_collection_url(links: Links, slug: str) -> str:
    return f"{links.base}/iiif/themes/{quote(slug, safe='')}/collection.json"


def theme_collection(theme: Theme, records: Sequence[ObjectRecord], links: Links) -> dict:
    """The Collection of ``theme``: a reference to each record's manifest, in order (a record
    without images has no manifest and is left out)."""
    items = [ref for ref in (manifest_ref(record, links) for record in records) if ref is not None]
    return collection(
        theme_collection_url(links, theme.slug),
        language_map(theme.title) or {"none": [theme.slug]},
        items,
        summary=language_map(theme.introduction) or None,
    )
