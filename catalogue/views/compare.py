"""Two objects side by side, Asia and Europe in one view: /compare?a=<id>&b=<id>, with linked deep
zoom and their fields aligned row by row; without ``b``, a picker that suggests the other region."""

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from babel import Locale
from flask import Blueprint, render_template, request, url_for

from catalogue import reference
from catalogue.concepts import vocabulary
from catalogue.errors import Gone, NotFound, ValidationFailed
from catalogue.extensions import search, service
from catalogue.i18n import N_, gettext, interface_language, visitor_languages
from catalogue.models import Museum, ObjectRecord
from catalogue.records.langmap import NO_LANGUAGE, pick_with_language
from catalogue.views.public import public_page
from catalogue.views.search import REGIONS, RIGHTS
from catalogue.views.urls import base_url
from catalogue.views.viewers import WebImage, web_image
from indexer.makers import CULTURE, culture_facet_label, reconcile
from indexer.request import SearchRequest
from indexer.schema import build_document

blueprint = Blueprint("compare", __name__)
PICKER_SIZE = 24
MAX_ID_LENGTH = 64  # public ids are 16 base32 characters; anything much longer is not one
OPPOSITE = {"asia": "europe", "europe": "asia"}  # the network's two sides: each suggests the other


@dataclass(frozen=True)
class Value:
    """One value in a cell: its text, its language when not the interface's (None: the same; "":
    unknown), and the search it leads to."""

    text: str
    lang: str | None = None
    href: str | None = None


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[list[Value], ...]


@dataclass
class Side:
    """One of the two objects as the page shows it."""

    record: ObjectRecord
    museum: Museum
    title: Value
    image: WebImage | None
    alt: str
    values: dict[str, list[Value]] = field(default_factory=dict)


def published_record(record_id: str | None) -> ObjectRecord:
    """A published record, or a 404 for anything else: unknown, draft, withdrawn or not an id at all."""
    missing = NotFound(N_("There is no published object with the id %(id)s."), id=repr((record_id or "")[:40]))
    if not record_id or len(record_id) > MAX_ID_LENGTH or not (record_id.isascii() and record_id.isalnum()):
        raise missing
    try:
        return service().record(record_id)
    except NotFound:
        raise missing from None
    except Gone:
        raise NotFound(N_("The object %(id)s was withdrawn from the catalogue."), id=repr(record_id)) from None


def comparison_manifest_url(first_id: str, second_id: str) -> str:
    """The IIIF manifest of a comparison (served by iiif.presentation_views)."""
    return f"{base_url()}/iiif/compare/{quote(first_id, safe='')}/{quote(second_id, safe='')}/manifest.json"


def permalink(first_id: str, second_id: str) -> str:
    return f"{base_url()}/compare?" + urlencode({"a": first_id, "b": second_id})


@blueprint.get("/compare")
def compare_page():
    if not request.args.get("a"):
        raise ValidationFailed(N_("Choose the first object to compare: /compare?a=<object id>."))
    first = published_record(request.args.get("a"))
    if not request.args.get("b"):
        return public_page(picker(first))
    second = published_record(request.args.get("b"))
    sides = [side(first), side(second)]
    both_have_images = all(s.image for s in sides)
    manifest = comparison_manifest_url(first.id, second.id)
    html = render_template(
        "compare/show.html",
        sides=sides,
        rows=rows(sides),
        same=first.id == second.id,
        permalink=permalink(first.id, second.id),
        manifest=manifest if both_have_images else None,
        manifest_badge=f"{manifest}?manifest={quote(manifest, safe='')}",  # IIIF drag and drop
        swap_url=url_for("compare.compare_page", a=second.id, b=first.id),
        picker_url=url_for("compare.compare_page", a=first.id),
    )
    return public_page(html)


