"""One record in the formats other systems read: LIDO XML (what museums exchange) and Linked Art
JSON-LD (what linked-data portals read). The JSON API's own shape lives in views/api.py."""

from flask import Blueprint, Response, jsonify, request

from catalogue.extensions import service
from catalogue.lido.writer import lido_document
from catalogue.linked_art import linked_art
from catalogue.models import PUBLIC, ObjectRecord, is_public
from catalogue.views.api import PUBLIC_MAX_AGE, token_actor
from catalogue.views.urls import base_url

blueprint = Blueprint("record_formats", __name__)
LINKED_ART_PROFILE = "https://linked.art/ns/v1/linked-art.json"


@blueprint.get("/objects/<record_id>.lido.xml")
def lido_xml(record_id):
    record, reader_is_public = _readable(record_id)
    body = lido_document(record, service().museum(record.museum), base_url())
    return _answer(Response(body, mimetype="application/xml"), record, reader_is_public)


@blueprint.get("/objects/<record_id>.linkedart.json")
def linked_art_json(record_id):
    record, reader_is_public = _readable(record_id)
    response = jsonify(linked_art(record, service().museum(record.museum), base_url()))
    response.mimetype = "application/ld+json"
    response.headers["Content-Type"] = f'application/ld+json;profile="{LINKED_ART_PROFILE}"'
    return _answer(response, record, reader_is_public)


def _readable(record_id: str) -> tuple[ObjectRecord, bool]:
    """The record as the reader may see it (a curator's token also reads its museum's drafts)."""
    reader = token_actor() or PUBLIC
    return service().record(record_id, reader), reader is PUBLIC


def _answer(response: Response, record: ObjectRecord, reader_is_public: bool):
    response.headers["ETag"] = record.etag
    response.vary.add("Authorization")
    if is_public(record.status) and reader_is_public:
        response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    else:
        response.headers["Cache-Control"] = "private, no-store"
    return response.make_conditional(request)
