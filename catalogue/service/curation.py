"""What a museum's curators see of their own records: the dashboard's lists, filters, counts and
recent changes; and the record form's save, which drops nothing silently."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from marshmallow import ValidationError

from catalogue.errors import Forbidden, ValidationFailed
from catalogue.messages import N_
from catalogue.models import Actor, Museum
from catalogue.records.fields import collecting_warnings, refusing_unusable_values, why_dropped
from catalogue.records.langmap import pick
from catalogue.records.schema import STATUSES, ObjectRecordSchema, field_errors
from catalogue.service.base import Outcome, ServiceBase

_SCHEMA = ObjectRecordSchema()
IMAGE_FILTERS = ("missing", "present")
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class RecordFilter:
    """The dashboard's filters: text in the local id or a title, status, images missing or present,
    only records with data-quality warnings."""

    text: str = ""
    status: str | None = None
    images: str | None = None
    warnings: bool = False

    def check(self) -> "RecordFilter":
        problems = []
        if self.status and self.status not in STATUSES:
            problems.append({"field": "status", "message": f"One of {', '.join(STATUSES)}."})
        if self.images and self.images not in IMAGE_FILTERS:
            problems.append({"field": "images", "message": f"One of {', '.join(IMAGE_FILTERS)}."})
        if problems:
            raise ValidationFailed("The filters are not valid.", problems)
        return RecordFilter(
            self.text.strip()[:MAX_QUERY_LENGTH], self.status or None, self.images or None, self.warnings
        )


@dataclass(frozen=True)
class RecordRow:
    """One line of the dashboard's table."""

    id: str
    local_id: str
    title: dict
    status: str
    revision: int
    masterpiece: bool
    updated_at: datetime
    image_count: int
    warning_count: int

    def shown_title(self, languages=("en",)) -> str:
        return pick(self.title, languages) or self.local_id


@dataclass(frozen=True)
class RecentChange:
    """One audit entry of one of the museum's records, with the names of the fields it changed."""

    at: datetime
    actor: str
    action: str
    record_id: str
    local_id: str
    title: dict
    revision: int | None
    fields: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Dashboard:
    museum: Museum
    counts: dict[str, int]
    rows: list[RecordRow]
    total: int
    page: int
    pages: int
    recent: list[RecentChange]


def changed_fields(changes) -> list[str]:
    """The field names an audit entry changed. Record writes note {"fields": {name: [old, new]}}
    (older entries {"fields": [names]}); a status change alone notes {"status": [old, new]}."""
    if not isinstance(changes, dict):
        return []
    names = changes.get("fields")
    if isinstance(names, dict):
        return sorted(str(name) for name in names)
    if isinstance(names, list):
        return [str(name) for name in names]
    return ["status"] if isinstance(changes.get("status"), list) else []


class CurationRules(ServiceBase):
    save_records: Callable[..., list[Outcome]]  # of RecordRules, beside this mix-in in CatalogueService

    def dashboard(
        self, actor: Actor, museum_code: str, wanted: RecordFilter, page: int = 1, size: int = 25
    ) -> Dashboard:
        """A museum's records as its curators see them (every status); a page past the last shows
        the last."""
        museum = self.museum(museum_code)
        if not actor.may_write(museum_code):
            raise Forbidden(f"{actor.name} may not see the curator pages of {museum_code!r}.")
        wanted = wanted.check()
        rows, total = self._record_page(museum_code, wanted, page, size)
        pages = max(1, -(-total // size))
        if page > pages:
            page = pages
            rows, total = self._record_page(museum_code, wanted, page, size)
        return Dashboard(
            museum,
            self.store.curation_counts(museum_code),
            [RecordRow(**row) for row in rows],
            total,
            max(page, 1),
            pages,
            [_recent(entry) for entry in self.store.recent_changes(museum_code)],
        )

    def _record_page(self, museum_code: str, wanted: RecordFilter, page: int, size: int) -> tuple[list[dict], int]:
        offset = (max(page, 1) - 1) * size
        return self.store.curation_records(
            museum_code, wanted.text, wanted.status, wanted.images, wanted.warnings, size, offset
        )

    def save_from_form(
        self,
        actor: Actor,
        museum_code: str,
        payload: dict,
        expected_revision: int | None,
        problems: Sequence[dict] = (),
    ) -> Outcome:
        """Save a record from the curator form, only when neither the form (``problems``) nor the
        schema found anything to fix. The values an import would drop with a warning are errors
        here: the curator is there to correct them, so nothing is dropped without their seeing why."""
        body, found = checked_form_record(payload)
        found = [*problems, *found]
        if found:
            raise ValidationFailed(N_("The record was not saved: correct the fields marked below."), found)
        return self.save_records(actor, museum_code, [body], expected_revision)[0]


def checked_form_record(payload: dict) -> tuple[dict, list[dict]]:
    """A record from the form as the schema loads it, and every problem in one list, each as
    {"field", "message"}: the schema loads it refusing what an import would drop (a year "abc",
    an unknown country, a latest year before the earliest), so those are errors beside the others,
    all found in one pass; a curator sees them at once, not one round of errors after another."""
    with collecting_warnings() as dropped, refusing_unusable_values():
        try:
            body, problems = _SCHEMA.load(payload), []
        except ValidationError as error:
            body, problems = {}, field_errors(error)
    # nothing is dropped on the form; should a value be all the same, it is a problem to fix too
    return body, problems + [{"field": w["field"], "message": why_dropped(w["reason"])} for w in dropped]


def _recent(entry: dict) -> RecentChange:
    return RecentChange(
        at=entry["at"],
        actor=entry["actor"],
        action=entry["action"],
        record_id=entry["record_id"],
        local_id=entry["local_id"],
        title=entry["title"],
        revision=entry["revision"],
        fields=changed_fields(entry["changes"]),
    )