def picker(first: ObjectRecord) -> str:
    """The search for the second object: published objects with images; by default from the other
    side of the network than the first (``region=`` empty: any region)."""
    museum = service().museum(first.museum)
    suggested = OPPOSITE.get(region_of(first, museum) or "")
    region = request.args.get("region")
    region = (suggested or "") if region is None else region
    if region and region not in REGIONS:
        raise ValidationFailed(N_("region must be one of: %(names)s."), names=", ".join(REGIONS))
    text = (request.args.get("q") or "").strip()[:500]
    filters = {"has_image": ("true",), **({"region": (region,)} if region else {})}
    # one more than shown, so that leaving out the first object still fills the list
    result = search().search(SearchRequest(text=text, filters=filters, size=PICKER_SIZE + 1, facet_size=1))
    found_first = any(hit.id == first.id for hit in result.hits)
    hits = [hit for hit in result.hits if hit.id != first.id and hit.display.get("thumbnail")][:PICKER_SIZE]
    return render_template(
        "compare/show.html",
        first=side(first, museum),
        picks=[pick_entry(hit) for hit in hits],
        total=result.total - found_first,  # not counting the first object itself
        q=text,
        region=region,
        suggested=suggested,
        suggested_label=gettext(REGIONS[suggested]) if suggested else None,
        regions=[(code, gettext(label)) for code, label in REGIONS.items()],
    )


def region_of(record: ObjectRecord, museum: Museum) -> str | None:
    """Where an object is "from" for the suggestion: its museum's region (the ``region`` facet),
    else the region of the country it comes from."""
    if museum.region:
        return museum.region
    return next((reference.region_of(code) for code in record.body.get("country") or []), None)


def pick_entry(hit) -> dict:
    display = hit.display
    title, tag = pick_with_language(display.get("title"), visitor_languages())
    return {
        "id": hit.id,
        "title": Value(title or display.get("local_id") or hit.id, lang_attr(tag)),
        "maker": (display.get("makers") or [None])[0],
        "date": display.get("date"),
        "thumbnail": url_for("public.image_thumbnail", image_id=display["thumbnail"]),
    }


# the two objects -----------------------------------------------------------------------------
def side(record: ObjectRecord, museum: Museum | None = None) -> Side:
    museum = museum or service().museum(record.museum)
    body = record.body
    title, tag = pick_with_language(body.get("title"), visitor_languages(), body.get("language"))
    image = record.images[0] if record.images else None
    alt = (pick_with_language(image.alt, visitor_languages())[0] if image else None) or title or record.local_id
    shown = web_image(image) if image else None
    return Side(
        record, museum, Value(title or record.local_id, lang_attr(tag)), shown, alt, field_values(record, museum)
    )


def lang_attr(tag: str | None) -> str | None:
    """The ``lang`` a value needs: None when it is in the interface language, "" when unknown."""
    if not tag or tag == NO_LANGUAGE:
        return ""
    return None if tag.split("-")[0].lower() == interface_language() else tag


def search_link(**args) -> str:
    return url_for("search.search_page", **args)


def field_values(record: ObjectRecord, museum: Museum) -> dict[str, list[Value]]:
    """Each row's values for one object, linked to the search for them with the facet values the
    index stores (indexer.schema), so a link finds this object and the others like it."""
    body, document = record.body, build_document(record, museum)
    text_lang = lang_attr(body.get("language"))
    languages = visitor_languages()
    values = {
        "title": titles(record),
        "maker": [maker_value(maker, text_lang) for maker in body.get("makers") or []],
        "date": date_values(body, text_lang),
        "culture": [culture_value(v, text_lang, languages) for v in document["culture"]],
        "object_type": [concept_value("object_type", v, text_lang, languages) for v in document["object_type"]],
        "material": [concept_value("material", v, text_lang, languages) for v in document["material"]],
        "dimensions": [Value(text, text_lang) for text in [(body.get("dimensions") or {}).get("text")] if text],
        "museum": [museum_value(museum, languages)],
        "country": [country_value(code) for code in document["country"]],
        "region": [Value(gettext(REGIONS[r]), None, search_link(region=r)) for r in document["region"] if r in REGIONS],
        "rights": rights_values(body, document["rights"]),
    }
    if not values["material"] and body.get("medium"):
        values["material"] = [Value(body["medium"], text_lang)]
    return values


