"""Curated themes: the public pages (/themes, /themes/<slug>), each theme's IIIF Collection, and the
secretariat's pages under /admin/themes (make, edit, order the objects with a note each, delete).

The admin forms work without scripts: each posts, and the page comes back (a redirect after a
change, so reloading it sends nothing twice; the form again with its messages after a refusal)."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from catalogue.errors import CatalogueError, Conflict, ValidationFailed
from catalogue.extensions import service
from catalogue.i18n import N_, gettext
from catalogue.records.form import LANGMAP, LANGUAGE_SUGGESTIONS, STATUS_LABELS, FormField, with_spare_rows
from catalogue.records.langmap import NO_LANGUAGE, is_valid_tag
from catalogue.service import ThemeView
from catalogue.themes import MAX_OBJECTS
from catalogue.views.auth import current_actor, signed_in
from catalogue.views.errors import translated_errors
from catalogue.views.membership import SECRETARIAT, admin_blueprint
from catalogue.views.public import public_page
from iiif.presentation import Links
from iiif.presentation_views import iiif_json
from iiif.themes import theme_collection, theme_collection_url

blueprint = Blueprint("themes", __name__)

MAX_ROWS = 20  # language rows of one text a form may send; more are cut, not read
TITLE = FormField(
    "title", LANGMAP, N_("Theme title"), N_("One row per language, with its code (en, ja, zh, ko, fr, de ...)."), True
)
INTRODUCTION = FormField(
    "introduction", LANGMAP, N_("Introduction"), N_("One row per language; blank lines start new paragraphs."),
    multiline=True,
)  # fmt: skip
NOTICES = {
    "created": N_("The theme was made. Add its objects below."),
    "saved": N_("The theme was saved."),
    "unchanged": N_("Nothing changed; the theme was not saved again."),
    "added": N_("The object was added at the end of the list."),
    "removed": N_("The object was removed from the theme."),
    "moved": N_("The object was moved."),
    "note": N_("The note was saved."),
    "deleted": N_("The theme was deleted."),
}


# the public pages ------------------------------------------------------------------------------
@blueprint.get("/themes")
def themes_page():
    return public_page(render_template("themes/index.html", themes=service().themes()))


@blueprint.get("/themes/<slug>")
def theme_page(slug):
    shown = service().theme(slug)
    return public_page(
        render_template(
            "themes/show.html", shown=shown, theme=shown.theme, collection_url=_collection_url(shown.theme.slug)
        )
    )


@blueprint.get("/iiif/themes/<slug>/collection.json")
def theme_collection_json(slug):
    """The theme as an IIIF Presentation 3 Collection: the manifests of its published objects that
    have images, in the theme's order."""
    shown = service().theme(slug)
    return iiif_json(theme_collection(shown.theme, shown.with_images, _links()))


def _links() -> Links:
    return Links(current_app.config["BASE_URL"])


def _collection_url(slug: str) -> str:
    return theme_collection_url(_links(), slug)


# the secretariat's pages -----------------------------------------------------------------------
@admin_blueprint.get("/themes")
@signed_in(roles=SECRETARIAT)
def themes():
    actor = current_actor()
    service().check_may_curate_themes(actor)
    return render_template("admin/themes.html", themes=service().themes(actor), notice=_notice())


@admin_blueprint.route("/themes/new", methods=["GET", "POST"])
@signed_in(roles=SECRETARIAT)
def new_theme():
    actor = current_actor()
    service().check_may_curate_themes(actor)
    if request.method == "GET":
        return _theme_page(None, form={"slug": "", "title": [], "introduction": [], "published": False})
    form, problems = _details_form(with_slug=True)
    try:
        if problems:
            raise ValidationFailed(N_("Some fields need another look."), problems)
        created = service().create_theme(actor, _details(form, with_slug=True))
    except (ValidationFailed, Conflict) as error:
        return _theme_page(None, error.status, "details", error, form=form)
    return _back(created.slug, "created")


@admin_blueprint.get("/themes/<slug>")
@signed_in(roles=SECRETARIAT)
def theme(slug):
    return _theme_page(slug)


