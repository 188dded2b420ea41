"""The catalogue command: museums from a file, curator tokens, and image manifests."""

import json
from pathlib import Path

from catalogue.cli import cli_actor
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
