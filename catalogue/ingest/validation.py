"""A row's record validated and normalised, in the importing process or in one of its worker
processes. This module stays light on purpose: a worker imports it, the record schema and nothing
else of the app (no store, service or views), so a pool of workers is ready in a few tenths of a
second instead of more than one (see tests/ingest/test_validation.py)."""

import json
from dataclasses import dataclass, field, replace

from catalogue.errors import ValidationFailed
from catalogue.ingest import shared_format
from catalogue.ingest.readers import Line, Row, row_of
from catalogue.records.langmap import NO_LANGUAGE
from catalogue.records.schema import validate_record


@dataclass
class Validated:
    """A row's record as validation left it: the body, or the errors (field, message, value)."""

    body: dict | None
    local_id: str | None = None
    errors: list[tuple] = field(default_factory=list)
    kept: tuple[str, ...] = ()  # fields the row does not name: an update keeps the stored values


def validated(data: dict, default_status: str | None) -> Validated:
    """A row's record, validated and normalised (in this process or in an import worker). A row
    that names no status gives a new record the import's default, but leaves an existing record's
    status as it is: a museum sending its nightly file again must not bring back what a curator
    withdrew, nor publish a draft, nor make a published record a draft."""
    payload = row_payload(data)
    kept: tuple[str, ...] = ()
    if payload.get("status") in (None, ""):
        kept = ("status",)
        if default_status:
            payload["status"] = default_status
    try:
        return Validated(validate_record(payload), kept=kept)
    except ValidationFailed as failure:
        local_id = payload.get("local_id") if isinstance(payload.get("local_id"), str) else None
        errors = [(e["field"], e["message"], value_at(payload, e["field"])) for e in failure.errors]
        return Validated(None, local_id, errors)


def prepared_chunk(items: list[Row | Line], default_status: str | None) -> list[tuple[Row, Validated | None]]:
    """A worker's task: each row of a chunk read (a JSON Lines line comes as its bytes) and
    validated. A row goes back with only the keys that name its museum, which the importing process
    checks (and its local id, which a row refused for its museum is reported with): sending back
    the whole row would cost that process about what reading it does."""
    prepared: list[tuple[Row, Validated | None]] = []
    for item in items:
        row = row_of(item)
        if row is None:  # a blank line
            continue
        if row.data is None:  # the reader refused it
            prepared.append((row, None))
        else:
            prepared.append((replace(row, data=museum_keys(row.data)), validated(row.data, default_status)))
    return prepared


# what the importer reads of a row to find its museum (shared_format.museum_of, is_shared_record),
# and the local id it names a row refused for its museum by (importer._own_local_id)
MUSEUM_KEYS = ("museum", "local_id", "source_museum", "source_museum_country", *sorted(shared_format.SHARED_KEYS))


def museum_keys(data: dict) -> dict:
    return {key: data[key] for key in MUSEUM_KEYS if key in data}


def worker_ready() -> bool:
    """A first task: done once a worker has started (and imported the schema)."""
    return True


def row_payload(data: dict) -> dict:
    """The record a row holds, without the museum (which is not part of a record)."""
    if shared_format.is_shared_record(data):
        return shared_format.to_record(data)
    return {k: v for k, v in data.items() if k != "museum"}


SHOWN_VALUE_CHARACTERS = 200


def value_at(payload: dict, path: str | None):
    """The value a field error is about ("makers.0.name"), for the report: None when there is none
    to show, and a long one cut short (a report line must not carry a 10 MB cell)."""
    if not path:
        return None
    value: object = payload
    for part in path.split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    if not isinstance(value, (str, int, float, bool)):
        value = None if value is None else _as_written(value)
    if isinstance(value, str) and len(value) > SHOWN_VALUE_CHARACTERS:
        value = value[:SHOWN_VALUE_CHARACTERS] + "…"
    return value


def _as_written(value) -> str:
    """A value that is not one text or number, as its curator reads it: a language map as its texts
    (a CSV cell's title is the text the cell held, not Python's "{'none': ['…"), anything else as JSON."""
    if isinstance(value, dict) and value and all(_texts(texts) for texts in value.values()):
        return " · ".join(
            text if tag == NO_LANGUAGE else f"{tag}: {text}" for tag, texts in value.items() for text in texts
        )
    return json.dumps(value, ensure_ascii=False, default=str)


def _texts(value) -> bool:
    return isinstance(value, list) and all(isinstance(text, str) for text in value)
