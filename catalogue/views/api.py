"""The JSON API: public reads, and curator reads and writes with bearer tokens."""

import json
import math
from collections.abc import Sequence

from flask import Blueprint, Response, current_app, jsonify, request

from catalogue.errors import NotAuthenticated, TooLarge, UnsupportedType, ValidationFailed
from catalogue.extensions import service
from catalogue.i18n import N_, gettext, visitor_languages
from catalogue.messages import Message, kept_message
from catalogue.models import PUBLIC, Actor, ObjectRecord, StoredImage, is_public
from catalogue.records.langmap import pick_with_language
from catalogue.records.schema import NO_RIGHTS
from catalogue.store import ImageSource
from catalogue.views.shapes import (
    BatchResponseSchema,
    CuratorRecordSchema,
    ImagesResponseSchema,
    MuseumOutSchema,
    StoredRecordSchema,
    dump,
    dump_many,
)
from catalogue.views.urls import image_service_url, manifest_url, object_url, original_url

blueprint = Blueprint("api", __name__)
PUBLIC_MAX_AGE = 60


def record_json(record: ObjectRecord, curator: bool = False, sources: Sequence[ImageSource] = ()) -> dict:
    """The public shape, or for the museum's curators the curator shape (warnings, image sources)."""
    data = {
        "id": record.id,
        "url": object_url(record.id),
        "museum": record.museum,
        "local_id": record.local_id,
        **record.body,
        "rights": {**NO_RIGHTS, **(record.body.get("rights") or {})},  # records saved before both keys were kept
        "status": record.status,
        "revision": record.revision,
        "created_at": record.created_at.isoformat(),
        "updated_at": record.updated_at.isoformat(),
        "images": [image_json(image, record.images_open_for_reuse) for image in record.images],
        "manifest": manifest_url(record.id) if record.images else None,
        # in English, or in the language the request names, as the API's messages are
        "warnings": [{**warning, "reason": gettext(kept_message(warning, "reason"))} for warning in record.warnings],
        "image_sources": [source.to_json() for source in sources],
        "shown": shown_values(record),
    }
    return dump(CuratorRecordSchema if curator else StoredRecordSchema, data)


def shown_values(record: ObjectRecord) -> dict:
    """The record's title and description as a page in the visitor's language shows them."""
    languages = visitor_languages()
    original = record.body.get("language")

    def chosen(name: str) -> dict:
        value, tag = pick_with_language(record.body.get(name), languages, original)
        return {"value": value, "language": tag}

    return {"languages": languages, "title": chosen("title"), "description": chosen("description")}


def image_json(image: StoredImage, open_for_reuse: bool) -> dict:
    """An image with its IIIF Image API service, and its original's URL only when the museum opened
    it for reuse (`ObjectRecord.images_open_for_reuse`): for any other, that URL would answer 403."""
    original = original_url(image.id) if open_for_reuse else None
    return {**image.to_json(), "url": original, "iiif": image_service_url(image.id)}


def _record_response(record: ObjectRecord, reader: Actor = PUBLIC, status: int = 200) -> Response:
    """Published records are public and cacheable; anything else is for its curators only."""
    curator = reader.may_read_unpublished(record.museum)
    sources = service().image_sources(record.id) if curator else []
    response = jsonify(record_json(record, curator, sources))
    response.status_code = status
    response.headers["ETag"] = record.etag
    response.vary.add("Authorization")
    if is_public(record.status) and reader is PUBLIC:
        response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    else:
        response.headers["Cache-Control"] = "private, no-store"  # and no CORS: see public.allow_cross_origin_reads
    return response


SEND_A_TOKEN = N_("Send a curator token: 'Authorization: Bearer <token>'.")
# partial updates: a client sending one would lose every field it left out, as a write replaces the record
PATCH_TYPES = ("application/merge-patch+json", "application/json-patch+json")


def current_actor() -> Actor:
    """The curator (or administrator) named by the request's bearer token; 401 without a valid one."""
    actor = token_actor()
    if actor is None:
        raise NotAuthenticated(SEND_A_TOKEN)
    return actor


def token_actor() -> Actor | None:
    """None without an Authorization header; a token that is sent must be valid."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated(SEND_A_TOKEN)
    actor = service().actor_for_token(token.strip())
    if actor is None:
        raise NotAuthenticated(N_("The token is not valid, has expired or has been revoked."))
    return actor


def writer(code: str) -> Actor:
    """The token's actor, once it is known to may write museum ``code``: authorization comes
    before the body is read or validated, so another museum's token gets a 403 whatever it sends."""
    actor = current_actor()
    service().check_may_write(actor, code)
    return actor


class NotJsonNumber(ValueError):
    """NaN, Infinity or -Infinity, which Python's parser takes, or a number too large for a float
    (1e400), which it reads as infinity: none is a JSON number (RFC 8259), a year, or storable."""


def _refuse_constant(name: str):
    raise NotJsonNumber(Message(N_("%(name)s is not a JSON number"), name=name))


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise NotJsonNumber(Message(N_("the number %(number)s is too large"), number=text[:40]))
    return number


