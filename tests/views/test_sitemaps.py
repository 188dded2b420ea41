"""Sitemaps for search engines, on SQLite and PostgreSQL: an index of the pages sitemap and one
objects sitemap per SITEMAP_PAGE_SIZE published objects (3 here), every published object listed
exactly once with its date and its versions in the six interface languages, drafts and withdrawn
objects never; and robots.txt pointing at the index."""

from datetime import UTC

import pytest
from lxml import etree

from catalogue import create_app
from catalogue.cli import cli_actor
from catalogue.i18n import INTERFACE_LANGUAGES
from tests.support import FAST_PASSWORD_HASH, TIMERS_OFF, fresh_database, record_payload

BASE = "http://catalogue.test"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
PAGE_SIZE = 3
PUBLISHED = [f"P{n}" for n in range(1, 9)]  # 8 objects: sitemaps of 3, 3 and 2


def settings(folder, database_url: str, **extra) -> dict:
    return {
        "TESTING": True,
        "DATA_DIR": str(folder),
        "DATABASE_URL": database_url,
        "BASE_URL": BASE,
        **TIMERS_OFF,
        "PASSWORD_HASH_METHOD": FAST_PASSWORD_HASH,
        **extra,
    }


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def catalogue(request, tmp_path_factory, sqlite_templates):
    """Tate with eight published objects, two drafts, one withdrawn and a published theme, and an
    applicant museum; the app and the catalogue ids by local id."""
    postgres = request.getfixturevalue("postgres_templates") if request.param == "postgresql" else None
    folder = tmp_path_factory.mktemp(f"sitemaps-{request.param}") / "data"
    with fresh_database(request.param, folder, sqlite_templates, postgres) as url:
        app = create_app(settings(folder, url, SITEMAP_PAGE_SIZE=PAGE_SIZE))
        service = app.extensions["catalogue"]
        service.register_museum(
            cli_actor(), {"code": "tate", "names": {"en": ["Tate"]}, "country": "GB", "status": "member"}
        )
        service.register_museum(
            cli_actor(), {"code": "newbie", "names": {"en": ["Newbie"]}, "country": "FR", "status": "applicant"}
        )
        ids = {}
        for local_id in [*PUBLISHED, "D1", "D2", "W1"]:
            status = "draft" if local_id.startswith("D") else "published"
            payload = record_payload(local_id, title=f"Object {local_id}", status=status)
            ids[local_id] = service.upsert(cli_actor(), "tate", payload).record_id
        service.withdraw(cli_actor(), "tate", "W1")
        service.create_theme(cli_actor(), {"slug": "waves", "title": {"en": ["Waves"]}, "published": True})
        service.create_theme(cli_actor(), {"slug": "secret", "title": {"en": ["Secret"]}, "published": False})
        yield app, ids
        service.store.dispose()


@pytest.fixture(scope="module")
def web(catalogue):
    return catalogue[0].test_client()


@pytest.fixture(scope="module")
def ids(catalogue):
    return catalogue[1]


def sitemap(web, path: str):
    """The parsed XML of a sitemap, after checking it is served as one."""
    response = web.get(path)
    assert response.status_code == 200, path
    assert response.mimetype == "application/xml"
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    return etree.fromstring(response.data)


def locs(root) -> list[str]:
    return root.xpath("//s:loc/text()", namespaces=NS)


def objects_sitemaps(web) -> list[str]:
    index = sitemap(web, "/sitemap.xml")
    return [loc.removeprefix(BASE) for loc in locs(index) if "/sitemaps/objects-" in loc]


def test_the_index_names_the_pages_sitemap_and_one_objects_sitemap_per_page_size(web):
    index = sitemap(web, "/sitemap.xml")
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    assert locs(index) == [
        f"{BASE}/sitemaps/pages.xml",
        f"{BASE}/sitemaps/objects-1.xml",
        f"{BASE}/sitemaps/objects-2.xml",
        f"{BASE}/sitemaps/objects-3.xml",
    ]
    for path in objects_sitemaps(web):
        assert sitemap(web, path).tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"


