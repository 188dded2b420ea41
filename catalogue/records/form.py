"""The record form: which fields of ``ObjectRecordSchema`` it shows and how, and the translation both
ways between a stored record body and the values of an HTML form (a werkzeug ``MultiDict``).

Pure: no requests, no database. The form carries the schema's own shape, so the schema validates a
form save exactly as it validates the API and bulk uploads. Repeatable parts (language maps, makers,
other titles, images) are numbered inputs, ``title.0.lang`` and ``makers.1.name``, so an error the
schema reports for ``makers.1.name`` names the very input it is about.
"""

import re
from dataclasses import dataclass

from catalogue import reference
from catalogue.i18n import N_
from catalogue.messages import Message
from catalogue.models import DRAFT, PUBLISHED, WITHDRAWN
from catalogue.records.langmap import NO_LANGUAGE, is_valid_tag

# kinds of input
LINE, TEXT, YEAR, URL, LANGUAGE = "line", "text", "year", "url", "language"
# RIGHTS: one of the controlled rights statements, offered by their names in the page's language
BOOLEAN, RIGHTS, STATUS, LIST, DIMENSIONS = "boolean", "rights", "status", "list", "dimensions"
LANGMAP, ROWS, GROUP = "langmap", "rows", "group"
SCALARS = (LINE, TEXT, YEAR, URL, LANGUAGE, RIGHTS, DIMENSIONS)

SPARE_ROWS = 2  # empty rows after the filled ones, so the form grows without JavaScript
MAX_ROWS = 200  # more rows than any record needs (the schema allows 100 makers)
LANGUAGE_SUGGESTIONS = (
    "en", "ja", "zh", "zh-Hans", "zh-Hant", "ko", "fr", "de", "nl", "it", "es", "pt", "ru", "pl", "sv",
    "da", "fi", "el", "cs", "hu", "th", "vi", "id", "ms", "hi", "bn", "mn", "km", "my", "tl", "ar", "la",
)  # fmt: skip


@dataclass(frozen=True)
class FormField:
    """One field of the form. ``label`` and ``help`` are English source strings, translated where
    they are shown; ``parts`` are the inputs of one row (ROWS) or of a group (GROUP); ``item`` names
    one row and ``add`` the button that adds one."""

    name: str
    kind: str
    label: str
    help: str = ""
    required: bool = False
    multiline: bool = False
    parts: tuple["FormField", ...] = ()
    choices: tuple[str, ...] = ()  # the values a RIGHTS field offers, named by the page
    item: str = ""
    add: str = N_("Add a language")


RIGHTS_URIS = tuple(reference.rights_statements())
STATUS_LABELS = {DRAFT: N_("Draft"), PUBLISHED: N_("Published"), WITHDRAWN: N_("Withdrawn")}

