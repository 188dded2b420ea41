"""What an object page shows besides the record itself: its values as links to searches, related
objects, a citation, and whether its images may be downloaded.

The links use the record's own search document (`indexer.schema.build_document`), so a link names
exactly the facet value the index holds: a maker as reconciled, an object type as its vocabulary
concept. Following a link therefore always finds at least this object.
"""

import json
from dataclasses import dataclass, field
from datetime import date

from flask import url_for
from markupsafe import Markup

from catalogue.extensions import search
from catalogue.i18n import N_, gettext, interface_language, visitor_languages
from catalogue.linked_art import schema_org
from catalogue.models import Museum, ObjectRecord
from catalogue.records.langmap import pick, pick_with_language
from catalogue.views.search import facet_label
from catalogue.views.urls import base_url, object_url, original_url
from indexer.makers import reconcile
from indexer.request import SearchRequest
from indexer.schema import build_document, culture_values, facet_values

RELATED_SIZE = 6
PERIOD_MARGIN = 25  # "of this period": the object's dates widened by this many years each way
# what JSON inside <script> must not contain as itself: "</script>" (or "<!--") would end the element
# early and let a record value write markup; U+2028 and U+2029 end lines in older JavaScript
SCRIPT_SAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass
class Link:
    text: str
    href: str


@dataclass
class RelatedObjects:
    heading: str
    more_href: str
    hits: list = field(default_factory=list)


def page_context(record: ObjectRecord, museum: Museum) -> dict:
    """Everything objects/show.html needs besides the record: the public page and a curator's
    preview of a draft show the same."""
    museum_name, museum_tag = pick_with_language(museum.names, visitor_languages())
    return {
        "record": record,
        "museum": museum,
        "museum_name": museum_name or museum.code,
        "museum_tag": museum_tag,
        "links": value_links(record, museum),
        "related": related(record, museum),
        "citation": citation(record, museum),
        "downloads": downloads(record),
        "structured_data": json_ld(schema_org(record, museum, base_url(), interface_language())),
    }


def json_ld(data: dict) -> Markup:
    """JSON-LD to put inside ``<script type="application/ld+json">`` as it is: every character that
    could end the element is written as a JSON escape, which JSON readers decode back."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, escaped in SCRIPT_SAFE.items():
        text = text.replace(character, escaped)
    return Markup(text)


def search_href(**filters) -> str:
    return url_for("search.search_page", **{k: v for k, v in filters.items() if v not in (None, "")})


def value_links(record: ObjectRecord, museum: Museum) -> dict[str, list[Link]]:
    """Field name -> the searches its values lead to, labelled in the visitor's language."""
    document = build_document(record, museum)
    languages = visitor_languages()
    body = record.body

    def facet(name: str, values) -> list[Link]:
        return [Link(facet_label(name, value, languages), search_href(**{name: value})) for value in values]

    return {
        "makers": [maker_link(maker) for maker in body.get("makers") or []],
        "object_type": facet("object_type", document["object_type"]),
        "material": facet("material", document["material"]),
        "culture": facet("culture", culture_values(body.get("culture"))),
        "period": facet("culture", facet_values(body.get("period"))),
        "dynasty": facet("culture", facet_values(body.get("dynasty"))),
    }


def maker_link(maker: dict) -> Link:
    """A maker's name as the museum wrote it, linking to everything by the same person (or culture)."""
    reconciled = reconcile(maker)
    name = "culture" if reconciled.kind == "culture" else "maker"
    return Link(maker_text(maker), search_href(**{name: reconciled.value}))


def maker_text(maker: dict) -> str:
    """The name with its dates and nationality, each said once (Walters names carry their dates)."""
    text = maker.get("name") or ""
    dates = maker.get("display_dates")
    if not dates and (maker.get("birth_year") or maker.get("death_year")):
        dates = f"{maker.get('birth_year') or '?'}–{maker.get('death_year') or ''}"
    if dates and dates.strip("() ") not in text:
        text += f" ({dates.strip('() ')})"
    nationality = maker.get("nationality")
    if nationality and nationality not in text:
        text += f", {nationality}"
    return text


