"""A record's history as pure functions: what changed between two revisions (a field diff), the
kept copy of a revision, and the story a record's kept revisions and audit entries tell together."""

from dataclasses import dataclass, field
from datetime import datetime

from catalogue.models import Actor
from catalogue.store.clock import aware


def revision_row(actor: Actor, record_id: str, revision: int, body: dict, at: datetime) -> dict:
    """The kept copy of one revision of a record (table record_revisions)."""
    return {
        "record_id": record_id,
        "revision": revision,
        "body": body,
        "status": body["status"],
        "actor": actor.name,
        "at": at,
    }


def field_diff(old: dict | None, new: dict) -> dict[str, list]:
    """Field name -> [old value, new value] for the fields that differ; on creation (``old`` None)
    every field that holds something, with None as its old value. Values are kept whole."""
    if old is None:
        return {name: [None, value] for name, value in new.items() if value not in (None, "", [], {})}
    names = sorted(set(old) | set(new))
    return {name: [old.get(name), new.get(name)] for name in names if old.get(name) != new.get(name)}


BEFORE_HISTORY = "migration"  # the actor of revisions kept when history began (migration 0004)


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a record's history: a kept revision of its content, or another audited event."""

    at: datetime
    actor: str
    action: str  # create, update, publish, unpublish, withdraw, revert, images_added, ...
    revision: int | None
    status: str | None = None  # the record's status at this revision; None for other events
    fields: dict[str, list] = field(default_factory=dict)  # name -> [old, new] against the revision before
    details: dict = field(default_factory=dict)  # the audit entry's other changes (images, reverted_to)
    kept: bool = False  # its content is kept, so the record can be reverted to it
    first_kept: bool = False  # history began here: earlier contents were never kept, so no diff


def history(revisions: list[dict], audit: list[dict]) -> list[HistoryEntry]:
    """Kept revisions (oldest first) and audit entries, merged into one story, newest first. A
    revision takes its action and details from the audit entry of the same revision; audit entries
    that match no kept revision (older ones, image events) are told as they were logged."""
    by_revision: dict[int, dict] = {}
    events: list[dict] = []
    for entry in audit:
        if entry["revision"] is not None and entry["revision"] not in by_revision:
            by_revision[entry["revision"]] = entry
        else:
            events.append(entry)
    entries, previous = [], None
    for kept in revisions:
        logged = by_revision.pop(kept["revision"], None)
        entries.append(_revision_entry(kept, logged, previous))
        previous = kept
    entries.extend(_event_entry(entry) for entry in [*by_revision.values(), *events])
    return sorted(entries, key=lambda e: (e.at, e.revision or 0), reverse=True)


def _revision_entry(kept: dict, logged: dict | None, previous: dict | None) -> HistoryEntry:
    first_kept = previous is None and kept["actor"] == BEFORE_HISTORY and kept["revision"] > 1
    details = {k: v for k, v in (logged or {}).get("changes", {}).items() if k != "fields"}
    return HistoryEntry(
        at=kept["at"],
        actor=logged["actor"] if logged else kept["actor"],
        action=logged["action"] if logged else ("create" if kept["revision"] == 1 else "update"),
        revision=kept["revision"],
        status=kept["status"],
        fields={} if first_kept else field_diff(previous["body"] if previous else None, kept["body"]),
        details=details,
        kept=True,
        first_kept=first_kept,
    )


def _event_entry(entry: dict) -> HistoryEntry:
    changes = entry["changes"] or {}
    fields = changes.get("fields")
    if isinstance(fields, dict):  # a field diff whose revision's content was not kept
        details = {k: v for k, v in changes.items() if k != "fields"}
    else:  # an image event, or an audit entry from before field diffs (its "fields" names only)
        fields, details = {}, changes
    return HistoryEntry(
        at=aware(entry["at"]),
        actor=entry["actor"],
        action=entry["action"],
        revision=entry["revision"],
        fields=fields,
        details=details,
    )
