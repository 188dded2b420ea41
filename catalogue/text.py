"""Text folding shared by matching, sorting and (later) search analysis: one place for it."""
import unicodedata


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form of ``text`` ("Dürer" -> "durer", "Bàyon" -> "bayon").

    CJK characters are kept as they are; only combining marks are dropped after NFKD.
    """
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).casefold()


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
    kept = text if text.replace("\n", "").replace("\t", "").isprintable() else \
        "".join(ch for ch in text if ch in "\n\t" or not _is_control(ch))
    return unicodedata.normalize("NFC", kept).strip()
