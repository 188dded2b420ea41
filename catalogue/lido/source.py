"""A record's ``source_record``: the lido:lido element as received, and the paths of the elements
no field took ("descriptiveMetadata/objectRelationWrap/relatedWorksWrap"), so nothing is lost.

A record too large to keep whole keeps only what no field took (the rest is in the record's fields)."""

from functools import lru_cache

from lxml import etree

from catalogue.lido.names import LIDO_NS, SKOS_NS, lido
from catalogue.messages import N_, Message
from catalogue.records.fields import SHORT
from catalogue.records.schema import MAX_SOURCE_CHARACTERS

PREFIXES = {LIDO_NS: "", SKOS_NS: "skos:", "http://www.opengis.net/gml": "gml:"}
MAX_PATHS = 1000  # unmapped paths listed per record (a hostile record could make a path of each element)
# a record's own XML, parsed again to cut it down: as safe as the reader's parser
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _sized(reason: str, size: int) -> Message:
    return Message(reason, size=size, most=MAX_SOURCE_CHARACTERS)


def source_record(record, taken: set, warnings: list[dict]) -> dict | None:
    """``source_record`` for a record whose ``taken`` elements a field took; None (with a warning)
    when even the part no field took is too large to keep."""
    paths = unmapped_paths(record, taken)
    xml = etree.tostring(record, encoding="unicode", with_tail=False)
    if len(xml) <= MAX_SOURCE_CHARACTERS:
        return {"format": "lido", "xml": xml, "unmapped": paths}
    cut = _without_taken(record, taken)
    if len(cut) > MAX_SOURCE_CHARACTERS:
        reason = N_(
            "The LIDO record has %(size)s characters, and what no field took is still over %(most)s: it was not kept."
        )
        warnings.append({"field": "source_record", "value": len(xml), "reason": _sized(reason, len(xml))})
        return None
    reason = N_(
        "The LIDO record has %(size)s characters, over %(most)s: source_record keeps only the elements no field took."
    )
    warnings.append({"field": "source_record", "value": len(xml), "reason": _sized(reason, len(xml))})
    return {"format": "lido", "xml": cut, "unmapped": paths}


@lru_cache(maxsize=4096)  # bounded: a hostile file may use any number of element names
def _step(tag: str, prefix: str | None) -> str:
    """An element's name in a path: LIDO names plain, others with their prefix ("skos:Concept")."""
    name = etree.QName(tag)
    return PREFIXES.get(name.namespace or "", f"{prefix}:" if prefix else "") + name.localname


def unmapped_paths(record, taken: set) -> list[str]:
    """The distinct paths (below lido:lido, sorted) of the outermost elements that hold text when
    no field took them nor anything inside them. Only the taken elements' ancestors and their
    children are looked at, not every element of the record."""
    partial: set = set()  # elements holding a taken element, without being taken whole
    for element in taken:
        node = element.getparent()
        while node is not None and node is not record and node not in partial:
            partial.add(node)
            node = node.getparent()
    seen = taken | partial
    paths: dict = {record: ""}
    found: set[str] = set()
    for holder in (*partial, record):
        for child in holder.iterchildren(etree.Element):
            if child not in seen and "".join(child.itertext()).strip():
                found.add(_path(holder, paths) + _step(child.tag, child.prefix))
    return sorted(path[:SHORT] for path in found)[:MAX_PATHS]


def _path(holder, paths: dict) -> str:
    """A holder's path with a slash after it ("" for the record), remembered for its other children."""
    if holder not in paths:
        paths[holder] = _path(holder.getparent(), paths) + _step(holder.tag, holder.prefix) + "/"
    return paths[holder]


def _without_taken(record, taken: set) -> str:
    """The record's XML without the elements a field took (its lidoRecID stays, to name it)."""
    copy = etree.fromstring(etree.tostring(record, with_tail=False), SAFE_PARSER)
    pairs = list(zip(record.iter(), copy.iter()))
    for original, copied in pairs:
        parent = copied.getparent()
        if original in taken and original.tag != lido("lidoRecID") and parent is not None:
            parent.remove(copied)
    return etree.tostring(copy, encoding="unicode", with_tail=False)
