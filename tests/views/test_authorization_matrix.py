"""Who may change what: every write endpoint of the catalogue (HTML forms and the JSON API) is tried
by every kind of person (anonymous, a curator of museum A, a museum admin of A, a curator of B, a
secretariat admin) against things of museum A and of museum B. Exactly the allowed combinations
succeed; every other one is refused with 401 or 403 and leaves the database and the media folder
exactly as they were.

A new write endpoint fails ``test_every_write_endpoint_is_in_the_matrix`` until it is added here, so
the matrix stays complete. The world (museums, records, images, accounts with their sessions and
tokens) is built once; each case runs on a fresh copy of it."""

import hashlib
import io
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
import sqlalchemy as sa

from catalogue import create_app
from catalogue.cli import cli_actor
from catalogue.models import public_id
from catalogue.store import tables as t
from tests.support import (
    FAST_PASSWORD_HASH,
    PASSWORD,
    TIMERS_OFF,
    csrf_token,
    image_bytes,
    make_app,
    record_payload,
    sign_in,
)

ACTORS = ("anonymous", "curator_a", "museum_admin_a", "curator_b", "secretariat")
MUSEUMS = {"A": "tate", "B": "tnm"}
ROLES = {"curator_a": ("curator", "A"), "museum_admin_a": ("museum_admin", "A"), "curator_b": ("curator", "B")}
SESSION_COOKIE = "catalogue_session"
# rows whose change is not a change of what is stored: a token's last use, a sign-in's time
VOLATILE = {("tokens", "last_used_at"), ("users", "last_login_at")}
SKIPPED_TABLES = {"rate_events"}


# the world ----------------------------------------------------------------------------------
@dataclass
class Person:
    role: str
    museum: str | None
    email: str | None = None
    user_id: int | None = None
    cookie: str | None = None
    csrf: str | None = None
    token: str | None = None


@dataclass
class World:
    folder: Path
    people: dict[str, Person] = field(default_factory=dict)
    records: dict[str, dict] = field(default_factory=dict)  # "A"/"B" -> {"id", "local_id", "image"}
    extra: dict = field(default_factory=dict)  # what endpoints of later parts need (accounts to manage, ...)


def _settings(folder: Path) -> dict:
    return {"DATA_DIR": str(folder), "BASE_URL": "http://catalogue.test", "MAX_IMAGE_BYTES": 2_000_000}


@pytest.fixture(scope="session")
def world(tmp_path_factory) -> World:
    folder = tmp_path_factory.mktemp("matrix-world")
    app = make_app(_settings(folder))
    service = app.extensions["catalogue"]
    built = World(folder)
    for side, code in MUSEUMS.items():
        country = "GB" if side == "A" else "JP"
        service.register_museum(
            cli_actor(), {"code": code, "names": {"en": [code.upper()]}, "country": country, "status": "member"}
        )
        outcome = service.upsert(cli_actor(), code, record_payload(f"{side}-1"))
        images = [(image_bytes(color=(200 * n - 200, 40, 40)), f"{n}.jpg") for n in (1, 2)]
        first, _second = service.add_images(cli_actor(), code, f"{side}-1", images)
        service.upsert(
            cli_actor(), code, record_payload(f"{side}-1", title="Retitled")
        )  # revision 1 can be reverted to
        service.upsert(cli_actor(), code, record_payload(f"{side}-draft", status="draft"))
        built.records[side] = {"id": outcome.record_id, "local_id": f"{side}-1", "image": first.id, "code": code}
    for name in ACTORS:
        built.people[name] = _person(app, service, name)
    built.extra["applications"] = {side: _membership_application(service, side) for side in MUSEUMS}
    built.extra["colleagues"] = {side: _colleague(service, side, active=True) for side in MUSEUMS}
    built.extra["former"] = {side: _colleague(service, side, active=False) for side in MUSEUMS}
    built.extra["invited"] = {side: _invited(service, side) for side in MUSEUMS}
    admin, _version = service.authenticate("secretariat@example.org", PASSWORD, "matrix")  # uploads need an account
    built.extra["imports"] = {side: _uploads(service, admin, folder, side) for side in MUSEUMS}
    built.extra["themes"] = {side: _theme(service, built, side) for side in MUSEUMS}
    app.extensions["catalogue"].store.dispose()
    return built


