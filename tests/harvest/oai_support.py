"""What the OAI-PMH tests share: asking /oai and checking the envelope every response must have
(there is no OAI-PMH schema offline, so its structure is checked by hand), and reading lists."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from lxml import etree

from catalogue.harvest.elements import DC_NS, OAI_DC_NS, OAI_IDENTIFIER_NS, OAI_NS, OAI_SCHEMA, XSI_NS
from catalogue.lido.names import LIDO_NS

BASE_URL = "http://catalogue.test"
ENDPOINT = f"{BASE_URL}/oai"
NS = {"oai": OAI_NS, "dc": DC_NS, "oai_dc": OAI_DC_NS, "id": OAI_IDENTIFIER_NS, "lido": LIDO_NS}
DATESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
VERB_ANSWERS = {"Identify", "ListMetadataFormats", "ListSets", "ListIdentifiers", "ListRecords", "GetRecord"}


def ask(client, arguments, method: str = "GET") -> etree._Element:
    """The parsed response to an OAI-PMH request (a dict, or (name, value) pairs to repeat names),
    once its envelope has been checked."""
    pairs = list(arguments.items()) if isinstance(arguments, dict) else list(arguments)
    if method == "POST":
        body = urlencode(pairs).encode()
        response = client.post("/oai", data=body, content_type="application/x-www-form-urlencoded")
    else:
        response = client.get("/oai", query_string=pairs)
    return checked_envelope(response)


def checked_envelope(response) -> etree._Element:
    """What every response has: 200, UTF-8 XML, OAI-PMH root, responseDate, request, then either
    the verb's answer or errors."""
    assert response.status_code == 200, response.data[:300]
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert response.data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    root = etree.fromstring(response.data)
    assert root.tag == f"{{{OAI_NS}}}OAI-PMH"
    assert root.get(f"{{{XSI_NS}}}schemaLocation") == f"{OAI_NS} {OAI_SCHEMA}"
    names = [etree.QName(child).localname for child in root]
    assert names[:2] == ["responseDate", "request"]
    assert names[2:] and (set(names[2:]) == {"error"} or (len(names) == 3 and names[2] in VERB_ANSWERS)), names
    said = datetime.strptime(root[0].text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - said) < timedelta(minutes=5)
    assert root[1].text == ENDPOINT
    return root


def error_codes(root: etree._Element) -> list[str]:
    return [error.get("code") for error in root.findall("oai:error", NS)]


def echoed(root: etree._Element) -> dict[str, str]:
    """The request element's attributes: the arguments the response says it answered."""
    return dict(root.find("oai:request", NS).attrib)


def answer(root: etree._Element, verb: str) -> etree._Element:
    found = root.find(f"oai:{verb}", NS)
    assert found is not None, (verb, error_codes(root), etree.tostring(root)[:500])
    return found


def checked_header(header: etree._Element) -> dict:
    """A header's parts, once its shape is checked: identifier, datestamp, setSpec*."""
    names = [etree.QName(child).localname for child in header]
    assert names[:2] == ["identifier", "datestamp"] and set(names[2:]) <= {"setSpec"}, names
    assert DATESTAMP.match(header[1].text)
    assert header.get("status") in (None, "deleted")
    return {
        "identifier": header[0].text,
        "datestamp": header[1].text,
        "sets": [child.text for child in header[2:]],
        "deleted": header.get("status") == "deleted",
    }


def checked_record(record: etree._Element) -> tuple[dict, etree._Element | None]:
    """A record's header and its metadata's one element (None for a deleted record, which has none)."""
    names = [etree.QName(child).localname for child in record]
    header = checked_header(record[0])
    if header["deleted"]:
        assert names == ["header"], names
        return header, None
    assert names == ["header", "metadata"], names
    assert len(record[1]) == 1
    return header, record[1][0]


def resumption(list_answer: etree._Element) -> etree._Element | None:
    """The list's resumptionToken element, which must come last."""
    token = list_answer.find("oai:resumptionToken", NS)
    if token is not None:
        assert list_answer[-1] is token
    return token


def harvest(client, verb: str, arguments: dict, method: str = "GET") -> tuple[list[dict], list[etree._Element]]:
    """Every page of a list, following its tokens: (headers, resumptionToken elements seen)."""
    headers: list[dict] = []
    tokens: list[etree._Element] = []
    request = {"verb": verb, **arguments}
    while True:
        page = answer(ask(client, request, method), verb)
        items = page.findall("oai:header", NS) if verb == "ListIdentifiers" else page.findall("oai:record", NS)
        assert items, "a list page holds at least one item"
        headers += [checked_header(item) if verb == "ListIdentifiers" else checked_record(item)[0] for item in items]
        token = resumption(page)
        if token is None or not token.text:
            if token is not None:
                tokens.append(token)
            return headers, tokens
        tokens.append(token)
        request = {"verb": verb, "resumptionToken": token.text}
