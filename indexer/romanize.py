"""Romanized search tokens for CJK text, so "Hokusai" finds 葛飾北斎, "Qi Baishi" 齐白石, "Kim Hong-do" 김홍도.

Visitors type names the way English-language books print them, while many records give them only in
their own script. The indexer puts these tokens in a field of their own (matches there rank below exact
ones), so this module only says how a CJK value may be written in Latin letters:

- Japanese: Hepburn per word (pykakasi), also with long vowels reduced the way people write them
  ("toukaidou" -> "tokaido"), and adjacent words joined ("katsushikahokusai").
- Chinese: toneless pinyin per character (pypinyin), adjacent syllables joined, and a run short enough
  to be a name joined whole ("qi bai shi qibai baishi qibaishi").
- Korean: Revised Romanization per syllable (hangul_romanize), adjacent syllables and a name-length run
  joined, and the customary spellings of a name's surname ("kim", "lee", "park").

Han without kana may be Japanese or Chinese: unless the record's language says which, both readings are
given, since an English record quoting 北斎 could mean either. The tokens are what
``indexer.analysis.tokens`` cuts from them (lowercase ASCII words), and the work is bounded (MAX_CJK
characters read, MAX_TOKENS returned) because values can be long descriptions and indexing speed matters.
"""

import functools
import re
import unicodedata
from collections.abc import Iterator

import pykakasi
from hangul_romanize import Transliter
from hangul_romanize.rule import REVISED_FINALS, academic
from pypinyin import lazy_pinyin

from catalogue.text import fold
from indexer.analysis import ASCII_WORD, CJK_RANGES, MAX_TEXT

MAX_TOKENS = 200
MAX_CJK = 2_000  # CJK characters read per value
CHUNK = 200  # pykakasi slows down more than linearly on long runs, so long runs are read in pieces
NAME_LENGTH = 4  # a run of at most this many characters may be a name: it is also joined whole
CACHED_RUN = 32  # runs up to this long (names, signatures, titles) are remembered

HANGUL_RANGES = [(0xAC00, 0xD7AF), (0x1100, 0x11FF), (0x3130, 0x318F)]
HAN_AND_KANA_RANGES = [r for r in CJK_RANGES if r not in HANGUL_RANGES]
_HAN_AND_KANA = "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in HAN_AND_KANA_RANGES)
# hangul syllables, or Han and kana; lone jamo (ㄱ, ㅏ) are neither and are not romanized
CJK_PART = re.compile(f"(?P<hangul>[\uac00-\ud7a3]+)|(?P<han>[{_HAN_AND_KANA}]+)")
KANA = re.compile("[\u3040-\u30ff]")
HIRAGANA = re.compile("[\u3040-\u309f]+")
LONG_VOWEL = re.compile("ou|uu|oo")
# characters that are CJK or may become CJK when normalised (compatibility, half-width and enclosed forms):
# a cheap first look, since most values have none
MAY_BE_CJK = re.compile(
    "[\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    "\U0001f200-\U0001f2ff\U00020000-\U0003ffff]"
)

# a syllable's final consonant as said at the end of a syllable ("복" is written "bog" letter by letter,
# "bok" in Revised Romanization); finals not listed sound as written
SPOKEN_FINALS = {
    **dict.fromkeys(["g", "kk", "gs", "lg"], "k"),
    **dict.fromkeys(["d", "s", "ss", "j", "ch", "h"], "t"),
    **dict.fromkeys(["b", "bs", "lp"], "p"),
    **dict.fromkeys(["nj", "nh"], "n"),
    "lm": "m",
    **dict.fromkeys(["lb", "ls", "lt", "lh"], "l"),
}

# customary spellings of Korean surnames, which Revised Romanization does not give (김 is "gim")
SURNAMES = {
    "김": "kim", "이": "lee yi rhee", "박": "park pak", "최": "choi choe", "정": "jeong jung chung",
    "강": "kang", "조": "cho jo", "윤": "yoon yun", "장": "jang chang", "임": "lim im", "한": "han",
    "오": "oh o", "서": "seo suh", "신": "shin sin", "권": "kwon", "황": "hwang", "안": "ahn an",
    "송": "song", "홍": "hong", "유": "yoo yu", "전": "jeon chun", "고": "ko go", "문": "moon mun",
    "손": "son sohn", "양": "yang", "배": "bae", "백": "baek paik", "허": "heo huh", "노": "noh no",
    "남": "nam", "심": "shim sim", "하": "ha", "곽": "kwak", "성": "sung seong", "차": "cha",
    "주": "joo ju", "우": "woo u", "구": "koo gu", "민": "min", "류": "ryu yoo", "나": "na", "진": "jin",
    "지": "ji", "엄": "eom um", "채": "chae", "원": "won", "천": "cheon chun", "방": "bang",
    "공": "kong gong", "현": "hyun hyeon", "함": "ham", "변": "byun byeon", "염": "yeom", "여": "yeo",
    "추": "choo chu", "도": "do", "소": "so", "석": "seok", "선": "sun seon", "설": "seol", "마": "ma",
    "길": "gil kil", "연": "yeon yun", "위": "wi", "표": "pyo", "명": "myung myeong", "기": "ki gi",
    "반": "ban pan", "왕": "wang", "금": "keum geum", "옥": "ok", "육": "yook yuk", "인": "in",
    "맹": "maeng", "제": "je jae", "모": "mo", "탁": "tak", "국": "kook guk", "어": "eo", "은": "eun",
    "편": "pyeon", "용": "yong", "예": "ye", "경": "kyung gyeong", "봉": "bong", "사": "sa",
    "부": "boo bu", "황보": "hwangbo", "남궁": "namgung", "선우": "sunwoo", "제갈": "jegal",
    "독고": "dokgo",
}  # fmt: skip


