"""Faceted search: the /search page, the /api/objects and /api/suggest JSON endpoints, and the
download of a search's results (CSV or JSON Lines)."""

from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import format_decimal
from markupsafe import Markup

from catalogue.concepts import vocabulary
from catalogue.errors import NotFound
from catalogue.exports import MEDIA_TYPES, SUFFIXES, export_chunks
from catalogue.extensions import search, service
from catalogue.i18n import N_, country_name, gettext, lang_attr, visitor_languages
from catalogue.records.langmap import pick, pick_with_language
from catalogue.search_params import PAGE_SIZES, dates_in_text, request_from_args, search_url
from catalogue.text import fold
from catalogue.views.shapes import SearchResponseSchema, SuggestResponseSchema, dump
from catalogue.views.urls import manifest_url, object_url, thumbnail_url
from indexer.makers import ANONYMOUS, culture_facet_label, maker_label, maker_names
from indexer.request import MAX_SIZE, InvalidRequest, SearchRequest, SearchResult
from indexer.schema import FACET_NAMES, FACETS

blueprint = Blueprint("search", __name__)
NUMBERED_PAGE_LIMIT = 1000  # numbered pages reach this far; the cursor goes beyond
DOWNLOAD_CAP = 10_000  # results one download holds at most (the DOWNLOAD_CAP setting overrides it)
DOWNLOAD_FORMATS = ("csv", "jsonl")
REGIONS = {
    "asia": N_("Asia"),
    "europe": N_("Europe"),
    "americas": N_("Americas"),
    "africa": N_("Africa"),
    "oceania": N_("Oceania"),
}
RIGHTS = {"open": N_("Open for reuse"), "restricted": N_("Restricted")}
YES_NO = {"true": N_("Yes"), "false": N_("No")}
WITH_IMAGES = {"true": N_("With images"), "false": N_("Without images")}
VALUE_LABELS = {"region": REGIONS, "rights": RIGHTS, "has_image": WITH_IMAGES, "masterpiece": YES_NO}
CONCEPT_FACETS = ("object_type", "material")  # their values are vocabulary concepts where one is known


def facet_label(name: str, value: str, languages) -> str:
    """A facet value as visitors read it: a concept's or theme's label, a museum's name, a country,
    a person or a culture in the interface language, a translated word; other values as indexed."""
    return labelled(name, value, languages)[0]


def labelled(name: str, value: str, languages) -> tuple[str, str | None]:
    """`facet_label` and the language tag of a label taken from data (None for interface words)."""
    if name in CONCEPT_FACETS:
        concept = vocabulary().concept(value)
        if concept:
            return concept.label_with_language(languages)
    if name == "museum":
        museum = service().museum_labels().get(value)
        if museum:
            text, tag = pick_with_language(museum.names, languages)
            return text or value, tag
    if name == "theme":  # a curated theme's title, in the visitor's language
        text, tag = pick_with_language(service().theme_titles().get(value), languages)
        return text or value, tag
    if name == "maker":
        return maker_facet_label(value, languages)
    if name == "culture":
        return culture_facet_label(value, languages) or (value, None)
    if name == "country":
        return country_name(value) or value, None
    labels = VALUE_LABELS.get(name, {})
    return (gettext(labels[value]) if value in labels else value), None


def maker_facet_label(value: str, languages) -> tuple[str, str | None]:
    """A maker as visitors read it: "anonymous" translated, a person by the name the page's language
    knows them by (葛飾北斎, ムンク's full name), else as indexed."""
    if value == ANONYMOUS:
        return gettext(N_("anonymous")), None
    return maker_label(value, languages) or (value, None)


def label_html(name: str, value: str, languages) -> Markup:
    """`facet_label` for a page: in a span naming its language when it is not the page's."""
    text, tag = labelled(name, value, languages)
    attribute = lang_attr(tag)
    return Markup("<span{}>{}</span>").format(attribute, text) if attribute else Markup.escape(text)


def run_search(args):
    """Parse and search; a bad parameter is a 400 and an engine that is down a 503 (views/errors.py)."""
    search_request = request_from_args(args)
    return search_request, search().search(search_request)


def hit_json(hit, languages) -> dict:
    display = hit.display
    thumbnail = display.get("thumbnail")
    return {
        "id": hit.id,
        "url": object_url(hit.id),
        "museum": display.get("museum"),
        "country": display.get("country"),
        "local_id": display.get("local_id"),
        "title": pick(display.get("title"), languages),
        "makers": display.get("makers", []),
        "date": display.get("date"),
        "thumbnail": thumbnail_url(thumbnail) if thumbnail else None,
        "manifest": manifest_url(hit.id) if thumbnail else None,  # a hit with a thumbnail has images
        "highlights": hit.highlights,
    }


