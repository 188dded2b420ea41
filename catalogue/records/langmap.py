"""Language maps ({"en": ["Great Wave"], "ja": ["神奈川沖浪裏"]}) as IIIF and JSON-LD write them."""

import re

from marshmallow import ValidationError, fields

from catalogue.messages import N_, Message
from catalogue.records.fields import too_long
from catalogue.text import clean_block, clean_line

NO_LANGUAGE = "none"
TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def canonical_tag(tag: str) -> str:
    """BCP 47 casing: language lower, script title ("zh-Hant"), region upper ("pt-BR")."""
    if tag.strip().lower() in (NO_LANGUAGE, "", "und"):
        return NO_LANGUAGE
    parts = tag.strip().replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def is_valid_tag(tag) -> bool:
    return isinstance(tag, str) and (tag.strip().lower() in (NO_LANGUAGE, "und") or bool(TAG.match(tag.strip())))


def pick_with_language(
    langmap: dict | None, preferred: list[str] | tuple = ("en",), original: str | None = None
) -> tuple[str | None, str | None]:
    """A value of a language map and its language tag, by the catalogue's fallback chain: the
    visitor's languages in order, then English, then the record's own language, then a value with
    no language, then any value. A tag matches by its primary language (``zh`` finds ``zh-Hant``)."""
    if not langmap:
        return None, None
    chain = [*preferred, "en", *([original] if original else []), NO_LANGUAGE]
    for tag in chain:
        for key, values in langmap.items():
            if values and (key == tag or key.split("-")[0] == tag.split("-")[0]):
                return values[0], key
    return next(((values[0], key) for key, values in langmap.items() if values), (None, None))


def pick(langmap: dict | None, preferred: list[str] | tuple = ("en",), original: str | None = None) -> str | None:
    """The value `pick_with_language` chooses, without its tag."""
    return pick_with_language(langmap, preferred, original)[0]


class LanguageMap(fields.Field):
    """A field taking a map of tag -> string or list; a plain string has no language ("none").

    The record schema turns plain titles into maps in the record's language before this runs."""

    def __init__(self, max_length: int = 2000, multiline: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.max_length = max_length
        self.clean = clean_block if multiline else clean_line

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = {NO_LANGUAGE: [value]}
        if not isinstance(value, dict):
            raise ValidationError(N_('Expected a string or a language map such as {"en": ["..."]}.'))
        result: dict[str, list[str]] = {}
        for tag, values in value.items():
            if not is_valid_tag(tag):
                raise ValidationError(
                    Message(N_("%(tag)s is not a language tag (BCP 47, or 'none')."), tag=repr(str(tag)[:40]))
                )
            if isinstance(values, str):
                values = [values]
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise ValidationError(
                    Message(N_("Values for %(tag)s must be a string or a list of strings."), tag=repr(tag))
                )
            for text in values:
                if len(text) > self.max_length:
                    raise ValidationError(too_long(self.max_length))
                cleaned = self.clean(text)
                bucket = result.setdefault(canonical_tag(tag), [])
                if cleaned and cleaned not in bucket:
                    bucket.append(cleaned)
        return {tag: values for tag, values in result.items() if values}

    def _serialize(self, value, attr, obj, **kwargs):
        return value
