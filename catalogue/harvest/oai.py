"""The OAI-PMH 2.0 protocol: each verb's answer as the spec's XML, built with lxml from the service's
reads. The view hands over the request's (name, value) pairs and sends back the bytes; every
failure a harvester can cause is an OAI-PMH error in a 200 response, as the spec wants."""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from lxml import etree

from catalogue.harvest.arguments import (
    BAD_ARGUMENT,
    BAD_RESUMPTION_TOKEN,
    BAD_VERB,
    CANNOT_DISSEMINATE_FORMAT,
    ID_DOES_NOT_EXIST,
    NO_RECORDS_MATCH,
    TOKEN,
    OaiError,
    OaiRequest,
    checked_request,
    date_range,
)
from catalogue.harvest.elements import (
    OAI_DC_NS,
    OAI_DC_SCHEMA,
    OAI_IDENTIFIER_NS,
    OAI_IDENTIFIER_SCHEMA,
    OAI_NS,
    OAI_SCHEMA,
    SCHEMA_LOCATION,
    XSI_NS,
    sub,
    xml_text,
)
from catalogue.harvest.oai_dc import dublin_core
from catalogue.harvest.tokens import LIFETIME, ListState, issue, redeem
from catalogue.lido.names import LIDO_1_1_SCHEMA_LOCATION, LIDO_NS
from catalogue.lido.writer import lido_record
from catalogue.models import Museum, ObjectRecord, public_id
from catalogue.service.oai import OaiRules, set_specs
from catalogue.store.oai import OaiEntry, OaiSelection

DATESTAMP = "%Y-%m-%dT%H:%M:%SZ"  # the granularity we support: seconds, in UTC
# the oai-identifier scheme's repositoryIdentifier: a domain name (an IP address does not qualify)
REPOSITORY_IDENTIFIER = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+")


@dataclass(frozen=True)
class Repository:
    """What responses say of the catalogue, and how its lists are cut."""

    base_url: str  # the catalogue's BASE_URL, without a trailing slash
    name: str
    admin_email: str
    page_size: int
    secret: str  # signs resumption tokens

    @property
    def endpoint(self) -> str:
        return f"{self.base_url}/oai"

    @property
    def host(self) -> str:
        return (urlsplit(self.base_url).hostname or "localhost").lower()

    def identifier(self, record_id: str) -> str:
        """A record's OAI identifier: ``oai:<host of BASE_URL>:<record id>``."""
        return f"oai:{self.host}:{record_id}"

    def record_id(self, identifier: str) -> str | None:
        """The record id an identifier of ours names; None for anything else."""
        scheme, _, rest = identifier.partition(":")
        host, _, record_id = rest.partition(":")
        if scheme != "oai" or host != self.host or not record_id.isascii() or not record_id.isalnum():
            return None
        return record_id if len(record_id) <= 32 else None


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    schema: str
    namespace: str
    write: Callable[[ObjectRecord, Museum, str], etree._Element]  # (record, museum, base URL) -> element


FORMATS = {
    metadata_format.prefix: metadata_format
    for metadata_format in (
        MetadataFormat("oai_dc", OAI_DC_SCHEMA, OAI_DC_NS, dublin_core),
        MetadataFormat("lido", LIDO_1_1_SCHEMA_LOCATION.split()[1], LIDO_NS, lido_record),
    )
}


def datestamp(when: datetime) -> str:
    return when.strftime(DATESTAMP)


