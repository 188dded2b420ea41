"""Sitemaps for search engines (sitemaps.org 0.9): an index, the public pages in every interface
language, the published objects in numbered sitemaps of SITEMAP_PAGE_SIZE each, and robots.txt.

Every URL names its versions in the six interface languages (``xhtml:link`` hreflang alternates)
and the unprefixed address as ``x-default``, whose language follows the browser's."""

from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

from flask import Blueprint, Response, current_app
from lxml import etree

from catalogue.extensions import service
from catalogue.i18n import INTERFACE_LANGUAGES
from catalogue.views.urls import base_url

blueprint = Blueprint("sitemaps", __name__)
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
PAGE_SIZE = 10_000  # objects per sitemap unless SITEMAP_PAGE_SIZE says otherwise
MAX_AGE = 3600
PRIVATE_PATHS = ("/curate", "/account", "/admin")


@blueprint.get("/sitemap.xml")
def sitemap_index():
    """The sitemaps: the public pages, then one per SITEMAP_PAGE_SIZE published objects."""
    root = etree.Element(f"{{{SITEMAP_NS}}}sitemapindex", nsmap={None: SITEMAP_NS})
    _entry(root, "sitemap", f"{base_url()}/sitemaps/pages.xml")
    for number, page in enumerate(service().sitemap_pages(_page_size()), start=1):
        _entry(root, "sitemap", f"{base_url()}/sitemaps/objects-{number}.xml", page.lastmod)
    return _xml(root)


@blueprint.get("/sitemaps/pages.xml")
def pages_sitemap():
    """Home, search, the museums and the themes, each listed in every interface language."""
    paths: list[tuple[str, datetime | None]] = [("/", None), ("/search", None)]
    paths += [(f"/museums/{quote(museum.code, safe='')}", None) for museum in service().sitemap_museums()]
    if "themes.themes_page" in current_app.view_functions:
        paths.append(("/themes", None))
        paths += [(f"/themes/{quote(slug, safe='')}", updated) for slug, updated in service().sitemap_themes()]
    root = _urlset()
    for path, lastmod in paths:
        for language in INTERFACE_LANGUAGES:
            _page(root, path, _in_language(language, path), lastmod)
    return _xml(root)


@blueprint.get("/sitemaps/objects-<int:number>.xml")
def objects_sitemap(number: int):
    """One share of the published objects (never drafts or withdrawn ones), each at its permanent
    address with its versions in the interface languages."""
    root = _urlset()
    for entry in service().sitemap_entries(number, _page_size()):
        path = f"/objects/{quote(entry.record_id, safe='')}"
        _page(root, path, f"{base_url()}{path}", entry.lastmod)
    return _xml(root)


@blueprint.get("/robots.txt")
def robots_txt():
    """Crawlers keep out of the pages of signed-in people (in every language) and find the sitemaps."""
    root = urlsplit(base_url()).path.rstrip("/")
    lines = ["User-agent: *"]
    for path in PRIVATE_PATHS:
        lines += [f"Disallow: {root}{path}", *(f"Disallow: {root}/{code}{path}" for code in INTERFACE_LANGUAGES)]
    lines += ["", f"Sitemap: {base_url()}/sitemap.xml", ""]
    response = Response("\n".join(lines), mimetype="text/plain")
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


def _page_size() -> int:
    size = current_app.config.get("SITEMAP_PAGE_SIZE") or PAGE_SIZE
    return max(1, min(int(size), 50_000))  # sitemaps.org: at most 50,000 URLs per sitemap


def _in_language(language: str, path: str) -> str:
    return f"{base_url()}/{language}{path}"


def _urlset():
    return etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "xhtml": XHTML_NS})


def _entry(parent, tag: str, loc: str, lastmod: datetime | None = None):
    element = etree.SubElement(parent, f"{{{SITEMAP_NS}}}{tag}")
    etree.SubElement(element, f"{{{SITEMAP_NS}}}loc").text = loc
    if lastmod is not None:
        etree.SubElement(element, f"{{{SITEMAP_NS}}}lastmod").text = _w3c_datetime(lastmod)
    return element


def _page(root, path: str, loc: str, lastmod: datetime | None) -> None:
    """A ``<url>`` with the alternates of ``path``: each interface language, and x-default."""
    element = _entry(root, "url", loc, lastmod)
    alternates = [(language, _in_language(language, path)) for language in INTERFACE_LANGUAGES]
    for hreflang, href in [*alternates, ("x-default", f"{base_url()}{path}")]:
        link = etree.SubElement(element, f"{{{XHTML_NS}}}link")
        link.attrib.update({"rel": "alternate", "hreflang": hreflang, "href": href})


def _w3c_datetime(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _xml(root) -> Response:
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    response = Response(body, mimetype="application/xml")
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response
