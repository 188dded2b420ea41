"""GET /api/openapi.json: the OpenAPI 3 description of every public and curator endpoint, with the
request and response bodies generated from the marshmallow schemas the code itself uses."""

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, jsonify

from catalogue.records.schema import ObjectRecordSchema
from catalogue.search_params import SORT_ALIASES
from catalogue.views.shapes import (
    BatchResponseSchema,
    CuratorRecordSchema,
    ErrorSchema,
    ImageSchema,
    ImagesResponseSchema,
    MuseumOutSchema,
    SearchResponseSchema,
    StoredRecordSchema,
    SuggestResponseSchema,
)
from catalogue.views.urls import base_url
from indexer.schema import FACETS

blueprint = Blueprint("openapi", __name__)


def _param(name, description, schema=None, required=False, where="query", **extra):
    return {
        "name": name,
        "in": where,
        "required": required,
        "description": description,
        "schema": schema or {"type": "string"},
        **extra,
    }


def _json(schema: str) -> dict:
    return {"application/json": {"schema": schema}}


def _errors(*codes: int) -> dict:
    return {
        str(code): {"description": text, "content": _json("Error")}
        for code, text in (
            (400, "Invalid input"),
            (401, "No valid token"),
            (403, "Not allowed"),
            (404, "Not found"),
            (409, "Stale revision in the body"),
            (410, "Withdrawn (the body names the tombstone's id)"),
            (412, "If-Match does not match the record's ETag"),
            (413, "Too large"),
            (415, "Wrong media type"),
            (503, "Search or database unavailable"),
        )
        if code in codes
    }


SEARCH_PARAMETERS = [
    _param("q", 'Free text: words, "phrases", -exclusions'),
    *[
        _param(
            f.name,
            f"{f.label}: repeat for OR within the facet",
            {"type": "array", "items": {"type": "string"}},
            style="form",
            explode=True,
        )
        for f in FACETS
    ],
    _param("date_from", "Signed year or '500 BCE'"),
    _param("date_to", "Signed year or '500 BCE'"),
    _param("sort", "Order", {"type": "string", "enum": sorted(SORT_ALIASES)}),
    _param("page", "Page (numbered pages reach the first 10,000 results)", {"type": "integer", "minimum": 1}),
    _param("size", "Results per page", {"type": "integer", "minimum": 1, "maximum": 100}),
    _param("cursor", "next_cursor of the previous page, for deep paging"),
    _param("lang", "Preferred language for titles and labels (BCP 47)"),
]
MUSEUM = _param("code", "Museum code", where="path", required=True)
LOCAL_ID = _param("local_id", "The museum's own id (percent-encoded)", where="path", required=True)
BEARER: list[dict[str, list]] = [{"curatorToken": []}]