def _person(app, service, name: str) -> Person:
    client = app.test_client()
    if name == "anonymous":
        token = csrf_token(client, "/account/sign-in")
        return Person("public", None, cookie=_cookie(client), csrf=token)
    role, side = ROLES.get(name, ("admin", None))
    museum = MUSEUMS[side] if side else None
    email = f"{name}@example.org"
    user_id = service.create_account(cli_actor(), email, name.replace("_", " ").title(), role, museum, PASSWORD)
    assert sign_in(client, email).status_code == 302
    actor, _version = service.authenticate(email, PASSWORD, "matrix")
    token, _token_id = service.create_own_token(actor, "matrix")
    csrf = csrf_token(client, "/curate/")  # first: the page puts the token's secret into the session cookie
    return Person(role, museum, email, user_id, _cookie(client), csrf, token)


def _membership_application(service, side: str) -> int:
    """A pending membership application for the secretariat to decide on."""
    form = {
        "names": [{"language": "en", "name": f"Applicant {side}"}],
        "country": "NL",
        "city": "Leiden",
        "website": None,
        "contact_name": f"Contact {side}",
        "contact_email": f"applicant-{side.lower()}@example.org",
        "description": "Prints and drawings.",
        "ethics_agreed": True,
    }
    application_id = service.apply_for_membership(form, "matrix")
    assert application_id is not None
    return application_id


def _colleague(service, side: str, active: bool) -> int:
    """An account of ``side``'s museum for the people pages to act on (an active or a former one)."""
    name = f"{'colleague' if active else 'former'}-{side.lower()}"
    user_id = service.create_account(cli_actor(), f"{name}@example.org", name, "curator", MUSEUMS[side], PASSWORD)
    if not active:
        service.set_active(cli_actor(), user_id, False)
    return user_id


def _invited(service, side: str) -> int:
    """An account of ``side``'s museum whose owner has not chosen a password yet."""
    return service.create_account(
        cli_actor(), f"invited-{side.lower()}@example.org", "Invited", "curator", MUSEUMS[side]
    )


def _uploads(service, curator, folder: Path, side: str) -> dict[str, int]:
    """Bulk uploads of ``side``'s museum at each step: a CSV to map, JSON Lines to check, and a
    checked one to import."""
    code = MUSEUMS[side]
    line = json.dumps(record_payload(f"{side}-bulk")).encode()
    csv_file = b"local_id,title\n" + f"{side}-csv,Bulk\n".encode()
    made = {
        "csv": service.upload_import(curator, code, "a.csv", io.BytesIO(csv_file), folder / "imports"),
        "jsonl": service.upload_import(curator, code, "a.jsonl", io.BytesIO(line), folder / "imports"),
        "checked": service.upload_import(curator, code, "b.jsonl", io.BytesIO(line), folder / "imports"),
    }
    service.request_check(curator, made["checked"].id)
    assert service.run_import(made["checked"].id)
    assert service.bulk_upload(curator, made["checked"].id).state == "checked"
    return {step: upload.id for step, upload in made.items()}


def _theme(service, built: World, side: str) -> str:
    """A published curated theme holding the published records of both museums (themes belong to
    no museum: only the secretariat changes them)."""
    slug = f"theme-{side.lower()}"
    objects = [{"id": built.records[other]["id"]} for other in MUSEUMS]
    service.import_theme(cli_actor(), {"slug": slug, "title": {"en": [slug]}, "published": True, "objects": objects})
    return slug


def _cookie(client) -> str:
    cookie = client.get_cookie(SESSION_COOKIE)
    assert cookie is not None
    return cookie.value


@pytest.fixture
def fresh(world, tmp_path):
    """A copy of the world for one case: its database and media, and an app on them."""
    folder = tmp_path / "world"
    shutil.copytree(world.folder, folder)
    app = create_app(
        {
            **_settings(folder),
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{folder / 'catalogue.sqlite3'}",
            **TIMERS_OFF,
            "PASSWORD_HASH_METHOD": FAST_PASSWORD_HASH,
        }
    )
    yield app
    app.extensions["catalogue"].store.dispose()


