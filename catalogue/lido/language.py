"""The language of each value of a LIDO record: its xml:lang (inherited, as XML says), as a BCP 47
tag; a code that is none ("deutsch") falls back to the record's language, with a warning."""

from functools import cache, lru_cache

from babel.core import get_global

from catalogue.lido.names import XML_LANG
from catalogue.messages import N_, Message
from catalogue.records.langmap import NO_LANGUAGE, canonical_tag, is_valid_tag

MAX_WARNINGS = 20  # unusable codes named per record; a hostile file may hold thousands
DEPRECATED = {"in": "id", "iw": "he", "ji": "yi", "jw": "jv", "mo": "ro"}  # two-letter codes IANA replaced


@cache
def _three_letter_codes() -> dict:
    """ISO 639-2 (B and T) and 639-3 codes that have a two-letter one (CLDR's aliases): "deu" -> "de"."""
    aliases = get_global("language_aliases")
    return {code: alias for code, alias in aliases.items() if len(code) == 3 and len(alias) == 2}


@lru_cache(maxsize=4096)
def language_tag(raw: str | None) -> str | None:
    """A BCP 47 tag for an xml:lang value ("EN" -> "en", "eng" -> "en", "zh_TW" -> "zh-TW"); None
    when it is not a language code. Only codes BCP 47 itself replaces are replaced ("tl" stays)."""
    parts = (raw or "").strip().replace("_", "-").split("-")
    primary = parts[0].lower()
    if not primary:
        return None
    primary = DEPRECATED.get(primary) or _three_letter_codes().get(primary) or primary
    tag = "-".join([primary, *parts[1:]])
    return canonical_tag(tag) if is_valid_tag(tag) else None


class Languages:
    """The languages of one record's values."""

    def __init__(self, record, warnings: list[dict]) -> None:
        self.record = record
        self.warnings = warnings
        self.unusable: set[str] = set()
        self.record_language = self._record_language()

    def _record_language(self) -> str:
        """The first descriptiveMetadata's xml:lang (then administrativeMetadata's) that is a code."""
        for metadata in self.record:
            if isinstance(metadata.tag, str) and metadata.get(XML_LANG) is not None:
                tag = language_tag(metadata.get(XML_LANG))
                if tag:
                    return tag
        return NO_LANGUAGE

    def of(self, element) -> str:
        node = element
        while node is not None:
            raw = node.get(XML_LANG)
            if raw is not None:
                return language_tag(raw) or self._unusable(raw)
            if node is self.record:
                break
            node = node.getparent()
        return self.record_language

    def _unusable(self, raw: str) -> str:
        if raw not in self.unusable and len(self.unusable) < MAX_WARNINGS:
            self.unusable.add(raw)
            reason = N_("xml:lang %(tag)s is not a language code; its values were taken as %(taken)s.")
            message = Message(reason, tag=repr(raw[:40]), taken=repr(self.record_language))
            self.warnings.append({"field": "language", "value": raw[:200], "reason": message})
        return self.record_language
