"""Text folding and cleaning, in one place: matching (countries, rights, dates), sorting and the
search analysis (indexer/analysis.py) all fold text with ``fold``."""

import re
import unicodedata

# the combining diacritics that Latin, Greek and Cyrillic use; Indic, Thai and kana marks are elsewhere
DIACRITIC_BLOCKS = [(0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F)]
# one character class: a regex removes them many times faster than str.translate with a table
DIACRITICS = re.compile("[" + "".join(f"{chr(start)}-{chr(end)}" for start, end in DIACRITIC_BLOCKS) + "]")


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form of ``text`` ("Dürer" -> "durer", "Straße" -> "strasse").

    Unicode NFKC, then case folding; the diacritics of Latin, Greek and Cyrillic are dropped, while
    the marks other scripts need (Devanagari vowel signs, Thai) stay in the word. CJK is unchanged.
    """
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKC", text).casefold()
    return unicodedata.normalize("NFC", DIACRITICS.sub("", unicodedata.normalize("NFD", text)))


def _is_control(ch: str) -> bool:
    # control characters and lone surrogates go; format characters (ZWJ, ZWNJ) stay: scripts need them
    return unicodedata.category(ch) in ("Cc", "Cs")


def clean_line(text: str) -> str:
    """Collapse runs of white space and strip control characters from one-line text."""
    if not text.isprintable():  # rare: only then look at each character
        text = "".join(" " if _is_control(ch) else ch for ch in text)
    return " ".join(text.split())


def clean_block(text: str) -> str:
    """Normalise line endings and strip control characters (but keep newlines) in long text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = (
        text
        if text.replace("\n", "").replace("\t", "").isprintable()
        else "".join(ch for ch in text if ch in "\n\t" or not _is_control(ch))
    )
    return unicodedata.normalize("NFC", kept).strip()
