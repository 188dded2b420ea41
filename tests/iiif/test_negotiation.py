"""JSON-LD or plain JSON for IIIF documents: JSON-LD with the profile unless the client rates plain
JSON higher, whether or not its Accept entries carry parameters."""

import pytest
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from iiif.negotiation import content_type

CONTEXT = "http://iiif.io/api/presentation/3/context.json"
JSON_LD = f'application/ld+json;profile="{CONTEXT}"'


@pytest.mark.parametrize(
    "accept, expected",
    [
        (None, JSON_LD),  # no Accept header: Presentation 3 section 6.3
        ("*/*", JSON_LD),
        ("text/html", JSON_LD),  # neither asked for: the specification's choice
        (JSON_LD, JSON_LD),
        (f"{JSON_LD};q=0.9, application/json;q=0.5", JSON_LD),
        ("application/json", "application/json"),
        ("application/json, application/ld+json;q=0.5", "application/json"),
        ("application/ld+json;q=0, application/json", "application/json"),
        ("application/ld+json;q=0, */*;q=0.1", "application/json"),
    ],
)
def test_json_ld_unless_plain_json_is_preferred(accept, expected):
    assert content_type(parse_accept_header(accept, MIMEAccept), CONTEXT) == expected