def titles(record: ObjectRecord) -> list[Value]:
    """Every title the record has, each in its language, linked to the object's page."""
    page = url_for("public.object_page", record_id=record.id)
    found = [
        Value(text, lang_attr(tag), page) for tag, texts in (record.body.get("title") or {}).items() for text in texts
    ]
    return found or [Value(record.local_id, "", page)]


def maker_value(maker: dict, lang: str | None) -> Value:
    dates = maker.get("display_dates")
    if not dates and (maker.get("birth_year") is not None or maker.get("death_year") is not None):
        dates = f"{maker.get('birth_year') or '?'}–{maker.get('death_year') or ''}"
    name = maker.get("name") or ""
    text = f"{name} ({dates.strip('() ')})" if dates and dates.strip("() ") not in name else name  # dates once
    reconciled = reconcile(maker)
    href = search_link(culture=reconciled.value) if reconciled.kind == CULTURE else search_link(maker=reconciled.value)
    return Value(text, lang, href)


def date_values(body: dict, lang: str | None) -> list[Value]:
    begin, end = body.get("date_begin"), body.get("date_end")
    href = search_link(date_from=begin, date_to=end if end is not None else begin) if begin is not None else None
    if body.get("date_display"):
        return [Value(body["date_display"], lang, href)]
    if begin is not None:
        return [Value(str(begin) if end in (None, begin) else f"{begin} – {end}", None, href)]
    return []


def concept_value(facet: str, value: str, text_lang: str | None, languages: list[str]) -> Value:
    """A vocabulary concept in the visitor's language (else English), or the museum's own word."""
    concept = vocabulary().concept(value)
    if concept is None:
        return Value(value, text_lang, search_link(**{facet: value}))
    label, tag = pick_with_language({lang: [text] for lang, text in concept.labels.items()}, languages)
    return Value(label or value, lang_attr(tag), search_link(**{facet: value}))


def culture_value(value: str, text_lang: str | None, languages: list[str]) -> Value:
    """A culture by the page's language's name for it (日本 for Japanese), as the search facet
    names it, else as the record gives it; the link filters by the indexed value either way."""
    named = culture_facet_label(value, languages)
    text, lang = (named[0], lang_attr(named[1])) if named else (value, text_lang)
    return Value(text, lang, search_link(culture=value))


def museum_value(museum: Museum, languages: list[str]) -> Value:
    name, tag = pick_with_language(museum.names, languages)
    return Value(name or museum.code, lang_attr(tag), search_link(museum=museum.code))


def country_value(code: str) -> Value:
    """The museum's country in the interface language where Babel knows it, else in English."""
    local = Locale.parse(interface_language()).territories.get(code)
    if local:
        return Value(local, None, search_link(country=code))
    name = reference.countries().get(code, {}).get("name", code)
    return Value(name, lang_attr("en"), search_link(country=code))


def rights_values(body: dict, access: str) -> list[Value]:
    """The image rights statement (a link to its text) and whether it is open, as the facet says."""
    uri = (body.get("rights") or {}).get("image_rights")
    found = []
    if uri:
        found.append(Value(reference.rights_label(uri, interface_language()), None, uri))
    if access in RIGHTS:
        found.append(Value(gettext(RIGHTS[access]), None, search_link(rights=access)))
    return found


def rows(sides: list[Side]) -> list[Row]:
    labels = {
        "title": gettext("Title"),
        "maker": gettext("Maker"),
        "date": gettext("Date"),
        "culture": gettext("Culture / period"),
        "object_type": gettext("Object type"),
        "material": gettext("Material / technique"),
        "dimensions": gettext("Dimensions"),
        "museum": gettext("Museum"),
        "country": gettext("Country"),
        "region": gettext("Region"),
        "rights": gettext("Image rights"),
    }
    return [Row(label, tuple(s.values.get(key, []) for s in sides)) for key, label in labels.items()]
