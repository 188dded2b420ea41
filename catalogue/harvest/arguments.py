"""What an OAI-PMH request may say: its verb, the arguments each verb takes, and the syntax of
dates, set specs and metadata prefixes. A request that breaks these rules is refused with the
spec's error code (``OaiError``) before anything is read from the catalogue."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

BAD_ARGUMENT = "badArgument"
BAD_RESUMPTION_TOKEN = "badResumptionToken"
BAD_VERB = "badVerb"
CANNOT_DISSEMINATE_FORMAT = "cannotDisseminateFormat"
ID_DOES_NOT_EXIST = "idDoesNotExist"
NO_RECORDS_MATCH = "noRecordsMatch"
# the spec's two other codes never apply here: every item is offered in every format (a deleted one
# too: its GetRecord is its header), and the catalogue has sets
NO_METADATA_FORMATS = "noMetadataFormats"
NO_SET_HIERARCHY = "noSetHierarchy"

TOKEN = "resumptionToken"
# the spec's XML Schema patterns for a metadataPrefix and a setSpec
PREFIX_SYNTAX = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")
SET_SPEC_SYNTAX = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(?::[A-Za-z0-9\-_.!~*'()]+)*")
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SECOND = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


class OaiError(Exception):
    """An OAI-PMH error condition: its code (``badArgument``, ...) and a message for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Verb:
    """The arguments one verb takes besides ``verb``; ``resumable`` verbs also take a
    resumptionToken, alone."""

    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    resumable: bool = False


_LIST = Verb(frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"}), resumable=True)
VERBS = {
    "Identify": Verb(),
    "ListMetadataFormats": Verb(optional=frozenset({"identifier"})),
    "ListSets": Verb(resumable=True),
    "ListIdentifiers": _LIST,
    "ListRecords": _LIST,
    "GetRecord": Verb(required=frozenset({"identifier", "metadataPrefix"})),
}


@dataclass(frozen=True)
class OaiRequest:
    """A request whose verb and arguments are valid: the arguments as sent (the response echoes
    them), and the dates as the instants they bound."""

    verb: str
    arguments: dict[str, str] = field(default_factory=dict)
    since: datetime | None = None  # the first instant ``from`` names
    before: datetime | None = None  # the first instant after the one ``until`` names

    def get(self, name: str) -> str | None:
        return self.arguments.get(name)


def checked_request(pairs: Iterable[tuple[str, str]]) -> OaiRequest:
    """The request the (name, value) pairs make, or an ``OaiError`` (badVerb or badArgument)."""
    given: dict[str, list[str]] = {}
    for name, value in pairs:
        given.setdefault(name, []).append(value)
    verbs = given.pop("verb", [])
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OaiError(BAD_VERB, "The verb is missing, repeated or not an OAI-PMH verb.")
    verb, rules = verbs[0], VERBS[verbs[0]]
    repeated = sorted(name for name, values in given.items() if len(values) > 1)
    if repeated:
        raise OaiError(BAD_ARGUMENT, f"Arguments may not be repeated: {', '.join(repeated)}.")
    arguments = {name: values[0] for name, values in given.items()}
    _check_names(verb, rules, set(arguments))
    if TOKEN in arguments:
        return OaiRequest(verb, arguments)
    _check_syntax(arguments)
    since, before = date_range(arguments.get("from"), arguments.get("until"))
    return OaiRequest(verb, arguments, since, before)


def _check_names(verb: str, rules: Verb, names: set[str]) -> None:
    allowed = rules.required | rules.optional | ({TOKEN} if rules.resumable else set())
    unknown = sorted(names - allowed)
    if unknown:
        raise OaiError(BAD_ARGUMENT, f"{verb} does not take these arguments: {', '.join(unknown)}.")
    if TOKEN in names and names != {TOKEN}:
        raise OaiError(BAD_ARGUMENT, "resumptionToken is an exclusive argument: send it with the verb alone.")
    missing = sorted(rules.required - names)
    if missing and TOKEN not in names:
        raise OaiError(BAD_ARGUMENT, f"{verb} needs these arguments: {', '.join(missing)}.")


def _check_syntax(arguments: dict[str, str]) -> None:
    prefix = arguments.get("metadataPrefix")
    if prefix is not None and not PREFIX_SYNTAX.fullmatch(prefix):
        raise OaiError(BAD_ARGUMENT, "A metadataPrefix is made of letters, digits and -_.!~*'().")
    set_spec = arguments.get("set")
    if set_spec is not None and not SET_SPEC_SYNTAX.fullmatch(set_spec):
        raise OaiError(BAD_ARGUMENT, "A setSpec is made of letters, digits and -_.!~*'(), with ':' between levels.")
    if "identifier" in arguments and not arguments["identifier"]:
        raise OaiError(BAD_ARGUMENT, "The identifier is empty.")


def date_range(from_text: str | None, until_text: str | None) -> tuple[datetime | None, datetime | None]:
    """``from`` and ``until`` (both inclusive, UTC, a day or a second) as [since, before): the
    first instant ``from`` names, and the first instant after the one ``until`` names (None when
    that would pass the year 9999)."""
    since = _datestamp("from", from_text) if from_text is not None else None
    until = _datestamp("until", until_text) if until_text is not None else None
    if from_text is not None and until_text is not None and len(from_text) != len(until_text):
        raise OaiError(BAD_ARGUMENT, "from and until must have the same granularity.")
    if since is not None and until is not None and since > until:
        raise OaiError(BAD_ARGUMENT, "from is later than until.")
    if until is None or until_text is None:
        return since, None
    step = timedelta(days=1) if DAY.fullmatch(until_text) else timedelta(seconds=1)
    try:
        return since, until + step
    except OverflowError:
        return since, None


def _datestamp(name: str, text: str) -> datetime:
    """A UTC datestamp of the granularities we support: YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ."""
    for syntax, layout in ((DAY, "%Y-%m-%d"), (SECOND, "%Y-%m-%dT%H:%M:%SZ")):
        if syntax.fullmatch(text):
            try:
                return datetime.strptime(text, layout).replace(tzinfo=UTC)
            except ValueError:
                break
    raise OaiError(BAD_ARGUMENT, f"{name} must be a date (YYYY-MM-DD) or a UTC time (YYYY-MM-DDThh:mm:ssZ).")
