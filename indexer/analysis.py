"""Text analysis shared by both search backends and the query side: one tokeniser for everything.

The Elasticsearch distribution we run has no analysis-common module (no lowercase filter, no
asciifolding, no CJK analyzer), so analysis happens here and the engines index our tokens as
whitespace-separated words: Elasticsearch with its built-in ``whitespace`` analyzer, SQLite FTS5
with its ``ascii`` tokenizer (which splits only on ASCII punctuation and space). Both therefore see
exactly the same tokens, which is what makes the two backends agree.

- Text is folded by ``catalogue.text.fold``, the one fold of the catalogue: Unicode NFKC, case
  folding ("Straße" -> "strasse"), and the diacritics of Latin, Greek and Cyrillic dropped
  ("Dürer" -> "durer"), while marks of other scripts (Devanagari, Thai vowel signs) stay.
- Han, kana and hangul runs become overlapping bigrams ("葛飾北斎" -> 葛飾 飾北 北斎), so a query
  for 北斎 finds 葛飾北斎 without a dictionary; a lone CJK character stays a unigram.
"""

import functools
import operator
import re
import sys
import unicodedata
from dataclasses import dataclass

from catalogue.text import fold

MAX_TEXT = 200_000
CJK_RANGES = [
    (0x3040, 0x30FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xAC00, 0xD7AF),
    (0x1100, 0x11FF),
    (0x3130, 0x318F),
    (0x3005, 0x3005),
    (0x20000, 0x2FA1F),
]


def _char_class(ranges) -> str:
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


def _ranges(predicate, last: int = sys.maxunicode) -> list[tuple[int, int]]:
    """Code point ranges of the characters up to ``last`` for which ``predicate`` holds (built once
    at import)."""
    ranges: list[tuple[int, int]] = []
    start: int | None = None
    previous = 0
    for code in range(last + 1):
        if predicate(chr(code)):
            if start is None:
                start = code
            previous = code
        elif start is not None:
            ranges.append((start, previous))
            start = None
    if start is not None:
        ranges.append((start, previous))
    return ranges


def _in_cjk(ch: str) -> bool:
    return any(start <= ord(ch) <= end for start, end in CJK_RANGES)


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "M"


_CJK = _char_class(CJK_RANGES)
_MARKS = _char_class(_ranges(_is_mark))
# a CJK run, or a word: letters and digits (not CJK, not "_") with the marks that belong to them
TOKEN_RUN = re.compile(f"(?P<cjk>[{_CJK}]+)|(?P<word>(?:[^\\W_{_CJK}]|[{_MARKS}])+)")
# a run of characters that may be in a token: those of the Basic Multilingual Plane that TOKEN_RUN
# matches, and every character beyond it (TOKEN_RUN cuts the runs holding any). One character class
# of the BMP is a bitmap to the regex engine: it runs through it many times faster than through
# TOKEN_RUN's choice at each character.
_BMP_TOKEN_CHARS = _ranges(lambda ch: ch.isalnum() or _is_mark(ch) or _in_cjk(ch), last=0xFFFF)
TOKEN_CHARS = re.compile(f"[{_char_class([*_BMP_TOKEN_CHARS, (0x10000, sys.maxunicode)])}]+")
ASCII_WORD = re.compile(r"[a-z0-9]+")


def normalise(text: str) -> str:
    """The folded text the tokens are cut from (``catalogue.text.fold``, on at most MAX_TEXT characters)."""
    return fold(text[:MAX_TEXT])


@dataclass(frozen=True)
class Token:
    text: str
    start: int  # offsets in the normalised text
    end: int


def tokens_with_offsets(text: str) -> list[Token]:
    """Words and CJK bigrams with their positions in ``normalise(text)``."""
    return _tokens_of_normalised(normalise(text))


def _tokens_of_normalised(norm: str) -> list[Token]:
    if norm.isascii():
        return [Token(m.group(), m.start(), m.end()) for m in ASCII_WORD.finditer(norm)]
    result: list[Token] = []
    for match in TOKEN_RUN.finditer(norm):
        start, end = match.span()
        if match.lastgroup == "word" or end - start == 1:
            result.append(Token(match.group(), start, end))
        else:
            result.extend(Token(norm[i : i + 2], i, i + 2) for i in range(start, end - 1))
    return result


def tokens(text: str | None) -> list[str]:
    """The tokens of ``text`` (as ``tokens_with_offsets`` without the offsets; this is the hot path)."""
    if not text:
        return []
    norm = normalise(text)
    if norm.isascii():
        return ASCII_WORD.findall(norm)
    result: list[str] = []
    for run in TOKEN_CHARS.findall(norm):  # TOKEN_RUN never matches across runs, so each is cut alone
        if run.isascii():  # most runs of most texts: one word, as TOKEN_RUN would find it
            result.append(run)
        else:
            result += _run_tokens(run)
    return result


def _run_tokens(run: str) -> list[str]:
    """The tokens of one run of token characters: its words and the bigrams of its CJK."""
    result: list[str] = []
    for cjk, word in TOKEN_RUN.findall(run):  # (run, "") or ("", word): no match objects to make
        if word or len(cjk) == 1:
            result.append(word or cjk)
        else:
            result += map(operator.add, cjk, cjk[1:])  # overlapping bigrams: 葛飾北斎 -> 葛飾 飾北 北斎
    return result


def analyze(*texts: str | None) -> str:
    """The whitespace-joined token string both engines index. The texts are analysed as one (a
    space between them ends every word and CJK run, so the tokens are the same, found faster)."""
    return " ".join(tokens(" ".join(text for text in texts if text)))


def highlight(text: str, terms: set[str], context: int = 80, mark=("<mark>", "</mark>"), escape=None) -> str | None:
    """A snippet of the original text with the query's tokens marked, or None when none occur.

    Offsets are found on the normalised text, which keeps the original's length for most scripts;
    when normalisation changes the length (ligatures, some compatibility forms) the normalised text
    is shown instead, so marks never land in the wrong place.
    """
    if not text or not terms:
        return None
    norm = normalise(text)
    if not any(term in norm for term in terms):  # every token is a substring of the normalised text
        return None
    shown = text if len(norm) == len(text) else norm
    if norm.isascii():
        spans: list[tuple[int, int]] = []
        for match in _ascii_terms(frozenset(terms)).finditer(norm):
            if spans and match.start() > spans[0][1] + context * 2:
                break  # past the snippet's window: the rest of a long text is never shown
            spans.append(match.span())
    else:
        spans = [(t.start, t.end) for t in _tokens_of_normalised(norm) if t.text in terms]
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


@functools.lru_cache(maxsize=256)
def _ascii_terms(terms: frozenset[str]) -> re.Pattern:
    """The terms as whole ASCII tokens (what ASCII_WORD would cut out of the same text)."""
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(f"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]
