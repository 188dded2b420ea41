"""IIIF Presentation 3 manifests built from stored records: pure functions, no Flask, no database.

A manifest is a serializer of the stored record (nothing is stored): one Canvas per image in the
record's image order, each painted by the image's Image API service. A record without images has
no manifest, because a Manifest must hold at least one Canvas; ``manifest()`` returns None and the
views answer ``"manifest": null`` / 404.
"""

import html
import mimetypes
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from iiif_prezi3 import (
    Annotation,
    AnnotationBody,
    AnnotationPage,
    Canvas,
    Class,
    Homepage,
    KeyValueString,
    LinkedResource,
    Manifest,
    Provider,
    ServiceV3,
)

from catalogue.i18n import N_, in_every_language
from catalogue.models import Museum, ObjectRecord, StoredImage
from catalogue.records.langmap import NO_LANGUAGE
from iiif.image_request import ImageLimits, parse_image_request
from iiif.sizes import THUMBNAIL_BOX, derivative_sizes, fit_in_box

LanguageMap = dict[str, list[str]]

CONTEXT = "http://iiif.io/api/presentation/3/context.json"
IMAGE_SERVICE_PROFILE = "level2"
SUMMARY_LIMIT = 1000
# The Presentation schema takes `rights` only from these vocabularies, and only in their http:// form.
RIGHTS_VOCABULARIES = re.compile(
    r"^http://(creativecommons\.org/(licenses|publicdomain)/|rightsstatements\.org/vocab/)"
)
# Language keys the schema (and iiif-prezi3) accept: letters and hyphens only, so "es-419" must shrink.
SCHEMA_TAG = re.compile(r"^[a-zA-Z-]+$")
LETTERS = re.compile(r"^[a-zA-Z]+$")
HTML_TAG = re.compile(r"<[^>]*>")
TEXT_PROPERTIES = ("label", "summary", "value")  # the properties that hold language maps
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")

# Labels are data: a translation is one more key per map ("en" at least, as IIIF clients fall back to it).
LABEL_TEXTS = {
    "maker": N_("Maker"),
    "date": N_("Date"),
    "object_type": N_("Object type"),
    "medium": N_("Medium"),
    "materials": N_("Materials"),
    "dimensions": N_("Dimensions"),
    "culture": N_("Culture"),
    "period": N_("Period"),
    "dynasty": N_("Dynasty"),
    "museum": N_("Museum"),
    "accession_number": N_("Accession number"),
    "local_id": N_("Identifier"),
    "credit_line": N_("Credit line"),
    "attribution": N_("Attribution"),
    "record_json": N_("Catalogue record (JSON)"),
}


class InterfaceLabels(Mapping[str, LanguageMap]):
    """Metadata labels as language maps in every interface language (read from the catalogues)."""

    def __getitem__(self, key: str) -> LanguageMap:
        return in_every_language(LABEL_TEXTS[key])

    def __iter__(self):
        return iter(LABEL_TEXTS)

    def __len__(self) -> int:
        return len(LABEL_TEXTS)


LABELS = InterfaceLabels()


