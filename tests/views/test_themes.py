"""Curated themes in the browser: the public list and theme pages (published themes and their
published objects, notes, a search within the theme, the IIIF Collection, languages marked), and
the secretariat's pages under /admin/themes (make, edit, order, note, cover, delete), which nobody
else may open or send; bad input is a 4xx with the form kept, never a 5xx."""

import re

import pytest

from catalogue.cli import cli_actor
from catalogue.i18n import use_translations
from tests.support import csrf_token, image_bytes, post_form, record_payload, sign_in
from tests.test_i18n import Shouting

SLUG = "self-and-other"
ADMIN = f"/admin/themes/{SLUG}"
TITLE = {"en": ["Self and Other"], "ja": ["自己と他者"], "fr": ["Soi et l’autre"]}


@pytest.fixture
def objects(service, museum) -> dict[str, str]:
    """Three published Tate records (the second with two images) and a draft; local id -> id."""
    ids = {}
    for local_id, title in (("A", "Self-Portrait with Badges"), ("B", "Lady in a Hat"), ("C", "A Man")):
        ids[local_id] = service.upsert(cli_actor(), "tate", record_payload(local_id, title=title)).record_id
    ids["D"] = service.upsert(cli_actor(), "tate", record_payload("D", title="Unfinished", status="draft")).record_id
    service.add_images(
        cli_actor(), "tate", "B", [(image_bytes(size=(80, 40)), "b1.jpg"), (image_bytes(color=(1, 2, 3)), "b2.jpg")]
    )
    return ids


@pytest.fixture
def theme(service, objects):
    """A published theme of A, B and the draft D, with notes in English and Japanese."""
    service.import_theme(
        cli_actor(),
        {
            "slug": SLUG,
            "title": TITLE,
            "introduction": {"en": ["Faces from two continents.\n\nMasks, too."]},
            "published": True,
            "objects": [
                {"id": objects["A"], "note": {"en": ["Pop art."], "ja": ["ポップアート。"]}},
                {"id": objects["D"], "note": {"en": ["Not yet public."]}},
                {"id": objects["B"], "note": {"en": ["A hat."]}},
            ],
        },
    )
    return SLUG


@pytest.fixture
def secretariat(app, make_account):
    client = app.test_client()
    assert sign_in(client, make_account("admin")).status_code == 302
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def images_without_size(html: str) -> list[str]:
    return [tag for tag in re.findall(r"<img\b[^>]*>", html) if " width=" not in tag or " height=" not in tag]


def stored(service):
    return service.theme(SLUG, cli_actor()).theme


# the public pages ------------------------------------------------------------------------------
def test_the_list_shows_published_themes_with_cover_title_and_count(client, service, theme, objects):
    service.create_theme(cli_actor(), {"slug": "draft-theme", "title": {"en": ["Hidden theme"]}})
    response = client.get("/themes")
    assert response.status_code == 200 and "public" in response.headers["Cache-Control"]
    page = text(response)
    assert "Self and Other" in page and "Hidden theme" not in page
    assert 'href="/themes/self-and-other"' in page
    assert "2 objects" in page  # the draft is not counted
    cover = service.record(objects["B"]).images[0].id
    assert f'src="/images/{cover}/thumbnail"' in page
    assert images_without_size(response.get_data(as_text=True)) == []


def test_a_theme_page_shows_its_published_objects_in_order_with_their_notes(client, theme, objects):
    response = client.get(f"/themes/{SLUG}")
    assert response.status_code == 200
    page = text(response)
    assert "<h1>Self and Other</h1>" in page
    assert "<p>Faces from two continents.</p><p>Masks, too.</p>" in page
    assert page.index("Self-Portrait with Badges") < page.index("Lady in a Hat")
    assert "Pop art." in page and "A hat." in page
    assert "Unfinished" not in page and "Not yet public." not in page
    assert 'href="/search?theme=self-and-other"' in page
    assert f'href="http://catalogue.test/iiif/themes/{SLUG}/collection.json"' in page
    assert images_without_size(response.get_data(as_text=True)) == []