def romanized_tokens(text: str | None, language: str | None = None) -> list[str]:
    """Romanized forms of the CJK runs in ``text``, as search tokens (lowercase ASCII words,
    deduplicated, in order of appearance), or [] when the text has no CJK."""
    if not text or text.isascii() or not MAY_BE_CJK.search(text):
        return []
    norm = unicodedata.normalize("NFKC", text[:MAX_TEXT])  # half-width kana and compatibility ideographs
    japanese, chinese = _readings(norm, language)
    found: dict[str, None] = {}
    budget = MAX_CJK
    for match in CJK_PART.finditer(norm):
        run = match.group()[:budget]
        budget -= len(run)
        forms = _korean(run) if match.lastgroup == "hangul" else _han_and_kana(run, japanese, chinese)
        for form in forms:
            found[form] = None
            if len(found) == MAX_TOKENS:
                return list(found)
        if not budget:
            break
    return list(found)


def _readings(text: str, language: str | None) -> tuple[bool, bool]:
    """Whether Han is read as Japanese, as Chinese: kana or the language decide, else both."""
    if KANA.search(text):
        return True, False
    primary = (language or "").lower().replace("_", "-").split("-")[0]
    if primary == "ja":
        return True, False
    if primary == "zh":
        return False, True
    return True, True


def _han_and_kana(run: str, japanese: bool, chinese: bool) -> Iterator[str]:
    whole = len(run) <= NAME_LENGTH
    if len(run) <= CACHED_RUN:
        yield from _read_short_han(run, japanese, chinese, whole)
        return
    for start in range(0, len(run), CHUNK):
        yield from _read_han(run[start : start + CHUNK], japanese, chinese, whole)


def _read_han(piece: str, japanese: bool, chinese: bool, whole: bool) -> tuple[str, ...]:
    forms: list[str] = []
    if japanese:
        forms += _japanese(piece)
    if chinese:
        forms += _chinese(piece, whole)
    return tuple(forms)


# names, signatures and short titles recur across records and the readers are slow (about 100 µs a
# name), so short runs are remembered; prose seldom recurs and would fill the memory
_read_short_han = functools.lru_cache(maxsize=4096)(_read_han)


def _japanese(run: str) -> Iterator[str]:
    """Hepburn of each word pykakasi finds, joined with the word before, each also with long vowels
    reduced. Hiragana words (particles such as の) are not joined: they are not part of a name."""
    previous = ""
    for segment in japanese_reader().convert(run):
        words = _ascii_words(segment["hepburn"])
        word = "".join(words)  # "man'en" is "man", "en" to the tokenizer, "manen" when typed whole
        forms = [*words, word]
        joinable = bool(word) and not HIRAGANA.fullmatch(segment["orig"])
        if joinable and previous:
            forms.append(previous + word)
        previous = word if joinable else ""
        for form in forms:
            if form:
                yield form
                yield LONG_VOWEL.sub(lambda vowels: vowels.group()[0], form)


def _chinese(run: str, whole: bool) -> Iterator[str]:
    """Toneless pinyin of each character, joined with the one before, and the whole run when asked."""
    syllables = [_one_word(item) for item in lazy_pinyin(run, v_to_u=True)]  # 々 and the like give None
    for i, syllable in enumerate(syllables):
        if syllable:
            yield syllable
            if i and syllables[i - 1]:
                yield f"{syllables[i - 1]}{syllable}"
    if whole and len(syllables) > 2 and all(syllables):
        yield "".join(s for s in syllables if s)


def _korean(run: str) -> Iterator[str]:
    """Each syllable, joined with the one before; for a name-length run, the whole run and the
    customary spellings of its surname."""
    syllables = [_hangul_syllable(ch) for ch in run]
    is_name = 2 <= len(run) <= NAME_LENGTH
    for i, syllable in enumerate(syllables):
        yield syllable
        if i:
            yield syllables[i - 1] + syllable
        elif is_name:
            yield from (SURNAMES.get(run[:2]) or SURNAMES.get(run[0], "")).split()
    if is_name and len(run) > 2:
        yield "".join(syllables)


@functools.cache  # there are 11,172 syllables at most
def _hangul_syllable(syllable: str) -> str:
    """Revised Romanization of one syllable: hangul_romanize writes it letter by letter ("복" -> "bog"),
    and the final consonant is then written as it sounds at a syllable's end ("bok")."""
    letters = _transliter().translit(syllable)
    final = REVISED_FINALS[(ord(syllable) - 0xAC00) % 28]
    return letters[: len(letters) - len(final)] + SPOKEN_FINALS.get(final, final)


def _ascii_words(text: str) -> list[str]:
    return ASCII_WORD.findall(fold(text))


def _one_word(text: str) -> str | None:
    words = _ascii_words(text)
    return words[0] if len(words) == 1 else None


@functools.cache
def japanese_reader() -> pykakasi.kakasi:
    """The converter (readings and romanization), made once per process and only when needed: loading
    its dictionaries takes half a second (the interface's Japanese sort order reads with it too)."""
    return pykakasi.kakasi()


@functools.cache
def _transliter() -> Transliter:
    return Transliter(academic)
