"""Content negotiation between JSON-LD and plain JSON for IIIF documents (Presentation 3 §6.3,
Change Discovery 1.0 §3): JSON-LD with the API's context as its ``profile`` unless the client
prefers plain JSON.

werkzeug matches an Accept entry only when its parameters match too, so the entry IIIF tells
clients to send, ``application/ld+json;profile="..."``, counts for nothing in its ``quality()``
and ``best_match()``: a client that asked for JSON-LD first and JSON as a fallback got JSON, and a
client without an Accept header got JSON where the specifications ask for JSON-LD.

The two representations are the same bytes under different Content-Types, so each gets its own
ETag (``representation_etag``): a cache that stored one must never revalidate the other with it."""

import hashlib

from flask import jsonify, request
from werkzeug.datastructures import MIMEAccept
from werkzeug.wrappers import Response

JSON = "application/json"
JSON_LD = "application/ld+json"


def content_type(accept: MIMEAccept, profile: str) -> str:
    """``application/ld+json;profile="<profile>"``, or ``application/json`` for a client that
    rates plain JSON above JSON-LD."""
    if quality(accept, JSON) > quality(accept, JSON_LD):
        return JSON
    return f'{JSON_LD};profile="{profile}"'


def quality(accept: MIMEAccept, media_type: str) -> float:
    """How much the client wants ``media_type``: its best entry, with or without parameters, or a
    wildcard's (``*/*``, ``application/*``) when the type is not named."""
    named = [q for value, q in accept if value.split(";")[0].strip().lower() == media_type]
    return max(named) if named else accept.quality(media_type)


def representation_etag(body: bytes, media_type: str) -> str:
    """The body's digest, suffixed by the representation. JSON and JSON-LD answers hold the same bytes,
    yet a strong validator names one representation (RFC 9110 §8.8.1, §8.8.3): shared, a cache
    holding the JSON answer would get a 304 for the JSON-LD one and serve JSON in its place."""
    suffix = "ld" if media_type.split(";")[0].strip().lower() == JSON_LD else "json"
    return f"{hashlib.sha256(body).hexdigest()[:32]}-{suffix}"


def negotiated_json(document: dict, profile: str, cache_control: str) -> Response:
    """``document`` as the representation the client prefers (``content_type``), varying by Accept,
    with that representation's own ETag, and a 304 only to that ETag."""
    response = jsonify(document)
    response.headers["Content-Type"] = content_type(request.accept_mimetypes, profile)
    response.headers["Cache-Control"] = cache_control
    response.vary.add("Accept")
    response.set_etag(representation_etag(response.get_data(), response.content_type or JSON))
    return response.make_conditional(request)