FIELDS: tuple[FormField, ...] = (
    FormField(
        "local_id", LINE, N_("Local id"), N_("The museum's own identifier; it cannot change later."), required=True
    ),
    FormField("accession_number", LINE, N_("Accession number")),
    FormField("language", LANGUAGE, N_("Language of the record"), N_("A code such as en or ja; empty for none.")),
    FormField("status", STATUS, N_("Status"), N_("Change it with Publish, Unpublish or Withdraw.")),
    FormField("title", LANGMAP, N_("Title"), N_("One row per language; at least one title."), required=True),
    FormField(
        "other_titles",
        ROWS,
        N_("Other titles"),
        item=N_("Other title"),
        add=N_("Add a title"),
        parts=(
            FormField("title", LINE, N_("Other title")),
            FormField("type", LINE, N_("Kind of title"), N_("e.g. former, alternative, series")),
            FormField("lang", LANGUAGE, N_("Language")),
        ),
    ),
    FormField("description", LANGMAP, N_("Description"), N_("One row per language."), multiline=True),
    FormField(
        "makers",
        ROWS,
        N_("Makers"),
        N_("Artists, workshops, publishers: one row each."),
        item=N_("Maker"),
        add=N_("Add a maker"),
        parts=(
            FormField("name", LINE, N_("Name")),
            FormField("name_sort", LINE, N_("Name for sorting"), N_("e.g. Hokusai, Katsushika")),
            FormField("role", LINE, N_("Role"), N_("e.g. artist, publisher")),
            FormField("display_dates", LINE, N_("Life dates as shown")),
            FormField("birth_year", YEAR, N_("Birth year")),
            FormField("death_year", YEAR, N_("Death year")),
            FormField("nationality", LINE, N_("Nationality")),
        ),
    ),
    FormField("date_display", LINE, N_("Date as shown"), N_("e.g. c. 1830-32, Edo period, 5th century BCE")),
    FormField(
        "date_begin",
        YEAR,
        N_("Earliest year"),
        N_("Negative before the common era. Left empty, read from the date as shown."),
    ),
    FormField("date_end", YEAR, N_("Latest year")),
    FormField("object_type", LINE, N_("Object type"), N_("e.g. print, painting, vase")),
    FormField("classification", LINE, N_("Classification")),
    FormField("medium", LINE, N_("Medium"), N_("e.g. woodblock print; ink and colour on paper")),
    FormField("materials", LIST, N_("Materials"), N_("One per line. Left empty, they are read from the medium.")),
    FormField("technique", LINE, N_("Technique")),
    FormField("dimensions", DIMENSIONS, N_("Dimensions"), N_("As the museum writes them, e.g. 25.7 x 37.9 cm")),
    FormField("culture", LINE, N_("Culture")),
    FormField("period", LINE, N_("Period")),
    FormField("dynasty", LINE, N_("Dynasty")),
    FormField("place_of_origin", LINE, N_("Place of origin")),
    FormField("place_depicted", LINE, N_("Place depicted")),
    FormField("country", LIST, N_("Countries"), N_("One per line: a code such as JP or an English name.")),
    FormField("subjects", LIST, N_("Subjects"), N_("One per line.")),
    FormField("inscription", TEXT, N_("Inscription")),
    FormField("credit_line", LINE, N_("Credit line")),
    FormField("department", LINE, N_("Department")),
    FormField(
        "rights",
        GROUP,
        N_("Rights"),
        parts=(
            FormField("metadata_license", RIGHTS, N_("Licence of this record's text"), choices=RIGHTS_URIS),
            FormField("image_rights", RIGHTS, N_("Rights of the images"), choices=RIGHTS_URIS),
        ),
    ),
    FormField("source_url", URL, N_("Page at the museum"), N_("A web address starting with https:// or http://")),
    FormField(
        "images",
        ROWS,
        N_("Images to fetch"),
        N_("Web addresses of images the catalogue fetches and adds to the record once it is saved."),
        item=N_("Image"),
        add=N_("Add an image"),
        parts=(
            FormField("url", URL, N_("Image address")),
            FormField("alt", LINE, N_("Text alternative"), N_("What the image shows, for people who cannot see it.")),
        ),
    ),
    FormField("masterpiece", BOOLEAN, N_("Masterpiece"), N_("Featured on the home page.")),
)

# Schema fields the form does not show, and why: every other schema field must be in FIELDS.
NOT_SHOWN = {
    "image_url": "One image address, the bulk upload's column; the form's image rows do its work.",
    "source_record": "The record as its museum's system sent it (LIDO): not for editing, kept by every form save.",
}

SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (N_("Identity"), ("local_id", "accession_number", "language", "status", "masterpiece")),
    (N_("Titles and description"), ("title", "other_titles", "description")),
    (N_("Who made it"), ("makers",)),
    (N_("Dates"), ("date_display", "date_begin", "date_end")),
    (N_("The object"), ("object_type", "classification", "medium", "materials", "technique", "dimensions")),
    (N_("Context"), ("culture", "period", "dynasty", "place_of_origin", "place_depicted", "country", "subjects")),
    (N_("Inscription and credit"), ("inscription", "credit_line", "department")),
    (N_("Rights and links"), ("rights", "source_url")),
    (N_("Images"), ("images",)),
)
BY_NAME = {f.name: f for f in FIELDS}
_ROW_KEY = re.compile(r"^(?P<name>[a-z_]+)\.(?P<index>\d{1,6})\.(?P<part>[a-z_]+)$")
_LANGMAP_PARTS = ("lang", "value")


