"""The XML namespaces OAI-PMH responses use, and text that is always safe to put in them."""

import re

from lxml import etree

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_IDENTIFIER_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_LOCATION = f"{{{XSI_NS}}}schemaLocation"

# XML 1.0 refuses most control characters, lone surrogates and U+FFFE/U+FFFF; lxml raises on them
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: object, limit: int | None = None) -> str:
    """``value`` as text XML can hold: a request may carry any character, and echoing one lxml
    refuses would turn a harmless bad request into a 500."""
    text = _NOT_XML.sub("\ufffd", str(value))
    return text if limit is None or len(text) <= limit else text[:limit] + "\u2026"


def sub(parent: etree._Element, tag: str, text: object = None, attributes: dict | None = None) -> etree._Element:
    """A child element with safe text and attributes."""
    safe = {name: xml_text(value) for name, value in (attributes or {}).items()}
    element = etree.SubElement(parent, tag, safe)
    if text is not None:
        element.text = xml_text(text)
    return element