def fingerprint(app) -> str:
    """Everything stored: every row of every table (but the volatile columns) and every media file."""
    digest = hashlib.sha256()
    store = app.extensions["catalogue"].store
    with store.engine.connect() as conn:
        for name, table in sorted(t.metadata.tables.items()):
            if name in SKIPPED_TABLES:
                continue
            columns = [c for c in table.columns if (name, c.name) not in VOLATILE]
            rows = conn.execute(sa.select(*columns).order_by(*table.primary_key.columns)).all()
            digest.update(f"{name}:{rows!r}".encode())
    data_dir = Path(app.config["DATA_DIR"])
    for path in sorted(data_dir.rglob("*")):
        if path.is_file() and "search" not in path.parts and not path.name.startswith("catalogue.sqlite3"):
            digest.update(f"{path.relative_to(data_dir)}:{path.stat().st_size}".encode())
    return digest.hexdigest()


# the endpoints ------------------------------------------------------------------------------
def may_write(person: Person, side: str) -> bool:
    return person.role == "admin" or (person.role in ("curator", "museum_admin") and person.museum == MUSEUMS[side])


@dataclass(frozen=True)
class Write:
    """One write endpoint: how to call it on things of museum A or B, and who may."""

    endpoint: str
    method: str
    call: Callable  # (client, world, person, side) -> response
    allowed: Callable = may_write  # (person, side) -> bool
    json_api: bool = False


def api(method: str, path: Callable, body: Callable | None = None, files: bool = False):
    def call(client, world, person, side):
        headers = {"Authorization": f"Bearer {person.token}"} if person.token else {}
        record = world.records[side]
        if files:
            data = {"file": [(io.BytesIO(image_bytes(color=(1, 2, 3))), "new.jpg")]}
            return client.open(path(record), method=method, headers=headers, data=data)
        return client.open(path(record), method=method, headers=headers, json=body(record) if body else None)

    return call


def secretariat_only(person: Person, side: str) -> bool:
    return person.role == "admin"


def decide(action: str, form: Callable):
    """A decision on the membership application made for ``side`` (applications belong to no museum)."""

    def call(client, world, person, side):
        path = f"/admin/applications/{world.extra['applications'][side]}/{action}"
        return client.post(path, data={**form(side), "csrf_token": person.csrf})

    return call


def record_form(path: Callable, data: Callable):
    """A form of the curator's record pages about ``side``'s published record, at its current revision."""

    def call(client, world, person, side):
        record = world.records[side]
        revision = client.application.extensions["catalogue"].store.get_record(record["id"]).revision
        return client.post(path(record), data={**data(record), "revision": str(revision), "csrf_token": person.csrf})

    return call


def form_post(path: Callable, data: Callable = lambda world, side: {}, files: bool = False):
    """A form of the curator pages about ``side``'s things: ``path(world, side)``, ``data(world, side)``."""

    def call(client, world, person, side):
        fields = {**data(world, side), "csrf_token": person.csrf}
        if files:
            fields["file"] = [(io.BytesIO(image_bytes(color=(1, 2, 3))), "new.jpg")]
        return client.post(path(world, side), data=fields)

    return call


def own(path: str, data: dict | Callable):
    """A form about the signer's own account (its password, sessions, tokens): the same for A and B."""

    def call(client, world, person, side):
        fields = data(world, person) if callable(data) else data
        return client.post(path(world, person) if callable(path) else path, data={**fields, "csrf_token": person.csrf})

    return call


def signed_in_anyone(person: Person, side: str) -> bool:
    return person.role != "public"


def manages_people(person: Person, side: str) -> bool:
    return person.role == "admin" or (person.role == "museum_admin" and person.museum == MUSEUMS[side])


def own_token_id(world, person) -> str:
    """The person's own token's id (the start of its hash), which only its owner may revoke."""
    return hashlib.sha256((person.token or "none").encode()).hexdigest()[:12]


def record_path(tail: str) -> Callable:
    return lambda world, side: f"/curate/records/{world.records[side]['id']}{tail}"


def image_path(tail: str) -> Callable:
    return lambda world, side: (
        f"/curate/records/{world.records[side]['id']}/images/{world.records[side]['image']}{tail}"
    )


def upload_path(step: str, tail: str) -> Callable:
    return lambda world, side: f"/curate/imports/{world.extra['imports'][side][step]}{tail}"


def theme_path(tail: str = "") -> Callable:
    return lambda world, side: f"/admin/themes/{world.extra['themes'][side]}{tail}"


