"""The OAI-PMH 2.0 provider at /oai, verb by verb and error by error, on a small catalogue whose
records changed at known times (SQLite and PostgreSQL): published records, records that were public
and are not any more (shown as deleted), and records never published (never shown at all)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from itsdangerous import URLSafeSerializer
from lxml import etree

from catalogue.cli import cli_actor
from catalogue.harvest import tokens
from catalogue.harvest.tokens import ListState
from catalogue.models import public_id
from catalogue.store import tables as t
from tests.harvest.oai_support import (
    BASE_URL,
    ENDPOINT,
    NS,
    answer,
    ask,
    checked_record,
    echoed,
    error_codes,
    harvest,
    resumption,
)
from tests.support import REPO, image_bytes, make_app, record_payload

PAGE_SIZE = 4
# when each record last changed; the three at 08:00 share a second, so their order is their ids'
CHANGED = {
    "T1": datetime(2020, 1, 1, 0, 0, 0, tzinfo=UTC),
    "T2": datetime(2020, 1, 1, 23, 59, 59, 500000, tzinfo=UTC),
    "T3": datetime(2020, 1, 2, 0, 0, 0, tzinfo=UTC),
    "T4": datetime(2020, 1, 3, 8, 0, 0, tzinfo=UTC),
    "T5": datetime(2020, 1, 3, 8, 0, 0, tzinfo=UTC),
    "R1": datetime(2020, 1, 3, 8, 0, 0, tzinfo=UTC),
    "R2": datetime(2020, 1, 4, 0, 0, 0, tzinfo=UTC),
    "R3": datetime(2020, 1, 5, 0, 0, 0, tzinfo=UTC),
    "T6": datetime(2020, 1, 6, 0, 0, 0, tzinfo=UTC),  # withdrawn
    "T7": datetime(2020, 1, 7, 0, 0, 0, tzinfo=UTC),  # unpublished back to draft
    "D1": datetime(2019, 1, 1, 0, 0, 0, tzinfo=UTC),  # a draft, never published
    "W0": datetime(2019, 6, 1, 0, 0, 0, tzinfo=UTC),  # withdrawn without ever being published
}
MUSEUM_OF = {local_id: "rijks" if local_id.startswith("R") else "tate" for local_id in CHANGED}
PUBLISHED = ["T1", "T2", "T3", "T4", "T5", "R1", "R2", "R3"]
DELETED = ["T6", "T7"]
NEVER_PUBLIC = ["D1", "W0"]
LIDO_XSD = Path(REPO.parent / "shared" / "lido" / "schema" / "lido-v1.1.xsd")


def record_id(local_id: str) -> str:
    return public_id(MUSEUM_OF[local_id], local_id)


def identifier(local_id: str) -> str:
    return f"oai:catalogue.test:{record_id(local_id)}"


def in_order(local_ids) -> list[str]:
    """Identifiers in the order lists give them: by datestamp, then record id."""
    return [identifier(i) for i in sorted(local_ids, key=lambda i: (CHANGED[i], record_id(i)))]


def build_catalogue(service, store) -> None:
    for code, name, status in (("tate", "Tate", "member"), ("rijks", "Rijksmuseum", "member")):
        service.register_museum(cli_actor(), {"code": code, "names": {"en": [name]}, "country": "GB", "status": status})
    service.register_museum(
        cli_actor(), {"code": "hopeful", "names": {"en": ["Hopeful"]}, "country": "NL", "status": "applicant"}
    )
    for local_id in CHANGED:
        status = {"D1": "draft", "W0": "withdrawn"}.get(local_id, "published")
        payload = record_payload(local_id, status=status, masterpiece=local_id in ("T1", "T3"))
        service.upsert(cli_actor(), MUSEUM_OF[local_id], payload)
    service.add_images(cli_actor(), "tate", "T1", [(image_bytes(), "wave.jpg")])
    service.withdraw(cli_actor(), "tate", "T6")
    service.change_status(cli_actor(), "tate", "T7", "draft")
    with store.transaction() as conn:
        for local_id, when in CHANGED.items():
            conn.execute(t.records.update().where(t.records.c.id == record_id(local_id)).values(updated_at=when))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def catalogue(request, tmp_path_factory):
    """The small catalogue, once per module and database."""
    settings = {
        "DATA_DIR": str(tmp_path_factory.mktemp(f"oai-{request.param}")),
        "BASE_URL": BASE_URL,
        "OAI_PAGE_SIZE": PAGE_SIZE,
        "INDEX_SYNC": False,
    }
    postgres = request.getfixturevalue("postgres_templates") if request.param == "postgresql" else None
    if postgres:
        settings["DATABASE_URL"] = postgres.new_database()
    app = make_app(settings)
    build_catalogue(app.extensions["catalogue"], app.extensions["catalogue"].store)
    yield app
    app.extensions["catalogue"].store.dispose()
    if postgres:
        postgres.drop(settings["DATABASE_URL"])


@pytest.fixture(scope="module")
def harvester(catalogue):
    return catalogue.test_client()


# Identify ----------------------------------------------------------------------------------
def test_identify_describes_the_repository_with_the_oldest_visible_datestamp(harvester):
    identify = answer(ask(harvester, {"verb": "Identify"}), "Identify")
    names = [etree.QName(child).localname for child in identify]
    expected = ["repositoryName", "baseURL", "protocolVersion", "adminEmail", "earliestDatestamp"]
    assert names == [*expected, "deletedRecord", "granularity", "description"]
    text = {name: identify.find(f"oai:{name}", NS).text for name in names[:-1]}
    assert text == {
        "repositoryName": "Virtual Collection of Masterpieces",
        "baseURL": ENDPOINT,
        "protocolVersion": "2.0",
        "adminEmail": "admin@catalogue.test",
        "earliestDatestamp": "2020-01-01T00:00:00Z",  # T1's: the older draft and withdrawn draft are not visible
        "deletedRecord": "persistent",
        "granularity": "YYYY-MM-DDThh:mm:ssZ",
    }


def test_identify_explains_identifiers_with_a_sample_that_works(harvester):
    scheme = answer(ask(harvester, {"verb": "Identify"}), "Identify").find("oai:description/id:oai-identifier", NS)
    parts = {etree.QName(child).localname: child.text for child in scheme}
    assert parts == {
        "scheme": "oai",
        "repositoryIdentifier": "catalogue.test",
        "delimiter": ":",
        "sampleIdentifier": identifier("T1"),
    }
    root = ask(harvester, {"verb": "GetRecord", "identifier": parts["sampleIdentifier"], "metadataPrefix": "oai_dc"})
    assert error_codes(root) == []


def test_identify_takes_no_arguments(harvester):
    root = ask(harvester, {"verb": "Identify", "set": "masterpieces"})
    assert error_codes(root) == ["badArgument"]
    assert echoed(root) == {}  # after badArgument the request element names no arguments


def test_admin_email_comes_from_the_settings(app, client):
    app.config["ADMIN_EMAIL"] = "collections@museums.example"
    identify = answer(ask(client, {"verb": "Identify"}), "Identify")
    assert identify.find("oai:adminEmail", NS).text == "collections@museums.example"


def test_an_empty_catalogue_still_identifies_itself(client):
    identify = answer(ask(client, {"verb": "Identify"}), "Identify")
    assert identify.find("oai:earliestDatestamp", NS).text.endswith("Z")
    assert ask(client, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}).find("oai:error", NS).get("code") == (
        "noRecordsMatch"
    )


# ListMetadataFormats -----------------------------------------------------------------------
def test_both_formats_are_offered_with_their_schemas(harvester):
    formats = answer(ask(harvester, {"verb": "ListMetadataFormats"}), "ListMetadataFormats")
    offered = {
        element.find("oai:metadataPrefix", NS).text: (
            element.find("oai:schema", NS).text,
            element.find("oai:metadataNamespace", NS).text,
        )
        for element in formats.findall("oai:metadataFormat", NS)
    }
    assert offered == {
        "oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", "http://www.openarchives.org/OAI/2.0/oai_dc/"),
        "lido": ("http://lido-schema.org/schema/v1.1/lido-v1.1.xsd", "http://www.lido-schema.org"),
    }


@pytest.mark.parametrize("local_id", ["T1", "T6"])
def test_formats_of_a_published_or_deleted_item(harvester, local_id):
    root = ask(harvester, {"verb": "ListMetadataFormats", "identifier": identifier(local_id)})
    assert len(answer(root, "ListMetadataFormats").findall("oai:metadataFormat", NS)) == 2
    assert echoed(root) == {"verb": "ListMetadataFormats", "identifier": identifier(local_id)}


@pytest.mark.parametrize(
    "unknown",
    [
        identifier("D1"),  # a draft, never published
        identifier("W0"),  # withdrawn without ever being published
        "oai:catalogue.test:nosuchrecord0000",
        f"oai:elsewhere.example:{record_id('T1')}",  # another repository's
        "T1",
        "oai:catalogue.test:",
        "oai:catalogue.test:../../etc",
    ],
)
def test_formats_of_an_unknown_or_never_public_item_is_id_does_not_exist(harvester, unknown):
    root = ask(harvester, {"verb": "ListMetadataFormats", "identifier": unknown})
    assert error_codes(root) == ["idDoesNotExist"]
    assert echoed(root) == {"verb": "ListMetadataFormats", "identifier": unknown}


# ListSets ----------------------------------------------------------------------------------
def test_sets_are_the_museums_and_the_masterpieces(harvester):
    sets = answer(ask(harvester, {"verb": "ListSets"}), "ListSets")
    found = [(s.find("oai:setSpec", NS).text, s.find("oai:setName", NS).text) for s in sets.findall("oai:set", NS)]
    # the applicant museum is not listed, as on the public museum pages
    assert sorted(found) == [("masterpieces", "Masterpieces"), ("museum:rijks", "Rijksmuseum"), ("museum:tate", "Tate")]


def test_list_sets_has_no_tokens_to_resume(harvester):
    root = ask(harvester, {"verb": "ListSets", "resumptionToken": "anything"})
    assert error_codes(root) == ["badResumptionToken"]


# ListIdentifiers ---------------------------------------------------------------------------
def test_identifiers_come_in_pages_with_tokens_until_the_list_is_complete(harvester):
    headers, seen = harvest(harvester, "ListIdentifiers", {"metadataPrefix": "oai_dc"})
    assert [h["identifier"] for h in headers] == in_order(PUBLISHED + DELETED)
    assert [(token.get("cursor"), token.get("completeListSize")) for token in seen] == [
        ("0", "10"),
        ("4", "10"),
        ("8", "10"),
    ]
    assert [bool(token.text) for token in seen] == [True, True, False]  # the last page's token is empty
    assert all(token.get("expirationDate") for token in seen[:-1]) and seen[-1].get("expirationDate") is None


def test_records_that_were_public_are_deleted_headers_and_never_public_ones_are_absent(harvester):
    headers, _ = harvest(harvester, "ListIdentifiers", {"metadataPrefix": "lido"})
    deleted = {h["identifier"] for h in headers if h["deleted"]}
    assert deleted == {identifier(i) for i in DELETED}
    assert not {identifier(i) for i in NEVER_PUBLIC} & {h["identifier"] for h in headers}
    withdrawn = next(h for h in headers if h["identifier"] == identifier("T6"))
    assert withdrawn == {
        "identifier": identifier("T6"),
        "datestamp": "2020-01-06T00:00:00Z",
        "sets": ["museum:tate"],
        "deleted": True,
    }


def test_headers_name_the_museum_set_and_the_masterpieces(harvester):
    headers, _ = harvest(harvester, "ListIdentifiers", {"metadataPrefix": "oai_dc"})
    sets = {h["identifier"]: h["sets"] for h in headers}
    assert sets[identifier("T1")] == ["museum:tate", "masterpieces"]
    assert sets[identifier("T2")] == ["museum:tate"]
    assert sets[identifier("R1")] == ["museum:rijks"]


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"from": "2020-01-03", "until": "2020-01-03"}, ["T4", "T5", "R1"]),  # a day, both ends inclusive
        ({"until": "2020-01-01T23:59:59Z"}, ["T1", "T2"]),  # T2 changed at 23:59:59.5: that second counts
        ({"until": "2020-01-01T23:59:58Z"}, ["T1"]),
        ({"from": "2020-01-02T00:00:00Z"}, ["T3", "T4", "T5", "R1", "R2", "R3", "T6", "T7"]),
        ({"from": "2020-01-06"}, ["T6", "T7"]),
        ({"set": "museum:rijks"}, ["R1", "R2", "R3"]),
        ({"set": "masterpieces"}, ["T1", "T3"]),
        ({"set": "museum:tate", "from": "2020-01-03", "until": "2020-01-06"}, ["T4", "T5", "T6"]),
        ({"until": "9999-12-31"}, PUBLISHED + DELETED),
    ],
)
def test_from_until_and_set_select_records(harvester, arguments, expected):
    headers, _ = harvest(harvester, "ListIdentifiers", {"metadataPrefix": "oai_dc", **arguments})
    assert [h["identifier"] for h in headers] == in_order(expected)


@pytest.mark.parametrize(
    "arguments",
    [
        {"from": "2030-01-01"},
        {"until": "2019-12-31"},
        {"set": "museum:nowhere"},
        {"set": "museum:hopeful"},
        {"set": "museum"},
        {"set": "themes:portraits"},
    ],
)
def test_an_empty_selection_is_no_records_match(harvester, arguments):
    root = ask(harvester, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", **arguments})
    assert error_codes(root) == ["noRecordsMatch"]
    assert echoed(root) == {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", **arguments}


@pytest.mark.parametrize(
    "arguments",
    [
        {},  # no metadataPrefix
        {"metadataPrefix": ""},
        {"metadataPrefix": "oai dc"},
        {"metadataPrefix": "oai_dc", "from": "2020-01-02", "until": "2020-01-01"},  # from after until
        {"metadataPrefix": "oai_dc", "from": "2020-01-01", "until": "2020-01-02T00:00:00Z"},  # two granularities
        {"metadataPrefix": "oai_dc", "from": "2020-02-30"},
        {"metadataPrefix": "oai_dc", "from": "2020-01-01T00:00:00"},  # not UTC
        {"metadataPrefix": "oai_dc", "from": "2020-01-01T00:00:00.5Z"},  # finer than we keep
        {"metadataPrefix": "oai_dc", "from": "2020-01-01T00:00Z"},
        {"metadataPrefix": "oai_dc", "until": "yesterday"},
        {"metadataPrefix": "oai_dc", "until": "٢٠٢٠-01-01"},  # other digits than 0-9
        {"metadataPrefix": "oai_dc", "set": "museum tate"},
        {"metadataPrefix": "oai_dc", "set": "museum::tate"},
        {"metadataPrefix": "oai_dc", "set": ""},
        {"metadataPrefix": "oai_dc", "identifier": identifier("T1")},  # not an argument of this verb
        {"metadataPrefix": "oai_dc", "resumptionToken": "x"},  # the token is exclusive
    ],
)
def test_bad_arguments_are_bad_argument_and_echo_nothing(harvester, arguments):
    root = ask(harvester, {"verb": "ListIdentifiers", **arguments})
    assert error_codes(root) == ["badArgument"]
    assert echoed(root) == {}


def test_a_repeated_argument_is_bad_argument(harvester):
    root = ask(harvester, [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("metadataPrefix", "lido")])
    assert error_codes(root) == ["badArgument"]


def test_an_unknown_format_is_cannot_disseminate_format(harvester):
    root = ask(harvester, {"verb": "ListIdentifiers", "metadataPrefix": "marc21"})
    assert error_codes(root) == ["cannotDisseminateFormat"]
    assert echoed(root) == {"verb": "ListIdentifiers", "metadataPrefix": "marc21"}


# resumption tokens -------------------------------------------------------------------------
def first_token(client, verb: str = "ListIdentifiers", **arguments) -> str:
    page = answer(ask(client, {"verb": verb, "metadataPrefix": "oai_dc", **arguments}), verb)
    return resumption(page).text


def test_a_token_is_url_safe_and_can_be_used_again(harvester):
    token = first_token(harvester)
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
    once = ask(harvester, {"verb": "ListIdentifiers", "resumptionToken": token})
    again = ask(harvester, {"verb": "ListIdentifiers", "resumptionToken": token})
    assert echoed(once) == {"verb": "ListIdentifiers", "resumptionToken": token}
    pages = [[h.find("oai:identifier", NS).text for h in root.iter(f"{{{NS['oai']}}}header")] for root in (once, again)]
    assert pages[0] == pages[1] == in_order(PUBLISHED + DELETED)[4:8]


def test_a_token_keeps_the_set_and_dates_of_its_list(harvester):
    arguments = {"metadataPrefix": "oai_dc", "set": "museum:tate", "from": "2020-01-01", "until": "2020-01-06"}
    headers, seen = harvest(harvester, "ListRecords", arguments)
    assert [h["identifier"] for h in headers] == in_order(["T1", "T2", "T3", "T4", "T5", "T6"])
    assert [token.get("completeListSize") for token in seen] == ["6", "6"]


def tampered(token: str) -> str:
    middle = len(token) // 2
    return token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]


def foreign_token(catalogue, **changes) -> str:
    """A token as another repository (another secret key) or an older release would write it."""
    state = ListState(
        verb="ListIdentifiers",
        prefix="oai_dc",
        set_spec=None,
        from_text=None,
        until_text=None,
        after=(CHANGED["T3"], record_id("T3")),
        total=10,
        cursor=4,
        expires=datetime.now(UTC) + timedelta(hours=1),
    )
    secret = changes.pop("secret", catalogue.config["SECRET_KEY"])
    return tokens.issue(replace(state, **changes), secret)


@pytest.mark.parametrize(
    "make_token",
    [
        lambda catalogue, token: tampered(token),
        lambda catalogue, token: token + "x",
        lambda catalogue, token: "",
        lambda catalogue, token: "not a token \x00 at all",
        lambda catalogue, token: foreign_token(catalogue, secret="another repository's key"),
        lambda catalogue, token: foreign_token(catalogue, expires=datetime.now(UTC) - timedelta(seconds=1)),
        lambda catalogue, token: foreign_token(catalogue, verb="ListRecords"),  # another verb's list
        lambda catalogue, token: URLSafeSerializer(catalogue.config["SECRET_KEY"], salt=tokens.SALT).dumps([0, "old"]),
        lambda catalogue, token: URLSafeSerializer(catalogue.config["SECRET_KEY"], salt="other").dumps([1]),
    ],
    ids=["tampered", "appended", "empty", "garbage", "foreign", "expired", "other-verb", "stale", "other-salt"],
)
def test_a_bad_token_is_bad_resumption_token(catalogue, harvester, make_token):
    token = make_token(catalogue, first_token(harvester))
    root = ask(harvester, {"verb": "ListIdentifiers", "resumptionToken": token})
    assert error_codes(root) == ["badResumptionToken"]


def test_a_token_of_our_own_works_when_it_is_well_made(catalogue, harvester):
    """The control for the test above: the same forging path with our key is accepted."""
    root = ask(harvester, {"verb": "ListIdentifiers", "resumptionToken": foreign_token(catalogue)})
    assert len(answer(root, "ListIdentifiers").findall("oai:header", NS)) == 4


def test_an_exhausted_token_is_no_records_match(catalogue, harvester):
    """A token whose records all moved out of its list (changed after its until) has nothing left."""
    token = foreign_token(catalogue, after=(datetime(2099, 1, 1, tzinfo=UTC), "zzzz"))
    assert error_codes(ask(harvester, {"verb": "ListIdentifiers", "resumptionToken": token})) == ["noRecordsMatch"]


def test_a_token_of_identifiers_does_not_continue_records(harvester):
    token = first_token(harvester, "ListIdentifiers")
    assert error_codes(ask(harvester, {"verb": "ListRecords", "resumptionToken": token})) == ["badResumptionToken"]


# ListRecords and GetRecord -----------------------------------------------------------------
def test_records_list_deleted_ones_without_metadata(harvester):
    page = answer(
        ask(harvester, {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-01-05"}), "ListRecords"
    )
    records = [checked_record(record) for record in page.findall("oai:record", NS)]
    assert [(h["identifier"], metadata is None) for h, metadata in records] == [
        (identifier("R3"), False),
        (identifier("T6"), True),
        (identifier("T7"), True),
    ]
    assert resumption(page) is None  # a list complete in one page has no token


def dublin_core(root) -> dict[str, list]:
    record = answer(root, "GetRecord").find("oai:record", NS)
    _header, metadata = checked_record(record)
    assert metadata.tag == f"{{{NS['oai_dc']}}}dc"
    found: dict[str, list] = {}
    for element in metadata:
        value = (element.text, element.get("{http://www.w3.org/XML/1998/namespace}lang"))
        found.setdefault(etree.QName(element).localname, []).append(value if value[1] else element.text)
    return found


def test_get_record_in_dublin_core(harvester):
    root = ask(harvester, {"verb": "GetRecord", "identifier": identifier("T1"), "metadataPrefix": "oai_dc"})
    assert echoed(root) == {"verb": "GetRecord", "identifier": identifier("T1"), "metadataPrefix": "oai_dc"}
    dc = dublin_core(root)
    assert dc["title"] == [("The Great Wave", "en")]
    assert dc["creator"] == ["Katsushika Hokusai"]
    assert dc["date"] == ["c. 1830-32"]
    assert dc["type"] == ["PhysicalObject", "print"]
    assert dc["format"] == ["woodblock print; ink and colour on paper"]
    assert dc["publisher"] == ["Tate"]
    assert dc["identifier"] == [f"{BASE_URL}/objects/{record_id('T1')}"]
    assert dc["relation"] == [f"{BASE_URL}/iiif/3/objects/{record_id('T1')}/manifest"]
    assert dc["rights"] == [
        "http://creativecommons.org/publicdomain/zero/1.0/",
        "http://creativecommons.org/publicdomain/mark/1.0/",
    ]


def test_get_record_in_lido_is_valid_lido(harvester):
    root = ask(harvester, {"verb": "GetRecord", "identifier": identifier("T2"), "metadataPrefix": "lido"})
    _header, metadata = checked_record(answer(root, "GetRecord").find("oai:record", NS))
    assert metadata.tag == f"{{{NS['lido']}}}lido"
    assert metadata.find("lido:lidoRecID", NS).text == "T2"
    if LIDO_XSD.exists():  # the shared folder's schema; its imports are relative, never fetched
        schema = etree.XMLSchema(etree.parse(str(LIDO_XSD), etree.XMLParser(no_network=True)))
        assert schema.validate(etree.fromstring(etree.tostring(metadata))), schema.error_log


@pytest.mark.parametrize("local_id", DELETED)
def test_get_record_of_a_deleted_record_is_its_header_only(harvester, local_id):
    root = ask(harvester, {"verb": "GetRecord", "identifier": identifier(local_id), "metadataPrefix": "lido"})
    header, metadata = checked_record(answer(root, "GetRecord").find("oai:record", NS))
    assert header["deleted"] and metadata is None


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({"identifier": identifier("D1"), "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
        ({"identifier": identifier("W0"), "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
        ({"identifier": "oai:catalogue.test:\x00\x01", "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
        ({"identifier": "oai:catalogue.test:" + "a" * 33, "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
        ({"identifier": identifier("T1"), "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"identifier": identifier("T1")}, "badArgument"),
        ({"metadataPrefix": "oai_dc"}, "badArgument"),
        ({"identifier": "", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"identifier": identifier("T1"), "metadataPrefix": "oai_dc", "set": "masterpieces"}, "badArgument"),
    ],
)
def test_get_record_errors(harvester, arguments, code):
    root = ask(harvester, {"verb": "GetRecord", **arguments})
    assert error_codes(root) == [code]
    if code != "badArgument":
        assert echoed(root).keys() == {"verb", *arguments}


# verbs and methods -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "pairs",
    [
        [],
        [("verb", "")],
        [("verb", "listrecords")],
        [("verb", "Harvest")],
        [("verb", "Identify"), ("verb", "Identify")],
    ],
)
def test_a_missing_unknown_or_repeated_verb_is_bad_verb(harvester, pairs):
    root = ask(harvester, pairs)
    assert error_codes(root) == ["badVerb"]
    assert echoed(root) == {}


def test_post_gives_what_get_gives(harvester):
    by_get, _ = harvest(harvester, "ListIdentifiers", {"metadataPrefix": "oai_dc", "set": "museum:tate"})
    by_post, _ = harvest(harvester, "ListIdentifiers", {"metadataPrefix": "oai_dc", "set": "museum:tate"}, "POST")
    assert by_post == by_get and len(by_post) == 7


def test_post_reads_only_form_bodies(harvester):
    response = harvester.post("/oai", json={"verb": "Identify"})
    assert response.status_code == 415


def test_text_xml_cannot_hold_is_never_echoed_raw(harvester):
    root = ask(harvester, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "museum:tate\x01"})
    assert error_codes(root) == ["badArgument"]
    root = ask(harvester, {"verb": "GetRecord", "identifier": "\x07\ufffe\x00", "metadataPrefix": "oai_dc"})
    assert error_codes(root) == ["idDoesNotExist"] and echoed(root)["identifier"] == "\ufffd\ufffd\ufffd"


ARGUMENT_NAMES = ("verb", "metadataPrefix", "identifier", "set", "from", "until", "resumptionToken", "page")
PLAUSIBLE = [
    *("Identify", "ListMetadataFormats", "ListSets", "ListIdentifiers", "ListRecords", "GetRecord"),
    *("oai_dc", "lido", "masterpieces", "museum:tate", "museum:", "2020-01-03", "2020-01-01T00:00:00Z", "9999-12-31"),
    identifier("T1"),
    identifier("D1"),
]


@settings(max_examples=300, deadline=None)
@given(
    pairs=st.lists(
        st.tuples(st.sampled_from(ARGUMENT_NAMES), st.text(max_size=30) | st.sampled_from(PLAUSIBLE)), max_size=6
    ),
    method=st.sampled_from(["GET", "POST"]),
)
def test_any_arguments_get_a_well_formed_answer(harvester, pairs, method):
    """Whatever a harvester sends, the answer is a well-formed OAI-PMH response (``ask`` checks
    it): the verb's answer or errors, never a 500, and never a draft."""
    root = ask(harvester, pairs, method)
    shown = etree.tostring(root).decode()
    assert all(record_id(local_id) not in shown for local_id in NEVER_PUBLIC)