@dataclass(frozen=True)
class Links:
    """The public URLs that IIIF documents name, all under the catalogue's BASE_URL, and the limits
    of its Image API (what size a ``max`` in those URLs answers with)."""

    base: str
    image_limits: ImageLimits = ImageLimits()

    def __post_init__(self) -> None:
        object.__setattr__(self, "base", self.base.rstrip("/"))

    def manifest(self, record_id: str) -> str:
        return f"{self.base}/iiif/3/objects/{quote(record_id, safe='')}/manifest"

    def object_page(self, record_id: str) -> str:
        return f"{self.base}/objects/{quote(record_id, safe='')}"

    def record_json(self, record_id: str) -> str:
        return f"{self.base}/api/objects/{quote(record_id, safe='')}"

    def image_service(self, image_id: str) -> str:
        return f"{self.base}/iiif/3/{quote(image_id, safe='')}"

    def fixed_size(self, image_id: str, width: int, height: int) -> str:
        """The whole image at one of the sizes made at upload (``iiif.sizes``): a file read."""
        return f"{self.image_service(image_id)}/full/{width},{height}/0/default.jpg"

    def largest_fixed_size(self, image: StoredImage) -> str:
        """The largest of the sizes made at upload: what exports link to show an image whose
        original is not public."""
        return self.fixed_size(image.id, *derivative_sizes(image.width, image.height)[-1])

    def original(self, image_id: str) -> str:
        """The file as the museum uploaded it: public only when the museum opened the image for
        reuse (`reference.open_for_reuse`), so only such images link it; see `image_file`."""
        return f"{self.base}/images/{quote(image_id, safe='')}/original"

    def thumbnail(self, image_id: str) -> str:
        return f"{self.base}/images/{quote(image_id, safe='')}/thumbnail"

    def image_file(self, image: StoredImage, open_for_reuse: bool) -> str:
        """Where a list of links to images (CSV's ``image_urls``, schema.org's ``image``) points at
        one: its original when the museum opened it for reuse, else the largest of its fixed sizes,
        a IIIF Image API derivative that anyone may view (the original would answer 403)."""
        return self.original(image.id) if open_for_reuse else self.largest_fixed_size(image)

    def museum_page(self, code: str) -> str:
        return f"{self.base}/museums/{quote(code, safe='')}"

    def collections(self) -> str:
        """The top collection: masterpieces, museums, countries."""
        return f"{self.base}/iiif/3/collections"

    def museums_collection(self) -> str:
        return f"{self.base}/iiif/3/collections/museums"

    def countries_collection(self) -> str:
        return f"{self.base}/iiif/3/collections/countries"

    def masterpieces_collection(self) -> str:
        return f"{self.base}/iiif/3/collections/masterpieces"

    def museum_collection(self, code: str) -> str:
        return f"{self.base}/iiif/3/collections/museums/{quote(code, safe='')}"

    def country_collection(self, code: str) -> str:
        return f"{self.base}/iiif/3/collections/countries/{quote(code, safe='')}"

    def search_collection(self, query_string: str = "") -> str:
        """A search as a collection: the search parameters of /api/objects, without page and size."""
        return f"{self.base}/iiif/3/collections/search" + (f"?{query_string}" if query_string else "")

    def collection_page(self, collection_id: str, page: int) -> str:
        """Page ``page`` (from 1) of a paged collection: its URL with ``page=`` set."""
        parts = urlsplit(collection_id)
        query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != "page"]
        return urlunsplit(parts._replace(query=urlencode([*query, ("page", str(page))])))


@dataclass(frozen=True)
class ImageRef:
    """Enough of a stored image to name its thumbnail: its Image API service and full size if known."""

    service: str
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class ManifestRef:
    """A manifest as a collection lists it: id, label and the thumbnail of its first image."""

    id: str
    label: LanguageMap
    thumbnail: ImageRef | None = None


# language maps -------------------------------------------------------------------------------
def schema_tag(tag: str) -> str:
    """The language key the schema accepts: "es-419" -> "es", "zh-Hant-TW" unchanged, "" -> "none"."""
    if SCHEMA_TAG.match(tag):
        return tag
    return "-".join(part for part in tag.split("-") if LETTERS.match(part)) or NO_LANGUAGE


def language_map(values: dict | None) -> LanguageMap:
    """A language map the schema accepts: keys reduced to letters and hyphens, empty values dropped."""
    result: LanguageMap = {}
    for tag, texts in (values or {}).items():
        bucket = result.setdefault(schema_tag(str(tag)), [])
        for text in [texts] if isinstance(texts, str) else texts or []:
            if text and text not in bucket:
                bucket.append(text)
    return {tag: texts for tag, texts in result.items() if texts}