def theme_object_path(tail: str) -> Callable:
    """A form about the first object of ``side``'s theme (the record of museum A)."""
    return lambda world, side: f"/admin/themes/{world.extra['themes'][side]}/objects/{world.records['A']['id']}{tail}"


def titled(local_id: str) -> dict:
    return {"local_id": local_id, "title.0.lang": "en", "title.0.value": "Changed", "status": "published"}


def objects_of(record) -> str:
    return f"/api/museums/{record['code']}/objects"


def one_object(record) -> str:
    return f"{objects_of(record)}/{record['local_id']}"


WRITES = [
    Write(
        "api.create_objects",
        "POST",
        api("POST", objects_of, lambda r: record_payload(r["local_id"], title="Changed")),
        json_api=True,
    ),
    Write(
        "api.put_object",
        "PUT",
        api("PUT", one_object, lambda r: record_payload(r["local_id"], title="Changed")),
        json_api=True,
    ),
    Write("api.delete_object", "DELETE", api("DELETE", one_object), json_api=True),
    Write("api.add_images", "POST", api("POST", lambda r: f"{one_object(r)}/images", files=True), json_api=True),
    Write("admin.approve", "POST", decide("approve", lambda side: {"code": f"new-{side.lower()}"}), secretariat_only),
    Write("admin.reject", "POST", decide("reject", lambda side: {"reason": "Not now."}), secretariat_only),
    Write(
        "admin.new_theme",
        "POST",
        form_post(
            lambda w, s: "/admin/themes/new",
            lambda w, s: {"slug": f"new-{s.lower()}", "title.0.lang": "en", "title.0.value": "New"},
        ),
        secretariat_only,
    ),
    Write(
        "admin.update_theme",
        "POST",
        form_post(theme_path(), lambda w, s: {"title.0.lang": "en", "title.0.value": "Changed", "published": "1"}),
        secretariat_only,
    ),
    Write(
        "admin.add_theme_object",
        "POST",
        form_post(theme_path("/objects"), lambda w, s: {"reference": public_id(MUSEUMS[s], f"{s}-draft")}),
        secretariat_only,
    ),
    Write(
        "admin.theme_object_note",
        "POST",
        form_post(theme_object_path("/note"), lambda w, s: {"note.0.lang": "en", "note.0.value": "Why"}),
        secretariat_only,
    ),
    Write(
        "admin.move_theme_object",
        "POST",
        form_post(theme_object_path("/move"), lambda w, s: {"move": "down"}),
        secretariat_only,
    ),
    Write("admin.remove_theme_object", "POST", form_post(theme_object_path("/remove")), secretariat_only),
    Write("admin.delete_theme", "POST", form_post(theme_path("/delete")), secretariat_only),
    Write(
        "curate.new_record",
        "POST",
        record_form(lambda r: f"/curate/records/new?museum={r['code']}", lambda r: titled("new-1")),
    ),
    Write(
        "curate.edit_record",
        "POST",
        record_form(lambda r: f"/curate/records/{r['id']}/edit", lambda r: titled(r["local_id"])),
    ),
    Write(
        "curate.change_record_status",
        "POST",
        record_form(lambda r: f"/curate/records/{r['id']}/status", lambda r: {"status": "draft"}),
    ),
    Write("curate.revert_record", "POST", form_post(record_path("/revert/1"))),
    Write("curate.upload_images", "POST", form_post(record_path("/images"), files=True)),
    Write("curate.remove_image", "POST", form_post(image_path("/remove"))),
    Write("curate.image_alt", "POST", form_post(image_path("/alt"), lambda w, s: {"alt_lang": "en", "alt_text": "A"})),
    Write(
        "curate.order_images",
        "POST",
        form_post(record_path("/images/order"), lambda w, s: {"move": "down", "image_id": w.records[s]["image"]}),
    ),
    Write(
        "curate.upload_import",
        "POST",
        lambda client, world, person, side: client.post(
            f"/curate/imports?museum={MUSEUMS[side]}",
            data={"file": [(io.BytesIO(b"local_id,title\nX-1,T\n"), "n.csv")], "csrf_token": person.csrf},
        ),
    ),
    Write(
        "curate.import_mapping",
        "POST",
        form_post(upload_path("csv", "/mapping"), lambda w, s: {"column-0": "local_id", "column-1": "title.en"}),
    ),
    Write("curate.check_import", "POST", form_post(upload_path("jsonl", "/check"))),
    Write("curate.run_import", "POST", form_post(upload_path("checked", "/run"))),
    Write("curate.discard_import", "POST", form_post(upload_path("csv", "/discard"))),
    Write(
        "account.invite",
        "POST",
        form_post(
            lambda w, s: "/account/people/invite",
            lambda w, s: {"email": f"new-{s}@example.org", "name": "New", "role": "curator", "museum": MUSEUMS[s]},
        ),
        manages_people,
    ),
    Write(
        "account.deactivate",
        "POST",
        form_post(lambda w, s: f"/account/people/{w.extra['colleagues'][s]}/deactivate"),
        manages_people,
    ),
    Write(
        "account.invite_again",
        "POST",
        form_post(lambda w, s: f"/account/people/{w.extra['invited'][s]}/invite-again"),
        manages_people,
    ),
    Write(
        "account.activate",
        "POST",
        form_post(lambda w, s: f"/account/people/{w.extra['former'][s]}/activate"),
        manages_people,
    ),
    Write(
        "account.change_password",
        "POST",
        own(
            "/account/password",
            {"current": PASSWORD, "new": "another long passphrase", "confirm": "another long passphrase"},
        ),
        signed_in_anyone,
    ),
    Write("account.end_sessions", "POST", own("/account/sessions/end", {}), signed_in_anyone),
    Write("account.set_mail_language", "POST", own("/account/mail-language", {"language": "de"}), signed_in_anyone),
    Write("account.create_token", "POST", own("/account/tokens", {"label": "sync"}), signed_in_anyone),
    Write(
        "account.revoke_token",
        "POST",
        own(lambda world, person: f"/account/tokens/{own_token_id(world, person)}/revoke", {}),
        signed_in_anyone,
    ),
]
# forms anyone may send: signing in and out, applying for membership, and the password links (whose
# secret, sent by mail, is the authorization; tests/views/test_account.py covers them)
OPEN_FORMS = {
    ("account.sign_in", "POST"),
    ("account.sign_out", "POST"),
    ("membership.apply", "POST"),
    ("account.reset_request", "POST"),
    ("account.reset_password", "POST"),
    ("account.invitation", "POST"),
}
# requests that only read, sent by POST as their protocol allows (OAI-PMH harvesters: tests/harvest)
READS_BY_POST = {("oai.oai", "POST")}


