"""The record schema's own field types, and how they report a value they drop: a warning (field,
value, reason) collected while one record loads. Text is cleaned, years bounded, countries and
rights statements resolved; an unusable value is dropped with a warning instead of rejecting the
record (see the schema's docstring for why)."""

import math
import re
from contextlib import contextmanager
from contextvars import ContextVar

import orjson
from marshmallow import ValidationError, fields, missing, validate

from catalogue import reference
from catalogue.messages import N_, Message, translatable
from catalogue.records.dates import EARLIEST_YEAR, LATEST_YEAR
from catalogue.text import clean_block, clean_line

EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")

SHORT, MEDIUM, LONG = 500, 5000, 50000
WARNINGS_KEY = "_warnings"  # where load_record puts the warnings; the service stores them apart
_warnings: ContextVar[list | None] = ContextVar("record_warnings", default=None)
_field_prefix: ContextVar[str] = ContextVar("record_field_prefix", default="")
_refusing: ContextVar[bool] = ContextVar("record_refusing_unusable_values", default=False)


@contextmanager
def collecting_warnings():
    """Collect the warnings of one record's load into the list this yields."""
    collected: list = []
    token = _warnings.set(collected)
    try:
        yield collected
    finally:
        _warnings.reset(token)


@contextmanager
def refusing_unusable_values():
    """Load a record as the curator form saves it: a value an import drops with a warning (a year
    "abc", an unknown country, a latest year before the earliest) is an error here, reported with
    every other error of the record in one pass, worded as something to fix, not as dropped."""
    token = _refusing.set(True)
    try:
        yield
    finally:
        _refusing.reset(token)


def refusing() -> bool:
    """Whether unusable values are errors (the form) rather than dropped with a warning."""
    return _refusing.get()


def warn(field: str, value, reason: str) -> None:
    """Note a value that was dropped or re-derived (outside ``load_record`` warnings are not kept).
    A reason that is a Message is kept translatable beside its English text, so a curator reads
    the warning in their own language where it is shown (the record form, the upload report)."""
    collected = _warnings.get()
    if collected is not None:
        shown = value if _storable_number(value) or value is None else str(value)[:200]
        where = _field_prefix.get() + field
        collected.append({"field": where, "value": shown, "reason": reason, **translatable(reason)})


def _storable_number(value) -> bool:
    """A number JSON can carry everywhere we store and send it: no NaN or infinity (PostgreSQL's
    json refuses them), no integer beyond 64 bits (the JSON encoder refuses those); the others are
    kept as text."""
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, int) and -(2**63) <= value < 2**63


@contextmanager
def field_path(prefix: str):
    token = _field_prefix.set(_field_prefix.get() + prefix)
    try:
        yield
    finally:
        _field_prefix.reset(token)


class Lenient:
    """Mix-in for a field whose unusable value is dropped with a warning instead of rejecting the
    whole record (for values, not for the record's shape or identity); an error on the form."""

    def deserialize(self, value, attr=None, data=None, **kwargs):
        try:
            return super().deserialize(value, attr, data, **kwargs)
        except ValidationError as error:
            if refusing():
                raise
            warn(attr or "", value, _first_message(error.messages))
            default = self.load_default
            return default() if callable(default) else (None if default is missing else default)


# marshmallow's stock messages, as a curator reads them next to a field or in an import report.
# Messages are N_-marked or a Message: the form and the API show them in the visitor's language.
PLAIN_MESSAGES = {
    "Missing data for required field.": N_("Required: fill this in."),
    "Field may not be null.": N_("Required: fill this in."),
    "Not a valid string.": N_("Must be text."),
    "Not a valid integer.": N_("Must be a whole number (a year such as 1830)."),
    "Not a valid boolean.": N_("Must be true or false."),
    "Not a valid list.": N_("Must be a list of values."),
    "Not a valid mapping type.": N_("Must be a set of named values (a JSON object)."),
    "Unknown field.": N_("Not a field of a record."),
    "Not a valid URL.": N_("Not a valid URL."),
    "Not a valid email address.": N_("Not a valid email address."),
}


DROPPED_TEMPLATE = N_("%(reason)s The value was dropped.")  # the record was saved without the value