def sections() -> list[tuple[str, list[FormField]]]:
    """The form's fieldsets in order: (legend, fields)."""
    return [(legend, [BY_NAME[name] for name in names]) for legend, names in SECTIONS]


def part_names(form_field: FormField) -> tuple[str, ...]:
    """The inputs of one row of a repeatable field."""
    return _LANGMAP_PARTS if form_field.kind == LANGMAP else tuple(p.name for p in form_field.parts)


# stored body -> form values -------------------------------------------------------------------
def blank_values(status: str = DRAFT) -> dict:
    """The values of an empty form (a new record, a draft unless told otherwise)."""
    return {**body_to_values({}), "status": status}


def body_to_values(body: dict) -> dict:
    """The form's values for a stored record body."""
    return {f.name: _to_value(f, body.get(f.name)) for f in FIELDS}


def _to_value(form_field: FormField, value):
    kind = form_field.kind
    if kind == BOOLEAN:
        return bool(value)
    if kind == LIST:
        return "\n".join(value or [])
    if kind == DIMENSIONS:
        return (value or {}).get("text") or ""
    if kind == LANGUAGE:
        return "" if value in (None, NO_LANGUAGE) else value
    if kind == LANGMAP:
        return [
            {"lang": "" if tag == NO_LANGUAGE else tag, "value": text}
            for tag, texts in (value or {}).items()
            for text in texts
        ]
    if kind == ROWS:
        return [{p.name: _text(item.get(p.name)) for p in form_field.parts} for item in value or []]
    if kind == GROUP:
        return {p.name: _text((value or {}).get(p.name)) for p in form_field.parts}
    return _text(value)


def _text(value) -> str:
    return "" if value is None else str(value)


def with_spare_rows(rows: list[dict], form_field: FormField) -> list[dict]:
    """The rows to show: the filled ones, then SPARE_ROWS empty ones."""
    return rows + [dict.fromkeys(part_names(form_field), "") for _ in range(SPARE_ROWS)]


# submitted form -> form values -> payload ------------------------------------------------------
def read_form(form) -> tuple[dict, list[dict]]:
    """The values of a submitted form (a MultiDict, or any mapping with ``get``), and the problems
    found reading it: [{"field", "message"}] for rows beyond MAX_ROWS and language codes that are
    not language tags. Empty rows are dropped and the rest numbered from 0, so an error's path
    (``makers.1.name``) names the row as it is shown again. Never raises on odd input."""
    rows = _collect_rows(form)
    values: dict = {}
    problems: list[dict] = []
    for f in FIELDS:
        if f.kind == BOOLEAN:
            values[f.name] = form.get(f.name, "") not in ("", "0", "false", "off")
        elif f.kind in (LANGMAP, ROWS):
            values[f.name], found = _read_rows(f, rows.get(f.name, {}))
            problems += found
        elif f.kind == GROUP:
            values[f.name] = {p.name: _field_text(form, f"{f.name}.{p.name}") for p in f.parts}
        else:
            values[f.name] = _field_text(form, f.name)
    return values, problems


