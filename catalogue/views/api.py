"""The JSON API: public reads, and curator writes with bearer tokens."""
from flask import Blueprint, current_app, jsonify, request

from catalogue.errors import NotAuthenticated, TooLarge, UnsupportedType, ValidationFailed
from catalogue.extensions import service
from catalogue.models import Actor, ObjectRecord
from catalogue.views.urls import image_url, object_url

blueprint = Blueprint("api", __name__)


def record_json(record: ObjectRecord) -> dict:
    data = record.to_json(object_url(record.id))
    for image in data["images"]:
        image["url"] = image_url(image["id"])
    return data


def _record_response(record: ObjectRecord, status: int = 200):
    response = jsonify(record_json(record))
    response.status_code = status
    response.headers["ETag"] = f'"{record.id}-{record.revision}"'
    return response


def current_actor() -> Actor:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("Send a curator token: 'Authorization: Bearer <token>'.")
    actor = service().actor_for_token(token.strip())
    if actor is None:
        raise NotAuthenticated("The token is not valid or has been revoked.")
    return actor


def json_body():
    if not request.is_json:
        raise UnsupportedType("Send JSON with 'Content-Type: application/json'.")
    data = request.get_json(silent=True)
    if data is None:
        raise ValidationFailed("The body is not valid JSON.")
    return data


def expected_revision(data) -> int | None:
    """Optimistic locking: ``If-Match: "<id>-<revision>"`` or ``revision`` in the body."""
    header = request.headers.get("If-Match", "").strip().strip('"')
    candidate = header.rsplit("-", 1)[-1] if header and header != "*" else None
    if candidate is None and isinstance(data, dict):
        candidate = data.get("revision")
    if candidate is None:
        return None
    try:
        return int(candidate)
    except (TypeError, ValueError):
        raise ValidationFailed("The revision must be a whole number.") from None


# public reads ------------------------------------------------------------------------------
@blueprint.get("/museums")
def museums():
    counts = service().store.record_counts()
    return jsonify([{**m.to_json(), "records": counts.get(m.code, 0)} for m in service().store.list_museums()])


@blueprint.get("/museums/<code>")
def museum(code):
    found = service().museum(code)
    return jsonify({**found.to_json(), "records": service().store.count_records(code)})


@blueprint.get("/objects/<record_id>")
def object_by_id(record_id):
    return _record_response(service().record(record_id))


@blueprint.get("/museums/<code>/objects/<path:local_id>")
def object_by_local_id(code, local_id):
    return _record_response(service().record_by_local_id(code, local_id))


# curator writes ----------------------------------------------------------------------------
@blueprint.post("/museums/<code>/objects")
def create_objects(code):
    actor, data = current_actor(), json_body()
    if isinstance(data, list):
        if len(data) > current_app.config["MAX_RECORDS_PER_REQUEST"]:
            raise TooLarge(f"At most {current_app.config['MAX_RECORDS_PER_REQUEST']} records per request.")
        outcomes = service().upsert_many(actor, code, data)
        status = 201 if any(o.action == "created" for o in outcomes) else 200
        return jsonify({"results": [{"action": o.action, "id": o.record_id, "local_id": o.local_id,
                                     "revision": o.revision, "url": object_url(o.record_id)} for o in outcomes]}), status
    outcome = service().upsert(actor, code, data)
    return _record_response(service().record(outcome.record_id), 201 if outcome.action == "created" else 200)


@blueprint.put("/museums/<code>/objects/<path:local_id>")
def put_object(code, local_id):
    actor, data = current_actor(), json_body()
    if not isinstance(data, dict):
        raise ValidationFailed("Send one record as a JSON object.")
    if data.get("local_id", local_id) != local_id:
        raise ValidationFailed("The local id in the body differs from the one in the URL.",
                               [{"field": "local_id", "message": "Must match the URL."}])
    outcome = service().upsert(actor, code, {**data, "local_id": local_id}, expected_revision(data))
    return _record_response(service().record(outcome.record_id), 201 if outcome.action == "created" else 200)


@blueprint.delete("/museums/<code>/objects/<path:local_id>")
def delete_object(code, local_id):
    service().withdraw(current_actor(), code, local_id)
    return "", 204


@blueprint.post("/museums/<code>/objects/<path:local_id>/images")
def add_images(code, local_id):
    actor = current_actor()
    if not request.mimetype == "multipart/form-data":
        raise UnsupportedType("Upload images as multipart/form-data with one or more 'file' parts.")
    files = request.files.getlist("file")
    if not files:
        raise ValidationFailed("No 'file' part in the upload.")
    alt, alt_lang = request.form.get("alt"), request.form.get("alt_lang")
    alt_value = {alt_lang: [alt]} if alt and alt_lang else alt
    images = service().add_images(actor, code, local_id, [(f.read(), f.filename) for f in files], alt_value)
    return jsonify({"images": [image.to_json() for image in images]}), 201