def dropped(reason) -> Message:
    """A warning's reason for a value the record was saved without: why it could not be used."""
    return Message(DROPPED_TEMPLATE, reason=reason if isinstance(reason, Message) else Message(str(reason)))


def why_dropped(reason):
    """What ``dropped`` wrapped (the form shows why a value cannot be used, as a problem to fix);
    any other reason as it is."""
    if isinstance(reason, Message) and reason.template == DROPPED_TEMPLATE:
        return reason.variables["reason"]
    return reason


def plain(message) -> str:
    """A stock message in our words; our own messages (a `Message` among them) as they are."""
    return PLAIN_MESSAGES.get(str(message), message if isinstance(message, str) else str(message))


def too_long(limit: int) -> Message:
    return Message(N_("Longer than %(limit)s characters."), limit=limit)


class AtMost(validate.Length):
    """marshmallow's Length, so the API's schema still states the limit, with a message that the
    catalogues translate: Length's own is English text, formatted before anyone could."""

    def __init__(self, limit: int, too_many: str = N_("At most %(n)s entries.")):
        super().__init__(max=limit)
        self.limit, self.too_many = limit, too_many

    def _format_error(self, value, message: str) -> str:
        return too_long(self.limit) if isinstance(value, str) else Message(self.too_many, n=self.limit)


def _first_message(messages) -> str:
    while isinstance(messages, (list, dict)) and messages:
        messages = messages[0] if isinstance(messages, list) else next(iter(messages.values()))
    return dropped(plain(messages))


def reject_lone_surrogates(value) -> None:
    """Text with a lone surrogate (invalid Unicode, e.g. JSON "\\ud800") cannot be stored or shown.
    One orjson encode of the whole record answers for almost every record (scanning each string in
    Python cost a fifth of an import); only a record it refuses is walked, to name the field."""
    try:
        orjson.dumps(value)
        return
    except orjson.JSONEncodeError:
        pass  # a lone surrogate, or something orjson does not take (a huge int): walk it to be sure
    try:
        _name_lone_surrogate(value)
    except RecursionError:
        raise ValidationError(N_("The record is nested too deeply."), "_schema") from None


