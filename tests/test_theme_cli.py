"""`catalogue theme load` and `catalogue theme list`: themes from a file, loaded again without change
(as `make demo` does on every run), refusals said with their field; and the demo's own themes file."""

import json
from pathlib import Path

import pytest

from catalogue.cli import cli_actor
from catalogue.ingest.importer import Importer
from catalogue.models import public_id
from tests.support import image_bytes, record_payload

DEMO = Path(__file__).resolve().parent.parent / "demo"
LANGUAGES = {"en", "ja", "zh", "ko", "fr", "de"}


@pytest.fixture
def app_settings():
    """The demo's images are larger than the other tests' limits."""
    return {"MAX_IMAGE_BYTES": 50_000_000, "MAX_IMAGE_PIXELS": 150_000_000}


def write(tmp_path, themes) -> str:
    path = tmp_path / "themes.json"
    path.write_text(json.dumps(themes, ensure_ascii=False), encoding="utf-8")
    return str(path)


def a_theme(**changes) -> dict:
    return {
        "slug": "waves",
        "title": {"en": ["Waves"], "ja": ["波"]},
        "introduction": {"en": ["Water."]},
        "published": True,
        "cover": {"museum": "tate", "local_id": "T2"},
        "objects": [
            {"museum": "tate", "local_id": "T2", "note": {"en": ["Big."]}},
            {"museum": "tate", "local_id": "T1"},
        ],
        **changes,
    }


def test_theme_load_creates_then_leaves_alone_then_updates(runner, service, museum, tmp_path):
    for local_id in ("T1", "T2"):
        service.upsert(cli_actor(), "tate", record_payload(local_id))
    service.add_images(cli_actor(), "tate", "T2", [(image_bytes(), "t2.jpg")])
    path = write(tmp_path, [a_theme()])

    first = runner.invoke(args=["theme", "load", path])
    assert first.exit_code == 0, first.output
    assert first.output == "waves: created, 2 objects\n"
    again = runner.invoke(args=["theme", "load", path])
    assert again.output == "waves: unchanged, 2 objects\n"
    changed = runner.invoke(args=["theme", "load", write(tmp_path, [a_theme(published=False)])])
    assert changed.output == "waves: updated, 2 objects\n"

    listed = runner.invoke(args=["theme", "list"])
    assert listed.exit_code == 0 and listed.output == "waves\tdraft\t2/2\tWaves\n"
    theme = service.theme("waves", cli_actor()).theme
    assert theme.record_ids == [public_id("tate", "T2"), public_id("tate", "T1")]
    assert theme.cover_image == service.record_by_local_id("tate", "T2").images[0].id


def test_theme_load_reports_what_is_wrong_and_stops(runner, service, museum, tmp_path):
    (tmp_path / "broken.json").write_text("[{", encoding="utf-8")
    broken = runner.invoke(args=["theme", "load", str(tmp_path / "broken.json")])
    assert broken.exit_code == 2 and "not valid JSON" in broken.output
    single = runner.invoke(args=["theme", "load", write(tmp_path, a_theme())])
    assert single.exit_code == 2 and "list of themes" in single.output
    missing = runner.invoke(args=["theme", "load", write(tmp_path, [a_theme(cover=None)])])
    assert missing.exit_code == 2 and "objects.0.record_id" in missing.output
    assert service.themes(cli_actor()) == []


def test_the_demo_themes_name_demo_objects_and_speak_the_six_interface_languages():
    themes = json.loads((DEMO / "themes.json").read_text(encoding="utf-8"))
    records = set()
    for line in (DEMO / "records.jsonl").read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        records.add((data["source_museum_code"], data["source_id"]))
    for line in (DEMO / "image_records.jsonl").read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        records.add((data["museum"], data["local_id"]))
    with_images = {
        (data["museum"], data["local_id"])
        for data in map(json.loads, (DEMO / "images.jsonl").read_text(encoding="utf-8").splitlines())
    }
    assert len(themes) == 2
    for theme in themes:
        assert set(theme["title"]) == set(theme["introduction"]) == LANGUAGES, theme["slug"]
        named = [(item["museum"], item["local_id"]) for item in theme["objects"]]
        assert set(named) <= records and len(set(named)) == len(named) >= 8, theme["slug"]
        assert (theme["cover"]["museum"], theme["cover"]["local_id"]) in with_images & set(named)
        assert {item["museum"] for item in theme["objects"]} >= {"tate", "walters", "cmoa"}


def test_the_demo_themes_load_onto_the_demo_data(app, runner, service):
    """As `make demo` runs it: museums, records, images (here only the covers'), then the themes,
    twice."""
    assert runner.invoke(args=["museum", "load", str(DEMO / "museums.json")]).exit_code == 0
    for name in ("records.jsonl", "image_records.jsonl"):
        Importer(service, cli_actor()).import_file(DEMO / name)
    themes = json.loads((DEMO / "themes.json").read_text(encoding="utf-8"))
    manifest = [json.loads(line) for line in (DEMO / "images.jsonl").read_text(encoding="utf-8").splitlines()]
    for row in manifest:
        if any(row["local_id"] == theme["cover"]["local_id"] for theme in themes):
            service.add_images(cli_actor(), row["museum"], row["local_id"], [((DEMO / row["file"]).read_bytes(), None)])

    loaded = runner.invoke(args=["theme", "load", str(DEMO / "themes.json")])
    assert loaded.exit_code == 0, loaded.output
    assert loaded.output.splitlines() == [
        "self-and-other: created, 10 objects",
        "mountains-and-waters: created, 12 objects",
    ]
    again = runner.invoke(args=["theme", "load", str(DEMO / "themes.json")])
    assert all(line.split(": ")[1].startswith("unchanged") for line in again.output.splitlines())
    shown = {view.theme.slug: view for view in service.themes()}
    assert {slug: view.count for slug, view in shown.items()} == {"self-and-other": 10, "mountains-and-waters": 12}
    assert all(view.cover is not None for view in shown.values())
