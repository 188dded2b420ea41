"""IIIF Change Discovery: what the public may learn of the audit log, as Create, Update and Delete
activities on manifests, numbered in a stream that only grows, and read back a page at a time.

The resource is a record's IIIF manifest, which exists only while the record is published and has at
least one image. So an activity says that a manifest appeared (Create: first published with an
image, published again, or given its first image), changed while it stayed public (Update: a new
revision of its content or images) or went (Delete: withdrawn, unpublished, or its last image
removed). A published record without images has no manifest and makes no activity: the stream
speaks only of IIIF resources, and when the record gets its first image a Create follows. Changes
to drafts and withdrawn records make nothing, so no draft's id ever appears; activities never name
the curator, only the record's museum.

The stream is replayed from the audit log into derived tables (``catalogue/store/activity.py``), each
entry once and in id order, as requests arrive: a request reads at most MOST_PER_REQUEST new entries
and then one range of numbered activities, never the whole log. An activity's position never
changes, so page n, once full, holds the same activities for good.

On PostgreSQL, ids are handed out before commit, so an entry may commit after a later one: the
replay never passes a missing id while it is recent (it may still commit), and reads past it once
the entry after it is SETTLE old (it was rolled back). Activities' endTimes rise strictly with their
position (an entry committed out of order takes a microsecond after the one before it), so a
harvester may stop at the newest endTime it saw last time."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from catalogue.errors import NotFound
from catalogue.models import DRAFT, PUBLISHED, WITHDRAWN, is_public
from catalogue.service.base import ServiceBase
from catalogue.store import now
from catalogue.store.activity import Activity, AuditStep, DiscoveryProgress, ManifestState

CREATE, UPDATE, DELETE = "Create", "Update", "Delete"
SETTLE = timedelta(seconds=60)  # a missing audit id older than this was rolled back, not in flight
BATCH = 500  # audit entries replayed per transaction
MOST_PER_REQUEST = 20 * BATCH  # a request replays at most this many: a long backlog takes a few requests
PAGE_SIZE = 100  # activities per page unless DISCOVERY_PAGE_SIZE says otherwise
_STATUS_OF_ACTION = {"publish": PUBLISHED, "unpublish": DRAFT, "withdraw": WITHDRAWN}


@dataclass(frozen=True)
class ActivityStream:
    """The stream's extent: how many activities there are, cut into pages of ``page_size``."""

    total: int
    page_size: int

    @property
    def last_page(self) -> int:
        """The page that holds the newest activity (page 0 while there is none)."""
        return max(self.total - 1, 0) // self.page_size

    def start_of(self, page: int) -> int:
        return page * self.page_size


@dataclass(frozen=True)
class ActivityPage:
    stream: ActivityStream
    number: int
    activities: list[Activity]

    @property
    def is_last(self) -> bool:
        """The last page still grows (and gains a ``next`` once it is full); the others never change."""
        return self.number == self.stream.last_page


class ActivityRules(ServiceBase):
    def activity_stream(self, page_size: int = PAGE_SIZE) -> ActivityStream:
        self.catch_up_activities()
        return ActivityStream(self.store.discovery_progress().activities, page_size)

    def activity_page(self, number: int, page_size: int = PAGE_SIZE) -> ActivityPage:
        """Page ``number`` (from 0) of the stream, oldest activity first."""
        self.catch_up_activities()
        start = number * page_size
        progress, activities = self.store.activities(start, start + page_size)
        stream = ActivityStream(progress.activities, page_size)
        if number > stream.last_page:
            raise NotFound(f"There is no page {number}; the last page is {stream.last_page}.")
        return ActivityPage(stream, number, activities)

    def activity(self, position: int) -> Activity:
        """One activity by its position in the stream."""
        self.catch_up_activities()
        _progress, found = self.store.activities(position, position + 1)
        if not found:
            raise NotFound(f"There is no activity {position}.")
        return found[0]

    def catch_up_activities(self, at: datetime | None = None, most: int = MOST_PER_REQUEST) -> int:
        """Replay the audit entries written since the last replay (at most ``most``) into activities;
        returns how many entries were read. ``at`` is the time to judge missing ids by: tests move it
        instead of waiting. Cheap when nothing is new: one read of two single rows."""
        at = at or now()
        replayed = 0
        while replayed < most and self.store.replay_is_behind():
            with self.store.transaction() as conn:
                progress = self.store.lock_discovery(conn)
                ready = settled(self.store.audit_steps(conn, progress.audit_id, BATCH), progress.audit_id, at)
                if ready:
                    known = self.store.manifest_states(conn, {s.record_id for s in ready if s.record_id})
                    self.store.save_replay(conn, *replay(ready, known, progress))
            if not ready:
                break  # a recent missing id: the next request looks again
            replayed += len(ready)
        return replayed


def settled(steps: list[AuditStep], after_id: int, at: datetime) -> list[AuditStep]:
    """The entries of ``steps`` (in id order, after ``after_id``) that may be replayed now: all of them
    up to a missing id that may still commit, that is one followed by an entry younger than SETTLE."""
    ready: list[AuditStep] = []
    expected = after_id + 1
    for step in steps:
        if step.id != expected and at - step.at < SETTLE:
            break
        ready.append(step)
        expected = step.id + 1
    return ready


def replay(
    steps: list[AuditStep], known: dict[str, ManifestState], progress: DiscoveryProgress
) -> tuple[list[ManifestState], list[Activity], DiscoveryProgress]:
    """Replay ``steps`` (at least one, in id order) after ``progress``: the records' new states, the
    activities they make, numbered on from the stream's end, and the progress after them."""
    states = dict(known)
    changed: dict[str, ManifestState] = {}
    made: list[Activity] = []
    last_end = progress.last_end_time
    for step in steps:
        if step.record_id is None:
            continue
        before = states.get(step.record_id) or ManifestState(step.record_id, None, 0, 0)
        after = next_state(before, step)
        if after is None:
            continue
        states[step.record_id] = changed[step.record_id] = after
        kind = activity_type(before, after)
        if kind is not None:
            last_end = _later(last_end, step.at)
            made.append(Activity(progress.activities + len(made), step.record_id, step.museum, kind, last_end, step.id))
    return list(changed.values()), made, DiscoveryProgress(steps[-1].id, progress.activities + len(made), last_end)


def next_state(state: ManifestState, step: AuditStep) -> ManifestState | None:
    """The record's state after ``step``; None when the entry made no new revision (an image URL
    queued or failed, or an entry of another kind). The status is the kept revision's; an old
    entry whose revision was never kept says it by its action, or leaves it as it was."""
    if step.revision is None or step.revision <= state.revision:
        return None
    status = step.status or _STATUS_OF_ACTION.get(step.action) or state.status
    images = state.images + step.images_added - (1 if step.action == "image_removed" else 0)
    return replace(state, status=status, images=max(images, 0), revision=step.revision)


def has_manifest(state: ManifestState) -> bool:
    """The publishing rule of manifests: a published record with at least one image."""
    return state.status is not None and is_public(state.status) and state.images > 0


def activity_type(before: ManifestState, after: ManifestState) -> str | None:
    """Create, Update or Delete, as the manifest appeared, changed or went; None for a change the
    public never saw (a draft's, a withdrawn record's, or one to a record without images)."""
    was, is_now = has_manifest(before), has_manifest(after)
    if is_now:
        return UPDATE if was else CREATE
    return DELETE if was else None


def _later(last: datetime | None, at: datetime) -> datetime:
    """``at``, or a microsecond after ``last`` when an entry committed out of order is older."""
    return at if last is None or at > last else last + timedelta(microseconds=1)
