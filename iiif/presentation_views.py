"""IIIF Presentation 3 over HTTP: a manifest for every published object with images, collections
of them (all masterpieces, each museum, each country, any search), paged for large sets, and the
comparison of two objects (/compare) as one manifest."""

from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlencode

from flask import Blueprint, current_app, request
from iiif_prezi3 import Canvas, Homepage, KeyValueString, LinkedResource, Manifest

from catalogue import reference
from catalogue.errors import NotFound
from catalogue.extensions import search, service
from catalogue.models import Museum, ObjectRecord
from catalogue.records.langmap import pick
from catalogue.search_params import counting_number, request_from_args
from catalogue.views.compare import comparison_manifest_url, permalink, published_record
from iiif.collections import PAGE_SIZE, CollectionRef, collection, collection_page, page_count, paged_collection
from iiif.image_views import SERVICE as IMAGE_SERVICE
from iiif.negotiation import negotiated_json
from iiif.presentation import (
    LABELS,
    LanguageMap,
    Links,
    ManifestRef,
    as_json,
    canvas,
    image_ref,
    manifest,
    manifest_ref,
    metadata,
    museum_label,
    ordered_images,
    provider,
    required_statement,
    rights,
    summary,
    thumbnail,
    title_map,
)
from indexer.request import MAX_WINDOW, SearchRequest

blueprint = Blueprint("iiif_presentation", __name__, url_prefix="/iiif/3")
comparison_blueprint = Blueprint("iiif_comparison", __name__, url_prefix="/iiif/compare")
PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
MAX_AGE = 300
SEARCH_PARAMS_IGNORED = ("page", "size", "cursor", "has_image")

Fetch = Callable[[int], tuple[list[ManifestRef], int]]  # page -> (references on it, total)


def links() -> Links:
    """Our URLs, and the Image API's limits where the app serves it (a painted image's size)."""
    image_service = current_app.extensions.get(IMAGE_SERVICE)
    if image_service is None:
        return Links(current_app.config["BASE_URL"])
    return Links(current_app.config["BASE_URL"], image_service.limits)


def errors_revalidate(response):
    """An error answer is stored by no cache without asking again: what is missing now (an object's
    first image, the next Discovery page, a record published again) may be there in a minute, and
    without a Cache-Control a cache may keep a 404 or 410 for a time of its own choosing (RFC 9111
    §4.2.2). The Image API's errors say the same (iiif/image_views.py)."""
    if response.status_code >= 400:
        response.headers.setdefault("Cache-Control", "no-cache")
    return response


blueprint.after_request(errors_revalidate)
comparison_blueprint.after_request(errors_revalidate)


@blueprint.get("/objects/<record_id>/manifest")
def object_manifest(record_id):
    record = service().record(record_id)
    document = manifest(record, service().museum(record.museum), links())
    if document is None:
        raise NotFound("This object has no images, so it has no IIIF manifest.")
    return iiif_json(document)


@comparison_blueprint.get("/<first_id>/<second_id>/manifest.json")
def comparison_manifest(first_id, second_id):
    """The comparison page (/compare?a=&b=) as a manifest: each object's first image on a canvas."""
    pairs = []
    for record_id in (first_id, second_id):
        record = published_record(record_id)
        if not record.images:
            raise NotFound("An object without images cannot be compared in IIIF.")
        pairs.append((record, service().museum(record.museum)))
    manifest_id = comparison_manifest_url(first_id, second_id)
    return iiif_json(comparison(pairs, manifest_id, permalink(first_id, second_id), links()))


def comparison(pairs: list[tuple[ObjectRecord, Museum]], manifest_id: str, page: str, links: Links) -> dict:
    """Two (or more) objects as one manifest whose canvases viewers show one beside the other
    (``individuals``): each canvas carries its own object's label, metadata, required statement and
    rights; the manifest's label names every title, in each language any of them has."""
    titles = [title_map(record) for record, _ in pairs]
    label = {tag: [" / ".join(texts)] for tag, texts in in_every_language(titles).items()}
    statements = [required_statement(record, museum).model_dump(mode="json")["value"] for record, museum in pairs]
    statement = {tag: list(dict.fromkeys(texts)) for tag, texts in in_every_language(statements).items()}
    shared_rights = {rights(record) for record, _ in pairs}
    providers = {museum.code: provider(museum, links) for _, museum in pairs}
    document = Manifest(
        id=manifest_id,
        label=label,
        requiredStatement=KeyValueString(label=LABELS["attribution"], value=statement),
        rights=shared_rights.pop() if len(shared_rights) == 1 else None,  # one URI only when all agree
        provider=list(providers.values()),
        thumbnail=[thumbnail(image_ref(ordered_images(record)[0], links)) for record, _ in pairs],
        homepage=[Homepage(id=page, type="Text", format="text/html", label=label)],
        behavior=["individuals"],
        items=[compared_canvas(manifest_id, n, record, museum, links) for n, (record, museum) in enumerate(pairs, 1)],
    )
    return as_json(document)


def in_every_language(maps: list[LanguageMap]) -> LanguageMap:
    """For every language any of the maps has, one text of each map: in that language where the
    map has it, else by the catalogue's fallback (English, no language, any), so no map is left out."""
    tags = dict.fromkeys(tag for found in maps for tag in found)
    return {tag: [pick(found, [tag]) or "" for found in maps] for tag in tags}


