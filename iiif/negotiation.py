"""Content negotiation between JSON-LD and plain JSON for IIIF documents (Presentation 3 §6.3,
Change Discovery 1.0 §3): JSON-LD with the API's context as its ``profile`` unless the client
prefers plain JSON.

werkzeug matches an Accept entry only when its parameters match too, so the entry IIIF tells
clients to send, ``application/ld+json;profile="..."``, counts for nothing in its ``quality()``
and ``best_match()``: a client that asked for JSON-LD first and JSON as a fallback got JSON, and a
client without an Accept header got JSON where the specifications ask for JSON-LD."""

from werkzeug.datastructures import MIMEAccept

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
