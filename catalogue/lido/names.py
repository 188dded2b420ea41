"""The namespaces LIDO records use, shared by the reader and the writer."""

LIDO_NS = "http://www.lido-schema.org"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
GML_NS = "http://www.opengis.net/gml"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
LIDO_1_1_SCHEMA_LOCATION = "http://www.lido-schema.org http://lido-schema.org/schema/v1.1/lido-v1.1.xsd"

NSMAP = {"lido": LIDO_NS, "xsi": XSI_NS, "gml": GML_NS, "skos": SKOS_NS}
XML_LANG = f"{{{XML_NS}}}lang"


def lido(name: str) -> str:
    """The Clark name lxml uses for a LIDO element or attribute: lido("titleSet")."""
    return f"{{{LIDO_NS}}}{name}"
