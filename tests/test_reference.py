"""Reference data: rights statements are named in the reader's language and read in any of them."""

import pytest

from catalogue import reference

IN_COPYRIGHT = "http://rightsstatements.org/vocab/InC/1.0/"
CC_BY = "http://creativecommons.org/licenses/by/4.0/"


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("en", "In Copyright"),
        ("de", "Urheberrechtsschutz"),  # RightsStatements.org's own German
        ("fr", "Protégé par le droit d'auteur"),
        ("ja", "著作権あり"),
        ("ko", "저작권 보호"),
        ("zh", "受版权保护"),
        ("nl", "In Copyright"),  # no Dutch name: the English one
    ],
)
def test_a_rights_statement_is_named_in_the_readers_language(language, name):
    assert reference.rights_label(IN_COPYRIGHT, language) == name


def test_creative_commons_licences_keep_their_code_in_every_language():
    assert {reference.rights_label(CC_BY, lang) for lang in ("en", "de", "ja", "zh")} == {"CC BY 4.0"}


def test_a_uri_outside_the_list_is_its_own_name():
    assert reference.rights_label("https://example.org/our-terms", "de") == "https://example.org/our-terms"


def test_every_statement_with_names_has_them_in_the_five_other_interface_languages():
    for uri, entry in reference.rights_statements().items():
        if entry["uri"].startswith("http://rightsstatements.org/"):
            assert set(entry["labels"]) == {"de", "fr", "ja", "ko", "zh"}, uri


@pytest.mark.parametrize("name", ["Urheberrechtsschutz", "protégé par le droit d'auteur", "著作権あり", "In Copyright"])
def test_a_file_may_name_a_statement_in_any_language(name):
    assert reference.rights_uri(name) == IN_COPYRIGHT


@pytest.mark.parametrize(
    ("image_rights", "open_for_reuse"),
    [
        (CC_BY, True),
        ("http://creativecommons.org/publicdomain/zero/1.0/", True),
        (IN_COPYRIGHT, False),
        ("http://creativecommons.org/licenses/by-nc/4.0/", False),  # not for every use: not open
        ("https://example.org/our-terms", False),  # a statement the list does not know says nothing open
        (None, False),  # no statement: the museum has not opened the image
    ],
)
def test_only_a_statement_the_list_calls_open_leaves_an_image_open_for_reuse(image_rights, open_for_reuse):
    assert reference.open_for_reuse(image_rights) is open_for_reuse
    assert reference.rights_access(image_rights) == ("open" if open_for_reuse else "restricted")