def compared_canvas(manifest_id: str, number: int, record: ObjectRecord, museum: Museum, links: Links) -> Canvas:
    """The object's first image, labelled and described as the object itself."""
    item = canvas(manifest_id, number, ordered_images(record)[0], links)
    title = title_map(record)
    item.label = title
    item.summary = summary(record) or None
    item.metadata = metadata(record, museum) or None
    item.requiredStatement = required_statement(record, museum)
    item.rights = rights(record)
    item.provider = [provider(museum, links)]
    item.homepage = [Homepage(id=links.object_page(record.id), type="Text", format="text/html", label=title)]
    item.seeAlso = [
        LinkedResource(
            id=links.record_json(record.id), type="Dataset", format="application/json", label=LABELS["record_json"]
        )
    ]
    return item


@blueprint.get("/collections")
def top_collection():
    items = [
        CollectionRef(links().masterpieces_collection(), {"en": ["Masterpieces"]}),
        CollectionRef(links().museums_collection(), {"en": ["Museums"]}),
        CollectionRef(links().countries_collection(), {"en": ["Countries"]}),
    ]
    return iiif_json(collection(links().collections(), {"en": ["Virtual Collection of Masterpieces"]}, items))


@blueprint.get("/collections/masterpieces")
def masterpieces_collection():
    fetch = _stored(masterpiece=True)
    return iiif_json(paged(links().masterpieces_collection(), {"en": ["Masterpieces"]}, fetch))


@blueprint.get("/collections/museums")
def museums_collection():
    """The museums with at least one manifest, as the countries collection lists only countries
    with one: a viewer should not offer a museum whose collection it would open empty."""
    counts = service().museums_with_images()
    items = [
        CollectionRef(links().museum_collection(m.code), museum_label(m))
        for m in service().museums()
        if counts.get(m.code)
    ]
    return iiif_json(collection(links().museums_collection(), {"en": ["Museums"]}, items))


@blueprint.get("/collections/museums/<code>")
def museum_collection(code):
    museum = service().museum(code)
    return iiif_json(paged(links().museum_collection(code), museum_label(museum), _stored(museum=code)))


@blueprint.get("/collections/countries")
def countries_collection():
    items = [
        CollectionRef(links().country_collection(code), {"en": [_country_name(code)]})
        for code in sorted(service().countries_with_images())
    ]
    return iiif_json(collection(links().countries_collection(), {"en": ["Countries"]}, items))


@blueprint.get("/collections/countries/<code>")
def country_collection(code):
    if code not in service().countries_with_images():
        raise NotFound(f"No published objects with images from museums in {code!r}.")
    label = {"en": [_country_name(code)]}
    return iiif_json(paged(links().country_collection(code), label, _stored(country=code)))


@blueprint.get("/collections/search")
def search_collection():
    """Any search of /search or /api/objects as a collection (its records with images, in the
    search's order; the first 10,000, as far as numbered pages reach)."""
    args = request.args.copy()
    for name in SEARCH_PARAMS_IGNORED:
        args.pop(name, None)
    base = request_from_args(args)
    query = urlencode(list(args.items(multi=True)))
    text = base.text.strip()
    label = {"en": [f"Search: {text}" if text else "Search results"]}
    return iiif_json(paged(links().search_collection(query), label, _searched(base)))


def paged(collection_id: str, label: dict, fetch: Fetch) -> dict:
    """The set whole when it fits one page; else its top (one sub-collection per page), or the
    page ``?page=n`` asks for."""
    page = counting_number(request.args.get("page"), "page", 6)
    refs, total = fetch(page or 1)

    def page_url(number: int) -> str:
        return links().collection_page(collection_id, number)

    if page is None:
        if total <= PAGE_SIZE:
            return collection(collection_id, label, refs)
        return paged_collection(collection_id, label, total, page_url)
    if page > page_count(total):
        raise NotFound(f"There is no page {page}; this collection has {page_count(total)} page(s).")
    return collection_page(collection_id, label, page, total, refs, page_url)


def _stored(**where) -> Fetch:
    def fetch(page: int) -> tuple[list[ManifestRef], int]:
        records, total = service().records_with_images(page, PAGE_SIZE, **where)
        return _refs(records), total

    return fetch


def _refs(records: list[ObjectRecord]) -> list[ManifestRef]:
    return [ref for ref in (manifest_ref(record, links()) for record in records) if ref is not None]


def _searched(base: SearchRequest) -> Fetch:
    def fetch(page: int) -> tuple[list[ManifestRef], int]:
        filters = {**base.filters, "has_image": ("true",)}
        if page * PAGE_SIZE > MAX_WINDOW:
            raise NotFound(f"Search collections reach the first {MAX_WINDOW} results.")
        result = search().search(replace(base, filters=filters, page=page, size=PAGE_SIZE, facet_size=1))
        # The hits' records as stored, as every other collection lists them: a thumbnail needs the
        # image's size (a 400 px box is upscaling, so a 400, for a smaller image), and a record
        # the index has not yet seen leave (or lose its images) must not be listed.
        records = service().published_records([hit.id for hit in result.hits if hit.display.get("thumbnail")])
        return _refs(list(records)), min(result.total, MAX_WINDOW)

    return fetch


def _country_name(code: str) -> str:
    return reference.countries().get(code, {}).get("name", code)


def iiif_json(document: dict):
    """A Presentation document: JSON-LD with its profile unless the client prefers plain JSON (spec
    6.3: also when it sends no Accept header); public, cached for a while (records change),
    revalidated by each representation's ETag, readable by any origin (catalogue/views/cors.py)."""
    return negotiated_json(document, PRESENTATION_CONTEXT, f"public, max-age={MAX_AGE}")