def _field_text(form, name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def _collect_rows(form) -> dict[str, dict[int, dict[str, str]]]:
    """{"makers": {3: {"name": "..."}}} from the numbered inputs ``makers.3.name``."""
    rows: dict[str, dict[int, dict[str, str]]] = {}
    for key in form:
        match = _ROW_KEY.match(key)
        if match and match["name"] in BY_NAME:
            index = int(match["index"])
            rows.setdefault(match["name"], {}).setdefault(index, {})[match["part"]] = _field_text(form, key)
    return rows


def _read_rows(form_field: FormField, numbered: dict[int, dict[str, str]]) -> tuple[list[dict], list[dict]]:
    parts = part_names(form_field)
    rows = []
    for index in sorted(numbered):
        row = {part: numbered[index].get(part, "") for part in parts}
        if any(text.strip() for text in row.values()):
            rows.append(row)
    problems = []
    if len(rows) > MAX_ROWS:
        problems.append({"field": form_field.name, "message": Message(N_("At most %(n)s rows."), n=MAX_ROWS)})
        rows = rows[:MAX_ROWS]
    language_part = "lang" if form_field.kind == LANGMAP or "lang" in parts else None
    for index, row in enumerate(rows):
        tag = row.get(language_part or "", "").strip()
        if language_part and tag and not is_valid_tag(tag):
            problems.append(
                {
                    "field": f"{form_field.name}.{index}.{language_part}",
                    "message": N_("Not a language code (e.g. en, ja, zh-Hant)."),
                }
            )
    return rows, problems


def to_payload(values: dict) -> dict:
    """The record payload for ``service.upsert``: what the curator filled in, in the schema's shape.
    Empty inputs are left out, so the schema's defaults apply as for any other way in; rows whose
    language code is not a tag are left out too (``read_form`` reported them)."""
    payload: dict = {}
    for f in FIELDS:
        value = values.get(f.name)
        if f.kind == BOOLEAN:
            payload[f.name] = bool(value)
        elif f.kind == LIST:
            items = [line.strip() for line in (value or "").splitlines() if line.strip()]
            if items:
                payload[f.name] = items
        elif f.kind == LANGMAP:
            langmap = _langmap(value or [])
            if langmap:
                payload[f.name] = langmap
        elif f.kind == ROWS:
            rows = [_filled(row) for row in value or [] if _usable_row(row)]
            if rows:
                payload[f.name] = rows
        elif f.kind == GROUP:
            group = _filled(value or {})
            if group:
                payload[f.name] = group
        elif (value or "").strip() or f.name == "local_id":
            payload[f.name] = value or ""
    return payload


def _langmap(rows: list[dict]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for row in rows:
        tag, text = (row.get("lang") or "").strip() or NO_LANGUAGE, row.get("value") or ""
        if text.strip() and is_valid_tag(tag):
            result.setdefault(tag, []).append(text)
    return result


def _usable_row(row: dict) -> bool:
    tag = (row.get("lang") or "").strip()
    return any(text.strip() for text in row.values()) and (not tag or is_valid_tag(tag))


def _filled(row: dict) -> dict:
    return {name: text for name, text in row.items() if text.strip()}


# errors -> inputs ------------------------------------------------------------------------------
def place_errors(errors: list[dict], values: dict) -> tuple[dict[str, list[str]], list[str]]:
    """Sort error messages by the input (or fieldset, or row) they belong to: ({path: [message]},
    [messages for the top of the form]). A language map's ``title.ja`` goes to the first ``ja`` row;
    a path the form does not show goes to the top, so no message is lost."""
    known = _known_paths(values)
    placed: dict[str, list[str]] = {}
    unplaced: list[str] = []
    for error in errors:
        path = _form_path(str(error.get("field") or ""), values)
        if path in known:
            placed.setdefault(path, []).append(error["message"])
        else:
            unplaced.append(f"{error['field']}: {error['message']}" if error.get("field") else error["message"])
    return placed, unplaced


def _form_path(path: str, values: dict) -> str:
    name, _, rest = path.partition(".")
    form_field = BY_NAME.get(name)
    if form_field is not None and form_field.kind == LANGMAP and rest and not rest.split(".")[0].isdigit():
        for index, row in enumerate(values.get(name) or []):
            if (row.get("lang") or NO_LANGUAGE).lower() == rest.lower():
                return f"{name}.{index}.value"
        return name
    return path


def _known_paths(values: dict) -> set[str]:
    known = set()
    for f in FIELDS:
        known.add(f.name)
        if f.kind == GROUP:
            known.update(f"{f.name}.{p.name}" for p in f.parts)
        elif f.kind in (LANGMAP, ROWS):
            for index in range(len(values.get(f.name) or []) + SPARE_ROWS):
                known.add(f"{f.name}.{index}")
                known.update(f"{f.name}.{index}.{part}" for part in part_names(f))
    return known