def test_every_write_endpoint_is_in_the_matrix(app):
    writes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods or ()
        if method in ("POST", "PUT", "PATCH", "DELETE")
    }
    assert writes - OPEN_FORMS - READS_BY_POST == {(w.endpoint, w.method) for w in WRITES}


CASES = [(w, actor, side) for w in WRITES for actor in ACTORS for side in MUSEUMS]


@pytest.mark.parametrize(
    ("write", "actor", "side"), CASES, ids=[f"{w.endpoint}-{w.method}-{a}-{s}" for w, a, s in CASES]
)
def test_only_the_allowed_combinations_change_anything(fresh, world, write, actor, side):
    person = world.people[actor]
    client = fresh.test_client()
    if person.cookie and not write.json_api:
        client.set_cookie(SESSION_COOKIE, person.cookie, domain="localhost")
    before = fingerprint(fresh)
    response = write.call(client, world, person, side)
    after = fingerprint(fresh)
    if write.allowed(person, side):
        assert response.status_code < 400, (response.status_code, response.get_data(as_text=True)[:300])
        assert after != before, "an allowed write changed nothing"
    else:
        expected = 401 if person.role == "public" else 403
        assert response.status_code == expected, (response.status_code, response.get_data(as_text=True)[:300])
        assert after == before, "a refused write changed what is stored"


FORMS = [w for w in WRITES if not w.json_api]


@pytest.mark.parametrize("write", FORMS, ids=[w.endpoint for w in FORMS])
def test_every_form_needs_its_csrf_token(fresh, world, write):
    """Even the secretariat, who may do everything here, cannot be made to by another site's page."""
    person = replace(world.people["secretariat"], csrf="")
    client = fresh.test_client()
    client.set_cookie(SESSION_COOKIE, person.cookie or "", domain="localhost")
    before = fingerprint(fresh)
    response = write.call(client, world, person, "A")
    assert response.status_code == 400 and "reload the page" in response.get_data(as_text=True)
    assert fingerprint(fresh) == before
