"""Text analysis shared by both search backends and the query side: one tokeniser for everything.

The Elasticsearch distribution we run has no analysis-common module (no lowercase filter, no
asciifolding, no CJK analyzer), so analysis happens here and the engines index our tokens as
whitespace-separated words: Elasticsearch with its built-in ``whitespace`` analyzer, SQLite FTS5
with its ``ascii`` tokenizer (which splits only on ASCII punctuation and space). Both therefore see
exactly the same tokens, which is what makes the two backends agree.

- Unicode NFKC, then case folding ("Straße" -> "strasse").
- Diacritics are folded for Latin, Greek and Cyrillic ("Dürer" -> "durer"); combining marks in
  other scripts (Devanagari, Thai vowel signs) are part of the word and stay.
- Han, kana and hangul runs become overlapping bigrams ("葛飾北斎" -> 葛飾 飾北 北斎), so a query
  for 北斎 finds 葛飾北斎 without a dictionary; a lone CJK character stays a unigram.
"""
import unicodedata
from dataclasses import dataclass

MAX_TEXT = 200_000


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF
            or 0xF900 <= code <= 0xFAFF or 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF
            or 0x3130 <= code <= 0x318F or 0x20000 <= code <= 0x2FA1F or code == 0x3005)


def _foldable_base(ch: str) -> bool:
    code = ord(ch)
    return code < 0x0530 or 0x1E00 <= code <= 0x1FFF


def normalise(text: str) -> str:
    """NFKC + case folding + diacritic folding for Latin/Greek/Cyrillic, one character at a time."""
    text = unicodedata.normalize("NFKC", text[:MAX_TEXT]).casefold()
    out = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and out and _foldable_base(out[-1]):
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch)[0] == "M"


@dataclass(frozen=True)
class Token:
    text: str
    start: int  # offsets in the normalised text
    end: int


def tokens_with_offsets(text: str) -> list[Token]:
    """Words and CJK bigrams with their positions in ``normalise(text)``."""
    norm = normalise(text)
    result: list[Token] = []
    index, length = 0, len(norm)
    while index < length:
        ch = norm[index]
        if _is_cjk(ch):
            end = index
            while end < length and _is_cjk(norm[end]):
                end += 1
            if end - index == 1:
                result.append(Token(ch, index, end))
            else:
                result.extend(Token(norm[i:i + 2], i, i + 2) for i in range(index, end - 1))
            index = end
        elif _is_word_char(ch):
            end = index
            while end < length and _is_word_char(norm[end]) and not _is_cjk(norm[end]):
                end += 1
            result.append(Token(norm[index:end], index, end))
            index = end
        else:
            index += 1
    return result


def tokens(text: str | None) -> list[str]:
    if not text:
        return []
    return [token.text for token in tokens_with_offsets(text)]


def analyze(*texts: str | None) -> str:
    """The whitespace-joined token string both engines index."""
    return " ".join(token for text in texts for token in tokens(text))


def highlight(text: str, terms: set[str], context: int = 80, mark=("<mark>", "</mark>"), escape=None) -> str | None:
    """A snippet of the original text with the query's tokens marked, or None when none occur.

    Offsets are found on the normalised text, which keeps the original's length for most scripts;
    when normalisation changes the length (ligatures, some compatibility forms) the normalised text
    is shown instead, so marks never land in the wrong place.
    """
    if not text or not terms:
        return None
    norm = normalise(text)
    shown = text if len(norm) == len(text) else norm
    spans = [(t.start, t.end) for t in tokens_with_offsets(text) if t.text in terms]
    if not spans:
        return None
    escape = escape or (lambda s: s)
    first = spans[0][0]
    start = max(0, first - context)
    end = min(len(shown), spans[0][1] + context * 2)
    pieces, cursor = [], start
    for span_start, span_end in _merge(spans):
        if span_start < start or span_end > end:
            continue
        pieces.append(escape(shown[cursor:span_start]))
        pieces.append(mark[0] + escape(shown[span_start:span_end]) + mark[1])
        cursor = span_end
    pieces.append(escape(shown[cursor:end]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(shown) else ""
    return prefix + "".join(pieces) + suffix


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]

