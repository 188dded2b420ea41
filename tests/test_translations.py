"""The interface's message catalogues are complete and safe: every string the code marks is in
messages.pot (`scripts/translations update` keeps it so), every language translates every entry, and
no translation loses or invents a placeholder (which would raise while a page renders)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from catalogue.i18n import INTERFACE_LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "catalogue" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def read(path: Path):
    with path.open("rb") as file:
        return read_po(file)


def test_messages_pot_holds_every_marked_string(tmp_path):
    fresh = tmp_path / "fresh.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [pybabel, "extract", "-F", "babel.cfg", "-k", "N_", "-k", "gettext", "-k", "ngettext:1,2", "-k", "Facet:2",
         "--omit-header", "-o", str(fresh), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    wanted = {message.id for message in read(fresh) if message.id}
    known = {message.id for message in read(TRANSLATIONS / "messages.pot") if message.id}
    assert wanted - known == set(), "run scripts/translations update, then translate the new strings"


@pytest.mark.parametrize("language", INTERFACE_LANGUAGES[1:])
def test_every_entry_is_translated_with_its_placeholders(language):
    catalogue = read(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po")
    template = {message.id for message in read(TRANSLATIONS / "messages.pot") if message.id}
    problems = []
    for message in catalogue:
        if not message.id or message.id not in template:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        allowed = {p for text in ids for p in PLACEHOLDER.findall(text)}
        for text in strings:
            if not text:
                problems.append(f"untranslated: {ids[0]!r}")
            elif not set(PLACEHOLDER.findall(text)) <= allowed:
                problems.append(f"unknown placeholder in {text!r}")
        if len(ids) == 1 and strings[0] and set(PLACEHOLDER.findall(strings[0])) != allowed:
            problems.append(f"placeholders differ: {ids[0]!r} -> {strings[0]!r}")
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
    missing = template - {message.id for message in catalogue if message.id}
    problems += [f"missing: {text!r}" for text in sorted(map(str, missing))]
    assert not problems, f"{len(problems)} problems in {language}:\n" + "\n".join(problems[:30])