def in_language(tag: str, *texts: str | None) -> LanguageMap:
    """Plain strings (maker, medium, ...) in one language; empty when none of them has text."""
    return language_map({tag: [text for text in texts if text]})


def record_language(record: ObjectRecord) -> str:
    """Free-text fields are written in the record's language ("none" when it declares none)."""
    return record.body.get("language") or NO_LANGUAGE


def title_map(record: ObjectRecord) -> LanguageMap:
    return language_map(record.body.get("title")) or {NO_LANGUAGE: [record.local_id]}


def museum_label(museum: Museum) -> LanguageMap:
    return language_map(museum.names) or {NO_LANGUAGE: [museum.code]}


# the manifest --------------------------------------------------------------------------------
def manifest(record: ObjectRecord, museum: Museum, links: Links) -> dict | None:
    """The Presentation 3 manifest of ``record`` as JSON-ready dict; None when it has no images."""
    images = ordered_images(record)
    if not images:
        return None
    manifest_id, label = links.manifest(record.id), title_map(record)
    canvases = [canvas(manifest_id, number, image, links) for number, image in numbered(images)]
    document = Manifest(
        id=manifest_id,
        label=label,
        summary=summary(record) or None,
        metadata=metadata(record, museum) or None,
        requiredStatement=required_statement(record, museum),
        rights=rights(record),
        navDate=nav_date(record),
        provider=[provider(museum, links)],
        thumbnail=[thumbnail(image_ref(images[0], links))],
        homepage=[Homepage(id=links.object_page(record.id), type="Text", format="text/html", label=label)],
        seeAlso=[
            LinkedResource(
                id=links.record_json(record.id), type="Dataset", format="application/json", label=LABELS["record_json"]
            )
        ],
        partOf=[Class(id=links.museum_collection(museum.code), type="Collection", label=museum_label(museum))],
        items=canvases,
    )
    return as_json(document)


def ordered_images(record: ObjectRecord) -> list[StoredImage]:
    return sorted(record.images, key=lambda image: image.position)


def numbered(images: list[StoredImage]) -> list[tuple[int, StoredImage]]:
    """Canvas numbers from the stored positions, so removing one image keeps the others' canvas ids
    (annotations made elsewhere stay on the right canvas); counted afresh only if positions repeat."""
    numbers = [image.position + 1 for image in images]
    if len(set(numbers)) != len(numbers) or min(numbers) < 1:
        numbers = list(range(1, len(images) + 1))
    return list(zip(numbers, images))


def canvas(manifest_id: str, number: int, image: StoredImage, links: Links) -> Canvas:
    """One image on its own canvas of the image's size (already EXIF-oriented at upload)."""
    canvas_id = f"{manifest_id}/canvas/{number}"
    service = links.image_service(image.id)
    alt = language_map(image.alt)
    # The alt text is the image's label: the body label is what Mirador lists in its layers panel,
    # and the canvas label is what Mirador reads out for the zoomable view ("Item: ...") and what
    # Mirador and UV print under thumbnails. Resource `summary` is not shown by either viewer.
    width, height = largest_size(image.width, image.height, links.image_limits)
    body = AnnotationBody(
        id=f"{service}/full/max/0/default.jpg",
        type="Image",
        format="image/jpeg",
        width=width,
        height=height,
        service=[image_service(service)],
        label=alt or None,
    )
    painting = Annotation(id=f"{canvas_id}/painting", motivation="painting", body=body, target=canvas_id)
    page = AnnotationPage(id=f"{canvas_id}/page", items=[painting])
    return Canvas(
        id=canvas_id,
        label=alt or {NO_LANGUAGE: [str(number)]},
        width=image.width,
        height=image.height,
        thumbnail=[thumbnail(image_ref(image, links))],
        items=[page],
    )


def largest_size(width: int, height: int, limits: ImageLimits) -> tuple[int, int]:
    """The size ``full/max`` answers with: the image's own, or smaller where it is beyond the Image
    API's maxWidth, maxHeight or maxArea (Image API 3.0 §4.2). A body that gave the image's own size
    there would say its URL holds pixels it does not."""
    return parse_image_request("full", "max", "0", "default.jpg").resolve(width, height, limits).size