def related(record: ObjectRecord, museum: Museum) -> list[RelatedObjects]:
    """More by the first maker, from the same museum, and of the same period (this object left out)."""
    languages = visitor_languages()
    body = record.body
    groups = []
    makers = body.get("makers") or []
    if makers:
        reconciled = reconcile(makers[0])
        if reconciled.kind == "person":
            name = facet_label("maker", reconciled.value, languages)
            groups.append(_related(record, gettext(N_("More by %(maker)s"), maker=name), maker=reconciled.value))
    groups.append(
        _related(record, gettext(N_("More from %(museum)s"), museum=museum.name(languages)), museum=museum.code)
    )
    begin, end = body.get("date_begin"), body.get("date_end")
    if begin is not None:
        low, high = begin - PERIOD_MARGIN, (end if end is not None else begin) + PERIOD_MARGIN
        groups.append(
            _related(record, gettext(N_("Of the same period, from every museum")), date_from=low, date_to=high)
        )
    return [group for group in groups if group.hits]


def _related(record: ObjectRecord, heading: str, date_from=None, date_to=None, **filters) -> RelatedObjects:
    request = SearchRequest(
        filters={name: (value,) for name, value in filters.items()},
        date_from=date_from,
        date_to=date_to,
        size=RELATED_SIZE + 1,
        facet_size=1,
    )
    hits = [hit for hit in search().search(request).hits if hit.id != record.id][:RELATED_SIZE]
    return RelatedObjects(heading, search_href(date_from=date_from, date_to=date_to, **filters), hits)


def citation(record: ObjectRecord, museum: Museum, today: date | None = None) -> dict[str, str]:
    """The object cited as plain text and as a BibTeX entry, with its permanent address."""
    languages = visitor_languages()
    body = record.body
    title = pick(body.get("title"), languages, body.get("language")) or record.local_id
    makers = [maker.get("name") for maker in body.get("makers") or [] if maker.get("name")]
    when = body.get("date_display") or (str(body["date_begin"]) if body.get("date_begin") is not None else "")
    holder = ", ".join(part for part in (museum.name(languages), museum.city) if part)
    accession = body.get("accession_number") or record.local_id
    accessed = (today or date.today()).isoformat()
    permalink = object_url(record.id)
    site = gettext(N_("Virtual Collection of Masterpieces"))
    plain = ", ".join(part for part in ("; ".join(makers), title, when) if part)
    when_accessed = gettext(N_("accessed %(date)s"), date=accessed)
    plain += f". {holder}, {accession}. {site}, {permalink} ({when_accessed})."
    fields = [
        ("author", " and ".join(makers)),
        ("title", title),
        ("year", when),
        ("howpublished", f"{holder}, {accession}"),
        ("url", permalink),
        ("note", f"{site}, {accessed}"),
    ]
    key = "vcm:" + record.id.replace(":", "-")
    bibtex = f"@misc{{{key},\n" + ",\n".join(f"  {name} = {{{_bibtex(value)}}}" for name, value in fields if value)
    return {"plain": plain, "bibtex": bibtex + "\n}", "permalink": permalink}


def _bibtex(value: str) -> str:
    return value.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")


def open_for_download(record: ObjectRecord) -> bool:
    """Images the museum released for reuse (public domain, CC0, CC BY...) may be downloaded whole:
    the rule their original's route follows too (`ObjectRecord.images_open_for_reuse`)."""
    return bool(record.images) and record.images_open_for_reuse


def downloads(record: ObjectRecord) -> list[Link]:
    if not open_for_download(record):
        return []
    return [
        Link(gettext(N_("Image %(n)s, full size"), n=number), original_url(image.id))
        for number, image in enumerate(record.images, start=1)
    ]
