"""The IIIF Image API validator (PyPI iiif-validator) against our blueprint over real HTTP: all 33
tests of level 2 of version 3.0 must pass."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from iiif.image_views import ImageSource
from tests.iiif.conftest import VALIDATOR_ID

VALIDATE = Path(sys.executable).parent / "iiif-validate.py"


@pytest.fixture
def validate_script() -> Path:
    if not VALIDATE.exists():
        message = f"{VALIDATE} is missing (pip install -e '.[test]' installs iiif-validator)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return VALIDATE


def test_level_2_of_image_api_3_passes_the_validator(validate_script, squares_pyramid, image_app, live_server):
    base_url = live_server(lambda url: image_app({VALIDATOR_ID: ImageSource(squares_pyramid)}, base_url=url))
    server = base_url.removeprefix("http://")
    result = subprocess.run(
        [
            sys.executable,
            str(validate_script),
            "-s",
            server,
            "-p",
            "iiif/3",
            "-i",
            VALIDATOR_ID,
            "--version=3.0",
            "--level=2",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert re.search(r"Done \(33 tests, 0 failures\)", report), report
