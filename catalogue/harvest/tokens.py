"""Resumption tokens: what an incomplete list is (verb, metadata prefix, set, from, until) and where
it stopped (the keyset position of its last record), signed with the app's secret key so that a
harvester can hand one back but not forge or alter it. A token lasts a day; nothing is kept on
our side, so any app process answers any token."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadData, URLSafeSerializer

from catalogue.harvest.arguments import BAD_RESUMPTION_TOKEN, OaiError

LIFETIME = timedelta(hours=24)
VERSION = 1  # bumped when the payload changes: older tokens are then refused, not misread
SALT = "catalogue.harvest resumption token"  # a value signed for anything else is not a token


@dataclass(frozen=True)
class ListState:
    """Where a list stopped: ``after`` is the (updated_at, id) of its last record so far, and
    ``cursor`` how many records came before the next page."""

    verb: str
    prefix: str
    set_spec: str | None
    from_text: str | None
    until_text: str | None
    after: tuple[datetime, str]
    total: int
    cursor: int
    expires: datetime


def issue(state: ListState, secret: str) -> str:
    """The token of ``state``: URL-safe text (letters, digits, '-', '_' and '.')."""
    payload = [
        VERSION,
        state.verb,
        state.prefix,
        state.set_spec,
        state.from_text,
        state.until_text,
        state.after[0].isoformat(),
        state.after[1],
        state.total,
        state.cursor,
        state.expires.isoformat(),
    ]
    return URLSafeSerializer(secret, salt=SALT).dumps(payload)


def redeem(token: str, verb: str, secret: str, now: datetime) -> ListState:
    """The state a token carries, when it is ours, unaltered, of this verb and not expired;
    otherwise badResumptionToken."""
    try:
        payload = URLSafeSerializer(secret, salt=SALT).loads(token)
    except BadData:
        raise OaiError(BAD_RESUMPTION_TOKEN, "This resumptionToken was not issued here or was altered.") from None
    state = _state(payload)
    if state.verb != verb:
        raise OaiError(BAD_RESUMPTION_TOKEN, f"This resumptionToken continues a {state.verb} list, not {verb}.")
    if state.expires <= now:
        raise OaiError(BAD_RESUMPTION_TOKEN, "This resumptionToken has expired; start the list again.")
    return state


def _state(payload) -> ListState:
    """A payload signed by us can still be of an older version: refused, never guessed at."""
    try:
        version, verb, prefix, set_spec, from_text, until_text, at, record_id, total, cursor, expires = payload
        if version != VERSION:
            raise ValueError(version)
        return ListState(
            verb,
            prefix,
            set_spec,
            from_text,
            until_text,
            (datetime.fromisoformat(at), record_id),
            total,
            cursor,
            datetime.fromisoformat(expires),
        )
    except (TypeError, ValueError):
        raise OaiError(BAD_RESUMPTION_TOKEN, "This resumptionToken is stale; start the list again.") from None