def facets_json(result, languages) -> dict:
    return {
        name: [
            {"value": v.value, "label": facet_label(name, v.value, languages), "count": v.count, "selected": v.selected}
            for v in values
        ]
        for name, values in result.facets.items()
    }


@blueprint.get("/api/objects")
def api_objects():
    search_request, result = run_search(request.args)
    languages = visitor_languages()
    body = {
        "total": result.total,
        "page": search_request.page,
        "size": search_request.size,
        "next_cursor": result.next_cursor,
        "hits": [hit_json(h, languages) for h in result.hits],
        "facets": facets_json(result, languages),
        "centuries": [{"from": c, "to": c + 99, "count": n} for c, n in result.centuries],
    }
    response = jsonify(dump(SearchResponseSchema, body))
    response.headers["Cache-Control"] = "public, max-age=60"
    response.add_etag()
    return response.make_conditional(request)


@blueprint.get("/api/suggest")
def api_suggest():
    """Titles and makers that start with what the visitor typed (for autocomplete). A maker comes
    with ``value``, the maker filter's value, beside ``text``, their name in the page's language."""
    text = (request.args.get("q") or "").strip()[:100]
    words = fold(text).split()
    if len(text) < 2 or not words:
        return jsonify({"q": text, "suggestions": []})
    result = search().search(SearchRequest(text=text, prefix=True, size=8, facet_size=20))
    languages = visitor_languages()
    last = words[-1]
    # a maker is offered by any of their names (北斎, ムンク, ほくさい), named as the page's language names them
    values = [v.value for v in result.facets.get("maker", [])]
    makers = [value for value in values if any(last in fold(name) for name in maker_names(value))][:4]
    # the hits of a maker's name are that maker's works: a title is offered only when it holds the word
    shown = (pick(hit.display.get("title"), languages) for hit in result.hits)
    titles = list(dict.fromkeys(t for t in shown if t and last in fold(t)))[:6]
    suggestions = [{"kind": "maker", "text": maker_facet_label(m, languages)[0], "value": m} for m in makers]
    suggestions += [{"kind": "title", "text": t} for t in titles]
    response = jsonify(dump(SuggestResponseSchema, {"q": text, "suggestions": suggestions}))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@blueprint.get("/search")
def search_page():
    """The search page. A request that cannot be answered (a date that is not a year) shows the same
    page with the form kept, the faulty field marked and a message: a 400, not a dead end. The URL
    holds the whole search without empty parameters: a form without JavaScript sends ``date_from=``
    for an empty box, and such a URL is redirected to its short form, the one visitors share."""
    languages = visitor_languages()
    context = {
        "args": request.args,
        "url": page_url,
        "facets": FACETS,
        "filter_names": (*FACET_NAMES, "date_from", "date_to"),
        "label": lambda name, value: label_html(name, value, languages),
        "page_sizes": PAGE_SIZES,
        "numbered_limit": NUMBERED_PAGE_LIMIT,
        "date_from": request.args.get("date_from", ""),
        "date_to": request.args.get("date_to", ""),
        "active_count": sum(len(request.args.getlist(n)) for n in (*FACET_NAMES, "date_from", "date_to")),
        "result": None,
        "image_count": None,
        "download_cap": download_cap(),
    }
    try:
        search_request, result = run_search(request.args)
    except InvalidRequest as error:
        context.update(req=None, error=gettext(error.message), error_field=error.field)
        return render_template("search/results.html", **context), 400
    if any(value == "" for value in request.args.values()):
        kept = urlencode([(key, value) for key, value in request.args.items(multi=True) if value != ""])
        return redirect(url_for("search.search_page") + (f"?{kept}" if kept else ""), 302)
    with_images = {v.value: v.count for v in result.facets.get("has_image", [])}
    context.update(req=search_request, result=result, image_count=with_images.get("true"))
    context["dated"] = _dated_instead(search_request)
    if result.total == 0:
        context["did_you_mean"] = search().did_you_mean(search_request) if search_request.text else None
        context["remove_filters"] = search().filters_to_remove(search_request)
        context["fewer_words"] = search().fewer_words(search_request) if search_request.text else []
    return render_template("search/results.html", **context)