def image_service(service: str) -> ServiceV3:
    return ServiceV3(id=service, type="ImageService3", profile=IMAGE_SERVICE_PROFILE)


def image_ref(image: StoredImage, links: Links) -> ImageRef:
    return ImageRef(links.image_service(image.id), image.width, image.height)


def thumbnail(image: ImageRef) -> AnnotationBody:
    """The fixed 400 px size built at upload (``iiif.sizes``), so a thumbnail is a file read."""
    if image.width and image.height:
        width, height = fit_in_box(image.width, image.height, THUMBNAIL_BOX)
        return AnnotationBody(
            id=f"{image.service}/full/{width},{height}/0/default.jpg",
            type="Image",
            format="image/jpeg",
            width=width,
            height=height,
            service=[image_service(image.service)],
        )
    return AnnotationBody(
        id=f"{image.service}/full/!{THUMBNAIL_BOX},{THUMBNAIL_BOX}/0/default.jpg",
        type="Image",
        format="image/jpeg",
        service=[image_service(image.service)],
    )


def summary(record: ObjectRecord) -> LanguageMap:
    """The description's first paragraph in each of its languages."""
    result: LanguageMap = {}
    for tag, texts in language_map(record.body.get("description")).items():
        first = first_paragraph(texts[0])
        if first:
            result[tag] = [first]
    return result


