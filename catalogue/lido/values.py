"""The words LIDO records use for types and values, as the reader understands them: which event is
the production, which termMaterialsTech is a material, which image representation is the largest,
years from ISO 8601 dates, measurement axes and units."""

import re
from urllib.parse import urlsplit

from catalogue.text import fold

# eventType ids and labels of the event whose actors, date and place are the object's making
PRODUCTION_IDS = ("lido00007", "eventtype/production", "eventtype/creation", "e12_production", "/e12")
PRODUCTION_WORDS = {
    "production", "creation", "herstellung", "hergestellt", "entstehung", "vervaardiging", "productie",
    "fabrication", "produzione", "creazione", "produccion", "creacion", "制作", "製作", "제작", "创作",
}  # fmt: skip
MATERIAL_TYPES = {"material", "materials", "lido00132", "lido00513", "lido00514", "medium", "support", "werkstoff"}
TECHNIQUE_TYPES = {"technique", "techniques", "lido00131", "technik", "techniek", "tecnica"}
# resourceRepresentation types: the provided (largest) image first, previews and thumbnails last
LARGE = ("lido00464", "provided", "master", "original", "image_large", "full")
SMALL = ("lido00451", "preview", "thumb", "small")
NOT_IMAGES = (".pdf", ".html", ".htm", ".xml", ".mp3", ".mp4", ".wav", ".glb", ".obj", ".zip", ".txt")
IMAGE_FORMATS = {"jpeg", "jpg", "png", "tif", "tiff", "gif", "webp", "jp2", "bmp"}
AXES = {
    "height": ("height", "hohe", "hoehe", "hoogte", "hauteur", "altezza", "alto", "altura", "高さ", "高", "높이"),
    "width": ("width", "breite", "breedte", "largeur", "larghezza", "ancho", "anchura", "幅", "宽", "寬", "너비", "폭"),
    "depth": ("depth", "tiefe", "diepte", "profondeur", "profondita", "profundidad", "奥行", "奥行き", "深", "깊이"),
    "diameter": ("diameter", "durchmesser", "diametre", "diametro", "直径", "지름"),
    "length": ("length", "lange", "lengte", "longueur", "lunghezza", "longitud", "長さ", "长", "길이"),
}  # folded: no diacritics (fold("Höhe") == "hohe")
UNITS = {
    "cm": ("cm", "centimetre", "centimeter", "zentimeter", "centimètre", "centimetro", "センチメートル", "厘米"),
    "mm": ("mm", "millimetre", "millimeter", "millimètre", "millimetro", "ミリメートル", "毫米"),
    "in": ("in", "inch", "inches", "zoll"),
}
YEAR = re.compile(r"^([+-]?\d{1,6})(?:-\d{1,2}(?:-\d{1,2})?(?:T[0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)?$")
CC_PAGE = re.compile(r"(?:deed\.[A-Za-z-]+|legalcode(?:\.[A-Za-z-]+)?)$")


def type_word(value: str | None) -> str:
    """A type value as one word: ".../termMaterialsTech_type/material" -> "material"."""
    return (value or "").strip().rstrip("/").rsplit("/", 1)[-1].lower()


def is_production(words: list[str]) -> bool:
    """Whether an eventType (its ids and labels) names the making of the object."""
    for word in words:
        lowered = word.strip().lower()
        if lowered.endswith(PRODUCTION_IDS) or fold(lowered) in PRODUCTION_WORDS or lowered in PRODUCTION_WORDS:
            return True
    return False


def materials_kind(value: str | None) -> str | None:
    """ "material", "technique" or None (colours, marks, ...) for a termMaterialsTech's type; a
    term without a type is taken as a material, as most LIDO 1.0 exports mean it."""
    word = type_word(value)
    if not word or word in MATERIAL_TYPES:
        return "material"
    return "technique" if word in TECHNIQUE_TYPES else None


def year(text: str) -> int | None:
    """The year of an ISO 8601 date: "1482", "1482-05-01", "-0500" (BCE negative); None otherwise."""
    found = YEAR.match(text.strip())
    return int(found.group(1)) if found else None


def rights_uri_form(text: str) -> str:
    """A Creative Commons page address as the licence URI: ".../by/4.0/deed.de" -> ".../by/4.0/"."""
    return CC_PAGE.sub("", text.strip())


def sort_order(value: str | None) -> int:
    try:
        return int((value or "").strip())
    except ValueError:
        return 1 << 30  # unnumbered resources keep their order, after the numbered ones


def representation_rank(value: str | None) -> int:
    kind = (value or "").lower()
    if any(word in kind for word in LARGE):
        return 0
    return 2 if any(word in kind for word in SMALL) else 1


def is_image(url: str, declared_format: str | None) -> bool:
    """Whether a linkResource names an image we may fetch: http(s), not a page or a document."""
    if not re.match(r"https?://", url, re.I):
        return False
    if declared_format:
        kind = declared_format.strip().lower()
        return kind.startswith("image/") or kind in IMAGE_FORMATS
    return not urlsplit(url).path.lower().endswith(NOT_IMAGES)


def axis(label: str | None) -> str | None:
    """A measurement type as the English word the dimension parser reads ("Höhe" -> "height")."""
    if label is None:
        return None
    folded = fold(label.strip())
    return next((name for name, words in AXES.items() if folded in words), label)


def unit(label: str | None) -> str | None:
    if label is None:
        return None
    lowered = label.strip().lower()
    return next((name for name, words in UNITS.items() if lowered in words), label)