# what harvesters see as records change -----------------------------------------------------
def headers_of(client, **arguments) -> dict[str, dict]:
    headers, _ = harvest(client, "ListIdentifiers", {"metadataPrefix": "oai_dc", **arguments})
    return {h["identifier"]: h for h in headers}


def test_withdrawing_or_unpublishing_turns_a_record_into_a_deleted_header(client, service, museum):
    for local_id in ("A", "B", "C"):
        service.upsert(cli_actor(), "tate", record_payload(local_id))
    service.withdraw(cli_actor(), "tate", "A")
    service.change_status(cli_actor(), "tate", "B", "draft")
    headers = headers_of(client)
    ours = {local_id: f"oai:catalogue.test:{public_id('tate', local_id)}" for local_id in ("A", "B", "C")}
    assert {local_id: headers[i]["deleted"] for local_id, i in ours.items()} == {"A": True, "B": True, "C": False}
    service.change_status(cli_actor(), "tate", "B", "published")
    assert headers_of(client)[ours["B"]]["deleted"] is False


def test_a_record_never_published_never_appears_whatever_happens_to_it(client, service, museum):
    service.upsert(cli_actor(), "tate", record_payload("shown"))
    service.upsert(cli_actor(), "tate", record_payload("secret", status="draft"))
    service.upsert(cli_actor(), "tate", record_payload("secret", status="draft", title="Still secret"))
    service.withdraw(cli_actor(), "tate", "secret")
    secret = f"oai:catalogue.test:{public_id('tate', 'secret')}"
    assert secret not in headers_of(client)
    get = ask(client, {"verb": "GetRecord", "identifier": secret, "metadataPrefix": "oai_dc"})
    assert error_codes(get) == ["idDoesNotExist"]