def _name_lone_surrogate(value, path: str = "") -> None:
    if isinstance(value, str):
        if any("\ud800" <= ch <= "\udfff" for ch in value):
            raise ValidationError(N_("Contains invalid Unicode (a lone surrogate)."), path or "_schema")
    elif isinstance(value, dict):
        for key, item in value.items():
            _name_lone_surrogate(key, path)
            _name_lone_surrogate(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for item in value:
            _name_lone_surrogate(item, path)


class Line(fields.String):
    """One line of text: control characters and runs of spaces removed; empty becomes None."""

    def __init__(self, max_length: int = SHORT, **kwargs):
        kwargs.setdefault("allow_none", True)
        if not kwargs.get("required"):
            kwargs.setdefault("load_default", None)
        super().__init__(**kwargs)
        self.max_length = max_length

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > self.max_length:
            raise ValidationError(too_long(self.max_length))
        return clean_line(text) or None


class Name(Line):
    """A maker's name: also without the empty brackets a museum's export leaves where dates or a
    role would go ("Venetian ()"), which would otherwise show on pages and split one maker in two."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if text and ("(" in text or "[" in text):
            return clean_line(EMPTY_BRACKETS.sub(" ", text)) or text
        return text


class Block(Line):
    """Multi-line text (descriptions, inscriptions): newlines kept."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = fields.String._deserialize(self, value, attr, data, **kwargs)
        if len(text) > self.max_length:
            raise ValidationError(too_long(self.max_length))
        return clean_block(text) or None


class Year(Lenient, fields.Integer):
    """A signed year (BCE negative); one out of range or not a number is dropped with a warning.
    A number with a fraction (1850.5) is refused instead, as a wrong shape, like text where a list
    belongs: it is no messy year to read again from the display date, and marshmallow's Integer
    would cut it to 1850 without a word. A whole number written as 1850.0 is 1850. NaN, which a
    JSON Lines file written by Python holds for a missing value (the API refuses it as no JSON),
    is still dropped with a warning."""

    def __init__(self, **kwargs):
        super().__init__(allow_none=True, strict=False, **kwargs)

    def deserialize(self, value, attr=None, data=None, **kwargs):
        if isinstance(value, float) and math.isfinite(value) and not value.is_integer():
            raise ValidationError(
                Message(N_("Must be a whole number (a year such as 1830). %(value)s is not one."), value=repr(value))
            )
        return super().deserialize(value, attr, data, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        """The range is checked here, not by marshmallow's Range, whose message would come out as
        English text that no catalogue translates."""
        year = super()._deserialize(value, attr, data, **kwargs)
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            raise ValidationError(NOT_A_YEAR)
        return year


NOT_A_YEAR = Message(N_("Not a year between %(earliest)s and %(latest)s."), earliest=EARLIEST_YEAR, latest=LATEST_YEAR)


class TextList(fields.List):
    """A list of short strings; a single string is split on ";" (how spreadsheets write lists)."""

    def __init__(self, max_items: int = 200, max_length: int = SHORT, **kwargs):
        super().__init__(Line(max_length=max_length), validate=AtMost(max_items), load_default=list, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if value is None:
            return []
        if isinstance(value, str):
            value = value.split(";")
        items = super()._deserialize(value, attr, data, **kwargs)
        unique = []
        for item in items:
            if item and item not in unique:
                unique.append(item)
        return unique


COUNTRY_HINT = Message(N_("use an ISO 3166-1 alpha-2 code or an English name."))


class Countries(fields.Field):
    """ISO 3166-1 alpha-2 codes, from codes, English names or the vernacular names TGN uses; an
    unknown name is dropped with a warning, the others are kept."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value is None:
            return []
        names = value.split(";") if isinstance(value, str) else value
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValidationError(N_("Expected a country code or name, or a list of them."))
        codes, unknown = [], []
        for name in (n.strip() for n in names if n.strip()):
            code = reference.country_code(name)
            if code is None and refusing():
                unknown.append(
                    Message(N_("Unknown country %(name)s: %(hint)s"), name=repr(name[:80]), hint=COUNTRY_HINT)
                )
            elif code is None:
                warn(attr, name, dropped(Message(N_("Unknown country: %(hint)s"), hint=COUNTRY_HINT)))
            elif code not in codes:
                codes.append(code)
        if unknown:
            raise ValidationError(unknown)
        return codes


class RightsUri(Lenient, fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        uri = reference.rights_uri(text)
        if uri is None:
            labels = ", ".join(e["label"] for e in reference.rights_statements().values())
            raise ValidationError(
                Message(
                    N_("Unknown rights statement %(value)s; use one of %(labels)s."),
                    value=repr(text[:80]),
                    labels=labels,
                )
            )
        return uri


class LenientUrl(Lenient, fields.Url):
    pass


class ImageUrl(LenientUrl):
    """An http(s) image URL. Spaces, which museum exports leave in file names ("upper board.jpg"),
    are percent-encoded: the URL works, and the museum cannot fix its export for us."""

    def __init__(self, **kwargs):
        super().__init__(schemes={"http", "https"}, validate=AtMost(2000), **kwargs)

    def deserialize(self, value, attr=None, data=None, **kwargs):
        if isinstance(value, str):
            value = value.strip().replace(" ", "%20") or None  # an empty cell names no image
        return super().deserialize(value, attr, data, **kwargs)


class PathNested(fields.Nested):
    """A nested schema whose warnings name their full path ("rights.image_rights")."""

    def _deserialize(self, value, attr, data, **kwargs):
        with field_path(f"{attr}."):
            return super()._deserialize(value, attr, data, **kwargs)


class Makers(fields.List):
    """The makers, each loaded under its own path ("makers.2.death_year") so warnings say which."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, list):
            raise ValidationError(N_("Expected a list of makers."))
        result, errors = [], {}
        for index, item in enumerate(value):
            with field_path(f"{attr}.{index}."):
                try:
                    result.append(self.inner.deserialize(item, **kwargs))
                except ValidationError as error:
                    errors[index] = error.messages
        if errors:
            raise ValidationError(errors)
        return result