def build_spec(base_url: str) -> dict:
    spec = APISpec(
        title="Virtual Collection of Masterpieces API",
        version="1",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        servers=[{"url": base_url}],
        info={
            "description": "Public search and records; curator writes with bearer tokens "
            "(`catalogue token create --museum CODE`)."
        },
    )
    spec.components.security_scheme("curatorToken", {"type": "http", "scheme": "bearer"})
    for name, schema in (
        ("Error", ErrorSchema),
        ("Image", ImageSchema),
        ("ObjectRecordInput", ObjectRecordSchema),
        ("ObjectRecord", StoredRecordSchema),
        ("CuratorObjectRecord", CuratorRecordSchema),
        ("Museum", MuseumOutSchema),
        ("SearchResponse", SearchResponseSchema),
        ("SuggestResponse", SuggestResponseSchema),
        ("BatchResponse", BatchResponseSchema),
        ("ImagesResponse", ImagesResponseSchema),
    ):
        spec.components.schema(name, schema=schema)
    record_response = {
        "description": "The record (with a curator's token: with its data-quality warnings)",
        "content": {"application/json": {"schema": {"oneOf": ["ObjectRecord", "CuratorObjectRecord"]}}},
        "headers": {"ETag": {"schema": {"type": "string"}}},
    }
    spec.path(
        path="/api/objects",
        operations={
            "get": {
                "summary": "Search objects",
                "parameters": SEARCH_PARAMETERS,
                "responses": {
                    "200": {"description": "Results", "content": _json("SearchResponse")},
                    **_errors(400, 503),
                },
            }
        },
    )
    spec.path(
        path="/api/suggest",
        operations={
            "get": {
                "summary": "Autocomplete titles and makers",
                "parameters": [_param("q", "What was typed", required=True)],
                "responses": {
                    "200": {"description": "Suggestions", "content": _json("SuggestResponse")},
                    **_errors(400, 503),
                },
            }
        },
    )
    spec.path(
        path="/api/objects/{record_id}",
        operations={
            "get": {
                "summary": "One record by its public id",
                "parameters": [_param("record_id", "Public id", where="path", required=True)],
                "responses": {"200": record_response, **_errors(401, 404, 410)},
            }
        },
    )
    for suffix, summary, media_type in (
        ("lido.xml", "One record as LIDO 1.1 XML (the mapping: catalogue/lido/__init__.py)", "application/xml"),
        ("linkedart.json", "One record as Linked Art JSON-LD (a HumanMadeObject)", "application/ld+json"),
    ):
        spec.path(
            path=f"/api/objects/{{record_id}}.{suffix}",
            operations={
                "get": {
                    "summary": summary,
                    "description": "Published records for everyone; a curator's token also reads its museum's "
                    "drafts (Cache-Control: private, no-store). The ETag is the record's revision.",
                    "parameters": [_param("record_id", "Public id", where="path", required=True)],
                    "responses": {
                        "200": {
                            "description": "The record",
                            "headers": {"ETag": {"schema": {"type": "string"}}},
                            "content": {media_type: {"schema": {"type": "string" if "xml" in suffix else "object"}}},
                        },
                        "304": {"description": "Not modified: If-None-Match matches the ETag"},
                        **_errors(401, 404, 410),
                    },
                }
            },
        )
    spec.path(
        path="/api/museums",
        operations={
            "get": {
                "summary": "Member and guest museums",
                "responses": {
                    "200": {
                        "description": "Museums",
                        "content": {"application/json": {"schema": {"type": "array", "items": "Museum"}}},
                    }
                },
            }
        },
    )
    spec.path(
        path="/api/museums/{code}",
        operations={
            "get": {
                "summary": "One museum",
                "parameters": [MUSEUM],
                "responses": {"200": {"description": "The museum", "content": _json("Museum")}, **_errors(404)},
            }
        },
    )
    spec.path(
        path="/api/museums/{code}/objects",
        operations={
            "post": {
                "summary": "Create or update one record, or a list (all or nothing)",
                "security": BEARER,
                "parameters": [MUSEUM],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"oneOf": ["ObjectRecordInput", {"type": "array", "items": "ObjectRecordInput"}]}
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "Updated or unchanged (one record: the record; a list: results)",
                        "content": _json("ObjectRecord"),
                    },
                    "201": {"description": "Created", "content": _json("ObjectRecord")},
                    **_errors(400, 401, 403, 404, 413, 415),
                },
            }
        },
    )
    spec.path(
        path="/api/museums/{code}/objects/{local_id}",
        operations={
            "get": {
                "summary": "One record by the museum's own id",
                "parameters": [MUSEUM, LOCAL_ID],
                "responses": {"200": record_response, **_errors(401, 404, 410)},
            },
            "put": {
                "summary": "Create or update a record",
                "security": BEARER,
                "parameters": [
                    MUSEUM,
                    LOCAL_ID,
                    _param("If-Match", '"<id>-<revision>" to avoid lost updates', where="header"),
                ],
                "requestBody": {"required": True, "content": _json("ObjectRecordInput")},
                "responses": {
                    "200": record_response,
                    "201": record_response,
                    **_errors(400, 401, 403, 404, 409, 412, 413, 415),
                },
            },
            "delete": {
                "summary": "Withdraw a record (a tombstone stays)",
                "security": BEARER,
                "parameters": [MUSEUM, LOCAL_ID],
                "responses": {"204": {"description": "Withdrawn"}, **_errors(401, 403, 404)},
            },
        },
    )
    spec.path(
        path="/api/museums/{code}/objects/{local_id}/images",
        operations={
            "post": {
                "summary": "Upload images (JPEG, PNG, TIFF, WebP)",
                "security": BEARER,
                "parameters": [MUSEUM, LOCAL_ID],
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["file"],
                                "properties": {
                                    "file": {"type": "array", "items": {"type": "string", "format": "binary"}},
                                    "alt": {"type": "string"},
                                    "alt_lang": {"type": "string"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "201": {"description": "Images attached", "content": _json("ImagesResponse")},
                    **_errors(400, 401, 403, 404, 413, 415),
                },
            }
        },
    )
    return spec.to_dict()


@blueprint.get("/api/openapi.json")
def openapi_json():
    response = jsonify(build_spec(base_url()))
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