def test_records_from_before_history_was_kept(app, client, service, museum):
    """Revisions are kept since migration 0004 (only each record's revision of that day): a withdrawn
    record whose history does not reach revision 1 may have been public and is shown as deleted; a
    draft of that time is not shown, since it may never have been."""
    for local_id in ("old-withdrawn", "old-draft"):
        service.upsert(cli_actor(), "tate", record_payload(local_id))
        service.upsert(cli_actor(), "tate", record_payload(local_id, title="Changed"))
    service.withdraw(cli_actor(), "tate", "old-withdrawn")
    service.change_status(cli_actor(), "tate", "old-draft", "draft")
    with service.store.transaction() as conn:
        kept = t.record_revisions
        conn.execute(kept.delete().where(kept.c.status == "published"))  # as if only today's revision was kept
    headers = headers_of(client)
    assert headers[f"oai:catalogue.test:{public_id('tate', 'old-withdrawn')}"]["deleted"] is True
    assert f"oai:catalogue.test:{public_id('tate', 'old-draft')}" not in headers


def test_a_change_moves_a_record_to_the_end_of_the_list_with_its_new_datestamp(client, service, museum):
    for local_id in ("first", "second"):
        service.upsert(cli_actor(), "tate", record_payload(local_id))
    service.upsert(cli_actor(), "tate", record_payload("first", title="Retitled"))
    order = list(headers_of(client))
    assert order == [f"oai:catalogue.test:{public_id('tate', i)}" for i in ("second", "first")]


def test_page_size_comes_from_the_settings(app, client, service, museum):
    app.config["OAI_PAGE_SIZE"] = 2
    for number in range(5):
        service.upsert(cli_actor(), "tate", record_payload(f"P{number}"))
    headers, seen = harvest(client, "ListRecords", {"metadataPrefix": "oai_dc"})
    assert len(headers) == 5 and [token.get("cursor") for token in seen] == ["0", "2", "4"]
