"""A row is validated in the importing process or in a worker process; a worker loads the record
schema and nothing else of the app, so the workers of an import are ready in a few tenths of a
second."""

import json
import subprocess
import sys

from catalogue.ingest.readers import Row
from catalogue.ingest.validation import Validated, prepared_chunk, validated
from tests.support import REPO, record_payload

# what a worker never needs: the commands, the service and its store, the views, IIIF documents
THE_APP = (
    "catalogue.cli",
    "catalogue.service",
    "catalogue.store",
    "catalogue.views",
    "sqlalchemy",
    "alembic",
    "iiif_prezi3",
)


def modules_loaded_by(*modules: str) -> set[str]:
    """The modules a fresh interpreter holds after importing ``modules`` (as a worker does)."""
    code = "".join(f"import {module}\n" for module in modules) + "import sys\nprint('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def test_a_worker_loads_the_record_schema_and_nothing_of_the_app():
    # a worker imports the command's main module, the pool's start-up code and the validating function
    loaded = modules_loaded_by("catalogue.__main__", "catalogue.processes", "catalogue.ingest.validation")
    assert "catalogue.records.schema" in loaded
    assert sorted(module for module in loaded if module.startswith(THE_APP)) == []


def test_the_command_runs_from_its_light_main_module():
    result = subprocess.run(
        [sys.executable, "-m", "catalogue", "--help"], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert "import" in result.stdout and "reindex" in result.stdout


def test_a_valid_row_gives_its_normalised_record_and_a_bad_one_its_errors_with_their_values():
    (good_row, good), (bad_row, bad) = prepared_chunk(
        [
            (1, json.dumps({**record_payload("T1"), "museum": "tate"}).encode()),
            (2, json.dumps({**record_payload("T2", title=""), "museum": "tate"}).encode()),
        ],
        None,
    )
    assert good.body is not None and good.body["local_id"] == "T1" and "museum" not in good.body
    assert bad == Validated(None, "T2", [("title", "A title is required.", "")])
    # a row goes back with what names its museum (and its local id), not the whole record again
    assert (good_row, bad_row) == (
        Row(1, {"museum": "tate", "local_id": "T1"}),
        Row(2, {"museum": "tate", "local_id": "T2"}),
    )


def test_a_value_that_is_not_one_text_is_reported_as_its_curator_wrote_it():
    """A CSV cell's too-long title was reported as Python's "{'none': ['LLL…"; a language map reads as
    its texts, and other shapes as JSON."""
    long_title = validated(record_payload("T1", title={"none": ["L" * 2500]}), None)
    assert long_title.errors[0][0] == "title" and long_title.errors[0][2] == "L" * 200 + "…"
    two_languages = validated(record_payload("T2", title={"en": ["x" * 2500], "zh": ["丝扇"]}), None)
    assert two_languages.errors[0][2].startswith("en: xxx")
    shapes = validated(record_payload("T3", subjects={"a": 1}), None)
    assert shapes.errors[0][2] == '{"a": 1}'


def test_a_worker_reads_lines_as_the_reader_does_and_takes_rows_already_read():
    shared = {"record_id": "r1", "source_id": "S1", "source_museum_code": "tate", "source_museum": "Tate (London)"}
    prepared = prepared_chunk(
        [
            (1, b"{not json\n"),
            (2, b"   \n"),
            (3, b"[1]\n"),
            (4, json.dumps({**shared, "title": "Wave", "medium": "oil"}).encode()),
            Row(7, {"local_id": "C1", "title": "Vase", "museum": "tate"}, warnings=[{"field": "x", "value": 1}]),
        ],
        None,
    )
    assert [(row, outcome is None) for row, outcome in prepared] == [
        (Row(1, None, "Not valid JSON: a key must be text in double quotes (column 2)."), True),
        (Row(3, None, "Each line must be one JSON object."), True),
        (Row(4, shared), False),  # every key museum_of and is_shared_record read
        (Row(7, {"museum": "tate", "local_id": "C1"}, warnings=[{"field": "x", "value": 1}]), False),
    ]


def test_a_row_without_a_status_takes_the_default_one():
    assert validated(record_payload("T1"), "draft").body["status"] == "draft"
    assert validated(record_payload("T1"), None).body["status"] == "published"
    assert validated(record_payload("T1", status="published"), "draft").body["status"] == "published"
