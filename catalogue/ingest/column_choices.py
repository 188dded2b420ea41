"""The record fields a CSV column can be mapped to on the curator pages, a first guess from each
header, and the ``ColumnMapping`` a curator's choices make (the same mapping the CLI reads)."""

import re
from dataclasses import dataclass

from catalogue.errors import ValidationFailed
from catalogue.ingest.readers import REQUIRED_FIELDS
from catalogue.messages import N_, Message

LANGUAGES = {
    "en": N_("English"),
    "ja": N_("Japanese"),
    "zh": N_("Chinese"),
    "ko": N_("Korean"),
    "fr": N_("French"),
    "de": N_("German"),
    "nl": N_("Dutch"),
}
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class RecordField:
    """One choice of the mapping step: ``name`` is the field path the CSV reader fills
    ("title.ja", "rights.image_rights"); ``detail`` says more (the language of a title)."""

    name: str
    label: str
    detail: str | None = None
    split: str | None = None  # a cell holds several values, separated by this
    repeatable: bool = False  # several columns may fill it (titles in one language, makers)


def _fields() -> tuple[RecordField, ...]:
    text = [RecordField("title", N_("Title (in the language chosen below)"), repeatable=True)]
    text += [RecordField(f"title.{code}", N_("Title"), label, repeatable=True) for code, label in LANGUAGES.items()]
    text.append(RecordField("description", N_("Description (in the language chosen below)"), repeatable=True))
    text += [
        RecordField(f"description.{code}", N_("Description"), label, repeatable=True)
        for code, label in LANGUAGES.items()
    ]
    listed = N_("separated by ;")
    return (
        RecordField("local_id", N_("Local id (your own object number; required)")),
        RecordField("accession_number", N_("Accession number")),
        RecordField("museum", N_("Museum code (must be this museum)")),
        RecordField("language", N_("Language of the record (a code such as en or ja)")),
        *text,
        RecordField("makers", N_("Maker names"), split=LIST_SEPARATOR, repeatable=True, detail=listed),
        RecordField("date_display", N_("Date (as displayed)")),
        RecordField("date_begin", N_("Earliest year")),
        RecordField("date_end", N_("Latest year")),
        RecordField("object_type", N_("Object type")),
        RecordField("classification", N_("Classification")),
        RecordField("medium", N_("Medium")),
        RecordField("materials", N_("Materials"), split=LIST_SEPARATOR, detail=listed),
        RecordField("technique", N_("Technique")),
        RecordField("dimensions", N_("Dimensions")),
        RecordField("culture", N_("Culture")),
        RecordField("period", N_("Period")),
        RecordField("dynasty", N_("Dynasty")),
        RecordField("place_of_origin", N_("Place of origin")),
        RecordField("place_depicted", N_("Place depicted")),
        RecordField("country", N_("Countries (ISO codes)"), split=LIST_SEPARATOR, detail=listed),
        RecordField("subjects", N_("Subjects"), split=LIST_SEPARATOR, detail=listed),
        RecordField("inscription", N_("Inscription")),
        RecordField("credit_line", N_("Credit line")),
        RecordField("department", N_("Department")),
        RecordField("rights.metadata_license", N_("Licence of the record")),
        RecordField("rights.image_rights", N_("Rights of the images")),
        RecordField("source_url", N_("Web page of the object")),
        RecordField("image_url", N_("Image URL")),
        RecordField("masterpiece", N_("Masterpiece (yes or no)")),
        RecordField("status", N_("Status (published, draft or withdrawn)")),
    )


FIELDS = _fields()
BY_NAME = {field.name: field for field in FIELDS}
# headers museums commonly use for a field whose name differs (compared as by _key)
SYNONYMS = {
    "id": "local_id",
    "object_id": "local_id",
    "object_number": "local_id",
    "objectnummer": "local_id",
    "inventory_number": "local_id",
    "accession_no": "accession_number",
    "name": "title",
    "titel": "title",
    "artist": "makers",
    "artists": "makers",
    "maker": "makers",
    "creator": "makers",
    "date": "date_display",
    "dating": "date_display",
    "type": "object_type",
    "material": "materials",
    "credit": "credit_line",
    "image": "image_url",
    "image_link": "image_url",
    "url": "source_url",
    "link": "source_url",
    "license": "rights.metadata_license",
    "licence": "rights.metadata_license",
    "image_rights": "rights.image_rights",
}


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", text.strip().lower()).strip("_")


def suggest(header: list[str]) -> dict[int, str]:
    """Column index -> the field its header names (by field name or a common synonym); each field
    that only one column may fill is guessed once, for its first column."""
    names = {_key(name): name for name in BY_NAME}
    guesses: dict[int, str] = {}
    for index, column in enumerate(header):
        key = _key(column)
        guess = names.get(key) or SYNONYMS.get(key)
        if guess and (BY_NAME[guess].repeatable or guess not in guesses.values()):
            guesses[index] = guess
    return guesses


def chosen(mapping: dict | None, header: list[str]) -> dict[int, str]:
    """The choices a saved mapping stands for, to show it again."""
    columns = (mapping or {}).get("columns", {})
    found = {index: columns.get(column) for index, column in enumerate(header)}
    return {index: spec["field"] if isinstance(spec, dict) else spec for index, spec in found.items() if spec}


def build_mapping(header: list[str], choices: dict[int, str], language: str | None) -> dict:
    """The mapping (as ``ColumnMapping.load`` reads it) for the curator's choices, or
    ValidationFailed with a message per column ("column-3") that cannot be used."""
    errors: list[dict] = []
    columns: dict[str, dict] = {}
    used: dict[str, int] = {}
    for index, name in sorted(choices.items()):
        if not name:
            continue
        field = BY_NAME.get(name)
        column = header[index] if 0 <= index < len(header) else None
        problem = _problem(field, column, header, used.get(name))
        if problem:
            errors.append({"field": f"column-{index}", "message": problem})
            continue
        assert field is not None and column is not None
        used.setdefault(name, index)
        columns[column] = {"field": name, **({"split": field.split} if field.split else {})}
    mapped = {spec["field"].split(".")[0] for spec in columns.values()}
    missing = [name.replace("_", " ") for name in REQUIRED_FIELDS if name not in mapped]
    if missing:
        message = Message(N_("Choose a column for: %(fields)s."), fields=", ".join(missing))
        errors.append({"field": "mapping", "message": message})
    if language and language not in LANGUAGES:
        errors.append({"field": "language", "message": Message(N_("Choose one of the languages listed."))})
    if errors:
        raise ValidationFailed(N_("Some columns cannot be mapped that way."), errors)
    return {"columns": columns, "language": language or None}


def _problem(field: RecordField | None, column, header: list[str], used_by: int | None) -> str | None:
    if field is None or column is None:
        return Message(N_("Not a field of a record."))
    if header.count(column) > 1:
        return Message(N_("Two columns are named %(name)s; rename one in the file to map it."), name=repr(column))
    if used_by is not None and not field.repeatable:
        return Message(N_("Column %(number)s already fills this field."), number=used_by + 1)
    return None