def test_every_published_object_is_listed_exactly_once_and_no_draft_or_withdrawn_one(web, ids):
    listed = []
    for path in objects_sitemaps(web):
        page = locs(sitemap(web, path))
        assert 1 <= len(page) <= PAGE_SIZE
        listed += page
    assert len(listed) == len(set(listed))
    assert sorted(listed) == sorted(f"{BASE}/objects/{ids[local_id]}" for local_id in PUBLISHED)
    for local_id in ("D1", "D2", "W1"):
        assert not any(ids[local_id] in url for url in listed)


def test_each_object_names_its_versions_in_the_six_languages(web, ids):
    root = sitemap(web, "/sitemaps/objects-1.xml")
    for url in root.xpath("s:url", namespaces=NS):
        (loc,) = url.xpath("s:loc/text()", namespaces=NS)
        path = loc.removeprefix(BASE)
        alternates = {
            link.get("hreflang"): link.get("href") for link in url.xpath("xhtml:link[@rel='alternate']", namespaces=NS)
        }
        expected = {code: f"{BASE}/{code}{path}" for code in INTERFACE_LANGUAGES}
        assert alternates == {**expected, "x-default": loc}
        assert web.get(alternates["ja"].removeprefix(BASE)).status_code == 200


def test_lastmod_is_each_objects_change_and_each_sitemaps_newest(web, catalogue):
    service = catalogue[0].extensions["catalogue"]
    index = sitemap(web, "/sitemap.xml")
    newest_of = {
        entry.xpath("s:loc/text()", namespaces=NS)[0].removeprefix(BASE): entry.xpath("s:lastmod/text()", namespaces=NS)
        for entry in index.xpath("s:sitemap", namespaces=NS)
    }
    assert newest_of["/sitemaps/pages.xml"] == []
    for path in objects_sitemaps(web):
        dates = []
        for url in sitemap(web, path).xpath("s:url", namespaces=NS):
            record_id = url.xpath("s:loc/text()", namespaces=NS)[0].rsplit("/", 1)[1]
            (lastmod,) = url.xpath("s:lastmod/text()", namespaces=NS)
            updated = service.record(record_id).updated_at.astimezone(UTC)
            assert lastmod == updated.strftime("%Y-%m-%dT%H:%M:%S+00:00")
            dates.append(lastmod)
        assert newest_of[path] == [max(dates)]


@pytest.mark.parametrize("number", ["0", "4", "99999999999999999999999", "-1", "x", "1.5"])
def test_an_objects_sitemap_past_the_last_or_not_a_number_is_not_found(web, number):
    assert web.get(f"/sitemaps/objects-{number}.xml").status_code == 404


def test_the_pages_sitemap_lists_home_search_museums_and_themes_in_every_language(web):
    root = sitemap(web, "/sitemaps/pages.xml")
    listed = locs(root)
    paths = ("/", "/search", "/museums/tate", "/themes", "/themes/waves")  # no applicant, no unpublished theme
    assert listed == [f"{BASE}/{code}{path}" for path in paths for code in INTERFACE_LANGUAGES]
    (theme,) = root.xpath("s:url[s:loc = $loc]", namespaces=NS, loc=f"{BASE}/ja/themes/waves")
    hreflangs = theme.xpath("xhtml:link/@hreflang", namespaces=NS)
    assert hreflangs == [*INTERFACE_LANGUAGES, "x-default"] and theme.xpath("s:lastmod", namespaces=NS)
    for path in paths:
        assert web.get(f"/fr{path}").status_code == 200, path


def test_robots_txt_keeps_crawlers_from_private_pages_and_names_the_index(web):
    response = web.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/curate", "/account", "/admin", "/ja/curate", "/de/account"):
        assert f"Disallow: {path}" in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    assert not any(line.startswith("Disallow: /objects") or line == "Disallow: /" for line in lines)


def test_a_catalogue_without_published_objects_has_only_the_pages_sitemap(tmp_path, sqlite_templates):
    app = create_app(settings(tmp_path / "data", sqlite_templates.new_database(tmp_path / "data")))
    try:
        web = app.test_client()
        assert locs(sitemap(web, "/sitemap.xml")) == [f"{BASE}/sitemaps/pages.xml"]
        assert web.get("/sitemaps/objects-1.xml").status_code == 404
    finally:
        app.extensions["catalogue"].store.dispose()