class Provider:
    """One request's answer: ``respond`` checks the arguments, then the verb's method builds its
    element from the service's reads."""

    def __init__(self, service: OaiRules, repository: Repository, now: datetime):
        self.service = service
        self.repository = repository
        self.now = now

    def respond(self, pairs: Iterable[tuple[str, str]]) -> bytes:
        """The whole response document for a request's (name, value) pairs."""
        root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
        root.set(SCHEMA_LOCATION, f"{OAI_NS} {OAI_SCHEMA}")
        sub(root, _oai("responseDate"), datestamp(self.now))
        echo = sub(root, _oai("request"), self.repository.endpoint)
        try:
            request = checked_request(pairs)
            for name, value in {"verb": request.verb, **request.arguments}.items():
                echo.set(name, xml_text(value))
            root.append(self._answer(request))
        except OaiError as error:
            if error.code in (BAD_VERB, BAD_ARGUMENT):  # the spec: then the request element has no attributes
                echo.attrib.clear()
            sub(root, _oai("error"), error.message, {"code": error.code})
        return etree.tostring(root, encoding="UTF-8", xml_declaration=True)

    def _answer(self, request: OaiRequest) -> etree._Element:
        if request.verb == "Identify":
            return self.identify()
        if request.verb == "ListMetadataFormats":
            return self.list_metadata_formats(request)
        if request.verb == "ListSets":
            return self.list_sets(request)
        if request.verb == "GetRecord":
            return self.get_record(request)
        return self.list_entries(request)

    def identify(self) -> etree._Element:
        """Who we are; the earliest datestamp and the sample identifier are the oldest visible
        record's (in an empty catalogue, now and a made-up id)."""
        oldest = self.service.oai_oldest()
        answer = etree.Element(_oai("Identify"))
        sub(answer, _oai("repositoryName"), self.repository.name)
        sub(answer, _oai("baseURL"), self.repository.endpoint)
        sub(answer, _oai("protocolVersion"), "2.0")
        sub(answer, _oai("adminEmail"), self.repository.admin_email)
        sub(answer, _oai("earliestDatestamp"), datestamp(oldest.updated_at if oldest else self.now))
        sub(answer, _oai("deletedRecord"), "persistent")
        sub(answer, _oai("granularity"), "YYYY-MM-DDThh:mm:ssZ")
        if REPOSITORY_IDENTIFIER.fullmatch(self.repository.host):
            sample = self.repository.identifier(oldest.record_id if oldest else public_id("museum", "object"))
            answer.append(_oai_identifier(self.repository.host, sample))
        return answer

    def list_metadata_formats(self, request: OaiRequest) -> etree._Element:
        """Every format: each record (deleted ones aside, which have none) is offered in all of them."""
        identifier = request.get("identifier")
        if identifier is not None:
            self._known_id(identifier)
        answer = etree.Element(_oai("ListMetadataFormats"))
        for metadata_format in FORMATS.values():
            element = sub(answer, _oai("metadataFormat"))
            sub(element, _oai("metadataPrefix"), metadata_format.prefix)
            sub(element, _oai("schema"), metadata_format.schema)
            sub(element, _oai("metadataNamespace"), metadata_format.namespace)
        return answer

    def list_sets(self, request: OaiRequest) -> etree._Element:
        """Each museum and the masterpieces: a short list, never cut, so no token is ours to take."""
        if request.get(TOKEN) is not None:
            raise OaiError(BAD_RESUMPTION_TOKEN, "The list of sets is never cut; this resumptionToken is not ours.")
        answer = etree.Element(_oai("ListSets"))
        for set_spec, museum in self.service.oai_sets():
            element = sub(answer, _oai("set"))
            sub(element, _oai("setSpec"), set_spec)
            sub(element, _oai("setName"), museum.name() if museum else "Masterpieces")
        return answer

    def get_record(self, request: OaiRequest) -> etree._Element:
        identifier, metadata_format = request.get("identifier") or "", self._format(request.get("metadataPrefix"))
        entry = self._known_id(identifier, with_record=True)
        answer = etree.Element(_oai("GetRecord"))
        answer.append(self._record(entry, metadata_format))
        return answer

    def list_entries(self, request: OaiRequest) -> etree._Element:
        """ListIdentifiers (headers) or ListRecords (records): one page, and a resumptionToken when
        more follow. The count (completeListSize) is taken once, when a list needs a second page."""
        state, metadata_format, selection = self._list_of(request)
        with_records, size = request.verb == "ListRecords", self.repository.page_size
        after = state.after if state else None
        entries = self.service.oai_page(selection, after, size + 1, with_records) if selection else []
        if selection is None or not entries:
            raise OaiError(NO_RECORDS_MATCH, "No records match these arguments.")
        answer = etree.Element(_oai(request.verb))
        shown, more = entries[:size], len(entries) > size
        for entry in shown:
            answer.append(self._record(entry, metadata_format) if with_records else self._header(entry))
        if state is not None or more:
            total = state.total if state else self.service.oai_count(selection)
            self._resumption(answer, request, state, shown, total, more)
        return answer

    def _list_of(self, request: OaiRequest) -> tuple[ListState | None, MetadataFormat, OaiSelection | None]:
        """Where the list stands (None on its first page), its format and the records it holds,
        from the arguments or from the resumptionToken that stands for them."""
        token = request.get(TOKEN)
        if token is None:
            selection = self.service.oai_selection(request.get("set"), request.since, request.before)
            return None, self._format(request.get("metadataPrefix")), selection
        state = redeem(token, request.verb, self.repository.secret, self.now)
        since, before = date_range(state.from_text, state.until_text)
        return state, self._format(state.prefix), self.service.oai_selection(state.set_spec, since, before)

    def _resumption(
        self,
        answer: etree._Element,
        request: OaiRequest,
        state: ListState | None,
        shown: list[OaiEntry],
        total: int,
        more: bool,
    ) -> None:
        """The list's resumptionToken: the next page's, or an empty one on the last page of a cut list."""
        cursor = state.cursor if state else 0
        seen = cursor + len(shown)
        attributes = {"completeListSize": str(max(total, seen + more)), "cursor": str(cursor)}
        if not more:  # the last page: an empty token says the list is complete
            sub(answer, _oai("resumptionToken"), None, attributes)
            return
        last = shown[-1].header
        expires = self.now + LIFETIME
        following = ListState(
            verb=request.verb,
            prefix=state.prefix if state else request.get("metadataPrefix") or "",
            set_spec=state.set_spec if state else request.get("set"),
            from_text=state.from_text if state else request.get("from"),
            until_text=state.until_text if state else request.get("until"),
            after=(last.updated_at, last.record_id),
            total=total,
            cursor=seen,
            expires=expires,
        )
        attributes["expirationDate"] = datestamp(expires)
        sub(answer, _oai("resumptionToken"), issue(following, self.repository.secret), attributes)

    def _format(self, prefix: str | None) -> MetadataFormat:
        metadata_format = FORMATS.get(prefix or "")
        if metadata_format is None:
            offered = ", ".join(FORMATS)
            raise OaiError(CANNOT_DISSEMINATE_FORMAT, f"This repository offers these metadata formats: {offered}.")
        return metadata_format

    def _known_id(self, identifier: str, with_record: bool = False) -> OaiEntry:
        record_id = self.repository.record_id(identifier)
        entry = self.service.oai_entry(record_id, with_record) if record_id else None
        if entry is None:
            example = self.repository.identifier("<record id>")
            raise OaiError(ID_DOES_NOT_EXIST, f"No item has this identifier (ours read {example}).")
        return entry

    def _header(self, entry: OaiEntry) -> etree._Element:
        header = entry.header
        element = etree.Element(_oai("header"), {"status": "deleted"} if header.deleted else {})
        sub(element, _oai("identifier"), self.repository.identifier(header.record_id))
        sub(element, _oai("datestamp"), datestamp(header.updated_at))
        for set_spec in set_specs(header):
            sub(element, _oai("setSpec"), set_spec)
        return element

    def _record(self, entry: OaiEntry, metadata_format: MetadataFormat) -> etree._Element:
        """A record: its header, and unless it is deleted its metadata in the format asked for."""
        element = etree.Element(_oai("record"))
        element.append(self._header(entry))
        if entry.record is not None:
            museum = self.service.oai_museum(entry.record.museum)
            metadata = sub(element, _oai("metadata"))
            metadata.append(metadata_format.write(entry.record, museum, self.repository.base_url))
        return element


def _oai_identifier(host: str, sample: str) -> etree._Element:
    """The description that says how our identifiers are made (the oai-identifier scheme)."""
    description = etree.Element(_oai("description"))
    scheme = etree.SubElement(description, f"{{{OAI_IDENTIFIER_NS}}}oai-identifier", nsmap={None: OAI_IDENTIFIER_NS})
    scheme.set(SCHEMA_LOCATION, f"{OAI_IDENTIFIER_NS} {OAI_IDENTIFIER_SCHEMA}")
    parts = {"scheme": "oai", "repositoryIdentifier": host, "delimiter": ":", "sampleIdentifier": sample}
    for name, value in parts.items():
        sub(scheme, f"{{{OAI_IDENTIFIER_NS}}}{name}", value)
    return description


def _oai(name: str) -> str:
    return f"{{{OAI_NS}}}{name}"
