"""Text folding shared by matching, sorting and (later) search analysis: one place for it."""
import unicodedata


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form of ``text`` ("Dürer" -> "durer", "Bàyon" -> "bayon").

    CJK characters are kept as they are; only combining marks are dropped after NFKD.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).casefold()


def clean_line(text: str) -> str:
    """Collapse runs of white space and strip control characters from one-line text."""
    cleaned = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(cleaned.split())


def clean_block(text: str) -> str:
    """Normalise line endings and strip control characters (but keep newlines) in long text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return unicodedata.normalize("NFC", kept).strip()