def _dated_instead(search_request) -> tuple[int, int, int] | None:
    """For a search box holding a date ("1850", "1850s", "19世紀", "1800-1850") and no date filter:
    (first year, last year, objects so dated with the same filters) when there are any, for the page
    to offer the date filter instead of the text search."""
    if not search_request.text or search_request.has_date_range():
        return None
    dates = dates_in_text(search_request.text)
    if dates is None:
        return None
    total = search().dated(search_request, *dates)
    return (*dates, total) if total else None


def page_url(args, path: str | None = None, **changes) -> str:
    """`search_url` on this site, in this language (the language prefix is part of url_for's root)."""
    return search_url(args, path or url_for("search.search_page"), **changes)


@blueprint.get("/search/facets/<name>")
def facet_values(name):
    """Every value of one facet for the current search, with its own filter box."""
    if name not in {f.name for f in FACETS}:
        raise NotFound(N_("There is no filter named %(name)s."), name=repr(name[:40]))
    args = request.args.copy()
    args["size"] = "1"
    args.pop("page", None)  # one facet's values do not page with the results
    args.pop("cursor", None)
    result = search().search(replace(request_from_args(args), facet_size=200))
    contains = (request.args.get("contains") or "").strip().lower()
    languages = visitor_languages()
    values = [
        v for v in result.facets[name] if not contains or contains in facet_label(name, v.value, languages).lower()
    ]
    return render_template(
        "search/facet_values.html",
        name=name,
        facet=next(f for f in FACETS if f.name == name),
        values=values,
        args=request.args,
        url=page_url,
        contains=contains,
        label=lambda value: label_html(name, value, languages),
    )


def year_label(year: int) -> str:
    return gettext(N_("%(year)s BCE"), year=-year) if year < 0 else str(year)


@blueprint.app_template_filter("year")
def year_filter(year):
    return year_label(year) if isinstance(year, int) else ""


@blueprint.app_template_filter("years")
def years_filter(years) -> str:
    """A card's date when the museum gave years but no display date: "1850", "1850 – 1860"."""
    begin, end = (list(years or []) + [None, None])[:2]
    shown = [year_label(y) for y in dict.fromkeys((begin, end)) if isinstance(y, int)]
    return " – ".join(shown)


@blueprint.app_template_filter("number")
def number_filter(value):
    """A count as the interface language writes it (1,234 · 1 234 · 1.234)."""
    return format_decimal(value) if isinstance(value, int) else value


def download_cap() -> int:
    """Results one download holds at most: Elasticsearch answers 10,000 hits of a search by default
    (max_result_window), and a file that size is still one a spreadsheet opens."""
    return int(current_app.config.get("DOWNLOAD_CAP", DOWNLOAD_CAP))


@blueprint.get("/search/download.<file_format>")
def download(file_format):
    """This search's results as a file (CSV or JSON Lines, see catalogue/exports.py): the same
    words, filters and sort as the page, in its order, at most `download_cap` of them; the file
    name says so when the search found more. A bad parameter is a 400, as on the page. Records come
    from the service, published ones only, so one unpublished since it was indexed is left out."""
    if file_format not in DOWNLOAD_FORMATS:
        raise NotFound(N_("There is no download as %(name)s; choose csv or jsonl."), name=repr(file_format[:40]))
    cap = download_cap()
    first_request = replace(request_from_args(request.args), page=1, cursor=None, size=min(MAX_SIZE, cap), facet_size=1)
    first = search().search(first_request)  # before the response starts: errors still get their status
    records = (record for ids in _result_ids(first_request, first, cap) for record in service().published_records(ids))
    name = f"catalogue-search-first-{cap}" if first.total > cap else "catalogue-search"
    return Response(
        stream_with_context(export_chunks(file_format, records, {}, current_app.config["BASE_URL"])),
        content_type=MEDIA_TYPES[file_format],
        headers={
            "Content-Disposition": f'attachment; filename="{name}.{SUFFIXES[file_format]}"',
            "X-Total-Count": str(first.total),  # what the search found, whether or not all of it fits
        },
    )


def _result_ids(search_request: SearchRequest, result: SearchResult, cap: int) -> Iterator[list[str]]:
    """The hits' ids a page at a time, at most ``cap`` in all: ``result`` is the first page, the
    next ones follow its cursor (numbered pages stop at 10,000 results; a cursor does not)."""
    seen: set[str] = set()
    while True:
        page = [hit.id for hit in result.hits if hit.id not in seen][: cap - len(seen)]
        seen.update(page)
        yield page
        if len(seen) >= cap or not result.hits or not result.next_cursor:
            return
        result = search().search(replace(search_request, cursor=result.next_cursor))