@admin_blueprint.post("/themes/<slug>")
@signed_in(roles=SECRETARIAT)
def update_theme(slug):
    actor = current_actor()
    service().check_may_curate_themes(actor)
    form, problems = _details_form(with_slug=False)
    try:
        if problems:
            raise ValidationFailed(N_("Some fields need another look."), problems)
        changed = service().update_theme(actor, slug, _details(form, with_slug=False), _revision())
    except (ValidationFailed, Conflict) as error:
        return _theme_page(slug, error.status, "details", error, form=form)
    return _back(slug, "saved" if changed else "unchanged")


@admin_blueprint.post("/themes/<slug>/objects")
@signed_in(roles=SECRETARIAT)
def add_theme_object(slug):
    actor = current_actor()
    service().check_may_curate_themes(actor)
    reference = request.form.get("reference", "")[:2000]
    rows, problems = _rows("note")
    try:
        record_id = service().add_theme_object(actor, slug, reference, _note(rows, problems))
    except ValidationFailed as error:
        return _theme_page(slug, error.status, "add", error, added={"reference": reference, "note": rows})
    return _back(slug, "added", anchor=f"object-{record_id}")


def _note(rows, problems) -> dict:
    """A note's language map from its form rows; rows with a problem are a 400 that shows them again."""
    if problems:
        raise ValidationFailed(N_("The note needs another look."), problems)
    return _langmap(rows)


@admin_blueprint.post("/themes/<slug>/objects/<record_id>/note")
@signed_in(roles=SECRETARIAT)
def theme_object_note(slug, record_id):
    actor = current_actor()
    service().check_may_curate_themes(actor)
    rows, problems = _rows("note")
    try:
        service().set_theme_note(actor, slug, record_id, _note(rows, problems))
    except ValidationFailed as error:
        return _theme_page(slug, error.status, f"note-{record_id}", error, note_rows=rows)
    return _back(slug, "note", anchor=f"object-{record_id}")


@admin_blueprint.post("/themes/<slug>/objects/<record_id>/move")
@signed_in(roles=SECRETARIAT)
def move_theme_object(slug, record_id):
    actor = current_actor()
    service().check_may_curate_themes(actor)
    try:
        service().move_theme_object(actor, slug, record_id, request.form.get("move", ""))
    except ValidationFailed as error:
        return _theme_page(slug, error.status, f"note-{record_id}", error)
    return _back(slug, "moved", anchor=f"object-{record_id}")


@admin_blueprint.post("/themes/<slug>/objects/<record_id>/remove")
@signed_in(roles=SECRETARIAT)
def remove_theme_object(slug, record_id):
    actor = current_actor()
    service().check_may_curate_themes(actor)
    service().remove_theme_object(actor, slug, record_id)
    return _back(slug, "removed", anchor="theme-objects")


@admin_blueprint.post("/themes/<slug>/delete")
@signed_in(roles=SECRETARIAT)
def delete_theme(slug):
    actor = current_actor()
    service().check_may_curate_themes(actor)
    service().delete_theme(actor, slug)
    return redirect(url_for(".themes", done="deleted"), 303)


def _theme_page(slug: str | None, status: int = 200, failed: str | None = None, error=None, **sent):
    """The theme's page (a new theme's form when ``slug`` is None): after a refused form (``failed``
    names it) with the message, what was typed and each message next to its field."""
    actor = current_actor()
    shown: ThemeView | None = service().theme(slug, actor) if slug is not None else None
    form = sent.get("form") or (_form_of(shown) if shown else {})
    errors = _by_field(error)
    page = render_template(
        "admin/theme.html",
        shown=shown,
        theme=shown.theme if shown else None,
        form=form,
        title_field=TITLE,
        introduction_field=INTRODUCTION,
        title_rows=with_spare_rows(form.get("title") or [], TITLE),
        introduction_rows=with_spare_rows(form.get("introduction") or [], INTRODUCTION),
        sent_note_rows=sent.get("note_rows"),
        rows_of=_rows_of,
        status_labels=STATUS_LABELS,
        language_codes=LANGUAGE_SUGGESTIONS,
        added=sent.get("added") or {"reference": "", "note": []},
        spare_rows=lambda rows: [*rows, {"lang": "", "value": ""}],
        failed=failed,
        message=gettext(error.message) if error else None,
        errors=errors,
        unplaced=[text for field, texts in errors.items() if field not in _SHOWN_FIELDS for text in texts],
        notice=_notice(),
        collection_url=_collection_url(shown.theme.slug) if shown else None,
        max_objects=MAX_OBJECTS,
    )
    return page, status