def first_paragraph(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """The opening paragraph as plain text, cut at a word near ``limit``. Tags are removed because a
    summary that is not wholly HTML is shown as text (and a cut could split a tag)."""
    plain = html.unescape(HTML_TAG.sub("", text)).strip()
    paragraph = " ".join(PARAGRAPH_BREAK.split(plain, maxsplit=1)[0].split())
    if len(paragraph) <= limit:
        return paragraph
    cut = paragraph[:limit].rsplit(" ", 1)[0]
    if len(cut) < limit // 2:  # no space near the end (CJK text): cut at the limit itself
        cut = paragraph[:limit]
    return cut.rstrip(" ,;:") + "…"


def metadata(record: ObjectRecord, museum: Museum) -> list[KeyValueString]:
    """Label/value pairs in display order; fields the record lacks leave no empty pair."""
    body, lang = record.body, record_language(record)
    if body.get("medium"):
        medium_key, medium = "medium", in_language(lang, body["medium"])
    else:
        medium_key, medium = "materials", in_language(lang, "; ".join(body.get("materials") or []))
    if body.get("accession_number"):
        id_key, identifier = "accession_number", body["accession_number"]
    else:
        id_key, identifier = "local_id", record.local_id
    pairs = [
        ("maker", in_language(lang, *(maker_text(maker) for maker in body.get("makers") or []))),
        ("date", in_language(lang, body.get("date_display"))),
        ("object_type", in_language(lang, body.get("object_type") or body.get("classification"))),
        (medium_key, medium),
        ("dimensions", in_language(lang, (body.get("dimensions") or {}).get("text"))),
        ("culture", in_language(lang, body.get("culture"))),
        ("period", in_language(lang, body.get("period"))),
        ("dynasty", in_language(lang, body.get("dynasty"))),
        ("museum", museum_label(museum)),
        (id_key, in_language(NO_LANGUAGE, identifier)),  # identifiers belong to no language
    ]
    return [KeyValueString(label=LABELS[key], value=value) for key, value in pairs if value]


def maker_text(maker: dict) -> str:
    """ "Katsushika Hokusai (artist; 1760–1849)": the name with the role and dates the museum gave."""
    dates = maker.get("display_dates")
    if not dates and (maker.get("birth_year") is not None or maker.get("death_year") is not None):
        dates = "–".join(
            str(year) if year is not None else "" for year in (maker.get("birth_year"), maker.get("death_year"))
        )
    extras = [text for text in (maker.get("role"), dates) if text]
    return f"{maker['name']} ({'; '.join(extras)})" if extras else maker["name"]


def required_statement(record: ObjectRecord, museum: Museum) -> KeyValueString:
    """The museum's credit line when it gave one, else the museum's name: viewers must show it."""
    credit = record.body.get("credit_line")
    if credit:
        return KeyValueString(label=LABELS["credit_line"], value=in_language(record_language(record), credit))
    return KeyValueString(label=LABELS["attribution"], value=museum_label(museum))


def rights(record: ObjectRecord) -> str | None:
    """The image rights URI, only when it is one the schema accepts (others stay in the record JSON)."""
    uri = (record.body.get("rights") or {}).get("image_rights")
    return uri if uri and RIGHTS_VOCABULARIES.match(uri) else None


def nav_date(record: ObjectRecord) -> str | None:
    """The object's first year as the navDate clients place it by on a timeline (Presentation 3.0
    §3.3.2: xsd:dateTime in UTC, "YYYY-MM-DDThh:mm:ssZ"). That form has no sign, so a year before
    1 CE, like an object with no years, has none."""
    year = record.body.get("date_begin")
    if not isinstance(year, int) or not 1 <= year <= 9999:
        return None
    return f"{year:04d}-01-01T00:00:00Z"


def provider(museum: Museum, links: Links) -> Provider:
    """The museum as an Agent. Its id is our museum page, which stays stable when its website moves."""
    page = links.museum_page(museum.code)
    label = museum_label(museum)
    homepage = Homepage(id=museum.website or page, type="Text", format="text/html", label=label)
    logo = None
    if museum.logo:
        logo_format = mimetypes.guess_type(urlsplit(museum.logo).path)[0]
        logo = [
            AnnotationBody(
                id=museum.logo,
                type="Image",
                format=logo_format if logo_format and logo_format.startswith("image/") else None,
            )
        ]
    return Provider(id=page, type="Agent", label=label, homepage=[homepage], logo=logo)


def manifest_ref(record: ObjectRecord, links: Links) -> ManifestRef | None:
    """How a collection lists the record; None when it has no images (and so no manifest)."""
    images = ordered_images(record)
    if not images:
        return None
    return ManifestRef(links.manifest(record.id), title_map(record), image_ref(images[0], links))


def as_json(document: Any) -> dict:
    """The document as plain JSON types (URLs as strings), with the Presentation 3 context first,
    and every text of its language maps as viewers must show it (``shown_as_text``)."""
    return _texts_shown_as_text(
        {"@context": CONTEXT, **document.model_dump(mode="json", exclude_none=True, by_alias=True)}
    )


def shown_as_text(text: str) -> str:
    """A text as every viewer shows the same characters. IIIF reads a value that starts with "<"
    and ends with ">" as HTML and any other as text, but Mirador reads every value as HTML: it
    sanitises it and keeps elements such as <img> and <a>, so a title holding markup became an
    image in its panels. A text holding "<" therefore goes out as one HTML element with the text
    escaped inside it: a viewer that follows the specification and Mirador alike show the text as
    it is, and no viewer builds an element out of museum data. Other texts go out as they are ("&"
    alone builds nothing, and "A & B" reads the same as text and as HTML)."""
    return f"<span>{html.escape(text, quote=False)}</span>" if "<" in text else text


def _texts_shown_as_text(node):
    if isinstance(node, list):
        return [_texts_shown_as_text(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        key: _language_map_shown(value)
        if key in TEXT_PROPERTIES and _is_language_map(value)
        else _texts_shown_as_text(value)
        for key, value in node.items()
    }


def _is_language_map(value) -> bool:
    return isinstance(value, dict) and all(isinstance(texts, list) for texts in value.values())


def _language_map_shown(value: dict) -> dict:
    return {
        tag: [shown_as_text(text) if isinstance(text, str) else text for text in texts] for tag, texts in value.items()
    }