def json_body():
    """The request's JSON, read here for every write; malformed or absurdly nested JSON (the parser
    recurses once per level, so 10,000 nested arrays exhaust its stack) is a 400, and so are NaN,
    Infinity and numbers too large for a float, which are no JSON numbers."""
    if request.mimetype in PATCH_TYPES:
        raise UnsupportedType(N_("A write sends the whole record as application/json; this API takes no patches."))
    if not request.is_json:
        raise UnsupportedType(N_("Send JSON with 'Content-Type: application/json'."))
    try:
        return json.loads(request.get_data(cache=True), parse_constant=_refuse_constant, parse_float=_finite)
    except RecursionError:
        raise ValidationFailed(N_("The JSON is nested too deeply.")) from None
    except NotJsonNumber as refused:
        raise ValidationFailed(N_("The body is not valid JSON: %(reason)s."), reason=refused.args[0]) from None
    except ValueError:
        raise ValidationFailed(N_("The body is not valid JSON (UTF-8).")) from None


NOT_A_REVISION = N_("The revision must be a whole number.")


def if_match() -> str | None:
    value = request.headers.get("If-Match")
    return value.strip() if value is not None else None


def body_revision(data) -> int | None:
    """Optimistic locking by the body: ``"revision": N`` (the ETag way is ``If-Match``)."""
    candidate = data.get("revision") if isinstance(data, dict) else None
    if candidate is None:
        return None
    if isinstance(candidate, bool) or not isinstance(candidate, (int, str)):
        raise ValidationFailed(NOT_A_REVISION)
    try:
        return int(candidate)
    except ValueError:
        raise ValidationFailed(NOT_A_REVISION) from None


# public reads (curators with a token also see their museum's unpublished records) -----------
@blueprint.get("/museums")
def museums():
    counts = service().published_counts()
    items = [{**m.to_json(), "records": counts.get(m.code, 0)} for m in service().museums()]
    return _cacheable(jsonify(dump_many(MuseumOutSchema, items)))


@blueprint.get("/museums/<code>")
def museum(code):
    found = service().museum(code)
    data = {**found.to_json(), "records": service().published_counts().get(code, 0)}
    return _cacheable(jsonify(dump(MuseumOutSchema, data)))


def _cacheable(response: Response):
    response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    response.add_etag()
    return response.make_conditional(request)


@blueprint.get("/objects/<record_id>")
def object_by_id(record_id):
    reader = token_actor() or PUBLIC
    return _record_response(service().record(record_id, reader), reader).make_conditional(request)


@blueprint.get("/museums/<code>/objects/<path:local_id>")
def object_by_local_id(code, local_id):
    reader = token_actor() or PUBLIC
    return _record_response(service().record_by_local_id(code, local_id, reader), reader).make_conditional(request)


# curator writes ----------------------------------------------------------------------------
@blueprint.post("/museums/<code>/objects")
def create_objects(code):
    actor, data = writer(code), json_body()
    if isinstance(data, list):
        limit = current_app.config["MAX_RECORDS_PER_REQUEST"]
        if len(data) > limit:
            raise TooLarge(N_("At most %(limit)s records per request."), limit=limit)
        outcomes = service().upsert_many(actor, code, data)
        status = 201 if any(o.action == "created" for o in outcomes) else 200
        results = [
            {
                "action": o.action,
                "id": o.record_id,
                "local_id": o.local_id,
                "revision": o.revision,
                "url": object_url(o.record_id),
            }
            for o in outcomes
        ]
        return jsonify(dump(BatchResponseSchema, {"results": results})), status
    outcome = service().upsert(actor, code, data, body_revision(data), if_match())
    return _saved(actor, outcome)


@blueprint.put("/museums/<code>/objects/<path:local_id>")
def put_object(code, local_id):
    actor, data = writer(code), json_body()
    if not isinstance(data, dict):
        raise ValidationFailed(N_("Send one record as a JSON object."))
    if data.get("local_id", local_id) != local_id:
        raise ValidationFailed(
            N_("The local id in the body differs from the one in the URL."),
            [{"field": "local_id", "message": N_("Must match the URL.")}],
        )
    outcome = service().upsert(actor, code, {**data, "local_id": local_id}, body_revision(data), if_match())
    return _saved(actor, outcome)


def _saved(actor: Actor, outcome) -> Response:
    return _record_response(
        service().record(outcome.record_id, actor), actor, 201 if outcome.action == "created" else 200
    )


@blueprint.delete("/museums/<code>/objects/<path:local_id>")
def delete_object(code, local_id):
    service().withdraw(writer(code), code, local_id)
    return "", 204


@blueprint.post("/museums/<code>/objects/<path:local_id>/images")
def add_images(code, local_id):
    actor = writer(code)
    if not request.mimetype == "multipart/form-data":
        raise UnsupportedType(N_("Upload images as multipart/form-data with one or more 'file' parts."))
    files = request.files.getlist("file")
    if not files:
        raise ValidationFailed(N_("No 'file' part in the upload."))
    alt, alt_lang = request.form.get("alt"), request.form.get("alt_lang")
    alt_value = {alt_lang: [alt]} if alt and alt_lang else alt
    images = service().add_images(actor, code, local_id, [(f.read(), f.filename) for f in files], alt_value)
    open_for_reuse = service().record_by_local_id(code, local_id, actor).images_open_for_reuse
    items = [image_json(image, open_for_reuse) for image in images]
    return jsonify(dump(ImagesResponseSchema, {"images": items})), 201
