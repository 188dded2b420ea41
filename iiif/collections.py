"""IIIF Presentation 3 collections of manifests (masterpieces, a museum, a country, a search result).

Large sets are paged as a collection of collections: the top lists one sub-collection per page of
at most ``PAGE_SIZE`` manifests, and each page is a collection that names the top in ``partOf``.
Presentation 3 has no paging properties on a Collection (``first``/``next`` belong to annotation
collections only; iiif-prezi3 and the schema drop them), and nested collections are what viewers
follow: Mirador's collection dialog lists the sub-collections and fetches the one chosen, and the
Universal Viewer opens nested collections too.

How a view serves a set of ``total`` records (the view fetches only the slice it needs)::

    if total <= PAGE_SIZE:            collection(cid, label, refs_of_all)
    elif no page asked:               paged_collection(cid, label, total, page_url)
    else (page n):                    collection_page(cid, label, n, total, refs_of_page_n, page_url)

with ``page_url = lambda n: links.collection_page(cid, n)``.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from iiif_prezi3 import Class, Collection
from iiif_prezi3 import CollectionRef as PreziCollectionRef
from iiif_prezi3 import ManifestRef as PreziManifestRef

from iiif.presentation import LanguageMap, ManifestRef, as_json, language_map, thumbnail

PAGE_SIZE = 100


@dataclass(frozen=True)
class CollectionRef:
    """A collection as another collection lists it (a label is required, viewers show it)."""

    id: str
    label: LanguageMap


def collection(
    collection_id: str,
    label: LanguageMap,
    items: Sequence[ManifestRef | CollectionRef],
    *,
    summary: LanguageMap | None = None,
    part_of: CollectionRef | None = None,
) -> dict:
    """A Collection listing ``items`` by reference, in the given order. It may be empty (a search
    without results): only Manifests and Ranges must have at least one item."""
    document = Collection(
        id=collection_id,
        type="Collection",
        label=language_map(label) or {"none": [collection_id]},
        summary=language_map(summary) or None,
        items=[reference(item) for item in items],
        partOf=[Class(id=part_of.id, type="Collection", label=language_map(part_of.label))] if part_of else None,
    )
    return as_json(document)


def paged_collection(
    collection_id: str,
    label: LanguageMap,
    total: int,
    page_url: Callable[[int], str],
    *,
    page_size: int = PAGE_SIZE,
    summary: LanguageMap | None = None,
) -> dict:
    """The top of a large set: one sub-collection reference per page, labelled with its range."""
    pages = [
        CollectionRef(page_url(page), page_label(label, page, total, page_size))
        for page in range(1, page_count(total, page_size) + 1)
    ]
    return collection(collection_id, label, pages, summary=summary)


def collection_page(
    collection_id: str,
    label: LanguageMap,
    page: int,
    total: int,
    items: Sequence[ManifestRef | CollectionRef],
    page_url: Callable[[int], str],
    *,
    page_size: int = PAGE_SIZE,
) -> dict:
    """Page ``page`` (from 1) of a paged set: its manifests, and the top collection as ``partOf``."""
    if not 1 <= page <= page_count(total, page_size):
        raise ValueError(f"page {page} is outside 1..{page_count(total, page_size)}")
    if len(items) > page_size:
        raise ValueError(f"{len(items)} items do not fit a page of {page_size}")
    return collection(
        page_url(page), page_label(label, page, total, page_size), items, part_of=CollectionRef(collection_id, label)
    )


def page_count(total: int, page_size: int = PAGE_SIZE) -> int:
    return -(-total // page_size)


def page_label(label: LanguageMap, page: int, total: int, page_size: int = PAGE_SIZE) -> LanguageMap:
    """ "Tate (101–200)": the set's label in each language with the page's range of items."""
    first, last = (page - 1) * page_size + 1, min(total, page * page_size)
    return {tag: [f"{texts[0]} ({first}–{last})"] for tag, texts in language_map(label).items()}


def reference(item: ManifestRef | CollectionRef) -> PreziManifestRef | PreziCollectionRef:
    if isinstance(item, CollectionRef):
        return PreziCollectionRef(id=item.id, type="Collection", label=language_map(item.label))
    thumbnails = [thumbnail(item.thumbnail)] if item.thumbnail else None
    return PreziManifestRef(id=item.id, type="Manifest", label=language_map(item.label), thumbnail=thumbnails)