def test_values_in_another_language_than_the_page_say_which(client, theme):
    japanese = text(client.get(f"/ja/themes/{SLUG}"))
    assert "<h1>自己と他者</h1>" in japanese
    assert 'class="theme-introduction" lang="en"' in japanese  # no Japanese introduction: English, marked
    assert "ポップアート。" in japanese and '<span lang="en">A hat.</span>' in japanese
    korean = text(client.get(f"/ko/themes/{SLUG}"))
    assert '<h1 lang="en">Self and Other</h1>' in korean
    assert "<h1>Soi et l’autre</h1>" in text(client.get(f"/fr/themes/{SLUG}"))


def test_the_interface_words_are_translated_and_the_data_is_not(app, client, theme):
    use_translations(app, Shouting())
    page = text(client.get(f"/themes/{SLUG}"))
    assert "SEARCH WITHIN THIS THEME" in page and "IIIF COLLECTION" in page
    assert "Self and Other" in page and "Pop art." in page
    assert "THEMES" in text(client.get("/themes"))


def test_a_theme_that_is_not_published_or_does_not_exist_is_not_found(client, service, theme):
    service.update_theme(cli_actor(), SLUG, {"title": TITLE, "published": False})
    for path in (
        f"/themes/{SLUG}",
        "/themes/nothing-here",
        "/themes/Not%20A%20Slug",
        f"/iiif/themes/{SLUG}/collection.json",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get("/themes/%00").status_code == 400


def test_a_missing_theme_is_explained_in_the_pages_language(client, theme):
    for path, message in (
        ("/ko/themes/x", "해당 테마가 없습니다."),
        ("/de/themes/nothing-here", "Dieses Thema gibt es nicht."),
    ):
        response = client.get(path)
        assert response.status_code == 404
        assert f'id="error-message">{message}</p>' in response.get_data(as_text=True), path


def test_the_theme_filters_the_search_and_its_facet_is_labelled_with_the_title(client, theme, objects):
    body = client.get(f"/api/objects?theme={SLUG}").get_json()
    assert {hit["id"] for hit in body["hits"]} == {objects["A"], objects["B"]}
    [value] = body["facets"]["theme"]
    assert (value["value"], value["label"], value["count"], value["selected"]) == (SLUG, "Self and Other", 2, True)
    japanese = client.get(f"/api/objects?theme={SLUG}&lang=ja").get_json()
    assert japanese["facets"]["theme"][0]["label"] == "自己と他者"
    assert client.get(f"/search?theme={SLUG}").status_code == 200
    assert client.get("/search/facets/theme").status_code == 200


# the secretariat's pages -----------------------------------------------------------------------
def test_the_secretariat_makes_a_theme_and_fills_it_through_the_forms(secretariat, client, service, objects):
    assert "/admin/themes" in secretariat.get("/account").get_data(as_text=True)
    assert 'href="/admin/themes"' in secretariat.get("/curate/").get_data(as_text=True)  # in the curator pages' menu
    assert secretariat.get("/admin/themes").status_code == 200
    made = post_form(
        secretariat,
        "/admin/themes/new",
        {
            "slug": SLUG,
            "title.0.lang": "en",
            "title.0.value": "Self and Other",
            "title.1.lang": "",
            "title.1.value": "",
            "title.2.lang": "ja",
            "title.2.value": "自己と他者",
            "introduction.0.lang": "en",
            "introduction.0.value": "Faces.",
        },
    )
    assert made.status_code == 303 and made.headers["Location"] == f"{ADMIN}?done=created"
    assert "The theme was made." in text(secretariat.get(made.headers["Location"]))
    assert stored(service).title == {"en": ["Self and Other"], "ja": ["自己と他者"]}

    for reference in (objects["A"], f"http://catalogue.test/fr/objects/{objects['B']}", objects["C"]):
        added = post_form(secretariat, f"{ADMIN}/objects", {"reference": reference}, page=ADMIN)
        assert added.status_code == 303
    note = {"note.0.lang": "en", "note.0.value": "Pop art.", "note.1.lang": "ja", "note.1.value": "ポップ"}
    assert post_form(secretariat, f"{ADMIN}/objects/{objects['A']}/note", note, page=ADMIN).status_code == 303
    assert post_form(secretariat, f"{ADMIN}/objects/{objects['C']}/move", {"move": "up"}, page=ADMIN).status_code == 303
    assert post_form(secretariat, f"{ADMIN}/objects/{objects['A']}/remove", page=ADMIN).status_code == 303
    assert stored(service).record_ids == [objects["C"], objects["B"]]
    assert stored(service).objects[1].note == {}

    cover = service.record(objects["B"]).images[1].id
    page = secretariat.get(ADMIN).get_data(as_text=True)
    assert f'value="{cover}"' in page and images_without_size(page) == []
    saved = post_form(
        secretariat,
        ADMIN,
        {
            "revision": str(stored(service).revision),
            "title.0.lang": "en",
            "title.0.value": "Self and Other",
            "cover": cover,
            "published": "1",
        },
    )
    assert saved.status_code == 303 and saved.headers["Location"] == f"{ADMIN}?done=saved"
    theme = stored(service)
    assert (theme.title, theme.cover_image, theme.published, theme.introduction) == (
        {"en": ["Self and Other"]},
        cover,
        True,
        {},
    )
    assert "Self and Other" in client.get("/themes").get_data(as_text=True)

    assert post_form(secretariat, f"{ADMIN}/delete", page=ADMIN).headers["Location"] == "/admin/themes?done=deleted"
    assert client.get(f"/themes/{SLUG}").status_code == 404
    assert "The theme was deleted." in text(secretariat.get("/admin/themes?done=deleted"))


def test_saving_the_form_unchanged_says_so(secretariat, service, theme):
    page = secretariat.get(ADMIN).get_data(as_text=True)
    form = dict(re.findall(r'name="((?:title|introduction)\.\d+\.(?:lang|value))"[^>]*value="([^"]*)"', page))
    form.update({"introduction.0.lang": "en", "introduction.0.value": "Faces from two continents.\n\nMasks, too."})
    form.update({"revision": "1", "published": "1", "cover": ""})
    response = post_form(secretariat, ADMIN, form)
    assert response.headers["Location"] == f"{ADMIN}?done=unchanged", stored(service)


def test_refused_forms_come_back_with_the_messages_and_what_was_typed(secretariat, service, theme, objects):
    bad_slug = post_form(
        secretariat, "/admin/themes/new", {"slug": "Bad Slug!", "title.0.lang": "en", "title.0.value": "X"}
    )
    assert bad_slug.status_code == 400
    page = text(bad_slug)
    assert 'value="Bad Slug!"' in page and "lower-case letters" in page and 'aria-invalid="true"' in page

    taken = post_form(secretariat, "/admin/themes/new", {"slug": SLUG, "title.0.lang": "en", "title.0.value": "X"})
    assert taken.status_code == 409 and "choose another" in text(taken)

    no_language = post_form(secretariat, ADMIN, {"title.0.lang": "", "title.0.value": "Untagged", "revision": "1"})
    assert no_language.status_code == 400
    assert "Give the language code" in text(no_language) and 'value="Untagged"' in text(no_language)

    stale = post_form(secretariat, ADMIN, {"title.0.lang": "en", "title.0.value": "Late", "revision": "0"}, page=ADMIN)
    assert stale.status_code == 409 and "changed this theme meanwhile" in text(stale) and 'value="Late"' in text(stale)

    unknown = post_form(secretariat, f"{ADMIN}/objects", {"reference": "https://example.org/museums/x"}, page=ADMIN)
    assert unknown.status_code == 400 and 'value="https://example.org/museums/x"' in text(unknown)
    twice = post_form(secretariat, f"{ADMIN}/objects", {"reference": objects["A"]}, page=ADMIN)
    assert twice.status_code == 400 and "in the theme already" in text(twice)

    bad_note = {"note.0.lang": "not a tag!", "note.0.value": "Kept"}
    refused = post_form(secretariat, f"{ADMIN}/objects/{objects['A']}/note", bad_note, page=ADMIN)
    assert refused.status_code == 400 and ">Kept</textarea>" in text(refused)
    assert stored(service).revision == 1


@pytest.mark.parametrize(
    "path, form",
    [
        ("/admin/themes/new", {}),
        ("/admin/themes/new", {"slug": "x" * 5000, "title.99999999.lang": "en", "title.0.value": "\x00"}),
        ("/admin/themes/new", {"slug": "ok-slug", "title.0.lang": "en", "title.0.value": "x" * 400}),
        ("/admin/themes/new", {"slug": "ok-slug", "title.0.value": "T", "title.0.lang": "none"}),
        (ADMIN, {"revision": "99999999999999999999", "title.0.lang": "en", "title.0.value": "T"}),
        (ADMIN, {"revision": "1", "title.0.lang": "en", "title.0.value": "T", "cover": "nosuchimage"}),
        (ADMIN, {"revision": "1", "title.0.lang": "en", "title.0.value": "T", "cover": "../../etc"}),
        (ADMIN, {"revision": "1", "title.a.lang": "en", "title..value": "T"}),
        (f"{ADMIN}/objects", {"reference": "\x00"}),
        (f"{ADMIN}/objects", {"reference": "http://[::1"}),
        (f"{ADMIN}/objects", {"reference": "x" * 10_000}),
        (f"{ADMIN}/objects/nosuchrecord/move", {"move": "up"}),
        ("move-sideways", {"move": "sideways"}),
        (f"{ADMIN}/objects/nosuchrecord/remove", {}),
        (f"{ADMIN}/objects/nosuchrecord/note", {}),
        ("/admin/themes/no-such-theme/objects", {"reference": "abc"}),
        ("/admin/themes/no-such-theme/delete", {}),
        ("/admin/themes/%C3%A9t%C3%A9", {"title.0.lang": "en", "title.0.value": "T"}),
    ],
)
def test_odd_input_is_a_client_error_never_a_server_error(secretariat, theme, objects, path, form):
    if path == "move-sideways":
        path = f"{ADMIN}/objects/{objects['A']}/move"
    response = post_form(secretariat, path, form, page=ADMIN)
    assert 400 <= response.status_code < 500, (response.status_code, text(response)[:300])


# who may ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["curator", "museum_admin"])
def test_curators_and_museum_admins_may_not_open_or_send_the_theme_pages(app, make_account, service, theme, role):
    client = app.test_client()
    assert sign_in(client, make_account(role, "tate")).status_code == 302
    for path in ("/admin/themes", "/admin/themes/new", ADMIN):
        assert client.get(path).status_code == 403, path
    token = csrf_token(client, "/curate/")
    for path in ("/admin/themes/new", ADMIN, f"{ADMIN}/objects", f"{ADMIN}/delete"):
        assert client.post(path, data={"csrf_token": token, "slug": "mine"}).status_code == 403, path
    assert "/admin/themes" not in client.get("/account").get_data(as_text=True)
    assert "/admin/themes" not in client.get("/curate/").get_data(as_text=True)
    assert stored(service).revision == 1


def test_anonymous_visitors_are_sent_to_sign_in_and_refused_writes(client, service, theme):
    response = client.get(ADMIN)
    assert response.status_code == 302 and response.headers["Location"].startswith("/account/sign-in?next=")
    token = csrf_token(client, "/account/sign-in")
    assert client.post(f"{ADMIN}/delete", data={"csrf_token": token}).status_code == 401
    assert stored(service).revision == 1


def test_the_theme_texts_stay_text_on_every_page(client, secretariat, service, objects):
    payload = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    service.import_theme(
        cli_actor(),
        {
            "slug": SLUG,
            "title": {"en": [payload]},
            "introduction": {"en": [payload]},
            "published": True,
            "objects": [{"id": objects["A"], "note": {"en": [payload]}}],
        },
    )
    for page in (
        client.get("/themes"),
        client.get(f"/themes/{SLUG}"),
        secretariat.get(ADMIN),
        secretariat.get("/admin/themes"),
    ):
        html = page.get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_two_objects_of_a_theme_can_be_compared_from_its_page(client, service, objects, theme):
    assert 'class="theme-compare' not in text(client.get(f"/themes/{SLUG}"))  # one object with images only
    service.add_images(cli_actor(), "tate", "A", [(image_bytes(size=(60, 40)), "a1.jpg")])
    page = text(client.get(f"/themes/{SLUG}"))
    assert 'class="theme-compare panel" method="get" action="/compare"' in page
    assert f'<option value="{objects["A"]}" selected>' in page and f'<option value="{objects["B"]}" selected>' in page
    assert objects["D"] not in page  # the draft is neither shown nor offered