_SHOWN_FIELDS = {"slug", "title", "introduction", "cover", "published", "reference", "note"}


def _form_of(shown: ThemeView) -> dict:
    """The details form's values for a stored theme."""
    theme = shown.theme
    return {
        "slug": theme.slug,
        "title": _rows_of(theme.title),
        "introduction": _rows_of(theme.introduction),
        "cover": theme.cover_image or "",
        "published": theme.published,
        "revision": theme.revision,
    }


def _rows_of(langmap: dict) -> list[dict]:
    return [{"lang": tag, "value": text} for tag, texts in (langmap or {}).items() for text in texts]


def _details_form(with_slug: bool) -> tuple[dict, list[dict]]:
    """The details form as sent (to show again), and the problems found reading its rows."""
    title, problems = _rows("title")
    introduction, more = _rows("introduction")
    form = {
        "title": title,
        "introduction": introduction,
        "cover": request.form.get("cover", "")[:32],
        "published": request.form.get("published") == "1",
        "revision": request.form.get("revision", "")[:12],
    }
    if with_slug:
        form["slug"] = request.form.get("slug", "").strip()[:100]
    return form, problems + more


def _revision() -> int | None:
    """The revision the details form was read at (None when it names none, as a script may send)."""
    revision = request.form.get("revision", "")
    if not revision:
        return None
    if not (revision.isascii() and revision.isdigit() and len(revision) < 10):
        raise ValidationFailed(N_("This form names no revision of the theme; reload the page and try again."))
    return int(revision)


def _details(form: dict, with_slug: bool) -> dict:
    """What the service reads of the details form."""
    details = {
        "title": _langmap(form["title"]),
        "introduction": _langmap(form["introduction"]),
        "cover": form["cover"] or None,
        "published": form["published"],
    }
    return {"slug": form["slug"], **details} if with_slug else details


def _rows(name: str) -> tuple[list[dict], list[dict]]:
    """The filled rows of a language map's inputs (``title.0.lang``, ``title.0.value`` ...), in order
    and numbered again from 0 as they are shown again, with a problem for each row whose language
    code is missing or is not one."""
    numbered: dict[int, dict[str, str]] = {}
    for key in request.form:
        prefix, _, rest = key.partition(".")
        number, _, part = rest.partition(".")
        if prefix == name and number.isascii() and number.isdigit() and len(number) < 4 and part in ("lang", "value"):
            numbered.setdefault(int(number), {})[part] = request.form.get(key, "")
    rows = [
        {"lang": numbered[i].get("lang", "").strip(), "value": numbered[i].get("value", "")}
        for i in sorted(numbered)
        if numbered[i].get("lang", "").strip() or numbered[i].get("value", "").strip()
    ][:MAX_ROWS]
    problems = []
    for index, row in enumerate(rows):
        if not row["lang"] or not is_valid_tag(row["lang"]) or row["lang"].lower() in (NO_LANGUAGE, "und"):
            message = N_("Give the language code of this text, e.g. en, ja or zh-Hant.")
            problems.append({"field": f"{name}.{index}.lang", "message": message})
    return rows, problems


def _langmap(rows: list[dict]) -> dict[str, list[str]]:
    langmap: dict[str, list[str]] = {}
    for row in rows:
        if row["value"].strip():
            langmap.setdefault(row["lang"], []).append(row["value"])
    return langmap


def _by_field(error: CatalogueError | None) -> dict[str, list[str]]:
    """Field -> its messages (translated), to show next to the field; the rest go to the top."""
    messages: dict[str, list[str]] = {}
    for item in translated_errors(error.errors if error else []):
        if isinstance(item, dict):
            messages.setdefault(str(item.get("field") or ""), []).append(str(item.get("message", "")))
    return messages


def _back(slug: str, done: str, anchor: str | None = None):
    """After a change, the theme's page again (a GET, so reloading it sends nothing twice)."""
    return redirect(url_for("admin.theme", slug=slug, done=done, _anchor=anchor), 303)


def _notice() -> str | None:
    done = request.args.get("done", "")
    return gettext(NOTICES[done]) if done in NOTICES else None
