"""The curator pages are as locked down as the public ones: a strict Content Security Policy, no
framing (only /embed/* pages may be framed, anywhere in the app), no MIME sniffing, a referrer
policy, nothing kept by shared caches; a failure never shows a stack trace; and two writes that
collide on a unique key end in a 409, not a 500."""

import pytest
from sqlalchemy.exc import IntegrityError

from catalogue.views import security
from tests.support import sign_in

PAGES = [
    "/curate/?museum=tate",
    "/curate/records/new?museum=tate",
    "/curate/imports?museum=tate",
    "/account",
    "/account/people",
    "/admin/applications",
]
OPEN_PAGES = ["/account/sign-in", "/account/reset", "/join"]


@pytest.fixture
def admin_client(app, museum, make_account):
    client = app.test_client()
    assert sign_in(client, make_account("admin")).status_code == 302
    return client


@pytest.mark.parametrize("path", PAGES + OPEN_PAGES)
def test_curator_pages_carry_the_strict_headers(admin_client, client, path):
    response = (client if path in OPEN_PAGES else admin_client).get(path)
    assert response.status_code == 200, path
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy and response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("strict-origin-when-cross-origin", "no-referrer")
    assert response.headers["Cache-Control"] == "private, no-store"


def test_public_pages_stay_cacheable_for_a_signed_in_curator_too(admin_client, client, museum):
    """Signing in must not make the public pages vary by cookie: they show nothing of the person."""
    for visitor in (client, admin_client):
        response = visitor.get("/museums/tate")
        assert response.status_code == 200
        assert "Cookie" not in response.headers.get("Vary", "") and "Set-Cookie" not in response.headers


def test_only_embed_pages_may_be_framed(app):
    framable = {
        rule.rule for rule in app.url_map.iter_rules() if app.view_functions[rule.endpoint] in security._embeddable
    }
    assert framable and all(path.startswith("/embed/") for path in framable), framable


@pytest.fixture
def failing_app(app):
    """The app with two routes that fail the way a bug or a race would."""

    def broken():
        raise RuntimeError("secret detail: /srv/catalogue/settings.py line 42")

    def collided():
        raise IntegrityError("INSERT INTO users ...", {}, Exception("UNIQUE constraint failed: users.email"))

    app.add_url_rule("/broken", "broken", broken)
    app.add_url_rule("/api/broken", "api_broken", broken)
    app.add_url_rule("/collided", "collided", collided)
    return app


@pytest.mark.parametrize("path", ["/broken", "/api/broken"])
def test_a_bug_is_a_plain_500_without_a_stack_trace(failing_app, path):
    failing_app.testing = False  # as in production: the error handler answers, nothing is re-raised
    response = failing_app.test_client().get(path)
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Traceback" not in body and "secret detail" not in body and "settings.py" not in body


def test_a_unique_key_race_is_a_409(failing_app):
    response = failing_app.test_client().get("/collided")
    assert response.status_code == 409 and "reload" in response.get_data(as_text=True)
