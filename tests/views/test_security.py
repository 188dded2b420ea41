"""Security headers on every page, pages that need no inline script or style, safe cookies, and a
production mode that refuses unsafe settings."""

import re
from pathlib import Path

import pytest

from catalogue import config, create_app
from catalogue.cli import cli_actor
from tests.support import REPO, record_payload

PAGES = ["/", "/search", "/search?q=wave", "/museums/tate", "/no-such-page", "/search/facets/maker"]


@pytest.fixture
def object_id(service, museum):
    return service.upsert(cli_actor(), "tate", record_payload()).record_id


def test_every_page_carries_a_strict_content_security_policy(client, object_id):
    for path in [*PAGES, f"/objects/{object_id}"]:
        response = client.get(path)
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy, path
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, path
        assert "frame-ancestors 'none'" in policy and response.headers["X-Frame-Options"] == "DENY", path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin", path


def test_json_and_images_are_not_sniffed_either(client, object_id):
    for path in ["/api/museums", f"/api/objects/{object_id}", "/api/objects", "/static/style.css"]:
        assert client.get(path).headers["X-Content-Type-Options"] == "nosniff", path


def test_an_error_page_also_carries_the_headers(client):
    response = client.post("/search")
    assert response.status_code == 405 and "Content-Security-Policy" in response.headers


@pytest.mark.parametrize("template", sorted(str(p.relative_to(REPO)) for p in (REPO / "templates").rglob("*.html")))
def test_templates_need_no_inline_script_or_style(template):
    """The policy forbids them, so a template using them would break in the browser. A JSON-LD
    block is data, not script: browsers never run it, and the policy does not apply to it."""
    text = Path(REPO / template).read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\b(?:src=|type=\"application/ld\+json\"))[^>]*>", text), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler"
    assert not re.search(r"\sstyle\s*=", text) and "<style" not in text, "inline style"
    assert "javascript:" not in text


def test_session_cookies_are_http_only_same_site_and_secure_over_https(tmp_path):
    plain = config.finish({**config.DEFAULTS, "DATA_DIR": str(tmp_path)})
    assert plain["SESSION_COOKIE_HTTPONLY"] and plain["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert not plain["SESSION_COOKIE_SECURE"]
    https = config.finish({**config.DEFAULTS, "DATA_DIR": str(tmp_path), "BASE_URL": "https://catalogue.example"})
    assert https["SESSION_COOKIE_SECURE"]


def test_production_refuses_the_default_secret_key(tmp_path):
    with pytest.raises(config.ConfigurationError, match="SECRET_KEY"):
        create_app({"ENV": "production", "DATA_DIR": str(tmp_path)})
    app = create_app({"ENV": "production", "SECRET_KEY": "x" * 40, "DATA_DIR": str(tmp_path)})
    assert app.config["ENV"] == "production"


def test_passwords_are_hashed_with_scrypt_and_production_accepts_nothing_weaker(tmp_path):
    app = create_app({"DATA_DIR": str(tmp_path)})
    assert app.config["PASSWORD_HASH_METHOD"] == "scrypt"
    assert app.extensions["catalogue"]._hash("a long passphrase").startswith("scrypt:")
    with pytest.raises(config.ConfigurationError, match="PASSWORD_HASH_METHOD"):
        create_app(
            {"ENV": "production", "SECRET_KEY": "x" * 40, "DATA_DIR": str(tmp_path), "PASSWORD_HASH_METHOD": "pbkdf2"}
        )


def test_unknown_environments_and_bad_numbers_are_refused_by_name(tmp_path):
    with pytest.raises(config.ConfigurationError, match="CATALOGUE_ENV"):
        config.finish({**config.DEFAULTS, "ENV": "staging", "DATA_DIR": str(tmp_path)})
    with pytest.raises(config.ConfigurationError, match="CATALOGUE_MAX_IMAGE_BYTES"):
        config.from_environment({"CATALOGUE_MAX_IMAGE_BYTES": "50MB"})
