"""The catalogue command: museums from a file, curator tokens, and image manifests."""

import json
import re
from datetime import timedelta
from pathlib import Path

from catalogue.cli import cli_actor
from catalogue.store import now
from catalogue.store import tables as t
from tests.support import image_bytes, record_payload

REPO_DEMO = Path(__file__).resolve().parent.parent / "demo"


def test_museum_load_registers_the_demo_museums(runner, service):
    result = runner.invoke(args=["museum", "load", str(REPO_DEMO / "museums.json")])
    assert result.exit_code == 0, result.output
    statuses = {m.code: m.status for m in service.store.list_museums()}
    assert statuses["tate"] == "member" and statuses["walters"] == "guest"


def test_museum_load_reports_invalid_museums(runner, tmp_path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps([{"code": "x1", "names": {"en": ["X"]}, "country": "US", "status": "member"}]))
    result = runner.invoke(args=["museum", "load", str(path)])
    assert result.exit_code == 2 and "ASEM partner" in result.output


def test_token_create_prints_a_working_token_last(runner, client, museum):
    result = runner.invoke(args=["token", "create", "--museum", "tate", "--name", "Ada"])
    assert result.exit_code == 0
    token = result.output.strip().splitlines()[-1]
    response = client.post(
        "/api/museums/tate/objects", json=record_payload(), headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201


def test_token_create_needs_a_known_museum(runner):
    assert runner.invoke(args=["token", "create", "--museum", "nowhere"]).exit_code == 2


def test_import_images_from_a_manifest(runner, service, museum, tmp_path):
    service.upsert(cli_actor(), "tate", record_payload("T1"))
    (tmp_path / "a.jpg").write_bytes(image_bytes())
    (tmp_path / "bad.jpg").write_bytes(b"not an image")
    manifest = tmp_path / "images.jsonl"
    manifest.write_text(
        "\n".join(
            json.dumps(row)
            for row in [
                {"museum": "tate", "local_id": "T1", "file": "a.jpg", "alt": {"en": ["Red"]}},
                {"museum": "tate", "local_id": "T1", "file": "bad.jpg"},
                {"museum": "tate", "local_id": "T1", "file": "missing.jpg"},
                {"museum": "tate", "local_id": "nope", "file": "a.jpg"},
            ]
        )
        + "\n"
    )
    result = runner.invoke(args=["import-images", str(manifest)])
    assert "images attached 1, rejected 3" in result.output and result.exit_code == 1
    assert service.record_by_local_id("tate", "T1").images[0].alt == {"en": ["Red"]}


def token_of(result) -> str:
    return result.output.strip().splitlines()[-1]


def test_tokens_are_listed_by_id_and_revoked_by_id(runner, client, museum):
    token = token_of(runner.invoke(args=["token", "create", "--museum", "tate", "--name", "Ada"]))
    auth = {"Authorization": f"Bearer {token}"}
    listing = runner.invoke(args=["token", "list"]).output.strip().splitlines()
    assert listing[0].split("\t") == ["id", "museum", "name", "created", "expires", "last used", "state"]
    token_id, museum_code, name, *_, last_used, state = listing[1].split("\t")
    assert (museum_code, name, last_used, state) == ("tate", "Ada", "-", "active")
    assert token not in "\n".join(listing) and len(token_id) == 12
    assert client.post("/api/museums/tate/objects", json=record_payload(), headers=auth).status_code == 201
    assert runner.invoke(args=["token", "list"]).output.splitlines()[1].split("\t")[5] != "-"  # last used
    revoked = runner.invoke(args=["token", "revoke", token_id])
    assert revoked.exit_code == 0 and f"revoked token {token_id} of Ada (tate)" in revoked.output
    response = client.post("/api/museums/tate/objects", json=record_payload(), headers=auth)
    assert response.status_code == 401 and "revoked" in response.get_json()["message"]
    assert runner.invoke(args=["token", "list"]).output.strip().splitlines()[1:] == []
    assert runner.invoke(args=["token", "list", "--all"]).output.strip().splitlines()[1].endswith("revoked")
    assert runner.invoke(args=["token", "revoke", token_id]).exit_code == 2  # no active token by that id


def test_a_token_can_expire(runner, client, museum, service):
    result = runner.invoke(args=["token", "create", "--museum", "tate", "--expires-in", "90d"])
    assert result.exit_code == 0 and "valid for 90d" in result.output
    row = runner.invoke(args=["token", "list"]).output.strip().splitlines()[1].split("\t")
    assert row[4] != "-"
    auth = {"Authorization": f"Bearer {token_of(result)}"}
    assert client.post("/api/museums/tate/objects", json=record_payload(), headers=auth).status_code == 201
    with service.store.transaction() as conn:  # ninety days later
        conn.execute(t.tokens.update().values(expires_at=now() - timedelta(seconds=1)))
    assert client.post("/api/museums/tate/objects", json=record_payload(), headers=auth).status_code == 401
    assert runner.invoke(args=["token", "list", "--all"]).output.strip().splitlines()[1].endswith("expired")


def test_token_lifetimes_must_be_durations(runner, museum):
    for bad in ("90", "0d", "soon", "1y"):
        result = runner.invoke(args=["token", "create", "--museum", "tate", "--expires-in", bad])
        assert result.exit_code == 2 and "not a duration" in result.output, bad


def test_museum_load_refuses_absurdly_nested_json_with_a_message(runner, tmp_path):
    path = tmp_path / "m.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    result = runner.invoke(args=["museum", "load", str(path)])
    assert result.exit_code == 2 and "not valid JSON" in result.output


def test_vocabulary_reports_coverage_unmapped_values_and_maker_merges(runner, service, museum):
    for local_id, object_type, materials in (
        ("v1", "prent", ["papier", "unobtainium"]),
        ("v2", "schilderij", ["olieverf"]),
        ("v3", "whatsit; prints", []),
    ):
        payload = record_payload(local_id, object_type=object_type, materials=materials)
        service.upsert(cli_actor(), "tate", payload)
    makers = [{"name": "Q. R. Ztest", "birth_year": 1800, "death_year": 1870}]
    service.upsert(cli_actor(), "tate", record_payload("v4", object_type="print", makers=makers))
    makers = [{"name": "Quentin Ross Ztest", "birth_year": 1800, "death_year": 1870}]
    service.upsert(cli_actor(), "tate", record_payload("v5", object_type="print", makers=makers))
    result = runner.invoke(args=["vocabulary"])
    assert result.exit_code == 0, result.output
    assert "object types mapped: 5 of 5 (100.0%)" in result.output  # "whatsit; prints" maps through prints
    assert re.search(r"materials mapped: \d+ of \d+ \(\d+\.\d%\)", result.output)  # with the medium's
    assert "tate\twhatsit" in result.output and "tate\tunobtainium" in result.output
    assert "Ztest" in result.output.split("may be one person")[1]
